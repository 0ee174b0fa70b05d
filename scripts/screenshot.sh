#!/usr/bin/env bash
# Runs the release binary under Xvfb on the demo data and writes a PNG of
# each view to shots/ (needs: apt-get install xvfb imagemagick).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${IA_LICENSING:-target/release/ia-licensing}
[ -x "$bin" ] || cargo build --release
out=${1:-shots}
mkdir -p "$out"
export IA_LICENSING_DATA_DIR=$(mktemp -d)
shoot() { # name, args...
  local name=$1; shift
  xvfb-run -a -s "-screen 0 1600x1000x24" bash -c "'$bin' gui $* & pid=\$!; sleep 4; import -window root '$out/$name.png'; kill \$pid" >/dev/null 2>&1
  echo "$out/$name.png"
}
shoot license --view license
shoot allocation --view allocation
shoot users --view users
shoot stations --view stations
shoot workgroups --view workgroups
shoot enforcement assets/demo-virtual-cloud.I3Lic --view enforcement
shoot license-dark --view license --dark
shoot account --account assets/demo.ialacct
