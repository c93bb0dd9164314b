"""Vega UI trees and the automation toolkit's page-source XML (pure).

Shape from a real ``getPageSource`` answer on a VVD (software-mansion/argent packages/tool-server/test/fixtures/vega-page-source.xml, argent's
fixture): ``<?xml version="1.0"?>`` + newline, then one line ``<root id="1">`` holding one ``<app id
appName>`` per visible app (foreground app and the launcher), each with ``<traits><publisherRoot
.../></traits>`` and a ``<window x y width height id index alpha zOrder test_id>`` of nested ``<child>``
elements (``x y width height id`` + optional ``selectable selected focusable focused clickable``,
``test_id``, ``role``; text as a ``<text>`` child; ``<traits>`` metadata). App ids are ``N << 32 | 1``
and element ids count up from there (4294967297, 4294967298, ... for the launcher in the capture).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

SCREEN = (1920, 1080)


@dataclass
class Element:
    """One UI element as the toolkit reports it."""

    x: int
    y: int
    width: int
    height: int
    text: str | None = None
    role: str | None = None  # button | text | image
    test_id: str | None = None  # an authored RN testID; numeric ids are generated
    focusable: bool = False
    focused: bool = False
    selectable: bool = False
    selected: bool = False
    clickable: bool = False
    children: list["Element"] = field(default_factory=list)

    def add(self, *children: "Element") -> "Element":
        self.children.extend(children)
        return self

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


def text(x: int, y: int, width: int, height: int, value: str, test_id: str | None = None) -> Element:
    return Element(x, y, width, height, text=value, role="text", test_id=test_id)


def button(x: int, y: int, width: int, height: int, label: str, focused: bool, test_id: str | None = None) -> Element:
    """A focusable button with its label as a text child (like the launcher's "Register this device")."""
    return Element(x, y, width, height, role="button", test_id=test_id, focusable=True, focused=focused,
                   clickable=True).add(text(x + 20, y + 10, width - 40, height - 20, value=label))


@dataclass
class AppTree:
    """What one app contributes to the page source."""

    app_name: str  # the package id
    kepler_app_id: int
    slot: int  # upper 32 bits of the app's element ids
    window: Element
    z_order: int = 0


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _child_xml(element: Element, ids: "itertools.count[int]", generated: "itertools.count[int]") -> str:
    attrs = [("x", element.x), ("y", element.y), ("width", element.width), ("height", element.height),
             ("id", next(ids))]
    if element.selectable:
        attrs += [("selectable", "true"), ("selected", _flag(element.selected))]
    if element.clickable:
        attrs.append(("clickable", "true"))
    if element.focusable:
        attrs += [("focusable", "true"), ("focused", _flag(element.focused))]
    attrs.append(("test_id", element.test_id or str(next(generated))))
    if element.role:
        attrs.append(("role", element.role))
    head = "<child " + " ".join(f"{k}={quoteattr(str(v))}" for k, v in attrs) + ">"
    body = f"<text>{escape(element.text)}</text>" if element.text is not None else ""
    traits = ['<compoundComponent mergeDescendants="{}"/>'.format(_flag(element.focusable)),
              '<visibility alpha="100"/>']
    if element.focusable:
        traits.append(f'<focusable setFocus="{next(generated)}" focused="{_flag(element.focused)}"/>')
    body += "<traits>" + "".join(traits) + "</traits>"
    body += "".join(_child_xml(child, ids, generated) for child in element.children)
    return head + body + "</child>"


def app_xml(tree: AppTree) -> str:
    base = tree.slot << 32 | 1
    ids = itertools.count(base + 1)
    generated = itertools.count(2)
    publisher = (f'<publisherRoot uccVersionMajor="0" uccVersionMinor="7" uccProtocolVersionMajor="0" '
                 f'toolkitVersion="1.0" parentElementId="0" uccProtocolVersionMinor="8" '
                 f'keplerAppId="{tree.kepler_app_id}" toolkitName="UIToolkit" applicationName={quoteattr(tree.app_name)}/>')
    window = tree.window
    z = tree.z_order
    head = (f'<window x="{window.x}" y="{window.y}" width="{window.width}" height="{window.height}" '
            f'id="{next(ids)}" index="{z}" alpha="100" zOrder="{z}" test_id="1">'
            f'<traits><compoundComponent mergeDescendants="false"/><visibility alpha="100" zOrder="{z}"/>'
            f'<window id="3" index="{z}"/></traits>')
    children = "".join(_child_xml(child, ids, generated) for child in window.children)
    return (f'<app id="{base}" appName={quoteattr(tree.app_name)}><traits>{publisher}</traits>'
            f"{head}{children}</window></app>")


def page_source(trees: list[AppTree]) -> str:
    """The whole ``getPageSource`` result string."""
    return '<?xml version="1.0"?>\n<root id="1">' + "".join(app_xml(t) for t in trees) + "</root>"
