#!/usr/bin/env bash
# Makes the desktop icons from assets/icon.png (64x64, flat colours) in the
# sizes a desktop asks for, under the freedesktop icon theme layout the
# Debian package installs (assets/icons/hicolor/NxN/apps/ia-licensing.png),
# and the Windows installer's icon from them (packaging/windows/ia-licensing.ico).
# Larger sizes are whole multiples of 64 drawn with the point filter, so the
# edges stay sharp; smaller ones are averaged (box) so the letter stays
# legible. The PNGs are committed: packaging needs no ImageMagick.
#
#   scripts/make-icons.sh        # needs ImageMagick's convert
set -euo pipefail
cd "$(dirname "$0")/.."
for size in 16 22 24 32 48 64 128 256; do
  dir=assets/icons/hicolor/${size}x${size}/apps
  mkdir -p "$dir"
  if [ "$size" -ge 64 ]; then filter=point; else filter=box; fi
  # -strip and no time chunks: the same input gives the same bytes.
  convert assets/icon.png -filter "$filter" -resize "${size}x${size}" -strip \
    -define png:exclude-chunks=date,time "PNG32:$dir/ia-licensing.png"
done
echo "wrote assets/icons/hicolor/{16..256}/apps/ia-licensing.png"
# Windows' icon (the MSI's shortcut, file types and Add/Remove Programs):
# one .ico holding the sizes Explorer asks for, made from the PNGs above.
sizes=()
for size in 16 24 32 48 64 128 256; do
  sizes+=("assets/icons/hicolor/${size}x${size}/apps/ia-licensing.png")
done
convert "${sizes[@]}" -strip packaging/windows/ia-licensing.ico
echo "wrote packaging/windows/ia-licensing.ico (16 to 256)"
