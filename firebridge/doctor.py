"""``firebridge doctor``: check the whole chain from the adb binary to the app, each problem with its fix."""

from __future__ import annotations

import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from firebridge.adb.connect import PROBE_COMMAND, is_network_serial, probe
from firebridge.adb.keys import server_vendor_keys
from firebridge.adb.server import adb_binary, bundled_adb
from firebridge.adb.wire import AdbServerClient, AdbServerUnreachable
from firebridge.device.firetv import FireTV
from firebridge.errors import DeviceUnauthorized
from firebridge.waiting import WaitTimeout, wait_until

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


# -- the device's adb state: unauthorized and offline are different faults with different fixes ---------------
_FIX_INDENT = "\n            "
# States adb passes through on its way to "device" or "unauthorized" (transport.cpp); worth waiting out.
_SETTLING = ("connecting", "authorizing", "offline")


def _reconnect(serial: str) -> str:
    return (f"`adb disconnect {serial}; adb connect {serial}`" if is_network_serial(serial)
            else f"unplug {serial}'s USB cable and plug it in again")


def unauthorized_check(serial: str, server: AdbServerClient | None = None) -> Check:
    """The TV has not accepted the adb server's key: what to do at the TV (Fire OS), and which keys the
    server offered (a TV that allowed another computer needs that computer's key)."""
    keys = ""
    if server is not None:
        try:
            vendor = server_vendor_keys(server.transport_refusal(serial) or "")
        except OSError:
            vendor = None
        if vendor is not None:
            keys = (f"; the adb server at {server.host}:{server.port} offers the key in its $HOME/.android/adbkey "
                    f"and $ADB_VENDOR_KEYS ({vendor})")
    # Fire OS wording: "Allow USB debugging?" with "Always allow from this computer" (Android's dialog,
    # seen on Fire TVs: dumbtv device catalog); Developer Options under Settings > My Fire TV (Device &
    # Software on Fire TV smart TVs). ASSUMPTION: Fire OS's Developer Options offers Android's "Revoke USB
    # debugging authorizations" (settle by: opening Developer Options on a Fire TV Stick 4K).
    # Vega OS documents no such dialog: its adb (VDA) needs Developer Mode (Amazon's Vega developer-mode page).
    return Check(FAIL, "device", f"{serial} is unauthorized: the TV has not accepted this computer's adb key{keys}",
                 _FIX_INDENT.join([
                     f"a dialog \"Allow USB debugging?\" is waiting on the TV ({serial}): select \"Always allow "
                     f"from this computer\", then OK.",
                     "If none shows: Settings > My Fire TV > Developer Options (Fire TV smart TVs: Settings > "
                     "Device & Software > Developer Options) > ADB debugging: turn it off and on again, or revoke "
                     f"USB debugging authorizations there; then reconnect ({_reconnect(serial)}) and answer the dialog.",
                     "A TV that allowed another computer: give this adb its key "
                     "(ADB_VENDOR_KEYS=/path/to/that/adbkey, then restart the adb server).",
                     "Vega OS Fire TV: no such dialog is documented; Developer Mode must be on (Settings > My Fire TV "
                     "> Developer Options > Developer Mode, `vega devmode enable-device`).",
                 ]))


def offline_check(serial: str, state: str = "offline", server: AdbServerClient | None = None) -> Check:
    """adb sees the device but its adbd does not answer: reconnect, restart the adb server, reboot."""
    where = f" at {server.host}:{server.port}" if server is not None else ""
    adb = "adb"
    if server is not None:
        adb += (f" -H {server.host}" if server.host not in ("127.0.0.1", "localhost") else "") + f" -P {server.port}"
    silent = state == "device"
    detail = (f"{serial} is listed as a device but its adbd did not answer `{PROBE_COMMAND}`" if silent
              else f"{serial} is {state}: adb sees it but the device's adbd is not answering")
    return Check(FAIL, "device", detail, _FIX_INDENT.join([
        f"reconnect it: {_reconnect(serial)}, or `{adb} reconnect offline`;",
        f"if it stays {'silent' if silent else state}: restart the adb server{where} (`{adb} kill-server`, then "
        "start it again; every device on it drops);",
        "if it still does not answer: reboot the TV (unplug its power for 10 s) and reconnect.",
    ]))


def check_state(serial: str, state: str | None, server: AdbServerClient | None = None) -> Check | None:
    """The Check for a device that adb lists in ``state`` and that cannot be used; None for ``device``."""
    if state == "device":
        return None
    if state is None:
        return Check(FAIL, "device", f"{serial} is not attached",
                     f"check the cable, or `adb connect {serial}` for a network device")
    if state == "unauthorized":
        return unauthorized_check(serial, server)
    if state in _SETTLING:
        return offline_check(serial, state, server)
    return Check(FAIL, "device", f"{serial} is {state}", "replug it, then look at `adb devices -l`")


def check_named(server: AdbServerClient, serial: str, settle: float = 5.0) -> Check | None:
    """The state of a named device now — ``adb connect`` first for ``HOST:PORT`` — without waiting for
    anyone at the TV; connecting and a state on the way to ``device`` get ``settle`` seconds together.
    None when it is a device or not listed at all (connecting it says best why: firebridge.adb.connect)."""
    deadline = time.monotonic() + settle
    if server.state(serial) is None and is_network_serial(serial):
        try:
            server.connect(serial, timeout=settle)
        except OSError:
            pass  # adb itself waits up to 10 s for the handshake; the state below says what it came to
    try:
        wait_until(lambda: server.state(serial) not in _SETTLING, max(0.0, deadline - time.monotonic()),
                   f"{serial} to settle")
    except WaitTimeout:
        pass  # still on its way after `settle` seconds: that is the diagnosis
    state = server.state(serial)
    return check_state(serial, state, server) if state is not None else None


def check_listed(server: AdbServerClient) -> list[Check]:
    """Every device the server lists that cannot be used (unauthorized, offline...), each with its fix."""
    return [check for entry in server.devices() if (check := check_state(entry.serial, entry.state, server))]


def check_device(firetv: FireTV, package: str | None = None,
                 consent: Callable[[FireTV], dict[str, bool]] | None = None) -> Iterator[Check]:
    """State, authorization, Fire TV identity, privacy consent and the app under test."""
    blocked = check_state(firetv.serial, firetv.state(), firetv.server)
    if blocked is not None:
        yield blocked
        return
    try:
        answered = probe(firetv.server, firetv.serial, timeout=5.0)
    except DeviceUnauthorized:  # revoked between the listing and the question
        yield unauthorized_check(firetv.serial, firetv.server)
        return
    if not answered:
        yield offline_check(firetv.serial, "device", firetv.server)
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
