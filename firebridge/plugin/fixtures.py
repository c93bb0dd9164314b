"""Fixtures for device tests: the device, its remote, home screen, privacy, PMR and the app under test;
and the firetv marker's skip."""

from __future__ import annotations

from typing import Iterator

import pytest

from firebridge.device.firetv import FireTV
from firebridge.errors import ConfigError
from firebridge.plugin.api import APP_PROFILE_KEY
from firebridge.plugin.options import DEFAULT_APP, marker_criteria, marker_mismatch
from firebridge.plugin.session import AWAKE_KEY, select


@pytest.fixture(scope="session")
def firetv(pytestconfig: pytest.Config) -> FireTV:
    """The run's Fire TV (FireTV: serial, model, identity, shell/run, driver), chosen once per run by
    --device (with --bench: the bench device this worker leased). Session-wide."""
    return select(pytestconfig).firetv


@pytest.fixture(autouse=True)
def _firetv_awake(request: pytest.FixtureRequest) -> None:
    """In every run mode: the screensaver is switched off for the run (put back at the end, see
    session.restore_screensaver) and one already running is dismissed before each test that uses the device
    (a screensaver swallows the first key and hides the screen from uiautomator)."""
    if "firetv" not in request.fixturenames:
        return
    driver = request.getfixturevalue("firetv").driver
    if AWAKE_KEY not in request.config.stash:
        request.config.stash[AWAKE_KEY] = [driver, driver.prevent_screensaver()]
    driver.dismiss_screensaver()


def _require(firetv: FireTV, feature) -> None:
    """Skip the test, with the driver's reason, on a device that lacks feature."""
    support = firetv.driver.supports(feature)
    if not support:
        pytest.skip(f"{firetv.serial} ({firetv.identity.describe()}): {support.reason}")


@pytest.fixture
def remote(firetv: FireTV):
    """The device's remote (Remote): press(*keys), longpress(*keys), hold(key, seconds),
    navigate_to(text=/resource_id=); key names as in firebridge.driver.keys (HOME, SELECT, DPAD_DOWN...)."""
    from firebridge.capabilities.remote import Remote
    return Remote(firetv)


@pytest.fixture
def home(firetv: FireTV, remote):
    """The home screen (Home): snapshot() reads its rows into a HomeSnapshot (rows of Row/Tile:
    Continue Watching, Partner-Managed Rows, Your Apps); wait_until_first(title) waits for Continue Watching.
    Skips on a device without home rows."""
    from firebridge.capabilities.home import Home
    from firebridge.driver.protocol import Feature
    _require(firetv, Feature.HOME_ROWS)
    return Home(firetv, remote)


@pytest.fixture
def privacy(firetv: FireTV, remote) -> Iterator:
    """The consent toggles through the Settings UI (Privacy): read() gives a Consent
    (share_app_viewing, sync_across_devices), set(...) changes them; the original state is put back after
    the test. Skips on a device without these settings."""
    from firebridge.capabilities.privacy import Privacy, preserved
    from firebridge.driver.protocol import Feature
    _require(firetv, Feature.PRIVACY_SETTINGS)
    yield from preserved(Privacy(firetv, remote))


@pytest.fixture
def pmr(firetv: FireTV, pytestconfig: pytest.Config):
    """Partner-Managed Row recommendations through the helper app (PMR): post(Recommendation),
    cancel(id), active() -> the posted NotificationRecords; everything posted is cancelled after the
    test. Skips on a device without PMR; says how to install the helper when it is missing."""
    from firebridge.capabilities.pmr import PMR
    from firebridge.driver.protocol import Feature
    _require(firetv, Feature.PMR)
    from firebridge.plugin.helper_option import prepare
    prepare(pytestconfig, firetv)  # --install-helper installs it when missing
    recommendations = PMR(firetv)
    recommendations.require_helper()  # says how to install it when it is missing
    try:
        yield recommendations
    finally:
        recommendations.cancel_all()


def load_app_profile(config: pytest.Config):
    """The --app profile, loaded and validated once per run; a mistake in it is one usage error (file,
    line, field, the bad value and the fix) before any test runs, not the same error in every test."""
    profile = config.stash.get(APP_PROFILE_KEY, None)
    if profile is None:
        from firebridge.capabilities.apps import load_profile
        try:
            profile = load_profile(config.getoption("app"))
        except ConfigError as exc:
            raise pytest.UsageError(f"--app: {exc}") from None
        config.stash[APP_PROFILE_KEY] = profile
    return profile


def pytest_sessionstart(session: pytest.Session) -> None:
    """A profile named on the command line is checked at startup, whatever the tests use."""
    if session.config.getoption("app") != DEFAULT_APP and not hasattr(session.config, "workerinput"):
        load_app_profile(session.config)


def pytest_collection_finish(session: pytest.Session) -> None:
    """The default profile is checked before the first test, when a collected test uses it."""
    if any("app_profile" in getattr(item, "fixturenames", ()) for item in session.items):
        load_app_profile(session.config)


@pytest.fixture(scope="session")
def app_profile(pytestconfig: pytest.Config, firetv: FireTV):
    """The app profile named by --app (a name in fixtures/apps/ or a YAML path), loaded and validated
    once per run (AppProfile: package, deep links, catalog, recipes), as it applies on the selected
    device's platform (its ``platforms:`` section: the app's build for that platform)."""
    return load_app_profile(pytestconfig).for_platform(firetv.driver.platform.value)


@pytest.fixture
def app(firetv: FireTV, remote, app_profile, request: pytest.FixtureRequest):
    """The app under test (AppDriver): launch(), open(link, content_id), run(recipe, content_id, **params)
    with the profile's deep links and key recipes; stopped after the test.
    Recipe steps that wait for log lines use this test's logs tail when the test has one."""
    from firebridge.capabilities.apps import AppDriver
    tail = request.getfixturevalue("logs") if "logs" in request.fixturenames else None
    driver = AppDriver(firetv, app_profile, remote=remote,
                       log_waiter=(lambda pattern, timeout: tail.wait_for(pattern, timeout=timeout)) if tail else None)
    try:
        yield driver
    finally:
        driver.stop()


@pytest.fixture(autouse=True)
def _firetv_marker(request: pytest.FixtureRequest) -> None:
    marker = request.node.get_closest_marker("firetv")
    if marker is None or "firetv" not in request.fixturenames:
        return
    reason = marker_mismatch(request.getfixturevalue("firetv"), **marker_criteria(marker))
    if reason:
        pytest.skip(reason)
