"""Process ids on a virtual device, so that log lines carry stable, realistic PIDs per process."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Callable


@dataclass
class ProcessTable:
    """Process ids, so that log lines carry stable, realistic PIDs per process."""

    _next: Callable[[], int] = field(default_factory=lambda: itertools.count(2000).__next__)
    by_name: dict[str, int] = field(default_factory=dict)

    def allocate(self) -> int:
        return self._next()

    def pid_of(self, name: str) -> int:
        if name not in self.by_name:
            self.by_name[name] = self.allocate()
        return self.by_name[name]
