"""The virtual Fire TV: a device the real adb server accepts, for CI and laptops without hardware."""

from .adbd import AuthMode
from .server import VirtualFireTV

__all__ = ["AuthMode", "VirtualFireTV"]
