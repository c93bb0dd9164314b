"""``am`` (start, force-stop, broadcast), ``monkey -p PKG 1``, ``dumpsys``, ``uiautomator dump``."""

from __future__ import annotations

import asyncio
import time
from typing import Callable

from firebridge.virtual.fireos.activities import CATEGORY_LEANBACK_LAUNCHER, StartError
from firebridge.virtual.fireos.intents import (FLAG_INCLUDE_STOPPED_PACKAGES, FLAG_RECEIVER_FROM_SHELL, Intent, IntentSyntaxError,
                       apply_target, parse_command_args, parse_intent_args)
from firebridge.virtual.shell.interpreter import CommandContext, command
from firebridge.virtual.fireos.views import Node, to_uiautomator_xml
from firebridge.virtual.fireos.hardware import DREAM_PACKAGE

_EXCEPTION_TRACE = """An exception occurred while executing:
{message}
at android.content.Intent.parseCommandArgs(Intent.java:6819)
at com.android.server.am.ActivityManagerShellCommand.makeIntent(ActivityManagerShellCommand.java:305)
at com.android.server.am.ActivityManagerShellCommand.runStartActivity(ActivityManagerShellCommand.java:373)
at com.android.server.am.ActivityManagerShellCommand.onCommand(ActivityManagerShellCommand.java:160)
at android.os.ShellCommand.exec(ShellCommand.java:103)
"""


@command("am")
async def am(ctx: CommandContext, args: list[str]) -> int:
    if not args:
        return await ctx.fail("usage: am [start|force-stop|broadcast] ...")
    verb, rest = args[0], args[1:]
    if verb in ("start", "start-activity"):
        return await _start(ctx, rest)
    if verb == "force-stop":
        if not rest:
            return await ctx.fail("Error: no package specified")
        ctx.device.activities.force_stop(rest[-1])
        return 0
    if verb == "broadcast":
        return await _broadcast(ctx, rest)
    if verb == "get-current-user" and ctx.device.model.sdk >= 24:
        # Android 7+ ActivityManagerShellCommand runGetCurrentUser: the foreground user's id (Mobly's
        # AdbProxy.current_user_id asks this from SDK 24). A Fire TV has one user, the owner (0).
        await ctx.out("0\n")
        return 0
    return await ctx.fail(f"Unknown command: {verb}")


async def _start(ctx: CommandContext, args: list[str]) -> int:
    options = {"-W", "-S", "-D", "-N", "-R", "--user", "--display", "--windowingMode", "--activityType"}
    wait = stop_first = False
    filtered: list[str] = []
    it = iter(args)
    for arg in it:
        if arg in ("--user", "--display", "--windowingMode", "--activityType", "-R"):
            next(it, None)
        elif arg == "-W":
            wait = True
        elif arg == "-S":
            stop_first = True
        elif arg not in options:
            filtered.append(arg)
    try:
        intent, rest = parse_intent_args(filtered)
        if rest:
            apply_target(intent, rest[-1])
    except IntentSyntaxError as exc:
        await ctx.err(_EXCEPTION_TRACE.format(message=str(exc)) if str(exc).startswith("java.") else f"{exc}\n")
        return 255
    manager = ctx.device.activities
    if stop_first and intent.component_package:
        manager.force_stop(intent.component_package)
    await ctx.out(f"Starting: {intent.describe()}\n")
    started = time.monotonic()
    await ctx.device.hardware.cost(ctx.device.timing.am_start)
    try:
        manager.resolve(intent)
    except StartError as exc:
        await ctx.err(f"{exc}\n")
        return 255
    if not wait and ctx.device.hardware.hold_start(lambda: _start_quietly(manager, intent), caller_uid=2000):
        return 0  # held after HOME: `am start` has returned, the activity comes up to 5 s later
    if wait and (hold := ctx.device.hardware.app_switch_hold()) > 0:
        ctx.device.system_log("W", "ActivityManager", "Activity start request from 2000 stopped")
        await ctx.device.hardware.cost(hold)
    try:
        activity = manager.start(intent)
    except StartError as exc:
        await ctx.err(f"{exc}\n")
        return 255
    if wait:
        elapsed = int((time.monotonic() - started) * 1000) + 312
        await ctx.out(f"Status: ok\nActivity: {activity.component}\nThisTime: {elapsed}\n"
                      f"TotalTime: {elapsed}\nWaitTime: {elapsed + 9}\nComplete\n")
    return 0


def _start_quietly(manager, intent: Intent) -> None:
    """A start released after the app-switch time: nobody is waiting for its outcome any more."""
    try:
        manager.start(intent)
    except StartError:
        pass


# ActivityManagerShellCommand.makeIntent's own options that `am broadcast` accepts, and their values.
_BROADCAST_OPTIONS = {"--user": 1, "--receiver-permission": 1}


