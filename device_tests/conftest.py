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
from .cpcalls import CpCalls


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
    if report.failed and "firetv" in getattr(item, "fixturenames", ()):
        state = item.config.stash.get(_KNOWN_STATE, None)
        if state is not None:  # whatever the test left behind, the next one starts from the known state
            state["dirty"] = f"{item.name} failed in {report.when}"
    record = item.stash.get(_SCENARIO, None)
    if record is None and "firetv" in getattr(item, "fixturenames", ()) and report.when == "setup" and report.failed:
        # Setup failed before the test could name its scenario (the device or adb server gone): the summary
        # still lists it, by its test id (issue 15: setup errors were missing from this table).
        record = Outcome(item.name, "", _device_label(item.config))
    if record is None or report.when != "call" and not (report.when == "setup" and report.outcome != "passed"):
        return
    first_line = ""
    if report.failed:
        first_line = str(report.longrepr.reprcrash.message if hasattr(report.longrepr, "reprcrash") else report.longrepr)
        first_line = first_line.splitlines()[0][:110] if first_line else "failed"
    text = {"passed": "PASS", "skipped": "SKIP", "failed": "FAIL" if report.when == "call" else "ERROR"}[report.outcome]
    if report.failed and getattr(report, "firebridge_class", None):  # infra | product (firebridge.plugin.recovery)
        text += f" ({report.firebridge_class[0]})"
    item.config.stash[_OUTCOMES].append(Outcome(record.scenario, f"{text} {first_line}".strip(), record.device))


def _device_label(config: pytest.Config) -> str:
    """The run's device for the summary, without asking the device (it may be gone)."""
    from firebridge.plugin.api import current_selection
    selection = current_selection(config)
    return selection.serial if selection is not None else "-"


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    outcomes: list[Outcome] = config.stash.get(_OUTCOMES, [])
    if not outcomes:
        return
    terminalreporter.section("Fire TV validation summary")
    width = max(len(o.scenario) for o in outcomes)
    for o in outcomes:
        terminalreporter.write_line(f"{o.scenario:<{width}}  {o.outcome:<6}  [{o.device}]")


# -- the known state each test starts from ----------------------------------------------------------------
_KNOWN_STATE = pytest.StashKey[dict]()  # config.stash: {"dirty": why the device may not be in it, "boot": ...}
KNOWN_STATE_RECIPE = "check_signed_in"  # fails while signed out (see fixtures/apps/reference.yaml)


@pytest.fixture(autouse=True)
def known_state(request: pytest.FixtureRequest) -> None:
    """Before a test that drives the app: the app stopped, the home screen shown and the app signed in.

    Restored at the start of the run, after any failed test (whatever it left behind: a failed sign-in
    leaves the app signed out) and after the device restarted, so one failure cannot cascade into the
    tests after it. A restore that fails is a :class:`~firebridge.errors.StateRestoreFailed` error in
    setup: classed infrastructure, never blamed on the app; the next test tries again."""
    if "app" not in request.fixturenames:
        return
    state = request.config.stash.setdefault(_KNOWN_STATE, {"dirty": "start of the run", "boot": None})
    from firebridge.plugin.recovery import run_health
    boot = run_health(request.config).boot
    if state["boot"] is not None and boot != state["boot"]:
        state["dirty"] = "the device restarted"
    if not state["dirty"]:
        return
    restore_known_state(request.getfixturevalue("firetv"), request.getfixturevalue("app_profile"), state["dirty"])
    state.update(dirty=None, boot=boot)


def restore_known_state(firetv: FireTV, profile, why: str) -> None:
    """App stopped, signed in (the profile's sign_in recipe when its check fails), app stopped again, home."""
    from firebridge.capabilities.apps import AppDriver
    from firebridge.capabilities.remote import Remote
    from firebridge.driver.keys import Key
    from firebridge.errors import StateRestoreFailed
    from firebridge.waiting import WaitTimeout

    try:
        remote = Remote(firetv)
        app = AppDriver(firetv, profile, remote=remote)
        app.stop()
        if KNOWN_STATE_RECIPE in profile.recipes and "sign_in" in profile.recipes:
            try:
                app.run(KNOWN_STATE_RECIPE)
            except WaitTimeout:
                app.run("sign_in")
                app.run(KNOWN_STATE_RECIPE)  # signed in now, or the restore failed
            app.stop()
        remote.press(Key.HOME)
    except Exception as exc:
        raise StateRestoreFailed(f"could not restore the known state ({why}): {type(exc).__name__}: {exc}. "
                                 f"The test did not run; check the device and the app profile's "
                                 f"{KNOWN_STATE_RECIPE}/sign_in recipes ({profile.path})") from exc


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
def cp_calls(logs: LogTail, firetv: FireTV, app_profile) -> CpCalls:
    """The Content Personalization calls this test's log shows, through the platform's evidence source
    (Vega OS: the data service's line; Fire OS: the app's own lines named by its profile; see CpCalls)."""
    require_content_personalization(firetv)
    return CpCalls.for_device(logs, firetv, app_profile)


# Fixtures of test_continue_watching.py, test_playback_reporting.py and test_off_device.py
# (helpers in device_tests/playback.py and device_tests/rules.py).

@pytest.fixture
def player(firetv: FireTV, app, logs, device_clock, cp_calls: CpCalls):
    """The app's player, driven by the profile's deep links and the remote's media keys; its playback
    events come from this test's log (what the app reports, and what the platform's evidence shows)."""
    require_content_personalization(firetv)
    return Player(app, logs, device_clock, cp_calls)


@pytest.fixture
def cw(home, remote):
    """The whole Continue Watching row: read it, wait for a title, remove a tile with MENU."""
    return ContinueWatching(home, remote)
