"""Fire OS screen state: ``dumpsys power`` / ``dumpsys window policy`` parsers (pure).

- ``dumpsys power``: ``mWakefulness=Awake|Asleep|Dreaming|Dozing`` (Fire TV Stick output quoted in
  dwaan/homebridge-adb issue 103; python-androidtv reads the same line on Fire TVs).
- ``dumpsys window policy``: ``mAwake=true|false`` (PhoneWindowManager's dump), when power gives nothing.
"""

from __future__ import annotations

import re

POWER_DUMP_COMMAND = ["dumpsys", "power"]
WINDOW_POLICY_COMMAND = ["dumpsys", "window", "policy"]
_WAKEFULNESS = re.compile(r"^\s*mWakefulness=(\w+)", re.M)
_WINDOW_AWAKE = re.compile(r"\bmAwake=(true|false)\b")


def parse_wakefulness(text: str) -> str | None:
    """``Awake``, ``Asleep``, ``Dreaming`` or ``Dozing`` from ``dumpsys power``; None if absent."""
    match = _WAKEFULNESS.search(text)
    return match.group(1) if match else None


def parse_window_awake(text: str) -> bool | None:
    """``mAwake`` from ``dumpsys window policy``; None if absent."""
    match = _WINDOW_AWAKE.search(text)
    return None if match is None else match.group(1) == "true"
