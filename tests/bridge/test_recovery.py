"""The one recovery path (firebridge.adb.connect.connect_and_probe) against the real adb server: each outcome."""

from __future__ import annotations

import os
import signal
import socket
import threading
import time
from pathlib import Path

import pytest

from firebridge.adb.connect import Ready, connect_and_probe, connect_refused, probe_answered
from firebridge.adb.server import free_port
from firebridge.adb.wire import AdbServerClient
from firebridge.errors import (AdbServerUnreachable, ConnectFailed, DeviceNotFound, DeviceOffline,
                               DeviceUnauthorized)
from firebridge.lab.classify import INFRA, classify
from firebridge.virtual.process import VirtualFireTVProcess
from firebridge.waiting import wait_until


def _client(adb_server) -> AdbServerClient:
    return AdbServerClient(adb_server.host, adb_server.port)


# -- pure ------------------------------------------------------------------------------------------
def test_the_probe_answer_is_read_the_same_through_a_pty():
    assert probe_answered(b"firebridge-ok\n")  # shell v2 / raw shell (Fire OS 6+, Vega OS)
    assert probe_answered(b"firebridge-ok\r\n")  # Fire OS 5: no shell v2, so shell: output comes through a PTY
    assert probe_answered("firebridge-ok\r\n")
    assert not probe_answered(b"")
    assert not probe_answered(b"/system/bin/sh: echo: not found\r\n")


def test_what_adb_connect_says_when_it_cannot_reach_the_address():
    assert connect_refused("failed to connect to '127.0.0.1:1': Connection refused")  # adb 1.0.41+
    assert connect_refused("failed to connect to 192.168.1.20:5555")  # no handshake within adb's 10 s
    assert connect_refused("unable to connect to 192.168.1.20:5555: Connection refused")  # older adb
    assert connect_refused("cannot connect to 192.168.1.20:5555: No route to host")
    assert not connect_refused("connected to 192.168.1.20:5555")
    assert not connect_refused("already connected to 192.168.1.20:5555")
    assert not connect_refused("failed to authenticate to 192.168.1.20:5555")  # normal on first contact


# -- against the adb server ------------------------------------------------------------------------
def test_ready(virtual_device):
    ready = connect_and_probe(_client(virtual_device.adb_server), virtual_device.serial, timeout=10)
    assert isinstance(ready, Ready) and ready.serial == virtual_device.serial


def test_a_refused_address_fails_at_once_with_the_address_and_the_fix(adb_server):
    address = f"127.0.0.1:{free_port()}"
    started = time.monotonic()
    with pytest.raises(ConnectFailed) as caught:
        connect_and_probe(_client(adb_server), address, timeout=15)
    assert time.monotonic() - started < 3  # one `adb connect`, not the whole 15 s
    message = str(caught.value)
    assert address in message and "Connection refused" in message and "ADB debugging" in message
    assert classify(caught.value) == (INFRA, "device lost")


def test_a_dropped_device_that_stays_away_is_retried_until_the_timeout(adb_server):
    address = f"127.0.0.1:{free_port()}"
    started = time.monotonic()
    with pytest.raises(ConnectFailed, match="dropped and did not come back within 1.5 s"):
        connect_and_probe(_client(adb_server), address, timeout=1.5, patient=True)
    assert time.monotonic() - started >= 1.5


def test_a_usb_serial_that_is_not_listed_is_gone(virtual_device):
    with pytest.raises(DeviceNotFound, match="G070NOPE is not attached") as caught:
        connect_and_probe(_client(virtual_device.adb_server), "G070NOPE", timeout=15)
    assert virtual_device.serial in str(caught.value)  # says what is attached instead


def test_no_adb_server():
    with pytest.raises(AdbServerUnreachable, match="no adb server"):
        connect_and_probe(AdbServerClient("127.0.0.1", free_port()), "127.0.0.1:5555", timeout=5)


def test_unauthorized_is_waited_for_then_says_press_allow(adb_server, tmp_path: Path):
    with VirtualFireTVProcess(auth="required", adb_keys=tmp_path / "no_keys") as stranger:
        try:
            with pytest.raises(DeviceUnauthorized, match="press Allow.*Allow USB debugging") as caught:
                connect_and_probe(_client(adb_server), stranger.address, timeout=1)
        finally:
            adb_server.client().disconnect(stranger.address)
    assert classify(caught.value) == (INFRA, "device unauthorized")


@pytest.fixture
def silent_peer():
    """A TCP peer that accepts and never speaks adb (an adbd that hangs before its handshake)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    accepted: list[socket.socket] = []

    def accept() -> None:
        try:
            while True:
                accepted.append(listener.accept()[0])
        except OSError:  # closed at the end of the test
            pass

    threading.Thread(target=accept, daemon=True).start()
    yield f"127.0.0.1:{listener.getsockname()[1]}"
    listener.close()
    for conn in accepted:
        conn.close()


def test_offline(adb_server, silent_peer: str):
    client = _client(adb_server)
    try:
        with pytest.raises(OSError):  # adb itself waits 10 s for the handshake; no need to here
            client.connect(silent_peer, timeout=0.3)
        wait_until(lambda: client.state(silent_peer) == "offline", 5, f"{silent_peer} listed offline")
        with pytest.raises(DeviceOffline, match="is offline.*adb reconnect offline") as caught:
            connect_and_probe(client, silent_peer, timeout=1.5)
        assert caught.value.state == "offline"
        assert classify(caught.value) == (INFRA, "device lost")
    finally:
        client.disconnect(silent_peer)


def test_listed_but_silent_is_offline_and_recovers_when_it_answers_again(start_virtual_device):
    session = start_virtual_device()
    client = _client(session.adb_server)
    os.kill(session.process.pid, signal.SIGSTOP)  # adbd hangs: the transport stays listed as "device"
    try:
        with pytest.raises(DeviceOffline, match="listed as a device but did not answer") as caught:
            connect_and_probe(client, session.serial, timeout=1, probe_timeout=0.5)
        assert caught.value.state == "device"
    finally:
        os.kill(session.process.pid, signal.SIGCONT)
    assert connect_and_probe(client, session.serial, timeout=15, patient=True).serial == session.serial
