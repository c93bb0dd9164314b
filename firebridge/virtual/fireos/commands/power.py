"""``dumpsys power``: the power manager's state (bench health checks read whether the screen is awake).

Real Fire TVs print ``mWakefulness=Awake`` / ``mWakefulness=Asleep`` here: a Fire TV Stick does in
dwaan/homebridge-adb issue 103 (``adb shell dumpsys power | grep mWakefulness``), and python-androidtv's
Fire TV class reads ``mWakefulness``, ``Display Power: state=ON`` and ``Wake Locks: size=N`` from this
dump (androidtv/constants.py: CMD_AWAKE, CMD_SCREEN_ON, CMD_WAKE_LOCK_SIZE). The line order and names
follow AOSP PowerManagerService.dumpInternal (Android 7-11), as in the Android capture at
blog.csdn.net/yush34/article/details/104040075; only a subset of the lines is printed.

While the screensaver runs the device is ``Dreaming`` (AOSP PowerManagerInternal.wakefulnessToString:
Asleep, Awake, Dreaming, Dozing; the Fire TV screensaver is a dream, see hardware.py) and the display stays
on, which is how python-androidtv tells "standby" from "off". ASSUMPTION: the virtual Fire TV never goes
to sleep (no sleep timer is modelled), so it is never ``Asleep`` (settle by: `dumpsys power` on a stick
left alone past its sleep timeout). A Fire TV runs on mains power: ``mIsPowered=true``, AC plug type 1.
"""

from __future__ import annotations

from firebridge.virtual.shell.interpreter import CommandContext, command


def format_power(wakefulness: str = "Awake", display_on: bool = True, wake_locks: int = 0) -> str:
    """The dump for a device in the given state (pure)."""
    return "\n".join([
        "POWER MANAGER (dumpsys power)",
        "",
        "Power Manager State:",
        "  mDirty=0x0",
        f"  mWakefulness={wakefulness}",
        "  mWakefulnessChanging=false",
        "  mIsPowered=true",
        "  mPlugType=1",
        "  mBatteryLevel=100",
        "  mBatteryLevelWhenDreamStarted=0",
        "  mDockState=0",
        "  mStayOn=false",
        "  mProximityPositive=false",
        "  mBootCompleted=true",
        "  mSystemReady=true",
        "  mHalAutoSuspendModeEnabled=false",
        "  mHalInteractiveModeEnabled=true",
        f"  mWakeLockSummary=0x{0x1 if wake_locks else 0:x}",
        "  mUserActivitySummary=0x1",
        "  mRequestWaitForNegativeProximity=false",
        "  mSandmanScheduled=false",
        "  mSandmanSummoned=false",
        "",
        f"Wake Locks: size={wake_locks}",
        "",
        "Suspend Blockers: size=4",
        "  PowerManagerService.WakeLocks: ref count=0",
        "  PowerManagerService.Display: ref count=1",
        "  PowerManagerService.Broadcasts: ref count=0",
        "  PowerManagerService.WirelessChargerDetector: ref count=0",
        "",
        f"Display Power: state={'ON' if display_on else 'OFF'}",
        "",
    ])


def dumpsys_section(ctx: CommandContext, args: list[str]) -> str:
    """``dumpsys power``: Awake, or Dreaming while the screensaver runs."""
    return format_power("Dreaming" if ctx.device.hardware.dreaming else "Awake")



@command("reboot")
async def reboot(ctx: CommandContext, args: list[str]) -> int:
    """``reboot``: the device goes away and comes back with a new boot. The adb shell user may do this on
    Android: AOSP's shell.te lets the shell domain set ``sys.powerctl`` (what toybox reboot writes), and
    Fire TV guides use ``adb shell reboot``. The connection drops before any output."""
    request = getattr(ctx.device, "request_reboot", None)
    if request is None:  # a device without a host that can restart it (the shell's own tests)
        return await ctx.fail("reboot: Operation not permitted")
    request()
    return 0
