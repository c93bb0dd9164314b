"""The Vega automation toolkit: JSON-RPC messages and its page source as a :class:`UiTree` (pure).

The toolkit is the on-device introspection server Amazon's Appium Vega driver uses: JSON-RPC 2.0
over HTTP at ``127.0.0.1:8383/jsonrpc`` on the device (argent, plexinc/Maestro). It attaches to an app
when the app starts and only if ``/tmp/automation-toolkit.enable`` exists then; until then it closes
connections or answers with nothing, which means "relaunch the app".

Page source (tests/samples/page_source_multitv_app_and_launcher_vvd_argent.xml, a real VVD
``getPageSource``): ``<root>`` -> one ``<app appName=...>`` per app on screen (the foreground app and
the launcher) -> ``<window x y width height>`` -> nested ``<child>`` with ``x y width height id test_id``
and optional ``role``, ``focusable``, ``focused``, ``selectable``, ``selected``, ``clickable``; text as
``<text>`` children; ``<traits>`` subtrees are metadata. Coordinates are absolute pixels.

Where D-pad focus is: the toolkit reports ``focused="false"`` everywhere in the capture, and the
highlighted items carry ``selected="true"`` (the current tab and the highlighted tile).
"""

from __future__ import annotations

import base64
import json
import xml.etree.ElementTree as ET

from firebridge.driver.ui import Bounds, UiNode, UiTree
from firebridge.platforms.vega.errors import ToolkitError, ToolkitUnavailable

TOOLKIT_PORT = 8383
TOOLKIT_PATH = "/jsonrpc"
VVD_LAUNCHER_APP = "com.amazon.keplerlauncherapp"
STICK_LAUNCHER_APP = "com.amazon.smplighthouse.launcher"
RELAUNCH_HINT = ("the automation toolkit is not attached to the app on screen: it attaches only when an app "
                 "starts while /tmp/automation-toolkit.enable exists. Relaunch the app under test through "
                 "firebridge (driver.launch(package) creates the flag first), or run `touch "
                 "/tmp/automation-toolkit.enable` in a device shell and restart the app")

_STRUCTURAL = {"root", "app", "window", "child"}


def request_body(method: str, params: dict | None = None, request_id: int = 1) -> bytes:
    """A JSON-RPC 2.0 request as the toolkit takes it (POST, ``Content-Type: application/json``)."""
    return json.dumps({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params or {}}).encode()


def parse_response(body: bytes | str, method: str) -> object:
    """The ``result`` of a toolkit reply. An empty reply raises :class:`ToolkitUnavailable` (relaunch the
    app); an ``error`` member or a non-JSON reply raises :class:`ToolkitError`."""
    text = body.decode(errors="replace") if isinstance(body, bytes) else body
    if not text.strip():
        raise ToolkitUnavailable(f"empty reply to {method}: {RELAUNCH_HINT}")
    try:
        reply = json.loads(text)
    except ValueError:
        raise ToolkitError(f"the toolkit's reply to {method} is not JSON: {text[:300]!r}") from None
    if not isinstance(reply, dict):
        raise ToolkitError(f"the toolkit's reply to {method} is not a JSON-RPC object: {text[:300]!r}")
    if reply.get("error") is not None:
        raise ToolkitError(f"the toolkit refused {method}: {json.dumps(reply['error'])[:500]}")
    if "result" not in reply:
        raise ToolkitError(f"the toolkit's reply to {method} has no result: {text[:300]!r}")
    return reply["result"]


def page_source_from_result(result: object) -> str:
    """The XML string of a ``getPageSource`` result (an empty tree is "relaunch needed")."""
    xml = result if isinstance(result, str) else (json.dumps(result) if result is not None else "")
    if not xml.strip() or "<app" not in xml:
        raise ToolkitUnavailable(f"getPageSource returned no app tree ({xml.strip()[:120]!r}): {RELAUNCH_HINT}")
    return xml


def png_from_result(result: object) -> bytes:
    """PNG bytes of a ``takeScreenshot`` result (base64 text)."""
    if not isinstance(result, str) or not result.strip():
        raise ToolkitUnavailable(f"takeScreenshot returned no image: {RELAUNCH_HINT}")
    data = base64.b64decode(result.strip().split(",", 1)[-1])  # tolerate a data: URL prefix
    if not data.startswith(b"\x89PNG"):
        raise ToolkitError("takeScreenshot returned data that is not a PNG")
    return data


def _flag(attrs: dict[str, str], name: str) -> bool:
    return attrs.get(name, "").strip().lower() in ("true", "1")


def _int(attrs: dict[str, str], name: str) -> int:
    try:
        return int(float(attrs.get(name, "0")))
    except ValueError:
        return 0


