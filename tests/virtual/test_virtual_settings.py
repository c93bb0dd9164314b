"""The virtual Fire TV's settings app, driven through adb: Preferences > Privacy Settings > Manage
Sharing from Apps, its two toggles, BACK and HOME."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

from PIL import Image

from firebridge.virtual.personalization.consent import SHARE_APP_VIEWING_KEY, SYNC_ACROSS_DEVICES_KEY
from firebridge.waiting import wait_until
from tests.virtual.test_virtual_launcher import L, by_id, current_focus, dump, focused, keys

S = "com.amazon.tv.settings.v2:id/"
SHARE, SYNC = "Share App Viewing and Content Info", "Sync Across Devices"
SHARING_SCREEN = "com.amazon.tv.settings.v2/com.amazon.tv.settings.v2.tv.preferences.ManageSharingFromAppsActivity"


def titles(root: ET.Element) -> list[str]:
    return [node.get("text") for node in by_id(root, S + "action_title")]


def wait_for_screen(session, activity: str) -> None:
    wait_until(lambda: activity in current_focus(session), 5, f"{activity} in front",
               describe=lambda: current_focus(session))


def choose(session, label: str) -> None:
    """Move focus to the item ``label`` with UP/DOWN, as a person would, and press SELECT."""
    root = dump(session)
    items = titles(root)
    steps = items.index(label) - items.index(focused(root).get("text"))
    keys(session, *(["KEYCODE_DPAD_DOWN"] * steps if steps > 0 else ["KEYCODE_DPAD_UP"] * -steps))
    assert focused(dump(session)).get("text") == label
    keys(session, "KEYCODE_DPAD_CENTER")


def open_settings_from_your_apps(session) -> None:
    keys(session, "KEYCODE_DPAD_DOWN")
    root = dump(session)
    tiles = [n.get("content-desc") for n in by_id(root, L + "menu_apps_gridview")[0]]
    keys(session, *["KEYCODE_DPAD_RIGHT"] * (tiles.index("Settings") - tiles.index(focused(root).get("content-desc"))))
    assert focused(dump(session)).get("content-desc") == "Settings"
    keys(session, "KEYCODE_DPAD_CENTER")
    wait_for_screen(session, ".tv.SettingsHomeActivity")


def checked(root: ET.Element) -> dict[str, str]:
    return {n.get("text"): n.get("checked") for n in by_id(root, S + "action_title") if n.get("checkable") == "true"}


def test_toggle_both_sharing_settings_by_keys(start_virtual_device):
    session = start_virtual_device(speed=10)
    open_settings_from_your_apps(session)
    assert titles(dump(session))[:2] == ["Profiles", "Network"]
    choose(session, "Preferences")
    wait_for_screen(session, ".tv.preferences.PreferencesActivity")
    choose(session, "Privacy Settings")
    wait_for_screen(session, ".tv.preferences.PrivacySettingsActivity")
    choose(session, "Manage Sharing from Apps")
    wait_for_screen(session, SHARING_SCREEN)
    root = dump(session)
    assert checked(root) == {SHARE: "false", SYNC: "false"}  # both off on a new device
    assert by_id(root, S + "guidance_title")[0].get("text") == "Manage Sharing from Apps"
    keys(session, "KEYCODE_DPAD_CENTER", "KEYCODE_DPAD_DOWN", "KEYCODE_DPAD_CENTER")
    root = dump(session)
    assert checked(root) == {SHARE: "true", SYNC: "true"}
    assert [n.get("text") for n in by_id(root, S + "action_description")] == ["On", "On"]
    assert focused(root).get("text") == SYNC
    png = session.adb("exec-out", "screencap", "-p").stdout
    assert Image.open(io.BytesIO(png)).size == (1920, 1080)
    keys(session, "KEYCODE_DPAD_CENTER")  # toggles back off
    assert checked(dump(session)) == {SHARE: "true", SYNC: "false"}


def test_screen_shows_settings_put_while_open(start_virtual_device):
    session = start_virtual_device(speed=10)
    assert session.adb("shell", "am", "start", "-n", SHARING_SCREEN.replace("com.amazon.tv.settings.v2.tv", ".tv")).returncode == 0
    wait_for_screen(session, SHARING_SCREEN)
    assert checked(dump(session)) == {SHARE: "false", SYNC: "false"}
    session.adb("shell", "settings", "put", "secure", SHARE_APP_VIEWING_KEY, "1")
    assert checked(dump(session)) == {SHARE: "true", SYNC: "false"}
    keys(session, "KEYCODE_DPAD_DOWN", "KEYCODE_DPAD_CENTER")
    assert session.adb("shell", "settings", "get", "secure", SYNC_ACROSS_DEVICES_KEY).stdout == b"1\n"
    session.adb("shell", "settings", "delete", "secure", SHARE_APP_VIEWING_KEY)
    assert checked(dump(session)) == {SHARE: "false", SYNC: "true"}


def test_back_goes_up_one_level_and_leaves_from_the_top(start_virtual_device):
    session = start_virtual_device(speed=10)
    keys(session, *["KEYCODE_DPAD_RIGHT"] * 4, "KEYCODE_DPAD_CENTER")  # the settings gear
    wait_for_screen(session, ".tv.SettingsHomeActivity")
    choose(session, "Preferences")
    choose(session, "Privacy Settings")
    wait_for_screen(session, ".tv.preferences.PrivacySettingsActivity")
    keys(session, "KEYCODE_BACK")
    wait_for_screen(session, ".tv.preferences.PreferencesActivity")
    assert focused(dump(session)).get("text") == "Privacy Settings"  # focus kept where it was
    keys(session, "KEYCODE_BACK")
    wait_for_screen(session, ".tv.SettingsHomeActivity")
    keys(session, "KEYCODE_BACK")
    wait_for_screen(session, "com.amazon.tv.launcher.ui.HomeActivity_vNext")
    assert "settings.v2" not in session.adb("shell", "dumpsys", "activity", "activities").stdout.decode()


def test_home_from_settings_returns_to_the_launcher(start_virtual_device):
    session = start_virtual_device(speed=10)
    started = session.adb("shell", "am", "start", "-a", "com.amazon.device.settings.action.PREFERENCES")
    assert started.returncode == 0, started.stderr
    wait_for_screen(session, ".tv.preferences.PreferencesActivity")
    assert focused(dump(session)).get("package") == "com.amazon.tv.settings.v2"
    keys(session, "KEYCODE_HOME")
    wait_for_screen(session, "com.amazon.tv.launcher.ui.HomeActivity_vNext")
    activities = session.adb("shell", "dumpsys", "activity", "activities").stdout.decode()
    assert " ResumedActivity: ActivityRecord{" in activities
    assert activities.split(" ResumedActivity: ")[1].split()[2] == "com.amazon.tv.launcher/.ui.HomeActivity_vNext"
