#!/usr/bin/env python3
# Adds an irot (rotation) property to the primary item of a HEIF file: angle * 90 degrees
# anticlockwise, as libheif applies it. Offsets into the file after the meta box move up.
import struct, sys
src, dst, angle = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = bytearray(open(src, 'rb').read())

def children(b, start, end):
    at = start
    while at < end:
        size, kind = struct.unpack('>I4s', b[at:at + 8])
        yield kind, at, size
        at += size

def find(b, start, end, kind):
    return next((at, size) for k, at, size in children(b, start, end) if k == kind)

meta_at, meta_size = find(data, 0, len(data), b'meta')
body = meta_at + 12  # meta is a full box
pitm_at, _ = find(data, body, meta_at + meta_size, b'pitm')
primary = struct.unpack('>H', data[pitm_at + 12:pitm_at + 14])[0]
iprp_at, iprp_size = find(data, body, meta_at + meta_size, b'iprp')
ipco_at, ipco_size = find(data, iprp_at + 8, iprp_at + iprp_size, b'ipco')
ipma_at, ipma_size = find(data, iprp_at + 8, iprp_at + iprp_size, b'ipma')
index = sum(1 for _ in children(data, ipco_at + 8, ipco_at + ipco_size)) + 1

# The association in ipma: find the primary item's entry.
version, flags = data[ipma_at + 8], int.from_bytes(data[ipma_at + 9:ipma_at + 12], 'big')
wide = flags & 1
at = ipma_at + 16
for _ in range(struct.unpack('>I', data[ipma_at + 12:ipma_at + 16])[0]):
    item = int.from_bytes(data[at:at + (4 if version else 2)], 'big')
    at += 4 if version else 2
    count = data[at]
    end = at + 1 + count * (2 if wide else 1)
    if item == primary:
        data[at] = count + 1
        assoc = struct.pack('>H', 0x8000 | index) if wide else bytes([0x80 | index])
        data[end:end] = assoc
        size = struct.unpack('>I', data[ipma_at:ipma_at + 4])[0]
        data[ipma_at:ipma_at + 4] = struct.pack('>I', size + len(assoc))
        break
    at = end
irot = struct.pack('>I4sB', 9, b'irot', angle & 3)
ipco_end = ipco_at + ipco_size
data[ipco_end:ipco_end] = irot  # ipco comes before ipma, so ipma moved up by 9: done after
delta = len(irot) + len(assoc)
for box_at in (ipco_at, iprp_at, meta_at):
    size = struct.unpack('>I', data[box_at:box_at + 4])[0]
    grow = len(irot) if box_at == ipco_at else delta
    data[box_at:box_at + 4] = struct.pack('>I', size + grow)

# iloc: shift file offsets (construction method 0) by delta.
iloc_at, _ = find(data, body, meta_at + meta_size + delta, b'iloc')
v = data[iloc_at + 8]
at = iloc_at + 12
offset_size, length_size = data[at] >> 4, data[at] & 15
base_size, index_size = data[at + 1] >> 4, (data[at + 1] & 15) if v >= 1 else 0
at += 2
n = int.from_bytes(data[at:at + (4 if v == 2 else 2)], 'big')
at += 4 if v == 2 else 2
def shift(pos, size):
    value = int.from_bytes(data[pos:pos + size], 'big')
    data[pos:pos + size] = (value + delta).to_bytes(size, 'big')
for _ in range(n):
    at += 4 if v == 2 else 2
    method = 0
    if v >= 1:
        method = int.from_bytes(data[at:at + 2], 'big') & 15
        at += 2
    at += 2  # data reference index
    base_pos = at
    at += base_size
    extents = int.from_bytes(data[at:at + 2], 'big')
    at += 2
    if method == 0 and base_size:
        shift(base_pos, base_size)
    for _ in range(extents):
        at += index_size
        if method == 0 and not base_size:
            shift(at, offset_size)
        at += offset_size + length_size
open(dst, 'wb').write(data)
