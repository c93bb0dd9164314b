"""The plugin's command-line options, their defaults (printed in the pytest header) and the ``firetv``
marker (what a marker asks of a device, pure)."""

from __future__ import annotations

import os

import pytest

from firebridge.device.firetv import FireTV, fire_os_matches
from firebridge.plugin.api import uses_device

# One default wherever firebridge runs (a checkout, an editable install, a wheel), printed in the header:
# the virtual Fire TV's clock runs 20x (60 device seconds pass in 3 s; device_tests wait on device time,
# device_tests/device_clock.py, so they hold at any speed), and a test that uses a device gets 120 s
# unless a timeout is configured (pytest-timeout: --timeout, ini timeout, or a timeout marker).
DEFAULT_VIRTUAL_SPEED = 20.0
DEFAULT_TEST_TIMEOUT_S = 120.0

DEFAULT_APP = "reference"  # the app profile of the app the virtual Fire TV runs (fixtures/apps/reference.yaml)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("firebridge", "Fire TV devices (firebridge)")
    group.addoption("--device", default=None, metavar="SPEC",
                    help="SERIAL | HOST:PORT | emulator[:AVD] | virtual | auto (default: $VEGA_SERIAL, $VDA_SERIAL or "
                         "$ANDROID_SERIAL, else auto: "
                         "an attached Fire TV, else a running emulator, else the configured AVD, else the virtual Fire TV)")
    group.addoption("--adb-server", default=None, metavar="HOST:PORT",
                    help="the adb server to use (default, as for adb: $ADB_SERVER_SOCKET tcp:HOST:PORT, else "
                         "$ANDROID_ADB_SERVER_ADDRESS and $ANDROID_ADB_SERVER_PORT, else 127.0.0.1:5037)")
    group.addoption("--avd", default=None, metavar="NAME", help="the AVD that auto may boot (or $FIREBRIDGE_AVD)")
    group.addoption("--virtual-speed", default=None, type=float, metavar="X",
                    help="clock speed of a virtual Fire TV that selection starts (default: ini firebridge_virtual_speed, "
                         f"else {DEFAULT_VIRTUAL_SPEED:g}; the header says which)")
    group.addoption("--virtual-model", default="AFTMM", metavar="CODE", help="model of a virtual Fire TV selection starts")
    group.addoption("--virtual-os", default="fireos", choices=["fireos", "vega", "vvd"],
                    help="OS of a virtual device selection starts: fireos (default), vega (a Vega OS stick) or vvd "
                         "(the Vega Virtual Device)")
    group.addoption("--platform", default=None, choices=["fireos", "vega"],
                    help="only a device of this platform: auto passes over the others (default: either; auto "
                         "prefers attached hardware of either platform, then a running emulator or Vega Virtual "
                         "Device, then starts one, then the virtual device)")
    group.addoption("--virtual-fault", default=None, metavar="A,B",
                    help="reference app faults of a virtual device selection starts, on either OS "
                         "(`firebridge virtual --fault`)")
    group.addoption("--virtual-timing", default="fast", choices=["fast", "hardware"],
                    help="how fast a virtual Fire TV that selection starts answers: fast (default) or hardware "
                         "(as slow as a real stick; --virtual-speed still divides its waits)")
    group.addoption("--virtual-prop", action="append", default=[], metavar="KEY=VALUE",
                    help="a system property a virtual Fire TV that selection starts boots with (repeatable), "
                         "e.g. debug.firebridge.fault=wrong-cdf-id")
    parser.addini("firebridge_virtual_speed", f"default --virtual-speed (else {DEFAULT_VIRTUAL_SPEED:g})", default="")
    group.addoption("--app", default=DEFAULT_APP, metavar="PROFILE",
                    help="app profile: a name in fixtures/apps/ or a YAML path (default: reference)")
    group.addoption("--artifacts", default="artifacts", metavar="DIR",
                    help="where logs, screenshots and UI dumps go (default ./artifacts)")


def virtual_speed(config: pytest.Config) -> tuple[float, str]:
    """The clock speed of a virtual Fire TV that selection starts, and where it comes from."""
    if config.getoption("virtual_speed"):
        return config.getoption("virtual_speed"), "--virtual-speed"
    ini = str(config.getini("firebridge_virtual_speed")).strip()
    if ini:
        try:
            return float(ini), "ini firebridge_virtual_speed"
        except ValueError:
            raise pytest.UsageError(f"ini firebridge_virtual_speed must be a number, got {ini!r}") from None
    return DEFAULT_VIRTUAL_SPEED, "firebridge's default"


def _timeout_configured(config: pytest.Config) -> bool:
    """Whether pytest-timeout was given a run-wide limit (option, ini or environment)."""
    option = config.getoption("timeout", None)
    try:
        ini = config.getini("timeout")
    except ValueError:  # pytest-timeout not loaded (-p no:timeout)
        return True
    return option is not None or bool(str(ini).strip()) or bool(os.environ.get("PYTEST_TIMEOUT"))


def pytest_report_header(config: pytest.Config) -> list[str]:
    speed, source = virtual_speed(config)
    timeout = ("as configured (pytest-timeout)" if _timeout_configured(config)
               else f"{DEFAULT_TEST_TIMEOUT_S:g} s per device test (firebridge's default; --timeout to change)")
    return [f"firebridge: virtual Fire TV clock {speed:g}x ({source}); timeout {timeout}"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Give device tests firebridge's default limit when no run-wide timeout is configured."""
    if _timeout_configured(config):
        return
    for item in items:
        if uses_device(item) and item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(DEFAULT_TEST_TIMEOUT_S))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "firetv(os=None, min_sdk=None, model=None): run only on a matching device "
                                       "(os: Fire OS version prefix such as '7'; model: a code or a list)")


def marker_criteria(marker: pytest.Mark) -> dict[str, object]:
    """A ``firetv(os, min_sdk, model)`` marker's arguments by name (positional or keyword); a marker
    written wrongly is a TypeError, as calling :func:`marker_mismatch` with its arguments would be."""
    names = ("os", "min_sdk", "model")
    if len(marker.args) > len(names):
        raise TypeError(f"firetv() takes at most {len(names)} positional arguments ({len(marker.args)} given)")
    positional = dict(zip(names, marker.args))
    twice = sorted(positional.keys() & marker.kwargs.keys())
    if twice:
        raise TypeError(f"firetv() got multiple values for {', '.join(twice)}")
    return {**positional, **marker.kwargs}


def marker_mismatch(firetv: FireTV, os: str | None = None, min_sdk: int | None = None,
                    model: str | list[str] | None = None) -> str | None:
    """Why the device does not match a ``firetv`` marker, or None when it does."""
    if model is not None:
        wanted = [model] if isinstance(model, str) else list(model)
        if firetv.model not in wanted:
            return f"needs model {' or '.join(wanted)}, device is {firetv.model}"
    if min_sdk is not None and firetv.sdk < min_sdk:
        return f"needs API level >= {min_sdk}, device has {firetv.sdk}"
    if os is not None:
        version = firetv.fire_os
        if not fire_os_matches(version, os):
            return f"needs Fire OS {os}, device runs {'Fire OS ' + version if version else 'no Fire OS'}"
    return None
