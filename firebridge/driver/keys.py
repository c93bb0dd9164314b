"""firebridge's key vocabulary: the Fire TV remote's keys by name, the same on every platform.

Capabilities, app profiles (``keys: [SELECT]``) and the CLI name keys here; each platform driver maps
the names to its own codes (Fire OS: Android key codes in ``firebridge.platforms.fireos.keycodes``).
A name is the key's value, so ``Key.HOME == "HOME"`` and a driver can be handed plain strings.

Aliases (same member): ``DPAD_UP``/``DPAD_DOWN``/``DPAD_LEFT``/``DPAD_RIGHT``/``DPAD_CENTER`` for the
D-pad, ``MEDIA_*`` for the media keys, ``KEYCODE_<name>`` spellings of any of them. Key codes (numbers)
are not accepted: they belong to one platform.
"""

from __future__ import annotations

import difflib
from enum import Enum

from firebridge.errors import FirebridgeError


class Key(str, Enum):
    """Keys of the Fire TV remote (and a few more a Fire TV accepts). Aliases are the same member:
    ``Key.DPAD_CENTER is Key.SELECT``."""

    HOME = "HOME"
    BACK = "BACK"
    UP = "UP"
    DOWN = "DOWN"
    LEFT = "LEFT"
    RIGHT = "RIGHT"
    SELECT = "SELECT"
    MENU = "MENU"
    PLAY_PAUSE = "PLAY_PAUSE"
    REWIND = "REWIND"
    FAST_FORWARD = "FAST_FORWARD"
    PLAY = "PLAY"
    PAUSE = "PAUSE"
    STOP = "STOP"
    NEXT = "NEXT"
    PREVIOUS = "PREVIOUS"
    VOLUME_UP = "VOLUME_UP"
    VOLUME_DOWN = "VOLUME_DOWN"
    MUTE = "MUTE"
    POWER = "POWER"
    SLEEP = "SLEEP"
    WAKEUP = "WAKEUP"
    SEARCH = "SEARCH"
    VOICE_ASSIST = "VOICE_ASSIST"
    SETTINGS = "SETTINGS"
    ENTER = "ENTER"
    # Aliases (same value, so the same member).
    DPAD_UP = "UP"
    DPAD_DOWN = "DOWN"
    DPAD_LEFT = "LEFT"
    DPAD_RIGHT = "RIGHT"
    DPAD_CENTER = "SELECT"
    MEDIA_PLAY_PAUSE = "PLAY_PAUSE"
    MEDIA_REWIND = "REWIND"
    MEDIA_FAST_FORWARD = "FAST_FORWARD"
    MEDIA_PLAY = "PLAY"
    MEDIA_PAUSE = "PAUSE"
    MEDIA_STOP = "STOP"
    MEDIA_NEXT = "NEXT"
    MEDIA_PREVIOUS = "PREVIOUS"
    VOLUME_MUTE = "MUTE"

    def __str__(self) -> str:
        return self.value


DPAD = (Key.UP, Key.DOWN, Key.LEFT, Key.RIGHT)


class UnknownKey(FirebridgeError, ValueError):
    """A key name that is not one of firebridge's (see :class:`Key`)."""

    def __init__(self, given: object, message: str, close: list[str]) -> None:
        super().__init__(message)
        self.given = given
        self.close_matches = close


def key_names() -> list[str]:
    """Every accepted name (canonical names and aliases)."""
    return list(Key.__members__)


def parse_key(key: "Key | str") -> Key:
    """A :class:`Key` from ``Key.HOME``, ``"HOME"``, ``"home"``, ``"KEYCODE_HOME"``, ``"DPAD_CENTER"``,
    ``"dpad-up"``. Anything else raises :class:`UnknownKey` with close matches and the valid names
    (a device would otherwise inject an unknown key without complaint)."""
    if isinstance(key, Key):
        return key
    if not isinstance(key, str):
        raise UnknownKey(key, f"{key!r} is not a key name (use a name such as HOME or SELECT; key codes "
                              f"belong to one platform)", [])
    text = key.strip()
    if text.isdigit():
        raise UnknownKey(key, f"{key!r} is a key code, not a key name; key codes differ between Fire OS and "
                              f"Vega OS, so name the key instead: {', '.join(key_names())}", [])
    name = text.upper().replace("-", "_").replace(" ", "_")
    if name.startswith("KEYCODE_"):
        name = name[len("KEYCODE_"):]
    if name in Key.__members__:
        return Key[name]
    close = difflib.get_close_matches(name, key_names(), n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(close)}? " if close else ""
    raise UnknownKey(key, f"unknown key {key!r}: {hint}Valid names: {', '.join(key_names())} "
                          f"(also KEYCODE_<name>)", close)


def key_list(keys) -> list[str]:
    """Names of ``keys`` (validated), as drivers take them."""
    return [parse_key(k).value for k in keys]


def split_after_home(keys) -> list[list]:
    """Runs of keys, each ending at a HOME (pure): ``HOME UP RIGHT`` -> ``[[HOME], [UP, RIGHT]]``."""
    groups: list[list] = [[]]
    for key in keys:
        groups[-1].append(key)
        if parse_key(key) is Key.HOME:
            groups.append([])
    return [group for group in groups if group]
