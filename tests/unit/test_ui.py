"""firebridge.device.ui: the uiautomator dump parser on real captures and on the virtual device's output,
finders and focus, and the dump I/O (retries, clear errors)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from firebridge.adb.shell import ShellResult
from firebridge.device.ui import (DEFAULT_DUMP_PATH, Bounds, UiDumpError, dump, dump_command, extract_xml, parse_bounds,
                           parse_dump)
from firebridge.virtual.fireos.views import Node, to_uiautomator_xml

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def sample(name: str) -> str:
    return (SAMPLES / name).read_text(encoding="utf-8")


# -- real captures ---------------------------------------------------------------------------------
def test_two_windows_each_keep_their_focus():
    tree = parse_dump(sample("uiautomator_dump_google_tv_ime_two_windows.xml"))
    assert tree.packages == ["com.google.android.inputmethod.latin", "com.android.tv.settings"]
    assert tree.focused().content_desc == "q"  # the first window's focus, in document order
    assert [n.label for n in tree.focused_all()] == ["q", "proxy.example.com"]
    field_node = tree.find(resource_id="guidedactions_item_title")  # short ids match any package
    assert field_node.class_name == "android.widget.EditText" and field_node.bounds == Bounds(1199, 291, 1671, 387)
    assert field_node.parent is tree.roots[1] and field_node.depth == 1


def test_inverted_offscreen_bounds_are_normalised_and_flagged():
    tree = parse_dump(sample("uiautomator_dump_google_tv_launcher_offscreen.xml"))
    details = tree.find(text="Details")
    assert details.raw_bounds == "[1442,257][1080,313]"
    assert details.bounds == Bounds(1080, 257, 1442, 313) and details.bounds_issue == "inverted"
    assert not details.visible
    shop = tree.find(text="Shop")
    assert shop.bounds == Bounds(430, 1920, 572, 1940) and shop.bounds_issue == "inverted"
    assert [n.label for n in tree.focusables()] == ["Add app to favorites", "Home"]
    assert tree.focused().resource_id == "com.google.android.tvlauncher:id/favorite_add_app_banner"
    assert "inverted bounds" in details.describe() and "[1442,257][1080,313]" in details.describe()


def test_google_tv_settings_excerpt_with_stray_space_in_a_value():
    text = sample("uiautomator_dump_google_tv_settings_excerpt.xml")
    with pytest.raises(UiDumpError, match="cut off"):
        parse_dump(text)  # the capture is an excerpt: its elements are not closed
    tree = parse_dump(text + "</node></node></node></hierarchy>")
    content = tree.find(resource_id="android:id/content")
    assert content.selected is False  # selected=" false"
    assert content.enabled and content.bounds == Bounds(0, 0, 1920, 1080)
    assert tree.packages == ["com.android.tv.settings"] and len(tree) == 3


def test_newer_attributes_are_kept_and_focus_targets_found():
    tree = parse_dump(sample("uiautomator_dump_phone_compose_drawing_order.xml"))
    back = tree.find(content_desc="Back")
    assert back.extra == {"drawing-order": "0", "hint": ""}
    assert not back.focusable and back.focus_target().focusable  # the clickable parent takes focus
    assert back.focus_target() is back.parent
    assert back.is_within(back.parent) and not back.parent.is_within(back)
    titles = tree.find_all(text="Smotrim 100% Klassika (720p)")
    assert len(titles) == 2
    assert tree.find(text=re.compile(r"Klassika")) is titles[0]
    assert tree.find(label="Show player controls").resource_id == ""
    assert tree.find(resource_id="exo_overlay").resource_id == "com.streamverse.app:id/exo_overlay"
    assert tree.focused() is None


def test_naf_and_non_ascii_text():
    tree = parse_dump(sample("uiautomator_dump_phone_chooser_naf.xml"))
    naf = [n for n in tree if n.naf]
    assert len(naf) == 1 and naf[0].class_name == "android.widget.ImageView" and naf[0].clickable
    assert naf[0].selected and not naf[0].focused
    assert tree.find(text="仅此一次").resource_id == "android:id/button_once"
    assert tree.roots[0].bounds == Bounds(0, 813, 720, 1484)
    assert "联系人" in tree.labels()


def test_every_capture_agrees_with_a_standard_parser():
    for path in SAMPLES.glob("uiautomator_dump_*.xml"):
        text = path.read_text(encoding="utf-8")
        if "excerpt" in path.name:
            text += "</node></node></node></hierarchy>"
        tree = parse_dump(text)
        nodes = list(ET.fromstring(extract_xml(text)).iter("node"))
        assert len(tree) == len(nodes), path.name
        assert [n.text for n in tree] == [n.get("text", "") for n in nodes]


# -- the virtual device's format --------------------------------------------------------------------
def test_virtual_device_xml_round_trips():
    view = Node(bounds=(0, 0, 1920, 1080), resource_id="app:id/root").add(
        Node(cls="android.widget.Button", bounds=(100, 200, 300, 260), text="Play & \"watch\"", resource_id="app:id/play",
             clickable=True, focusable=True, focused=True, checkable=True, checked=True),
        Node(cls="android.widget.TextView", bounds=(100, 300, 900, 360), content_desc="Night <Harbor>"))
    tree = parse_dump("UI hierchary dumped to: /sdcard/window_dump.xml\n" + to_uiautomator_xml(view, "app"))
    play = tree.find(resource_id="app:id/play")
    assert play.text == 'Play & "watch"' and play.focused and play.checked and play.clickable
    assert play.package == "app" and play.index == 0 and play.bounds.center == (200, 230)
    assert tree.find(content_desc="Night <Harbor>").index == 1
    assert tree.focused() is play and play.extra == {}


def test_missing_and_odd_attributes_default():
    tree = parse_dump('<hierarchy><node class="x.Y"><node bounds="[1,2][3]" focused="TRUE" enabled="false" '
                      'foo="bar" /></node></hierarchy>')
    outer, inner = list(tree)
    assert outer.bounds_issue == "missing" and outer.enabled and outer.text == "" and outer.index == 0
    assert inner.bounds_issue == "malformed" and inner.focused and not inner.enabled and inner.extra == {"foo": "bar"}
    assert tree.rotation == 0


@pytest.mark.parametrize("text, bounds, issue", [
    ("[0,0][1920,1080]", Bounds(0, 0, 1920, 1080), None),
    ("[260,248][364,244]", Bounds(260, 244, 364, 248), "inverted"),
    ("[5,5][5,9]", Bounds(5, 5, 5, 9), "empty"),
    ("[-10,0][20,30]", Bounds(-10, 0, 20, 30), None),
    (" [ 1 , 2 ][ 3 , 4 ] ", Bounds(1, 2, 3, 4), None),
    ("1,2,3,4", Bounds(0, 0, 0, 0), "malformed"),
    (None, Bounds(0, 0, 0, 0), "missing"),
])
def test_parse_bounds(text, bounds, issue):
    assert parse_bounds(text) == (bounds, issue)


def test_not_a_dump():
    with pytest.raises(UiDumpError, match="no <hierarchy>"):
        parse_dump("ERROR: could not get idle state.")
    with pytest.raises(UiDumpError, match="expected <hierarchy>"):
        parse_dump("<?xml version='1.0'?><nodes/>")


# -- dump() over a shell ------------------------------------------------------------------------------
@dataclass
class ScriptedShell:
    """A Shell that answers each command with the next scripted (stdout, stderr)."""

    answers: list[tuple[str, str]]
    serial: str = "FAKE0001"
    commands: list[str] = field(default_factory=list)

    def shell(self, command, timeout=None):
        self.commands.append(command)
        out, err = self.answers.pop(0)
        return ShellResult(str(command), out, err, 0)


XML = "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><hierarchy rotation=\"0\"><node text=\"Home\" focused=\"true\" bounds=\"[0,0][10,10]\" /></hierarchy>"


def test_dump_removes_the_old_file_first_and_retries_until_idle():
    shell = ScriptedShell([("", "ERROR: could not get idle state.\ncat: /sdcard/window_dump.xml: No such file or directory"),
                           ("", "ERROR: null root node returned by UiTestAutomationBridge."),
                           (f"UI hierchary dumped to: {DEFAULT_DUMP_PATH}\n{XML}", "")])
    tree = dump(shell, retries=3)
    assert tree.focused().text == "Home" and len(shell.commands) == 3
    assert shell.commands[0] == dump_command() == (
        "rm -f /sdcard/window_dump.xml; uiautomator dump /sdcard/window_dump.xml && cat /sdcard/window_dump.xml")


def test_dump_gives_up_with_the_last_output_and_a_fix():
    shell = ScriptedShell([("", "ERROR: could not get idle state.")] * 2)
    with pytest.raises(UiDumpError) as info:
        dump(shell, retries=2)
    message = str(info.value)
    assert "2 attempt(s)" in message and "never went idle" in message and "could not get idle state" in message
    assert "FAKE0001" in message


def test_dump_does_not_retry_what_retrying_cannot_fix():
    shell = ScriptedShell([("", "/system/bin/sh: uiautomator: not found")])
    with pytest.raises(UiDumpError, match="uiautomator` exists"):
        dump(shell, retries=3)
    assert len(shell.commands) == 1


def test_dump_path_is_quoted():
    assert dump_command("/sdcard/a b.xml") == ("rm -f '/sdcard/a b.xml'; uiautomator dump '/sdcard/a b.xml' && "
                                               "cat '/sdcard/a b.xml'")


# -- through the real adb server ------------------------------------------------------------------------
def test_dump_of_the_virtual_fire_tv(virtual_device):
    tree = dump(virtual_device.firetv())
    assert tree.roots and len(tree) > 3
    assert tree.focused() is not None
    standard = ET.fromstring(tree.xml)  # the same text parses with xml.etree
    assert standard.tag == "hierarchy" and len(list(standard.iter("node"))) == len(tree)
