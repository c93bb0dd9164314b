"""The apps on a virtual Vega device: the home launcher and Settings (Reference TV, the app under test,
is in :mod:`firebridge.virtual.vega.reference`).

Each app is a lifecycle component (``<package>.main``) that draws an :class:`~.uitree.Element` tree
for the automation toolkit and reacts to ``inputd-cli`` keys (Linux ``KEY_*`` names: select is
``KEY_ENTER``, home ``KEY_HOMEPAGE``, back ``KEY_BACK`` — docs/vega-os.md section 4).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from firebridge.virtual.personalization import consent
from firebridge.virtual.personalization.continue_watching import MENU_REMOVE
from firebridge.virtual.personalization.service import ContinueWatchingItem
from firebridge.virtual.vega.uitree import SCREEN, Element, button, tappable_button, text

if TYPE_CHECKING:
    from firebridge.virtual.vega.component import Component
    from firebridge.virtual.vega.device import VegaDevice

UP, DOWN, LEFT, RIGHT, SELECT, BACK = "KEY_UP", "KEY_DOWN", "KEY_LEFT", "KEY_RIGHT", "KEY_ENTER", "KEY_BACK"
MENU = "KEY_MENU"


class VegaApp:
    """One interactive component; subclasses draw :meth:`window` and handle keys."""

    package = ""
    name = ""
    kepler_app_id = 0
    slot = 0

    def __init__(self, device: "VegaDevice") -> None:
        self.device = device

    @property
    def component(self) -> str:
        return f"{self.package}.main"

    def on_launch(self, args: dict[str, str]) -> None:
        """Started or brought to the front by ``vmsgr send pkg://<component>[?k=v]``."""

    def on_hidden(self) -> None:
        """Another app came to the front (or HOME was pressed)."""

    def on_terminate(self) -> None:
        """``vlcm terminate-app``: the process ends."""

    def on_key(self, key: str) -> None:
        """One key press while this app is in front."""

    def window(self) -> Element:
        return Element(0, 0, *SCREEN)

    def console(self, text: str, level: str = "INFO") -> None:
        """A JS ``console.*`` line as the journal shows it for a React Native for Vega app."""
        instance = self.device.instances.get(self.component)
        self.device.log.write(self.package, f"{level} com.amazon.keplerscript: [KeplerScript-JavaScript] {text}",
                              instance.pid if instance else None, 6)


class FocusList:
    """A vertical list of labelled items with one focused (the apps' shared navigation)."""

    def __init__(self, items: list[str]) -> None:
        self.items = items
        self.index = 0

    def move(self, key: str) -> bool:
        if key == DOWN and self.index < len(self.items) - 1:
            self.index += 1
        elif key == UP and self.index > 0:
            self.index -= 1
        else:
            return False
        return True

    @property
    def focused(self) -> str:
        return self.items[self.index]

    def elements(self, x: int, y: int, width: int = 900, height: int = 80) -> list[Element]:
        """One selectable button per item, the focused one highlighted (``selected``, uitree module doc).

        ASSUMPTION: Settings' and Reference TV's list items report the highlight as the captured React
        Native app's buttons do (settle by: getPageSource of Settings on a stick after a D-pad move)."""
        return [button(x, y + i * (height + 10), width, height, item, i == self.index)
                for i, item in enumerate(self.items)]


# -- the home screen ----------------------------------------------------------------------------
class VvdLauncher(VegaApp):
    """The VVD's placeholder launcher, as captured (no Fire TV home, no Continue Watching) [ARG fixture]."""

    package = "com.amazon.keplerlauncherapp"
    name = "Launcher"
    kepler_app_id = 1
    slot = 1

    def window(self) -> Element:
        return Element(0, 0, *SCREEN).add(
            Element(0, 0, *SCREEN, role="image"),
            tappable_button(1486, 60, 314, 108, "Register this device\n(optional)"),
            Element(856, 317, 208, 208, role="image"),
            text(531, 625, 858, 78, "Kepler Virtual Device is ready"),
            text(442, 723, 1036, 40, "You can now launch your app and start testing with the virtual device"))


