"""Free space on a device partition, as drivers report it (``Driver.free_storage``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DiskSpace:
    """One ``df`` line, in KiB."""

    mount: str
    size_kb: int
    used_kb: int
    available_kb: int

    @property
    def available_mb(self) -> int:
        return self.available_kb // 1024
