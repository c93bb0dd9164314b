"""Time as the device sees it, so that waits for device-time spans work at any clock speed (a
virtual Fire TV may run its clock faster; a real one runs at 1x)."""

from __future__ import annotations

from firebridge.device.firetv import FireTV
from firebridge.waiting import wait_until


class DeviceClock:
    """Time as the device sees it (the driver's clock): waits for device-time spans work at any clock speed."""

    def __init__(self, firetv: FireTV) -> None:
        self.firetv = firetv

    def now_ms(self) -> int:
        return self.firetv.driver.device_time_ms()

    def wait_device_seconds(self, seconds: float, timeout: float) -> None:
        """Return once ``seconds`` of device time have passed (polling the device; real ``timeout``)."""
        target = self.now_ms() + seconds * 1000
        wait_until(lambda: self.now_ms() >= target, timeout, f"{seconds:g} device seconds to pass", interval=0.05)
