"""Is a test failure the bench's fault (infrastructure) or the product's? (pure)

Infrastructure: the device or the adb link failed — the device was lost, an adb request timed out, the
host is unauthorized, the adb server went away, the worker process crashed. Such a failure says nothing
about the app, so a bench run retries it once (on another device when one is free).
Product: everything else — assertions, waits that expired on a working device, commands that exited
non-zero. Never retried: a retry would hide a real bug (or a flaky one, which the nightly history shows).
"""

from __future__ import annotations

from typing import Iterator

from firebridge.errors import AdbTimeout, DeviceUnauthorized, DeviceUnavailable

INFRA = "infra"
PRODUCT = "product"
_INFRA_TYPES: tuple[type[BaseException], ...] = (DeviceUnavailable, DeviceUnauthorized, AdbTimeout, ConnectionError)
# adbutils raises AdbError with adb's own words when a device goes away mid-request.
_ADB_LOST_WORDS = ("device offline", "not found", "closed", "no devices", "device unauthorized")


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]


def infra_reason(exc: BaseException) -> str | None:
    """Why ``exc`` is an infrastructure failure (looking through its causes), or None."""
    for link in _chain(exc):
        if isinstance(link, DeviceUnauthorized):
            return "device unauthorized"
        if isinstance(link, AdbTimeout):
            return "adb timeout"
        if isinstance(link, DeviceUnavailable):
            return "device lost"
        if isinstance(link, _INFRA_TYPES):
            return f"adb connection failed ({type(link).__name__})"
        if type(link).__name__ in ("AdbError", "AdbTimeout") and type(link).__module__.startswith("adbutils"):
            text = str(link).lower()
            if type(link).__name__ == "AdbTimeout":
                return "adb timeout"
            if any(word in text for word in _ADB_LOST_WORDS):
                return f"device lost ({link})"
    return None


def classify(exc: BaseException | None, device_usable: bool = True) -> tuple[str, str]:
    """``(class, reason)`` of a failure; a failure after which the device no longer answers is
    infrastructure whatever was raised (the test saw the device die)."""
    if exc is not None:
        reason = infra_reason(exc)
        if reason:
            return INFRA, reason
    if not device_usable:
        return INFRA, "device lost"
    return PRODUCT, type(exc).__name__ if exc is not None else "failed"