async def _broadcast(ctx: CommandContext, args: list[str]) -> int:
    """``am broadcast``: an ordered broadcast (runSendBroadcast, Android 9).

    Receivers run in turn; each may set the result code and data (a receiver returns an int, a
    ``(code, data)`` tuple, or None to leave the result as it is). ``am`` then prints
    ``Broadcast completed: result=N`` plus ``, data="..."`` when data was set (IntentReceiver.
    performReceive); with no receiver the result stays 0. A package in the stopped state (an app
    never launched since install, or force-stopped) gets the broadcast only with
    ``--include-stopped-packages`` (Android adds FLAG_EXCLUDE_STOPPED_PACKAGES otherwise), and
    receiving it takes the package out of that state (BroadcastQueue.processNextBroadcast).
    """
    try:
        intent, _options = parse_command_args(args, _BROADCAST_OPTIONS)
    except IntentSyntaxError as exc:
        # ASSUMPTION: frame line numbers after parseCommandArgs are Fire OS's for `am start` (sample);
        # runSendBroadcast's own line number is not known.
        trace = _EXCEPTION_TRACE.format(message=str(exc)).replace(
            "runStartActivity(ActivityManagerShellCommand.java:373)",
            "runSendBroadcast(ActivityManagerShellCommand.java:613)")
        await ctx.err(trace)
        return 255
    intent.flags |= FLAG_RECEIVER_FROM_SHELL
    await ctx.out(f"Broadcasting: {intent.describe()}\n")
    code, data = 0, None
    package, cls = intent.component_package, intent.component_class
    for app in list(ctx.device.activities.apps.values()):
        if package and app.package != package:
            continue
        if getattr(app, "stopped", False) and not intent.flags & FLAG_INCLUDE_STOPPED_PACKAGES:
            continue
        for name, receiver in list(app.receivers.items()):
            if cls is not None and app.package + name != cls and name != cls:
                continue
            if cls is None and intent.action != name:
                continue
            ctx.device.activities.ensure_process(app, f"broadcast {app.package}/{name}")
            if getattr(app, "stopped", False):
                app.stopped = False  # type: ignore[attr-defined]
            outcome = receiver(intent)
            if isinstance(outcome, tuple):
                code, data = outcome
            elif outcome is not None:
                code = outcome
    line = f"Broadcast completed: result={code}" + (f', data="{data}"' if data is not None else "")
    await ctx.out(line + "\n")
    return 0


@command("monkey")
async def monkey(ctx: CommandContext, args: list[str]) -> int:
    """``monkey -p PKG -c CATEGORY 1``: the usual way to launch an app's launcher activity."""
    package = args[args.index("-p") + 1] if "-p" in args and args.index("-p") + 1 < len(args) else None
    if package is None:
        return await ctx.fail("** Error: monkey here only supports: monkey -p PACKAGE [-c CATEGORY] 1")
    app = ctx.device.activities.app(package)
    if app is None or app.launch_activity is None:
        await ctx.out("** No activities found to run, monkey aborted.\n")
        return 252
    await ctx.out(f"  bash arg: -p\n  bash arg: {package}\n")
    intent = Intent(action="android.intent.action.MAIN", categories=[CATEGORY_LEANBACK_LAUNCHER],
                    component=f"{package}/{app.launch_activity}", flags=0x10200000)
    ctx.device.activities.start(intent)
    await ctx.out("Events injected: 1\n## Network stats: elapsed time=24ms (0ms mobile, 0ms wifi, 24ms not connected)\n")
    return 0


DumpsysSection = Callable[[CommandContext, list[str]], str]


def window_section(ctx: CommandContext, args: list[str]) -> str:
    return ctx.device.activities.dump_window()


def activity_section(ctx: CommandContext, args: list[str]) -> str:
    return ctx.device.activities.dump_activities()


@command("dumpsys")
async def dumpsys(ctx: CommandContext, args: list[str]) -> int:
    if not args:
        await ctx.out("Currently running services:\n" + "".join(f"  {name}\n" for name in sorted(ctx.device.dumpsys)))
        return 0
    section = ctx.device.dumpsys.get(args[0])
    if section is None:
        await ctx.out(f"Can't find service: {args[0]}\n")
        return 0
    await ctx.out(section(ctx, args[1:]))
    return 0


def dream_view() -> Node:
    """The screensaver's window: a full-screen photo, nothing focusable.
    ASSUMPTION: no dump of the Fire TV screensaver was found (settle by: `uiautomator dump` while it runs)."""
    return Node(cls="android.widget.FrameLayout", bounds=(0, 0, 1920, 1080)).add(
        Node(cls="android.widget.ImageView", bounds=(0, 0, 1920, 1080), resource_id=DREAM_PACKAGE + ":id/photo"))


_IDLE_TIMEOUT = 10.0  # device seconds uiautomator waits for the UI to go idle


@command("uiautomator")
async def uiautomator(ctx: CommandContext, args: list[str]) -> int:
    if not args or args[0] != "dump":
        await ctx.err("Usage: uiautomator <subcommand> [options]\n\nAvailable subcommands:\n\n"
                      "help: displays help message\n\nruntest: executes UI automation tests\n\n"
                      "dump: creates an XML dump of current UI hierarchy\n\nevents: prints out accessibility events until terminated\n")
        return 1
    paths = [a for a in args[1:] if not a.startswith("--")]
    path = paths[0] if paths else "/sdcard/window_dump.xml"
    manager = ctx.device.activities
    hardware = ctx.device.hardware
    deadline = ctx.device.clock.now() + _IDLE_TIMEOUT
    while manager.top is not None and not manager.top.is_idle():
        if ctx.device.clock.now() >= deadline:
            await ctx.err("ERROR: could not get idle state.\n")
            return 0
        await asyncio.sleep(ctx.device.clock.real_seconds(0.1))
    has_root = await hardware.uiautomator_dump()
    top = manager.top
    if top is None or not has_root:
        await ctx.err("ERROR: null root node returned by UiTestAutomationBridge.\n")
        return 0
    if hardware.dreaming:  # the screensaver's window is what has focus (and what uiautomator sees)
        xml = to_uiautomator_xml(dream_view(), DREAM_PACKAGE)
    else:
        xml = to_uiautomator_xml(top.view(), top.app.package)
    if path == "/dev/tty":
        await ctx.out(xml)
    else:
        try:
            ctx.device.fs.write_bytes(path, xml.encode())
        except OSError as exc:
            return await ctx.fail(f"ERROR: could not write {path}: {exc.strerror}")
    await ctx.out(f"UI hierchary dumped to: {path}\n")
    return 0
