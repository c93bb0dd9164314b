"""Fire OS input: ``input keyevent`` / ``input text`` commands and the ``input`` usage text (pure).

Why batching matters: up to Fire OS 8 (API <= 30) ``/system/bin/input`` starts a fresh ART VM on every
call (0.5-1 s each), so one press of several keys is ONE ``input keyevent`` call. Keys go out as
numbers: every Android version accepts a decimal key code, and a misspelt name would otherwise be
injected silently as KEYCODE_UNKNOWN (0) — names are validated (:func:`firebridge.driver.keys.parse_key`)
first. Key codes and meanings: AOSP ``KeyEvent`` and Amazon's remote documentation
(docs/fire-os.md section 2).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from firebridge.driver.keys import Key
from firebridge.platforms.fireos.keycodes import android_code

USAGE_COMMAND = ["input", "-h"]  # an unknown option: input prints its usage text


def keyevent_command(keys: Iterable["Key | str"], longpress: bool = False,
                     duration_ms: int | None = None) -> list[str]:
    """ONE ``input keyevent`` call for all ``keys`` (validated, sent as key codes).

    ``longpress`` adds ``--longpress`` (applies to every key of the call). ``duration_ms`` adds
    ``--duration N``, which only ``cmd input`` of newer Android knows (see :class:`InputCapabilities`).
    """
    codes = [str(android_code(key)) for key in keys]
    if not codes:
        raise ValueError("keyevent_command needs at least one key")
    if longpress and duration_ms is not None:
        raise ValueError("--longpress and --duration cannot be combined (Android refuses it)")
    argv = ["input", "keyevent"]
    if longpress:
        argv.append("--longpress")
    if duration_ms is not None:
        if duration_ms <= 0:
            raise ValueError(f"duration_ms must be positive, not {duration_ms}")
        argv += ["--duration", str(int(duration_ms))]
    return argv + codes


def text_command(text: str) -> list[str]:
    """``input text``: it reads ``%s`` as a space; the list form is shell-quoted word by word."""
    return ["input", "text", text.replace(" ", "%s")]


@dataclass(frozen=True)
class InputCapabilities:
    """What this device's ``input keyevent`` accepts, read from its own usage text."""

    longpress: bool
    duration: bool


def parse_input_usage(text: str) -> InputCapabilities:
    """From ``input``'s usage text: Fire OS <= 8 prints ``keyevent [--longpress] <key code ...>``;
    ``cmd input`` on newer Android prints ``keyevent [--longpress|--duration <duration to hold key
    down in ms>] ...`` (AOSP InputShellCommand.onHelp)."""
    line = next((ln for ln in text.splitlines() if "keyevent" in ln), "")
    return InputCapabilities(longpress="--longpress" in line, duration="--duration" in line)
