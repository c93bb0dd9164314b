"""``firebridge doctor``: check the whole chain from the adb binary to the app, each problem with its fix."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from firebridge.adb.server import adb_binary, bundled_adb
from firebridge.adb.wire import AdbServerClient, AdbServerUnreachable
from firebridge.device.firetv import FireTV

OK, WARN, FAIL = "ok", "warn", "FAIL"


@dataclass(frozen=True)
class Check:
    status: str  # ok | warn | FAIL
    name: str
    detail: str
    fix: str = ""

    def render(self) -> str:
        line = f"[{self.status:>4}] {self.name}: {self.detail}"
        return line + (f"\n       fix: {self.fix}" if self.fix else "")


def adb_client_version(adb: Path) -> tuple[str, int | None]:
    """(full version text, protocol number) from ``adb version`` ("Android Debug Bridge version 1.0.41")."""
    output = subprocess.run([str(adb), "version"], capture_output=True, text=True, timeout=10).stdout
    match = re.search(r"Android Debug Bridge version 1\.0\.(\d+)", output)
    version = re.search(r"Version (\S+)", output)
    return (version.group(1) if version else output.strip()[:60]), (int(match.group(1)) if match else None)


def check_adb(server: AdbServerClient) -> Iterator[Check]:
    """Which adb is in use, whether the server answers, and whether their protocol versions agree."""
    try:
        binary = adb_binary()
    except Exception as exc:
        yield Check(FAIL, "adb", str(exc), "pip install adbutils (it ships adb), or install platform-tools")
        return
    text, client_protocol = adb_client_version(binary)
    source = "bundled with adbutils" if binary == bundled_adb() else "from PATH"
    yield Check(OK, "adb binary", f"{binary} ({source}), version {text}")
    try:
        server_protocol = int(server.host_query("host:version"), 16)
    except AdbServerUnreachable:
        yield Check(FAIL, "adb server", f"nothing answers at {server.host}:{server.port}",
                    f"start it: {binary} -P {server.port} start-server (or pass --adb-server HOST:PORT)")
        return
    yield Check(OK, "adb server", f"{server.host}:{server.port} answers, protocol {server_protocol}")
    if client_protocol is not None and client_protocol != server_protocol:
        yield Check(WARN, "adb versions", f"the adb on PATH speaks protocol {client_protocol}, the server "
                    f"{server_protocol}: running it would kill the server and drop every device on the bench",
                    "use one adb everywhere (put the server's adb first on PATH)")


def check_device(firetv: FireTV, package: str | None = None,
                 consent: Callable[[FireTV], dict[str, bool]] | None = None) -> Iterator[Check]:
    """State, authorization, Fire TV identity, privacy consent and the app under test."""
    state = firetv.state()
    if state is None:
        yield Check(FAIL, "device", f"{firetv.serial} is not attached",
                    f"check the cable, or `adb connect {firetv.serial}` for a network device")
        return
    if state == "unauthorized":
        yield Check(FAIL, "device", f"{firetv.serial} is unauthorized",
                    "accept \"Allow USB debugging?\" on the TV (tick \"Always allow from this computer\")")
        return
    if state != "device":
        yield Check(FAIL, "device", f"{firetv.serial} is {state}", "run `adb reconnect offline` or replug it")
        return
    yield Check(OK, "device", f"{firetv.serial} is online and authorized")
    if firetv.is_fire_tv:
        if firetv.platform.value == "vega":
            identity = firetv.identity
            yield Check(OK, "Fire TV", f"{identity.describe()}, {identity.build or 'build ?'}")
        else:
            yield Check(OK, "Fire TV", f"{firetv.model}, Fire OS {firetv.fire_os or '?'}, API {firetv.sdk}")
    else:
        yield Check(WARN, "Fire TV", f"{firetv.model} by {firetv.manufacturer} has no amazon.hardware.fire_tv "
                    "feature: Continue Watching, PMR and the privacy settings will not exist",
                    "use a Fire TV (or --device virtual)")
    if consent is not None:
        try:
            states = consent(firetv)
        except Exception as exc:
            yield Check(WARN, "privacy consent", f"could not read it: {exc}")
        else:
            off = [name for name, on in states.items() if not on]
            if off:
                yield Check(FAIL, "privacy consent", f"off: {', '.join(off)} — Continue Watching will not update",
                            "Settings > Preferences > Privacy Settings > Manage Sharing from Apps: turn on "
                            + " and ".join(f'"{name}"' for name in off))
            else:
                yield Check(OK, "privacy consent", "both toggles on")
    if package:
        if firetv.driver.is_installed(package):
            yield Check(OK, "app", f"{package} is installed")
        else:
            yield Check(FAIL, "app", f"{package} is not installed", f"adb -s {firetv.serial} install <your.apk>")
