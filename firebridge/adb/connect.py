"""Getting a device ready, and getting it back: one recovery path for every caller.

``connect_and_probe(server, serial, timeout)`` is the only place that turns "some serial on some adb
server" into "a device that answers a shell command" (in the spirit of Tradefed's device recovery:
wait for the transport, then ask a real question). Device selection, ``FireTV.reconnect()``, the bench
health check and the bench worker all call it. It ends in one of five outcomes:

============  ==============================================  ==========================================
ready         listed as ``device`` and ``echo`` answered      returns :class:`Ready`
unauthorized  the host key was not accepted in time            :class:`~firebridge.errors.DeviceUnauthorized`
offline       listed, but not usable in time                   :class:`~firebridge.errors.DeviceOffline`
gone          not listed (``adb connect`` refused, no USB)     :class:`~firebridge.errors.DeviceNotFound`,
                                                               :class:`~firebridge.errors.ConnectFailed`
no server     nothing answers at the adb server's address      :class:`~firebridge.errors.AdbServerUnreachable`
============  ==============================================  ==========================================

Network serials (``HOST:PORT``) are ``adb connect``-ed while they are not listed or offline. On first
contact (``patient=False``) an address that refuses the connection fails at once — a wrong address
does not cost the whole timeout; a device that dropped (``patient=True``) may be rebooting, so a
refusal is retried until the timeout. "failed to authenticate" is normal on first contact while the
person at the TV presses Allow, so ``unauthorized`` is waited on, not failed at once.
"""

from __future__ import annotations

import socket
import time
from dataclasses import dataclass

import adbutils

from firebridge.adb.wire import AdbServerClient
from firebridge.errors import (AdbServerUnreachable, AdbTimeout, ConnectFailed, DeviceNotFound, DeviceOffline,
                               DeviceUnauthorized, DeviceUnavailable)
from firebridge.waiting import WaitTimeout, wait_until

__all__ = ["PROBE_COMMAND", "Ready", "connect_and_probe", "connect_device", "connect_refused", "device_state",
           "is_network_serial", "probe", "probe_answered", "DeviceUnauthorized"]

PROBE_WORD = "firebridge-ok"
PROBE_COMMAND = f"echo {PROBE_WORD}"
# What `adb connect` answers when it could not reach the address (adb 1.0.41+: "failed to connect to
# 'HOST:PORT': Connection refused"; "failed to connect to HOST:PORT" when a peer accepted TCP but never
# did the adb handshake within adb's 10 s, both seen with the bundled adb 36).
# ASSUMPTION: older adb said "unable to connect to ..." / "cannot connect to ..." (settle by: running
# `adb connect` to a closed port with platform-tools from before 1.0.41).
_REFUSED = ("failed to connect", "unable to connect", "cannot connect", "connection refused")
_CONNECT_EVERY = 1.0  # seconds between `adb connect` attempts while waiting (it is not free for the server)


def is_network_serial(serial: str) -> bool:
    """``host:port`` serials are network (adb connect) devices."""
    host, _, port = serial.rpartition(":")
    return bool(host) and port.isdigit()


def connect_refused(answer: str) -> bool:
    """Whether an ``adb connect`` answer says the address could not be reached (pure)."""
    lowered = answer.lower()
    return any(words in lowered for words in _REFUSED)


def probe_answered(output: bytes | str) -> bool:
    """Whether the probe's output is its word (pure). Fire OS 5's adbd has no shell v2, so ``shell:``
    output comes through a PTY with CRLF line ends (``firebridge-ok\\r\\n``): carriage returns are dropped."""
    text = output.decode(errors="replace") if isinstance(output, bytes) else output
    return text.replace("\r", "").strip() == PROBE_WORD


def probe(server: AdbServerClient, serial: str, timeout: float = 5.0) -> bool:
    """Ask the device a real question (``echo``) over the plain ``shell:`` service, which every adbd
    has (Fire OS 5 without shell v2, later Fire OS, Vega OS's Linux shell). Transport trouble is False;
    unauthorized and a missing adb server are raised (waiting does not fix them by itself)."""
    try:
        return probe_answered(server.run_service(serial, f"shell:{PROBE_COMMAND}", timeout))
    except (DeviceUnauthorized, AdbServerUnreachable):
        raise
    except (DeviceUnavailable, AdbTimeout, OSError):
        return False


