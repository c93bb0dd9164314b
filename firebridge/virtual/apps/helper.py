"""The PMR helper app com.firebridge.helper (posts recommendation notifications) — STUB (issue 3, item 8)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..system import VirtualDevice


def install(device: "VirtualDevice") -> None:
    """Installs nothing yet."""
