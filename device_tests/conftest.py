"""Shared fixtures of the regression suite: consent, the device clock, and the summary a person reads.

Everything here uses only firebridge's public fixtures (firetv, remote, home, privacy, logs, pmr, app)
and works unchanged on hardware with another app's profile (``--app PROFILE``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import pytest

from firebridge.device import FireTV


@dataclass
class Outcome:
    """One line of the summary: which scenario, what happened, on which device."""

    scenario: str
    outcome: str
    device: str


_OUTCOMES = pytest.StashKey[list]()


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_OUTCOMES] = []


@pytest.fixture
def scenario(request: pytest.FixtureRequest, firetv: FireTV):
    """Name this test's scenario for the summary: ``scenario("Title appears first in CW")``."""
    device = f"{firetv.model} {firetv.serial}"

    def name(text: str) -> None:
        request.node.user_properties.append(("scenario", text))
        request.node.stash[_SCENARIO] = Outcome(text, "", device)

    return name


_SCENARIO = pytest.StashKey[Outcome]()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    report = outcome.get_result()
    record = item.stash.get(_SCENARIO, None)
    if record is None or report.when != "call" and not (report.when == "setup" and report.outcome != "passed"):
        return
    first_line = ""
    if report.failed:
        first_line = str(report.longrepr.reprcrash.message if hasattr(report.longrepr, "reprcrash") else report.longrepr)
        first_line = first_line.splitlines()[0][:110] if first_line else "failed"
    text = {"passed": "PASS", "skipped": "SKIP", "failed": "FAIL"}[report.outcome]
    item.config.stash[_OUTCOMES].append(Outcome(record.scenario, f"{text} {first_line}".strip(), record.device))


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    outcomes: list[Outcome] = config.stash.get(_OUTCOMES, [])
    if not outcomes:
        return
    terminalreporter.section("Fire TV validation summary")
    width = max(len(o.scenario) for o in outcomes)
    for o in outcomes:
        terminalreporter.write_line(f"{o.scenario:<{width}}  {o.outcome:<6}  [{o.device}]")


class DeviceClock:
    """Time as the device sees it (``date``): waits for device-time spans work at any clock speed."""

    def __init__(self, firetv: FireTV) -> None:
        self.firetv = firetv

    def now_ms(self) -> int:
        # `date +%s` is in every toybox; sub-second formats are not on older Fire OS builds.
        return int(self.firetv.run("date +%s").strip()) * 1000

    def wait_device_seconds(self, seconds: float, timeout: float) -> None:
        """Return once ``seconds`` of device time have passed (polling the device; real ``timeout``)."""
        target = self.now_ms() + seconds * 1000
        deadline = time.monotonic() + timeout
        while self.now_ms() < target:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{seconds:g} device seconds did not pass within {timeout:g} s")
            time.sleep(0.05)  # polling the device's clock; there is nothing to wait on


@pytest.fixture
def device_clock(firetv: FireTV) -> DeviceClock:
    return DeviceClock(firetv)


@pytest.fixture
def continue_watching_consent(privacy):
    """Both consents on for this test (the original state is restored by the privacy fixture)."""
    privacy.enable_continue_watching()
    return privacy


# ==== triggers, consent and PMR helpers (test_triggers.py, test_consent.py, test_pmr_row.py) ====
# Appended as one block; everything below uses only public firebridge modules and works on hardware.

import itertools  # noqa: E402
import re  # noqa: E402

from firebridge.home import Home  # noqa: E402
from firebridge.logs import LogTail  # noqa: E402
from firebridge.personalization import CpMessage, parse_cp_line  # noqa: E402
from firebridge.remote import Key, Remote  # noqa: E402
from firebridge.waiting import WaitTimeout, wait_until  # noqa: E402

# How long the Content Personalization service may take to log a call it was handed, in device
# seconds. ASSUMPTION: a real service logs within a second or two of the binder call; the virtual
# one logs at once. A check that something was NOT shared waits this long before it concludes.
CP_SETTLE_DEVICE_S = 2.0
# How long to wait (real seconds) for an expected service line after the step that should cause it.
CP_WAIT_S = 5.0
_MARKS = itertools.count(1)


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
        """Write a marker line with ``log`` (Android's /system/bin/log), wait for the tail to read it,
        and return the offset just after it: everything logged before is then in the tail."""
        marker = f"firebridge sync {next(_MARKS)} {time.monotonic_ns()}"
        since = self.logs.mark()
        self.firetv.run(["log", "-p", "i", "-t", "firebridge", marker])
        match = self.logs.wait_for(re.escape(marker) + r".*\n", since=since, timeout=10)
        return since + match.end()

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

    def settle(self, device_clock: "DeviceClock") -> None:
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


@pytest.fixture
def cp_service(logs: LogTail, firetv: FireTV) -> ServiceLog:
    """The Content Personalization service's log lines for this test (see ServiceLog)."""
    return ServiceLog(logs, firetv)


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


def remove_from_continue_watching(home: Home, remote: Remote, title: str, timeout: float = 15.0) -> None:
    """Take ``title`` out of the Continue Watching row the way a customer does (seed 002): focus its
    tile, MENU, "Remove from Continue Watching". Does nothing when the title is not in the row."""
    if title not in home.snapshot().continue_watching:
        return
    remote.navigate_to(content_desc=title)
    remote.press(Key.MENU)
    remote.navigate_to(text="Remove from Continue Watching")
    remote.press(Key.DPAD_CENTER)
    home.wait_until_absent(title, timeout=timeout)


@pytest.fixture
def continue_watching_remover(home: Home, remote: Remote):
    """``remove(title)``: take a title out of Continue Watching through the launcher's menu."""
    return lambda title: remove_from_continue_watching(home, remote, title)
# ==== end of the triggers, consent and PMR helpers ====


# === Continue Watching and playback reporting (seed 002): player, cw, test order ======================
# Fixtures of test_continue_watching.py, test_playback_reporting.py and test_off_device.py
# (helpers in device_tests/playback.py and device_tests/rules.py).

@pytest.fixture
def player(app, logs, device_clock):
    """The app's player, driven by the profile's deep links and the remote's media keys; its playback
    events come from this test's log."""
    from .playback import Player
    return Player(app, logs, device_clock)


@pytest.fixture
def cw(home, remote):
    """The whole Continue Watching row: read it, wait for a title, remove a tile with MENU."""
    from .playback import ContinueWatching
    return ContinueWatching(home, remote)


# === end of the Continue Watching and playback reporting block ======================================
