"""Keys on Vega: firebridge key names -> ``inputd-cli`` Linux input names, commands, and output checks.

``inputd-cli button_press KEY_X`` injects one press and prints, per press,
``Injecting Button Press As Driver: KEY_X State: short`` (real output on a stick and on the VVD,
tests/samples/inputd_cli_*). It exits 0 even when it fails (argent, vega-input.ts), so every press is
checked by that line, never by the exit status. With developer mode off every command prints
``Error: No running instances of com.amazon.dev.shell.service found``.

Names verified by several tools (docs/vega-os.md section 4): Select is ``KEY_ENTER`` (``KEY_SELECT``/``KEY_OK``
do nothing), Home is ``KEY_HOMEPAGE`` (``KEY_HOME`` is inert), Back is ``KEY_BACK`` (``KEY_ESC`` is
inert), Menu is ``KEY_MENU``.
"""

from __future__ import annotations

import difflib
import re
import shlex
from dataclasses import dataclass
from typing import Sequence

from firebridge.platforms.vega.errors import DEV_SHELL_DOWN, DeveloperModeOff, KeyNotTaken, UnknownVegaKey

# firebridge key name -> Linux input event name. Aliases (DPAD_*, MEDIA_*) are the names the Fire OS
# remote (firebridge.capabilities.remote.Key) also accepts, so one test drives both platforms.
VEGA_KEYS: dict[str, str] = {
    "HOME": "KEY_HOMEPAGE",
    "BACK": "KEY_BACK",
    "SELECT": "KEY_ENTER", "DPAD_CENTER": "KEY_ENTER", "ENTER": "KEY_ENTER",
    "UP": "KEY_UP", "DPAD_UP": "KEY_UP",
    "DOWN": "KEY_DOWN", "DPAD_DOWN": "KEY_DOWN",
    "LEFT": "KEY_LEFT", "DPAD_LEFT": "KEY_LEFT",
    "RIGHT": "KEY_RIGHT", "DPAD_RIGHT": "KEY_RIGHT",
    "MENU": "KEY_MENU",
    "PLAY_PAUSE": "KEY_PLAYPAUSE", "MEDIA_PLAY_PAUSE": "KEY_PLAYPAUSE",
    "PLAY": "KEY_PLAY", "MEDIA_PLAY": "KEY_PLAY",
    "PAUSE": "KEY_PAUSE", "MEDIA_PAUSE": "KEY_PAUSE",
    "STOP": "KEY_STOP", "MEDIA_STOP": "KEY_STOP",
    "REWIND": "KEY_REWIND", "MEDIA_REWIND": "KEY_REWIND",
    "FAST_FORWARD": "KEY_FASTFORWARD", "MEDIA_FAST_FORWARD": "KEY_FASTFORWARD",
    "NEXT": "KEY_NEXTSONG", "MEDIA_NEXT": "KEY_NEXTSONG",
    "PREVIOUS": "KEY_PREVIOUSSONG", "MEDIA_PREVIOUS": "KEY_PREVIOUSSONG",
    "VOLUME_UP": "KEY_VOLUMEUP", "VOLUME_DOWN": "KEY_VOLUMEDOWN",
    "MUTE": "KEY_MUTE", "VOLUME_MUTE": "KEY_MUTE",
    "BACKSPACE": "KEY_BACKSPACE", "DEL": "KEY_BACKSPACE",
}
# How long a long press holds the key: sema-firetv's long press (docs/vega-os.md section 4).
# ASSUMPTION: a press with --holdDuration prints the same "Injecting Button Press As Driver: KEY_X State:"
# line (with some state word); only default presses and `series button_hold` were captured (settle by:
# `inputd-cli button_press KEY_ENTER --holdDuration 2500` on a VVD).
LONG_PRESS_MS = 2500
_PRESS_LINE = re.compile(r"Injecting Button Press As Driver: (?P<key>KEY_\w+) State: (?P<state>\S+)")
# The loop stops at the first press the device did not confirm, so a failed key cannot shift the
# rest of a navigation sequence. /bin/sh on Vega is POSIX enough for `case` (argent relies on it).
_PRESS_LOOP = ('for k in {keys}; do o=$(inputd-cli button_press "$k"{hold} 2>&1); printf "%s\\n" "$o"; '
               'case "$o" in *"Injecting Button Press"*) ;; *) break ;; esac; done')


