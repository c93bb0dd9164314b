"""The Fire TV remote: key names, ``input keyevent`` commands, long presses, focus-aware navigation.

Why batching matters: up to Fire OS 8 (API <= 30) ``/system/bin/input`` starts a fresh ART VM on every
call (0.5-1 s each), so :meth:`Remote.press` sends all its keys in ONE ``input keyevent`` call.
Keys go out as numbers: every Android version accepts a decimal key code, and a misspelt name would
otherwise be injected silently as KEYCODE_UNKNOWN (0) — :func:`parse_key` refuses unknown names first.

Key codes and meanings: AOSP ``KeyEvent`` and Amazon's remote documentation
(shared/reference/fire-tv-platform.md section 2).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from enum import IntEnum
from typing import Callable, Iterable, Sequence

from firebridge.errors import FirebridgeError
from firebridge.platforms.fireos.keycodes import CODE_BY_NAME, NAME_BY_CODE
from firebridge.adb.shell import Shell
from firebridge.device.ui import Bounds, UiNode, UiTree, dump


class Key(IntEnum):
    """Keys of the Fire TV remote (and a few more a Fire TV accepts), by Android key code.

    Aliases: ``SELECT`` = ``DPAD_CENTER``; ``UP``/``DOWN``/``LEFT``/``RIGHT`` = the D-pad;
    ``MEDIA_PLAY_PAUSE``/``MEDIA_REWIND``/``MEDIA_FAST_FORWARD`` = the remote's media keys.
    """

    HOME = 3
    BACK = 4
    DPAD_UP = 19
    DPAD_DOWN = 20
    DPAD_LEFT = 21
    DPAD_RIGHT = 22
    DPAD_CENTER = 23
    VOLUME_UP = 24
    VOLUME_DOWN = 25
    POWER = 26
    ENTER = 66
    MENU = 82
    SEARCH = 84
    PLAY_PAUSE = 85
    MEDIA_STOP = 86
    MEDIA_NEXT = 87
    MEDIA_PREVIOUS = 88
    REWIND = 89
    FAST_FORWARD = 90
    MEDIA_PLAY = 126
    MEDIA_PAUSE = 127
    VOLUME_MUTE = 164
    SETTINGS = 176
    SLEEP = 223
    WAKEUP = 224
    VOICE_ASSIST = 231
    # Aliases (same value: Key.SELECT is Key.DPAD_CENTER).
    SELECT = 23
    UP = 19
    DOWN = 20
    LEFT = 21
    RIGHT = 22
    MEDIA_PLAY_PAUSE = 85
    MEDIA_REWIND = 89
    MEDIA_FAST_FORWARD = 90

    @property
    def keycode_name(self) -> str:
        """Android's name, e.g. ``KEYCODE_MEDIA_PLAY_PAUSE`` for PLAY_PAUSE."""
        return "KEYCODE_" + NAME_BY_CODE.get(int(self), self.name)


DPAD = (Key.DPAD_UP, Key.DPAD_DOWN, Key.DPAD_LEFT, Key.DPAD_RIGHT)


class UnknownKey(FirebridgeError, ValueError):
    """A key name or code that is not a Fire TV remote key."""

    def __init__(self, given: object, message: str, close: list[str]) -> None:
        super().__init__(message)
        self.given = given
        self.close_matches = close


class NavigationError(FirebridgeError):
    """Focus could not be moved to the wanted node; the message names what is focused."""


def key_names() -> list[str]:
    """Every accepted name (canonical names and aliases)."""
    return list(Key.__members__)


def parse_key(key: "Key | int | str") -> Key:
    """A :class:`Key` from ``Key.HOME``, ``3``, ``"3"``, ``"HOME"``, ``"home"``, ``"KEYCODE_HOME"``,
    ``"SELECT"``, ``"dpad-up"``. Unknown names raise :class:`UnknownKey` listing close matches and the
    valid names (a device would inject KEYCODE_UNKNOWN for them without complaint)."""
    if isinstance(key, Key):
        return key
    if isinstance(key, bool):
        raise UnknownKey(key, f"{key!r} is not a key (use a name such as HOME or a key code)", [])
    if isinstance(key, int):
        return _from_code(key, str(key))
    if not isinstance(key, str):
        raise UnknownKey(key, f"{key!r} is not a key name or code", [])
    text = key.strip()
    if text.isdigit():
        return _from_code(int(text), text)
    name = text.upper().replace("-", "_").replace(" ", "_")
    if name.startswith("KEYCODE_"):
        name = name[len("KEYCODE_"):]
    if name in Key.__members__:
        return Key[name]
    if name in CODE_BY_NAME:
        code = CODE_BY_NAME[name]
        if code in Key._value2member_map_:
            return Key(code)
        raise UnknownKey(key, f"{key!r} (KEYCODE_{name}, code {code}) is an Android key but not a Fire TV "
                              f"remote key; valid names: {', '.join(key_names())}", [])
    close = difflib.get_close_matches(name, key_names(), n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(close)}? " if close else ""
    raise UnknownKey(key, f"unknown key {key!r}: {hint}Valid names: {', '.join(key_names())} "
                          f"(also KEYCODE_<name> and key codes)", close)


