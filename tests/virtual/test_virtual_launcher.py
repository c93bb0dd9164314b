"""The virtual Fire TV's launcher: home screen dump, focus, rows, the snapshot rule, tile actions.

Through adb for what a fresh device shows; in-process (pure model tests, with the Continue
Watching and PMR services replaced by fixed lists) for row rendering and tile actions.
"""

from __future__ import annotations

import io
import time
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from firebridge.platforms.fireos.keycodes import CODE_BY_NAME
from firebridge.virtual.fireos.activities import ACTION_MAIN, ACTION_VIEW, CATEGORY_LEANBACK_LAUNCHER, Activity, App
from firebridge.virtual.fireos.notifications import RecommendationTile
from firebridge.virtual.fireos.personalization import ContinueWatchingItem
from firebridge.virtual.fireos.system import VirtualDevice
from firebridge.virtual.fireos.views import to_uiautomator_xml
from firebridge.waiting import wait_until

L = "com.amazon.tv.launcher:id/"
LAUNCHER = "com.amazon.tv.launcher"


# -- helpers shared with test_virtual_settings ------------------------------------------------------
def dump(session) -> ET.Element:
    """``uiautomator dump`` to its default file, then the file, parsed as XML."""
    result = session.adb("shell", "uiautomator dump >/dev/null && cat /sdcard/window_dump.xml")
    assert result.returncode == 0, result.stderr
    return ET.fromstring(result.stdout)


def focused(root: ET.Element) -> ET.Element:
    nodes = [node for node in root.iter("node") if node.get("focused") == "true"]
    assert len(nodes) == 1, [ET.tostring(n)[:200] for n in nodes]
    return nodes[0]


def by_id(root: ET.Element, resource_id: str) -> list[ET.Element]:
    return [node for node in root.iter("node") if node.get("resource-id") == resource_id]


def keys(session, *names: str) -> None:
    """One ``input keyevent`` call for several keys (as a bench does on Fire OS <= 8)."""
    if not names:
        return  # `input keyevent` without a key prints its usage and fails, as on Android
    result = session.adb("shell", "input", "keyevent", *names)
    assert result.returncode == 0, result.stderr


def current_focus(session) -> str:
    out = session.adb("shell", "dumpsys", "window").stdout.decode()
    return next(line.strip() for line in out.splitlines() if "mCurrentFocus=" in line)


def row_titles(root: ET.Element) -> list[str]:
    return [node.get("text") for node in by_id(root, L + "row_header")]


def row_tiles(root: ET.Element, title: str) -> list[str]:
    """The titles of a row's tiles on screen (content-desc of main_image or app tiles)."""
    for row in by_id(root, L + "grid_layout"):
        header = next(n for n in row.iter("node") if n.get("resource-id") == L + "row_header")
        if header.get("text") == title:
            return [n.get("content-desc") for n in row.iter("node")
                    if n.get("resource-id") in (L + "main_image", L + "layout_jarvis_badged_view_slim")]
    raise AssertionError(f"no row {title!r} in {row_titles(root)}")


# -- through adb ------------------------------------------------------------------------------------
def test_home_screen_dump_has_nav_rows_and_your_apps(start_virtual_device):
    session = start_virtual_device(speed=10)
    result = session.adb("shell", "uiautomator", "dump")
    assert result.stdout == b"UI hierchary dumped to: /sdcard/window_dump.xml\n"
    root = dump(session)
    assert root.tag == "hierarchy"
    assert {n.get("package") for n in root.iter("node")} == {LAUNCHER}
    nav = by_id(root, L + "fragment_horizontal_nav")[0]
    descs = [n.get("content-desc") for n in nav]
    assert descs == ["Profiles", "Home", "Find", "Live", "Free", "Settings"]
    assert [n.get("resource-id") for n in nav][0] == L + "profile_icon"
    assert [n.get("resource-id") for n in nav][-1] == L + "nav_bar_settings"
    assert [n.get("content-desc") for n in nav if n.get("selected") == "true"] == ["Home"]
    assert by_id(root, L + "nav_container") and by_id(root, L + "container_list")
    assert by_id(root, L + "featured_item_rotator_view_compose")[0].get("content-desc")
    # A new device has watched nothing and has no recommendations: only Your Apps.
    assert row_titles(root) == ["Your Apps"]
    grid = by_id(root, L + "menu_apps_gridview")[0]
    assert [n.get("content-desc") for n in grid][-1] == "Settings"
    assert focused(root).get("content-desc") == "Home"
    assert "HomeActivity_vNext" in current_focus(session)


