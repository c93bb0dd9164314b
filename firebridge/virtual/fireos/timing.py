"""How long a virtual Fire TV takes to do things: ``fast`` (the developer loop) or ``hardware`` (a real stick).

A :class:`Timing` is data only; the device model waits these device seconds (``asyncio.sleep`` scaled by the
device clock, so ``--speed`` still divides them) where a real device is slow, and the behaviours in
:mod:`firebridge.virtual.fireos.hardware` (HOME transition, screensaver, log chatter) read it.

Every hardware value comes from a row of the Fire TV timing notes (``fire-tv-timing.md``), named here by the
public source of that row. Few public figures were measured on a Fire TV itself, so most values are
ASSUMPTIONs taken from the comparable device the row names; each says how to settle it.
"""

from __future__ import annotations

from dataclasses import dataclass

from firebridge.virtual.timing import TimingProfile, pick

__all__ = ["FAST", "HARDWARE", "TIMINGS", "Timing", "get_timing"]


@dataclass(frozen=True)
class Timing(TimingProfile):
    """Fire OS device-time costs and background behaviour of one timing profile (seconds are device seconds;
    ``name`` and ``log_chatter_per_second`` come from :class:`~firebridge.virtual.timing.TimingProfile`)."""

    #: One ``input`` call: the ``input`` script ``exec``s ``app_process`` (a fresh ART VM) on Android <= 11.
    input_call: float = 0.0
    #: The first ``input`` call after boot (cold VM, class loading).
    input_first_call: float = 0.0
    #: One ``uiautomator dump`` of an idle screen (the dump itself waits 1,000 ms of idle first).
    uiautomator_dump: float = 0.0
    #: Every Nth ``uiautomator dump`` fails with ``ERROR: null root node returned by UiTestAutomationBridge.``
    #: (exit code 0); 0 = never.
    null_root_every: int = 0
    #: ``am start`` before it returns (``Starting: Intent {...}``) — the ``am`` VM plus the start itself.
    am_start: float = 0.0
    #: After HOME, activity starts of other apps are held this long (``APP_SWITCH_DELAY_TIME``).
    app_switch_delay: float = 0.0
    #: After HOME, the launcher comes to the front this much later; keys arriving meanwhile are dropped.
    home_transition: float = 0.0
    #: Seconds without a key before the screensaver (a dream) starts; None = never.
    screensaver_after: float | None = None
    #: ``screencap`` (capture plus PNG encoding).
    screencap: float = 0.0
    #: One bug report (``bugreportz``, ``bugreport``): dumpstate running every section.
    bugreport: float = 0.0


#: The developer loop: everything is instant, nothing happens on its own.
FAST = Timing("fast")

HARDWARE = Timing(
    "hardware",
    # ASSUMPTION: 0.8 s, between the Shield's 0.69 s (bryanroscoe/shield_optimizer REMOTE-LATENCY-PLAN
    # "Phase 0 results") and the S905X2 box's 1.0 s (Avithegod2010/TV-Tools v1.8.1); no Fire TV figure
    # (settle by: timing `adb shell input keyevent 0` on each model).
    input_call=0.8,
    # ASSUMPTION: 6.1 s, the Shield's first call after boot (same source) (settle by: the first call after boot).
    input_first_call=6.1,
    # ASSUMPTION: 2 s, the middle of the 1-3 s the brief names; AOSP DumpCommand waits 1,000 ms of idle
    # (cmds/uiautomator DumpCommand.java) (settle by: timing `uiautomator dump` on a still launcher).
    uiautomator_dump=2.0,
    # ASSUMPTION: 1 in 5 dumps return a null root (dtmilano/AndroidViewClient #257, Pixel 2, Android 9);
    # made deterministic (every 5th) so runs repeat (settle by: counting failures over 100 dumps on a stick).
    null_root_every=5,
    # ASSUMPTION: 1.5 s; warm app starts take 0.71-0.89 s and cold ones 2.6 s and more (aftvnews.com
    # "Amazon is preloading Netflix in the background"; mozilla-mobile/firefox-tv #1914, #2098), plus the
    # `am` VM start of about 0.8 s (Genymobile/scrcpy #112) (settle by: `time am start -W` per model).
    am_start=1.5,
    # AOSP constant: ActivityManagerService APP_SWITCH_DELAY_TIME = 5 s; seen on Fire OS as "Activity start
    # request from <uid> stopped" (toolicious/home-on-fire #9; mozilla-mobile/firefox-tv #1041).
    app_switch_delay=5.0,
    # ASSUMPTION: 1 s for the launcher to take focus after HOME; events older than 0.5 s are dropped after an
    # app-switch key (AOSP InputDispatcher.cpp "Dropped event because of pending overdue app switch.";
    # PRProd/HA-Firemote #89, #64) (settle by: `input keyevent 3 20` then reading focus on a stick).
    home_transition=1.0,
    # ASSUMPTION: 5 minutes; 5, 15 and 20 minutes are all reported and the default is unconfirmed
    # (HA-Firemote #89, #64; theothernt/AerialViews README) (settle by: `settings get` on a reset stick).
    screensaver_after=300.0,
    # ASSUMPTION: 150 lines per second ("hundreds of lines/s"; no published Fire TV logcat rate; the 256 KB
    # buffer of platform_system_core logd/README.property) (settle by: `logcat -v epoch` for a minute on Home).
    log_chatter_per_second=150.0,
    # ASSUMPTION: 2.25 s, a phone's 250 ms capture + 2 s PNG encoding (Genymobile/scrcpy #112)
    # (settle by: `time screencap -p > /dev/null` on a stick).
    screencap=2.25,
    # ASSUMPTION: 60 s for dumpstate; Android's own guide calls a bug report slow and dumpstate allows
    # its sections up to 10 minutes (bugreportz main.cpp socket timeout) (settle by: `time bugreportz`
    # on each model).
    bugreport=60.0,
)

TIMINGS: dict[str, Timing] = {timing.name: timing for timing in (FAST, HARDWARE)}


def get_timing(name: str | Timing) -> Timing:
    """The profile with this name ("fast" or "hardware"); ValueError naming the choices otherwise."""
    return pick(name, TIMINGS)
