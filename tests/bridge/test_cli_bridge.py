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
    assert line.split()[1:] == ["device", "AFTMM", "yes", "6.7.1.1"]


def test_press_checks_key_names_before_sending(run):
    ok = run("press", "DPAD_DOWN", "SELECT")
    assert ok.returncode == 0 and "pressed DPAD_DOWN DPAD_CENTER" in ok.stdout
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