def vega_key(name: str) -> str:
    """The ``inputd-cli`` name for a firebridge key name (``"SELECT"`` -> ``"KEY_ENTER"``); a Linux
    ``KEY_*`` name passes through. Case and a ``KEYCODE_`` prefix are ignored."""
    wanted = str(getattr(name, "name", name)).strip().upper()
    if wanted.startswith("KEYCODE_"):
        wanted = wanted[len("KEYCODE_"):]
    if wanted in VEGA_KEYS:
        return VEGA_KEYS[wanted]
    if re.fullmatch(r"KEY_[A-Z0-9_]+", wanted):
        return wanted
    close = difflib.get_close_matches(wanted, list(VEGA_KEYS), n=3)
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    raise UnknownVegaKey(f"no Vega key for {name!r}: use a firebridge key name ({', '.join(sorted(VEGA_KEYS))}) "
                         f"or a Linux input name such as KEY_ENTER.{hint}")


def press_command(keys: Sequence[str], hold_ms: int | None = None) -> str:
    """One shell line that presses ``keys`` (firebridge names) in order, printing inputd-cli's answer for
    each and stopping at the first press not confirmed."""
    if not keys:
        raise ValueError("press_command needs at least one key")
    names = " ".join(shlex.quote(vega_key(key)) for key in keys)
    hold = f" --holdDuration {int(hold_ms)}" if hold_ms is not None else ""
    return _PRESS_LOOP.format(keys=names, hold=hold)


@dataclass(frozen=True)
class Press:
    key: str
    state: str


def parse_presses(output: str) -> list[Press]:
    """Every ``Injecting Button Press As Driver: KEY_X State: S`` line, in order."""
    return [Press(m["key"], m["state"]) for m in _PRESS_LINE.finditer(output)]


DEVELOPER_MODE_COMMAND = "vsm developer-mode enable 2>&1"  # the VVD's switch for key injection [D-INP]


def check_presses(output: str, keys: Sequence[str], serial: str = "") -> list[Press]:
    """Raise unless ``output`` confirms every one of ``keys`` in order; return the confirmed presses."""
    if DEV_SHELL_DOWN in output:
        raise DeveloperModeOff(serial, output.strip().splitlines()[0] if output.strip() else "")
    wanted = [vega_key(key) for key in keys]
    presses = parse_presses(output)
    for index, key in enumerate(wanted):
        if index >= len(presses) or presses[index].key != key:
            taken = ", ".join(p.key for p in presses[:index]) or "none"
            raise KeyNotTaken(
                f"{serial}: inputd-cli did not confirm {key} (press {index + 1} of {len(wanted)}; confirmed before "
                f"it: {taken}). inputd-cli said: {output.strip()[-400:]!r}. Check the key name and that developer "
                f"mode is on (`inputd-cli get_screen_size` must print the screen size).")
    return presses[:len(wanted)]


def text_command(text: str) -> str:
    """``inputd-cli send_text`` with ``text`` quoted for the device shell (newlines refused: a
    remote's keyboard has no Enter in a text field)."""
    if "\n" in text or "\r" in text:
        raise ValueError("Vega send_text cannot type a newline; press SELECT instead")
    return f"inputd-cli send_text {shlex.quote(text)} 2>&1"


def check_text_output(output: str, serial: str = "") -> None:
    """Raise when ``inputd-cli send_text`` says it failed.

    ASSUMPTION: send_text prints nothing on success, or something without "error"/"unrecognized"/
    "invalid" (its success output is not captured anywhere public; settle by running it on a VVD).
    """
    if DEV_SHELL_DOWN in output:
        raise DeveloperModeOff(serial, output.strip())
    lowered = output.lower()
    if any(word in lowered for word in ("error", "unrecognized", "invalid", "usage:")):
        raise KeyNotTaken(f"{serial}: inputd-cli send_text failed: {output.strip()[-400:]!r}")


SCREEN_SIZE_COMMAND = "inputd-cli get_screen_size 2>&1"
_SIZE = re.compile(r"^\s*(\d+)\s*x\s*(\d+)\s*$", re.M)


def parse_screen_size(output: str, serial: str = "") -> tuple[int, int]:
    """``1920 x 1080`` -> (1920, 1080); the developer-mode error raises :class:`DeveloperModeOff` (argent
    uses this command as its developer-mode probe)."""
    if DEV_SHELL_DOWN in output:
        raise DeveloperModeOff(serial, output.strip())
    match = _SIZE.search(output)
    if not match:
        raise KeyNotTaken(f"{serial}: inputd-cli get_screen_size gave no size: {output.strip()[-300:]!r}")
    return int(match.group(1)), int(match.group(2))
