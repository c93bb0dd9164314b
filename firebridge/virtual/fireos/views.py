"""The view tree a screen shows, and ``uiautomator dump`` XML of it (pure).

Node attributes and their order follow AOSP ``AccessibilityNodeInfoDumper``: index, text,
resource-id, class, package, content-desc, checkable, checked, clickable, enabled, focusable,
focused, scrollable, long-clickable, password, selected, bounds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator
from xml.sax.saxutils import quoteattr

Bounds = tuple[int, int, int, int]  # left, top, right, bottom


@dataclass
class Node:
    cls: str = "android.widget.FrameLayout"
    bounds: Bounds = (0, 0, 0, 0)
    text: str = ""
    resource_id: str = ""
    content_desc: str = ""
    package: str = ""  # filled from the window's package when empty
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
    children: list["Node"] = field(default_factory=list)

    def add(self, *children: "Node") -> "Node":
        self.children.extend(children)
        return self

    def walk(self) -> Iterator["Node"]:
        yield self
        for child in self.children:
            yield from child.walk()

    def find(self, resource_id: str | None = None, text: str | None = None) -> "Node | None":
        for node in self.walk():
            if (resource_id is None or node.resource_id == resource_id) and (text is None or node.text == text):
                return node
        return None

    def focused_node(self) -> "Node | None":
        return next((node for node in self.walk() if node.focused), None)


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _node_xml(node: Node, index: int, package: str, out: list[str], depth: int) -> None:
    l, t, r, b = node.bounds
    attrs = (f"index=\"{index}\" text={quoteattr(node.text)} resource-id={quoteattr(node.resource_id)} "
             f"class={quoteattr(node.cls)} package={quoteattr(node.package or package)} "
             f"content-desc={quoteattr(node.content_desc)} checkable=\"{_bool(node.checkable)}\" "
             f"checked=\"{_bool(node.checked)}\" clickable=\"{_bool(node.clickable)}\" "
             f"enabled=\"{_bool(node.enabled)}\" focusable=\"{_bool(node.focusable)}\" "
             f"focused=\"{_bool(node.focused)}\" scrollable=\"{_bool(node.scrollable)}\" "
             f"long-clickable=\"{_bool(node.long_clickable)}\" password=\"{_bool(node.password)}\" "
             f"selected=\"{_bool(node.selected)}\" bounds=\"[{l},{t}][{r},{b}]\"")
    if not node.children:
        out.append(f"<node {attrs} />")
        return
    out.append(f"<node {attrs}>")
    for i, child in enumerate(node.children):
        _node_xml(child, i, node.package or package, out, depth + 1)
    out.append("</node>")


def to_uiautomator_xml(root: Node, package: str, rotation: int = 0) -> str:
    """The whole dump, on one line as uiautomator writes it."""
    out = ["<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>", f"<hierarchy rotation=\"{rotation}\">"]
    _node_xml(root, 0, package, out, 0)
    out.append("</hierarchy>")
    return "".join(out)
