"""Reference TV's browsing screens: the catalog grid (launch activity) and a title's detail page.

Catalog grid: a header (``Profile: NAME``, ``Account``) above one row per shelf (Movies, each series'
episodes, Live). D-pad moves the focus, SELECT opens a tile's detail page or the header's screen.

Detail page (``reftv://detail/CDF_ID``): Play/Resume, Trailer, Add to/Remove from Watchlist, Like,
Dislike, Buy and Rent (Record for the live channel). Opening it reports DETAIL_VIEW; each button
reports as seed 000 says (see reporting.py). Watchlist, ratings and purchases need a signed-in
customer; playing does not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from firebridge.platforms.fireos.keycodes import CODE_BY_NAME
from firebridge.virtual.fireos.activities import ACTION_VIEW, Activity
from firebridge.virtual.fireos.intents import Intent
from firebridge.virtual.fireos.personalization import ContentInteractionType, EntitlementType
from firebridge.virtual.personalization.continue_watching import is_finished
from firebridge.virtual.fireos.views import Node
from firebridge.virtual.fireos.apps.reference import ui
from firebridge.virtual.fireos.apps.reference.player import content_id_from_uri

if TYPE_CHECKING:
    from firebridge.virtual.fireos.apps.reference.app import ReferenceApp
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
    app: "ReferenceApp"

    def __init__(self, app: "ReferenceApp", intent: Intent) -> None:
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


Action = tuple[str, str, Callable[[], None], bool]  # (resource name, label, handler, selected)


class DetailActivity(Activity):
    name = ".ui.DetailActivity"
    label = "Details"
    app: "ReferenceApp"

    def __init__(self, app: "ReferenceApp", intent: Intent) -> None:
        super().__init__(app, intent)
        self.title: "Title | None" = app.catalog.title(content_id_from_uri(intent.data) or "")
        self.focus = ui.FocusList()
        self.status = ""

    def on_create(self) -> None:
        if self.title is not None:
            self.app.reporter.interaction(self.title, ContentInteractionType.DETAIL_VIEW)

    def on_new_intent(self, intent: Intent) -> None:
        super().on_new_intent(intent)
        title = self.app.catalog.title(content_id_from_uri(intent.data) or "")
        if title is not None and title is not self.title:
            self.title, self.status, self.focus = title, "", ui.FocusList()
            self.app.reporter.interaction(title, ContentInteractionType.DETAIL_VIEW)

    # -- actions --------------------------------------------------------------------------------
    def actions(self) -> list[Action]:
        title = self.title
        if title is None:
            return []
        data = self.app.data
        saved = 0 if title.live else data.saved_position(title.cdf_id)
        resumable = 0 < saved and not is_finished(saved, title.duration_ms, title.credits_position_ms)
        play_label = "Watch live" if title.live else ("Resume" if resumable else "Play")
        listed = title.cdf_id in data.watchlist()
        rating = data.rating(title.cdf_id)
        actions: list[Action] = [("play_button", play_label, self._play, False)]
        if not title.live:
            actions.append(("trailer_button", "Trailer", self._trailer, False))
        actions += [("watchlist_button", "Remove from Watchlist" if listed else "Add to Watchlist", self._watchlist,
                     listed),
                    ("like_button", "Like", lambda: self._rate("like"), rating == "like"),
                    ("dislike_button", "Dislike", lambda: self._rate("dislike"), rating == "dislike")]
        owned = data.owned().get(title.cdf_id)
        if title.live:
            actions.append(("record_button", "Recording" if owned is not None else "Record",
                            lambda: self._acquire(EntitlementType.RECORDING), owned is not None))
        elif owned is not None:
            actions.append(("owned_button", "Owned" if owned is EntitlementType.PURCHASE else "Rented",
                            lambda: None, True))
            if owned is EntitlementType.PURCHASE:
                # ASSUMPTION: as on Prime Video ("cancel an accidental purchase"), a purchase can be
                # cancelled from the detail page; the app shares the lost entitlement (seed 000:
                # reportRemovedContentEntitlement). It is what lets a lab buy the same title every night.
                actions.append(("cancel_purchase_button", "Cancel purchase", self._cancel_purchase, False))
        else:
            if title.price_buy:
                actions.append(("buy_button", f"Buy ${title.price_buy}",
                                lambda: self._acquire(EntitlementType.PURCHASE), False))
            if title.price_rent:
                actions.append(("rent_button", f"Rent ${title.price_rent}",
                                lambda: self._acquire(EntitlementType.RENTAL), False))
        return actions

    def _needs_sign_in(self) -> bool:
        if self.app.data.signed_in:
            return False
        self.status = "Sign in to use this"
        return True

    def _play(self) -> None:
        assert self.title is not None
        start_uri(self, f"{SCHEME}://play/{self.title.cdf_id}")

    def _trailer(self) -> None:
        assert self.title is not None
        # ASSUMPTION: the trailer plays inline and is not content playback (no playback events).
        self.status = f"Playing the trailer of {self.title.display_title}"
        self.app.reporter.interaction(self.title, ContentInteractionType.TRAILER_VIEW)

    def _watchlist(self) -> None:
        assert self.title is not None
        if self._needs_sign_in():
            return
        listed = self.app.data.watchlist()
        added = self.title.cdf_id not in listed
        if added:
            listed.insert(0, self.title.cdf_id)
        else:
            listed.remove(self.title.cdf_id)
        self.status = "Added to your watchlist" if added else "Removed from your watchlist"
        self.app.reporter.watchlist_changed(self.title, added)

    def _rate(self, rating: str) -> None:
        assert self.title is not None
        if self._needs_sign_in():
            return
        self.app.data.rate(self.title.cdf_id, rating)
        self.status = "You liked this" if rating == "like" else "You disliked this"
        kind = ContentInteractionType.LIKE if rating == "like" else ContentInteractionType.DISLIKE
        self.app.reporter.interaction(self.title, kind)

    def _acquire(self, kind: EntitlementType) -> None:
        assert self.title is not None
        if self._needs_sign_in() or self.title.cdf_id in self.app.data.owned():
            return
        self.app.data.owned()[self.title.cdf_id] = kind
        self.status = {EntitlementType.PURCHASE: "Purchased", EntitlementType.RENTAL: "Rented for 48 hours",
                       EntitlementType.RECORDING: "Recording scheduled"}[kind]
        self.app.reporter.entitlement_added(self.title, kind)

    def _cancel_purchase(self) -> None:
        assert self.title is not None
        if self._needs_sign_in() or self.app.data.owned().get(self.title.cdf_id) is not EntitlementType.PURCHASE:
            return
        del self.app.data.owned()[self.title.cdf_id]
        self.status = "Purchase cancelled"
        self.app.reporter.entitlement_removed(self.title, EntitlementType.PURCHASE)

    # -- input and output -----------------------------------------------------------------------
    def on_key(self, code: int, longpress: bool) -> bool:
        actions = self.actions()
        self.focus.clamp(len(actions))
        if code in (LEFT, RIGHT):
            self.focus.move(1 if code == RIGHT else -1, len(actions))
            return True
        if code in SELECT_KEYS and actions:
            actions[self.focus.index][2]()
            return True
        return code in (UP, DOWN)

    def view(self) -> Node:
        if self.title is None:
            return ui.root("detail_root", ui.text("detail_error", "Title not found", (96, 480, 1824, 560)))
        actions = self.actions()
        self.focus.clamp(len(actions))
        slots = ui.row_of_buttons(640, 96, 230)
        buttons = [ui.button(name, label, slots[i], self.focus.index == i, selected=selected)
                   for i, (name, label, _, selected) in enumerate(actions)]
        saved = 0 if self.title.live else self.app.data.saved_position(self.title.cdf_id)
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
