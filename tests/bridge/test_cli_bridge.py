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
    assert "id 4: 'Night Harbor' posted (result=-1" in result.stdout
    assert "1 active recommendation from" in result.stdout
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
        # Fire OS: the evidence is the app's own line, as the reference profile's log_patterns name it.
        session.adb("shell", f"log -t ReferenceTV 'reportNewPlaybackEvent type=Active cdf_id={marker} state=EXIT(2) "
                             f"position_ms=5 duration_ms=100 credits_position_ms=90 profile_id=p reason=leave'")
        child.expect(f"playback  {marker}  state=EXIT  duration_ms=100  credits_ms=90")
        session.adb("shell", f"log -t ReferenceTV 'reportNewContentInteraction type=LIKE(3) cdf_id={marker} "
                             f"profile_id=p'")
        child.expect(f"reportNewContentInteraction interaction_type=LIKE content_id={marker}")
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


def test_pmr_post_numbers_items_without_ids_keeps_spaces_and_warns_once(run, tmp_path):
    recs = tmp_path / "recs.yaml"
    recs.write_text("- title: First\n  content_id: live channel 7\n  display_name: Reference TV Extra Long\n"
                    "- title: Second\n  id: 1\n- title: Third\n")
    result = run("pmr", "post", str(recs))
    assert result.returncode == 0, result.stderr
    assert "2 recommendations in" in result.stdout and "'First' id 2, 'Third' id 3" in result.stdout
    assert "3 active recommendations from" in result.stdout  # none overwrote another
    assert (result.stdout + result.stderr).count("cuts it to") == 1  # the warning, once
    from firebridge.capabilities.pmr import PMR, Recommendation
    posted = {r.id: Recommendation.from_notification(r) for r in PMR(run.session.firetv()).active()}
    assert posted[2].content_id == "live channel 7" and posted[3].title == "Third"  # the space kept


def test_pmr_post_strict_checks_the_whole_file_before_posting(run, tmp_path):
    recs = tmp_path / "recs.yaml"
    recs.write_text("- {id: 1, title: Fine}\n- {id: 2, title: Long, display_name: A Name Over Fifteen}\n")
    result = run("pmr", "post", "--strict", str(recs))
    assert result.returncode == 1 and "nothing posted" in result.stderr and "id 2 ('Long')" in result.stderr
    from firebridge.capabilities.pmr import PMR
    assert PMR(run.session.firetv()).active() == []  # not even the first, valid one


def test_pmr_post_refuses_an_id_given_twice(run, tmp_path):
    recs = tmp_path / "recs.yaml"
    recs.write_text("- {id: 1, title: A}\n- {id: 1, title: B}\n")
    result = run("pmr", "post", str(recs))
    assert result.returncode == 1 and f"{recs}:2: id 1 is given twice (first at line 1)" in result.stderr


def test_rows_marks_the_focused_tile_outside_the_brackets():
    from firebridge.capabilities.home import Tile
    from firebridge.cli import tile_line
    assert tile_line(1, Tile("Night Harbor", focused=True)) == "   1. Night Harbor  (focused)"
    assert tile_line(2, Tile("X", focused=True, rating="PG13", pin_required=True)) == "   2. X  [PG13 PIN]  (focused)"
    assert tile_line(3, Tile("Y")) == "   3. Y"


def test_help_texts_are_plain_text_not_rst():
    import argparse
    from firebridge.cli import build_parser

    def texts(parser: argparse.ArgumentParser):
        yield parser.format_help()
        for action in parser._actions:  # argparse keeps its subparsers only here
            if isinstance(action, argparse._SubParsersAction):
                for sub in action.choices.values():
                    yield from texts(sub)

    for text in texts(build_parser()):
        assert "``" not in text and ":class:`" not in text and ":func:`" not in text, text


def test_counts_say_one_fire_tv_and_two_fire_tvs():
    from firebridge.text import plain, plural
    assert (plural(1, "Fire TV"), plural(2, "Fire TV"), plural(0, "entry")) == ("1 Fire TV", "2 Fire TVs", "0 entries")
    assert plain("The ``firebridge`` command; see :class:`~firebridge.lab.bench.Bench`.") == \
        "The firebridge command; see Bench."
