"""Each Fire OS generation's virtual device: adbd features, window dump, launcher tree, limit wording,
and the hardware timing profile (through the real adb server where time has to pass)."""

from __future__ import annotations

import re
import time

import pytest

from firebridge.capabilities.home import parse_home
from firebridge.platforms.fireos.activity import parse_focus
from firebridge.device.ui import parse_dump
from firebridge.virtual.fireos.models import get_model
from firebridge.virtual.fireos.personality import create_device as VirtualDevice  # a built Fire OS device
from firebridge.virtual.fireos.timing import FAST, HARDWARE, get_timing
from firebridge.waiting import wait_until
from tests.conftest import DeviceShell

GENERATIONS = [("AFTT", 5, 22), ("AFTMM", 6, 25), ("AFTKA", 7, 28), ("AFTKRT", 8, 30)]


@pytest.mark.parametrize("code, fire_os, sdk", GENERATIONS)
def test_each_generation_has_its_android_level(code: str, fire_os: int, sdk: int) -> None:
    model = get_model(code)
    assert (model.fire_os_major, model.sdk) == (fire_os, sdk)
    assert model.properties("G0000000000000000")["ro.build.version.sdk"] == str(sdk)


def test_adbd_features_follow_the_android_release() -> None:
    assert get_model("AFTT").adbd_features == ()
    assert get_model("AFTMM").adbd_features == ("shell_v2",)
    assert "ls_v2" in get_model("AFTKA").adbd_features and "sendrecv_v2" not in get_model("AFTKA").adbd_features
    assert "sendrecv_v2" in get_model("AFTKRT").adbd_features
    assert not any("delayed_ack" in get_model(code).adbd_features for code, _, _ in GENERATIONS)


def test_fire_os_5_banner_has_no_features_part(tmp_path) -> None:
    banner = VirtualDevice(tmp_path, model="AFTT").banner([]).decode()
    assert banner == "device::ro.product.name=full_tank;ro.product.model=AFTT;ro.product.device=tank;"


def test_generation_details() -> None:
    assert not get_model("AFTT").toybox and get_model("AFTMM").toybox
    assert [get_model(c).launcher_style for c, _, _ in GENERATIONS] == ["views", "views", "views", "compose"]
    assert get_model("AFTMM").notification_limit_wording == "posted"
    assert get_model("AFTKA").notification_limit_wording == "posted or enqueued"


@pytest.mark.parametrize("code, has_focus_lines", [("AFTKA", True), ("AFTKRT", False)])
def test_window_dump_focus_lines_per_generation(tmp_path, code: str, has_focus_lines: bool) -> None:
    out = DeviceShell(VirtualDevice(tmp_path, model=code))("dumpsys window windows").stdout
    assert ("mCurrentFocus=" in out) is has_focus_lines
    assert ("mFocusedApp=" in out) is has_focus_lines
    # python-androidtv #372: on Fire OS 8 only the input-method target names the focused window.
    assert parse_focus(out).package == "com.amazon.tv.launcher"


def test_parse_focus_reads_each_form() -> None:
    assert parse_focus("  mCurrentFocus=Window{22af1f52 u0 com.amazon.tv.launcher/com.amazon.tv.launcher.ui."
                       "HomeActivity_vNext}\n").package == "com.amazon.tv.launcher"
    assert parse_focus("  mInputMethodTarget in display# 0 Window{5c2 u0 org.xbmc.kodi/org.xbmc.kodi.Main}\r\n"
                       ).package == "org.xbmc.kodi"
    dream = parse_focus("  mCurrentFocus=Window{4c2b3e1 u0 Sys2023:dream}\n")
    assert dream.dreaming and dream.package is None
    assert parse_focus("nothing here").window is None


@pytest.mark.parametrize("code, tile_id", [("AFTKA", "layout_jarvis_badged_view_slim"), ("AFTKRT", "TileTestTag")])
def test_launcher_tree_per_generation_reads_as_the_same_rows(tmp_path, code: str, tile_id: str) -> None:
    sh = DeviceShell(VirtualDevice(tmp_path, model=code))
    xml = sh("uiautomator dump /dev/tty").stdout
    assert tile_id in xml
    assert ("grid_container" in xml) is (code == "AFTKRT")
    home = parse_home(parse_dump(xml))
    assert home.on_home
    assert "Your Apps" in home.row_titles


def test_timing_profiles() -> None:
    assert get_timing("fast") is FAST and get_timing("HARDWARE") is HARDWARE
    assert FAST.input_call == 0 and FAST.screensaver_after is None
    assert 0.69 <= HARDWARE.input_call <= 1.0  # fire-tv-timing rows: Shield 0.69 s, S905X2 1.0 s
    assert HARDWARE.app_switch_delay == 5.0  # AOSP APP_SWITCH_DELAY_TIME
    with pytest.raises(ValueError, match="fast, hardware"):
        get_timing("slow")


