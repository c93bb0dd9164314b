"""``adb install``: install an APK on a device through the adb client (pure parsing + one subprocess).

The adb client picks the route the device supports (streamed into ``cmd package install -S`` when it
advertises the ``cmd`` feature, else push to /data/local/tmp + ``pm install``); both end in
PackageManagerShellCommand's ``Success`` or ``Failure [CODE...]`` line, which :func:`parse_install_output`
reads.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from firebridge.adb.server import adb_binary
from firebridge.errors import CommandFailed

_FAILURE = re.compile(r"^(?:adb: failed to install .*: )?Failure \[([A-Z_]+|[^\]]*?)(?:: ([^\]]*))?\]", re.M)


@dataclass(frozen=True)
class InstallResult:
    """The package manager's answer: ``ok`` with ``Success``, else the failure code and message."""

    ok: bool
    code: str = ""
    message: str = ""


def parse_install_output(output: str) -> InstallResult | None:
    """``Success`` / ``Failure [INSTALL_FAILED_...: message]`` from ``adb install``; None if neither."""
    if re.search(r"^Success\s*$", output, re.M):
        return InstallResult(True)
    match = _FAILURE.search(output)
    if match:
        return InstallResult(False, match.group(1), match.group(2) or "")
    return None


def install(serial: str, apk: Path, adb_server: str = "127.0.0.1:5037", replace: bool = True,
            timeout: float = 120.0) -> InstallResult:
    """``adb -s SERIAL install [-r] APK`` against the given server; CommandFailed unless it succeeds."""
    host, _, port = adb_server.rpartition(":")
    argv = [str(adb_binary()), "-H", host or "127.0.0.1", "-P", port, "-s", serial, "install"]
    argv += ["-r"] if replace else []
    argv.append(str(apk))
    completed = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    output = completed.stdout + completed.stderr
    result = parse_install_output(output)
    shown = f"adb -s {serial} install {'-r ' if replace else ''}{apk}"
    if result is None or not result.ok:
        hint = {
            "INSTALL_FAILED_UPDATE_INCOMPATIBLE": f"an app with this package but another signing key is installed; "
                                                  f"uninstall it first (adb -s {serial} uninstall PACKAGE)",
            "INSTALL_FAILED_VERSION_DOWNGRADE": "the installed version is newer; uninstall it first",
            "INSTALL_FAILED_OLDER_SDK": "the device's Android is older than the APK's minSdkVersion",
        }.get(result.code if result else "", "")
        raise CommandFailed(shown, completed.returncode or 1, completed.stdout, completed.stderr, hint)
    return result
