"""``wm`` and ``screencap``: the display as a shell sees it."""

from __future__ import annotations

from firebridge.virtual.shell.interpreter import CommandContext, command


@command("wm")
async def wm(ctx: CommandContext, args: list[str]) -> int:
    width, height = ctx.device.model.screen
    if args[:1] == ["size"]:
        await ctx.out(f"Physical size: {width}x{height}\n")
        return 0
    if args[:1] == ["density"]:
        await ctx.out(f"Physical density: {ctx.device.properties.get('ro.sf.lcd_density', '320')}\n")
        return 0
    return await ctx.fail("usage: wm [size|density]", 1)


@command("screencap")
async def screencap(ctx: CommandContext, args: list[str]) -> int:
    """``screencap [-hp] [-d display-id] [FILENAME]``: PNG with -p or a .png name, else raw RGBA."""
    png = False
    filename = None
    it = iter(args)
    for arg in it:
        if arg == "-h":
            await ctx.err("usage: screencap [-hp] [-d display-id] [FILENAME]\n"
                          "   -h: this message\n   -p: save the file as a png.\n"
                          "   -d: specify the physical display ID to capture (default: 0)\n"
                          "If FILENAME ends with .png it will be saved as a png.\n"
                          "If FILENAME is not given, the results will be printed to stdout.\n")
            return 0
        if arg == "-p":
            png = True
        elif arg == "-d":
            next(it, None)
        else:
            filename = arg
    if filename and filename.endswith(".png"):
        png = True
    await ctx.device.hardware.cost(ctx.device.timing.screencap)
    data = ctx.device.screen.capture(png)
    if filename:
        try:
            ctx.device.fs.write_bytes(filename, data)
        except OSError as exc:
            return await ctx.fail(f"Error opening file: {filename} ({exc.strerror})")
        return 0
    await ctx.out(data)
    return 0
