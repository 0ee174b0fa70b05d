#!/usr/bin/env bash
# The frame session (#32): runs the release binary under Xvfb on a generated
# 100k data set (100,000 users, 100,000 stations, 90 days of usage history),
# drives it with xdotool through the heavy interactions, and prints the app
# time per frame (IA_LICENSING_FRAME_LOG, see src/ui/frame_log.rs) per step
# of the session: frames, p50, p99 and max in ms. Rendering (egui's
# tessellation, Mesa's software rasterizer) is not in these figures; the
# per-step wall time is printed beside them.
#
#   scripts/frame-session.sh                 # data in /tmp/ia-frame-session
#   OUT=DIR BIN=path/to/ia-licensing scripts/frame-session.sh
#
# Needs Xvfb and xdotool (apt-get install xvfb xdotool). Positions are for a
# 1400×900 screen at 100 % zoom with the default preferences (a fresh HOME).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-$PWD/target/release/ia-licensing}
OUT=${OUT:-/tmp/ia-frame-session}
USERS=${USERS:-100000}
DISPLAY_NUMBER=${DISPLAY_NUMBER:-97}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

# --- data -----------------------------------------------------------------
if [[ ! -f $OUT/workspace.ialws ]]; then
  echo "making $USERS users and stations with 90 days of history in $OUT…"
  "$BIN" demo generate --users "$USERS" --stations "$USERS" --events 200000 --history-days 90 --out "$OUT" >/dev/null
