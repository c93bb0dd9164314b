"""``pm install``/``pm uninstall`` and ``cmd package install -S SIZE``/``uninstall`` (PackageManagerShellCommand).

``adb install`` talks to one of the two: on a device that advertises the ``cmd`` feature it streams the
APK into ``exec:cmd package 'install' -S SIZE``; otherwise (this virtual device) it pushes the file to
``/data/local/tmp/NAME.apk`` and runs ``pm 'install' '/data/local/tmp/NAME.apk'``, then removes it.
Both answer ``Success`` or ``Failure [CODE: message]`` (exit status 1).
"""

from __future__ import annotations

import zlib

from firebridge.virtual.fireos.installer import InstallFailure, install_apk, installed_apks, uninstall
from firebridge.virtual.shell.interpreter import CommandContext

# Options of makeInstallParams that take a value; the flag-only ones (-r -t -d -g -f -l -p --dont-kill ...)
# are accepted and, except -d, change nothing here.
_VALUE_OPTIONS = {"-i", "--user", "--install-location", "--originating-uri", "--referrer", "--abi", "-p",
                  "--pkg", "-S", "--force-uuid", "--install-reason"}


def _parse(args: list[str]) -> tuple[dict[str, str], list[str]]:
    options: dict[str, str] = {}
    rest: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        if arg in _VALUE_OPTIONS and index + 1 < len(args):
            options[arg] = args[index + 1]
            index += 2
            continue
        if arg.startswith("-") and len(arg) > 1:
            options[arg] = ""
        else:
            rest.append(arg)
        index += 1
    return options, rest


async def _answer(ctx: CommandContext, action) -> int:  # noqa: ANN001 - a zero-argument callable
    try:
        action()
    except InstallFailure as exc:
        await ctx.out(f"Failure [{exc}]\n")
        return 1
    await ctx.out("Success\n")
    return 0


async def run_install(ctx: CommandContext, args: list[str]) -> int:
    """``install [options] PATH`` or ``install [options] -S SIZE`` (the APK on stdin)."""
    options, rest = _parse(args)
    downgrade = "-d" in options
    if "-S" in options:
        try:
            size = int(options["-S"])
        except ValueError:
            return await ctx.fail(f"Error: java.lang.NumberFormatException: For input string: \"{options['-S']}\"")
        data = bytearray()
        while len(data) < size:
            chunk = await ctx.stdin.read(size - len(data))
            if not chunk:
                break
            data += chunk
        if len(data) < size:
            await ctx.out("Failure [INSTALL_FAILED_INVALID_APK: Failed to copy ... received less than -S]\n")
            return 1
        return await _answer(ctx, lambda: install_apk(ctx.device, bytes(data), downgrade))
    if not rest:
        await ctx.out("Error: must either specify a package size or an APK file\n")
        return 1
    path = rest[0]
    try:
        data = ctx.device.fs.read_bytes(ctx.device.fs.normalize(path))
    except OSError:
        # ShellCommand.openFileForSystem: the file is opened in the shell's context.
        await ctx.err(f"Error: Unable to open file: {path}\nConsider using a file under /data/local/tmp/\n")
        return 1
    return await _answer(ctx, lambda: install_apk(ctx.device, data, downgrade))


async def run_uninstall(ctx: CommandContext, args: list[str]) -> int:
    """``uninstall [-k] [--user N] PACKAGE``."""
    options, rest = _parse(args)
    if not rest:
        return await ctx.fail("Error: package name not specified")
    return await _answer(ctx, lambda: uninstall(ctx.device, rest[0], options.get("--user")))


def dumpsys_section(ctx: CommandContext, args: list[str]) -> str:
    """``dumpsys package PKG``: the identity lines of Android 9's package dump (PackageSetting), for
    packages installed from an APK file; other packages print only the header."""
    names = [arg for arg in args if not arg.startswith("-")]
    lines = ["Packages:"]
    for name in names[:1]:
        record = installed_apks(ctx.device).get(name)
        package = ctx.device.packages.get(name)
        if package is None:
            continue
        app = ctx.device.activities.app(name)
        lines.append(f"  Package [{name}] ({zlib.crc32(name.encode()) & 0xFFFFFFF:07x}):")
        if app is not None:
            lines.append(f"    userId={app.uid}")
        lines.append(f"    codePath={package.apk.rsplit('/', 1)[0]}")
        if record is not None:
            m = record.manifest
            lines.append(f"    versionCode={m.version_code} minSdk={m.min_sdk} targetSdk={m.target_sdk}")
            if m.version_name is not None:
                lines.append(f"    versionName={m.version_name}")
            stopped = getattr(app, "stopped", False)
            lines.append(f"    User 0: ceDataInode=0 installed=true hidden=false suspended=false stopped={str(stopped).lower()}"
                         " notLaunched=false enabled=0 instant=false virtual=false")
    return "\n".join(lines) + "\n"