def _from_code(code: int, given: str) -> Key:
    if code in Key._value2member_map_:
        return Key(code)
    android = NAME_BY_CODE.get(code)
    what = f"KEYCODE_{android}" if android else "no Android key"
    raise UnknownKey(given, f"key code {given} ({what}) is not a Fire TV remote key; valid codes: "
                            + ", ".join(f"{k.name} {k.value}" for k in _canonical()), [])


def _canonical() -> list[Key]:
    return list(Key)  # iteration skips aliases


def keyevent_command(keys: Iterable["Key | int | str"], longpress: bool = False,
                     duration_ms: int | None = None) -> list[str]:
    """ONE ``input keyevent`` call for all ``keys`` (validated, sent as key codes).

    ``longpress`` adds ``--longpress`` (applies to every key of the call). ``duration_ms`` adds
    ``--duration N``, which only ``cmd input`` of newer Android knows (see :meth:`Remote.hold`).
    """
    codes = [str(int(parse_key(key))) for key in keys]
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


# --- navigation geometry (pure) -------------------------------------------------------------

def _between(value: float, a: float, b: float) -> bool:
    return min(a, b) < value < max(a, b)


def _count_bands(bounds: list[Bounds]) -> int:
    """How many distinct horizontal bands (rows) the rectangles form."""
    bands: list[Bounds] = []
    for b in sorted(bounds, key=lambda r: r.top):
        if not any(b.overlaps_vertically(band) for band in bands):
            bands.append(b)
    return len(bands)


def plan_move(focused: Bounds, goal: Bounds, focusables: Sequence[Bounds] = (),
              blocked: Iterable[Key] = ()) -> tuple[Key, int] | None:
    """The D-pad key that moves focus from ``focused`` toward ``goal``, and how many presses the
    focusable views in between suggest. Rows first: a goal in another row is reached by moving
    vertically to its row, then along it (the layout of TV launchers). Returns None when every
    useful direction is in ``blocked`` (focus did not move when tried)."""
    blocked = set(blocked)
    fx, fy = focused.center
    gx, gy = goal.center
    horizontal = Key.DPAD_RIGHT if gx > fx else Key.DPAD_LEFT
    vertical = Key.DPAD_DOWN if gy > fy else Key.DPAD_UP
    same_row = focused.overlaps_vertically(goal)
    same_column = focused.overlaps_horizontally(goal)
    if same_row:
        order = [horizontal] + ([] if gy == fy else [vertical])
    elif same_column or gx == fx:
        order = [vertical] + ([] if gx == fx else [horizontal])
    else:
        order = [vertical, horizontal]
    others = [b for b in focusables if b != focused and b != goal]
    for key in order:
        if key in blocked:
            continue
        if key in (Key.DPAD_LEFT, Key.DPAD_RIGHT):
            between = [b for b in others if b.overlaps_vertically(focused) and _between(b.center[0], fx, gx)]
            return key, 1 + len(between)
        between = [b for b in others if _between(b.center[1], fy, gy)
                   and not b.overlaps_vertically(focused) and not b.overlaps_vertically(goal)]
        return key, 1 + _count_bands(between)
    return None


def _signature(node: UiNode) -> tuple[str, str, str, str]:
    return (node.resource_id, node.text, node.content_desc, str(node.bounds))


