"""The apps on a virtual Vega device: the home launcher, Settings and Reference TV.

Each app is a lifecycle component (``<package>.main``) that draws an :class:`~.uitree.Element` tree
for the automation toolkit and reacts to ``inputd-cli`` keys (Linux ``KEY_*`` names: select is
``KEY_ENTER``, home ``KEY_HOMEPAGE``, back ``KEY_BACK`` — docs/vega-os.md section 4).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from firebridge.virtual.personalization import consent
from firebridge.virtual.personalization.continue_watching import CatalogTitle
from firebridge.virtual.personalization.sdk import ContentId, EventType, PlaybackEvent, PlaybackState, ProfileId
from firebridge.virtual.reference import catalog as catalog_module
from firebridge.virtual.reference.faults import parse_faults
from firebridge.virtual.vega.uitree import SCREEN, Element, button, text

if TYPE_CHECKING:
    import asyncio

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

    def apps(self) -> list[VegaApp]:
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


# -- Reference TV ----------------------------------------------------------------------------------
REFERENCE_PACKAGE = "com.firebridge.reference"
PERIOD_S = 60.0  # seed 002: report periodically during playback (the Fire OS app uses 60 s as well)
FAULTS_FILE = f"/home/app_user/packages/{REFERENCE_PACKAGE}/data/firebridge.fault"
# The fault switches the Vega build applies (the others need screens this build does not have).
FAULTS = ("wrong-cdf-id", "no-periodic-events", "pause-instead-of-exit", "no-seek-events", "no-exit-on-leave")
PROFILE_ID = ProfileId("rtv-7f3a9c")  # obfuscated, never the plain account id (seed 002)


def link_value(cdf_id: str) -> str:
    """Deep-link values must be alphanumeric [D-MSG]: a CDF ID without its punctuation."""
    return re.sub(r"[^A-Za-z0-9]", "", cdf_id)


def deep_link(cdf_id: str) -> str:
    return f"pkg://{REFERENCE_PACKAGE}.main?play={link_value(cdf_id)}"


class ReferenceApp(VegaApp):
    """Reference TV as a Vega app: a browse list and a player that reports Content Personalization
    playback events (PLAYING on start/resume and every 60 s, PAUSED, a PLAYING report after a seek,
    EXIT when leaving or finishing) through the shared service.

    Fault switches: the names of :mod:`firebridge.virtual.reference.faults`, comma separated, in
    ``FAULTS_FILE`` (read at launch; Vega has no ``setprop``). Applied here: wrong-cdf-id,
    no-periodic-events, pause-instead-of-exit, no-seek-events, no-exit-on-leave.
    """

    package = REFERENCE_PACKAGE
    name = "Reference TV"
    kepler_app_id = 9128
    slot = 38

    def __init__(self, device: "VegaDevice") -> None:
        super().__init__(device)
        self.catalog = catalog_module.load()
        self.titles = [t for t in self.catalog.titles.values() if not t.live]
        self.list = FocusList([t.display_title for t in self.titles])
        self.playing = None  # the Title in the player, or None on the browse screen
        self.paused = False
        self.position_ms = 0
        self._since = 0.0  # device time the position was last brought up to date
        self.saved: dict[str, int] = {}
        self.faults: frozenset[str] = frozenset()
        self._timer: "asyncio.TimerHandle | None" = None
        self.ad_until: float | None = None  # device time the current ad break ends (None: no ad)
        self._ads_played: set[int] = set()

    # catalog integration (what Fire TV knows about the app's titles)
    def catalog_titles(self) -> list[CatalogTitle]:
        return [replace(t, deep_link=deep_link(t.content_id)) for t in self.catalog.catalog_titles("pkg")]

    def on_launch(self, args: dict[str, str]) -> None:
        try:
            self.faults = parse_faults(self.device.fs.read_bytes(FAULTS_FILE).decode())[0]
        except OSError:
            self.faults = frozenset()
        wanted = args.get("play")
        if wanted:
            for title in self.titles:
                if link_value(title.cdf_id) == wanted:
                    self._leave_player()
                    self._play(title)
                    return

    # -- player --------------------------------------------------------------------------------
    def _now(self) -> float:
        return self.device.clock.now()

    def _update(self) -> None:
        now = self._now()
        if self.playing is not None and not self.paused and self.ad_until is None:
            self.position_ms = min(self.playing.duration_ms, self.position_ms + int((now - self._since) * 1000))
        self._since = now

    def _report(self, state: PlaybackState) -> None:
        service = self.device.personalization
        if service is None or self.playing is None:
            return  # the VVD has no Content Personalization [VVS]
        cdf = self.playing.asset_id if "wrong-cdf-id" in self.faults else self.playing.cdf_id
        # What the app's JS logs before the call, the way Amazon's samples log their own prefix
        # (docs/vega-os.md section 3) and JS console lines reach the journal (docs/vega-os.md section 3: "INFO com.amazon.keplerscript:
        # [KeplerScript-JavaScript] <text>" under the app's package id).
        self.console(f"ReferenceTV reportNewPlaybackEvent contentId={cdf} state={int(state)} "
                     f"positionMs={self.position_ms} durationMs={self.playing.duration_ms}")
        service.report_playback_event(self.package, PlaybackEvent(
            EventType.ACTIVE, ContentId(cdf), PROFILE_ID,
            self.playing.duration_ms, self.position_ms, state, self.playing.credits_position_ms))

    def _play(self, title) -> None:
        self.playing, self.paused, self.ad_until = title, False, None
        self.position_ms = self.saved.get(title.cdf_id, 0)
        # Ad breaks before where playback resumes are not shown again (as the Fire OS app does).
        self._ads_played = {m for m in title.ad_marks_ms if m < self.position_ms}
        self._since = self._now()
        self._report(PlaybackState.PLAYING)
        self._schedule()

    def _schedule(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self.playing is None:
            return
        # Seed 002: an event every 60 s while in the player, whatever the state (paused too).
        delays = [PERIOD_S]
        if self.ad_until is not None:
            delays.append(self.ad_until - self._now())
        elif not self.paused:
            delays.append((self.playing.duration_ms - self.position_ms) / 1000)
            mark = self._next_ad()
            if mark is not None:
                delays.append((mark - self.position_ms) / 1000)
        self._timer = self.device.call_later(max(min(delays), 0.0), self._tick)

    def _next_ad(self) -> int | None:
        upcoming = [m for m in self.playing.ad_marks_ms if m >= self.position_ms and m not in self._ads_played]
        return min(upcoming) if upcoming else None

    def _tick(self) -> None:
        self._timer = None
        before = self.position_ms
        self._update()
        if self.playing is None:
            return
        if self.ad_until is not None and self._now() >= self.ad_until - 1e-6:
            self.ad_until = None  # the ad break is over: content plays on from where it stopped
            self._since = self._now()
            self._report(PlaybackState.PLAYING)
        elif self.ad_until is None and not self.paused and (mark := self._crossed_ad(before)) is not None:
            # An ad break starts: the content position stays where it was (seed 002: INTERSTITIAL with
            # the content position while the ad plays).
            self.position_ms = mark
            self._ads_played.add(mark)
            self.ad_until = self._now() + self.catalog.settings.ad_break_ms / 1000
            self._report(PlaybackState.INTERSTITIAL)
        elif self.position_ms >= self.playing.duration_ms:
            self._leave_player()
            return
        elif "no-periodic-events" not in self.faults:
            self._report(PlaybackState.INTERSTITIAL if self.ad_until is not None else
                         PlaybackState.PAUSED if self.paused else PlaybackState.PLAYING)
        self._schedule()

    def _crossed_ad(self, before: int) -> int | None:
        crossed = [m for m in self.playing.ad_marks_ms
                   if before <= m <= self.position_ms and m not in self._ads_played and m < self.playing.duration_ms]
        return min(crossed) if crossed else None

    def _leave_player(self) -> None:
        if self.playing is None:
            return
        self._update()
        if "no-exit-on-leave" not in self.faults:
            self._report(PlaybackState.PAUSED if "pause-instead-of-exit" in self.faults else PlaybackState.EXIT)
        finished = self.position_ms >= self.playing.duration_ms
        self.saved[self.playing.cdf_id] = 0 if finished else self.position_ms
        self.playing = None
        self._schedule()

    def on_hidden(self) -> None:
        self._leave_player()

    def on_terminate(self) -> None:
        self._leave_player()

    def on_key(self, key: str) -> None:
        if self.playing is None:
            if self.list.move(key):
                return
            if key == SELECT and self.titles:
                self._play(self.titles[self.list.index])
            elif key == BACK:
                self.device.go_home()
            return
        self._update()
        if key in ("KEY_PLAYPAUSE", "KEY_PAUSE", "KEY_PLAY", SELECT):
            self.paused = not self.paused if key in ("KEY_PLAYPAUSE", SELECT) else key == "KEY_PAUSE"
            self._report(PlaybackState.PAUSED if self.paused else PlaybackState.PLAYING)
            self._schedule()
        elif key in ("KEY_FASTFORWARD", "KEY_REWIND", RIGHT, LEFT):
            step = self.playing.duration_ms // 10 * (1 if key in ("KEY_FASTFORWARD", RIGHT) else -1)
            self.position_ms = max(0, min(self.playing.duration_ms, self.position_ms + step))
            if self.position_ms >= self.playing.duration_ms:
                self._leave_player()
                return
            if "no-seek-events" not in self.faults:
                self._report(PlaybackState.PAUSED if self.paused else PlaybackState.PLAYING)
            self._schedule()
        elif key in (BACK, "KEY_STOP"):
            self._leave_player()

    def window(self) -> Element:
        root = Element(0, 0, *SCREEN)
        if self.playing is None:
            root.add(text(80, 60, 800, 60, "Reference TV"))
            root.add(*self.list.elements(80, 160))
            return root
        self._update()
        state = "Paused" if self.paused else "Playing"
        return root.add(text(80, 900, 1200, 60, self.playing.display_title, test_id="player_title"),
                        text(80, 970, 600, 40, f"{state} {self.position_ms // 1000}s / "
                                               f"{self.playing.duration_ms // 1000}s", test_id="player_state"))
