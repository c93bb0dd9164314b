"""Moved: the launcher is bridge-side now, ``firebridge.adb.virtual_process`` (kept so old imports work)."""

from firebridge.adb.virtual_process import VirtualFireTVProcess

__all__ = ["VirtualFireTVProcess"]
