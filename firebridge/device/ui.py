"""The UI tree from ``uiautomator dump``: a tolerant parser, finders, and one I/O call.

Format (AOSP ``AccessibilityNodeInfoDumper``): ``<hierarchy rotation="0">`` holding ``<node>``
elements whose attributes are ``NAF`` (only when "not accessibility friendly"), ``index``, ``text``,
``resource-id``, ``class``, ``package``, ``content-desc``, ``checkable``, ``checked``, ``clickable``,
``enabled``, ``focusable``, ``focused``, ``scrollable``, ``long-clickable``, ``password``,
``selected`` and ``bounds="[l,t][r,b]"``. Real devices stray from it, and the parser takes them as
they are: newer Android adds attributes (``drawing-order``, ``hint``, ``visible-to-user``...), which
are kept in :attr:`UiNode.extra`; several windows give several top-level nodes; TV launchers report
off-screen views with inverted bounds (``[1442,257][1080,313]``), which are normalised and flagged;
values can carry stray spaces (``selected=" false"``).

Reading the screen (:func:`dump`) uses the documented file route:
``uiautomator dump /sdcard/window_dump.xml`` then ``cat``. ``uiautomator dump /dev/tty`` works only
where the shell has a terminal; firebridge's shell has none (shell protocol v2, no pty).
"""

from __future__ import annotations

import re
import shlex
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Callable, Iterator, NamedTuple, Union

from firebridge.errors import FirebridgeError
from firebridge.adb.shell import Shell

DEFAULT_DUMP_PATH = "/sdcard/window_dump.xml"
IDLE_ERROR = "ERROR: could not get idle state."
NULL_ROOT_ERROR = "ERROR: null root node returned by UiTestAutomationBridge."

# Attributes with a field of their own; anything else lands in UiNode.extra.
_KNOWN = {"NAF", "index", "text", "resource-id", "class", "package", "content-desc", "checkable", "checked",
          "clickable", "enabled", "focusable", "focused", "scrollable", "long-clickable", "password",
          "selected", "bounds"}
_BOUNDS = re.compile(r"^\s*\[\s*(-?\d+)\s*,\s*(-?\d+)\s*\]\s*\[\s*(-?\d+)\s*,\s*(-?\d+)\s*\]\s*$")

Matcher = Union[str, re.Pattern[str], None]


class UiDumpError(FirebridgeError):
    """``uiautomator dump`` gave no usable hierarchy (never idle, no window, malformed XML)."""


class Bounds(NamedTuple):
    """A screen rectangle, always with left <= right and top <= bottom (see UiNode.bounds_issue)."""

    left: int
    top: int
    right: int
    bottom: int

    @property
    def width(self) -> int:
        return self.right - self.left

    @property
    def height(self) -> int:
        return self.bottom - self.top

    @property
    def area(self) -> int:
        return self.width * self.height

    @property
    def center(self) -> tuple[float, float]:
        return ((self.left + self.right) / 2, (self.top + self.bottom) / 2)

    def contains(self, other: "Bounds") -> bool:
        return (self.left <= other.left and self.top <= other.top
                and self.right >= other.right and self.bottom >= other.bottom)

    def overlaps_vertically(self, other: "Bounds") -> bool:
        """True when the two share some rows of pixels (e.g. tiles of the same row)."""
        return min(self.bottom, other.bottom) > max(self.top, other.top)

    def overlaps_horizontally(self, other: "Bounds") -> bool:
        return min(self.right, other.right) > max(self.left, other.left)

    def __str__(self) -> str:
        return f"[{self.left},{self.top}][{self.right},{self.bottom}]"


