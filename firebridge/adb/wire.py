"""A lean client of the adb server's smart-socket protocol (the host side, over TCP).

Why not stock adbutils for every call: adbutils' connection close sleeps 10 ms twice per ``shell()``
(~22 ms a call); this client opens one socket per command, asks for the transport and the service in
it, reads to EOF and closes without waiting (~0.6 ms a call on the virtual device). adbutils is still
used for what it does well (device lists, connect, sync).

Protocol: requests are 4 hex digits of length + ASCII; the server answers ``OKAY`` or ``FAIL`` +
4 hex digits + message. Shell protocol v2 packets are 1-byte id + u32 LE length + payload.
"""

from __future__ import annotations

import socket
import struct
from dataclasses import dataclass

from firebridge.errors import (AdbServerUnreachable, AdbTimeout, DeviceNotFound, DeviceOffline,  # noqa: F401 (re-export)
                               DeviceUnauthorized, DeviceUnavailable, FirebridgeError)

SHELL_STDOUT, SHELL_STDERR, SHELL_EXIT = 1, 2, 3


class AdbServerError(FirebridgeError):
    """The adb server refused a request for a reason other than the device's state."""


@dataclass(frozen=True)
class DeviceEntry:
    """One line of ``adb devices -l``."""

    serial: str
    state: str
    properties: dict[str, str]


def parse_devices_l(text: str) -> list[DeviceEntry]:
    """``host:devices-l`` output: ``SERIAL  STATE key:value ...`` per line."""
    entries = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) < 2:
            continue
        props = dict(field.split(":", 1) for field in fields[2:] if ":" in field)
        entries.append(DeviceEntry(fields[0], fields[1], props))
    return entries


def encode_request(text: str) -> bytes:
    data = text.encode()
    return b"%04x" % len(data) + data


def classify_failure(serial: str, message: str) -> FirebridgeError:
    """Map an adb server FAIL message to a typed error that says how to fix it."""
    lowered = message.lower()
    if "unauthorized" in lowered:
        return DeviceUnauthorized(serial)
    if "offline" in lowered:
        return DeviceOffline(serial)
    if lowered.strip() == "closed":  # the device's transport went away as the service was opened
        return DeviceUnavailable(f"{serial} dropped (the adb server says 'closed'): check its power and network")
    if "not found" in lowered or "no devices" in lowered:
        return DeviceNotFound(serial)
    return AdbServerError(f"adb server refused the request for {serial}: {message}")


@dataclass(frozen=True)
class ShellOutput:
    stdout: bytes
    stderr: bytes
    exit_code: int


def decode_shell_v2(data: bytes) -> ShellOutput:
    """Split a complete shell-v2 stream into stdout, stderr and the exit code (-1 if none came)."""
    out, err = bytearray(), bytearray()
    exit_code = -1
    offset = 0
    while offset + 5 <= len(data):
        packet_id, length = struct.unpack_from("<BI", data, offset)
        payload = data[offset + 5:offset + 5 + length]
        offset += 5 + length
        if packet_id == SHELL_STDOUT:
            out += payload
        elif packet_id == SHELL_STDERR:
            err += payload
        elif packet_id == SHELL_EXIT and payload:
            exit_code = payload[0]
    return ShellOutput(bytes(out), bytes(err), exit_code)


