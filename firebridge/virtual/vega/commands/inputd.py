"""``inputd-cli`` (key injection) and ``vsm developer-mode`` (the switch it depends on).

Outputs from real devices:
- ``button_press KEY_UP`` -> ``Injecting Button Press As Driver: KEY_UP State: short`` (stick, dev mode)
- ``series button_hold KEY_BACK`` -> ``... KEY_BACK State: down``; quoted series forms are rejected with
  ``Cmd: ...`` / ``Unrecognized command: ...`` (VVD)
- ``get_screen_size`` -> ``1920 x 1080`` (VVD, dev mode on)
- any command with developer mode off -> ``Error: No running instances of com.amazon.dev.shell.service found``
  (VVD; argent toggled ``vsm developer-mode`` to verify)
inputd-cli "exits 0 even on bad arguments" [ARG: vega-input.ts]; the virtual one exits 0 throughout.

Time (the device's timing profile, firebridge.virtual.vega.timing): each ``inputd-cli`` process costs
``tool_call``, each command line of an ``inputd-cli start`` session ``repl_command``, and a press returns
after its key's hold (``--holdDuration`` or the default short press).
"""

from __future__ import annotations

import re

from firebridge.virtual.shell.interpreter import CommandContext, command
from firebridge.virtual.shell.streams import read_lines

DEV_SHELL_DOWN = "Error: No running instances of com.amazon.dev.shell.service found"
SCREEN_SIZE = "1920 x 1080"
PRESS_STATES = ("short", "long", "superLong", "repeat")
_KEY = re.compile(r"KEY_[A-Z0-9_]+")


def _inject_line(key: str, state: str) -> str:
    return f"Injecting Button Press As Driver: {key} State: {state}\n"


async def _button(ctx: CommandContext, verb: str, words: list[str]) -> int:
    if not words or not _KEY.fullmatch(words[0]):
        # ASSUMPTION: wording paraphrased by kellner-dot's notes ("rejected with `invalid button value`")
        # (settle by: `inputd-cli button_press DPAD_UP` on a stick).
        await ctx.out(f"invalid button value: {words[0] if words else ''}\n")
        return 0
    key, rest = words[0], words[1:]
    hold_ms = None
    if verb == "button_hold":
        state = "down"
    elif rest[:1] == ["--holdDuration"] and len(rest) > 1 and rest[1].isdigit():
        # ASSUMPTION: a timed press reports State: short, like an untimed one (settle by: the output of
        # `inputd-cli button_press KEY_UP --holdDuration 2500`).
        state, hold_ms = "short", int(rest[1])
    elif rest and rest[0] in PRESS_STATES:
        state = rest[0]
    elif rest:
        await ctx.out(f"Unrecognized command: {' '.join([verb, *words])}\n")
        return 0
    else:
        state = "short"
    # ASSUMPTION: the confirmation line comes as the key goes down and inputd-cli returns once it is up
    # again (settle by: timing `inputd-cli button_press KEY_UP --holdDuration 2000` on a stick).
    await ctx.out(_inject_line(key, state))
    device = ctx.device
    await device.press_held(key, state, device.timing.hold_of(state, hold_ms))
    return 0


async def _run(ctx: CommandContext, words: list[str]) -> int:
    verb, rest = words[0], words[1:]
    if verb in ("button_press", "button_hold"):
        return await _button(ctx, verb, rest)
    if verb == "get_screen_size":
        await ctx.out(SCREEN_SIZE + "\n")
        return 0
    if verb == "send_text":
        for char in " ".join(rest):
            # ASSUMPTION: each character costs what a key in an `inputd-cli start` session does (settle by:
            # `time inputd-cli send_text` of 40 characters on a stick).
            await ctx.device.cost(ctx.device.timing.repl_command)
            ctx.device.press(f"TEXT:{char}")
        return 0
    if verb in ("touch", "swipe", "button_release"):
        return 0  # ASSUMPTION: silent (settle by: running them on a device)
    if verb == "get_mic_state":
        await ctx.out("0\n")  # ASSUMPTION: output shape unknown
        return 0
    if verb == "get_camera_cover_open_close":
        await ctx.out("0\n")  # ASSUMPTION: output shape unknown
        return 0
    if verb == "series":
        return await _series(ctx, rest)
    await ctx.out(f"Unrecognized command: {' '.join(words)}\n")
    return 0


async def _series(ctx: CommandContext, words: list[str]) -> int:
    """Only the unquoted form works on the VVD (sema-firetv friction #14)."""
    if len(words) == 1 and " " in words[0]:
        items = [item.strip() for item in words[0].split(",")]
        if len(items) > 1:
            # ASSUMPTION: reproduces the capture literally: the last item is echoed and rejected.
            await ctx.out(f"Cmd: {items[-1]}\n")
        await ctx.out(f"Unrecognized command: {items[-1]}\n")
        return 0
    return await _run(ctx, words) if words else 0


@command("inputd-cli")
async def inputd_cli(ctx: CommandContext, args: list[str]) -> int:
    await ctx.device.cost(ctx.device.timing.tool_call)
    if not ctx.device.developer_mode:
        await ctx.out(DEV_SHELL_DOWN + "\n")
        return 0
    if not args:
        await ctx.out("Usage: inputd-cli <command> [args]\n")
        return 0
    if args[0] == "start":
        # The interactive console: one command per line until end of input [ARG-AG].
        async for line in read_lines(ctx.stdin):
            words = line.decode(errors="replace").split()
            if words:
                await ctx.device.cost(ctx.device.timing.repl_command)
                await _run(ctx, [w.replace("holdDuration", "--holdDuration") if w == "holdDuration" else w
                                 for w in words])
        return 0
    return await _run(ctx, args)


@command("vsm")
async def vsm(ctx: CommandContext, args: list[str]) -> int:
    """``vsm developer-mode enable|disable`` [D-INP][ARG][MAE: VegaInput.kt].

    ASSUMPTION: both print nothing and exit 0; ``status`` prints enabled/disabled (settle by: running
    them in a VVD dev shell)."""
    await ctx.device.cost(ctx.device.timing.tool_call)
    if args[:1] != ["developer-mode"] or len(args) < 2:
        return await ctx.fail("Usage: vsm developer-mode <enable|disable|status>")
    action = args[1]
    if action == "enable":
        ctx.device.developer_mode = True
    elif action == "disable":
        ctx.device.developer_mode = False
    elif action == "status":
        await ctx.out(("enabled" if ctx.device.developer_mode else "disabled") + "\n")
    else:
        return await ctx.fail(f"vsm: unknown action '{action}'")
    return 0
