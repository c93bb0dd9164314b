"""Shared fixtures of the regression suite: consent, the device clock, and the summary a person reads.

Everything here uses only firebridge's public fixtures (firetv, remote, home, privacy, logs, pmr, app)
and works unchanged on hardware with another app's profile (``--app PROFILE``).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from firebridge.device.firetv import FireTV
from firebridge.device.logs import LogTail
from firebridge.driver.protocol import Feature

from .device_clock import DeviceClock
from .playback import ContinueWatching, Player
from .servicelog import ServiceLog


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


@pytest.fixture
def device_clock(firetv: FireTV) -> DeviceClock:
    return DeviceClock(firetv)


@pytest.fixture
def continue_watching_consent(privacy):
    """Both consents on for this test (the original state is restored by the privacy fixture)."""
    privacy.enable_continue_watching()
    return privacy


# Fixtures of test_triggers.py, test_consent.py and test_pmr_row.py.

def require_content_personalization(firetv: FireTV) -> None:
    """Skip, with the driver's reason, on a device without Content Personalization (the Vega Virtual
    Device): the app's playback reports and Continue Watching depend on it."""
    support = firetv.driver.supports(Feature.CONTENT_PERSONALIZATION)
    if not support:
        pytest.skip(f"{firetv.serial} ({firetv.identity.describe()}): {support.reason}")


@pytest.fixture
def cp_service(logs: LogTail, firetv: FireTV) -> ServiceLog:
    """The Content Personalization service's log lines for this test (see ServiceLog)."""
    require_content_personalization(firetv)
    return ServiceLog(logs, firetv)


# Fixtures of test_continue_watching.py, test_playback_reporting.py and test_off_device.py
# (helpers in device_tests/playback.py and device_tests/rules.py).

@pytest.fixture
def player(firetv: FireTV, app, logs, device_clock):
    """The app's player, driven by the profile's deep links and the remote's media keys; its playback
    events come from this test's log."""
    require_content_personalization(firetv)
    return Player(app, logs, device_clock)


@pytest.fixture
def cw(home, remote):
    """The whole Continue Watching row: read it, wait for a title, remove a tile with MENU."""
    return ContinueWatching(home, remote)
