"""The reference streaming app (the app under test on the virtual device) — STUB (issue 3, items 6-7)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..system import VirtualDevice


def install(device: "VirtualDevice") -> None:
    """Installs nothing yet."""
