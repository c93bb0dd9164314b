"""Fire OS's UI tree: ``uiautomator dump`` — the command, its retries, and a tolerant parser.

Format (AOSP ``AccessibilityNodeInfoDumper``): ``<hierarchy rotation="0">`` holding ``<node>``
elements whose attributes are ``NAF`` (only when "not accessibility friendly"), ``index``, ``text``,
``resource-id``, ``class``, ``package``, ``content-desc``, ``checkable``, ``checked``, ``clickable``,
``enabled``, ``focusable``, ``focused``, ``scrollable``, ``long-clickable``, ``password``,
``selected`` and ``bounds="[l,t][r,b]"``. Real devices stray from it, and the parser takes them as
they are: newer Android adds attributes (``drawing-order``, ``hint``, ``visible-to-user``...), which
are kept in :attr:`UiNode.extra`; several windows give several top-level nodes; TV launchers report
off-screen views with inverted bounds (``[1442,257][1080,313]``), which are normalised and flagged;
values can carry stray spaces (``selected=" false"``).

Reading the screen (:func:`dump`, what ``FireOSDriver.ui_tree`` does) uses the documented file route:
``uiautomator dump /sdcard/window_dump.xml`` then ``cat``. ``uiautomator dump /dev/tty`` works only
where the shell has a terminal; firebridge's shell has none (shell protocol v2, no pty).
"""

from __future__ import annotations

import re
import time
import shlex
import xml.etree.ElementTree as ET

from firebridge.driver.protocol import Transport
from firebridge.driver.ui import Bounds, UiDumpError, UiNode, UiTree

DEFAULT_DUMP_PATH = "/sdcard/window_dump.xml"
IDLE_ERROR = "ERROR: could not get idle state."
NULL_ROOT_ERROR = "ERROR: null root node returned by UiTestAutomationBridge."

# Attributes with a field of their own; anything else lands in UiNode.extra.
_KNOWN = {"NAF", "index", "text", "resource-id", "class", "package", "content-desc", "checkable", "checked",
          "clickable", "enabled", "focusable", "focused", "scrollable", "long-clickable", "password",
          "selected", "bounds"}
_BOUNDS = re.compile(r"^\s*\[\s*(-?\d+)\s*,\s*(-?\d+)\s*\]\s*\[\s*(-?\d+)\s*,\s*(-?\d+)\s*\]\s*$")


def parse_bounds(text: str | None) -> tuple[Bounds, str | None]:
    """``[l,t][r,b]`` -> (normalised Bounds, issue). Inverted rectangles are sorted and flagged
    "inverted"; zero-area ones are flagged "empty"; absent or unreadable ones give zero bounds."""
    if text is None:
        return Bounds(0, 0, 0, 0), "missing"
    match = _BOUNDS.match(text)
    if not match:
        return Bounds(0, 0, 0, 0), "malformed"
    left, top, right, bottom = (int(g) for g in match.groups())
    issue = None
    if right < left or bottom < top:
        issue = "inverted"
        left, right = sorted((left, right))
        top, bottom = sorted((top, bottom))
    elif right == left or bottom == top:
        issue = "empty"
    return Bounds(left, top, right, bottom), issue


def _flag(attrs: dict[str, str], name: str, default: bool = False) -> bool:
    value = attrs.get(name)
    if value is None:
        return default
    return value.strip().lower() == "true"


def _int(value: str | None, default: int = 0) -> int:
    try:
        return int(value.strip()) if value is not None else default
    except ValueError:
        return default


def _node(element: ET.Element, parent: UiNode | None, depth: int) -> UiNode:
    attrs = element.attrib
    bounds, issue = parse_bounds(attrs.get("bounds"))
    node = UiNode(
        index=_int(attrs.get("index")), text=attrs.get("text", ""), resource_id=attrs.get("resource-id", ""),
        class_name=attrs.get("class", ""), package=attrs.get("package", ""),
        content_desc=attrs.get("content-desc", ""), checkable=_flag(attrs, "checkable"),
        checked=_flag(attrs, "checked"), clickable=_flag(attrs, "clickable"),
        enabled=_flag(attrs, "enabled", default=True), focusable=_flag(attrs, "focusable"),
        focused=_flag(attrs, "focused"), scrollable=_flag(attrs, "scrollable"),
        long_clickable=_flag(attrs, "long-clickable"), password=_flag(attrs, "password"),
        selected=_flag(attrs, "selected"), naf=_flag(attrs, "NAF"), bounds=bounds,
        raw_bounds=attrs.get("bounds", ""), bounds_issue=issue,
        extra={k: v for k, v in attrs.items() if k not in _KNOWN}, parent=parent, depth=depth)
    node.children = [_node(child, node, depth + 1) for child in element if child.tag == "node"]
    return node


