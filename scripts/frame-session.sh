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
# Needs Xvfb, xdotool and ImageMagick's import (apt-get install xvfb xdotool
# imagemagick). Positions are for a 1400×900 screen at 100 % zoom with the
# default preferences (a fresh HOME); screenshots of each step are left in
# $OUT. The session's workspace gets the 50-rule policy mix of the
# `policies 100000` bench (benches/scale.rs), so that Policies has
# something to preview and apply. The machine's load average is printed
# with the table: on a shared machine the figures are upper bounds.
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
# Roles and the 50 rules of the `policies 100000` bench.
python3 - "$OUT/session.ialws" <<'PY'
import json, sys
path = sys.argv[1]
ws = json.load(open(path))
for i, u in enumerate(ws.get("users", [])):
    u["roles"] = [["Agent", "Supervisor", "Back office", "Agent", "Agent"][i % 5]]
rules = []
for i in range(50):
    k = i % 5
    if k == 0:
        r = {"match": {"role": "Agent", "workgroup": f"WG-{i * 40:04d}"}, "grant": {"licenses": ["I3_ACCESS_CLIENT"], "acd": {}}}
    elif k == 1:
        r = {"match": {"role": "Supervisor"}, "grant": {"licenses": ["I3_ACCESS_SYSTEM_STATUS_SUPERVISOR_PLUGIN"]}}
    elif k == 2:
        r = {"match": {"id_pattern": f"user0{i:02d}*"}, "grant": {"licenses": ["I3_ACCESS_FEEDBACK"]}}
    elif k == 3:
        r = {"match": {"station_type": "workstation", "id_pattern": f"*{i:02d}"}, "grant": {"licenses": ["I3_LICENSE_BASIC_STATION"]}}
    else:
        r = {"match": {"workgroup": f"WG-{i * 30:04d}"}, "grant": {"licenses": ["I3_ACCESS_CLIENT"]}}
    rules.append({"name": f"p{i}", **r})
ws["policies"] = rules
json.dump(ws, open(path, "w"))
PY
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
load() { cut -d' ' -f1-3 /proc/loadavg; }
shot() { import -window root "$OUT/$1.png" 2>/dev/null || true; }
step() { mark "$1"; }

# Navigation tree, 1400×900 at 100 %.
declare -A NAV=(
  [license]="40 63" [allocation]="40 86" [users]="50 132" [workgroups]="50 155" [roles]="50 178"
  [stations]="40 201" [statistics]="40 224" [enforcement]="40 247" [usage]="40 270" [history]="40 293"
  [cloud]="40 316" [changelog]="40 339" [policies]="40 362" [reclaim]="40 385" [account]="40 408"
)
nav() { read -r x y <<<"${NAV[$1]}"; click "$x" "$y"; }

# In the views, 1400×900 at 100 %.
USERS_NAME_HEADER="306 95"     # Users › the Name column's header
USERS_SEARCH="357 67"          # Users › Search
USERS_ROW="214 144"            # Users › the second row
USERS_ASSIGN="702 67"          # Users › Assign license…
FILE_MENU="19 12"
FILE_OPEN_EVENTS="59 264"      # File › Open Events…
POLICIES_APPLY="226 412"       # Policies › Apply policies (the rules scroll above it)
RECLAIM_APPLY="239 171"        # Reclaim Licenses › Apply suggestions
STATS_TO_END="361 99"          # License Statistics › To end
at() { read -r x y <<<"$1"; click "$x" "$y"; }

LOAD_START=$(load)
step open
HOME=$OUT/home XDG_CONFIG_HOME=$OUT/home/.config XDG_DATA_HOME=$OUT/home/.local/share \
  IA_LICENSING_DATA_DIR=$OUT/data IA_LICENSING_FRAME_LOG=$OUT/frames.tsv \
  "$BIN" gui "$OUT/license.I3Lic" --workspace "$OUT/session.ialws" >"$OUT/gui.log" 2>&1 &
APP=$!
WINDOW=$(xdotool search --sync --name "Interaction Administrator|ia-licensing" | head -1)
settle 120
xdotool windowfocus --sync "$WINDOW"
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
at "$USERS_NAME_HEADER"; settle 60
step "filter users"
at "$USERS_SEARCH"; xdotool type --delay 50 "ruiz"; settle 60
key ctrl+a BackSpace; settle 60
step "select all users"
# The row takes the keyboard from the search field first, then Ctrl+A.
at "$USERS_ROW"; settle 10; key ctrl+a; settle 60; shot select-all
step "bulk preview"
at "$USERS_ASSIGN"; settle 60; shot bulk-preview
step "bulk confirm"
key Return; settle 120; shot bulk-confirm
step "bulk apply"
key Return; settle 120; shot bulk-applied
step "bulk undo"
key ctrl+z; settle 120

# --- Policies, events, Reclaim, Statistics, Usage History --------------------
step "policies preview"
nav policies; settle 60; shot policies-preview
step "policies confirm"
at "$POLICIES_APPLY"; settle 120; shot policies-confirm
step "policies apply"
key Return; settle 120; shot policies-applied
step "policies undo"
key ctrl+z; settle 120
step "open events"
at "$FILE_MENU"; sleep 0.5; at "$FILE_OPEN_EVENTS"; sleep 0.5
xdotool type --delay 5 "$OUT/events.json"; key Return; settle 120; shot events
step "statistics to end"
nav statistics; settle 30
at "$STATS_TO_END"; settle 120; shot statistics-end
step "reclaim open"
nav reclaim; settle 120; shot reclaim
step "reclaim confirm"
at "$RECLAIM_APPLY"; settle 120; shot reclaim-confirm
step "reclaim apply"
key Return; settle 120; shot reclaim-applied
step "reclaim undo"
key ctrl+z; settle 120
step "usage history"
nav history; settle 120; shot history

step "save"
key ctrl+s; settle 120
step "quit"
quit_at=$(now_ms)
key ctrl+q
# Gone, or a zombie (exited, not yet reaped).
for _ in $(seq 1 400); do
  state=$(awk '{print $3}' "/proc/$APP/stat" 2>/dev/null || echo gone)
  [[ $state == gone || $state == Z ]] && break
  sleep 0.005
done
exit_ms=$(($(now_ms) - quit_at))
wait "$APP" 2>/dev/null || true
APP=
mark end
LOAD_END=$(load)

# --- table ------------------------------------------------------------------
echo "load average at the start: $LOAD_START; at the end: $LOAD_END ($(nproc) cores)"
python3 - "$OUT/frames.tsv" "$OUT/marks.tsv" "$exit_ms" "$quit_at" <<'PY'
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
exit_ms, quit_at = int(sys.argv[3]), int(sys.argv[4])
quit_frames = [int(f[0]) for f in frames if len(f) > 3 and "Quit" in f[3] and int(f[0]) >= quit_at]
print(f"exit after Ctrl+Q: {exit_ms} ms", end="")
if quit_frames:
    # The key reaches the app's frame after the frame being drawn then.
    print(f" ({quit_frames[-1] - quit_at} ms until the app's Quit frame, {quit_at + exit_ms - quit_frames[-1]} ms from it)")
else:
    print()
PY