def test_fast_timing_costs_nothing(tmp_path) -> None:
    sh = DeviceShell(VirtualDevice(tmp_path, model="AFTMM"))
    started = time.monotonic()
    for _ in range(5):
        sh("input keyevent 20")
    assert time.monotonic() - started < 1.0


def test_hardware_input_call_takes_device_time(tmp_path) -> None:
    device = VirtualDevice(tmp_path, model="AFTMM", speed=20, timing="hardware")
    sh = DeviceShell(device)
    sh("input keyevent 0")  # the first call after boot: 6.1 device s
    started = time.monotonic()
    sh("input keyevent 20 20 20")  # one VM start for all three keys
    elapsed = time.monotonic() - started
    assert HARDWARE.input_call / 20 <= elapsed < 3 * HARDWARE.input_call / 20 + 0.5


def test_hardware_uiautomator_returns_a_null_root_with_exit_0_every_fifth_dump(tmp_path) -> None:
    sh = DeviceShell(VirtualDevice(tmp_path, model="AFTKA", speed=1000, timing="hardware"))
    results = [sh("uiautomator dump /sdcard/d.xml") for _ in range(5)]
    assert [r.status for r in results] == [0] * 5
    assert ["null root node" in r.stderr for r in results] == [False] * 4 + [True]
    assert results[4].stderr == "ERROR: null root node returned by UiTestAutomationBridge.\n"


def _shell(session, script: str) -> str:
    return session.adb("shell", script).stdout.decode()


def test_hardware_home_transition_drops_keys_and_holds_app_starts(start_virtual_device) -> None:
    session = start_virtual_device(model="AFTKA", speed=5, timing="hardware")
    _shell(session, "am start -n com.amazon.tv.settings.v2/.tv.SettingsHomeActivity")
    wait_until(lambda: "com.amazon.tv.settings.v2" in _shell(session, "dumpsys window windows | grep mCurrentFocus"),
               10, "settings in front")
    _shell(session, "input keyevent 3 20")  # DOWN arrives during the HOME transition
    log = _shell(session, "logcat -d -s InputDispatcher")
    assert "Dropped event because of pending overdue app switch." in log
    wait_until(lambda: "com.amazon.tv.launcher" in _shell(session, "dumpsys window windows | grep mCurrentFocus"),
               10, "the launcher in front after the transition")
    # An activity start right after HOME is held (APP_SWITCH_DELAY_TIME), then happens.
    _shell(session, "am start -n com.amazon.tv.settings.v2/.tv.SettingsHomeActivity")
    assert "Activity start request from 2000 stopped" in _shell(session, "logcat -d -s ActivityManager")
    wait_until(lambda: "com.amazon.tv.settings.v2" in _shell(session, "dumpsys window windows | grep mCurrentFocus"),
               10, "the held start to happen")


def test_hardware_screensaver_starts_after_idle_and_wakeup_ends_it(start_virtual_device) -> None:
    session = start_virtual_device(model="AFTKA", speed=600, timing="hardware")  # 300 device s = 0.5 s

    def focus() -> str:
        return _shell(session, "dumpsys window windows | grep mCurrentFocus")

    wait_until(lambda: ":dream}" in focus(), 10, "the screensaver")
    assert "com.amazon.bueller.photos" in _shell(session, "uiautomator dump /dev/tty")
    _shell(session, "input keyevent 224")
    assert "com.amazon.tv.launcher" in focus()
    _shell(session, "settings put secure screensaver_enabled 0")
    time.sleep(1.5)  # three idle periods of device time pass; nothing may start (a negative check)
    assert "com.amazon.tv.launcher" in focus()


def test_hardware_log_chatter(start_virtual_device) -> None:
    session = start_virtual_device(model="AFTMM", speed=1, timing="hardware")
    # 150 lines/s spread over four tags: about 37 a second from this one, so 20 come well within 5 s
    wait_until(lambda: _shell(session, "logcat -d -s AmazonProfileService").count("Event is not filtered") >= 20,
               5, "20 AmazonProfileService chatter lines")


def test_cli_help_lists_timing() -> None:
    import subprocess
    import sys
    out = subprocess.run([sys.executable, "-m", "firebridge", "virtual", "--help"], capture_output=True, text=True,
                         check=True).stdout
    assert re.search(r"--timing \{fast,hardware\}", out)


def test_focus_null_between_windows_is_not_the_focused_app() -> None:
    text = ("  mCurrentFocus=null\n  mFocusedApp=AppWindowToken{1 token=Token{2 ActivityRecord{3 u0 "
            "com.amazon.tv.launcher/.ui.HomeActivity_vNext t5}}}\n")
    assert parse_focus(text).window is None