class HomeLauncher(VegaApp):
    """The stick's home screen with a Continue Watching row, and the row's tile menu.

    ASSUMPTION: component ``com.amazon.smplighthouse.launcher.main`` (Amazon's kpi-visualizer assumes it
    [DICE]); the row's title "Continue Watching" and one button per tile whose text is the title; no
    public page source of the real home screen exists (settle by: toolkit getPageSource on a stick).

    The tile menu is seed 002's: "Hover over the tile > click the menu button on the remote > select
    Remove from Continue Watching". MENU on a Continue Watching tile opens it with focus on its item;
    SELECT removes the title through the shared Content Personalization model, BACK closes it.
    """

    package = "com.amazon.smplighthouse.launcher"
    name = "Home"
    kepler_app_id = 2
    slot = 2

    def __init__(self, device: "VegaDevice") -> None:
        super().__init__(device)
        self.cw: list[ContinueWatchingItem] = []
        self.row = 0  # 0 = Continue Watching (when present), 1 = Your Apps
        self.col = 0
        self.menu: list[str] | None = None  # the open tile menu's items (on the focused CW tile)
        self.menu_index = 0

    def refresh(self) -> None:
        """docs/virtual-device.md section 1: the row refreshes when the home screen is shown."""
        service = self.device.personalization
        self.cw = service.continue_watching() if service is not None else []
        self.row, self.col = (0 if self.cw else 1), 0
        self.menu = None

    def apps(self) -> list[Component]:
        return [app for app in self.device.apps.values() if app.package != self.package]

    def on_launch(self, args: dict[str, str]) -> None:
        self.refresh()

    def on_hidden(self) -> None:
        self.menu = None

    def on_key(self, key: str) -> None:
        if self.menu is not None:
            self._menu_key(key)
            return
        width = len(self.cw) if self.row == 0 else len(self.apps())
        if key == RIGHT and self.col < width - 1:
            self.col += 1
        elif key == LEFT and self.col > 0:
            self.col -= 1
        elif key == DOWN and self.row == 0:
            self.row, self.col = 1, 0
        elif key == UP and self.row == 1 and self.cw:
            self.row, self.col = 0, 0
        elif key == SELECT:
            if self.row == 0 and self.cw:
                self.device.send_message(self.cw[self.col].deep_link)
            elif self.row == 1 and self.apps():
                self.device.send_message(f"pkg://{self.apps()[self.col].component}")
        elif key == MENU and self.row == 0 and self.cw:
            # ASSUMPTION: an app tile's menu (move, uninstall...) is not modelled; MENU there does nothing.
            self.menu, self.menu_index = [MENU_REMOVE], 0

    def _menu_key(self, key: str) -> None:
        """Keys while the tile menu is open: it keeps the focus until SELECT or BACK."""
        assert self.menu is not None
        if key in (UP, DOWN):
            self.menu_index = max(0, min(len(self.menu) - 1, self.menu_index + (1 if key == DOWN else -1)))
        elif key in (BACK, MENU):
            # ASSUMPTION: MENU again closes the menu, as BACK does (settle by: MENU twice on a tile on a stick).
            self.menu = None
        elif key == SELECT:
            chosen = self.menu[self.menu_index]
            self.menu = None
            if chosen == MENU_REMOVE:
                self._remove(self.cw[self.col])

    def _remove(self, item: ContinueWatchingItem) -> None:
        """The tile goes at once; the rest of the row stays as it was read (the snapshot rule)."""
        service = self.device.personalization
        if service is not None:
            service.remove_from_continue_watching(item.content_id)
        self.cw = [i for i in self.cw if (i.package, i.content_id) != (item.package, item.content_id)]
        if self.cw:
            self.col = min(self.col, len(self.cw) - 1)  # focus on the next tile (or the new last one)
        else:
            self.row, self.col = 1, 0  # the row is gone: focus goes down to Your Apps

    def window(self) -> Element:
        """The rows; the highlighted tile is ``selected`` (uitree module doc), and so is the tile under an
        open menu, the menu item being the highlight.

        ASSUMPTION: the stick launcher's tiles are selectable buttons that report the highlight as
        ``selected="true"``, like the captured React Native app's tabs and tiles, not ``clickable`` ones
        like the VVD's placeholder launcher (which shows no highlight at all); no tab bar is modelled
        above the rows (settle by: getPageSource of the home screen on a stick after D-pad moves).
        ASSUMPTION: the tile whose menu is open stays ``selected="true"`` under the menu, as the
        captured current tab stays selected while focus is below it (settle by: getPageSource on a
        stick with a tile menu open)."""
        root = Element(0, 0, *SCREEN)
        tiles = self.menu is None  # an open menu has the focus, not the tile under it
        y = 160
        if self.cw:
            root.add(text(80, y, 600, 50, "Continue Watching"))
            root.add(*[button(80 + i * 360, y + 60, 340, 190, item.title, tiles and self.row == 0 and i == self.col,
                              selected=not tiles and self.row == 0 and i == self.col)
                       for i, item in enumerate(self.cw)])
            y += 300
        root.add(text(80, y, 600, 50, "Your Apps"))
        root.add(*[button(80 + i * 360, y + 60, 340, 190, app.name, tiles and self.row == 1 and i == self.col)
                   for i, app in enumerate(self.apps())])
        if self.menu is not None:
            root.add(self._menu_panel())
        return root

    def _menu_panel(self) -> Element:
        """The open tile menu, drawn over the rows: a panel with one button per item."""
        assert self.menu is not None
        # ASSUMPTION: the stick's tile menu is a panel at the right edge inside the launcher's own window
        # (as on the Fire OS home screen), no title, its items focusable buttons with the label as a text
        # child and focus on the first, reported like the launcher's tiles (settle by: a
        # page-source capture of the stick launcher with the tile menu open).
        return Element(1380, 110, 540, 970).add(
            *[button(1420, 300 + i * 90, 460, 70, label, i == self.menu_index) for i, label in enumerate(self.menu)])


