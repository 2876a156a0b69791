#!/usr/bin/env bash
# Remakes the fixtures of this folder (see README.md): vips 8.14 CLI (Debian 12: libvips-tools),
# python3 and a JDK (javac, jshell). Run from anywhere; writes next to this script.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The tests' own Display P3 profile, byte for byte (io.imgpress.processing.IccProfiles).
javac -d "$work" ../../java/io/imgpress/processing/IccProfiles.java
echo 'java.nio.file.Files.write(java.nio.file.Path.of(System.getenv("OUT")),
  io.imgpress.processing.IccProfiles.rgb(io.imgpress.processing.IccProfiles.DISPLAY_P3,
  "Display P3"));' | OUT="$work/p3.icc" jshell -q --class-path "$work" -

# 16x16 RGB (200,60,60) tagged with that profile, as a PNG with an iCCP chunk.
python3 - "$work/p3.icc" "$work/p3.png" <<'PY'
import struct, sys, zlib
icc, out = open(sys.argv[1], 'rb').read(), sys.argv[2]
def chunk(kind, data):
    return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data))
rows = b''.join(b'\0' + bytes([200, 60, 60]) * 16 for _ in range(16))
png = (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', 16, 16, 8, 2, 0, 0, 0))
       + chunk(b'iCCP', b'Display P3\0\0' + zlib.compress(icc))
       + chunk(b'IDAT', zlib.compress(rows)) + chunk(b'IEND', b''))
open(out, 'wb').write(png)
PY

# 32x16: left half red (220,40,40), right half blue (40,40,220).
vips black "$work/z.v" 16 16 --bands 3
vips linear "$work/z.v" "$work/red.v" "1 1 1" "220 40 40" --uchar
vips linear "$work/z.v" "$work/blue.v" "1 1 1" "40 40 220" --uchar
vips join "$work/red.v" "$work/blue.v" "$work/halves.v" horizontal
# 16x16 with alpha: left half opaque (0,200,0), right half fully transparent.
vips black "$work/z4.v" 8 16 --bands 4
vips linear "$work/z4.v" "$work/opaque.v" "1 1 1 1" "0 200 0 255" --uchar
vips linear "$work/z4.v" "$work/clear.v" "1 1 1 1" "0 0 255 0" --uchar
vips join "$work/opaque.v" "$work/clear.v" "$work/rgba.v" horizontal
vips copy "$work/rgba.v" "$work/alpha.v" --interpretation srgb
# Two 16x16 pages, red then blue, one above the other.
vips join "$work/red.v" "$work/blue.v" "$work/pages.v" vertical

for ext in heic avif jxl jp2; do
  vips copy "$work/halves.v" "halves.$ext[lossless]"
done
for ext in heic avif jxl; do
  vips copy "$work/p3.png" "p3.$ext[lossless]"
done
for ext in heic avif jxl; do
  vips copy "$work/alpha.v" "alpha.$ext[lossless]"
done
vips heifsave "$work/pages.v" two-images.heic --page-height 16 --lossless
vips heifsave "$work/pages.v" two-images.avif --page-height 16 --lossless --compression av1

# HEIF orientation: libheif applies the file's own transformations (irot, imir) and libvips then
# drops any EXIF orientation, which HEIF readers ignore. exif6.heic: halves with an EXIF
# orientation of 6 (carried over from a JPEG) and no irot; rotated.heic: the same file with an
# irot of a quarter turn clockwise added to the primary image by add-irot.py, as phones write
# both.
vips copy "$work/halves.v" "$work/halves.jpg[Q=95]"
python3 - "$work/halves.jpg" "$work/exif6.jpg" <<'PY'
import struct, sys
tiff = b'MM\0\x2a' + struct.pack('>IHHHIHHI', 8, 1, 0x0112, 3, 1, 6, 0, 0)
app1 = b'Exif\0\0' + tiff
jpeg = open(sys.argv[1], 'rb').read()
open(sys.argv[2], 'wb').write(jpeg[:2] + b'\xff\xe1' + struct.pack('>H', len(app1) + 2) + app1 + jpeg[2:])
PY
vips copy "$work/exif6.jpg" "exif6.heic[lossless]"
python3 add-irot.py exif6.heic rotated.heic 3

# The raw JPEG 2000 codestream: the payload of halves.jp2's jp2c box.
python3 - halves.jp2 halves.j2k <<'PY'
import struct, sys
data, at = open(sys.argv[1], 'rb').read(), 0
while at < len(data):
    size, kind = struct.unpack('>I4s', data[at:at + 8])
    if kind == b'jp2c':
        open(sys.argv[2], 'wb').write(data[at + 8:at + size if size else len(data)])
        break
    at += size
PY
