"""``--install-helper``: install the PMR helper app before PMR tests when the device lacks it, and
name the helper's installed version in the pytest header (``firebridge helper: ...``).

A plugin module of its own (listed in pytest_plugin.pytest_plugins); the ``pmr`` fixture calls
:func:`prepare`. Only runs that collect a test using the ``pmr`` fixture look at the helper at all.
"""

from __future__ import annotations

from typing import Iterable

import pytest

from firebridge.errors import FirebridgeError
from firebridge.plugin.api import current_selection

_STATUS_KEY = pytest.StashKey[str]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("firebridge", "Fire TV devices (firebridge)").addoption("--install-helper", action="store_true",
                    help="install the PMR helper app com.firebridge.helper (the APK shipped with firebridge) "
                         "before PMR tests when the device does not have it")


def uses_pmr(items: Iterable[pytest.Item]) -> bool:
    return any("pmr" in getattr(item, "fixturenames", ()) for item in items)


def prepare(config: pytest.Config, firetv) -> str:  # noqa: ANN001 - a FireTV
    """Install the helper if asked to and missing (once per run); returns the header's status text."""
    status = config.stash.get(_STATUS_KEY, None)
    if status is not None:
        return status
    from firebridge.capabilities.helper_app import install_helper, installed_version, pmr_support
    support = pmr_support(firetv)
    if not support:  # a Vega device: the pmr fixture skips with the driver's reason
        status = f"not applicable ({support.reason})"
        config.stash[_STATUS_KEY] = status
        return status
    try:
        version = installed_version(firetv)
        if version is not None:
            status = f"{version} installed"
        elif config.getoption("install_helper"):
            status = f"{install_helper(firetv).split(' ', 1)[1]} installed now (--install-helper)"
        else:
            status = "not installed (pytest --install-helper or `firebridge pmr install-helper` installs it)"
    except FirebridgeError as exc:  # the pmr fixture then fails with the install hint
        status = f"could not be installed: {exc}"
    config.stash[_STATUS_KEY] = status
    return status


@pytest.hookimpl(trylast=True)  # after the session plugin chose the device
def pytest_collection_finish(session: pytest.Session) -> None:
    """The header line, for runs with PMR tests."""
    selection = current_selection(session.config)
    if selection is None or session.config.option.collectonly or not uses_pmr(session.items):
        return
    from firebridge.capabilities.helper_app import pmr_support
    if pmr_support(selection.firetv):
        report(session.config, selection.firetv)


def report(config: pytest.Config, firetv) -> None:  # noqa: ANN001 - a FireTV
    """Prepare the helper and write the header line."""
    status = prepare(config, firetv)
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(f"firebridge helper: com.firebridge.helper {status}")
