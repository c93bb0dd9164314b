"""The apps on a virtual Vega device: the home launcher and Settings (Reference TV, the app under test,
is in :mod:`firebridge.virtual.vega.reference`).

Each app is a lifecycle component (``<package>.main``) that draws an :class:`~.uitree.Element` tree
for the automation toolkit and reacts to ``inputd-cli`` keys (Linux ``KEY_*`` names: select is
``KEY_ENTER``, home ``KEY_HOMEPAGE``, back ``KEY_BACK`` — docs/vega-os.md section 4).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from firebridge.virtual.personalization import consent
from firebridge.virtual.vega.uitree import SCREEN, Element, button, text

if TYPE_CHECKING:
    from firebridge.virtual.vega.component import Component
    from firebridge.virtual.vega.device import VegaDevice

UP, DOWN, LEFT, RIGHT, SELECT, BACK = "KEY_UP", "KEY_DOWN", "KEY_LEFT", "KEY_RIGHT", "KEY_ENTER", "KEY_BACK"


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
            button(1486, 60, 314, 108, "Register this device\n(optional)", False),
            Element(856, 317, 208, 208, role="image"),
            text(531, 625, 858, 78, "Kepler Virtual Device is ready"),
            text(442, 723, 1036, 40, "You can now launch your app and start testing with the virtual device"))


class HomeLauncher(VegaApp):
    """The stick's home screen with a Continue Watching row.

    ASSUMPTION: component ``com.amazon.smplighthouse.launcher.main`` (Amazon's kpi-visualizer assumes it
    [DICE]); the row's title "Continue Watching" and one button per tile whose text is the title; no
    public page source of the real home screen exists (settle by: toolkit getPageSource on a stick).
    """

    package = "com.amazon.smplighthouse.launcher"
    name = "Home"
    kepler_app_id = 2
    slot = 2

    def __init__(self, device: "VegaDevice") -> None:
        super().__init__(device)
        self.cw: list = []
        self.row = 0  # 0 = Continue Watching (when present), 1 = Your Apps
        self.col = 0

    def refresh(self) -> None:
        """docs/virtual-device.md section 1: the row refreshes when the home screen is shown."""
        service = self.device.personalization
        self.cw = service.continue_watching() if service is not None else []
        self.row, self.col = (0 if self.cw else 1), 0

    def apps(self) -> list[Component]:
        return [app for app in self.device.apps.values() if app.package != self.package]

    def on_launch(self, args: dict[str, str]) -> None:
        self.refresh()

    def on_key(self, key: str) -> None:
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

    def window(self) -> Element:
        root = Element(0, 0, *SCREEN)
        y = 160
        if self.cw:
            root.add(text(80, y, 600, 50, "Continue Watching"))
            root.add(*[button(80 + i * 360, y + 60, 340, 190, item.title, self.row == 0 and i == self.col)
                       for i, item in enumerate(self.cw)])
            y += 300
        root.add(text(80, y, 600, 50, "Your Apps"))
        root.add(*[button(80 + i * 360, y + 60, 340, 190, app.name, self.row == 1 and i == self.col)
                   for i, app in enumerate(self.apps())])
        return root


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
