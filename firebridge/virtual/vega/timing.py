"""How long a virtual Vega device takes to do things: ``fast`` (the developer loop) or ``hardware`` (a real one).

The Vega table of the timing profiles (:mod:`firebridge.virtual.timing`); the Fire OS table is
:mod:`firebridge.virtual.fireos.timing`. Data only: the commands wait these device seconds
(:meth:`VegaDevice.cost <firebridge.virtual.vega.device.VegaDevice.cost>`, scaled by the device clock, so
``--speed`` divides them). Sources (docs/timing.md "Vega OS" and docs/vega-os.md section 4):

- [ARG-AG] software-mansion/argent ``packages/native-devtools-vega/README.md``: ``adb shell`` reaches the VVD in
  about 30 ms (against about 1.8 s through ``vega device run-cmd``); ``adb shell 'inputd-cli ...'`` about 360 ms
  per call; a held-open ``inputd-cli start`` session 3-6 ms per key; a default ("short") press holds the key
  about 250-270 ms, ``--holdDuration`` overrides it.
- The VVD journal capture (Jeremiah-Sakuda/sema-firetv ``docs/vega/logs/evidence-excerpts.txt``): one
  injected press's ``state=down`` and ``state=up`` lines are 250 ms apart.
- [KPI] Amazon's "Vega App Performance Certification Guidebook - App Latency"
  (community.amazondeveloper.com/t/vega-app-performance-certification-guidebook-app-latency/8842): the
  certification targets are cold TTFF 1.5 s, warm TTFF 0.5 s, cold TTFD 8 s, warm TTFD 1.5 s.

No public source gives a Vega journal line rate, so the hardware profile adds no background chatter.
"""

from __future__ import annotations

from dataclasses import dataclass

from firebridge.virtual.timing import TimingProfile, pick

__all__ = ["FAST", "HARDWARE", "TIMINGS", "VegaTiming", "get_timing"]


@dataclass(frozen=True)
class VegaTiming(TimingProfile):
    """Vega device-time costs of one timing profile (device seconds)."""

    #: Opening one ``adb shell`` (vdad starts the dev shell), before the command runs.
    shell_open: float = 0.0
    #: One on-device tool process that talks to its daemon (``inputd-cli``, ``vmsgr``, ``vlcm``, ``vpm``,
    #: ``loggingctl``, ``logger``, ``vsm``): start, IPC, exit — without what the tool then waits for.
    tool_call: float = 0.0
    #: How long a default (``short``) ``button_press`` holds the key; ``--holdDuration MS`` replaces it.
    press_hold: float = 0.0
    #: How long ``button_press KEY long`` / ``superLong`` hold the key.
    long_hold: float = 0.0
    super_long_hold: float = 0.0
    #: One command line inside a held-open ``inputd-cli start`` session (besides the key's hold).
    repl_command: float = 0.0
    #: ``vmsgr send pkg://...`` of an app that is not running: the app is VISIBLE this much later.
    cold_launch: float = 0.0
    #: ``vmsgr send pkg://...`` of an app that runs in the background: it is in front this much later.
    warm_launch: float = 0.0
    #: ``vpm install`` of a package already on the device.
    vpm_install: float = 0.0
    #: The automation toolkit's ``getPageSource`` (one JSON-RPC call over :8383).
    page_source: float = 0.0
    #: A screenshot: the toolkit's ``takeScreenshot`` or ``gwsi-tool-screenshooter`` (capture + PNG encoding).
    screenshot: float = 0.0

    def hold_of(self, state: str, hold_ms: int | None = None) -> float:
        """Device seconds a ``button_press`` holds the key: ``--holdDuration`` when given, else by state."""
        if hold_ms is not None:
            return hold_ms / 1000.0
        return {"long": self.long_hold, "superLong": self.super_long_hold}.get(state, self.press_hold)


#: The developer loop: everything is instant.
FAST = VegaTiming("fast")

HARDWARE = VegaTiming(
    "hardware",
    # [ARG-AG]: `adb shell` reaches the VVD in about 30 ms. ASSUMPTION: a stick over USB or Wi-Fi is no
    # faster (settle by: `time adb shell true` against a stick).
    shell_open=0.03,
    # ASSUMPTION: 70 ms, what is left of [ARG-AG]'s 360 ms per `adb shell 'inputd-cli button_press ...'` after
    # the 30 ms shell and the 260 ms default hold; the other daemon-backed tools cost the same (settle by:
    # `time adb shell inputd-cli get_screen_size` and `time adb shell vlcm list` on a stick).
    tool_call=0.07,
    # [ARG-AG]: a default press holds about 250-270 ms (the VVD journal shows down and up 250 ms apart).
    press_hold=0.26,
    # ASSUMPTION: `long` holds as long as sema-firetv's long press (`--holdDuration 2500`) and `superLong` twice
    # that (settle by: the journal's down/up stamps of `inputd-cli button_press KEY_ENTER long` on a stick).
    long_hold=2.5,
    super_long_hold=5.0,
    # [ARG-AG]: 3-6 ms per key in a held-open `inputd-cli start` session; 4.5 ms, the middle.
    repl_command=0.0045,
    # [KPI]: the cold and warm time-to-first-frame targets. ASSUMPTION: the app is VISIBLE in `vlcm list` and
    # takes keys from its first frame, and the reference app meets the targets exactly (settle by: `vmsgr send`
    # then `vlcm list` in a loop on a stick, timestamps from `date +%s%N`).
    cold_launch=1.5,
    warm_launch=0.5,
    # ASSUMPTION: 3 s for `vpm install` of a small package (no public figure) (settle by: `time vpm install` on
    # a stick).
    vpm_install=3.0,
    # ASSUMPTION: 1 s per getPageSource; no public figure (Fire OS's uiautomator dump is assumed 2 s, but it
    # waits for 1 s of idle, which the toolkit is not known to do) (settle by: timing the POST on a stick).
    page_source=1.0,
    # ASSUMPTION: 2.25 s, the same capture + 1920x1080 PNG encoding as Fire OS `screencap` (Genymobile/scrcpy
    # #112) (settle by: `time gwsi-tool-screenshooter /tmp/s.png` on a stick).
    screenshot=2.25,
)

TIMINGS: dict[str, VegaTiming] = {timing.name: timing for timing in (FAST, HARDWARE)}


def get_timing(name: str | VegaTiming) -> VegaTiming:
    """The Vega profile with this name ("fast" or "hardware"); ValueError naming the choices otherwise."""
    return pick(name, TIMINGS)