def test_fire_os_5_has_toolbox_not_toybox(tmp_path) -> None:
    old = DeviceShell(VirtualDevice(tmp_path / "t", model="AFTT"))
    assert old("toybox getprop ro.product.model").status == 127
    assert "toybox: not found" in old("toybox getprop ro.product.model").stderr
    assert old("toolbox getprop ro.product.model").stdout == "AFTT\n"
    new = DeviceShell(VirtualDevice(tmp_path / "m", model="AFTMM"))
    assert new("toybox getprop ro.product.model").stdout == "AFTMM\n"
    assert "getprop" in new("toybox").stdout.split()


@pytest.mark.parametrize("code, header", [
    ("AFTT", r"score=0 key=\S+: Notification\(pri="),
    ("AFTMM", r"importance=\d key=\S+: Notification\(pri="),
    ("AFTKA", r"importance=\d key=\S+appImportanceLocked=false: Notification\(channel="),
    ("AFTKRT", r"importance=\d key=\S+: Notification\(channel="),
])
def test_notification_record_header_per_generation(start_virtual_device, code: str, header: str) -> None:
    from firebridge.platforms.fireos.notifications import parse_notification_dump
    session = start_virtual_device(model=code)
    session.adb("shell", "am broadcast --include-stopped-packages -n com.firebridge.helper/.PostRecommendation "
                         "--ei id 7 --es title Seven")
    dump = session.adb("shell", "dumpsys notification --noredact").stdout.decode().replace("\r\n", "\n")
    assert re.search(header, dump), dump[:600]
    records = parse_notification_dump(dump)
    assert [record.id for record in records] == [7]


# What the bridge reads back from each generation's dump of a helper recommendation: no channel before Android 8
# (API 26), the title only where --noredact exists (Android 6+; lollipop redacts Strings always), and each
# release's own body (lollipop score/icon=0x, nougat without channels, Android 11's notification= block).
@pytest.mark.parametrize("code, channel, title, body", [
    ("AFTT", None, None, r"\n      pri=0 score=0\n"),
    ("AFTMM", None, "Seven", r"\n      mUserImportance=UNSPECIFIED\n"),
    ("AFTKA", "firebridge_recommendations", "Seven", r"\n      effectiveNotificationChannel=NotificationChannel"),
    ("AFTKRT", "firebridge_recommendations", "Seven", r"\n      opPkg=com.firebridge.helper\n(.*\n)*      notification=\n"),
])
def test_helper_recommendation_per_generation_reads_back(start_virtual_device, code, channel, title, body) -> None:
    from firebridge.platforms.fireos.notifications import parse_notification_dump
    session = start_virtual_device(model=code)
    out = session.adb("shell", "am broadcast --include-stopped-packages -n com.firebridge.helper/.PostRecommendation "
                               "--ei id 7 --es title Seven --ei com.amazon.extra.RANK 3").stdout.decode()
    assert 'result=-1, data="posted id=7' in out, out
    dump = session.adb("shell", "dumpsys notification --noredact").stdout.decode().replace("\r\n", "\n")
    assert re.search(body, dump), dump[:1500]
    if channel is None:
        assert "channel" not in dump.lower(), dump[:1500]  # no channel anywhere before Android 8
    [record] = parse_notification_dump(dump)
    assert (record.id, record.channel, record.category) == (7, channel, "recommendation")
    assert record.extras["android.title"].value == title
    assert record.extras["com.amazon.extra.RANK"].value == 3


def _field_names(record_text: str, depth: int) -> list[str]:
    """Names of a record's lines at exactly ``depth`` spaces (``name=...``), in order."""
    names = []
    for line in record_text.splitlines():
        if len(line) - len(line.lstrip(" ")) == depth and "=" in line:
            names.append(re.split(r"[= ]", line.strip(), maxsplit=1)[0])
    return names


def test_fire_os_8_notification_record_has_the_android_11_captures_fields(tmp_path) -> None:
    """Fire OS 8 is Android 11: the record body lists the fields, in the order and at the depth, of the
    Android TV capture (tests/samples/dumpsys_notification_androidtv_redacted.txt)."""
    from pathlib import Path
    capture = (Path(__file__).parents[1] / "samples" / "dumpsys_notification_androidtv_redacted.txt").read_text()
    capture_record = capture.split("  Notification List:\n", 1)[1].split("\n......", 1)[0]
    sh = DeviceShell(VirtualDevice(tmp_path, model="AFTKRT"))
    sh("am broadcast --include-stopped-packages -n com.firebridge.helper/.PostRecommendation --ei id 7")
    ours = sh("dumpsys notification").stdout.split("  Notification List:\n", 1)[1].split("\n  \n", 1)[0]
    for depth in (6, 12):  # the record's own fields; the notification= block's
        assert _field_names(ours, depth) == _field_names(capture_record, depth), depth
    assert re.search(r"android\.title=String \[length=\d+\]", ours)  # redacted as Android 10+ prints it
