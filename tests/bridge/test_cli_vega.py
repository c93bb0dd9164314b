"""`firebridge devices|doctor|press|rows|logs|virtual` against a virtual Vega OS device: each says the platform."""

from __future__ import annotations

import subprocess
import sys
import uuid

import pexpect
import pytest


@pytest.fixture
def vega(start_virtual_device):
    session = start_virtual_device(os="vega")

    def firebridge(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "firebridge", *args, "--adb-server",
                               session.adb_server.address, "--device", session.serial],
                              capture_output=True, text=True, timeout=timeout)

    firebridge.session = session
    return firebridge


def test_devices_says_vega_and_its_os_version(vega):
    result = subprocess.run([sys.executable, "-m", "firebridge", "devices", "--adb-server",
                             vega.session.adb_server.address], capture_output=True, text=True, timeout=60)
    line = next(line for line in result.stdout.splitlines() if line.startswith(vega.session.serial))
    assert line.split()[-2:] == ["vega", "1.2"], result.stdout
    assert " yes " in line


def test_doctor_names_the_vega_build(vega):
    result = vega("doctor")
    assert "[  ok] Fire TV: Vega device (Vega OS 1.2), OS 1.2 (TV Ship/101520710)" in result.stdout, result.stdout


def test_press_sends_keys_through_inputd(vega):
    result = vega("press", "DPAD_DOWN", "SELECT")
    assert result.returncode == 0, result.stderr
    assert "(vega): pressed DOWN SELECT" in result.stdout


def test_rows_reads_the_vega_launcher(vega):
    result = vega("rows")
    assert "(Vega device (Vega OS 1.2)):" in result.stdout, result.stdout + result.stderr
    assert "Your Apps:" in result.stdout and "Reference TV" in result.stdout


def test_logs_follow_the_journal(vega):
    marker = f"fb-cli-{uuid.uuid4().hex[:8]}"
    child = pexpect.spawn(sys.executable, ["-m", "firebridge", "logs", "--adb-server", vega.session.adb_server.address,
                                           "--device", vega.session.serial], encoding="utf-8", timeout=30)
    try:
        child.expect("vega: loggingctl log -f")
        vega.session.firetv().shell(f"logger -t firebridge -- {marker}")
        child.expect(marker)
    finally:
        child.terminate(force=True)


def test_virtual_lists_the_vega_os_option():
    result = subprocess.run([sys.executable, "-m", "firebridge", "virtual", "--help"], capture_output=True, text=True,
                            timeout=60)
    assert "--os" in result.stdout and "vega" in result.stdout


def test_vega_serial_comes_before_android_serial(vega):
    """VEGA_SERIAL (Vega SDK docs) names the device before VDA_SERIAL and ANDROID_SERIAL."""
    import os
    env = {**os.environ, "VEGA_SERIAL": vega.session.serial, "VDA_SERIAL": "no-such-vda",
           "ANDROID_SERIAL": "no-such-android"}
    result = subprocess.run([sys.executable, "-m", "firebridge", "press", "HOME", "--adb-server",
                             vega.session.adb_server.address], capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 0, result.stderr
    assert f"{vega.session.serial} (vega): pressed HOME" in result.stdout
