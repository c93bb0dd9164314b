"""The bridge against each Fire OS generation's adbd, through a real adb server.

Fire OS 5 (AFTT, Android 5.1) has no shell_v2: ``adb shell`` runs on a PTY (CRLF line ends, stderr mixed
in, no exit status). firebridge must still read its props and exit codes (the echo marker).
"""

from __future__ import annotations

import time

import pytest

from firebridge.device.firetv import normalize_newlines, parse_getprop, parse_shell_v1


def test_parse_shell_v1_strips_the_pty_crlf_and_reads_the_marker() -> None:
    body, status = parse_shell_v1(b"[ro.product.model]: [AFTT]\r\n[ro.build.version.sdk]: [22]\r\nFBEXIT:0\r\n")
    assert body == "[ro.product.model]: [AFTT]\n[ro.build.version.sdk]: [22]\n"
    assert status == 0
    assert parse_shell_v1(b"boom\r\nFBEXIT:127\r\n") == ("boom\n", 127)
    assert parse_shell_v1(b"cut off mid-command\r\n") == ("cut off mid-command\n", -1)


def test_getprop_parsing_tolerates_crlf() -> None:
    props = parse_getprop("[ro.product.model]: [AFTT]\r\n[ro.build.platform.version]: []\r\n")
    assert props == {"ro.product.model": "AFTT", "ro.build.platform.version": ""}
    assert normalize_newlines("a\r\r\nb\r\n") == "a\nb\n"


def test_fire_os_5_answers_through_a_pty_and_firebridge_reads_it(start_virtual_device) -> None:
    session = start_virtual_device(model="AFTT")
    features = session.adb("features").stdout.decode()
    assert "shell_v2" not in features
    raw = session.adb("shell", "getprop").stdout.decode()  # the adb client's own answer, no firebridge in between
    assert "[ro.product.model]: [AFTT]\r\n" in raw
    assert "\n" not in raw.replace("\r\n", "")  # every line end is CRLF (the PTY's ONLCR)
    tv = session.firetv()
    assert tv.model == "AFTT"
    assert tv.sdk == 22
    assert tv.fire_os is not None and tv.fire_os.startswith("5.")
    assert tv.is_fire_tv
    result = tv.shell("echo out; echo err >&2; exit 3")
    assert result.exit_code == 3
    assert result.stdout == "out\nerr\n"  # merged, as a PTY merges them, and LF only
    assert tv.shell(["getprop", "ro.product.model"]).stdout == "AFTT\n"


@pytest.mark.parametrize("model, shell_v2", [("AFTMM", True), ("AFTKA", True), ("AFTKRT", True)])
def test_later_generations_advertise_shell_v2(start_virtual_device, model: str, shell_v2: bool) -> None:
    session = start_virtual_device(model=model)
    assert ("shell_v2" in session.adb("features").stdout.decode()) is shell_v2
    result = session.firetv().shell("echo out; echo err >&2; exit 3")
    assert (result.stdout, result.stderr, result.exit_code) == ("out\n", "err\n", 3)


def test_split_after_home() -> None:
    from firebridge.capabilities.remote import Key, split_after_home
    assert split_after_home([Key.HOME, Key.DPAD_UP, "RIGHT"]) == [[Key.HOME], [Key.DPAD_UP, "RIGHT"]]
    assert split_after_home(["UP", "home", "DOWN", "HOME"]) == [["UP", "home"], ["DOWN", "HOME"]]
    assert split_after_home([]) == []


def test_uiautomator_retry_pauses_double() -> None:
    from firebridge.platforms.fireos.uiautomator import retry_pauses
    assert retry_pauses(4, 0.25) == [0.25, 0.5, 1.0]
    assert retry_pauses(1) == []