class AdbServerClient:
    """Talks to one adb server (``host:port``)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 5037) -> None:
        self.host = host
        self.port = port

    def _connect(self, timeout: float | None) -> socket.socket:
        try:
            sock = socket.create_connection((self.host, self.port), timeout=timeout)
        except OSError as exc:
            reason = f"no adb server at {self.host}:{self.port} ({exc.strerror or exc})"
            raise AdbServerUnreachable(f"{reason}; start one with `adb start-server` or pass --adb-server HOST:PORT",
                                       reason) from None
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    @staticmethod
    def _read_exactly(sock: socket.socket, n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = sock.recv(n - len(data))
            if not chunk:
                raise ConnectionResetError("adb server closed the connection")
            data += chunk
        return data

    def _expect_okay(self, sock: socket.socket, serial: str) -> None:
        status = self._read_exactly(sock, 4)
        if status == b"OKAY":
            return
        if status == b"FAIL":
            length = int(self._read_exactly(sock, 4), 16)
            raise classify_failure(serial, self._read_exactly(sock, length).decode(errors="replace"))
        raise AdbServerError(f"unexpected adb server answer {status!r}")

    def open_service(self, serial: str, service: str, timeout: float | None) -> socket.socket:
        """A socket connected to ``service`` on the device (transport switched, OKAYs read)."""
        sock = self._connect(timeout)
        try:
            sock.sendall(encode_request(f"host:transport:{serial}"))
            self._expect_okay(sock, serial)
            sock.sendall(encode_request(service))
            self._expect_okay(sock, serial)
        except socket.timeout:
            sock.close()
            raise AdbTimeout(f"adb server did not open {service!r} on {serial} within {timeout} s") from None
        except BaseException:
            sock.close()
            raise
        return sock

    def transport_refusal(self, serial: str, timeout: float | None = 5.0) -> str | None:
        """The adb server's own words when it will not switch to ``serial``'s transport (for an
        unauthorized device they name the server's ``$ADB_VENDOR_KEYS``), or None when it would."""
        sock = self._connect(timeout)
        try:
            sock.sendall(encode_request(f"host:transport:{serial}"))
            status = self._read_exactly(sock, 4)
            if status != b"FAIL":
                return None
            return self._read_exactly(sock, int(self._read_exactly(sock, 4), 16)).decode(errors="replace")
        finally:
            sock.close()

    def run_service(self, serial: str, service: str, timeout: float | None) -> bytes:
        """Open a service, read everything it sends until it closes."""
        sock = self.open_service(serial, service, timeout)
        chunks = []
        try:
            while chunk := sock.recv(262144):
                chunks.append(chunk)
        except socket.timeout:
            raise AdbTimeout(f"{service!r} on {serial} did not finish within {timeout} s") from None
        except ConnectionResetError:
            raise DeviceUnavailable(f"{serial}: the connection dropped during {service!r}") from None
        finally:
            sock.close()
        return b"".join(chunks)

    def host_query(self, request: str, timeout: float | None = 10.0) -> str:
        """A ``host:...`` request answered with a length-prefixed string (devices, features...)."""
        sock = self._connect(timeout)
        try:
            sock.sendall(encode_request(request))
            self._expect_okay(sock, request)
            length = int(self._read_exactly(sock, 4), 16)
            return self._read_exactly(sock, length).decode(errors="replace")
        finally:
            sock.close()

    def devices(self) -> list[DeviceEntry]:
        """What ``adb devices -l`` lists."""
        return parse_devices_l(self.host_query("host:devices-l"))

    def state(self, serial: str) -> str | None:
        return next((entry.state for entry in self.devices() if entry.serial == serial), None)

    def connect(self, address: str, timeout: float = 10.0) -> str:
        """``adb connect ADDRESS``; returns the server's answer ("connected to ...", "failed to ...")."""
        return self.host_query(f"host:connect:{address}", timeout=timeout)

    def disconnect(self, address: str) -> str:
        return self.host_query(f"host:disconnect:{address}")

    def features(self, serial: str) -> set[str]:
        """The features both the server and the device support."""
        return set(self.host_query(f"host-serial:{serial}:features").split(","))

    def forward(self, serial: str, local: str, remote: str, timeout: float | None = 10.0) -> int:
        """``adb forward LOCAL REMOTE`` (e.g. ``tcp:0``, ``tcp:8383``); returns the local TCP port.

        Smart-socket exchange: ``host-serial:SERIAL:forward:LOCAL;REMOTE``, then OKAY (request
        accepted) and OKAY (listener installed); for ``tcp:0`` the server then sends the port it chose
        as a length-prefixed string.
        """
        sock = self._connect(timeout)
        try:
            sock.sendall(encode_request(f"host-serial:{serial}:forward:{local};{remote}"))
            try:
                self._expect_okay(sock, serial)
            except AdbServerError:
                # The real server (adb 35) FAILs an unknown serial here with an empty message.
                if self.state(serial) is None:
                    raise classify_failure(serial, "not found") from None
                raise
            self._expect_okay(sock, serial)
            rest = b""
            while chunk := sock.recv(64):
                rest += chunk
        except socket.timeout:
            raise AdbTimeout(f"adb server did not set up forward {local} {remote} for {serial} in {timeout} s") from None
        finally:
            sock.close()
        if len(rest) >= 4:
            return int(rest[4:4 + int(rest[:4], 16)])
        if local.startswith("tcp:") and local[4:].isdigit() and int(local[4:]):
            return int(local[4:])
        raise AdbServerError(f"adb server set up forward {local} {remote} for {serial} but sent no port")

    def remove_forward(self, serial: str, local: str) -> None:
        """``adb forward --remove LOCAL``."""
        sock = self._connect(10.0)
        try:
            sock.sendall(encode_request(f"host-serial:{serial}:killforward:{local}"))
            self._expect_okay(sock, serial)
            self._expect_okay(sock, serial)
        finally:
            sock.close()

    def list_forward(self) -> list[tuple[str, str, str]]:
        """``adb forward --list``: (serial, local, remote) per forward."""
        return [tuple(line.split()[:3]) for line in self.host_query("host:list-forward").splitlines()
                if len(line.split()) >= 3]

    def shell_v2(self, serial: str, command: str, timeout: float | None) -> ShellOutput:
        return decode_shell_v2(self.run_service(serial, f"shell,v2,raw:{command}", timeout))

    def exec_out(self, serial: str, command: str, timeout: float | None) -> bytes:
        return self.run_service(serial, f"exec:{command}", timeout)
