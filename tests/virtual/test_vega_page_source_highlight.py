"""The virtual Vega's page source shows the D-pad highlight the way the real toolkit does
(tests/samples/page_source_multitv_app_and_launcher_vvd_argent.xml, a VVD capture): every focusable element
reports ``focused="false"``; the highlighted button is ``selectable="true" selected="true"``, its neighbours
``selected="false"``; only something selected apart from the highlight (a current tab, the tile under its
open menu) is selected besides it. The VVD's placeholder launcher has ``clickable`` buttons with no
``selectable`` at all, as captured."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from firebridge.platforms.vega.toolkit import parse_page_source
from firebridge.virtual.vega import toolkit
from firebridge.virtual.vega.personality import create_device
from firebridge.virtual.vega.uitree import AppTree, page_source

from ..conftest import SAMPLES
from .vega_home import stick_with_row

REFERENCE = "com.firebridge.reference"
LAUNCHER = "com.amazon.smplighthouse.launcher"
REMOVE = "Remove from Continue Watching"
CAPTURE = ET.fromstring((SAMPLES / "page_source_multitv_app_and_launcher_vvd_argent.xml").read_text().split("\n", 1)[1])


def _capture_app(name: str) -> ET.Element:
    return next(app for app in CAPTURE.findall("app") if app.get("appName") == name)


def _label(child: ET.Element) -> str:
    return " ".join((t.text or "").strip() for t in child.iter("text")).strip()


def _focusable_form(child: ET.Element) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A focusable element's attribute names in order and its trait names in order (the capture's shape)."""
    traits = tuple(t.tag for block in child.findall("traits") for t in block)
    return tuple(child.attrib), traits


CAPTURED_SELECTABLE = {_focusable_form(c) for c in _capture_app("com.giolaq.multitv.vega").iter("child")
                       if c.get("focusable") == "true"}
CAPTURED_TAPPABLE = {_focusable_form(c) for c in _capture_app("com.amazon.keplerlauncherapp").iter("child")
                     if c.get("focusable") == "true"}


def shown(device) -> tuple[str, dict[str, list[str]]]:
    """The page source of every visible app, checked against the captured form, and per app the labels
    of its selected elements in document order."""
    trees: list[AppTree] = toolkit.trees(device, every_app=True)
    xml = page_source(trees)
    assert 'focused="true"' not in xml
    root = ET.fromstring(xml.split("\n", 1)[1])
    selected: dict[str, list[str]] = {}
    for app, tree in zip(root.findall("app"), trees):
        children = list(app.iter("child"))
        model = list(tree.window.walk())[1:]  # the same elements in the same (document) order
        assert [c.get("role") for c in children] == [e.role for e in model]
        for child, element in zip(children, model):
            if child.get("focusable") == "true":
                assert child.get("focused") == "false"
                assert [t.get("focused") for t in child.iter("focusable")] == ["false"]
                # Selectable buttons and fields look like the captured app's buttons, the VVD launcher's
                # like the captured launcher's; every focusable element is one of the two.
                form = _focusable_form(child)
                assert form in (CAPTURED_SELECTABLE | CAPTURED_TAPPABLE), form
            if child.get("selectable") == "true":
                assert [t.get("selected") for t in child.iter("selectable")] == [child.get("selected")]
        # Exactly the model's highlight, plus what stays selected apart from it, is selected.
        expected = [e for e in model if e.selectable and (e.focused or e.selected)]
        got = [e for c, e in zip(children, model) if c.get("selected") == "true"]
        assert got == expected
        assert sum(e.focused for e in model) <= 1
        selected[app.get("appName")] = [_label(c) for c in children if c.get("selected") == "true"]
    return xml, selected


def highlight(xml: str, package: str) -> str:
    """What the bridge reads as the highlighted element's label in ``package``'s tree."""
    root = next(r for r in parse_page_source(xml).roots if r.package == package)
    focused = [n for n in root.walk() if n.focused]
    assert len(focused) <= 1
    return next((n.label for n in focused[0].walk() if n.label), "") if focused else ""


@pytest.fixture
def stick(tmp_path: Path):
    """A virtual Vega stick whose Continue Watching row holds Paper Boats, then Night Harbor."""
    return stick_with_row(tmp_path, ("movie-night-harbor", "movie-paper-boats"))


def test_the_launcher_shows_its_highlight_as_the_one_selected_tile(stick):
    for keys, tile in (((), "Paper Boats"), (("KEY_RIGHT",), "Night Harbor"), (("KEY_DOWN",), "Settings"),
                       (("KEY_RIGHT",), "Reference TV"), (("KEY_UP",), "Paper Boats")):
        for key in keys:
            stick.press(key)
        xml, selected = shown(stick)
        assert selected == {LAUNCHER: [tile]}
        assert highlight(xml, LAUNCHER) == tile


def test_an_open_tile_menu_is_the_highlight_over_its_still_selected_tile(stick):
    stick.press("KEY_RIGHT")
    stick.press("KEY_MENU")
    xml, selected = shown(stick)
    assert selected == {LAUNCHER: ["Night Harbor", REMOVE]}
    assert highlight(xml, LAUNCHER) == REMOVE
    stick.press("KEY_BACK")
    xml, selected = shown(stick)
    assert selected == {LAUNCHER: ["Night Harbor"]} and highlight(xml, LAUNCHER) == "Night Harbor"


def test_settings_lists_show_one_selected_item(stick):
    stick.send_message("pkg://com.amazon.tv.settings.main")
    for keys, item in (((), "Preferences"), (("KEY_DOWN",), "Display & Sounds"), (("KEY_UP", "KEY_ENTER"),
                       "Privacy Settings"), (("KEY_ENTER", "KEY_ENTER", "KEY_ENTER"), "Turn On"), (("KEY_DOWN",), "Turn Off")):
        for key in keys:
            stick.press(key)
        xml, selected = shown(stick)
        assert selected["com.amazon.tv.settings"] == [item]
        assert highlight(xml, "com.amazon.tv.settings") == item


def test_reference_tv_screens_show_one_selected_button_or_field(stick):
    main = f"pkg://{REFERENCE}.main"
    # (deep link to open, or None to stay on the screen; keys; the highlighted label)
    for query, keys, label in (("", (), "Night Harbor"), (None, ("KEY_DOWN",), "The Glass Orchard"),
                               ("?detail=movieglassorchard", (), "Play"), (None, ("KEY_RIGHT",), "Trailer"),
                               ("?screen=account", ("KEY_DOWN",), "Sign out"), ("?screen=signin", (), "Email"),
                               (None, ("KEY_DOWN",), "Password"), (None, ("KEY_DOWN",), "Sign in")):
        if query is not None:
            stick.send_message(main + query)
        for key in keys:
            stick.press(key)
        xml, selected = shown(stick)
        assert len(selected[REFERENCE]) == 1 and selected[REFERENCE][0].startswith(label), selected
        assert highlight(xml, REFERENCE).startswith(label)


def test_the_vvd_launcher_is_as_captured(tmp_path: Path):
    vvd = create_device(tmp_path, vvd=True)
    xml, selected = shown(vvd)
    assert selected == {"com.amazon.keplerlauncherapp": []}
    [app] = ET.fromstring(xml.split("\n", 1)[1]).findall("app")
    ours = [_focusable_form(c) for c in app.iter("child") if c.get("focusable") == "true"]
    captured = [_focusable_form(c) for c in _capture_app("com.amazon.keplerlauncherapp").iter("child")
                if c.get("focusable") == "true"][:1]
    assert ours == captured  # "Register this device": clickable, tappable, no selectable
