"""Waiting on a condition with a timeout, and saying what was seen when it expires."""

from __future__ import annotations

import time
from typing import Callable, TypeVar

T = TypeVar("T")


class WaitTimeout(TimeoutError):
    """A condition did not hold in time; the message says what was awaited and what was seen last."""


def wait_until(condition: Callable[[], T], timeout: float, what: str, interval: float = 0.05,
               describe: Callable[[], str] | None = None) -> T:
    """Poll ``condition`` until it returns something truthy; return that value.

    On timeout raise :class:`WaitTimeout` naming ``what`` and, if given, ``describe()`` (the last
    state seen). Polling is the only way to observe a remote device; ``interval`` bounds its cost.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            seen = f"; last seen: {describe()}" if describe else ""
            raise WaitTimeout(f"timed out after {timeout:g} s waiting for {what}{seen}")
        time.sleep(interval)
