"""What the device shows, as ``screencap`` returns it (Pillow draws; PNG or raw RGBA)."""

from __future__ import annotations

import io
import struct
from typing import TYPE_CHECKING, Callable, Protocol

from PIL import Image, ImageDraw

from firebridge.virtual.fireos.models import DeviceModel

if TYPE_CHECKING:
    from firebridge.virtual.fireos.views import Node

Painter = Callable[[ImageDraw.ImageDraw, tuple[int, int]], None]
BACKGROUND = (18, 24, 33)
PIXEL_FORMAT_RGBA_8888 = 1


class ScreenHost(Protocol):
    """What the screen needs from its device: the model (its screen size, name and Android version)."""

    @property
    def model(self) -> DeviceModel: ...


class Screen:
    """Renders the current frame; whoever owns the foreground installs a painter."""

    def __init__(self, device: ScreenHost) -> None:
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


FOCUS = (255, 153, 0)
TEXT = (235, 235, 235)
TILE = (44, 56, 72)


def paint_tree(draw: ImageDraw.ImageDraw, root: "Node") -> None:
    """Draw a view tree: tiles for focusable or titled nodes, their text, an orange focus ring."""
    for node in root.walk():
        left, top, right, bottom = node.bounds
        if right <= left or bottom <= top:
            continue  # off-screen or degenerate (real dumps have those too)
        label = node.text or node.content_desc
        if node.focusable or node.checkable:
            draw.rectangle((left, top, right, bottom), fill=TILE)
        if node.checkable:
            box = (right - 48, top + (bottom - top) // 2 - 12, right - 24, top + (bottom - top) // 2 + 12)
            draw.rectangle(box, outline=TEXT, width=2, fill=FOCUS if node.checked else None)
        if label and (node.focusable or node.text):
            draw.text((left + 12, top + 10), label[:60], fill=TEXT)
        if node.focused:
            draw.rectangle((left - 3, top - 3, right + 3, bottom + 3), outline=FOCUS, width=5)
