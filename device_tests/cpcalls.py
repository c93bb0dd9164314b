"""The Content Personalization calls in a test's log tail, from the platform's evidence source (what
test_triggers.py, test_consent.py and the playback tests read): marks, waits, refusals, attribution.

Which lines are evidence is the platform's business (:mod:`firebridge.capabilities.cpevidence`): on
Vega OS the data service's journal line (seed 002), on Fire OS the app's own line that the app profile
names (``log_patterns``). A test asks for a call and gets a :class:`~firebridge.capabilities.cpevidence.CpCall`
either way; where the profile gives no pattern for a call, :meth:`CpCalls.missing` says which key to add
and the test skips that check. Uses only public firebridge modules, so it works on hardware as here.
"""

from __future__ import annotations

import itertools
import re
import time
from typing import Callable

from firebridge.capabilities.apps import AppProfile
from firebridge.capabilities.cpevidence import CpCall, CpEvidence, attributed, evidence_for, parse_calls
from firebridge.device.firetv import FireTV
from firebridge.device.logs import LogTail
from firebridge.driver.protocol import Driver
from firebridge.waiting import WaitTimeout, wait_until

from .device_clock import DeviceClock

# How long the app and the Content Personalization service may take to log a call, in device seconds.
# ASSUMPTION: a real device logs within a second or two of the call; the virtual one logs at once. A
# check that something was NOT shared waits this long before it concludes.
CP_SETTLE_DEVICE_S = 2.0
# How long to wait (real seconds) for an expected call after the step that should cause it.
CP_WAIT_S = 5.0
_MARKS = itertools.count(1)


def sync_mark(logs: LogTail, driver: Driver) -> int:
    """Write a marker line into the device log, wait for the tail to read it, and return the offset just
    after it: everything the device logged before the marker is then in the tail, anything after is new."""
    marker = f"firebridge sync {next(_MARKS)} {time.monotonic_ns()}"
    since = logs.mark()
    driver.log_marker("firebridge", marker)
    match = logs.wait_for(re.escape(marker) + r".*\n", since=since, timeout=10)
    return since + match.end()


class CpCalls:
    """The Content Personalization calls this test's log shows, read through ``evidence``.

    A service line (Vega) names no package: a test attributes it by the moment it appears (after a
    mark) and, where that is not enough, by the CDF ids of the app's own catalog (:meth:`attributed`).
    An app's own line (Fire OS) is the app's whatever it names.
    """

    def __init__(self, logs: LogTail, firetv: FireTV, evidence: CpEvidence) -> None:
        self.logs = logs
        self.firetv = firetv
        self.evidence = evidence

    @classmethod
    def for_device(cls, logs: LogTail, firetv: FireTV, profile: AppProfile) -> "CpCalls":
        """The evidence source of this device's platform, for the app of ``profile``."""
        return cls(logs, firetv, evidence_for(firetv.driver.platform, profile))

    @property
    def description(self) -> str:
        return self.evidence.description

    def missing(self, *calls: str) -> str | None:
        """Why the evidence cannot show one of ``calls`` (a skip reason naming the profile key), or None."""
        reasons = [reason for call in calls if (reason := self.evidence.missing(call))]
        return "; ".join(reasons) or None

    def source_of(self, call: str) -> str:
        return self.evidence.source_of(call)

    def mark(self) -> int:
        """A point in the log after everything the device has logged so far; later calls look only
        at what is logged after it. (The tail's own ``mark()`` is only as far as the tail has read,
        and adb delivers lines a moment after the device writes them: a line written before the
        mark could otherwise be read after it.) See :meth:`sync`."""
        return self.sync()

    def sync(self) -> int:
        """Write a marker line into the device log (the driver's ``log_marker``), wait for the tail to read it,
        and return the offset just after it: everything logged before is then in the tail."""
        return sync_mark(self.logs, self.firetv.driver)

    def calls(self, since: int) -> list[CpCall]:
        """Every call logged after ``since`` (refused ones included, ``refused`` set)."""
        return parse_calls(self.evidence, self.logs.lines(since, complete=True))

    def wait_for(self, predicate: Callable[[CpCall], bool], since: int, timeout: float = CP_WAIT_S) -> CpCall | None:
        """The first call after ``since`` that satisfies ``predicate``, or None after ``timeout``."""
        def found():
            return next((c for c in self.calls(since) if predicate(c)), None)
        try:
            return wait_until(found, timeout, "a Content Personalization call in the log", interval=0.05)
        except WaitTimeout:
            return None

    def settle(self, device_clock: DeviceClock) -> None:
        """Let the device log what it was handed (CP_SETTLE_DEVICE_S of device time), then make sure
        the tail has read everything logged so far (:meth:`sync`)."""
        device_clock.wait_device_seconds(CP_SETTLE_DEVICE_S, timeout=30)
        self.sync()

    @staticmethod
    def attributed(calls: list[CpCall], profile: AppProfile) -> list[CpCall]:
        """The calls that are the app's (its own lines, its titles, refusals naming its package)."""
        return attributed(calls, profile.package, set(profile.catalog))

    def refusals(self, since: int, package: str) -> list[CpCall]:
        """Calls of ``package`` that were refused (the service's refusal line, or the app's ``call_failed``)."""
        return [c for c in self.calls(since) if c.refused is not None and (c.own or c.package == package)]
