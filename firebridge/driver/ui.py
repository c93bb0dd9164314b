"""The UI tree every platform driver returns: nodes, bounds, finders (platform-free).

A driver reads its platform's hierarchy (Fire OS: ``uiautomator dump``, parsed in
``firebridge.platforms.fireos.uiautomator``) into these records. Fields follow what TV UI toolkits
report for a view: text, resource id, class, package, content description, focus and check state,
screen bounds. Off-screen views with inverted bounds are normalised and flagged (``bounds_issue``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Iterator, NamedTuple, Union

from firebridge.errors import FirebridgeError

Matcher = Union[str, re.Pattern[str], None]


class UiDumpError(FirebridgeError):
    """The device gave no usable UI hierarchy (never idle, no window, malformed output)."""


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
