"""The device clock: wall time that can run faster than real time (``--speed``).

Every device timestamp (logcat, playback events, notification post times) comes from here, so a
speed factor of 10 makes a 60-second reporting interval pass in 6 real seconds.
"""

from __future__ import annotations

import time


class DeviceClock:
    """Device wall-clock time, ``speed`` device seconds per real second, starting at host time."""

    def __init__(self, speed: float = 1.0, start: float | None = None) -> None:
        if speed <= 0:
            raise ValueError(f"clock speed must be positive, got {speed}")
        self.speed = speed
        self._origin_device = time.time() if start is None else start
        self._origin_real = time.monotonic()

    def now(self) -> float:
        """Device time in seconds since the epoch."""
        return self._origin_device + (time.monotonic() - self._origin_real) * self.speed

    def now_ms(self) -> int:
        return int(self.now() * 1000)

    def uptime_ms(self) -> int:
        """Device milliseconds since boot (SystemClock.uptimeMillis, for KeyEvent times)."""
        return int((time.monotonic() - self._origin_real) * self.speed * 1000)

    def real_seconds(self, device_seconds: float) -> float:
        """How long ``device_seconds`` of device time take in real time."""
        return device_seconds / self.speed
