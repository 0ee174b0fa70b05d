#!/usr/bin/env bash
# Runs each fuzz target for a fixed time (default 600 s each), on the nightly
# toolchain with cargo-fuzz (cargo install cargo-fuzz). Not part of CI's
# default path. A crash leaves its input in fuzz/artifacts/TARGET/: turn it
# into a regression test in tests/ (see docs/testing.md).
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds=${FUZZ_SECONDS:-600}
targets=${*:-license workspace csv events journal session account history site_icws site_registry cloud}
for t in $targets; do
  echo "== fuzz $t for ${seconds}s"
  mkdir -p "corpus/$t" && cp -n seeds/"$t"/* "corpus/$t"/ 2>/dev/null || true
  cargo +nightly fuzz run "$t" "corpus/$t" -- -max_total_time="$seconds" -rss_limit_mb=4096 -max_len=65536
done