def extract_xml(output: str) -> str | None:
    """The hierarchy document inside command output (status lines before or after are dropped)."""
    start = output.find("<?xml")
    if start < 0:
        start = output.find("<hierarchy")
    if start < 0:
        return None
    end = output.rfind("</hierarchy>")
    if end >= 0:
        return output[start:end + len("</hierarchy>")]
    self_closed = re.search(r"<hierarchy\b[^>]*/>", output[start:])
    return output[start:start + self_closed.end()] if self_closed else output[start:]


def parse_dump(text: str) -> UiTree:
    """Parse ``uiautomator dump`` output (the XML, possibly surrounded by status lines)."""
    xml = extract_xml(text)
    if xml is None:
        raise UiDumpError(f"no <hierarchy> in the uiautomator output: {text.strip()[:300]!r}")
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        raise UiDumpError(f"the uiautomator dump is not well-formed XML ({exc}); it may have been cut "
                          f"off. Start: {xml[:200]!r}") from None
    if root.tag != "hierarchy":
        raise UiDumpError(f"expected <hierarchy> at the top of the dump, found <{root.tag}>")
    roots = [_node(child, None, 0) for child in root if child.tag == "node"]
    return UiTree(roots=roots, rotation=_int(root.attrib.get("rotation")), xml=xml)


def dump_command(path: str = DEFAULT_DUMP_PATH) -> str:
    """One shell line: remove the old file (so a failed dump cannot return a stale screen), dump,
    print the file. ``uiautomator dump`` exits 0 even when it fails, hence the checks on output."""
    quoted = shlex.quote(path)
    return f"rm -f {quoted}; uiautomator dump {quoted} && cat {quoted}"


def _retryable(output: str) -> bool:
    return IDLE_ERROR in output or "null root node" in output


def retry_pauses(attempts: int, first: float = 0.25, factor: float = 2.0) -> list[float]:
    """Seconds to wait before each retry (pure): ``first``, doubling (0.25, 0.5, 1, ...)."""
    return [first * factor ** n for n in range(max(0, attempts - 1))]


def dump_raw(shell: Transport, retries: int = 4, path: str = DEFAULT_DUMP_PATH, timeout: float | None = 60,
             pause: float = 0.25) -> str:
    """The XML of the current screen. Retries when the UI is not idle or has no root window, pausing
    ``pause`` seconds and doubling (a null root comes back now and then on real devices, and while a
    window changes; each attempt already waits for idleness on the device). Both failures exit 0, so the
    output is what tells; the last one is shown when every attempt fails."""
    attempts = max(1, retries)
    output = ""
    pauses = retry_pauses(attempts, pause)
    for attempt in range(attempts):
        result = shell.shell(dump_command(path), timeout=timeout)
        output = (result.stdout + ("\n" + result.stderr if result.stderr else "")).strip()
        xml = extract_xml(result.stdout)
        if xml is not None:
            return xml
        if not _retryable(output):
            break
        if attempt < len(pauses):
            time.sleep(pauses[attempt])  # backoff: let the window settle before asking again
    if IDLE_ERROR in output:
        hint = ("the screen never went idle (video playing, an animation or a spinner): pause playback or "
                "wait for the screen to settle, then read it again")
    elif "null root node" in output:
        hint = "no window was on screen (the device may be asleep or switching apps): wake it and retry"
    else:
        hint = "check that `uiautomator` exists on the device and that /sdcard is writable"
    raise UiDumpError(f"uiautomator dump failed after {attempts} attempt(s) on {shell.serial}: {hint}. "
                      f"Last output: {output[-500:]!r}")


def dump(shell: Transport, retries: int = 4, path: str = DEFAULT_DUMP_PATH, timeout: float | None = 60) -> UiTree:
    """Read and parse the current screen (see :func:`dump_raw`)."""
    return parse_dump(dump_raw(shell, retries=retries, path=path, timeout=timeout))
