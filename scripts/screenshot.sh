#!/usr/bin/env bash
# Runs the release binary under Xvfb on the demo data and writes a PNG of
# every view at the default window size (1400×900) and at 150 % zoom, in
# the light theme, plus a dark set, to shots/ (needs: apt-get install xvfb
# imagemagick xdotool).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${IA_LICENSING:-target/release/ia-licensing}
[ -x "$bin" ] || cargo build --release
out=${1:-shots}
mkdir -p "$out"
shoot() { # name, zoom steps (each Ctrl+= is +10 %), args...
  local name=$1 zoom=$2; shift 2
  # A fresh data folder each time: a killed run leaves a journal that the
  # next one would offer to restore.
  IA_LICENSING_DATA_DIR=$(mktemp -d) xvfb-run -a -s "-screen 0 1400x900x24" bash -c "
    '$bin' gui $* & pid=\$!
    sleep 4
    w=\$(xdotool search --sync --onlyvisible --pid \$pid 2>/dev/null | head -1)
    if [ -n \"\$w\" ] && [ $zoom -gt 0 ]; then
      xdotool windowfocus --sync \$w
      for i in \$(seq $zoom); do xdotool key --window \$w ctrl+equal; sleep 0.2; done
      sleep 1
    fi
    import -window root '$out/$name.png'
    kill \$pid" >/dev/null 2>&1
  echo "$out/$name.png"
}
for view in license allocation users stations workgroups statistics usage history cloud changelog; do
  shoot "$view" 0 --view "$view"
  shoot "$view-150" 5 --view "$view"
  shoot "$view-dark" 0 --view "$view" --dark
done
shoot enforcement 0 assets/demo-virtual-cloud.I3Lic --view enforcement
shoot enforcement-150 5 assets/demo-virtual-cloud.I3Lic --view enforcement
shoot enforcement-dark 0 assets/demo-virtual-cloud.I3Lic --view enforcement --dark
shoot account 0 --account assets/demo.ialacct
shoot account-150 5 --account assets/demo.ialacct
shoot account-dark 0 --account assets/demo.ialacct --dark
