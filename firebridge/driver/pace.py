"""How fast the attached device answers, measured once per session, and the waits derived from it.

A real Fire TV is slow in ways a constant cannot cover: every ``input`` call starts a Java VM (about 0.7-1 s
on Fire OS <= 8), ``uiautomator dump`` takes seconds, ``am start`` seconds more. Waits that were tuned on a
fast device are stretched by what this device measured: :meth:`DevicePace.timeout` adds the cost of the
device calls a wait has to cover to its base.

Measured: one shell round trip (``echo``) and one key-injection call that changes nothing, the platform's
(its driver's ``PACE_CALL``): Fire OS ``input -h`` (prints the usage; on Android <= 11 it still starts the VM),
Vega OS ``inputd-cli get_screen_size`` (the inputd-cli process every press pays, before the key's hold).
Measured lazily (:func:`pace_of`) the first time something needs it, and cached on the shell object, so every
run mode (pytest, CLI, benches) gets the same numbers.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from firebridge.adb.shell import Shell

__all__ = ["DEFAULT_PACE_CALL", "DevicePace", "measure_pace", "pace_call_of", "pace_of"]

#: A ``uiautomator dump`` costs about this many ``input`` calls (ASSUMPTION: 1-3 s against 0.7-1 s per
#: `input` call, docs/timing.md; settle by: timing both on one stick).
DUMP_CALLS = 3.0

#: (command, name in the header) of the call measured when the shell's platform is not known: Fire OS's.
DEFAULT_PACE_CALL = ("input -h", "`input`")


@dataclass(frozen=True)
class DevicePace:
    """Measured real seconds of one shell round trip and one ``input`` call."""

    round_trip: float
    input_call: float  # the platform's key-injection call (``input`` on Fire OS, ``inputd-cli`` on Vega)
    call_name: str = DEFAULT_PACE_CALL[1]

    @property
    def call(self) -> float:
        """One device call that starts a VM (``input``, ``am``), round trip included."""
        return max(self.round_trip, self.input_call)

    @property
    def dump(self) -> float:
        """Estimated real seconds of one ``uiautomator dump``."""
        return DUMP_CALLS * self.call

    def timeout(self, base: float, calls: float = 0.0, dumps: float = 0.0) -> float:
        """``base`` seconds (what the wait needs on a fast device) plus the cost of ``calls`` VM-starting
        device calls and ``dumps`` UI dumps on this device."""
        return base + calls * self.call + dumps * self.dump

    def describe(self, clock_speed: float = 1.0) -> str:
        """The header's line; ``clock_speed`` (a virtual device's clock) adds what the times are in device time."""
        line = (f"shell round trip {self.round_trip * 1000:.0f} ms, one {self.call_name} call "
                f"{self.input_call * 1000:.0f} ms")
        if clock_speed != 1.0:
            line += (f" (clock x{clock_speed:g}: {self.round_trip * clock_speed * 1000:.0f} ms and "
                     f"{self.input_call * clock_speed * 1000:.0f} ms device time)")
        return line + " (waits stretch by that per device call)"


def pace_call_of(shell: Shell) -> tuple[str, str]:
    """(command, name) of the key-injection call to time on this shell's device: its driver's ``PACE_CALL``
    when the shell has a driver (a ``FireTV``), else :data:`DEFAULT_PACE_CALL`."""
    try:
        driver = getattr(shell, "driver", None)
    except Exception:  # the probe failed; the caller's first device call will say why
        driver = None
    call = getattr(driver, "PACE_CALL", None)
    return tuple(call) if isinstance(call, tuple) and len(call) == 2 else DEFAULT_PACE_CALL  # type: ignore[return-value]


def measure_pace(shell: Shell, samples: int = 2, call: tuple[str, str] | None = None) -> DevicePace:
    """Time ``echo`` and the platform's key-injection call (``call``, else :func:`pace_call_of`) on the device,
    the faster of ``samples`` tries of each."""
    def fastest(command: str) -> float:
        best = float("inf")
        for _ in range(samples):
            started = time.monotonic()
            shell.shell(command, timeout=60)
            best = min(best, time.monotonic() - started)
        return best

    command, name = call or pace_call_of(shell)
    round_trip = fastest("echo pace")
    return DevicePace(round_trip=round_trip, input_call=fastest(command), call_name=name)


def pace_of(shell: Shell) -> DevicePace:
    """The shell's device pace, measured on first use and kept on the shell object."""
    pace = getattr(shell, "pace", None)
    if isinstance(pace, DevicePace):
        return pace
    pace = measure_pace(shell)
    try:
        shell.pace = pace  # type: ignore[attr-defined]
    except AttributeError:  # a shell object that takes no attributes measures again next time
        pass
    return pace
