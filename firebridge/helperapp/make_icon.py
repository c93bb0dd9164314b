"""Write res/drawable/ic_helper.png: the helper's 96x96 icon (white on transparent), stdlib only.

The PNG is committed; run ``python3 firebridge/helperapp/make_icon.py`` to regenerate it (same bytes).
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

SIZE = 96
ICON = Path(__file__).with_name("res") / "drawable" / "ic_helper.png"


def pixel(x: int, y: int) -> bytes:
    """A white ring with a play triangle inside (RGBA)."""
    cx = cy = (SIZE - 1) / 2
    r = ((x - cx) ** 2 + (y - cy) ** 2) ** 0.5
    ring = 38 <= r <= 46
    # a right-pointing triangle: left edge x=34, tip x=66, height 36 centred
    tri = 34 <= x <= 66 and abs(y - cy) <= (66 - x) * 18 / 32
    return b"\xff\xff\xff\xff" if ring or tri else b"\x00\x00\x00\x00"


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"".join(pixel(x, y) for x in range(SIZE)) for y in range(SIZE))
    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9))
            + chunk(b"IEND", b""))


if __name__ == "__main__":
    ICON.parent.mkdir(parents=True, exist_ok=True)
    ICON.write_bytes(png())
    print(ICON)