def test_pace_stretches_waits_by_device_calls() -> None:
    from firebridge.device.pace import DevicePace
    fast = DevicePace(round_trip=0.01, input_call=0.03)
    stick = DevicePace(round_trip=0.05, input_call=0.8)
    assert fast.timeout(10, calls=4) == pytest.approx(10.12)
    assert stick.timeout(10, calls=4, dumps=1) == pytest.approx(10 + 3.2 + 2.4)
    assert "input" in stick.describe()


def test_keys_after_home_are_not_lost_on_a_slow_device(start_virtual_device) -> None:
    """HOME then DOWN in one press(): the DOWN must not be sent into the HOME transition (where a real
    Fire TV drops it); firebridge waits for the launcher's focus in between."""
    from firebridge.capabilities.remote import Key, Remote
    session = start_virtual_device(model="AFTKA", speed=5, timing="hardware")
    tv = session.firetv()
    tv.run(["am", "start", "-n", "com.amazon.tv.settings.v2/.tv.SettingsHomeActivity"])
    tv.driver.wait_for_focus("com.amazon.tv.settings.v2", 20)
    Remote(tv).press(Key.HOME, Key.DPAD_DOWN)
    assert tv.driver.focus().package == "com.amazon.tv.launcher"
    log = tv.run(["logcat", "-d", "-s", "InputDispatcher"])
    assert "Dropped event" not in log


def test_uiautomator_null_root_is_retried(start_virtual_device) -> None:
    """Every fifth dump on the hardware profile is a null root with exit code 0; dump() retries it."""
    from firebridge.device.ui import dump
    session = start_virtual_device(model="AFTMM", speed=20, timing="hardware")
    tv = session.firetv()
    trees = [dump(tv) for _ in range(6)]
    assert all(tree.packages for tree in trees)


def test_log_tail_strips_cr_cr_lf_split_across_reads(tmp_path) -> None:
    """Fire OS 5's logcat runs on the device's PTY and again on the host's: CR CR LF, split anywhere."""
    from firebridge.device.logbuffer import LogBuffer
    from firebridge.device.logs import LogTail
    tail = LogTail("serial", tmp_path / "device.log", adb="adb")
    tail.buffer = LogBuffer(tmp_path / "device.log")
    for chunk in ("line 1\r", "\r\nline 2\r\r", "\nline 3\r\r\nline", " 4\r\r\n"):
        tail._append(chunk)
    tail._append("", end=True)
    assert tail.text() == "line 1\nline 2\nline 3\nline 4\n"


def test_log_tail_keeps_up_with_a_chatty_device(start_virtual_device, tmp_path) -> None:
    """Hundreds of background lines a second: the tail reads in the background, so a line logged now is
    seen at once even when nobody read the tail for a while."""
    from firebridge.adb.server import bundled_adb
    from firebridge.device.logs import LogTail
    session = start_virtual_device(model="AFTMM", speed=1, timing="hardware")
    tv = session.firetv()
    with LogTail(session.serial, tmp_path / "device.log", adb=bundled_adb(), adb_server=tv.adb_server) as tail:
        time.sleep(3)  # ~450 chatter lines pile up unread
        tv.run(["log", "-t", "FBMARK", "after the chatter"])
        tail.wait_for(r"FBMARK\s*: after the chatter", timeout=5)


def test_log_lines_of_a_fire_os_5_device_carry_no_cr(start_virtual_device, tmp_path) -> None:
    """logcat on Fire OS 5 goes through the device's PTY and the host's: lines end CR CR LF."""
    from firebridge.adb.server import bundled_adb
    from firebridge.device.logs import LogTail
    session = start_virtual_device(model="AFTT")
    tv = session.firetv()
    with LogTail(session.serial, tmp_path / "device.log", adb=bundled_adb(), adb_server=tv.adb_server) as tail:
        since = tail.mark()
        tv.run(["log", "-t", "FBMARK", "plain line"])
        tail.wait_for(r"FBMARK\s*: plain line", since=since, timeout=5)
        assert [line for line in tail.lines(since) if "FBMARK" in line][0].endswith("plain line")
        assert "\r" not in tail.text(since)
