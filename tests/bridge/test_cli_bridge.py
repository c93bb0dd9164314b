"""`firebridge devices|doctor|press|rows|logs|pmr` against a virtual Fire TV, as a person runs them."""

from __future__ import annotations

import subprocess
import sys
import uuid

import pexpect
import pytest


@pytest.fixture
def run(start_virtual_device):
    session = start_virtual_device()

    def firebridge(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "firebridge", *args, "--adb-server",
                               session.adb_server.address, "--device", session.serial],
                              capture_output=True, text=True, timeout=timeout)

    firebridge.session = session
    return firebridge


def test_doctor_reports_consent_off_and_how_to_fix_it(run):
    result = run("doctor")
    assert result.returncode == 1, result.stdout
    assert "[  ok] Fire TV: AFTMM" in result.stdout
    assert "[FAIL] privacy consent: off: Share App Viewing and Content Info, Sync Across Devices" in result.stdout
    assert "fix: Settings > Preferences > Privacy Settings > Manage Sharing from Apps: turn on" in result.stdout
    assert "[  ok] app: com.firebridge.reference is installed" in result.stdout


def test_doctor_is_clean_once_consent_is_on(run):
    from firebridge.capabilities.privacy import Privacy
    Privacy(run.session.firetv()).enable_continue_watching()
    result = run("doctor")
    assert result.returncode == 0, result.stdout
    assert "[  ok] privacy consent: both toggles on" in result.stdout


def test_devices_lists_identity(run):
    result = subprocess.run([sys.executable, "-m", "firebridge", "devices", "--adb-server",
                             run.session.adb_server.address], capture_output=True, text=True, timeout=30)
    line = next(line for line in result.stdout.splitlines() if line.startswith(run.session.serial))
    assert line.split()[1:] == ["device", "AFTMM", "yes", "fireos", "6.7.1.1"]


def test_press_checks_key_names_before_sending(run):
    ok = run("press", "DPAD_DOWN", "SELECT")
    assert ok.returncode == 0 and "pressed DOWN SELECT" in ok.stdout
    bad = run("press", "HOEM")
    assert bad.returncode != 0 and "HOEM" in bad.stderr and "HOME" in bad.stderr
    assert "KEYCODE_UNKNOWN" not in run.session.adb("logcat", "-d", "-s", "Input").stdout.decode()


def test_rows_prints_the_home_screen(run):
    result = run("rows")
    assert result.returncode == 0, result.stderr
    assert "Your Apps:" in result.stdout and "Reference TV" in result.stdout


def test_pmr_post_from_yaml_and_bad_yaml(run, tmp_path):
    good = tmp_path / "recs.yaml"
    good.write_text("recommendations:\n  - id: 4\n    title: Night Harbor\n    text: Continue the story\n"
                    "    rank: 1\n    display_name: Reference TV\n")
    result = run("pmr", "post", str(good))
    assert result.returncode == 0, result.stderr
    assert "id 4: 'Night Harbor' -> result=-1" in result.stdout and "1 active recommendation" in result.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text("recommendations:\n  - id: 5\n    title: X\n    rank: -3\n")
    failure = run("pmr", "post", str(bad))
    assert failure.returncode == 1
    assert f"{bad}:4" in failure.stderr and "rank" in failure.stderr.lower()


def test_logs_playback_decodes_reports(run):
    session = run.session
    child = pexpect.spawn(sys.executable, ["-m", "firebridge", "logs", "--playback", "--adb-server",
                                           session.adb_server.address, "--device", session.serial],
                          timeout=30, encoding="utf-8")
    try:
        child.expect("following")
        marker = uuid.uuid4().hex
        session.adb("shell", f"log -t VegaAlbertoBinderService 'x:VegaAlbertoBinderService PlaybackEventsVegaMessage "
                             f"→ message.sent_timestamp: 1, content_id id : {marker}, playback_state :2, "
                             f"duration_ms : 100, credits_position_ms :90'")
        child.expect(f"playback  {marker}  state=EXIT  duration_ms=100  credits_ms=90")
    finally:
        child.sendintr()
        child.close(force=True)


def _firebridge_with_env(*args: str, **variables: str) -> subprocess.CompletedProcess:
    import os
    env = {k: v for k, v in os.environ.items()
           if k not in ("ADB_SERVER_SOCKET", "ANDROID_ADB_SERVER_ADDRESS", "ANDROID_ADB_SERVER_PORT", "ANDROID_SERIAL")}
    return subprocess.run([sys.executable, "-m", "firebridge", *args], capture_output=True, text=True, timeout=60,
                          env=dict(env, **variables))


def test_adb_server_socket_chooses_the_server_as_for_adb(run):
    session = run.session
    result = _firebridge_with_env("devices", ADB_SERVER_SOCKET=f"tcp:{session.adb_server.address}")
    assert any(line.startswith(session.serial) for line in result.stdout.splitlines()), result.stdout + result.stderr


def test_dash_s_and_android_serial_choose_the_device_as_for_adb(run):
    session = run.session
    port = str(session.adb_server.port)
    by_flag = _firebridge_with_env("press", "-s", session.serial, "HOME", ANDROID_ADB_SERVER_PORT=port)
    assert by_flag.returncode == 0 and f"{session.serial} (fireos): pressed HOME" in by_flag.stdout, by_flag.stderr
    by_variable = _firebridge_with_env("press", "HOME", ANDROID_ADB_SERVER_PORT=port, ANDROID_SERIAL=session.serial)
    assert by_variable.returncode == 0 and f"{session.serial} (fireos): pressed HOME" in by_variable.stdout, by_variable.stderr


def test_a_device_address_that_refuses_is_a_quick_clear_error(run):
    from firebridge.adb.server import free_port
    address = f"127.0.0.1:{free_port()}"
    result = _firebridge_with_env("press", "-s", address, "HOME", "--adb-server", run.session.adb_server.address)
    assert result.returncode == 1
    assert f"adb connect {address} failed" in result.stderr and "ADB debugging" in result.stderr