@dataclass(eq=False)
class UiNode:
    """One ``<node>`` of a dump. Compare nodes by identity; the same view in two dumps is two nodes."""

    index: int = 0
    text: str = ""
    resource_id: str = ""
    class_name: str = ""
    package: str = ""
    content_desc: str = ""
    checkable: bool = False
    checked: bool = False
    clickable: bool = False
    enabled: bool = True
    focusable: bool = False
    focused: bool = False
    scrollable: bool = False
    long_clickable: bool = False
    password: bool = False
    selected: bool = False
    naf: bool = False  # NAF="true": not accessibility friendly (clickable but no text or description)
    bounds: Bounds = Bounds(0, 0, 0, 0)
    raw_bounds: str = ""
    bounds_issue: str | None = None  # None, "inverted", "empty", "missing" or "malformed"
    extra: dict[str, str] = field(default_factory=dict)
    parent: "UiNode | None" = field(default=None, repr=False)
    children: list["UiNode"] = field(default_factory=list, repr=False)
    depth: int = 0

    @property
    def label(self) -> str:
        """What a person would read: the text, else the content description."""
        return self.text or self.content_desc

    @property
    def short_class(self) -> str:
        return self.class_name.rsplit(".", 1)[-1]

    @property
    def visible(self) -> bool:
        """False for views the device reports off screen (inverted bounds) or with no area."""
        return self.bounds_issue is None and self.bounds.area > 0

    def walk(self) -> Iterator["UiNode"]:
        """This node and its descendants, depth first, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()

    def ancestors(self) -> Iterator["UiNode"]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def is_within(self, other: "UiNode") -> bool:
        """True when ``other`` is this node or one of its ancestors."""
        return other is self or any(a is other for a in self.ancestors())

    def focus_target(self) -> "UiNode":
        """The node that takes focus for this one: itself if focusable, else its nearest focusable
        ancestor (a tile's title is a child of the focusable tile), else itself."""
        if self.focusable:
            return self
        return next((a for a in self.ancestors() if a.focusable), self)

    def describe(self) -> str:
        """A one-line description for error messages."""
        parts = [self.short_class or "node"]
        if self.text:
            parts.append(repr(self.text))
        if self.content_desc and self.content_desc != self.text:
            parts.append(f"desc={self.content_desc!r}")
        if self.resource_id:
            parts.append(f"id={self.resource_id}")
        parts.append(f"bounds={self.raw_bounds or self.bounds}")
        if self.bounds_issue:
            parts.append(f"({self.bounds_issue} bounds)")
        return " ".join(parts)

    def matches(self, text: Matcher = None, resource_id: Matcher = None, content_desc: Matcher = None,
                class_name: Matcher = None, package: Matcher = None, label: Matcher = None) -> bool:
        """True when every given criterion holds. A string matches exactly; a compiled pattern is
        searched. A resource id without ``:id/`` also matches any package's id of that name."""
        if resource_id is not None and not _match_id(resource_id, self.resource_id):
            return False
        for wanted, actual in ((text, self.text), (content_desc, self.content_desc),
                               (class_name, self.class_name), (package, self.package)):
            if wanted is not None and not _match(wanted, actual):
                return False
        if label is not None and not (_match(label, self.text) or _match(label, self.content_desc)):
            return False
        return True


def _match(wanted: str | re.Pattern[str], actual: str) -> bool:
    if isinstance(wanted, str):
        return wanted == actual
    return wanted.search(actual) is not None


def _match_id(wanted: str | re.Pattern[str], actual: str) -> bool:
    if isinstance(wanted, str) and ":id/" not in wanted:
        return actual == wanted or actual.endswith(":id/" + wanted)
    return _match(wanted, actual)


@dataclass
class UiTree:
    """A parsed dump: one root per window (usually one), plus every node in document order."""

    roots: list[UiNode]
    rotation: int = 0
    xml: str = field(default="", repr=False)

    def __iter__(self) -> Iterator[UiNode]:
        for root in self.roots:
            yield from root.walk()

    def __len__(self) -> int:
        return sum(1 for _ in self)

    @property
    def packages(self) -> list[str]:
        """Packages of the windows, top-level node first (e.g. the IME, then the app)."""
        return [root.package for root in self.roots]

    def find_all(self, text: Matcher = None, resource_id: Matcher = None, content_desc: Matcher = None,
                 class_name: Matcher = None, package: Matcher = None, label: Matcher = None,
                 where: Callable[[UiNode], bool] | None = None) -> list[UiNode]:
        """Every node matching all the given criteria (see :meth:`UiNode.matches`)."""
        return [node for node in self
                if node.matches(text, resource_id, content_desc, class_name, package, label)
                and (where is None or where(node))]

    def find(self, text: Matcher = None, resource_id: Matcher = None, content_desc: Matcher = None,
             class_name: Matcher = None, package: Matcher = None, label: Matcher = None,
             where: Callable[[UiNode], bool] | None = None) -> UiNode | None:
        """The first matching node in document order, or None."""
        found = self.find_all(text, resource_id, content_desc, class_name, package, label, where)
        return found[0] if found else None

    def focused(self) -> UiNode | None:
        """The focused node (the first one when several windows each keep one), or None."""
        return next((node for node in self if node.focused), None)

    def focused_all(self) -> list[UiNode]:
        return [node for node in self if node.focused]

    def focusables(self) -> list[UiNode]:
        """Enabled focusable nodes on screen: the places D-pad focus can go."""
        return [node for node in self if node.focusable and node.enabled and node.visible]

    def labels(self, limit: int = 20) -> list[str]:
        """Visible labels, in document order (for 'what was on screen' messages)."""
        out = [node.label for node in self if node.label and node.visible]
        return out[:limit]


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


def dump_raw(shell: Shell, retries: int = 3, path: str = DEFAULT_DUMP_PATH, timeout: float | None = 60) -> str:
    """The XML of the current screen. Retries when the UI is not idle or has no root window
    (each attempt already waits for idleness on the device, so retrying needs no pause)."""
    attempts = max(1, retries)
    output = ""
    for _ in range(attempts):
        result = shell.shell(dump_command(path), timeout=timeout)
        output = (result.stdout + ("\n" + result.stderr if result.stderr else "")).strip()
        xml = extract_xml(result.stdout)
        if xml is not None:
            return xml
        if not _retryable(output):
            break
    if IDLE_ERROR in output:
        hint = ("the screen never went idle (video playing, an animation or a spinner): pause playback or "
                "wait for the screen to settle, then read it again")
    elif "null root node" in output:
        hint = "no window was on screen (the device may be asleep or switching apps): wake it and retry"
    else:
        hint = "check that `uiautomator` exists on the device and that /sdcard is writable"
    raise UiDumpError(f"uiautomator dump failed after {attempts} attempt(s) on {shell.serial}: {hint}. "
                      f"Last output: {output[-500:]!r}")


def dump(shell: Shell, retries: int = 3, path: str = DEFAULT_DUMP_PATH, timeout: float | None = 60) -> UiTree:
    """Read and parse the current screen (see :func:`dump_raw`)."""
    return parse_dump(dump_raw(shell, retries=retries, path=path, timeout=timeout))