# -- Settings --------------------------------------------------------------------------------------
SHARE = "Share App Viewing and Content Info"
SYNC = "Sync Across Devices"
_MENU = {
    "Settings": ["Preferences", "Display & Sounds", "My Fire TV"],
    "Preferences": ["Privacy Settings"],
    "Privacy Settings": ["Manage Sharing from Apps"],
    "Manage Sharing from Apps": [SHARE, SYNC],
}
_TOGGLES = {SHARE: consent.SHARE_APP_VIEWING_KEY, SYNC: consent.SYNC_ACROSS_DEVICES_KEY}


class SettingsApp(VegaApp):
    """Settings › Preferences › Privacy Settings › Manage Sharing from Apps › the two consent pages,
    each with Turn On / Turn Off (seed 002's path).

    ASSUMPTION: the component id ``com.amazon.tv.settings.main`` and this menu on Vega; docs/vega-os.md section 7
    found no Vega Settings id or privacy path (settle by: vlcm list while Settings is open on a stick).
    """

    package = "com.amazon.tv.settings"
    name = "Settings"
    kepler_app_id = 3
    slot = 3

    def __init__(self, device: "VegaDevice") -> None:
        super().__init__(device)
        self.path = ["Settings"]
        self.list = FocusList(_MENU["Settings"])

    def _open(self, page: str) -> None:
        self.path.append(page)
        self.list = FocusList(["Turn On", "Turn Off"] if page in _TOGGLES else _MENU.get(page, []) or ["(empty)"])

    def on_launch(self, args: dict[str, str]) -> None:
        self.path, self.list = ["Settings"], FocusList(_MENU["Settings"])

    def on_key(self, key: str) -> None:
        page = self.path[-1]
        if self.list.move(key):
            return
        if key == SELECT:
            if page in _TOGGLES:
                self.device.settings["secure"][_TOGGLES[page]] = "1" if self.list.focused == "Turn On" else "0"
            elif self.list.focused in _MENU or self.list.focused in _TOGGLES:
                self._open(self.list.focused)
        elif key == BACK:
            if len(self.path) > 1:
                self.path.pop()
                parent = self.path.pop()
                self._open(parent) if parent != "Settings" else self.on_launch({})
            else:
                self.device.go_home()

    def window(self) -> Element:
        page = self.path[-1]
        root = Element(0, 0, *SCREEN).add(text(80, 60, 1200, 60, page))
        if page in _TOGGLES:
            state = "On" if self.device.settings["secure"].get(_TOGGLES[page], "0") == "1" else "Off"
            root.add(text(80, 130, 600, 40, state, test_id="consent_state"))
        root.add(*self.list.elements(80, 200))
        return root
