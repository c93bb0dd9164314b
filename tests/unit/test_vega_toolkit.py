"""The automation toolkit's page source (a real VVD capture) as a UiTree, and its JSON-RPC replies."""

from __future__ import annotations

import base64
import json

import pytest

from firebridge.device.ui import Bounds
from firebridge.platforms.vega import toolkit
from firebridge.platforms.vega.errors import ToolkitError, ToolkitUnavailable

from ..conftest import SAMPLES

XML = (SAMPLES / "page_source_multitv_app_and_launcher_vvd_argent.xml").read_text()


@pytest.fixture(scope="module")
def tree():
    return toolkit.parse_page_source(XML)


def test_one_root_per_app_in_document_order(tree):
    assert tree.packages == ["com.giolaq.multitv.vega", "com.amazon.keplerlauncherapp"]
    app, launcher = tree.roots
    assert app.class_name == "app" and app.bounds == Bounds(0, 0, 1920, 1080) and app.bounds_issue is None
    assert app.extra["appName"] == "com.giolaq.multitv.vega"
    assert app.children[0].class_name == "window" and launcher.children[0].extra["zOrder"] == "2147483647"
    assert all(node.package == root.package for root in tree.roots for node in root.walk())


def test_texts_roles_ids_and_bounds(tree):
    search = tree.find(text="Search")
    assert (search.class_name, search.resource_id, search.bounds) == ("text", "10", Bounds(102, 42, 197, 78))
    button = search.focus_target()
    assert (button.class_name, button.resource_id, button.focusable, button.selected) == ("button", "14", True, False)
    assert tree.find(text="Kontynuuj odtwarzanie") and tree.find(text="Jungle Book")
    assert tree.find(text="1942   \u00b7   NR   \u00b7   1h 45m   \u00b7   \u2605 6.3")   # numeric references decoded
    assert tree.find(text="\u24d8", package="com.amazon.keplerlauncherapp")
    assert tree.find(text="Register this device\n(optional)").package == "com.amazon.keplerlauncherapp"
    assert not tree.find(class_name="traits") and not tree.find(class_name="text", text="")  # metadata dropped


def test_the_highlighted_element_is_the_selected_one(tree):
    # Nothing is focused="true" in the capture; the Home tab and the first tile are selected="true".
    assert 'focused="true"' not in XML
    selected = [n for n in tree if n.selected]
    assert [n.resource_id for n in selected] == ["22", "62"]
    assert "Home" in [n.text for n in selected[0].walk()]   # the current tab
    highlight = tree.focused()
    assert highlight is selected[1] and highlight.extra["highlight"] == "selected"
    assert highlight.bounds == Bounds(67, 240, 307, 590)
    assert tree.focused_all() == [highlight]                # the launcher has no selected item
    assert len(tree.focusables()) == 5 + 4 + 2              # 5 tabs, 4 tiles, the launcher's 2 buttons


def test_a_real_focused_flag_wins_over_selected():
    xml = XML.replace('test_id="30" role="button"', 'test_id="30" role="button" focused="true"', 1)
    xml = xml.replace('id="163208757263" selectable="true" selected="false" focusable="true" focused="false"',
                      'id="163208757263" selectable="true" selected="false" focusable="true"')
    tree = toolkit.parse_page_source(xml)
    assert tree.focused().resource_id == "30" and "highlight" not in tree.focused().extra


def test_only_the_app_in_front_holds_the_highlight():
    # The launcher listed second has a selected tile; the app in front has nothing selected (a player).
    app_part, launcher_part = XML.split('<app id="4294967297"', 1)
    app_part = app_part.replace('selected="true"', 'selected="false"')
    launcher_part = launcher_part.replace('role="button"', 'selectable="true" selected="true" role="button"', 1)
    tree = toolkit.parse_page_source(app_part + '<app id="4294967297"' + launcher_part)
    assert [n.package for n in tree if n.selected] == ["com.amazon.keplerlauncherapp"]
    assert tree.focused() is None and tree.focused_all() == []


def test_app_tree_keeps_one_app(tree):
    launcher = toolkit.app_tree(tree, toolkit.VVD_LAUNCHER_APP)
    assert launcher.packages == ["com.amazon.keplerlauncherapp"]
    assert "Kepler Virtual Device is ready" in launcher.labels()
    assert toolkit.app_tree(tree, toolkit.STICK_LAUNCHER_APP).roots == []


def test_request_body():
    assert json.loads(toolkit.request_body("getPageSource")) == {"jsonrpc": "2.0", "id": 1, "method": "getPageSource",
                                                                 "params": {}}


def test_replies():
    reply = json.dumps({"jsonrpc": "2.0", "id": 1, "result": XML})
    assert toolkit.page_source_from_result(toolkit.parse_response(reply.encode(), "getPageSource")) == XML
    for empty in (b"", b"  \n"):
        with pytest.raises(ToolkitUnavailable, match="relaunch|Relaunch"):
            toolkit.parse_response(empty, "getPageSource")
    for no_tree in ("", '<?xml version="1.0"?>\n<root id="1"/>', None):
        with pytest.raises(ToolkitUnavailable, match="automation-toolkit.enable"):
            toolkit.page_source_from_result(no_tree)
    with pytest.raises(ToolkitError, match="refused getPageSource"):
        toolkit.parse_response('{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"nope"}}', "getPageSource")
    with pytest.raises(ToolkitError, match="not JSON"):
        toolkit.parse_response(b"<html>", "getPageSource")


def test_screenshot_result():
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 16
    assert toolkit.png_from_result(base64.b64encode(png).decode()) == png
    with pytest.raises(ToolkitError):
        toolkit.png_from_result(base64.b64encode(b"GIF89a").decode())
    with pytest.raises(ToolkitUnavailable):
        toolkit.png_from_result("")


def test_broken_page_source():
    with pytest.raises(ToolkitError, match="not well-formed"):
        toolkit.parse_page_source(XML[:5000])
    with pytest.raises(ToolkitUnavailable):
        toolkit.parse_page_source('<root id="1"></root>')
