"""The run's device: chosen once per pytest run, before the first test that needs one, and closed at the end.

Another plugin may hand the run its device first (:func:`firebridge.plugin.api.use_selection`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from firebridge.driver.pace import pace_of
from firebridge.errors import FirebridgeError
from firebridge.plugin.api import current_selection, use_selection, uses_device
from firebridge.plugin.options import virtual_speed
from firebridge.plugin.html import record_devices
from firebridge.selection import DeviceSelector, Selection


def virtual_options(config: pytest.Config) -> dict:
    """How to start the virtual Fire TV if selection comes to that (it changes nothing else)."""
    props = config.getoption("virtual_prop")
    bad = [item for item in props if "=" not in item]
    if bad:
        raise pytest.UsageError(f"--virtual-prop needs KEY=VALUE, got {bad[0]!r}")
    speed, _ = virtual_speed(config)
    extra: tuple[str, ...] = tuple(arg for item in props for arg in ("--prop", item))
    if config.getoption("virtual_fault"):
        extra += ("--fault", config.getoption("virtual_fault"))
    virtual_os = config.getoption("virtual_os")
    return {"speed": speed, "model": config.getoption("virtual_model"), "extra_args": extra,
            "os": "fireos" if virtual_os == "fireos" else "vega", "vvd": virtual_os == "vvd",
            "timing": config.getoption("virtual_timing")}


def device_info(firetv) -> dict:
    """What reports say about the run's device (empty fields when it does not answer)."""
    info = {"serial": firetv.serial}
    try:
        identity = firetv.identity
        info.update(model=identity.model, platform=identity.platform.value, os_version=identity.os_version)
    except (FirebridgeError, OSError):
        pass
    return info


def select(config: pytest.Config) -> Selection:
    """Choose the device once per run and print why (the pytest header's device lines)."""
    selection = current_selection(config)
    if selection is not None:
        return selection
    selector = DeviceSelector(adb_server=config.getoption("adb_server"), avd=config.getoption("avd"),
                              workdir=Path(config.getoption("artifacts")).resolve() / "_selection",
                              virtual_options=virtual_options(config), platform=config.getoption("platform"))
    try:
        selection = selector.select(config.getoption("device"))
    except FirebridgeError as exc:  # a clear one-line error, not an INTERNALERROR traceback
        raise pytest.UsageError(f"firebridge could not select a device: {exc}") from exc
    use_selection(config, selection)
    if config.getoption("htmlpath", None):  # pytest-html's report names the device (firebridge/plugin/html.py)
        record_devices(config, {selection.serial: device_info(selection.firetv)})
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        for line in selection.summary():
            reporter.write_line(line)
    try:  # measured once per session; waits after HOME, `am start` and negative checks grow with it
        # a virtual device's clock may run faster than real time: say what the times are in device time
        speed = virtual_speed(config)[0] if selection.kind == "virtual" else 1.0
        note = pace_of(selection.firetv).describe(clock_speed=speed)
    except FirebridgeError as exc:
        note = f"not measured ({exc})"
    if reporter is not None:
        reporter.write_line(f"firebridge device pace: {note}")
    return selection


#: (driver, what restore_screensaver needs) once the screensaver is off for this run (fixtures._firetv_awake).
AWAKE_KEY = pytest.StashKey[list]()


def restore_screensaver(config: pytest.Config) -> None:
    """Put back the screensaver settings the run changed (before the device is closed)."""
    saved = config.stash.get(AWAKE_KEY, None)
    if not saved:
        return
    driver, previous = saved
    try:
        driver.restore_screensaver(previous)
    except (FirebridgeError, OSError):  # the device may be gone at the end of a run; nothing to put back then
        pass


def pytest_collection_finish(session: pytest.Session) -> None:
    """Choose the device before the first test, and only when a collected test needs one."""
    option = session.config.option
    if getattr(option, "collectonly", False) or getattr(option, "showfixtures", False) \
            or getattr(option, "show_fixtures_per_test", False):
        return  # listing tests or fixtures runs none: no device to boot
    if any(uses_device(item) for item in session.items):
        select(session.config)


def pytest_unconfigure(config: pytest.Config) -> None:
    selection = current_selection(config)
    restore_screensaver(config)
    if selection is not None:
        selection.close()
