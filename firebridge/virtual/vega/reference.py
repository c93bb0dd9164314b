"""Reference TV's Vega build (``com.firebridge.reference.main``): the app under test on the virtual Vega.

The same app as the Fire OS build (firebridge.virtual.fireos.apps.reference): the same catalog,
accounts and saved data (:mod:`firebridge.virtual.reference.data`), the same Content Personalization
calls for seed 000's triggers (:mod:`firebridge.virtual.reference.reporting`) and the same screen
logic (:mod:`firebridge.virtual.reference.actions`), drawn for the automation toolkit
(:mod:`firebridge.virtual.vega.reference_screens`) and started with Vega messages. Vega deep links
carry alphanumeric keys and values only [D-MSG], so a CDF ID travels without its punctuation:

==============================================  =========================================
``pkg://com.firebridge.reference.main``         the catalog list (or the app as it was left)
``...main?play=movienightharbor``               the player
``...main?detail=movienightharbor``             a title's detail page
``...main?screen=account`` / ``signin`` / ``profiles``  the account page, sign-in form, profile picker
==============================================  =========================================

Before each SDK call the app's JS logs a console line (``ReferenceTV reportNewCustomerListEntry
listType=WATCHLIST contentId=... profileId=...``), which the journal shows as ``INFO
com.amazon.keplerscript: [KeplerScript-JavaScript] <text>`` under the app's package (docs/vega-os.md
section 3), the way Amazon's samples log their own prefix before calling the SDK; the data service
then logs its ``VegaAlbertoBinderService <Kind>VegaMessage`` line (the shared service).

Fault switches: the names of :mod:`firebridge.virtual.reference.faults`, comma separated, in
``FAULTS_FILE`` (read when the app's process starts; Vega has no ``setprop``); :data:`FAULTS` lists
those this build applies.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from firebridge.virtual.personalization.continue_watching import CatalogTitle
from firebridge.virtual.personalization.sdk import PlaybackState
from firebridge.virtual.reference import catalog as catalog_module
from firebridge.virtual.reference.data import AppData
from firebridge.virtual.reference.faults import FAULTS as ALL_FAULTS, parse_faults
from firebridge.virtual.reference.reporting import DEBUG_TAG, Reporter, js_fields_text
from firebridge.virtual.vega.apps import BACK, LEFT, RIGHT, SELECT, VegaApp
from firebridge.virtual.vega.reference_screens import SCREENS, BrowseScreen, DetailScreen, Screen
from firebridge.virtual.vega.uitree import SCREEN, Element, text

if TYPE_CHECKING:
    import asyncio

    from firebridge.virtual.personalization.service import ContentPersonalizationService
    from firebridge.virtual.reference.catalog import Title
    from firebridge.virtual.vega.device import VegaDevice

REFERENCE_PACKAGE = "com.firebridge.reference"
PERIOD_S = 60.0  # seed 002: report periodically during playback (the Fire OS app uses 60 s as well)
FAULTS_FILE = f"/home/app_user/packages/{REFERENCE_PACKAGE}/data/firebridge.fault"
# The fault switches this build applies: every one the shared reporter applies, and its player's. Not
# applied: the Fire OS player's loading and ad-break faults (this player restores the saved position at
# once and always reports its ad breaks).
FAULTS = tuple(name for name in ALL_FAULTS if name not in ("early-position", "ad-position-advances", "no-interstitial"))


def link_value(cdf_id: str) -> str:
    """Deep-link values must be alphanumeric [D-MSG]: a CDF ID without its punctuation."""
    return re.sub(r"[^A-Za-z0-9]", "", cdf_id)


def deep_link(cdf_id: str) -> str:
    return f"pkg://{REFERENCE_PACKAGE}.main?play={link_value(cdf_id)}"


class ReferenceApp(VegaApp):
    """Reference TV as a Vega app: a stack of screens (catalog list, detail page, account, sign-in,
    profiles) under a player that reports Content Personalization playback events (PLAYING on
    start/resume and every 60 s, PAUSED, a PLAYING report after a seek, INTERSTITIAL in ad breaks,
    EXIT when leaving or finishing) through the shared service, and the calls of seed 000's other
    triggers from the screens. Coming to the front while signed in shares what changed elsewhere
    (seed 000, "Opens app while signed in")."""

    package = REFERENCE_PACKAGE
    name = "Reference TV"
    kepler_app_id = 9128
    slot = 38

    def __init__(self, device: "VegaDevice") -> None:
        super().__init__(device)
        self.catalog = catalog_module.load()
        self.titles = [t for t in self.catalog.titles.values() if not t.live]
        self.data = AppData(self.catalog, device.clock.now_ms())
        self.reporter = Reporter(self)
        self.faults: frozenset[str] = frozenset()
        self.screens: list[Screen] = [BrowseScreen(self)]
        self._running = False  # the app's process is up (faults are read when it starts)
        self._in_front = False
        self.playing: "Title | None" = None  # the title in the player, or None
        self.paused = False
        self.position_ms = 0
        self._since = 0.0  # device time the position was last brought up to date
        self._timer: "asyncio.TimerHandle | None" = None
        self.ad_until: float | None = None  # device time the current ad break ends (None: no ad)
        self._ads_played: set[int] = set()

    # -- catalog integration and the data-pull service ----------------------------------------------
    def catalog_titles(self) -> list[CatalogTitle]:
        """What Fire TV knows about the app's titles (tiles start ``?play=`` links)."""
        return [replace(t, deep_link=deep_link(t.content_id)) for t in self.catalog.catalog_titles("pkg")]

    def integrate(self, service: "ContentPersonalizationService") -> None:
        """Catalog integration, and the data-pull handlers of the app's service component.

        ASSUMPTION: the handlers answer whenever the service asks, whether or not the app's UI is
        running: on Vega they live in a headless service component the system starts on demand
        (``[[components.service]] ...content.dataRefresh.provider`` in the SDK README's manifest,
        [CP-API] README.amazon-devices_kepler-content-personalization) (settle by: reportRefreshed*
        after `vlcm terminate-app` on a stick)."""
        service.register_catalog(self.package, self.catalog_titles())
        self.reporter.register_handlers()

    # -- the app's own log lines --------------------------------------------------------------------
    def debug(self, text: str) -> None:
        """A JS console line: ``ReferenceTV <text>``."""
        self.console(f"{DEBUG_TAG} {text}")

    def debug_call(self, call: str, fields: dict[str, object]) -> None:
        """The console line before an SDK call, in the SDK's JS names (``contentId=... state=0``)."""
        self.debug(f"{call} {js_fields_text(fields)}")

    def warn(self, text: str) -> None:
        """A JS ``console.warn`` line: ``ReferenceTV <text>``."""
        self.console(f"{DEBUG_TAG} {text}", "WARNING")

    # -- lifecycle ------------------------------------------------------------------------------
    def _start_process(self) -> None:
        self._running = True
        try:
            self.faults, unknown = parse_faults(self.device.fs.read_bytes(FAULTS_FILE).decode())
        except OSError:
            self.faults, unknown = frozenset(), []
        for name in unknown:
            self.console(f"{DEBUG_TAG} unknown fault switch '{name}' ignored (see firebridge virtual --list-faults)",
                         "WARNING")
        if self.faults:
            self.debug(f"fault switches on: {','.join(sorted(self.faults))}")

    def on_launch(self, args: dict[str, str]) -> None:
        if not self._running:
            self._start_process()
        if not self._in_front:
            self._in_front = True
            self.reporter.on_open()
        if args.get("play"):
            title = self._title(args["play"])
            if title in self.titles:  # the player plays on-demand titles (not the live channel)
                self._leave_player()
                self._play(title)
        elif args.get("detail"):
            self._leave_player()
            top = self.screens[-1]
            title = self._title(args["detail"])
            if isinstance(top, DetailScreen):
                top.show(title)
            else:
                self.open(DetailScreen(self, title))
        elif args.get("screen") in SCREENS:
            self._leave_player()
            wanted = SCREENS[args["screen"]]
            if isinstance(self.screens[-1], wanted):
                self.screens.pop()  # the link opens it afresh (a sign-in form starts empty)
            self.open(wanted(self))

    def _title(self, value: str) -> "Title | None":
        return next((t for t in self.catalog.titles.values() if link_value(t.cdf_id) == value), None)

    def on_hidden(self) -> None:
        self._leave_player()
        self._in_front = False

    def on_terminate(self) -> None:
        self._leave_player()
        self._in_front = self._running = False
        self.faults = frozenset()
        self.screens = [BrowseScreen(self)]

    # -- navigation -----------------------------------------------------------------------------
    def open(self, screen: Screen) -> None:
        """Put a screen on top (what the detail page reports, it reports when it comes up)."""
        self.screens.append(screen)
        if isinstance(screen, DetailScreen):
            screen.page.opened()

    def close(self, screen: Screen) -> None:
        if len(self.screens) > 1 and self.screens[-1] is screen:
            self.screens.pop()

    def play(self, title: "Title") -> None:
        """Play from a screen (the catalog list's SELECT, the detail page's Play)."""
        self._leave_player()
        self._play(title)

    # -- player --------------------------------------------------------------------------------
    def _now(self) -> float:
        return self.device.clock.now()

    def _update(self) -> None:
        now = self._now()
        if self.playing is not None and not self.paused and self.ad_until is None:
            self.position_ms = min(self.playing.duration_ms, self.position_ms + int((now - self._since) * 1000))
        self._since = now

    def _report(self, state: PlaybackState, reason: str) -> None:
        if self.playing is not None:
            self.reporter.playback(self.playing, state, self.position_ms, reason)

    def _play(self, title: "Title") -> None:
        self.playing, self.paused, self.ad_until = title, False, None
        self.position_ms = self.data.saved_position(title.cdf_id)
        # Ad breaks before where playback resumes are not shown again (as the Fire OS app does).
        self._ads_played = {m for m in title.ad_marks_ms if m < self.position_ms}
        self._since = self._now()
        self._report(PlaybackState.PLAYING, "start")
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
        assert self.playing is not None
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
            self._report(PlaybackState.PLAYING, "ad_end")
        elif self.ad_until is None and not self.paused and (mark := self._crossed_ad(before)) is not None:
            # An ad break starts: the content position stays where it was (seed 002: INTERSTITIAL with
            # the content position while the ad plays).
            self.position_ms = mark
            self._ads_played.add(mark)
            self.ad_until = self._now() + self.catalog.settings.ad_break_ms / 1000
            self._report(PlaybackState.INTERSTITIAL, "ad_start")
        elif self.position_ms >= self.playing.duration_ms:
            self._leave_player()
            return
        elif "no-periodic-events" not in self.faults:
            self._report(PlaybackState.INTERSTITIAL if self.ad_until is not None else
                         PlaybackState.PAUSED if self.paused else PlaybackState.PLAYING, "periodic")
        self._schedule()

    def _crossed_ad(self, before: int) -> int | None:
        assert self.playing is not None
        crossed = [m for m in self.playing.ad_marks_ms
                   if before <= m <= self.position_ms and m not in self._ads_played and m < self.playing.duration_ms]
        return min(crossed) if crossed else None

    def _leave_player(self) -> None:
        if self.playing is None:
            return
        self._update()
        finished = self.position_ms >= self.playing.duration_ms
        if "no-exit-on-leave" not in self.faults:
            self._report(PlaybackState.PAUSED if "pause-instead-of-exit" in self.faults else PlaybackState.EXIT,
                         "complete" if finished else "exit")
        self.data.save_position(self.playing.cdf_id, 0 if finished else self.position_ms, self.device.clock.now_ms())
        self.playing = None
        self._schedule()

    # -- keys and drawing -----------------------------------------------------------------------
    def on_key(self, key: str) -> None:
        if self.playing is None:
            if key == BACK:
                if len(self.screens) > 1:
                    self.screens.pop()
                else:
                    self.device.go_home()
                return
            self.screens[-1].on_key(key)
            return
        self._update()
        if key in ("KEY_PLAYPAUSE", "KEY_PAUSE", "KEY_PLAY", SELECT):
            self.paused = not self.paused if key in ("KEY_PLAYPAUSE", SELECT) else key == "KEY_PAUSE"
            self._report(PlaybackState.PAUSED if self.paused else PlaybackState.PLAYING,
                         "pause" if self.paused else "resume")
            self._schedule()
        elif key in ("KEY_FASTFORWARD", "KEY_REWIND", RIGHT, LEFT):
            step = self.playing.duration_ms // 10 * (1 if key in ("KEY_FASTFORWARD", RIGHT) else -1)
            self.position_ms = max(0, min(self.playing.duration_ms, self.position_ms + step))
            if self.position_ms >= self.playing.duration_ms:
                self._leave_player()
                return
            if "no-seek-events" not in self.faults:
                self._report(PlaybackState.PAUSED if self.paused else PlaybackState.PLAYING, "seek")
            self._schedule()
        elif key in (BACK, "KEY_STOP"):
            self._leave_player()

    def window(self) -> Element:
        root = Element(0, 0, *SCREEN)
        if self.playing is None:
            return root.add(self.screens[-1].draw())
        self._update()
        state = "Paused" if self.paused else "Playing"
        return root.add(text(80, 900, 1200, 60, self.playing.display_title, test_id="player_title"),
                        text(80, 970, 600, 40, f"{state} {self.position_ms // 1000}s / "
                                               f"{self.playing.duration_ms // 1000}s", test_id="player_state"))
