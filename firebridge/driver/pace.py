"""How fast the attached device answers, measured once per session, and the waits derived from it.

A real Fire TV is slow in ways a constant cannot cover: every ``input`` call starts a Java VM (about 0.7-1 s
on Fire OS <= 8), ``uiautomator dump`` takes seconds, ``am start`` seconds more. Waits that were tuned on a
fast device are stretched by what this device measured: :meth:`DevicePace.timeout` adds the cost of the
device calls a wait has to cover to its base.

Measured: one shell round trip (``echo``) and one ``input`` call that does nothing (``input -h`` prints the
usage; on Android <= 11 it still starts the VM; on Vega there is no ``input`` and the call costs a round trip). Measured lazily (:func:`pace_of`) the first time something
needs it, and cached on the shell object, so every run mode (pytest, CLI, benches) gets the same numbers.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from firebridge.adb.shell import Shell

__all__ = ["DevicePace", "measure_pace", "pace_of"]

#: A ``uiautomator dump`` costs about this many ``input`` calls (ASSUMPTION: 1-3 s against 0.7-1 s per
#: `input` call, docs/timing.md; settle by: timing both on one stick).
DUMP_CALLS = 3.0


@dataclass(frozen=True)
class DevicePace:
    """Measured real seconds of one shell round trip and one ``input`` call."""

    round_trip: float
    input_call: float

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

    def describe(self) -> str:
        return (f"shell round trip {self.round_trip * 1000:.0f} ms, one `input` call {self.input_call * 1000:.0f} ms "
                f"(waits stretch by that per device call)")


def measure_pace(shell: Shell, samples: int = 2) -> DevicePace:
    """Time ``echo`` and ``input -h`` on the device (the faster of ``samples`` tries of each)."""
    def fastest(command: str) -> float:
        best = float("inf")
        for _ in range(samples):
            started = time.monotonic()
            shell.shell(command, timeout=60)
            best = min(best, time.monotonic() - started)
        return best

    round_trip = fastest("echo pace")
    return DevicePace(round_trip=round_trip, input_call=fastest("input -h"))


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
