"""View-building helpers for Reference TV's screens (pure): ids, text, buttons, a focus ring."""

from __future__ import annotations

from firebridge.virtual.fireos.views import Bounds, Node
from firebridge.virtual.reference.focus import Focus as FocusList  # the shared focus model

PACKAGE = "com.firebridge.reference"
SCREEN = (0, 0, 1920, 1080)


def rid(name: str) -> str:
    """A resource id of this app: ``com.firebridge.reference:id/NAME``."""
    return f"{PACKAGE}:id/{name}"


def root(name: str, *children: Node) -> Node:
    return Node(cls="android.widget.FrameLayout", bounds=SCREEN, resource_id=rid(name)).add(*children)


def text(name: str, value: str, bounds: Bounds, desc: str = "") -> Node:
    return Node(cls="android.widget.TextView", bounds=bounds, text=value, resource_id=rid(name), content_desc=desc)


def button(name: str, label: str, bounds: Bounds, focused: bool, enabled: bool = True,
           selected: bool = False) -> Node:
    return Node(cls="android.widget.Button", bounds=bounds, text=label, resource_id=rid(name), clickable=True,
                focusable=True, focused=focused, enabled=enabled, selected=selected)


def edit(name: str, value: str, hint: str, bounds: Bounds, focused: bool, password: bool = False) -> Node:
    shown = "•" * len(value) if password else value
    return Node(cls="android.widget.EditText", bounds=bounds, text=shown or hint, resource_id=rid(name),
                clickable=True, focusable=True, focused=focused, password=password, long_clickable=True)


def row_of_buttons(top: int, left: int, width: int, height: int = 72, gap: int = 24) -> list[Bounds]:
    """Bounds for buttons laid out left to right (enough for a detail page's actions)."""
    return [(left + i * (width + gap), top, left + i * (width + gap) + width, top + height) for i in range(16)]


def clock_text(ms: int) -> str:
    """``1:02:03`` for positions and durations."""
    seconds = max(0, ms) // 1000
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
