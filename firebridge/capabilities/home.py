"""The Fire TV home screen's rows (Continue Watching, Partner-Managed Rows, Your Apps), read from the UI.

Parsing is pure (:func:`parse_home` over a :class:`~firebridge.driver.ui.UiTree`); :class:`Home` does the I/O:
go Home, read, wait for a change. Fire TV refreshes its rows when the home screen is shown, and
"if the Continue Watching row doesn't update, navigate away from the Home tab to any other tab, then
return" (seed 002) — :meth:`Home.wait_for` does exactly that between reads.

ASSUMPTION: no public capture of a Fire TV launcher dump exists (docs/fire-os.md section 5). Rows are
found as the launcher's per-row layouts (``grid_layout``, a verified id) holding a header TextView
and focusable tiles; the tile's title is its text or content-desc. Row titles are matched
case-insensitively ("Continue Watching").
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Callable

from firebridge.capabilities.remote import Key, Remote
from firebridge.device.resolve import driver_for
from firebridge.driver.ui import UiNode, UiTree
from firebridge.waiting import WaitTimeout

LAUNCHER_PACKAGE = "com.amazon.tv.launcher"
CONTINUE_WATCHING = "Continue Watching"
YOUR_APPS = "Your Apps"


@dataclass(frozen=True)
class Tile:
    """One tile of a home screen row: its title as shown, whether it has focus; PMR tiles also carry
    the maturity rating, the PIN lock and the app name on the card (seed 001)."""

    title: str
    focused: bool = False
    resource_id: str = ""
    rating: str = ""  # PMR tiles: the maturity rating shown under the title
    pin_required: bool = False
    display_name: str = ""  # PMR tiles: the app name on the card (com.amazon.extra.DISPLAY_NAME, seed 001)


@dataclass(frozen=True)
class Row:
    """One row of the home screen (Continue Watching, a Partner-Managed Row, Your Apps) and its tiles,
    left to right."""

    title: str
    tiles: tuple[Tile, ...]

    @property
    def titles(self) -> list[str]:
        return [tile.title for tile in self.tiles]


@dataclass(frozen=True)
class HomeSnapshot:
    """The rows the home screen shows at one moment, top to bottom."""

    rows: tuple[Row, ...]
    on_home: bool  # the launcher had focus when this was read

    def row(self, title: str) -> Row | None:
        wanted = title.casefold()
        return next((row for row in self.rows if row.title.casefold() == wanted), None)

    @property
    def continue_watching(self) -> list[str]:
        """Titles of the Continue Watching row, first tile first ([] when the row is absent)."""
        row = self.row(CONTINUE_WATCHING)
        return row.titles if row else []

    @property
    def row_titles(self) -> list[str]:
        return [row.title for row in self.rows]

    def describe(self) -> str:
        if not self.rows:
            return "no rows" + ("" if self.on_home else " (the home screen was not in front)")
        return "; ".join(f"{row.title}: {row.titles}" for row in self.rows)


@dataclass(frozen=True)
class HomeDiff:
    """What changed between two snapshots."""

    added_rows: tuple[str, ...]
    removed_rows: tuple[str, ...]
    changed_rows: dict[str, tuple[list[str], list[str]]]  # title -> (before, after)

    @property
    def empty(self) -> bool:
        return not (self.added_rows or self.removed_rows or self.changed_rows)


def _header(row_node: UiNode) -> str:
    for node in row_node.walk():
        if node is not row_node and node.text and not node.focusable and node.class_name.endswith("TextView"):
            return node.text.strip()
    return ""


def _tile(node: UiNode) -> Tile:
    rating = ""
    pin = False
    display_name = ""
    # Fire OS 7: the focusable main_image's card (its parent) holds the parts; Fire OS 8: the Compose tile
    # holds them itself.
    container = node if node.children or node.parent is None or node.parent.focusable else node.parent
    for part in container.walk():
        if part.resource_id.endswith("id/maturity_rating"):
            rating = part.text
        if part.content_desc == "PIN required":
            pin = True
        # ASSUMPTION (as for the rating): the card's app name is a TextView with the id ``label``.
        if part.resource_id.endswith("id/label") and part is not node:
            display_name = part.text
    return Tile(node.label, node.focused, node.resource_id, rating, pin, display_name)


def parse_home(tree: UiTree, on_home: bool | None = None, banded: bool = False) -> HomeSnapshot:
    """Rows and tiles of a launcher dump (pure). ``on_home``: whether the launcher is in front, when the
    caller knows (default: Fire OS's launcher package is in the dump). ``banded``: the tree is a
    launcher's own part without Fire OS's row layouts (Vega), read as header texts over bands of tiles."""
    if on_home is None:
        on_home = LAUNCHER_PACKAGE in tree.packages
    rows = []
    # Fire OS 5-7 (views): a ``grid_layout`` per row; Fire OS 8 (Compose): a ``row_content`` per row holding
    # the title and the ``TileTestTag`` tiles (toolicious/home-on-fire #10). On 7 row_content sits inside
    # grid_layout without the title, so it is only the row when there is no grid_layout.
    row_nodes = tree.find_all(resource_id="grid_layout") or tree.find_all(resource_id="row_content")
    for row_node in row_nodes:
        title = _header(row_node)
        tiles = tuple(_tile(node) for node in row_node.walk() if node.focusable and node is not row_node)
        if title:
            rows.append(Row(title, tiles))
    if not rows and banded:
        rows = _banded_rows(tree)
    return HomeSnapshot(tuple(rows), on_home)


def _tile_label(node: UiNode) -> str:
    """A tile's own label, else the first label inside it (a button whose title is a text child)."""
    return node.label or next((n.label for n in node.walk() if n.label), "")


def _banded_rows(tree: UiTree) -> list[Row]:
    """Rows of a launcher without Fire OS's row layouts: each header text (a text outside any focusable
    view) heads the focusable tiles below it, down to the next header, left to right. A focusable whose
    container leaves the row's band is no tile of it (see :func:`_within_band`).

    ASSUMPTION: Vega's home screen lays out rows as a header text above a band of tiles (no public page
    source of a stick's home screen; settle by: the toolkit page source of the home screen on a stick).
    """
    nodes = list(tree)
    headers = [n for n in nodes if n.text and not n.focusable and not any(a.focusable for a in n.ancestors())
               and not n.children]
    headers.sort(key=lambda n: n.bounds.top)
    rows = []
    for i, header in enumerate(headers):
        following = headers[i + 1] if i + 1 < len(headers) else None
        below = following.bounds.top if following is not None else None
        tiles = [n for n in nodes if n.focusable and n.bounds.top >= header.bounds.bottom
                 and (below is None or n.bounds.top < below) and _within_band(n, header, following)]
        if tiles:
            tiles.sort(key=lambda n: (n.bounds.top, n.bounds.left))
            rows.append(Row(header.text, tuple(Tile(_tile_label(n), n.focused, n.resource_id) for n in tiles)))
    return rows


def _within_band(tile: UiNode, header: UiNode, following: UiNode | None) -> bool:
    """False when a container between ``tile`` and the header's nearest common ancestor reaches above the
    header or down over the next header: the tile sits in something drawn across rows (a menu panel at
    the screen's edge, an overlay), not in the header's row, whose parts lie below its header."""
    shared = {id(a) for a in header.ancestors()}
    for container in tile.ancestors():
        if id(container) in shared:
            return True
        if not container.visible:
            continue  # no geometry of its own to judge by
        if container.bounds.top < header.bounds.top:
            return False
        if following is not None and container.bounds.bottom >= following.bounds.bottom:
            return False
    return True


def diff(before: HomeSnapshot, after: HomeSnapshot) -> HomeDiff:
    old = {row.title: row.titles for row in before.rows}
    new = {row.title: row.titles for row in after.rows}
    return HomeDiff(tuple(t for t in new if t not in old), tuple(t for t in old if t not in new),
                    {t: (old[t], new[t]) for t in new if t in old and old[t] != new[t]})


class Home:
    """The home screen of one device."""

    def __init__(self, device: Any, remote: Remote | None = None) -> None:
        """``device``: a driver, a ``FireTV`` or a transport (see :class:`Remote`)."""
        self.driver = remote.driver if remote is not None else driver_for(device)
        self.remote = remote or Remote(self.driver)
        self.last: HomeSnapshot | None = None

    def _parse(self, tree: UiTree) -> HomeSnapshot:
        """The rows of ``tree``. A driver that names its launcher (Vega: its UI tree holds every app on
        screen, the launcher under the app in front) gives the launcher's part only, and whether the
        launcher is the app in front comes from the driver."""
        launcher = getattr(self.driver, "launcher_app", None)
        if not isinstance(launcher, str):
            return parse_home(tree)
        mine = UiTree(roots=[root for root in tree.roots if root.package == launcher], xml=tree.xml)
        front = self.driver.foreground_app() or ""
        return parse_home(mine, on_home=front == launcher or front.startswith(launcher + "."), banded=True)

    def show(self) -> None:
        """Press HOME: the launcher comes to the front and refreshes its rows."""
        self.remote.press(Key.HOME)

    def read(self, all_rows: bool = False) -> HomeSnapshot:
        """What the home screen shows now. ``all_rows`` walks focus down the rows to read the ones
        below the fold (a launcher dumps only what is on screen), then returns to the top."""
        snapshot = self._parse(self.driver.ui_tree())
        if all_rows and snapshot.on_home:
            seen = {row.title: row for row in snapshot.rows}
            order = [row.title for row in snapshot.rows]
            for _ in range(12):  # bounded: a home screen has a handful of rows
                self.remote.press(Key.DOWN)
                more = self._parse(self.driver.ui_tree())
                new = [row for row in more.rows if row.title not in seen]
                if not new:
                    break
                for row in new:
                    seen[row.title] = row
                    order.append(row.title)
            self.show()
            snapshot = HomeSnapshot(tuple(seen[title] for title in order), True)
        self.last = snapshot
        return snapshot

    def snapshot(self, all_rows: bool = False) -> HomeSnapshot:
        """Go Home and read the rows."""
        self.show()
        return self.read(all_rows)

    def refresh(self) -> None:
        """Leave the Home tab for another and come back, which makes Fire TV rebuild its rows."""
        self.remote.press(Key.HOME, Key.UP, Key.RIGHT, Key.LEFT)

    def wait_for(self, predicate: Callable[[HomeSnapshot], bool], timeout: float = 20.0, what: str = "the home rows",
                 interval: float = 1.0) -> HomeSnapshot:
        """Read the home screen until ``predicate`` holds, refreshing the rows between reads."""
        deadline = time.monotonic() + timeout
        snapshot = self.snapshot()
        while not predicate(snapshot):
            if time.monotonic() >= deadline:
                raise WaitTimeout(f"timed out after {timeout:g} s waiting for {what}; the home screen showed: "
                                  f"{snapshot.describe()}")
            time.sleep(interval)  # give the launcher time before asking it to rebuild its rows again
            self.refresh()
            snapshot = self.read()
        return snapshot

    # -- Continue Watching helpers ------------------------------------------------------------------
    def continue_watching(self) -> list[str]:
        return self.snapshot().continue_watching

    def first_continue_watching(self) -> str | None:
        titles = self.continue_watching()
        return titles[0] if titles else None

    def wait_until_first(self, title: str, timeout: float = 20.0) -> HomeSnapshot:
        return self.wait_for(lambda s: s.continue_watching[:1] == [title], timeout,
                             f"{title!r} to be first in Continue Watching")

    def wait_until_absent(self, title: str, timeout: float = 20.0) -> HomeSnapshot:
        return self.wait_for(lambda s: title not in s.continue_watching, timeout,
                             f"{title!r} to leave Continue Watching")
