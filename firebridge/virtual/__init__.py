"""The virtual Fire TV: a device the real adb server accepts, for CI and laptops without hardware."""

from firebridge.virtual.adbd.protocol import AuthMode
from firebridge.virtual.server import VirtualFireTV

__all__ = ["AuthMode", "VirtualFireTV"]
