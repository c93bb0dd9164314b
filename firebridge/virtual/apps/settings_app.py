"""Fire TV Settings, com.amazon.tv.settings.v2 — STUB (issue 3, item 3)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..system import VirtualDevice


def install(device: "VirtualDevice") -> None:
    """Installs nothing yet; the system package entry already exists."""
