"""The Content Personalization service's lines in a test's log tail (what test_triggers.py,
test_consent.py and test_pmr_row.py read): marks, waits, rejections, and short descriptions for
failure messages. Uses only public firebridge modules, so it works on hardware as it does here."""

from __future__ import annotations

import itertools
import re
import time

from firebridge.device.firetv import FireTV
from firebridge.driver.protocol import Driver
from firebridge.device.logs import LogTail
from firebridge.capabilities.personalization import CpMessage, parse_cp_line
from firebridge.waiting import WaitTimeout, wait_until

from .device_clock import DeviceClock

# How long the Content Personalization service may take to log a call it was handed, in device
# seconds. ASSUMPTION: a real service logs within a second or two of the binder call; the virtual
# one logs at once. A check that something was NOT shared waits this long before it concludes.
CP_SETTLE_DEVICE_S = 2.0
# How long to wait (real seconds) for an expected service line after the step that should cause it.
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


class ServiceLog:
    """The Content Personalization service's lines in this test's log tail.

    Amazon's service line (``...VegaAlbertoBinderService <Kind>VegaMessage → k: v, ...``) is what a
    real Fire TV logs for any app, so checks read it rather than an app's own debug lines. It names
    no package: a test attributes lines by the moment they appear (after a mark) and, where that is
    not enough, by the CDF ids of the app's own catalog (see :meth:`naming`).
    """

    def __init__(self, logs: LogTail, firetv: FireTV) -> None:
        self.logs = logs
        self.firetv = firetv

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

    def messages(self, since: int) -> list[CpMessage]:
        """Every service message logged after ``since`` (refusals included, ``status='rejected'``)."""
        out = []
        for line in self.logs.lines(since):
            message = parse_cp_line(line)
            if message is not None:
                out.append(message)
        return out

    def wait_for(self, predicate, since: int, timeout: float = CP_WAIT_S) -> CpMessage | None:
        """The first message after ``since`` that satisfies ``predicate``, or None after ``timeout``."""
        def found():
            return next((m for m in self.messages(since) if predicate(m)), None)
        try:
            return wait_until(found, timeout, "a Content Personalization service line", interval=0.05)
        except WaitTimeout:
            return None

    def settle(self, device_clock: DeviceClock) -> None:
        """Let the service log what it was handed (CP_SETTLE_DEVICE_S of device time), then make sure
        the tail has read everything logged so far (:meth:`sync`)."""
        device_clock.wait_device_seconds(CP_SETTLE_DEVICE_S, timeout=30)
        self.sync()

    @staticmethod
    def naming(messages: list[CpMessage], content_ids: set[str]) -> list[CpMessage]:
        """The messages that name one of ``content_ids`` (``content_id id`` or a refresh's list)."""
        out = []
        for message in messages:
            named = {message.get("content_id.id") or ""} | set(message.items("content_ids") or [])
            if named & content_ids:
                out.append(message)
        return out

    def rejections(self, since: int, package: str) -> list[CpMessage]:
        """Calls the service refused from ``package`` (``<Kind> rejected → reason: ..., package : P``)."""
        return [m for m in self.messages(since) if m.status == "rejected" and m.get("package") == package]


def describe_messages(messages: list[CpMessage], limit: int = 6) -> str:
    """A short list of service messages for a failure message."""
    if not messages:
        return "nothing"
    shown = []
    for m in messages[:limit]:
        parts = [m.kind + (f" {m.status}" if m.status else "")]
        for key in ("operation", "list_type", "content_id.id", "content_ids", "interaction_type",
                    "entitlement_type", "playback_state", "reason"):
            if key in m.fields:
                parts.append(f"{key}={m.fields[key]}")
        shown.append(" ".join(parts))
    more = f" (+{len(messages) - limit} more)" if len(messages) > limit else ""
    return "; ".join(shown) + more
