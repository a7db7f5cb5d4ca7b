#!/usr/bin/env python3
"""Draws Tandem's PNG icons and favicon.ico (two rings on teal) with the standard library only,
so no image tool is needed on a fresh machine. Run once; the outputs are committed in public/."""
import math, struct, zlib, sys, os

def ring_png(size):
    bg, fg = (0x1f, 0x4f, 0x5c), (0xff, 0xff, 0xff)
    r, w = size * 7 / 32, size * 2.6 / 32
    centres = [(size * 12 / 32, size / 2), (size * 20 / 32, size / 2)]
    rows = []
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            px, py = x + 0.5, y + 0.5
            on = any(abs(math.hypot(px - cx, py - cy) - r) <= w / 2 for cx, cy in centres)
            row += bytes(fg if on else bg)
        rows.append(bytes(row))
    raw = b"".join(rows)
    def chunk(kind, data):
        c = struct.pack(">I", len(data)) + kind + data
        return c + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))

def ico(png, size):
    header = struct.pack("<HHH", 0, 1, 1)
    entry = struct.pack("<BBBBHHII", size, size, 0, 0, 1, 32, len(png), 6 + 16)
    return header + entry + png

out = sys.argv[1] if len(sys.argv) > 1 else "public"
for s in (192, 512):
    open(os.path.join(out, f"icon-{s}.png"), "wb").write(ring_png(s))
open(os.path.join(out, "favicon.ico"), "wb").write(ico(ring_png(32), 32))
