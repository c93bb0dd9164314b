"""On-device screenshot tools and ``a11y-tv-util``, with the errors a real VVD dev shell printed
(Jeremiah-Sakuda/sema-firetv docs/vega/friction-candidates.md).

A stick takes screenshots with ``gwsi-tool-screenshooter /tmp/s.png`` then ``pull`` [APPV]; on the VVD
``screenshooter`` fails with the three lines below and ``gwsi-tool-screenshooter`` is unsupported
(it hung for over 120 s in sema-firetv's run) [SEMA][NOSTROBE].
"""

from __future__ import annotations

from firebridge.virtual.shell.interpreter import CommandContext, command
from firebridge.virtual.vega import toolkit

VVD_SCREENSHOOTER_ERRORS = ("creating a buffer file for 8294400 B failed: Permission denied\n"
                            "error marshalling arguments for shoot (signature oo): null value passed for arg 1\n"
                            "Error marshalling request: Invalid argument\n")


@command("gwsi-tool-screenshooter", "screenshooter")
async def screenshooter(ctx: CommandContext, args: list[str]) -> int:
    if ctx.device.vvd:
        # ASSUMPTION: both tools fail at once with the captured `screenshooter` lines and exit 1 (the
        # real gwsi tool hangs; a virtual hang would only stall tests) (settle by: exit status on a VVD).
        await ctx.err(VVD_SCREENSHOOTER_ERRORS)
        return 1
    if not args:
        return await ctx.fail("Usage: gwsi-tool-screenshooter <output.png>")
    await ctx.device.cost(ctx.device.timing.screenshot)
    try:
        ctx.device.fs.write_bytes(args[0], toolkit.screenshot(ctx.device, every_app=True))
    except OSError as exc:
        return await ctx.fail(f"{args[0]}: {exc.strerror}")
    return 0


@command("a11y-tv-util")
async def a11y_tv_util(ctx: CommandContext, args: list[str]) -> int:
    # ASSUMPTION: exit status 1 for both captured errors (not recorded).
    if args[:2] == ["settings", "list"]:
        await ctx.out("error obtaining user profile object\n")
        return 1
    if args[:2] == ["settings", "get"] and len(args) > 2:
        await ctx.out(f"ERROR: setting key [{args[2]}] not found or is unset\n")
        return 1
    return await ctx.fail("Usage: a11y-tv-util settings <list|get KEY>")
