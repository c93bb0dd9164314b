"""``input keyevent|text`` as Fire OS <= 8 (Android <= 11) implements it in Input.java.

Each injected KeyEvent is logged with tag ``Input`` (``injectKeyEvent: KeyEvent { ... }``), DOWN then
UP with the same event time; ``--longpress`` adds a repeated DOWN with FLAG_LONG_PRESS and does not
hold for any length of time (docs/fire-os.md section 2).
"""

from __future__ import annotations

from firebridge.platforms.fireos.keycodes import CODE_BY_NAME, keycode_from_string, keycode_label
from firebridge.virtual.shell.interpreter import CommandContext, command

_SOURCES = {"keyboard": 0x101, "dpad": 0x201, "gamepad": 0x401, "touchscreen": 0x1002,
            "mouse": 0x2002, "trackball": 0x10004, "joystick": 0x1000010, "touchpad": 0x100008,
            "stylus": 0xD002, "touchnavigation": 0x200000}
FLAG_FROM_SYSTEM = 0x8
FLAG_LONG_PRESS = 0x80

_USAGE = """Usage: input [<source>] <command> [<arg>...]

The sources are:
      dpad
      keyboard
      mouse
      touchpad
      gamepad
      touchnavigation
      joystick
      touchscreen
      stylus
      trackball

The commands and default sources are:
      text <string> (Default: touchscreen)
      keyevent [--longpress] <key code number or name> ... (Default: keyboard)
      tap <x> <y> (Default: touchscreen)
      swipe <x1> <y1> <x2> <y2> [duration(ms)] (Default: touchscreen)
      draganddrop <x1> <y1> <x2> <y2> [duration(ms)] (Default: touchscreen)
      press (Default: trackball)
      roll <dx> <dy> (Default: trackball)
"""


def _log_key(ctx: CommandContext, action: str, code: int, time_ms: int, source: int, flags: int,
             repeat: int) -> None:
    ctx.device.log.write(
        "I", "Input",
        f"injectKeyEvent: KeyEvent {{ action={action}, keyCode={keycode_label(code)}, scanCode=0, "
        f"metaState=0, flags={flags:#x}, repeatCount={repeat}, eventTime={time_ms}, downTime={time_ms}, "
        f"deviceId=-1, source={source:#x} }}",
        pid=ctx.shell.pid)


def send_key(ctx: CommandContext, code: int, longpress: bool, source: int) -> None:
    """Inject one key press (logged like Input.sendKeyEvent) and deliver it to the device."""
    now = ctx.device.clock.uptime_ms()
    _log_key(ctx, "ACTION_DOWN", code, now, source, FLAG_FROM_SYSTEM, 0)
    if longpress:
        _log_key(ctx, "ACTION_DOWN", code, now, source, FLAG_FROM_SYSTEM | FLAG_LONG_PRESS, 1)
    _log_key(ctx, "ACTION_UP", code, now, source, FLAG_FROM_SYSTEM, 0)
    ctx.device.inject_key(code, longpress)


@command("input")
async def input_(ctx: CommandContext, args: list[str]) -> int:
    args = list(args)
    source = None
    if args and args[0] in _SOURCES:
        source = _SOURCES[args.pop(0)]
    if not args:
        await ctx.err(_USAGE)
        return 1
    verb, rest = args[0], args[1:]
    # Every call starts a Java VM before doing anything (the `input` script execs app_process, Android <= 11).
    await ctx.device.hardware.input_call()
    if verb == "keyevent":
        longpress = bool(rest) and rest[0] == "--longpress"
        codes = rest[1:] if longpress else rest
        if not codes:
            await ctx.err(_USAGE)
            return 1
        for arg in codes:
            code = keycode_from_string(arg)
            if code == 0:
                code = keycode_from_string("KEYCODE_" + arg)
            send_key(ctx, code, longpress, source or _SOURCES["keyboard"])
        return 0
    if verb == "text":
        if not rest:
            await ctx.err(_USAGE)
            return 1
        # Input.sendText turns each character into key events through the virtual keyboard map.
        text = rest[0].replace("%s", " ")
        for char in text:
            code = _char_keycode(char)
            send_key(ctx, code, False, source or _SOURCES["keyboard"])
            ctx.device.inject_text(char)
        return 0
    if verb in ("tap", "swipe", "draganddrop", "press", "roll", "motionevent"):
        return 0  # accepted; a TV has no touch surface to act on
    await ctx.err(f"Error: Unknown command: {verb}\n{_USAGE}")
    return 1


def _char_keycode(char: str) -> int:
    if char.isalpha() and char.isascii():
        return CODE_BY_NAME[char.upper()]
    if char.isdigit():
        return CODE_BY_NAME[char]
    return {" ": CODE_BY_NAME["SPACE"], ".": CODE_BY_NAME["PERIOD"], ",": CODE_BY_NAME["COMMA"],
            "-": CODE_BY_NAME["MINUS"], "@": CODE_BY_NAME["AT"], "/": CODE_BY_NAME["SLASH"]}.get(char, 0)
