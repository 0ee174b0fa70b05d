#!/usr/bin/env bash
# Starts the GUI under Xvfb with each renderer and with the first one made
# to fail on purpose, and checks that a window appears and that the log line
# names the renderer that drew it (src/ui/renderer.rs). CI runs it after the
# tests, on the binary they built.
#
#   scripts/smoke-window.sh [BINARY]     # default: target/debug/ia-licensing
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-${CARGO_TARGET_DIR:-target}/debug/ia-licensing}
DISPLAY_NUMBER=${DISPLAY_NUMBER:-93}
WORK=$(mktemp -d)
export DISPLAY=:$DISPLAY_NUMBER
Xvfb "$DISPLAY" -screen 0 1400x900x24 >/dev/null 2>&1 &
XVFB=$!
trap 'kill $XVFB 2>/dev/null || true; rm -rf "$WORK"' EXIT
sleep 1

# try NAME EXPECTED_LOG_TEXT ENV... -- ARGS...
try() {
  local name=$1 expect=$2
  shift 2
  local envs=()
  while [[ $1 != -- ]]; do envs+=("$1"); shift; done
  shift
  mkdir -p "$WORK/$name"
  env HOME="$WORK/$name" XDG_RUNTIME_DIR="$WORK/$name" IA_LICENSING_DATA_DIR="$WORK/$name/data" "${envs[@]}" \
    "$BIN" "$@" >"$WORK/$name.log" 2>&1 &
  local pid=$! found=
  for _ in $(seq 1 120); do
    if xdotool search --name "ia-licensing" >/dev/null 2>&1 && grep -q "Renderer:" "$WORK/$name.log"; then
      found=1
      break
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [[ -z $found ]] || ! grep -q "$expect" "$WORK/$name.log"; then
    echo "FAIL $name: no window, or the log does not say \"$expect\":"
    cat "$WORK/$name.log"
    exit 1
  fi
  echo "ok   $name: $(grep 'Renderer:' "$WORK/$name.log" | head -1)"
  sleep 1
}

try wgpu "Renderer: wgpu" -- --renderer wgpu
# glow names the OpenGL renderer and vendor before its version, as wgpu
# names its adapter (docs/rendering.md).
try glow "Renderer: glow (.*, .*, OpenGL [0-9]" -- --renderer glow
try env-glow "Renderer: glow (.*, OpenGL [0-9]" IA_LICENSING_RENDERER=glow --
try fallback "after wgpu did not start" IA_LICENSING_RENDERER_FAIL=wgpu --
