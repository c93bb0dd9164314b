"""Installing the PMR helper app ``com.firebridge.helper`` and reading which version a device has.

The APK ships with firebridge (firebridge/helperapp/firebridge-helper.apk, built by
``firebridge helper build``). After ``adb install`` the app is in the "stopped" state; opening its
invisible ``.Main`` activity once takes it out (docs/helper-app.md).
"""

from __future__ import annotations

import re
from pathlib import Path

from firebridge.adb.install import install
from firebridge.adb.shell import Shell
from firebridge.capabilities.pmr import HELPER_PACKAGE
from firebridge.device.resolve import driver_for
from firebridge.driver.protocol import Feature, Support, Unsupported
from firebridge.errors import HelperAppMissing

MAIN_ACTIVITY = f"{HELPER_PACKAGE}/.Main"


def parse_package_version(dump: str) -> str | None:
    """``versionName (versionCode N)`` from ``dumpsys package PKG``; None when it names no version."""
    code = re.search(r"^\s+versionCode=(\d+)", dump, re.M)
    name = re.search(r"^\s+versionName=(\S*)", dump, re.M)
    if code is None:
        return None
    return f"{name.group(1) if name else '?'} (versionCode {code.group(1)})"


def pmr_support(device) -> Support:  # noqa: ANN001 - a FireTV, driver or transport
    """Whether the device's platform has Partner-Managed Rows (Fire OS does; Vega does not)."""
    return driver_for(device).supports(Feature.PMR)


def installed_version(shell: Shell) -> str | None:
    """The helper's installed version, or None when it is not installed."""
    if not shell.shell(["pm", "path", HELPER_PACKAGE]).stdout.strip():
        return None
    return parse_package_version(shell.shell(["dumpsys", "package", HELPER_PACKAGE]).stdout) or "unknown version"


def install_helper(firetv, apk: Path | None = None) -> str:  # noqa: ANN001 - a FireTV
    """Install the helper APK (default: the shipped one) with ``adb install -r``, open ``.Main`` once;
    returns the installed version."""
    from firebridge.helperapp import shipped_apk
    support = pmr_support(firetv)
    if not support:
        raise Unsupported(f"{firetv.serial}: the PMR helper is an Android app: {support.reason}")
    apk = apk or shipped_apk()
    if not apk.is_file():
        raise HelperAppMissing(f"{apk} does not exist; build it with `firebridge helper build -o DIR` "
                               f"and pass --apk DIR/firebridge-helper.apk")
    install(firetv.serial, apk, adb_server=firetv.adb_server)
    firetv.run(["am", "start", "-n", MAIN_ACTIVITY], hint="the helper installed but its .Main did not start")
    return f"{HELPER_PACKAGE} {installed_version(firetv) or 'unknown version'}"
