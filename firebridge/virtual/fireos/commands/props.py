"""getprop and setprop."""

from __future__ import annotations

from firebridge.virtual.shell.interpreter import CommandContext, command


@command("getprop")
async def getprop(ctx: CommandContext, args: list[str]) -> int:
    props = ctx.device.properties
    if not args:
        await ctx.out("".join(f"[{key}]: [{props[key]}]\n" for key in sorted(props)))
    else:
        default = args[1] if len(args) > 1 else ""
        await ctx.out(props.get(args[0], default) + "\n")
    return 0


@command("setprop")
async def setprop(ctx: CommandContext, args: list[str]) -> int:
    if len(args) != 2:
        return await ctx.fail("usage: setprop NAME VALUE")
    name, value = args
    props = ctx.device.properties
    # ro.* properties are write-once; a shell user may not change them once set.
    if name.startswith("ro.") and name in props:
        return await ctx.fail(f"setprop: failed to set property '{name}' to '{value}'")
    if len(value) > 91 and not name.startswith("ro."):  # PROP_VALUE_MAX = 92 including the NUL
        return await ctx.fail(f"setprop: failed to set property '{name}' to '{value}'")
    props[name] = value
    ctx.device.property_changed(name, value)
    return 0