def test_dpad_moves_focus_across_tabs_and_rows(start_virtual_device):
    session = start_virtual_device(speed=10)
    keys(session, "KEYCODE_DPAD_RIGHT")
    root = dump(session)
    assert focused(root).get("content-desc") == "Find"
    assert [n.get("content-desc") for n in root.iter("node") if n.get("selected") == "true"] == ["Find"]
    assert row_titles(root) == []  # rows live on the Home tab only
    keys(session, "KEYCODE_DPAD_LEFT", "KEYCODE_DPAD_DOWN")
    root = dump(session)
    tile = focused(root)
    assert tile.get("resource-id") == L + "layout_jarvis_badged_view_slim"
    assert tile in list(by_id(root, L + "menu_apps_gridview")[0])
    keys(session, "KEYCODE_DPAD_UP")
    assert focused(dump(session)).get("content-desc") == "Home"


def test_hero_rotator_makes_uiautomator_wait_but_succeed(start_virtual_device):
    session = start_virtual_device(speed=1)
    started = time.monotonic()
    # HOME on the home screen shows it again: the hero animates for 0.3 device seconds.
    result = session.adb("shell", "input keyevent KEYCODE_HOME && uiautomator dump")
    elapsed = time.monotonic() - started
    assert result.returncode == 0 and result.stdout.endswith(b"UI hierchary dumped to: /sdcard/window_dump.xml\n")
    assert result.stderr == b""
    assert elapsed >= 0.3


def test_settings_gear_opens_settings_and_home_returns(start_virtual_device):
    session = start_virtual_device(speed=10)
    keys(session, *["KEYCODE_DPAD_RIGHT"] * 4)
    assert focused(dump(session)).get("resource-id") == L + "nav_bar_settings"
    keys(session, "KEYCODE_DPAD_CENTER")
    wait_until(lambda: "com.amazon.tv.settings.v2" in current_focus(session), 5, "settings in front",
               describe=lambda: current_focus(session))
    keys(session, "KEYCODE_HOME")
    assert "com.amazon.tv.launcher/com.amazon.tv.launcher.ui.HomeActivity_vNext" in current_focus(session)
    root = dump(session)
    assert focused(root).get("content-desc") == "Home"


# -- in-process model tests -------------------------------------------------------------------------
class PlayerActivity(Activity):
    name = ".PlayerActivity"


class ExampleApp(App):
    """A tiny streaming app: a launcher activity and the ``extv://`` deep-link scheme."""

    package = "com.example.tv"
    label = "Example TV"
    activities = {PlayerActivity.name: PlayerActivity}
    launch_activity = PlayerActivity.name
    schemes = {"extv": PlayerActivity.name}


def cw(content_id: str, title: str, position_ms: int = 600_000, duration_ms: int = 6_000_000) -> ContinueWatchingItem:
    return ContinueWatchingItem(content_id=content_id, package=ExampleApp.package, title=title,
                                position_ms=position_ms, duration_ms=duration_ms, updated_at=0.0,
                                deep_link=f"extv://play/{content_id}")


def rec(key: str, title: str, package: str = ExampleApp.package, rating: str = "PG", pin: bool = False) -> RecommendationTile:
    return RecommendationTile(key=key, package=package, title=title, text="", display_name="ExampleTV",
                              maturity_rating=rating, requires_pin=pin, content_id=None)


class Services:
    """What the Continue Watching and PMR services answer, changeable by the test."""

    def __init__(self, device: VirtualDevice, monkeypatch: pytest.MonkeyPatch) -> None:
        self.cw: list[ContinueWatchingItem] = []
        self.pmr: dict[str, list[RecommendationTile]] = {}
        self.removed: list[str] = []
        monkeypatch.setattr(device.personalization, "continue_watching", lambda: list(self.cw))
        monkeypatch.setattr(device.notifications, "recommendation_rows", lambda: dict(self.pmr))
        monkeypatch.setattr(device.personalization, "remove_from_continue_watching", self._remove)

    def _remove(self, content_id: str) -> None:
        self.removed.append(content_id)
        self.cw = [item for item in self.cw if item.content_id != content_id]


@pytest.fixture
def home(device: VirtualDevice, monkeypatch: pytest.MonkeyPatch) -> tuple[VirtualDevice, Services]:
    device.activities.install(ExampleApp(device))
    return device, Services(device, monkeypatch)


def screen(device: VirtualDevice) -> ET.Element:
    top = device.activities.top
    assert top is not None
    return ET.fromstring(to_uiautomator_xml(top.view(), top.app.package))


def press(device: VirtualDevice, *names: str) -> None:
    for name in names:
        device.inject_key(CODE_BY_NAME[name])


def right_to(device: VirtualDevice, title: str) -> None:
    """RIGHT until the tile ``title`` has focus (other installed apps may come first)."""
    for _ in range(20):
        if focused(screen(device)).get("content-desc") == title:
            return
        press(device, "DPAD_RIGHT")
    raise AssertionError(f"no tile {title!r} to the right")


