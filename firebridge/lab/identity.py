"""A bench device's identity as reports keep it (pure): the dict :func:`firebridge.lab.health.identity_of`
makes from the driver's :class:`~firebridge.driver.protocol.Identity` (``platform``: ``fireos``/``vega``,
``model``, ``os_version``; on Fire OS also ``fire_os`` and ``sdk``), and how it reads for people.

The bench header, terminal summary, nightly morning report and history use these, so a mixed bench says
the same thing about each device everywhere.
"""

from __future__ import annotations

from typing import Any

from firebridge.driver.protocol import Platform


def platform_name(identity: dict[str, Any]) -> str:
    """"Fire OS" or "Vega OS" for a device's identity dict (one without a platform predates mixed benches:
    Fire OS)."""
    value = identity.get("platform") or Platform.FIRE_OS.value
    platform = Platform.named(value)
    return str(platform) if platform is not None else str(value)


def platform_value(identity: dict[str, Any]) -> str:
    """``fireos`` or ``vega`` for a device's identity dict (as :func:`platform_name` reads it)."""
    value = identity.get("platform") or Platform.FIRE_OS.value
    platform = Platform.named(value)
    return platform.value if platform is not None else str(value)


def describe_identity(identity: dict[str, Any]) -> str:
    """One device for people: ``AFTMM Fire OS 6.2.9.5 API 25`` or ``Vega Virtual Device Vega OS 1.2``."""
    name = platform_name(identity)
    version = identity.get("fire_os") if name == str(Platform.FIRE_OS) else None
    version = version or identity.get("os_version") or "?"
    text = f"{identity.get('model') or '?'} {name} {version}"
    return text + (f" API {identity.get('sdk')}" if name == str(Platform.FIRE_OS) else "")
