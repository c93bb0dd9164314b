"""The virtual Vega stick's home launcher: the Continue Watching tile menu (seed 002: "Hover over the tile >
click the menu button on the remote > select Remove from Continue Watching"), in the device model and
end to end through the real adb server and the Vega driver (inputd-cli keys, the toolkit's page source)."""

from __future__ import annotations

from pathlib import Path

import pytest

from firebridge.capabilities.home import Home
from firebridge.platforms.vega.toolkit import STICK_LAUNCHER_APP, parse_page_source
from firebridge.virtual.vega import toolkit

from .test_vega_adb import REFERENCE, launch_with_toolkit, sh
from .vega_home import stick_with_row

REMOVE = "Remove from Continue Watching"  # seed 002's wording, written out: the test checks the label
WATCHED = {"movie-night-harbor": "Night Harbor", "movie-paper-boats": "Paper Boats"}


# -- the model (in process) -----------------------------------------------------------------------
@pytest.fixture
def stick(tmp_path: Path):
    """A virtual Vega stick whose Continue Watching row holds Paper Boats, then Night Harbor."""
    return stick_with_row(tmp_path, tuple(WATCHED))


def launcher_tree(device):
    """The launcher's part of the page source, as the bridge parses it."""
    tree = parse_page_source(toolkit.page_source(toolkit.trees(device)))
    return next(root for root in tree.roots if root.package == STICK_LAUNCHER_APP)


def label(node) -> str:
    """A button's label: its text child (Vega buttons carry no text of their own)."""
    return next((n.label for n in node.walk() if n.label), "")


def focused(root) -> str:
    """The label of the one focused element."""
    nodes = [node for node in root.walk() if node.focused]
    assert len(nodes) == 1, [node.describe() for node in nodes]
    return label(nodes[0])


def tiles(device) -> list[str]:
    return [item.title for item in device.apps[f"{STICK_LAUNCHER_APP}.main"].cw]


def test_menu_on_a_tile_shows_the_remove_item_focused_and_back_closes_it(stick):
    assert focused(launcher_tree(stick)) == "Paper Boats"
    stick.press("KEY_MENU")
    root = launcher_tree(stick)
    assert focused(root) == REMOVE  # the menu has the focus; the tile under it does not
    [item] = [n for n in root.walk() if n.focused]
    assert (item.class_name, item.focusable, item.selected) == ("button", True, True)
    # As the toolkit reports it: nothing focused; the tile under the menu stays selected, as the captured
    # current tab does, and the bridge takes the last selected element (the menu's item) as the highlight.
    assert [label(n) for n in root.walk() if n.selected] == ["Paper Boats", REMOVE]
    assert item.extra["highlight"] == "selected"
    assert [n.label for n in root.walk() if n.label == REMOVE] == [REMOVE]
    stick.press("KEY_DOWN")  # focus stays in the menu
    assert focused(launcher_tree(stick)) == REMOVE
    stick.press("KEY_BACK")
    root = launcher_tree(stick)
    assert focused(root) == "Paper Boats" and REMOVE not in [n.label for n in root.walk()]
    assert tiles(stick) == ["Paper Boats", "Night Harbor"]


def test_remove_takes_the_focused_tile_out_of_the_shared_row(stick):
    stick.press("KEY_RIGHT")
    stick.press("KEY_MENU")
    stick.press("KEY_ENTER")
    assert tiles(stick) == ["Paper Boats"]
    assert focused(launcher_tree(stick)) == "Paper Boats"  # focus on the tile left in its place
    assert [item.title for item in stick.personalization.continue_watching()] == ["Paper Boats"]
    stick.press("KEY_HOMEPAGE")  # the row read again from the service: still gone
    assert tiles(stick) == ["Paper Boats"]
    stick.press("KEY_MENU")
    stick.press("KEY_ENTER")
    root = launcher_tree(stick)
    assert "Continue Watching" not in [n.label for n in root.walk()] and focused(root) == "Settings"


def test_home_closes_the_menu_and_an_app_tile_has_none(stick):
    stick.press("KEY_MENU")
    stick.press("KEY_HOMEPAGE")
    assert focused(launcher_tree(stick)) == "Paper Boats"
    stick.press("KEY_DOWN")
    stick.press("KEY_MENU")
    assert REMOVE not in [n.label for n in launcher_tree(stick).walk()]
    assert tiles(stick) == ["Paper Boats", "Night Harbor"]


# -- end to end: the real adb server, inputd-cli and the toolkit through the Vega driver ----------------------
def _press(session, *keys: str) -> None:
    for key in keys:
        status, out, _ = sh(session, f"inputd-cli button_press {key}")
        assert status == 0 and out.startswith("Injecting Button Press As Driver:"), out


def test_the_vega_driver_opens_the_tile_menu_and_removes_a_tile(start_virtual_device):
    session = start_virtual_device(os="vega")
    # Settings > Preferences > Privacy Settings > Manage Sharing from Apps > both consents > Turn On (seed 002)
    assert sh(session, "vmsgr send pkg://com.amazon.tv.settings.main")[0] == 0
    _press(session, "KEY_ENTER", "KEY_ENTER", "KEY_ENTER", "KEY_ENTER", "KEY_ENTER", "KEY_BACK", "KEY_DOWN",
           "KEY_ENTER", "KEY_ENTER")
    for link in ("movienightharbor", "moviepaperboats"):  # 10% of each: both in the row, Paper Boats first
        launch_with_toolkit(session, f"{REFERENCE}.main", f"?play={link}")
        _press(session, "KEY_FASTFORWARD", "KEY_HOMEPAGE")
    driver = session.firetv().driver
    home = Home(driver)
    assert home.snapshot().continue_watching == ["Paper Boats", "Night Harbor"]

    driver.press(["RIGHT", "MENU"])
    item = driver.ui_tree().focused()
    assert item is not None and (item.package, label(item)) == (STICK_LAUNCHER_APP, REMOVE), item.describe()
    driver.press(["BACK"])
    assert label(driver.ui_tree().focused()) == "Night Harbor"
    assert home.read().continue_watching == ["Paper Boats", "Night Harbor"]

    driver.press(["MENU"])
    assert label(driver.ui_tree().focused()) == REMOVE
    driver.press(["SELECT"])
    assert home.read().continue_watching == ["Paper Boats"]
    assert home.snapshot().continue_watching == ["Paper Boats"]  # HOME reads the row again: removed for good
