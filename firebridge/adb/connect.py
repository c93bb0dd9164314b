"""Connecting network devices (``adb connect``) and waiting until they are usable."""

from __future__ import annotations

import adbutils

from firebridge.waiting import WaitTimeout, wait_until


class DeviceUnauthorized(RuntimeError):
    """The device has not accepted this host's adb key."""


def device_state(client: adbutils.AdbClient, serial: str) -> str | None:
    """The adb server's state for ``serial`` (device, unauthorized, offline, ...) or None if absent."""
    for info in client.list():
        if info.serial == serial:
            return info.state
    return None


def connect_device(client: adbutils.AdbClient, address: str, timeout: float = 15.0) -> None:
    """``adb connect ADDRESS`` and wait until the device is in state ``device``.

    "failed to authenticate" is normal on first contact while the person at the TV presses Allow,
    so the connect answer is not trusted; the state is polled instead.
    """
    answer = client.connect(address, timeout=timeout)
    try:
        wait_until(lambda: device_state(client, address) == "device", timeout,
                   f"{address} to become 'device' after adb connect ({answer.strip()!r})",
                   describe=lambda: f"state {device_state(client, address)!r}")
    except WaitTimeout as exc:
        if device_state(client, address) == "unauthorized":
            raise DeviceUnauthorized(
                f"{address} is unauthorized: accept the \"Allow USB debugging?\" prompt on the TV "
                f"(tick \"Always allow from this computer\"), then connect again") from exc
        raise
