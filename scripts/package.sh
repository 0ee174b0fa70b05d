#!/usr/bin/env bash
# Builds the Debian package of ia-licensing with cargo-deb (the metadata is
# [package.metadata.deb] in Cargo.toml): the binary, the desktop entry and
# its icons, the MIME types of .I3Lic, .ialws and .ialacct, a man page per
# command and bash, zsh and fish completions (written by the binary itself,
# `ia-licensing package-files`, so they match its command line), and the
# docs. Prints the path of the .deb (under target/debian/).
#
#   scripts/package.sh                # from the release build (what ships;
#                                     # built here if it is not, else reused)
#   PROFILE=dev scripts/package.sh    # from a debug build
#   PROFILE=dev REUSE_BINARY=1 scripts/package.sh
#       # the debug binary already there, unbuilt: CI's install test packages
#       # the one `cargo test` built (its only difference, the test-hooks
#       # feature, is a switch only the tests' own process sets)
#
# Needs cargo-deb (`cargo install cargo-deb --locked`); scripts/check-package.sh
# installs the result, starts it and removes it again.
set -euo pipefail
cd "$(dirname "$0")/.."
PROFILE=${PROFILE:-release}
TARGET_DIR=${CARGO_TARGET_DIR:-target}

case $PROFILE in
  release) BIN=$TARGET_DIR/release/ia-licensing; build=(cargo build --release --locked); deb_profile=release ;;
  dev) BIN=$TARGET_DIR/debug/ia-licensing; build=(cargo build --locked); deb_profile=debian-dev ;;
  *) echo "PROFILE must be release or dev, not $PROFILE" >&2; exit 2 ;;
esac
if [[ ${REUSE_BINARY:-0} == 1 ]]; then
  [[ -x $BIN ]] || { echo "no $BIN to reuse; build it first" >&2; exit 1; }
else
  "${build[@]}"
fi
if ! cargo deb --version >/dev/null 2>&1; then
  echo "cargo-deb is not installed: cargo install cargo-deb --locked" >&2
  exit 1
fi

# Man pages and completions from the binary being packaged.
rm -rf packaging/generated
"$BIN" package-files -o packaging/generated
gzip -9n packaging/generated/man/*.1

# --no-build: the binary above is the one packaged (cargo-deb would build
# its own); it strips the debug information either way. cargo-deb takes
# no dev profile, so a debug binary goes in through [profile.debian-dev]'s
# folder.
if [[ $deb_profile != release ]]; then
  mkdir -p "$TARGET_DIR/$deb_profile"
  cp "$BIN" "$TARGET_DIR/$deb_profile/ia-licensing"
fi
cargo deb --no-build --profile "$deb_profile" --locked 2>&1 | tee "$TARGET_DIR/cargo-deb.log" >&2
deb=$(ls -t "$TARGET_DIR"/debian/ia-licensing_*.deb | head -1)
echo "$deb"