@dataclass(frozen=True)
class Ready:
    """A device that answered the probe."""

    serial: str
    connect_answer: str | None  # what `adb connect` said last, when it was run
    seconds: float  # how long it took to get there


@dataclass
class _Attempts:
    """What the recovery loop saw (for the error it raises when time is up)."""

    state: str | None = None
    answer: str | None = None
    listed_but_silent: bool = False
    last_connect: float = float("-inf")


def connect_and_probe(server: AdbServerClient, serial: str, timeout: float = 15.0, patient: bool = False,
                      probe_timeout: float = 5.0, interval: float = 0.1) -> Ready:
    """Bring ``serial`` to a usable state on ``server`` or raise the typed error that says why not.

    See the module docstring for the outcomes. ``patient``: the device is expected to come back (it
    dropped): a refused ``adb connect`` and an unlisted USB serial are retried until ``timeout``."""
    started = time.monotonic()
    network = is_network_serial(serial)
    seen = _Attempts()

    def attempt() -> bool:
        seen.state = state = _state(server, serial)
        if state == "device":
            seen.listed_but_silent = not probe(server, serial, probe_timeout)  # one question, even at 0 s left
            return not seen.listed_but_silent
        seen.listed_but_silent = False
        if network and state in (None, "offline") and time.monotonic() - seen.last_connect >= _CONNECT_EVERY:
            seen.last_connect = time.monotonic()
            seen.answer = _connect(server, serial, min(15.0, max(1.0, _left())))
            if not patient and state is None and connect_refused(seen.answer):
                raise ConnectFailed(serial, seen.answer)
        elif state is None and not network and not patient:
            raise _not_found(server, serial)
        return False

    def _left() -> float:
        return timeout - (time.monotonic() - started)

    try:
        wait_until(attempt, timeout, f"{serial} to answer", interval=interval)
    except WaitTimeout:
        error = _timed_out(server, serial, seen, timeout)
        if patient:  # say that it was there before
            error.args = (f"{serial} dropped and did not come back within {timeout:g} s: {error}",)
        raise error from None
    return Ready(serial, seen.answer, time.monotonic() - started)


def _state(server: AdbServerClient, serial: str) -> str | None:
    try:
        return server.state(serial)
    except (ConnectionError, socket.timeout) as exc:  # the server hung up mid-answer: treat as absent
        raise AdbServerUnreachable(f"the adb server at {server.host}:{server.port} stopped answering ({exc})",
                                   str(exc)) from None


def _connect(server: AdbServerClient, address: str, timeout: float) -> str:
    try:
        return server.connect(address, timeout=timeout)
    except (socket.timeout, TimeoutError):
        return f"no answer within {timeout:g} s"


def _not_found(server: AdbServerClient, serial: str) -> DeviceNotFound:
    attached = ", ".join(f"{e.serial} ({e.state})" for e in server.devices()) or "none"
    return DeviceNotFound(serial, attached)


def _timed_out(server: AdbServerClient, serial: str, seen: _Attempts, timeout: float) -> DeviceUnavailable:
    """The error for the state the device is in now that the time is up."""
    state = _state(server, serial)
    if state == "unauthorized":
        return DeviceUnauthorized(serial)
    if state == "device":  # the last probe went unanswered (or the device turned up just as time ran out)
        return DeviceOffline(serial, "device", f"listed as a device but did not answer `{PROBE_COMMAND}` within "
                                               f"{timeout:g} s")
    if state is not None:
        return DeviceOffline(serial, state)
    if seen.answer is not None:
        return ConnectFailed(serial, seen.answer)
    return _not_found(server, serial)


# -- older entry points (kept for their callers) -----------------------------------------------------
def device_state(client: adbutils.AdbClient, serial: str) -> str | None:
    """The adb server's state for ``serial`` (device, unauthorized, offline, ...) or None if absent."""
    for info in client.list():
        if info.serial == serial:
            return info.state
    return None


def connect_device(client: adbutils.AdbClient | AdbServerClient, address: str, timeout: float = 15.0) -> Ready:
    """``adb connect ADDRESS`` until it answers a shell command: :func:`connect_and_probe` for a client
    of either kind (an adbutils ``AdbClient`` or firebridge's ``AdbServerClient``)."""
    if not isinstance(client, AdbServerClient):
        client = AdbServerClient(client.host, client.port)
    return connect_and_probe(client, address, timeout)
