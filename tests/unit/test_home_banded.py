"""Home rows of a launcher without Fire OS's row layouts (Vega): header texts over bands of tiles, read
from toolkit page sources in the captured form (tests/samples/page_source_multitv_app_and_launcher_vvd_argent.xml:
nothing ``focused="true"``, the highlight and a current tab ``selected="true"``)."""

from __future__ import annotations

from firebridge.capabilities.home import parse_home
from firebridge.platforms.vega.toolkit import parse_page_source

from ..conftest import SAMPLES

_ids = iter(range(100, 10_000))


def _text(x: int, y: int, w: int, h: int, value: str) -> str:
    return (f'<child x="{x}" y="{y}" width="{w}" height="{h}" id="{next(_ids)}" test_id="{next(_ids)}" role="text">'
            f'<text>{value}</text><traits><visibility alpha="100"/></traits></child>')


def _button(x: int, y: int, w: int, h: int, label: str, selected: bool = False) -> str:
    flag = "true" if selected else "false"
    return (f'<child x="{x}" y="{y}" width="{w}" height="{h}" id="{next(_ids)}" selectable="true" selected="{flag}" '
            f'focusable="true" focused="false" test_id="{next(_ids)}" role="button"><traits>'
            f'<selectable selected="{flag}" selectFunction="1" hint=""/><focusable setFocus="2" focused="false"/>'
            f'</traits>{_text(x + 20, y + 10, w - 40, h - 20, label)}</child>')


def _box(x: int, y: int, w: int, h: int, *children: str) -> str:
    return (f'<child x="{x}" y="{y}" width="{w}" height="{h}" id="{next(_ids)}" test_id="{next(_ids)}">'
            f'<traits><visibility alpha="100"/></traits>{"".join(children)}</child>')


def _page(*children: str) -> str:
    return ('<?xml version="1.0"?>\n<root id="1"><app id="8589934593" appName="launcher"><traits/>'
            '<window x="0" y="0" width="1920" height="1080" id="8589934594" test_id="1">'
            + "".join(children) + "</window></app></root>")


def rows(xml: str) -> dict[str, list[tuple[str, bool]]]:
    snapshot = parse_home(parse_page_source(xml), on_home=True, banded=True)
    return {row.title: [(tile.title, tile.focused) for tile in row.tiles] for row in snapshot.rows}


def _rows_with(*extra: str, cw_selected: int | None = 1) -> str:
    return _page(
        _text(80, 160, 600, 50, "Continue Watching"),
        _box(80, 220, 1800, 190, *[_button(80 + i * 360, 220, 340, 190, t, i == cw_selected)
                                   for i, t in enumerate(("Paper Boats", "Night Harbor"))]),
        _text(80, 460, 600, 50, "Your Apps"),
        _button(80, 520, 340, 190, "Settings"), _button(440, 520, 340, 190, "Reference TV"),
        *extra)


def test_header_over_a_band_of_tiles_and_the_highlight_is_the_selected_tile():
    assert rows(_rows_with()) == {"Continue Watching": [("Paper Boats", False), ("Night Harbor", True)],
                                  "Your Apps": [("Settings", False), ("Reference TV", False)]}


def test_an_open_tile_menu_at_the_right_edge_is_no_tile_of_the_row_under_it():
    # The menu: a panel at the right edge over both rows, its item level with the Continue Watching
    # tiles; the tile it belongs to stays selected, the item is the highlight (the last selected).
    menu = _box(1380, 110, 540, 970, _button(1420, 300, 460, 70, "Remove from Continue Watching", True))
    assert rows(_rows_with(menu)) == {"Continue Watching": [("Paper Boats", False), ("Night Harbor", False)],
                                      "Your Apps": [("Settings", False), ("Reference TV", False)]}
    # A panel that starts inside the band but reaches past the next row is no row's either.
    low = _box(1380, 240, 540, 840, _button(1420, 300, 460, 70, "Remove from Continue Watching", True))
    assert "Remove from Continue Watching" not in [t for r in rows(_rows_with(low)).values() for t, _ in r]


def test_a_tab_bar_keeps_its_current_tab_selected_and_is_no_row():
    tabs = _box(0, 0, 1920, 120, *[_button(67 + i * 200, 23, 180, 74, t, t == "Home")
                                   for i, t in enumerate(("Search", "Home", "Live"))])
    xml = _page(tabs, _text(80, 160, 600, 50, "Continue Watching"),
                _box(80, 220, 1800, 190, _button(80, 220, 340, 190, "Paper Boats", True)))
    assert rows(xml) == {"Continue Watching": [("Paper Boats", True)]}


def test_the_captured_app_reads_as_one_row_with_its_highlighted_tile():
    # The real capture (a React Native app with a tab bar and a row of tiles under a header).
    tree = parse_page_source((SAMPLES / "page_source_multitv_app_and_launcher_vvd_argent.xml").read_text())
    mine = type(tree)(roots=[tree.roots[0]], xml=tree.xml)
    snapshot = parse_home(mine, on_home=True, banded=True)
    [row] = [r for r in snapshot.rows if r.title == "Kontynuuj odtwarzanie"]
    assert [t.focused for t in row.tiles] == [True, False, False, False]
