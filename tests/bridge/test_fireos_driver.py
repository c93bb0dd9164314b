"""FireOSDriver against the virtual Fire TV through the real adb server: the probe, identity, keys, the UI
tree, the screen, logs, apps, settings, the clock, screen power and notifications — every protocol method."""

from __future__ import annotations

import re
import time

import pytest

from firebridge.capabilities.pmr import HELPER_PACKAGE, POST_RECEIVER, CANCEL_ALL_RECEIVER, Recommendation, post_extras
from firebridge.device.firetv import FireTV
from firebridge.device.logs import LogTail
from firebridge.driver.keys import Key
from firebridge.driver.protocol import Feature, Platform
from firebridge.errors import CommandFailed
from firebridge.platforms import probe
from firebridge.platforms.fireos.driver import FireOSDriver
from firebridge.waiting import wait_until

REFERENCE = "com.firebridge.reference"
LAUNCHER = "com.amazon.tv.launcher"


@pytest.fixture(scope="module")
def firetv(virtual_device) -> FireTV:
    return FireTV(virtual_device.serial, adb_server=virtual_device.adb_server.address)


@pytest.fixture(scope="module")
def driver(firetv) -> FireOSDriver:
    found = probe(firetv)
    assert isinstance(found, FireOSDriver)
    return found


def test_the_device_object_probes_its_driver_once(virtual_device):
    tv = FireTV(virtual_device.serial, adb_server=virtual_device.adb_server.address)
    assert tv.platform is Platform.FIRE_OS and tv.driver is tv.driver
    assert tv.identity.model == tv.model == "AFTMM"
    assert tv.is_fire_tv and tv.sdk == 25 and tv.fire_os.startswith("6.")


def test_identity_comes_from_the_device(driver):
    identity = driver.identity()
    assert identity.platform is Platform.FIRE_OS and identity.model == "AFTMM" and identity.manufacturer == "Amazon"
    assert identity.os_version.startswith("6.") and identity.details["sdk"] == "25"
    assert identity.details["fingerprint"].startswith("Amazon/")
    assert identity.describe().startswith("AFTMM (Fire OS 6.")
    assert all(driver.supports(feature) for feature in Feature)


def test_keys_reach_the_device_as_android_key_events(driver, firetv):
    firetv.run("logcat -c")
    driver.press([Key.HOME, "DOWN", "select"])
    driver.long_press("MENU")
    assert driver.hold("MENU", 0.5) == "longpress"  # Fire OS 6 `input` has no --duration

    def logged() -> str | None:
        text = firetv.shell("logcat -d -s Input").stdout
        return text if "KEYCODE_MENU" in text else None
    text = wait_until(logged, 10, "the key events in the log")
    for name in ("KEYCODE_HOME", "KEYCODE_DPAD_DOWN", "KEYCODE_DPAD_CENTER", "KEYCODE_MENU"):
        assert name in text
    assert "KEYCODE_UNKNOWN" not in text


def test_ui_tree_screenshot_and_foreground(driver):
    driver.press(["HOME"])
    def launcher():
        tree = driver.ui_tree()
        return tree if LAUNCHER in tree.packages else None
    tree = wait_until(launcher, 10, "the launcher")
    assert tree.focused() is not None and "<hierarchy" in tree.xml
    assert driver.screenshot().startswith(b"\x89PNG")
    assert driver.foreground_app() == LAUNCHER


def test_apps_launch_open_links_and_stop(driver):
    assert driver.is_installed(REFERENCE) and not driver.is_installed("com.example.absent")
    driver.launch(REFERENCE, ".ui.CatalogActivity")  # an activity of the package
    wait_until(lambda: driver.foreground_app() == REFERENCE, 10, "the reference app in front")
    driver.stop(REFERENCE)
    wait_until(lambda: driver.foreground_app() != REFERENCE, 10, "the reference app to stop")
    driver.open_link(REFERENCE, "reftv://account")
    wait_until(lambda: driver.foreground_app() == REFERENCE, 10, "the deep link in the reference app")
    driver.stop(REFERENCE)
    with pytest.raises(CommandFailed, match="unable to resolve|Error"):
        driver.open_link("com.example.absent", "nothing://here")


def test_settings_preferences_opens_directly(driver):
    assert driver.open_settings("preferences")
    wait_until(lambda: driver.ui_tree().find(text="Privacy Settings"), 10, "the Preferences screen")
    assert not driver.open_settings("no such page")
    driver.press(["HOME"])


def test_logs_marker_excerpt_and_stream(driver, firetv, tmp_path):
    from firebridge.adb.server import bundled_adb
    tail = LogTail(firetv.serial, tmp_path / "device.log", adb=bundled_adb(), adb_server=firetv.adb_server,
                   stream_args=driver.log_command(), parser=driver.parse_log_line).start()
    try:
        since = tail.mark()
        marker = f"driver-test {time.monotonic_ns()}"
        driver.log_marker("firebridge", marker)
        tail.wait_for(re.escape(marker), since=since, timeout=10)
        [record] = [r for r in tail.records(since) if r.message == marker]
        assert record.tag == "firebridge" and record.level == "I"
    finally:
        tail.stop()
    excerpt = driver.log_excerpt(50)
    assert marker in excerpt
    assert driver.parse_log_line(next(l for l in excerpt.splitlines() if marker in l)).message == marker


def test_device_clock_and_screen(driver):
    now = driver.device_time_ms()
    assert abs(now - time.time() * 1000) < 24 * 3600 * 1000 and now % 1000 == 0
    awake, seen = driver.screen_awake()
    assert awake is True and "mWakefulness=Awake" in seen
    driver.wake()  # no toggle: still awake
    assert driver.screen_awake()[0] is True
    space, seen = driver.free_storage()
    assert space.mount == "/data" and space.available_mb > 0 and "MB free on /data" in seen


def test_notifications_through_the_helper(driver):
    driver.launch(HELPER_PACKAGE, f"{HELPER_PACKAGE}/.Main")
    rec = Recommendation(title="Driver Check", id=77, display_name="Reference TV", tags=["UHD", "a,b"],
                         action_options=[1, 101])
    result = driver.broadcast(POST_RECEIVER, post_extras(rec))
    assert result.ok and result.data.startswith("posted id=77")
    [posted] = [r for r in driver.notifications() if r.package == HELPER_PACKAGE and r.id == 77]
    assert posted.title == "Driver Check" and posted.is_recommendation
    # Android's am keeps the backslash of an escaped comma (Recommendation.warnings says so too).
    assert posted.amazon_extras()["com.amazon.extra.TAGS"] == ["UHD", "a\\,b"]
    assert posted.amazon_extras()["com.amazon.extra.ACTION_OPTION"] == [1, 101]
    assert driver.broadcast(CANCEL_ALL_RECEIVER).ok
    assert not [r for r in driver.notifications() if r.package == HELPER_PACKAGE]
    missing = driver.broadcast("com.example.absent/.Nobody")
    assert missing.code == 0 and missing.data is None  # no receiver answered
