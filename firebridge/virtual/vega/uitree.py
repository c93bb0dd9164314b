"""Vega UI trees and the automation toolkit's page-source XML (pure).

Shape from a real ``getPageSource`` answer on a VVD (software-mansion/argent packages/tool-server/test/fixtures/vega-page-source.xml, argent's
fixture): ``<?xml version="1.0"?>`` + newline, then one line ``<root id="1">`` holding one ``<app id
appName>`` per visible app (foreground app and the launcher), each with ``<traits><publisherRoot
.../></traits>`` and a ``<window x y width height id index alpha zOrder test_id>`` of nested ``<child>``
elements (``x y width height id`` + optional ``selectable selected focusable focused clickable``,
``test_id``, ``role``; text as a ``<text>`` child; ``<traits>`` metadata). App ids are ``N << 32 | 1``
and element ids count up from there (4294967297, 4294967298, ... for the launcher in the capture).

Where the D-pad highlight shows: nowhere as ``focused``. Every focusable element of the capture reports
``focused="false"`` (attribute and ``<focusable>`` trait); the React Native app's buttons carry
``selectable="true" selected="true|false"`` and the highlighted tile is ``selected="true"``, while the
app's current tab ("Home") stays ``selected="true"`` with the highlight in the row below it. The VVD
launcher's buttons are another kind: ``clickable="true"`` with a ``<tappable>`` trait and no
``selectable`` at all. So an :class:`Element` keeps the device's focus model (``focused``: the highlight
is here; ``selected``: selected apart from the highlight, e.g. a current tab) and the XML shows it the
captured way: ``selected = selected or focused`` on selectable elements, ``focused="false"`` always.
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
    focused: bool = False  # the model: the D-pad highlight is here (rendered as selected, never focused)
    selectable: bool = False
    selected: bool = False  # selected apart from the highlight (a current tab, the tile under its open menu)
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


def button(x: int, y: int, width: int, height: int, label: str, focused: bool, test_id: str | None = None,
           selected: bool = False) -> Element:
    """A focusable, selectable button with its label as a text child, as the captured React Native app's
    tabs and tiles are: the highlight shows as ``selected="true"``. ``selected`` keeps it selected
    without the highlight (a current tab while focus is below it)."""
    return Element(x, y, width, height, role="button", test_id=test_id, focusable=True, focused=focused,
                   selectable=True, selected=selected).add(text(x + 20, y + 10, width - 40, height - 20, value=label))


def tappable_button(x: int, y: int, width: int, height: int, label: str, test_id: str | None = None) -> Element:
    """A focusable button of the VVD launcher's kind ("Register this device"): ``clickable`` with a
    ``<tappable>`` trait, no ``selectable`` (so no highlight shows in the page source)."""
    return Element(x, y, width, height, role="button", test_id=test_id, focusable=True,
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
    selected = _flag(element.selected or element.focused)  # the highlight shows as selected (module doc)
    if element.selectable:
        attrs += [("selectable", "true"), ("selected", selected)]
    if element.clickable:
        attrs.append(("clickable", "true"))
    if element.focusable:
        attrs += [("focusable", "true"), ("focused", "false")]  # "false" on every element of the capture
    attrs.append(("test_id", element.test_id or str(next(generated))))
    if element.role:
        attrs.append(("role", element.role))
    head = "<child " + " ".join(f"{k}={quoteattr(str(v))}" for k, v in attrs) + ">"
    body = f"<text>{escape(element.text)}</text>" if element.text is not None else ""
    if element.selectable:
        body += "<traits><actions><actions/></actions></traits>"  # the capture's selectable buttons have it
    traits = ['<compoundComponent mergeDescendants="{}"/>'.format(_flag(element.focusable))]
    if element.clickable:
        traits.append('<voiceAssistant entityType="AMAZON.Thing"/>')
    traits.append('<visibility alpha="100"/>')
    if element.selectable:
        traits.append(f'<selectable selected="{selected}" selectFunction="{next(generated)}" hint=""/>')
    if element.focusable:
        traits.append(f'<focusable setFocus="{next(generated)}" focused="false"/>')
    if element.clickable:
        traits.append(f'<tappable handler="{next(generated)}"/>')
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
