"""Timing profiles of the virtual devices: ``fast`` (the developer loop) or ``hardware`` (as slow as a real device).

One notion for every personality: a profile is frozen data naming device-time costs; each OS has its own table
of them (Fire OS: :mod:`firebridge.virtual.fireos.timing`, Vega OS: :mod:`firebridge.virtual.vega.timing`), since
the slow things differ (a Java VM per ``input`` call on Fire OS, an ``inputd-cli`` process and a key hold on
Vega). Costs are device seconds: :func:`take` waits them on the device clock, so ``--speed`` divides them like
every other device delay. Every hardware value in a table names its public source or is marked ASSUMPTION with
how to settle it (docs/timing.md lists the sources).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Mapping, TypeVar

from firebridge.virtual.clock import DeviceClock

__all__ = ["PROFILES", "TimingProfile", "pick", "take"]

#: The profile names every personality offers (``firebridge virtual --timing``, pytest ``--virtual-timing``).
PROFILES = ("fast", "hardware")


@dataclass(frozen=True)
class TimingProfile:
    """What every timing profile has; a personality's table adds its own per-call costs."""

    name: str
    #: Background log lines per device second (other apps and services talking), 0 = none.
    log_chatter_per_second: float = 0.0

    @property
    def is_fast(self) -> bool:
        """The developer loop: every cost is zero and nothing happens on its own."""
        return self.name == "fast"


T = TypeVar("T", bound=TimingProfile)


def pick(name: str | T, table: Mapping[str, T]) -> T:
    """The profile called ``name`` in ``table`` (a profile passes through); ValueError naming the choices."""
    if isinstance(name, TimingProfile):
        return name  # type: ignore[return-value]
    try:
        return table[name.strip().lower()]
    except (KeyError, AttributeError):
        raise ValueError(f"unknown timing {name!r}; choose one of: {', '.join(table)}") from None


async def take(clock: DeviceClock, device_seconds: float) -> None:
    """Take ``device_seconds`` of device time, as a slow device does (nothing for zero)."""
    if device_seconds > 0:
        await asyncio.sleep(clock.real_seconds(device_seconds))