fi
if [[ ! -f $OUT/workspace.ialhist ]]; then
  echo "importing the history…"
  "$BIN" history import --workspace "$OUT/workspace.ialws" --license "$OUT/license.I3Lic" \
    --events "$OUT"/history/*.json >/dev/null
fi
cp -f "$OUT/workspace.ialws" "$OUT/session.ialws"
cp -f "$OUT/workspace.ialhist" "$OUT/session.ialhist"
rm -rf "$OUT/home" "$OUT/data" "$OUT/frames.tsv" "$OUT/marks.tsv" "$OUT"/session.ialws.*
mkdir -p "$OUT/home" "$OUT/data"

# --- window ---------------------------------------------------------------
export DISPLAY=:$DISPLAY_NUMBER
Xvfb "$DISPLAY" -screen 0 1400x900x24 >/dev/null 2>&1 &
XVFB=$!
APP=
cleanup() {
  [[ -n $APP ]] && kill "$APP" 2>/dev/null || true
  kill "$XVFB" 2>/dev/null || true
}
trap cleanup EXIT
sleep 1

now_ms() { date +%s%3N; }
mark() { printf '%s\t%s\n' "$(now_ms)" "$1" >>"$OUT/marks.tsv"; }
# Waits until no frame has been logged for 1.5 s (egui paints only on input
# or when asked to), at most $1 seconds.
settle() {
  local limit=${1:-60} last size quiet=0 waited=0
  last=$(stat -c %s "$OUT/frames.tsv" 2>/dev/null || echo 0)
  while ((quiet < 3 && waited < limit * 2)); do
    sleep 0.5
    waited=$((waited + 1))
    size=$(stat -c %s "$OUT/frames.tsv" 2>/dev/null || echo 0)
    if [[ $size == "$last" ]]; then quiet=$((quiet + 1)); else quiet=0; last=$size; fi
  done
}
click() { xdotool mousemove "$1" "$2" click 1; }
key() { xdotool key --clearmodifiers "$@"; }
shot() { import -window root "$OUT/$1.png" 2>/dev/null || true; }
step() { mark "$1"; }

# Navigation tree, 1400×900 at 100 %.
declare -A NAV=(
  [license]="40 63" [allocation]="40 86" [users]="50 132" [workgroups]="50 155" [roles]="50 178"
  [stations]="40 201" [statistics]="40 224" [enforcement]="40 247" [usage]="40 270" [history]="40 293"
  [cloud]="40 316" [changelog]="40 339" [policies]="40 362" [reclaim]="40 385" [account]="40 408"
)
nav() { read -r x y <<<"${NAV[$1]}"; click "$x" "$y"; }

step open
HOME=$OUT/home XDG_CONFIG_HOME=$OUT/home/.config XDG_DATA_HOME=$OUT/home/.local/share \
  IA_LICENSING_DATA_DIR=$OUT/data IA_LICENSING_FRAME_LOG=$OUT/frames.tsv \
  "$BIN" gui "$OUT/license.I3Lic" --workspace "$OUT/session.ialws" >"$OUT/gui.log" 2>&1 &
APP=$!
xdotool search --sync --name "Interaction Administrator|ia-licensing" >/dev/null
settle 120
shot open

for v in allocation users workgroups roles stations statistics enforcement usage history cloud changelog policies reclaim account license; do
  step "view $v"
  nav "$v"
  settle 60
  shot "view-$v"
done

# --- Users: sort, filter, select all, bulk preview and apply, undo ----------
nav users; settle 30
step "sort users"
click "$USERS_NAME_HEADER_X" "$USERS_NAME_HEADER_Y"; settle 60
step "filter users"
click "$USERS_SEARCH_X" "$USERS_SEARCH_Y"; xdotool type --delay 50 "ruiz"; settle 60
key ctrl+a BackSpace; settle 60
step "select all users"
click "$USERS_ROW_X" "$USERS_ROW_Y"; key ctrl+a; settle 60
step "bulk preview"
click "$USERS_ASSIGN_X" "$USERS_ASSIGN_Y"; settle 60; shot bulk-preview
step "bulk apply"
key Return; settle 120; shot bulk-applied
step "undo"
key ctrl+z; settle 120

# --- Policies, Reclaim, Statistics, Usage History ----------------------------
step "policies preview"
nav policies; settle 30
click "$POLICIES_PREVIEW_X" "$POLICIES_PREVIEW_Y"; settle 60; shot policies-preview
step "policies apply"
click "$POLICIES_APPLY_X" "$POLICIES_APPLY_Y"; settle 120; key Return; settle 120
step "reclaim open"
nav reclaim; settle 60; shot reclaim
step "reclaim apply"
click "$RECLAIM_APPLY_X" "$RECLAIM_APPLY_Y"; settle 120; key Return; settle 120
step "statistics to end"
nav statistics; settle 30
click "$STATS_END_X" "$STATS_END_Y"; settle 120; shot statistics-end
step "usage history"
nav history; settle 120; shot history

step "save"
key ctrl+s; settle 120
step "quit"
quit_at=$(now_ms)
key ctrl+q
for _ in $(seq 1 100); do kill -0 "$APP" 2>/dev/null || break; sleep 0.05; done
exit_ms=$(($(now_ms) - quit_at))
APP=
mark end

# --- table ------------------------------------------------------------------
python3 - "$OUT/frames.tsv" "$OUT/marks.tsv" "$exit_ms" <<'PY'
import sys, bisect
frames = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
marks = [l.rstrip("\n").split("\t") for l in open(sys.argv[2]) if l.strip()]
starts = [int(m[0]) for m in marks]
steps = {}
order = []
for f in frames:
    t, ms = int(f[0]), float(f[1])
    i = bisect.bisect_right(starts, t) - 1
    name = marks[max(i, 0)][1]
    if name not in steps:
        steps[name] = []; order.append(name)
    steps[name].append(ms)
def pct(xs, p):
    xs = sorted(xs); return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]
print(f"{'step':<22} {'frames':>7} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
worst = 0.0
for name in order:
    xs = steps[name]; worst = max(worst, max(xs))
    print(f"{name:<22} {len(xs):>7} {pct(xs,50):>8.1f} {pct(xs,99):>8.1f} {max(xs):>8.1f}")
allx = [float(f[1]) for f in frames]
print(f"{'all':<22} {len(allx):>7} {pct(allx,50):>8.1f} {pct(allx,99):>8.1f} {max(allx):>8.1f}")
print(f"exit after the close request: {sys.argv[3]} ms")
PY
