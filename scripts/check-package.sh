#!/usr/bin/env bash
# Installs the Debian package with dpkg -i, checks what it put in place (the
# binary, man pages, completions, desktop entry, MIME types, icons, docs),
# starts the installed app under Xvfb as a desktop would (the demo, then a
# double-click on each file type, through the desktop entry's own Exec
# line) and checks its window appears, then removes the package and checks
# the binary is gone. Needs root (dpkg); .ci/run runs it after
# scripts/package.sh.
#
#   scripts/check-package.sh [DEB]   # default: the newest target/debian/ia-licensing_*.deb
#   SCREENSHOT_DIR=DIR scripts/check-package.sh   # also a PNG of each window (ImageMagick's import)
set -euo pipefail
cd "$(dirname "$0")/.."
DEB=${1:-$(ls -t "${CARGO_TARGET_DIR:-target}"/debian/ia-licensing_*.deb 2>/dev/null | head -1)}
DISPLAY_NUMBER=${DISPLAY_NUMBER:-94}
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok   $*"; }
[[ -n $DEB && -f $DEB ]] || fail "no package; run scripts/package.sh first"
[[ $(id -u) = 0 ]] || fail "dpkg -i needs root"
WORK=$(mktemp -d)
XVFB=
trap '[[ -n $XVFB ]] && kill $XVFB 2>/dev/null; rm -rf "$WORK"' EXIT
echo "package: $DEB ($(du -h "$DEB" | cut -f1))"

# The libraries it loads at run time are Depends: apt brings the missing
# ones (dpkg -i does not), then dpkg installs the package itself.
missing=()
for dep in $(dpkg-deb -f "$DEB" Depends | tr ',' '\n' | sed -E 's/\([^)]*\)//; s/\|.*//'); do
  dpkg -s "$dep" >/dev/null 2>&1 || missing+=("$dep")
done
if ((${#missing[@]})); then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
dpkg -i "$DEB"

[[ $(command -v ia-licensing) == /usr/bin/ia-licensing ]] || fail "ia-licensing is not /usr/bin/ia-licensing"
version=$(ia-licensing --version)
[[ $version == "ia-licensing $(dpkg-deb -f "$DEB" Version | sed 's/-[^-]*$//')" ]] || fail "--version says $version"
ok "--version: $version"
for page in ia-licensing ia-licensing-check ia-licensing-license-show; do
  man -w "$page" >/dev/null || fail "man -w $page"
done
ok "man -w ia-licensing: $(man -w ia-licensing) ($(ls /usr/share/man/man1/ia-licensing*.1.gz | wc -l) pages)"
MANWIDTH=100 man ia-licensing 2>/dev/null | grep -q -- "--renderer" || fail "the man page does not list --renderer"

bash_completion=/usr/share/bash-completion/completions/ia-licensing
[[ -f $bash_completion ]] || fail "no bash completion"
bash -c "source $bash_completion && complete -p ia-licensing" | grep -q "ia-licensing" || fail "bash completion not registered"
[[ -f /usr/share/zsh/vendor-completions/_ia-licensing ]] || fail "no zsh completion"
[[ -f /usr/share/fish/vendor_completions.d/ia-licensing.fish ]] || fail "no fish completion"
ok "completions: $(bash -c "source $bash_completion && complete -p ia-licensing"), zsh, fish"

desktop=/usr/share/applications/ia-licensing.desktop
[[ -f $desktop ]] || fail "no desktop entry"
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$desktop" || fail "desktop-file-validate"
fi
[[ -f /usr/share/mime/packages/ia-licensing.xml ]] || fail "no MIME types"
if command -v update-mime-database >/dev/null; then
  # dpkg's trigger rebuilt the MIME database: each extension maps to its type.
  for glob in i3lic ialws ialacct; do
    grep -q "application/x-ia-licensing-[a-z]*:\*\.$glob" /usr/share/mime/globs2 || fail "*.$glob is not in the MIME database"
  done
fi
for size in 16 22 24 32 48 64 128 256; do
  [[ -f /usr/share/icons/hicolor/${size}x${size}/apps/ia-licensing.png ]] || fail "no ${size}px icon"
done
[[ -f /usr/share/doc/ia-licensing/README.md && -f /usr/share/doc/ia-licensing/docs/windows.md ]] || fail "no docs"
ok "desktop entry, MIME types (.I3Lic .ialws .ialacct), icons 16-256 px, docs"

# The installed app under Xvfb: the demo, and each file type opened the way
# a double-click does (the desktop entry's Exec line with %f replaced).
# A display no other X server holds (other jobs may run Xvfb on this machine).
while [[ -e /tmp/.X$DISPLAY_NUMBER-lock || -e /tmp/.X11-unix/X$DISPLAY_NUMBER ]]; do
  DISPLAY_NUMBER=$((DISPLAY_NUMBER + 1))
done
export DISPLAY=:$DISPLAY_NUMBER
# -noreset: the server stays up between one app and the next (a reset
# when the last client leaves refuses the next connection for a moment).
Xvfb "$DISPLAY" -screen 0 1400x900x24 -noreset >"$WORK/xvfb.log" 2>&1 &
XVFB=$!
sleep 1
kill -0 "$XVFB" 2>/dev/null || fail "Xvfb did not start on $DISPLAY: $(cat "$WORK/xvfb.log")"
exec_line=$(sed -n 's/^Exec=//p' "$desktop")
cp assets/demo.I3Lic assets/demo.ialws assets/demo.ialacct "$WORK/"
window() {  # NAME TITLE-PATTERN COMMAND...
  local name=$1 title=$2
  shift 2
  mkdir -p "$WORK/$name"
  env HOME="$WORK/$name" XDG_RUNTIME_DIR="$WORK/$name" IA_LICENSING_DATA_DIR="$WORK/$name/data" \
    "$@" >"$WORK/$name.log" 2>&1 &
  local pid=$! found=
  for _ in $(seq 1 120); do
    if xdotool search --name "$title" >/dev/null 2>&1; then found=1; break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  local shown
  shown=$(xdotool search --name "$title" getwindowname 2>/dev/null | head -1 || true)
  if [[ -n $found && -n ${SCREENSHOT_DIR:-} ]]; then
    sleep 2  # the first frames, and a file loaded on a worker thread
    import -window root "$SCREENSHOT_DIR/$name.png" 2>/dev/null || true
  fi
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [[ -z $found ]] || grep -q "refused\|cannot open a window" "$WORK/$name.log"; then
    cat "$WORK/$name.log"
    kill -0 "$XVFB" 2>/dev/null || echo "(Xvfb is gone: $(cat "$WORK/xvfb.log"))"
    fail "$name: no window titled like \"$title\""
  fi
  ok "$name: window \"$shown\""
  sleep 1
}
window demo "ia-licensing" ia-licensing
for file in demo.I3Lic demo.ialws demo.ialacct; do
  # shellcheck disable=SC2086 # the Exec line is words, as a desktop splits it
  window "open-$file" "ia-licensing" ${exec_line//%f/$WORK/$file}
done
# ia-licensing FILE, as Explorer would pass it: the title names the workspace.
window "bare-workspace" "demo\.ialws" ia-licensing "$WORK/demo.ialws"

dpkg -r ia-licensing
[[ ! -e /usr/bin/ia-licensing ]] || fail "/usr/bin/ia-licensing is still there after dpkg -r"
! command -v ia-licensing >/dev/null || fail "ia-licensing still on PATH"
! man -w ia-licensing >/dev/null 2>&1 || fail "the man page is still there"
ok "removed: no /usr/bin/ia-licensing, no man page"
