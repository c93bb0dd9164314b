"""The Fire TV launcher, ``com.amazon.tv.launcher/.ui.HomeActivity_vNext`` (the home app).

What it shows: a top nav (profile icon, the tabs Home / Find / Live / Free, the settings gear) and,
under Home, the hero carousel and rows — Continue Watching, one Partner-Managed Row per app with
recommendations, and Your Apps (with a Settings tile). Three parts, kept apart:

- the rows and their tiles (:func:`build_rows`, pure): what the home screen lists;
- :class:`HomeModel` (pure): focus, tabs, scrolling and the tile menu, driven by key codes; a key
  may yield an :class:`Action` (open a tile, remove a Continue Watching title...) for the activity;
- :class:`HomeActivity`: takes row snapshots from the device's services, performs actions through
  the ActivityManager, and builds the view tree (``uiautomator dump``) and the picture (``screencap``)
  from one shared layout (:func:`layout`).

Snapshot rule (docs/virtual-device.md section 1): the Continue Watching and PMR rows are read from the services
when the home screen is shown (resumed, or HOME pressed on it) and when the Home tab is entered
again from another tab; between those moments they do not change.

Resource ids follow real-device observations (docs/fire-os.md section 5) (nav_container,
fragment_horizontal_nav, nav_bar_settings, profile_icon, featured_item_rotator(_view_compose),
container_list, grid_layout, row_content, menu_apps_gridview, layout_jarvis_badged_view_slim,
main_image with the card's title in content-desc, image_icon_badge, default_layer).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable, Mapping, Sequence

from firebridge.platforms.fireos.keycodes import CODE_BY_NAME
from firebridge.virtual.fireos.activities import (ACTION_MAIN, ACTION_VIEW, CATEGORY_HOME, CATEGORY_LEANBACK_LAUNCHER, Activity, App,
                          StartError)
from firebridge.virtual.fireos.intents import Intent
from firebridge.virtual.fireos.screen import FOCUS, TEXT, TILE
from firebridge.virtual.fireos.views import Bounds, Node
from firebridge.virtual.personalization.continue_watching import MENU_REMOVE

if TYPE_CHECKING:
    from PIL import ImageDraw, ImageFont

    from firebridge.virtual.fireos.notifications import RecommendationTile
    from firebridge.virtual.fireos.personalization import ContinueWatchingItem
    from firebridge.virtual.fireos.system import VirtualDevice

PACKAGE = "com.amazon.tv.launcher"
RID = PACKAGE + ":id/"
SETTINGS_PACKAGE = "com.amazon.tv.settings.v2"
SETTINGS_ACTIVITY = ".tv.SettingsHomeActivity"
# What Android puts on a launcher's start: FLAG_ACTIVITY_NEW_TASK | FLAG_ACTIVITY_RESET_TASK_IF_NEEDED.
LAUNCH_FLAGS = 0x10200000

KEY_UP, KEY_DOWN = CODE_BY_NAME["DPAD_UP"], CODE_BY_NAME["DPAD_DOWN"]
KEY_LEFT, KEY_RIGHT = CODE_BY_NAME["DPAD_LEFT"], CODE_BY_NAME["DPAD_RIGHT"]
SELECT_KEYS = (CODE_BY_NAME["DPAD_CENTER"], CODE_BY_NAME["ENTER"], CODE_BY_NAME["NUMPAD_ENTER"])
KEY_MENU, KEY_BACK = CODE_BY_NAME["MENU"], CODE_BY_NAME["BACK"]

TABS = ("Home", "Find", "Live", "Free")
NAV_ITEMS = ("profile", *TABS, "settings")  # left to right
HOME_NAV_INDEX = NAV_ITEMS.index("Home")

CW_ROW = "continue_watching"
APPS_ROW = "your_apps"
MENU_MORE_INFO = "More Info"
CW_MENU = (MENU_REMOVE, MENU_MORE_INFO)
HERO_DESC = "Welcome to Fire TV. Your apps, channels and recommendations are below."
ANIMATION_SECONDS = 0.3  # the hero carousel animates this long after the home screen is shown


# -- rows and tiles (pure) ------------------------------------------------------------------------
@dataclass(frozen=True)
class Tile:
    """One card of a row. ``kind`` is ``cw``, ``pmr``, ``app`` or ``settings``."""

    key: str
    title: str
    kind: str
    package: str = ""
    content_id: str | None = None
    deep_link: str = ""
    progress: float | None = None  # CW: position / duration, 0..1
    provider: str = ""  # PMR: DISPLAY_NAME
    rating: str = ""  # PMR: maturity rating ("" shows as mature)
    locked: bool = False  # PMR: requires a PIN
    launch_package: str = ""  # PMR: the app SELECT opens


@dataclass(frozen=True)
class Row:
    key: str
    title: str
    tiles: tuple[Tile, ...]


def cw_tile(item: "ContinueWatchingItem") -> Tile:
    progress = item.position_ms / item.duration_ms if item.duration_ms > 0 else 0.0
    return Tile(key=f"cw:{item.package}:{item.content_id}", title=item.title, kind="cw", package=item.package,
                content_id=item.content_id, deep_link=item.deep_link, progress=max(0.0, min(1.0, progress)))


def pmr_tile(tile: "RecommendationTile") -> Tile:
    # The notification's launch target may differ from the posting package (PMR engineer's field).
    launch = getattr(tile, "launch_package", None) or tile.package
    return Tile(key=f"pmr:{tile.key}", title=tile.title, kind="pmr", package=tile.package,
                content_id=tile.content_id, provider=tile.display_name, rating=tile.maturity_rating,
                locked=tile.requires_pin, launch_package=launch)


def build_rows(continue_watching: Sequence["ContinueWatchingItem"],
               recommendations: Mapping[str, Sequence["RecommendationTile"]],
               app_labels: Mapping[str, str], launchable_apps: Iterable[tuple[str, str]]) -> list[Row]:
    """The Home tab's rows, top to bottom; rows without tiles are left out (hidden).

    ``app_labels`` names PMR rows (package -> label; the package itself when unknown);
    ``launchable_apps`` are (package, label) of the Your Apps tiles, before the Settings tile.
    """
    rows = [Row(CW_ROW, "Continue Watching", tuple(cw_tile(item) for item in continue_watching))]
    for package, tiles in recommendations.items():
        rows.append(Row(f"pmr:{package}", app_labels.get(package, package), tuple(pmr_tile(t) for t in tiles)))
    apps = tuple(Tile(key=f"app:{package}", title=label, kind="app", package=package)
                 for package, label in launchable_apps)
    rows.append(Row(APPS_ROW, "Your Apps", apps + (Tile(key="app:settings", title="Settings", kind="settings",
                                                        package=SETTINGS_PACKAGE),)))
    return [row for row in rows if row.tiles]


# -- focus and keys (pure) ------------------------------------------------------------------------
@dataclass(frozen=True)
class Action:
    """What a key asks the activity to do: ``open`` a tile, open ``settings``, ``refresh`` the
    snapshot (Home tab re-entered), ``remove`` a CW title, ``more_info`` on a tile."""

    kind: str
    tile: Tile | None = None


@dataclass
class Menu:
    tile: Tile
    items: tuple[str, ...]
    index: int = 0


# Layout geometry (1920x1080), shared by the model's scrolling and by layout().
NAV_BOUNDS: Bounds = (0, 0, 1920, 110)
NAV_ROW_BOUNDS: Bounds = (40, 20, 1880, 100)
LIST_BOUNDS: Bounds = (0, 110, 1920, 1080)
HERO_BOUNDS: Bounds = (96, 130, 1824, 400)
ROWS_TOP_WITH_HERO, ROWS_TOP = 420, 130
ROW_HEIGHT, HEADER_HEIGHT = 215, 40
TILE_W, TILE_H, TILE_STEP, TILES_LEFT = 272, 153, 296, 96
VISIBLE_COLUMNS = 6
MENU_BOUNDS: Bounds = (1380, 110, 1920, 1080)


def rows_capacity(first_row: int) -> int:
    """How many whole rows fit below the nav (the hero shows only while the list is at its top)."""
    top = ROWS_TOP_WITH_HERO if first_row == 0 else ROWS_TOP
    return (LIST_BOUNDS[3] - top) // ROW_HEIGHT


def nav_bounds(index: int) -> Bounds:
    item = NAV_ITEMS[index]
    if item == "profile":
        return (60, 30, 120, 90)
    if item == "settings":
        return (1800, 30, 1860, 90)
    left = 170 + (index - 1) * 170
    return (left, 30, left + 150, 90)


@dataclass
class HomeModel:
    """Focus on the home screen: a nav item, a tile (row, column) or an item of the tile menu."""

    rows: list[Row] = field(default_factory=list)
    tab: str = "Home"
    zone: str = "nav"  # "nav" | "rows"
    nav_index: int = HOME_NAV_INDEX
    row_index: int = 0
    col_index: int = 0
    first_row: int = 0
    first_col: dict[str, int] = field(default_factory=dict)
    menu: Menu | None = None

    # -- queries ------------------------------------------------------------------------------
    @property
    def shown_rows(self) -> list[Row]:
        """Rows are on the Home tab only."""
        return self.rows if self.tab == "Home" else []

    def focused_tile(self) -> Tile | None:
        rows = self.shown_rows
        if self.zone != "rows" or not rows:
            return None
        return rows[self.row_index].tiles[self.col_index]

    def visible_columns(self, row: Row) -> range:
        first = self.first_col.get(row.key, 0)
        return range(first, min(len(row.tiles), first + VISIBLE_COLUMNS))

    def visible_rows(self) -> range:
        return range(self.first_row, min(len(self.shown_rows), self.first_row + rows_capacity(self.first_row)))

    # -- state changes ------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[Row]) -> None:
        """Take a new snapshot, keeping focus on the same tile if it is still there, else on the
        same place (the next tile, or the row that moved up into the place)."""
        focused = self.focused_tile()
        focused_row = self.shown_rows[self.row_index].key if focused is not None else None
        self.rows = [row for row in rows if row.tiles]
        if self.menu is not None and not any(self.menu.tile in row.tiles for row in self.rows):
            self.menu = None
        if self.zone != "rows":
            return
        if not self.shown_rows:
            self._to_nav()
            return
        for r, row in enumerate(self.rows):
            for c, tile in enumerate(row.tiles):
                if focused is not None and tile.key == focused.key and row.key == focused_row:
                    self.row_index, self.col_index = r, c
                    self._scroll()
                    return
        self.row_index = min(self.row_index, len(self.rows) - 1)
        self.col_index = min(self.col_index, len(self.rows[self.row_index].tiles) - 1)
        self._scroll()

    def home_pressed(self, on_screen: bool) -> None:
        """HOME: closes the menu and shows the Home tab; pressed on the home screen itself, it also
        goes back to the top (focus on the Home tab), as Fire TV does."""
        self.menu = None
        if on_screen or self.tab != "Home":
            self.tab = "Home"
            self._to_nav()

    def press(self, code: int) -> tuple[bool, Action | None]:
        """Handle a key: (consumed, action for the activity)."""
        if self.menu is not None:
            return True, self._press_menu(code)
        if self.zone == "nav":
            return self._press_nav(code)
        return self._press_rows(code)

    # -- internals ----------------------------------------------------------------------------
    def _to_nav(self) -> None:
        self.zone = "nav"
        self.nav_index = NAV_ITEMS.index(self.tab)
        self.first_row = 0

    def _select_tab(self, tab: str) -> Action | None:
        if tab == self.tab:
            return None
        self.tab = tab
        self.first_row = 0
        # Leaving Home and coming back refreshes the rows (docs/virtual-device.md section 1, the snapshot rule).
        return Action("refresh") if tab == "Home" else None

    def _press_nav(self, code: int) -> tuple[bool, Action | None]:
        if code in (KEY_LEFT, KEY_RIGHT):
            step = -1 if code == KEY_LEFT else 1
            self.nav_index = max(0, min(len(NAV_ITEMS) - 1, self.nav_index + step))
            item = NAV_ITEMS[self.nav_index]
            # ASSUMPTION: as on the Fire TV UI, moving focus onto a tab shows its page.
            return True, (self._select_tab(item) if item in TABS else None)
        if code == KEY_DOWN:
            if self.shown_rows:
                self.zone, self.row_index = "rows", 0
                self.col_index = self.first_col.get(self.rows[0].key, 0)
                self._scroll()
            return True, None
        if code in SELECT_KEYS:
            item = NAV_ITEMS[self.nav_index]
            if item == "settings":
                return True, Action("settings")
            # ASSUMPTION: the profile picker is not modelled; SELECT on the icon does nothing.
            return True, (self._select_tab(item) if item in TABS else None)
        if code == KEY_BACK and self.tab != "Home":
            return True, self._select_tab_and_focus("Home")
        return code == KEY_UP, None

    def _select_tab_and_focus(self, tab: str) -> Action | None:
        action = self._select_tab(tab)
        self._to_nav()
        return action

    def _press_rows(self, code: int) -> tuple[bool, Action | None]:
        rows = self.shown_rows
        row = rows[self.row_index]
        if code in (KEY_LEFT, KEY_RIGHT):
            step = -1 if code == KEY_LEFT else 1
            self.col_index = max(0, min(len(row.tiles) - 1, self.col_index + step))
        elif code == KEY_UP:
            if self.row_index == 0:
                self._to_nav()
                return True, None
            self._move_row(self.row_index - 1)
        elif code == KEY_DOWN:
            if self.row_index < len(rows) - 1:
                self._move_row(self.row_index + 1)
        elif code in SELECT_KEYS:
            tile = row.tiles[self.col_index]
            return True, Action("settings" if tile.kind == "settings" else "open", tile)
        elif code == KEY_MENU:
            tile = row.tiles[self.col_index]
            if tile.kind == "cw":
                self.menu = Menu(tile, CW_MENU)
            return True, None
        elif code == KEY_BACK:
            # ASSUMPTION: BACK inside the rows returns focus to the top nav (the launcher never leaves).
            self._to_nav()
        else:
            return False, None
        self._scroll()
        return True, None

    def _move_row(self, target: int) -> None:
        """Up/down keeps the column on screen: the tile of the target row nearest the same x."""
        rows = self.shown_rows
        screen_col = self.col_index - self.first_col.get(rows[self.row_index].key, 0)
        new = rows[target]
        first = self.first_col.get(new.key, 0)
        self.row_index = target
        self.col_index = max(0, min(len(new.tiles) - 1, first + screen_col))

    def _scroll(self) -> None:
        rows = self.shown_rows
        if self.zone != "rows" or not rows:
            self.first_row = 0
            return
        row = rows[self.row_index]
        first = self.first_col.get(row.key, 0)
        if self.col_index < first:
            first = self.col_index
        elif self.col_index >= first + VISIBLE_COLUMNS:
            first = self.col_index - VISIBLE_COLUMNS + 1
        self.first_col[row.key] = max(0, min(first, max(0, len(row.tiles) - VISIBLE_COLUMNS)))
        if self.row_index == 0 or self.row_index < self.first_row:
            self.first_row = self.row_index
        elif self.row_index >= self.first_row + rows_capacity(self.first_row):
            self.first_row = max(1, self.row_index - rows_capacity(1) + 1)

    def _press_menu(self, code: int) -> Action | None:
        menu = self.menu
        assert menu is not None
        if code in (KEY_UP, KEY_DOWN):
            step = -1 if code == KEY_UP else 1
            menu.index = max(0, min(len(menu.items) - 1, menu.index + step))
        elif code in (KEY_BACK, KEY_MENU):
            self.menu = None
        elif code in SELECT_KEYS:
            self.menu = None
            return Action("remove" if menu.items[menu.index] == MENU_REMOVE else "more_info", menu.tile)
        return None


# -- layout (pure) --------------------------------------------------------------------------------
@dataclass(frozen=True)
class PlacedTile:
    tile: Tile
    bounds: Bounds
    focused: bool


@dataclass(frozen=True)
class PlacedRow:
    row: Row
    bounds: Bounds
    header: Bounds
    content: Bounds
    tiles: tuple[PlacedTile, ...]


@dataclass(frozen=True)
class HomeLayout:
    nav: tuple[tuple[str, Bounds, bool, bool], ...]  # (item, bounds, focused, selected)
    hero: Bounds | None
    rows: tuple[PlacedRow, ...]
    page_message: str
    menu: tuple[tuple[str, Bounds, bool], ...]  # (label, bounds, focused)


PAGE_MESSAGES = {
    "Find": "Search for movies, TV shows, apps and games",
    "Live": "Live TV and channels from your apps",
    "Free": "Free movies and TV from your apps",
}


def layout(model: HomeModel) -> HomeLayout:
    """Where everything is, for the view tree and the picture alike. Only rows and tiles on
    screen are placed: uiautomator leaves out views that are not visible to the user."""
    nav = tuple((item, nav_bounds(i), model.zone == "nav" and model.menu is None and i == model.nav_index,
                 item == model.tab) for i, item in enumerate(NAV_ITEMS))
    rows = model.shown_rows
    hero = HERO_BOUNDS if model.tab == "Home" and model.first_row == 0 else None
    placed: list[PlacedRow] = []
    top = ROWS_TOP_WITH_HERO if hero else ROWS_TOP
    for slot, r in enumerate(model.visible_rows()):
        row = rows[r]
        y = top + slot * ROW_HEIGHT
        tiles = []
        columns = model.visible_columns(row)
        for c in columns:
            x = TILES_LEFT + (c - columns.start) * TILE_STEP
            focused = (model.zone == "rows" and model.menu is None and r == model.row_index and c == model.col_index)
            tiles.append(PlacedTile(row.tiles[c], (x, y + HEADER_HEIGHT, x + TILE_W, y + HEADER_HEIGHT + TILE_H),
                                    focused))
        placed.append(PlacedRow(row, (0, y, 1920, y + ROW_HEIGHT - 12), (TILES_LEFT, y, 1824, y + HEADER_HEIGHT - 4),
                                (0, y + HEADER_HEIGHT, 1920, y + HEADER_HEIGHT + TILE_H), tuple(tiles)))
    menu = ()
    if model.menu is not None:
        menu = tuple((label, (1420, 300 + i * 90, 1880, 370 + i * 90), i == model.menu.index)
                     for i, label in enumerate(model.menu.items))
    return HomeLayout(nav, hero, tuple(placed), PAGE_MESSAGES.get(model.tab, ""), menu)


# -- view tree (pure) -----------------------------------------------------------------------------
def _tile_node(placed: PlacedTile) -> Node:
    tile, (l, t, r, b) = placed.tile, placed.bounds
    if tile.kind in ("app", "settings"):
        # App tiles carry the app's name in content-desc (samples: "Prime Video" on an app tile).
        return Node(cls="android.view.ViewGroup", bounds=placed.bounds, resource_id=RID + "layout_jarvis_badged_view_slim",
                    content_desc=tile.title, clickable=True, focusable=True, focused=placed.focused)
    card = Node(cls="android.widget.FrameLayout", bounds=placed.bounds)
    card.add(Node(cls="android.widget.ImageView", bounds=placed.bounds, resource_id=RID + "main_image",
                  content_desc=tile.title, clickable=True, focusable=True, focused=placed.focused,
                  long_clickable=True))
    if tile.kind == "cw":
        card.add(Node(cls="android.widget.ProgressBar", bounds=(l + 12, b - 18, r - 12, b - 10),
                      resource_id=RID + "progress_bar"))
    else:
        card.add(Node(cls="android.widget.TextView", bounds=(l + 12, b - 40, r - 100, b - 8), resource_id=RID + "label",
                      text=tile.provider))
        # ASSUMPTION: no capture shows how the launcher labels a tile's maturity rating and PIN lock;
        # the rating is a TextView and the lock uses the badge overlay id, with a content-desc.
        card.add(Node(cls="android.widget.TextView", bounds=(l + 8, t + 8, l + 120, t + 40),
                      resource_id=RID + "maturity_rating", text=display_rating(tile.rating)))
        if tile.locked:
            card.add(Node(cls="android.widget.ImageView", bounds=(r - 44, t + 8, r - 8, t + 44),
                          resource_id=RID + "image_icon_badge", content_desc="PIN required"))
    return card


def display_rating(rating: str) -> str:
    """docs/virtual-device.md section 3: a recommendation without a maturity rating is shown as mature."""
    return rating or "Mature"


def _compose_tile_node(placed: PlacedTile) -> Node:
    """A Fire OS 8 (Compose) tile: one focusable ``android.view.View`` tagged ``TileTestTag`` whose
    content-desc is the title (toolicious/home-on-fire #10; Compose exposes a test tag as the resource id
    and merges a clickable's text into its description).
    ASSUMPTION: the rating, provider label and PIN badge stay child nodes with their ids, as on Fire OS 7
    (settle by: `uiautomator dump` of a PMR row on an AFTKRT)."""
    tile, (l, t, r, b) = placed.tile, placed.bounds
    node = Node(cls="android.view.View", bounds=placed.bounds, resource_id="TileTestTag", content_desc=tile.title,
                clickable=True, focusable=True, focused=placed.focused)
    if tile.kind == "cw":
        node.add(Node(cls="android.widget.ProgressBar", bounds=(l + 12, b - 18, r - 12, b - 10),
                      resource_id=RID + "progress_bar"))
    elif tile.kind not in ("app", "settings"):
        node.add(Node(cls="android.widget.TextView", bounds=(l + 12, b - 40, r - 100, b - 8),
                      resource_id=RID + "label", text=tile.provider))
        node.add(Node(cls="android.widget.TextView", bounds=(l + 8, t + 8, l + 120, t + 40),
                      resource_id=RID + "maturity_rating", text=display_rating(tile.rating)))
        if tile.locked:
            node.add(Node(cls="android.view.View", bounds=(r - 44, t + 8, r - 8, t + 44),
                          resource_id=RID + "image_icon_badge", content_desc="PIN required"))
    return node


def build_view(model: HomeModel, page: HomeLayout, style: str = "views") -> Node:
    """The launcher's view tree: ``views`` (Fire OS 5-7) or ``compose`` (Fire OS 8; models.launcher_style)."""
    if style == "compose":
        return _build_compose_view(model, page)
    root = Node(cls="android.widget.FrameLayout", bounds=(0, 0, 1920, 1080))
    root.add(Node(cls="android.widget.ImageView", bounds=(0, 0, 1920, 1080), resource_id=RID + "default_layer"))
    nav_row = Node(cls="android.widget.LinearLayout", bounds=NAV_ROW_BOUNDS, resource_id=RID + "fragment_horizontal_nav")
    for item, bounds, focused, selected in page.nav:
        if item == "profile":
            node = Node(cls="android.widget.ImageView", bounds=bounds, resource_id=RID + "profile_icon",
                        content_desc="Profiles", clickable=True, focusable=True, focused=focused)
        elif item == "settings":
            node = Node(cls="android.widget.ImageView", bounds=bounds, resource_id=RID + "nav_bar_settings",
                        content_desc="Settings", clickable=True, focusable=True, focused=focused)
        else:
            # A real tab node: cls=android.view.ViewGroup text=null desc=Home (home-on-fire #2).
            node = Node(cls="android.view.ViewGroup", bounds=bounds, content_desc=item, clickable=True,
                        focusable=True, focused=focused, selected=selected)
        nav_row.add(node)
    root.add(Node(cls="android.widget.FrameLayout", bounds=NAV_BOUNDS, resource_id=RID + "nav_container").add(nav_row))
    container = Node(cls="androidx.recyclerview.widget.RecyclerView", bounds=LIST_BOUNDS,
                     resource_id=RID + "container_list", scrollable=len(model.shown_rows) > 1)
    if page.hero is not None:
        container.add(Node(cls="android.widget.FrameLayout", bounds=page.hero, resource_id=RID + "featured_item_rotator")
                      .add(Node(cls="android.view.View", bounds=page.hero,
                                resource_id=RID + "featured_item_rotator_view_compose", content_desc=HERO_DESC)))
    for placed in page.rows:
        apps = placed.row.key == APPS_ROW
        content = Node(cls="android.widget.GridView" if apps else "androidx.recyclerview.widget.RecyclerView",
                       bounds=placed.content, resource_id=RID + ("menu_apps_gridview" if apps else "row_content"),
                       scrollable=len(placed.row.tiles) > VISIBLE_COLUMNS)
        content.add(*(_tile_node(tile) for tile in placed.tiles))
        # ASSUMPTION: no capture names the row header's id; it is a TextView with the row title.
        container.add(Node(cls="android.widget.LinearLayout", bounds=placed.bounds, resource_id=RID + "grid_layout")
                      .add(Node(cls="android.widget.TextView", bounds=placed.header, resource_id=RID + "row_header",
                                text=placed.row.title), content))
    if page.page_message:
        container.add(Node(cls="android.widget.TextView", bounds=(96, 300, 1824, 360), resource_id=RID + "empty_page_text",
                           text=page.page_message))
    root.add(container)
    if page.menu:
        # ASSUMPTION: ids of the tile options menu are not captured anywhere; named after what they are.
        menu = Node(cls="android.widget.FrameLayout", bounds=MENU_BOUNDS, resource_id=RID + "context_menu")
        items = Node(cls="android.widget.ListView", bounds=(1400, 280, 1900, 300 + 90 * len(page.menu)),
                     resource_id=RID + "context_menu_list")
        for label, bounds, focused in page.menu:
            items.add(Node(cls="android.widget.TextView", bounds=bounds, resource_id=RID + "context_menu_item",
                           text=label, clickable=True, focusable=True, focused=focused))
        root.add(menu.add(items))
    return root


def _build_compose_view(model: HomeModel, page: HomeLayout) -> Node:
    """Fire OS 8's Compose home screen (ids from toolicious/home-on-fire #10: ``featured_item_rotator_view_compose``,
    ``grid_container``, ``row_content``, tiles ``TileTestTag``).
    ASSUMPTION: one ``row_content`` per row holds the row's title (a Text, i.e. a TextView node) and its tiles;
    the top nav keeps its Fire OS 7 ids and descriptions (settle by: `uiautomator dump` on an AFTKRT home)."""
    root = Node(cls="android.widget.FrameLayout", bounds=(0, 0, 1920, 1080))
    compose = Node(cls="androidx.compose.ui.platform.ComposeView", bounds=(0, 0, 1920, 1080))
    nav_row = Node(cls="android.view.View", bounds=NAV_ROW_BOUNDS, resource_id=RID + "fragment_horizontal_nav")
    for item, bounds, focused, selected in page.nav:
        desc = {"profile": "Profiles", "settings": "Settings"}.get(item, item)
        rid = {"profile": RID + "profile_icon", "settings": RID + "nav_bar_settings"}.get(item, "")
        nav_row.add(Node(cls="android.view.View", bounds=bounds, resource_id=rid, content_desc=desc, clickable=True,
                         focusable=True, focused=focused, selected=selected if item in TABS else False))
    compose.add(Node(cls="android.view.View", bounds=NAV_BOUNDS, resource_id=RID + "nav_container").add(nav_row))
    container = Node(cls="android.view.View", bounds=LIST_BOUNDS, resource_id=RID + "grid_container",
                     scrollable=len(model.shown_rows) > 1)
    if page.hero is not None:
        container.add(Node(cls="android.view.View", bounds=page.hero,
                           resource_id=RID + "featured_item_rotator_view_compose", content_desc=HERO_DESC))
    for placed in page.rows:
        row = Node(cls="android.view.View", bounds=placed.bounds, resource_id=RID + "row_content",
                   scrollable=len(placed.row.tiles) > VISIBLE_COLUMNS)
        row.add(Node(cls="android.widget.TextView", bounds=placed.header, text=placed.row.title))
        row.add(*(_compose_tile_node(tile) for tile in placed.tiles))
        container.add(row)
    if page.page_message:
        container.add(Node(cls="android.widget.TextView", bounds=(96, 300, 1824, 360), text=page.page_message))
    compose.add(container)
    if page.menu:
        menu = Node(cls="android.view.View", bounds=MENU_BOUNDS, resource_id=RID + "context_menu")
        for label, bounds, focused in page.menu:
            menu.add(Node(cls="android.widget.TextView", bounds=bounds, resource_id=RID + "context_menu_item",
                          text=label, clickable=True, focusable=True, focused=focused))
        compose.add(menu)
    return root.add(compose)


# -- the picture ----------------------------------------------------------------------------------
@lru_cache(maxsize=None)
def font(size: int) -> "ImageFont.FreeTypeFont | ImageFont.ImageFont":
    """Pillow's built-in scalable font (no system fonts needed)."""
    from PIL import ImageFont
    return ImageFont.load_default(size)


def fit_text(draw: "ImageDraw.ImageDraw", text: str, width: int, size: int) -> str:
    """``text`` cut with an ellipsis to fit ``width`` pixels."""
    face = font(size)
    if draw.textlength(text, font=face) <= width:
        return text
    while text and draw.textlength(text + "…", font=face) > width:
        text = text[:-1]
    return text + "…"


def wrap_text(draw: "ImageDraw.ImageDraw", text: str, width: int, size: int, lines: int) -> list[str]:
    """``text`` in at most ``lines`` lines of ``width`` pixels (the last one cut with an ellipsis)."""
    words, out, current = text.split(), [], ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if draw.textlength(candidate, font=font(size)) <= width or not current:
            current = candidate
        else:
            out.append(current)
            current = word
    out.append(current)
    if len(out) > lines:
        out = out[:lines - 1] + [fit_text(draw, " ".join(out[lines - 1:]), width, size)]
    return [fit_text(draw, line, width, size) for line in out]


def _tile_colour(key: str) -> tuple[int, int, int]:
    hue = zlib.crc32(key.encode()) % 6
    palette = [(52, 84, 122), (96, 62, 112), (40, 104, 96), (118, 78, 48), (70, 90, 60), (90, 56, 64)]
    return palette[hue]


def _padlock(draw: "ImageDraw.ImageDraw", right: int, top: int) -> None:
    draw.rounded_rectangle((right - 40, top + 4, right - 4, top + 44), radius=6, fill=(20, 20, 20))
    draw.arc((right - 32, top + 8, right - 14, top + 28), 180, 360, fill=(255, 255, 255), width=3)
    draw.rectangle((right - 34, top + 18, right - 12, top + 38), fill=(255, 204, 0))


def paint_home(draw: "ImageDraw.ImageDraw", model: HomeModel, page: HomeLayout) -> None:
    dim = (150, 160, 175)
    focus_box: Bounds | None = None
    for item, (l, t, r, b), focused, selected in page.nav:
        if item == "profile":
            draw.ellipse((l, t, r, b), fill=(0, 120, 200))
            draw.text(((l + r) // 2, (t + b) // 2), "P", fill=TEXT, font=font(28), anchor="mm")
        elif item == "settings":
            cx, cy = (l + r) // 2, (t + b) // 2
            for dx, dy in ((0, -24), (0, 24), (-24, 0), (24, 0)):
                draw.rectangle((cx + dx - 5, cy + dy - 5, cx + dx + 5, cy + dy + 5), fill=dim)
            draw.ellipse((cx - 20, cy - 20, cx + 20, cy + 20), outline=dim, width=8)
        else:
            draw.text(((l + r) // 2, (t + b) // 2), item, font=font(32), anchor="mm",
                      fill=TEXT if selected else dim)
            if selected:
                draw.rectangle((l + 30, b - 4, r - 30, b), fill=TEXT)
        if focused:
            focus_box = (l, t, r, b)
    if page.hero is not None:
        l, t, r, b = page.hero
        draw.rounded_rectangle(page.hero, radius=12, fill=(28, 58, 92))
        draw.text((l + 48, t + 60), "Featured", font=font(28), fill=FOCUS)
        for i, line in enumerate(wrap_text(draw, HERO_DESC, r - l - 96, 40, 2)):
            draw.text((l + 48, t + 110 + i * 52), line, font=font(40), fill=TEXT)
    for placed in page.rows:
        l, t, _, _ = placed.header
        draw.text((l, t + 2), placed.row.title, font=font(30), fill=TEXT)
        for tile in placed.tiles:
            _paint_tile(draw, tile, dim)
            if tile.focused:
                focus_box = tile.bounds
        if placed.tiles and placed.tiles[-1].tile is not placed.row.tiles[-1]:
            x = placed.tiles[-1].bounds[2] + 20
            draw.text((x, placed.tiles[-1].bounds[1] + TILE_H // 2), "›", font=font(48), fill=dim, anchor="lm")
    if page.page_message:
        draw.text((96, 300), page.page_message, font=font(40), fill=dim)
    if focus_box is not None:
        l, t, r, b = focus_box
        draw.rounded_rectangle((l - 6, t - 6, r + 6, b + 6), radius=10, outline=FOCUS, width=6)
    if page.menu:
        draw.rectangle(MENU_BOUNDS, fill=(10, 14, 20))
        assert model.menu is not None
        draw.text((1420, 220), fit_text(draw, model.menu.tile.title, 460, 32), font=font(32), fill=dim)
        for label, (l, t, r, b), focused in page.menu:
            draw.rectangle((l, t, r, b), fill=TILE if not focused else (60, 74, 94))
            draw.text((l + 20, (t + b) // 2), fit_text(draw, label, r - l - 40, 28), font=font(28), fill=TEXT, anchor="lm")
            if focused:
                draw.rectangle((l - 4, t - 4, r + 4, b + 4), outline=FOCUS, width=5)


def _paint_tile(draw: "ImageDraw.ImageDraw", placed: PlacedTile, dim: tuple[int, int, int]) -> None:
    tile, (l, t, r, b) = placed.tile, placed.bounds
    draw.rounded_rectangle((l, t, r, b), radius=8, fill=_tile_colour(tile.key))
    if tile.kind in ("app", "settings"):
        lines = wrap_text(draw, tile.title, r - l - 24, 30, 2)
        for i, line in enumerate(lines):
            y = (t + b) // 2 + (i - (len(lines) - 1) / 2) * 36
            draw.text(((l + r) // 2, y), line, font=font(30), fill=TEXT, anchor="mm")
        return
    for i, line in enumerate(wrap_text(draw, tile.title, r - l - 24, 26, 2)):
        draw.text((l + 12, t + 48 + i * 32), line, font=font(26), fill=TEXT)
    if tile.kind == "cw":
        draw.rectangle((l + 12, b - 18, r - 12, b - 10), fill=(80, 80, 80))
        draw.rectangle((l + 12, b - 18, l + 12 + int((r - l - 24) * (tile.progress or 0.0)), b - 10), fill=FOCUS)
        return
    rating = display_rating(tile.rating)
    width = int(draw.textlength(rating, font=font(20))) + 16
    draw.rectangle((l + 8, t + 8, l + 8 + width, t + 36), fill=(20, 20, 20), outline=dim)
    draw.text((l + 16, t + 22), rating, font=font(20), fill=TEXT, anchor="lm")
    if tile.locked:
        _padlock(draw, r - 4, t + 4)
    if tile.provider:
        draw.text((l + 12, b - 24), fit_text(draw, tile.provider, r - l - 24, 20), font=font(20), fill=dim, anchor="lm")


# -- the activity and the app ---------------------------------------------------------------------
class HomeActivity(Activity):
    name = ".ui.HomeActivity_vNext"
    label = "Home"
    device: "VirtualDevice"  # the whole system, not only what every activity needs (ActivityHost)

    def on_create(self) -> None:
        self.model = HomeModel()
        self.animating_until = 0.0
        self._cw: list[ContinueWatchingItem] = []
        self._pmr: dict[str, list[RecommendationTile]] = {}
        self._apps: list[tuple[str, str]] = []

    # Lifecycle: every time the home screen is shown, the rows are snapshotted and the hero animates.
    def on_resume(self) -> None:
        self._show_home()

    def on_new_intent(self, intent: Intent) -> None:
        super().on_new_intent(intent)
        if CATEGORY_HOME in intent.categories:
            self.model.home_pressed(on_screen=self.resumed)
            if self.resumed:  # otherwise on_resume follows
                self._show_home()

    def _show_home(self) -> None:
        self.refresh()
        self.animating_until = self.device.clock.now() + ANIMATION_SECONDS

    def refresh(self) -> None:
        """Take the snapshot of the rows from the device's services."""
        self._cw = list(self.device.personalization.continue_watching())
        self._pmr = dict(self.device.notifications.recommendation_rows())
        self._apps = self._launchable()
        self._rebuild()

    def _launchable(self) -> list[tuple[str, str]]:
        return [(package, app.label or package) for package, app in self.device.activities.apps.items()
                if not app.system and app.launch_activity]

    def _rebuild(self) -> None:
        labels = {package: app.label or package for package, app in self.device.activities.apps.items()}
        self.model.set_rows(build_rows(self._cw, self._pmr, labels, self._apps))

    def _sync_apps(self) -> None:
        """Your Apps follows installs at once (a launcher listens for PACKAGE_ADDED/REMOVED); only
        the Continue Watching and PMR rows wait for the next snapshot."""
        apps = self._launchable()
        if apps != self._apps:
            self._apps = apps
            self._rebuild()

    def is_idle(self) -> bool:
        return self.device.clock.now() >= self.animating_until

    # Input.
    def on_key(self, code: int, longpress: bool) -> bool:
        self._sync_apps()
        consumed, action = self.model.press(code)
        if action is not None:
            self._perform(action)
        return consumed

    def _perform(self, action: Action) -> None:
        tile = action.tile
        if action.kind == "refresh":
            self.refresh()
        elif action.kind == "settings":
            self._start(Intent(action=ACTION_MAIN, categories=[CATEGORY_LEANBACK_LAUNCHER],
                               component=f"{SETTINGS_PACKAGE}/{SETTINGS_ACTIVITY}", flags=LAUNCH_FLAGS))
        elif action.kind == "remove" and tile is not None and tile.content_id is not None:
            self.device.personalization.remove_from_continue_watching(tile.content_id)
            # The tile goes at once; the rest of the snapshot stays as it was.
            self._cw = [item for item in self._cw
                        if (item.package, item.content_id) != (tile.package, tile.content_id)]
            self._rebuild()
        elif tile is not None and tile.kind == "cw" and action.kind == "open":
            self._start(Intent(action=ACTION_VIEW, data=tile.deep_link, package=tile.package))
        elif tile is not None:
            # App tiles, PMR tiles and "More Info": open the app on its launcher activity.
            # ASSUMPTION: "More Info" has no detail page to open outside the app; it opens the app.
            self._launch_app(tile.launch_package or tile.package)

    def _launch_app(self, package: str) -> None:
        app = self.device.activities.app(package)
        if app is None or app.launch_activity is None:
            return  # not installed: a real launcher would offer the Appstore page instead
        # ASSUMPTION: a real Fire TV goes through com.amazon.venezia/.pdi.AppLaunchActivity first
        # (docs/fire-os.md section 3); that hop is not modelled, the app starts directly.
        self._start(Intent(action=ACTION_MAIN, categories=[CATEGORY_LEANBACK_LAUNCHER],
                           component=f"{package}/{app.launch_activity}", flags=LAUNCH_FLAGS))

    def _start(self, intent: Intent) -> None:
        try:
            self.device.activities.start(intent, caller_uid=self.app.uid)
        except StartError:
            pass  # ActivityNotFoundException: the launcher shows a toast; nothing starts

    # Output.
    def view(self) -> Node:
        self._sync_apps()
        return build_view(self.model, layout(self.model), self.device.model.launcher_style)

    def paint(self, draw: "ImageDraw.ImageDraw", size: tuple[int, int]) -> None:
        self._sync_apps()
        paint_home(draw, self.model, layout(self.model))


class Launcher(App):
    package = PACKAGE
    label = "Fire TV Home"
    activities = {HomeActivity.name: HomeActivity}
    launch_activity = HomeActivity.name
    apk = "/system/priv-app/com.amazon.tv.launcher/com.amazon.tv.launcher.apk"
    system = True


def install(device: "VirtualDevice") -> None:
    device.activities.install(Launcher(device), home=True)