def test_rows_in_order_with_tiles_in_service_order(home):
    device, services = home
    services.cw = [cw("m1", "Night Harbor"), cw("e2", "The Long Road S1 E2")]
    services.pmr = {ExampleApp.package: [rec("a", "First pick"), rec("b", "Second pick")],
                    "com.unknown.app": [rec("c", "Elsewhere", package="com.unknown.app")]}
    press(device, "HOME")
    root = screen(device)
    assert row_titles(root) == ["Continue Watching", "Example TV", "com.unknown.app"]  # Your Apps below the fold
    assert row_tiles(root, "Continue Watching") == ["Night Harbor", "The Long Road S1 E2"]
    assert row_tiles(root, "Example TV") == ["First pick", "Second pick"]
    press(device, *["DPAD_DOWN"] * 4)
    root = screen(device)
    assert row_titles(root)[-1] == "Your Apps"
    apps = row_tiles(root, "Your Apps")
    assert "Example TV" in apps and apps[-1] == "Settings"
    assert focused(root).get("content-desc") == apps[0]


def test_continue_watching_row_hidden_when_empty(home):
    device, services = home
    services.pmr = {ExampleApp.package: [rec("a", "First pick")]}
    press(device, "HOME")
    assert row_titles(screen(device)) == ["Example TV", "Your Apps"]


def test_pmr_tiles_show_rating_and_pin_lock(home):
    device, services = home
    services.pmr = {ExampleApp.package: [rec("a", "Kids show", rating="G"), rec("b", "Late film", rating="", pin=True)]}
    press(device, "HOME")
    root = screen(device)
    assert [n.get("text") for n in by_id(root, L + "maturity_rating")] == ["G", "Mature"]
    badges = by_id(root, L + "image_icon_badge")
    assert [b.get("content-desc") for b in badges] == ["PIN required"]


def test_rows_are_a_snapshot_until_home_or_tab_reentry(home):
    device, services = home
    services.cw = [cw("m1", "Night Harbor")]
    press(device, "HOME")
    services.cw = [cw("m2", "Glass City"), cw("m1", "Night Harbor")]
    press(device, "DPAD_DOWN", "DPAD_RIGHT", "DPAD_LEFT")
    assert row_tiles(screen(device), "Continue Watching") == ["Night Harbor"]
    press(device, "DPAD_UP", "DPAD_RIGHT")  # to the Find tab...
    services.cw = [cw("m3", "Red Valley"), cw("m2", "Glass City"), cw("m1", "Night Harbor")]
    press(device, "DPAD_LEFT")  # ...and back to Home: a fresh snapshot
    assert row_tiles(screen(device), "Continue Watching") == ["Red Valley", "Glass City", "Night Harbor"]
    services.cw = []
    assert row_tiles(screen(device), "Continue Watching") == ["Red Valley", "Glass City", "Night Harbor"]
    press(device, "HOME")
    assert row_titles(screen(device)) == ["Your Apps"]


def test_coming_back_from_an_app_refreshes_and_keeps_focus(home):
    device, services = home
    press(device, "DPAD_DOWN")
    right_to(device, "Example TV")
    press(device, "DPAD_CENTER")
    assert device.activities.top.app.package == ExampleApp.package
    services.cw = [cw("m1", "Night Harbor")]
    press(device, "HOME")
    root = screen(device)
    assert row_titles(root) == ["Continue Watching", "Your Apps"]
    assert focused(root).get("content-desc") == "Example TV"  # focus stays on the tile it was on


def test_select_on_continue_watching_tile_starts_its_deep_link(home):
    device, services = home
    services.cw = [cw("m1", "Night Harbor"), cw("m2", "Glass City")]
    press(device, "HOME", "DPAD_DOWN", "DPAD_RIGHT", "DPAD_CENTER")
    top = device.activities.top
    assert isinstance(top, PlayerActivity)
    assert (top.intent.action, top.intent.data) == (ACTION_VIEW, "extv://play/m2")


@pytest.mark.parametrize("row", ["Example TV", "Your Apps"])
def test_select_on_pmr_or_app_tile_starts_the_apps_launcher_activity(home, row):
    device, services = home
    services.pmr = {ExampleApp.package: [rec("a", "First pick")]}
    press(device, "HOME", *["DPAD_DOWN"] * (1 if row == "Example TV" else 2))
    right_to(device, "Example TV" if row == "Your Apps" else "First pick")
    press(device, "DPAD_CENTER")
    top = device.activities.top
    assert isinstance(top, PlayerActivity)
    assert (top.intent.action, top.intent.categories) == (ACTION_MAIN, [CATEGORY_LEANBACK_LAUNCHER])
    assert top.intent.component == "com.example.tv/.PlayerActivity"


