"""Fixtures for device tests: the device, its remote, home screen, privacy, PMR and the app under test;
and the ``firetv`` marker's skip."""

from __future__ import annotations

from typing import Iterator

import pytest

from firebridge.device.firetv import FireTV
from firebridge.plugin.options import marker_criteria, marker_mismatch
from firebridge.plugin.session import select


@pytest.fixture(scope="session")
def firetv(pytestconfig: pytest.Config) -> FireTV:
    """The selected Fire TV (see ``--device``)."""
    return select(pytestconfig).firetv


def _require(firetv: FireTV, feature) -> None:
    """Skip the test, with the driver's reason, on a device that lacks ``feature``."""
    support = firetv.driver.supports(feature)
    if not support:
        pytest.skip(f"{firetv.serial} ({firetv.identity.describe()}): {support.reason}")


@pytest.fixture
def remote(firetv: FireTV):
    """The remote control of the selected device."""
    from firebridge.capabilities.remote import Remote
    return Remote(firetv)


@pytest.fixture
def home(firetv: FireTV, remote):
    """The home screen's rows (Continue Watching, Partner-Managed Rows, Your Apps)."""
    from firebridge.capabilities.home import Home
    from firebridge.driver.protocol import Feature
    _require(firetv, Feature.HOME_ROWS)
    return Home(firetv, remote)


@pytest.fixture
def privacy(firetv: FireTV, remote) -> Iterator:
    """Consent toggles through the Settings UI; the original state is put back after the test."""
    from firebridge.capabilities.privacy import Privacy, preserved
    from firebridge.driver.protocol import Feature
    _require(firetv, Feature.PRIVACY_SETTINGS)
    yield from preserved(Privacy(firetv, remote))


@pytest.fixture
def pmr(firetv: FireTV):
    """Partner-Managed Row recommendations through the helper app; everything posted is cancelled after."""
    from firebridge.capabilities.pmr import PMR
    from firebridge.driver.protocol import Feature
    _require(firetv, Feature.PMR)
    recommendations = PMR(firetv)
    recommendations.require_helper()  # says how to install it when it is missing
    try:
        yield recommendations
    finally:
        recommendations.cancel_all()


@pytest.fixture(scope="session")
def app_profile(pytestconfig: pytest.Config, firetv: FireTV):
    """The app profile named by --app (a name in fixtures/apps/ or a YAML path), validated, as it applies
    on the selected device's platform (its ``platforms:`` section: the app's build for that platform)."""
    from firebridge.capabilities.apps import load_profile
    return load_profile(pytestconfig.getoption("app")).for_platform(firetv.driver.platform.value)


@pytest.fixture
def app(firetv: FireTV, remote, app_profile, request: pytest.FixtureRequest):
    """The app under test, driven by its profile's deep links and key recipes; stopped after the test.
    Recipe steps that wait for log lines use this test's ``logs`` tail when the test has one."""
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
