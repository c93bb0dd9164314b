"""``cmd SERVICE ARGS...`` (Android 7.0+): the binder shell command of a system service.

Only the services whose shell commands the device model already implements are reachable; each
answers exactly as its ``pm``/``am``/``settings``/``wm`` front end (on Android those scripts are
themselves thin wrappers over ``cmd package``, ``cmd activity``, ``cmd settings``, ``cmd window``).
Source: AOSP frameworks/native/cmds/cmd/cmd.cpp.
"""

from __future__ import annotations

from firebridge.virtual.shell.interpreter import CommandContext, command

#: cmd service name -> the device command implementing its shell command.
SERVICES = {"package": "pm", "activity": "am", "settings": "settings", "window": "wm", "input": "input"}


@command("cmd")
async def cmd(ctx: CommandContext, args: list[str]) -> int:
    if ctx.device.model.sdk < 24:  # Android 7.0 brought cmd; Fire OS 5 has none
        return await ctx.fail("/system/bin/sh: cmd: not found", 127)
    if not args:
        return await ctx.fail("cmd: No service specified; use -l to list all services", 20)
    if args[0] == "-l":
        await ctx.out("Currently running services:\n" + "".join(f"  {name}\n" for name in sorted(SERVICES)))
        return 0
    front_end = ctx.device.commands.lookup(SERVICES.get(args[0], "")) if args[0] in SERVICES else None
    if front_end is None:
        # cmd.cpp: "Can't find service: %s" and exit 20.
        return await ctx.fail(f"cmd: Can't find service: {args[0]}", 20)
    return await front_end(ctx, args[1:])