class Remote:
    """The remote control of one device.

    ``ui_reader`` returns the current :class:`~firebridge.device.ui.UiTree` (default: ``ui.dump(shell)``);
    navigation uses it to see where focus is.
    """

    def __init__(self, shell: Shell, ui_reader: Callable[[], UiTree] | None = None) -> None:
        self.shell = shell
        self._ui_reader = ui_reader or (lambda: dump(shell))
        self._capabilities: InputCapabilities | None = None

    def _run(self, argv: list[str]) -> None:
        self.shell.shell(argv).check(hint="the device refused the key event; check `adb shell input` works")

    def press(self, *keys: "Key | int | str") -> None:
        """Press and release the keys in order, in one ``input keyevent`` call."""
        self._run(keyevent_command(keys))

    def longpress(self, *keys: "Key | int | str") -> None:
        """``input keyevent --longpress``: DOWN, a repeated DOWN flagged LONG_PRESS, then UP, at once
        (what apps see as a long press; it does not keep the key down for any time)."""
        self._run(keyevent_command(keys, longpress=True))

    def input_capabilities(self) -> InputCapabilities:
        """Read once from the device's ``input`` usage text (printed for an unknown option)."""
        if self._capabilities is None:
            result = self.shell.shell(["input", "-h"])
            self._capabilities = parse_input_usage(result.stdout + "\n" + result.stderr)
        return self._capabilities

    def hold(self, key: "Key | int | str", seconds: float) -> str:
        """Hold a key, as far as the device allows; returns the method used.

        - ``"duration"``: the device's ``input keyevent`` offers ``--duration`` (``cmd input`` of newer
          Android, e.g. Fire OS 14): the key is held down for ``seconds``.
        - ``"longpress"``: Fire OS <= 8 has only ``--longpress``, which sends DOWN, a repeated DOWN
          with FLAG_LONG_PRESS and UP in one go. Apps see a long press, but the key is NOT held for
          ``seconds`` (there is no way to do that through ``input`` there); key-repeat behaviour
          that depends on holding cannot be driven this way.
        """
        if seconds <= 0:
            raise ValueError(f"seconds must be positive, not {seconds}")
        if self.input_capabilities().duration:
            self._run(keyevent_command([key], duration_ms=max(1, round(seconds * 1000))))
            return "duration"
        self._run(keyevent_command([key], longpress=True))
        return "longpress"

    def read_ui(self) -> UiTree:
        return self._ui_reader()

    def navigate_to(self, text: str | None = None, resource_id: str | None = None,
                    content_desc: str | None = None, max_moves: int = 30) -> UiNode:
        """Move D-pad focus onto the node with this text / resource id / content description.

        Reads the screen, finds the target and the focused node, presses the D-pad toward the target
        (several presses in one call when the views in between say how many), reads again, and so on,
        at most ``max_moves`` key presses. Returns the focused node once focus is on the target (or on
        the focusable view that holds it, such as a tile around a title). Raises NavigationError naming
        the focused node and the target when the target is not on screen, nothing is focused, focus
        stops moving, or the moves run out.
        """
        criteria = {k: v for k, v in (("text", text), ("resource_id", resource_id),
                                      ("content_desc", content_desc)) if v is not None}
        if not criteria:
            raise ValueError("navigate_to needs text=, resource_id= or content_desc=")
        wanted = " ".join(f"{k}={v!r}" for k, v in criteria.items())
        moves = 0
        pressed: list[str] = []
        blocked: dict[tuple[str, str, str, str], set[Key]] = {}
        last: tuple[tuple[str, str, str, str], Key] | None = None
        while True:
            tree = self.read_ui()
            candidates = tree.find_all(**criteria)
            if not candidates:
                focused = tree.focused()
                raise NavigationError(
                    f"no node with {wanted} on screen; focused: {focused.describe() if focused else 'nothing'}; "
                    f"on screen: {tree.labels()}")
            target = next((n for n in candidates if n.visible), candidates[0])
            goal = target.focus_target()
            focused = tree.focused()
            if focused is None:
                raise NavigationError(f"nothing is focused on screen, so D-pad keys cannot reach {wanted} "
                                      f"({target.describe()}); press a D-pad key or SELECT first")
            if focused is goal or focused.is_within(goal) or focused.is_within(target):
                return focused
            signature = _signature(focused)
            if last is not None and last[0] == signature:
                blocked.setdefault(signature, set()).add(last[1])  # that key did not move focus
            plan = plan_move(focused.bounds, goal.bounds, [n.bounds for n in tree.focusables()],
                             blocked.get(signature, ()))
            if plan is None or moves >= max_moves:
                why = (f"focus stopped moving ({', '.join(k.name for k in blocked.get(signature, ()))} "
                       f"left it in place)" if plan is None else f"gave up after {moves} key presses")
                raise NavigationError(
                    f"could not move focus to {wanted} ({goal.describe()}): {why}; focused: {focused.describe()}; "
                    f"keys pressed: {' '.join(pressed) or 'none'}")
            key, count = plan
            count = max(1, min(count, max_moves - moves))
            self.press(*([key] * count))
            moves += count
            pressed.extend([key.name] * count)
            last = (signature, key)
