"""Which driver a capability talks to: capabilities accept a driver, a device object or a transport."""

from __future__ import annotations

from firebridge.driver.protocol import Driver
from firebridge.platforms import probe


def driver_for(target: object) -> Driver:
    """The driver behind ``target``: a driver is returned as is, a device object (``FireTV``) gives its
    lazily probed ``.driver``, any other transport (an object with ``shell``) is probed."""
    if hasattr(target, "press") and hasattr(target, "ui_tree") and hasattr(target, "platform"):
        return target  # type: ignore[return-value]
    driver = getattr(target, "driver", None)
    if driver is not None:
        return driver
    return probe(target)  # type: ignore[arg-type]