def test_menu_remove_from_continue_watching(home):
    device, services = home
    services.cw = [cw("m1", "Night Harbor"), cw("m2", "Glass City"), cw("m3", "Red Valley")]
    press(device, "HOME", "DPAD_DOWN", "DPAD_RIGHT", "MENU")
    root = screen(device)
    items = [n.get("text") for n in by_id(root, L + "context_menu_item")]
    assert items == ["Remove from Continue Watching", "More Info"]
    assert focused(root).get("text") == "Remove from Continue Watching"
    press(device, "BACK")  # closes the menu, removes nothing
    root = screen(device)
    assert by_id(root, L + "context_menu_item") == [] and services.removed == []
    assert focused(root).get("content-desc") == "Glass City"
    press(device, "MENU", "DPAD_CENTER")
    root = screen(device)
    assert services.removed == ["m2"]
    assert row_tiles(root, "Continue Watching") == ["Night Harbor", "Red Valley"]
    assert focused(root).get("content-desc") == "Red Valley"
    press(device, "MENU", "DPAD_CENTER", "MENU", "DPAD_CENTER")
    root = screen(device)
    assert services.removed == ["m2", "m3", "m1"]
    assert row_titles(root) == ["Your Apps"]  # the empty row is gone; focus moved to the next row
    assert focused(root).get("content-desc") == row_tiles(root, "Your Apps")[0]


def test_menu_only_on_continue_watching_tiles(home):
    device, _ = home
    press(device, "DPAD_DOWN", "MENU")
    root = screen(device)
    assert by_id(root, L + "context_menu_item") == []
    assert focused(root).get("resource-id") == L + "layout_jarvis_badged_view_slim"


def test_focus_keeps_column_and_scrolls_long_rows(home):
    device, services = home
    services.cw = [cw(f"m{i}", f"Movie {i}") for i in range(10)]
    services.pmr = {ExampleApp.package: [rec(f"r{i}", f"Pick {i}") for i in range(3)]}
    press(device, "HOME", "DPAD_DOWN", *["DPAD_RIGHT"] * 8)
    root = screen(device)
    assert focused(root).get("content-desc") == "Movie 8"
    assert row_tiles(root, "Continue Watching") == [f"Movie {i}" for i in range(3, 9)]  # six on screen
    press(device, "DPAD_RIGHT", "DPAD_RIGHT")  # the end of the row stops focus
    assert focused(screen(device)).get("content-desc") == "Movie 9"
    press(device, "DPAD_LEFT", "DPAD_LEFT", "DPAD_DOWN")  # column 3 on screen -> nearest in the next row
    assert focused(screen(device)).get("content-desc") == "Pick 2"
    press(device, "DPAD_UP")  # the tile above: same place on screen
    assert focused(screen(device)).get("content-desc") == "Movie 6"
    press(device, "DPAD_UP")
    root = screen(device)
    assert focused(root).get("content-desc") == "Home" and focused(root).get("selected") == "true"


@pytest.mark.parametrize("moves", [[], ["DPAD_DOWN"], ["DPAD_DOWN", "DPAD_DOWN", "DPAD_DOWN", "DPAD_DOWN"],
                                   ["DPAD_RIGHT", "DPAD_RIGHT"], ["DPAD_DOWN", "MENU"]])
def test_exactly_one_focused_node(home, moves):
    device, services = home
    services.cw = [cw("m1", "Night Harbor")]
    services.pmr = {ExampleApp.package: [rec("a", "First pick")], "com.x": [rec("b", "X", package="com.x")]}
    press(device, "HOME", *moves)
    root = screen(device)
    focused(root)
    assert len([n for n in root.iter("node") if n.get("selected") == "true"]) == 1


def test_hero_animates_after_home_is_shown(home, monkeypatch):
    device, _ = home
    press(device, "HOME")
    activity = device.activities.top
    assert not activity.is_idle()
    now = device.clock.now()
    monkeypatch.setattr(device.clock, "now", lambda: now + 0.31)
    assert activity.is_idle()


def test_screencap_draws_rows_and_menu(home):
    device, services = home
    services.cw = [cw("m1", "Night Harbor", position_ms=3_000_000)]
    services.pmr = {ExampleApp.package: [rec("a", "First pick", pin=True)]}
    press(device, "HOME", "DPAD_DOWN", "MENU")
    image = Image.open(io.BytesIO(device.screen.capture(png=True)))
    assert image.size == (1920, 1080)
    # The focus colour (orange) is on screen: the menu item's focus ring.
    assert (255, 153, 0) in {colour for _, colour in image.convert("RGB").getcolors(1 << 20)}
