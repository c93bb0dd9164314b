"""Is a test failure the bench's fault (infrastructure) or the product's? (pure)

Infrastructure: the device or the adb link failed — the device was lost, an adb request timed out, the
host is unauthorized, the adb server went away, the worker process crashed. Such a failure says nothing
about the app, so a bench run retries it once (on another device when one is free).
Also infrastructure: the device restarted during the test (its boot id changed), and a test's *setup*
that could not bring the device to the state the test needs (the helper app missing, the remote could
not navigate, no UI dump, a wait that expired, the known-state restore failing): the app under test
was not exercised yet. Raised in the test body the same errors are the product's.
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


# Setup errors that mean "the device could not be put in the state the test needs" (by name, so that
# this module imports nothing above the base layer).
SETUP_INFRA_TYPES = ("HelperAppMissing", "NavigationError", "UiDumpError", "WaitTimeout", "StateRestoreFailed",
                     "PrivacySettingError", "LogTimeout", "ToolkitUnavailable")


def setup_reason(exc: BaseException) -> str | None:
    """Why a failure raised in a test's setup is the device's, not the app's (or None)."""
    for link in _chain(exc):
        if type(link).__name__ in SETUP_INFRA_TYPES:
            return f"setup could not prepare the device ({type(link).__name__})"
    return None


def classify(exc: BaseException | None, device_usable: bool = True, when: str = "call",
             restarted: bool = False) -> tuple[str, str]:
    """``(class, reason)`` of a failure; a failure after which the device no longer answers, or during
    which it restarted, is infrastructure whatever was raised (the test saw the device die)."""
    if exc is not None:
        reason = infra_reason(exc)
        if reason:
            return INFRA, reason
    if not device_usable:
        return INFRA, "device lost"
    if restarted:
        return INFRA, "device restarted during the test"
    if exc is not None and when in ("setup", "teardown"):
        reason = setup_reason(exc)
        if reason:
            return INFRA, reason
    return PRODUCT, type(exc).__name__ if exc is not None else "failed"
