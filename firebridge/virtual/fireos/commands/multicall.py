"""``toybox`` and ``toolbox``, the multi-call binaries behind the shell's small commands.

Fire OS 5 (Android 5.1) has only toolbox; toybox arrived with Android 6 (AOSP ``external/toybox`` joined the
platform in marshmallow; lollipop-mr1 ``system/core/toolbox`` is the whole tool set), so ``toybox`` is not
found there. Both run the named applet as the shell would; called without one, toybox lists its applets.
"""

from __future__ import annotations

from firebridge.virtual.shell.interpreter import CommandContext, command

SHELL_NAME = "/system/bin/sh"
NOT_FOUND = 127


async def _run_applet(ctx: CommandContext, tool: str, args: list[str]) -> int:
    function = ctx.device.commands.lookup(args[0])
    if function is None or args[0] in ("toybox", "toolbox"):
        # ASSUMPTION: the wording and status of an unknown applet are from memory of toybox main.c and
        # lollipop toolbox.c (settle by: `toybox nosuch; echo $?` and `toolbox nosuch; echo $?` on a stick).
        if tool == "toybox":
            return await ctx.fail(f"toybox: Unknown command {args[0]}", 1)
        return await ctx.fail(f"{args[0]}: no such tool", 255)
    return await function(ctx, args[1:])


@command("toybox")
async def toybox(ctx: CommandContext, args: list[str]) -> int:
    if not ctx.device.model.toybox:
        return await ctx.fail(f"{SHELL_NAME}: toybox: not found", NOT_FOUND)
    if not args:
        await ctx.out(" ".join(sorted(name for name in ctx.device.commands.names() if "/" not in name and name.isidentifier())) + "\n")
        return 0
    return await _run_applet(ctx, "toybox", args)


@command("toolbox")
async def toolbox(ctx: CommandContext, args: list[str]) -> int:
    if not args:
        await ctx.out("Toolbox!\n")  # lollipop toolbox.c, called without a tool
        return 0
    return await _run_applet(ctx, "toolbox", args)
