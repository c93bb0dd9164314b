"""`firebridge doctor` tells an unauthorized Fire TV from an offline one, names it and says what to do,
through the real adb server: a virtual Fire TV that refuses this computer's key, and one whose adbd
does not answer (its process stopped, so adb's handshake never completes)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from firebridge.adb.connect import device_state
from firebridge.adb.server import AdbServer
from firebridge.device.firetv import FireTV
from firebridge.doctor import check_device
from firebridge.virtual.process import VirtualFireTVProcess
from firebridge.waiting import wait_until


@pytest.fixture
def server(tmp_path: Path):
    """A server of its own: the device under diagnosis is the only one it lists."""
    with AdbServer(home=tmp_path / "adb-home", user_keys=False) as srv:
        yield srv


def _doctor(server: AdbServer, *device: str) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "firebridge", "doctor", "--adb-server", server.address, *device],
                            capture_output=True, text=True, timeout=60)
    return result, time.monotonic() - started


def test_unauthorized_says_what_to_press_on_the_tv(server, tmp_path):
    with VirtualFireTVProcess(auth="required", adb_keys=tmp_path / "no_keys") as tv:
        named, seconds = _doctor(server, "--device", tv.address)
        listed, _ = _doctor(server)  # no device named: the one listed, unauthorized, is explained
        server.client().disconnect(tv.address)
    assert seconds < 15  # said at once, not after the 15 s a person gets to press Allow
    for result in (named, listed):
        out = result.stdout
        assert result.returncode == 1, out
        assert f"[FAIL] device: {tv.address} is unauthorized" in out
        assert f'a dialog "Allow USB debugging?" is waiting on the TV ({tv.address}): select "Always allow from ' \
               f'this computer", then OK.' in out
        assert "Settings > My Fire TV > Developer Options" in out and "ADB debugging: turn it off and on again" in out
        assert f"adb disconnect {tv.address}; adb connect {tv.address}" in out
        assert "$ADB_VENDOR_KEYS (not set)" in out  # the keys the server offered (user_keys=False: none)
        assert "offline" not in out and "not answering" not in out


def test_offline_says_adbd_is_not_answering(server):
    with VirtualFireTVProcess(auth="none") as tv:
        os.kill(tv.pid, signal.SIGSTOP)  # adbd hangs: TCP is accepted, adb's CNXN is never answered
        try:
            named, seconds = _doctor(server, "--device", tv.address)
            wait_until(lambda: device_state(server.client(), tv.address) == "offline", 5, f"{tv.address} offline")
            listed, _ = _doctor(server)
        finally:
            os.kill(tv.pid, signal.SIGCONT)
            server.client().disconnect(tv.address)
    assert seconds < 15
    for result in (named, listed):
        out = result.stdout
        assert result.returncode == 1, out
        assert f"[FAIL] device: {tv.address} is offline: adb sees it but the device's adbd is not answering" in out
        assert f"reconnect it: `adb disconnect {tv.address}; adb connect {tv.address}`" in out
        assert f"restart the adb server at {server.address} (`adb -P {server.port} kill-server`" in out
        assert "reboot the TV" in out
        assert "Allow USB debugging" not in out and "unauthorized" not in out


def test_listed_as_a_device_but_silent_is_the_offline_advice(start_virtual_device):
    session = start_virtual_device()
    os.kill(session.process.pid, signal.SIGSTOP)  # the transport stays listed as "device"
    try:
        checks = list(check_device(FireTV(session.serial, adb_server=session.adb_server.address)))
    finally:
        os.kill(session.process.pid, signal.SIGCONT)
    assert len(checks) == 1
    assert checks[0].detail == f"{session.serial} is listed as a device but its adbd did not answer `echo firebridge-ok`"
    assert "reconnect it" in checks[0].fix and "reboot the TV" in checks[0].fix
