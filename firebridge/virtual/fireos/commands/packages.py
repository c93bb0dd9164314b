"""``pm list packages|features``, ``pm path`` (PackageManagerShellCommand output formats);
``pm install``/``uninstall`` live in :mod:`package_install`."""

from __future__ import annotations

from firebridge.virtual.fireos.commands import package_install
from firebridge.virtual.shell.interpreter import CommandContext, command


@command("pm")
async def pm(ctx: CommandContext, args: list[str]) -> int:
    if args[:1] == ["install"]:
        return await package_install.run_install(ctx, args[1:])
    if args[:1] == ["uninstall"]:
        return await package_install.run_uninstall(ctx, args[1:])
    if len(args) >= 2 and args[0] == "list" and args[1] == "packages":
        return await _list_packages(ctx, args[2:])
    if len(args) >= 2 and args[0] == "list" and args[1] == "features":
        await ctx.out(ctx.device.model.pm_list_features())
        return 0
    if len(args) == 2 and args[0] == "path":
        package = ctx.device.packages.get(args[1])
        if package is None:
            return 1  # silent failure, as on Android 9
        await ctx.out(f"package:{package.apk}\n")
        return 0
    if args[:1] == ["list"]:
        return await ctx.fail(f"Error: unknown list type '{args[1] if len(args) > 1 else ''}'")
    return await ctx.fail("Error: unknown command" + (f" '{args[0]}'" if args else "")
                          if args else "usage: pm path|list ...")


async def _list_packages(ctx: CommandContext, args: list[str]) -> int:
    flags = {a for a in args if a.startswith("-")}
    needle = next((a for a in args if not a.startswith("-")), "")
    lines = []
    for name in sorted(ctx.device.packages):
        package = ctx.device.packages[name]
        if needle and needle not in name:
            continue
        if ("-3" in flags and package.system) or ("-s" in flags and not package.system):
            continue
        lines.append(f"package:{package.apk}={name}" if "-f" in flags else f"package:{name}")
    await ctx.out("".join(line + "\n" for line in lines))
    return 0
