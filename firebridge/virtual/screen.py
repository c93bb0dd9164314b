"""What the device shows, as ``screencap`` returns it (Pillow draws; PNG or raw RGBA)."""

from __future__ import annotations

import io
import struct
from typing import TYPE_CHECKING, Callable

from PIL import Image, ImageDraw

if TYPE_CHECKING:
    from .system import VirtualDevice

Painter = Callable[[ImageDraw.ImageDraw, tuple[int, int]], None]
BACKGROUND = (18, 24, 33)
PIXEL_FORMAT_RGBA_8888 = 1


class Screen:
    """Renders the current frame; whoever owns the foreground installs a painter."""

    def __init__(self, device: "VirtualDevice") -> None:
        self.device = device
        self.painter: Painter | None = None

    def render(self) -> Image.Image:
        size = self.device.model.screen
        image = Image.new("RGB", size, BACKGROUND)
        draw = ImageDraw.Draw(image)
        if self.painter is not None:
            self.painter(draw, size)
        else:
            draw.text((96, 64), "fire tv", fill=(255, 153, 0))
            draw.text((96, 96), f"{self.device.model.marketing_name}", fill=(220, 220, 220))
        return image

    def capture(self, png: bool) -> bytes:
        """The frame as PNG bytes, or as screencap's raw header + RGBA pixels."""
        image = self.render()
        if png:
            out = io.BytesIO()
            image.save(out, format="PNG", compress_level=1)
            return out.getvalue()
        width, height = image.size
        header = struct.pack("<III", width, height, PIXEL_FORMAT_RGBA_8888)
        if self.device.model.sdk >= 28:  # Android 9 added the dataspace word
            header += struct.pack("<I", 0)
        return header + image.convert("RGBA").tobytes()
