"""What an unauthenticated host may cost the virtual Fire TV (issue 15): payload cap, handshake timeout,
connection limit. The device runs as its own process and its memory is read from /proc/PID/status."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest

from firebridge.adb.connect import device_state
from firebridge.adb.server import AdbServer
from firebridge.virtual.adbd import packets
from firebridge.virtual.process import VirtualFireTVProcess
from firebridge.waiting import wait_until

MiB = 1024 * 1024


def proc_status_kib(pid: int, field: str) -> int:
    """A ``/proc/PID/status`` memory field (VmRSS, VmHWM) in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def cnxn_header(length: int) -> bytes:
    """A host CNXN header announcing ``length`` bytes of banner."""
    return packets.HEADER.pack(packets.A_CNXN, packets.VERSION_SKIP_CHECKSUM, packets.MAX_PAYLOAD, length, 0,
                               packets.A_CNXN ^ 0xFFFFFFFF)


def open_half_packets(address: tuple[str, int], count: int, announced: int) -> list[socket.socket]:
    """``count`` connections, each sending a CNXN header for ``announced`` bytes and half of them."""
    sockets = []
    for _ in range(count):
        sock = socket.create_connection(address, timeout=10)
        sockets.append(sock)
        try:
            sock.sendall(cnxn_header(announced) + b"h" * (announced // 2))
        except OSError:  # the device already closed it (oversized header): what the cap is for
            pass
    return sockets


def closed_within(sock: socket.socket, timeout: float) -> float | None:
    """Seconds until the peer closes ``sock`` (EOF or reset), None if still open after ``timeout``."""
    start = time.monotonic()
    sock.settimeout(timeout)
    try:
        while sock.recv(65536):
            pass
    except socket.timeout:
        return None
    except OSError:
        pass
    return time.monotonic() - start


def is_open(sock: socket.socket) -> bool:
    """True if the peer has neither closed nor reset the connection (nothing is read)."""
    sock.setblocking(False)
    try:
        return sock.recv(1, socket.MSG_PEEK) != b""
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        sock.setblocking(True)


def test_100_connections_sending_half_a_mib_packet_cost_little_and_are_closed():
    """Before the handshake a packet may carry 4096 bytes, so a 1 MiB header is refused at once."""
    with VirtualFireTVProcess(auth="required", extra_args=("--handshake-timeout", "5")) as tv:
        baseline = proc_status_kib(tv.pid, "VmRSS")
        sockets = open_half_packets((tv.host, tv.port), 100, 1 * MiB)
        try:
            times = [closed_within(sock, 5 + 5) for sock in sockets]
            peak = proc_status_kib(tv.pid, "VmHWM")
        finally:
            for sock in sockets:
                sock.close()
        print(f"RSS baseline {baseline / 1024:.1f} MB, peak {peak / 1024:.1f} MB; "
              f"slowest close {max(t for t in times if t is not None) if any(times) else None}")
        assert all(t is not None for t in times), f"{times.count(None)} of 100 connections still open"
        assert peak <= 120 * 1024, f"virtual device peaked at {peak / 1024:.0f} MB RSS"


def test_a_truncated_handshake_is_closed_after_the_handshake_timeout():
    timeout = 1.5
    with VirtualFireTVProcess(auth="required", extra_args=("--handshake-timeout", str(timeout))) as tv:
        start = time.monotonic()
        truncated = open_half_packets((tv.host, tv.port), 20, packets.MAX_PAYLOAD_V1)
        silent = [socket.create_connection((tv.host, tv.port), timeout=10) for _ in range(5)]
        try:
            for sock in truncated + silent:
                assert closed_within(sock, timeout + 10) is not None, "a stalled handshake was kept open"
            elapsed = time.monotonic() - start
            assert elapsed >= timeout * 0.9, f"closed after {elapsed:.2f} s, before the {timeout} s timeout"
        finally:
            for sock in truncated + silent:
                sock.close()


def test_a_host_waiting_for_allow_is_not_cut_off_by_the_handshake_timeout(tmp_path):
    """A real Fire TV keeps an unknown host "unauthorized" while the dialog is up; so does this one."""
    timeout = 1.0
    with AdbServer(home=tmp_path / "home") as server, \
            VirtualFireTVProcess(auth="required", adb_keys=tmp_path / "adb_keys",
                                 extra_args=("--handshake-timeout", str(timeout))) as tv:
        client = server.client()
        assert "failed to authenticate" in client.connect(tv.address, timeout=10)
        end = time.monotonic() + 3 * timeout
        while time.monotonic() < end:  # watched over three timeouts, it never goes offline
            assert device_state(client, tv.address) == "unauthorized"
            time.sleep(0.1)


def test_connections_beyond_the_limit_are_closed_and_a_free_slot_is_usable_again():
    limit = 10
    with VirtualFireTVProcess(auth="none", extra_args=("--max-connections", str(limit),
                                                       "--handshake-timeout", "60")) as tv:
        idle = [socket.create_connection((tv.host, tv.port), timeout=10) for _ in range(limit)]
        try:
            extra = socket.create_connection((tv.host, tv.port), timeout=10)
            assert closed_within(extra, 10) is not None, "connection beyond the limit was kept"
            extra.close()
            assert all(is_open(sock) for sock in idle)
            idle.pop().close()
            # The device notices the close asynchronously: retry until a new connection is accepted.
            def handshake() -> bool:
                with socket.create_connection((tv.host, tv.port), timeout=10) as sock:
                    banner = b"host::features=shell_v2"
                    sock.sendall(cnxn_header(len(banner)) + banner)
                    try:
                        reply = sock.recv(packets.HEADER_SIZE)
                    except OSError:
                        return False
                    return len(reply) >= 4 and int.from_bytes(reply[:4], "little") == packets.A_CNXN
            wait_until(handshake, 10, "a connection accepted once a slot is free")
        finally:
            for sock in idle:
                sock.close()


def read_message(sock: socket.socket) -> int:
    """The command of the next whole message from the device (its payload is read and dropped)."""
    def exactly(n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = sock.recv(n - len(data))
            if not chunk:
                raise ConnectionError("closed by the device")
            data += chunk
        return data
    command, _, _, length, _, _ = packets.HEADER.unpack(exactly(packets.HEADER_SIZE))
    exactly(length)
    return command


@pytest.mark.parametrize("online", [False, True])
def test_the_payload_cap_applies_only_before_the_handshake(online):
    """After CNXN (no auth) the device accepts packets up to the 1 MiB it advertised."""
    banner = b"host::features=shell_v2"
    body = b"x" * (packets.MAX_PAYLOAD_V1 + 1)
    okay = packets.HEADER.pack(packets.A_OKAY, 1, 1, len(body), 0, packets.A_OKAY ^ 0xFFFFFFFF)
    with VirtualFireTVProcess(auth="none") as tv:
        with socket.create_connection((tv.host, tv.port), timeout=10) as sock:
            if online:
                sock.sendall(cnxn_header(len(banner)) + banner)
                assert read_message(sock) == packets.A_CNXN
            sock.sendall(okay + body)  # an OKAY for no stream: ignored once online
            if online:
                sock.sendall(cnxn_header(len(banner)) + banner)  # still answered: not dropped
                assert read_message(sock) == packets.A_CNXN
            else:
                assert closed_within(sock, 10) is not None