def _text(element: ET.Element) -> str:
    parts = [(t.text or "").strip() for t in element if t.tag == "text"]
    return " ".join(p for p in parts if p)


def _node(element: ET.Element, package: str, parent: UiNode | None, depth: int, index: int) -> UiNode:
    attrs = dict(element.attrib)
    left, top = _int(attrs, "x"), _int(attrs, "y")
    width, height = _int(attrs, "width"), _int(attrs, "height")
    has_bounds = "width" in attrs and "height" in attrs
    issue = None if width > 0 and height > 0 else ("empty" if has_bounds else "missing")
    bounds = Bounds(left, top, left + max(width, 0), top + max(height, 0))
    role = attrs.get("role", "")
    node = UiNode(
        index=index, text=_text(element), resource_id=attrs.get("test_id", ""),
        class_name=role or element.tag, package=package, clickable=_flag(attrs, "clickable"),
        focusable=_flag(attrs, "focusable"), focused=_flag(attrs, "focused"), selected=_flag(attrs, "selected"),
        bounds=bounds, raw_bounds=f"[{bounds.left},{bounds.top}][{bounds.right},{bounds.bottom}]" if has_bounds else "",
        bounds_issue=issue,
        extra={k: v for k, v in attrs.items() if k not in ("x", "y", "width", "height", "test_id", "role", "clickable",
                                                           "focusable", "focused", "selected")},
        parent=parent, depth=depth)
    kids = [child for child in element if child.tag in _STRUCTURAL]
    node.children = [_node(child, package, node, depth + 1, i) for i, child in enumerate(kids)]
    return node


def _mark_highlight(app: UiNode) -> None:
    """When the toolkit reports no ``focused`` node, the highlighted one is the last ``selected``
    focusable in document order.

    ASSUMPTION: a tab bar keeps its current tab ``selected`` while focus is in the content below it,
    and navigation comes before content in document order, so the last selected focusable is the one
    under the D-pad highlight (the capture: the "Home" tab and the first tile of the row under it are
    both selected; the details pane shows that tile). Settle by: read the page source after D-pad
    moves on a VVD and a stick and compare with screenshots.
    """
    if any(node.focused for node in app.walk()):
        return
    selected = [node for node in app.walk() if node.selected and node.focusable]
    if selected:
        selected[-1].focused = True
        selected[-1].extra["highlight"] = "selected"


def parse_page_source(xml: str) -> UiTree:
    """A toolkit page source as a :class:`UiTree`: one root per ``<app>`` (its ``package`` is the app
    name, e.g. ``com.amazon.keplerlauncherapp``), ``resource_id`` = ``test_id``, ``class_name`` = the
    ``role`` (or the element name), text from ``<text>`` children; the highlighted element of the app
    in front (the first one listed) is ``focused`` (see :func:`_mark_highlight`)."""
    start = xml.find("<")
    if start < 0:
        raise ToolkitUnavailable(f"the page source is empty: {RELAUNCH_HINT}")
    try:
        root = ET.fromstring(xml[start:].encode())
    except ET.ParseError as exc:
        raise ToolkitError(f"the toolkit's page source is not well-formed XML ({exc}): {xml[:200]!r}") from None
    apps = [root] if root.tag == "app" else [el for el in root if el.tag == "app"]
    if not apps:
        raise ToolkitUnavailable(f"the page source has no <app>: {RELAUNCH_HINT}")
    roots = []
    for index, app in enumerate(apps):
        node = _node(app, app.attrib.get("appName", ""), None, 0, index)
        windows = [child for child in node.children if child.class_name == "window"]
        if windows and node.bounds_issue:  # an <app> has no geometry of its own: take its first window's
            node.bounds, node.raw_bounds, node.bounds_issue = windows[0].bounds, windows[0].raw_bounds, None
        if index == 0:
            # The D-pad drives the app in front only, and the toolkit lists it first. An app behind
            # keeps its own selected items (the launcher's last tile) but holds no highlight; so with
            # nothing selected in front, focused() is None instead of a tile nobody's keys reach.
            # ASSUMPTION: the first <app> is the one in front (the capture: the app, then the launcher
            # with zOrder 2147483647 and nothing selected). Settle by: a page source read on a stick
            # with a player in front of the launcher, compared with `vlcm list`.
            _mark_highlight(node)
        roots.append(node)
    return UiTree(roots=roots, xml=xml)


def app_tree(tree: UiTree, app_name: str) -> UiTree:
    """Only the roots of ``app_name`` (e.g. the launcher's, for home rows)."""
    return UiTree(roots=[root for root in tree.roots if root.package == app_name], xml=tree.xml)
