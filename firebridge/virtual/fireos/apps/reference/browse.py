"""Reference TV's browsing screens: the catalog grid (launch activity) and a title's detail page.

Catalog grid: a header (``Profile: NAME``, ``Account``) above one row per shelf (Movies, each series'
episodes, Live). D-pad moves the focus, SELECT opens a tile's detail page or the header's screen.

Detail page (``reftv://detail/CDF_ID``): Play/Resume, Trailer, Add to/Remove from Watchlist, Like,
Dislike, Buy and Rent (Record for the live channel). Opening it reports DETAIL_VIEW; each button
reports as seed 000 says. What the buttons do is shared with the Vega build
(firebridge.virtual.reference.actions, reporting.py there).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from firebridge.platforms.fireos.keycodes import CODE_BY_NAME
from firebridge.virtual.fireos.activities import ACTION_VIEW, Activity
from firebridge.virtual.fireos.intents import Intent
from firebridge.virtual.fireos.views import Node
from firebridge.virtual.fireos.apps.reference import ui
from firebridge.virtual.fireos.apps.reference.player import content_id_from_uri
from firebridge.virtual.reference.actions import Action, DetailPage

if TYPE_CHECKING:
    from firebridge.virtual.fireos.apps.reference.base import ReferenceAppBase
    from firebridge.virtual.reference.catalog import Title

UP, DOWN, LEFT, RIGHT = (CODE_BY_NAME[n] for n in ("DPAD_UP", "DPAD_DOWN", "DPAD_LEFT", "DPAD_RIGHT"))
SELECT_KEYS = {CODE_BY_NAME["DPAD_CENTER"], CODE_BY_NAME["ENTER"]}
MENU = CODE_BY_NAME["MENU"]
SCHEME = "reftv"


def start_uri(activity: Activity, uri: str) -> None:
    """Start one of the app's own screens by its deep link (as the app's code would)."""
    activity.device.activities.start(Intent(action=ACTION_VIEW, data=uri, component=None, package=activity.app.package),
                                     caller_uid=activity.app.uid)


class CatalogActivity(Activity):
    name = ".ui.CatalogActivity"
    label = "Reference TV"
    app: "ReferenceAppBase"

    def __init__(self, app: "ReferenceAppBase", intent: Intent) -> None:
        super().__init__(app, intent)
        self.row = 0  # -1 = the header
        self.cols: dict[int, int] = {}

    @property
    def shelves(self) -> list[tuple[str, tuple[str, ...]]]:
        return [(name, ids) for name, ids in self.app.catalog.shelves if ids]

    def _header(self) -> list[tuple[str, str, str]]:
        profile = self.app.data.profile
        return [("profile_button", f"Profile: {profile.name}" if profile else "Profiles", f"{SCHEME}://profiles"),
                ("account_button", "Account", f"{SCHEME}://account")]

    def on_key(self, code: int, longpress: bool) -> bool:
        shelves = self.shelves
        width = len(self._header()) if self.row < 0 else len(shelves[self.row][1])
        col = self.cols.get(self.row, 0)
        if code == UP and self.row > -1:
            self.row -= 1
        elif code == DOWN and self.row < len(shelves) - 1:
            self.row += 1
        elif code in (LEFT, RIGHT):
            self.cols[self.row] = max(0, min(width - 1, col + (1 if code == RIGHT else -1)))
        elif code in SELECT_KEYS:
            if self.row < 0:
                start_uri(self, self._header()[col][2])
            else:
                start_uri(self, f"{SCHEME}://detail/{shelves[self.row][1][col]}")
        elif code == MENU:
            start_uri(self, f"{SCHEME}://account")
        else:
            return False
        return True

    def view(self) -> Node:
        catalog = self.app.catalog
        header = [ui.button(name, label, (1320 + i * 280, 48, 1580 + i * 280, 112),
                            self.row == -1 and self.cols.get(-1, 0) == i)
                  for i, (name, label, _) in enumerate(self._header())]
        rows = []
        for r, (shelf, ids) in enumerate(self.shelves):
            top = 180 + r * 220
            tiles = []
            for c, cdf_id in enumerate(ids):
                title = catalog.title(cdf_id)
                assert title is not None
                bounds = (96 + c * 360, top + 48, 420 + c * 360, top + 200)
                tiles.append(Node(cls="android.widget.FrameLayout", bounds=bounds, resource_id=ui.rid("tile"),
                                  content_desc=title.display_title, clickable=True, focusable=True,
                                  focused=self.row == r and self.cols.get(r, 0) == c).add(
                    ui.text("tile_title", title.display_title, (bounds[0] + 12, bounds[3] - 56, bounds[2] - 12,
                                                                bounds[3] - 12))))
            rows.append(Node(cls="android.widget.LinearLayout", bounds=(0, top, 1920, top + 210),
                             resource_id=ui.rid("shelf")).add(
                ui.text("shelf_title", shelf, (96, top, 900, top + 44)),
                Node(cls="android.widget.HorizontalScrollView", bounds=(0, top + 48, 1920, top + 200),
                     resource_id=ui.rid("shelf_tiles"), scrollable=True).add(*tiles)))
        return ui.root("catalog_root", ui.text("app_title", self.app.label, (96, 48, 700, 112)), *header,
                       Node(cls="android.widget.ScrollView", bounds=(0, 170, 1920, 1080),
                            resource_id=ui.rid("catalog_grid"), scrollable=True).add(*rows))


class DetailActivity(Activity):
    """The detail page; what its buttons do is the app's (firebridge.virtual.reference.actions.DetailPage)."""

    name = ".ui.DetailActivity"
    label = "Details"
    app: "ReferenceAppBase"

    def __init__(self, app: "ReferenceAppBase", intent: Intent) -> None:
        super().__init__(app, intent)
        self.page = DetailPage(app, app.catalog.title(content_id_from_uri(intent.data) or ""), self._play)
        self.focus = ui.FocusList()

    @property
    def title(self) -> "Title | None":
        return self.page.title

    @property
    def status(self) -> str:
        return self.page.status

    def on_create(self) -> None:
        self.page.opened()

    def on_new_intent(self, intent: Intent) -> None:
        super().on_new_intent(intent)
        if self.page.show(self.app.catalog.title(content_id_from_uri(intent.data) or "")):
            self.focus = ui.FocusList()

    def actions(self) -> list[Action]:
        return self.page.actions()

    def _play(self, title: "Title") -> None:
        start_uri(self, f"{SCHEME}://play/{title.cdf_id}")

    # -- input and output -----------------------------------------------------------------------
    def on_key(self, code: int, longpress: bool) -> bool:
        actions = self.actions()
        self.focus.clamp(len(actions))
        if code in (LEFT, RIGHT):
            self.focus.move(1 if code == RIGHT else -1, len(actions))
            return True
        if code in SELECT_KEYS and actions:
            actions[self.focus.index].run()
            return True
        return code in (UP, DOWN)

    def view(self) -> Node:
        if self.title is None:
            return ui.root("detail_root", ui.text("detail_error", "Title not found", (96, 480, 1824, 560)))
        actions = self.actions()
        self.focus.clamp(len(actions))
        slots = ui.row_of_buttons(640, 96, 230)
        buttons = [ui.button(f"{action.name}_button", action.label, slots[i], self.focus.index == i,
                             selected=action.selected) for i, action in enumerate(actions)]
        saved = self.page.saved_position()
        progress = (f"{ui.clock_text(saved)} of {ui.clock_text(self.title.duration_ms)} watched"
                    if saved else ui.clock_text(self.title.duration_ms))
        return ui.root(
            "detail_root",
            ui.text("detail_title", self.title.display_title, (96, 120, 1824, 200)),
            ui.text("detail_subtitle", self.title.subtitle, (96, 210, 1824, 260)),
            ui.text("detail_progress", progress, (96, 270, 1824, 320)),
            Node(cls="android.widget.LinearLayout", bounds=(96, 640, 1824, 712),
                 resource_id=ui.rid("detail_actions")).add(*buttons),
            ui.text("detail_status", self.status, (96, 760, 1824, 810)),
        )
