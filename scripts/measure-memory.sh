#!/usr/bin/env bash
# Peak memory (VmHWM) of the release GUI with a generated workspace open on
# the Users view, under Xvfb (needs: apt-get install xvfb imagemagick).
# Usage: scripts/measure-memory.sh [USERS] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
wait_s=${2:-20}
bin=${IA_LICENSING:-target/release/ia-licensing}
[ -x "$bin" ] || cargo build --release
dir=${TMPDIR:-/tmp}/ia-licensing-scale-$n
if [ ! -f "$dir/workspace.ialws" ]; then
  "$bin" demo generate --users "$n" --stations "$n" --workgroups $((n / 50 > 5 ? n / 50 : 5)) --seed 7 -o "$dir" >/dev/null
fi
export IA_LICENSING_DATA_DIR=$(mktemp -d)
lic=$(ls "$dir"/*.I3Lic | head -1)
xvfb-run -a -s "-screen 0 1600x1000x24" bash -c "
  '$bin' gui '$lic' --workspace '$dir/workspace.ialws' --view users & pid=\$!
  sleep $wait_s
  grep -E 'VmHWM|VmRSS' /proc/\$pid/status
  import -window root '${SHOT:-/tmp/ia-licensing-memory.png}'
  kill \$pid"
