"""``bugreportz`` and ``bugreport``: the device's bug reports, as host tools (``adb bugreport``, Mobly) fetch them.

Sources (AOSP frameworks/native, as kept in CyanogenMod/LineageOS android_frameworks_native):

- cmds/bugreportz (Android 7.0+; absent on Fire OS 5 = Android 5.1, whose shell says ``not found``):
  ``-v`` prints the protocol version on stderr ("1.0" in 7.0, "1.1" from 7.1, which added ``-p``;
  a device capture shows ``bugreportz -v`` -> ``1.1`` and ``bugreportz --help`` ->
  ``bugreportz: invalid option -- -`` plus the usage); ``-h`` the usage; no argument makes a zipped
  report and prints ``OK:<path>`` (or ``FAIL:<reason>``) on stdout, nothing else; ``-p`` adds
  ``BEGIN:<path>`` at once and ``PROGRESS:<n>/<total>`` lines (readme.md, bugreportz.cpp write_line).
- cmds/dumpstate (dumpstate.rc ``dumpstatez ... -o /data/user_de/0/com.android.shell/files/bugreports/
  bugreport``; dumpstate.cpp): the zip is ``bugreport-<ro.build.id>-<date>.zip`` on Android 7 and
  ``bugreport-<ro.product.name>-<ro.build.id>-<date>.zip`` from Android 8 (Android 10+ write to
  ``/bugreports``, which dumpstate resolves to the same directory), date ``%Y-%m-%d-%H-%M-%S`` local
  time; it holds ``version.txt``, ``main_entry.txt`` (the name of the text entry) and the text report
  ``<base>-<date>.txt`` (bugreport-format.md). The text starts with dumpstate's header (print_header).
- cmds/bugreport: the flat text report on stdout; from Android 7 it first warns on stderr that flat
  reports are deprecated; later releases only print a longer warning (no report).

The zip is owned by the shell user in a directory the shell may write, so ``adb pull`` and ``rm`` work
as on a device (Mobly pulls the file, then ``adb shell rm`` s it).
"""

from __future__ import annotations

import io
import time
import zipfile

from firebridge.virtual.fireos.logbuffer import format_entry
from firebridge.virtual.fireos.system import BUGREPORT_DIR
from firebridge.virtual.shell.interpreter import CommandContext, command

_USAGE = ("usage: bugreportz [-h | -v]\n"
          "  -h: to display this help message\n"
          "  -p: display progress\n"
          "  -v: to display the version\n"
          "  or no arguments to generate a zipped bugreport\n")

_FLAT_WARNING = ("=============================================================================\n"
                 "WARNING: flat bugreports are deprecated, use adb bugreport <zip_file> instead\n"
                 "=============================================================================\n\n\n")

_FLAT_GONE = ("=============================================================================\n"
              "WARNING: Flat (text file, non-zipped) bugreports are deprecated.\n"
              "WARNING: Please generate zipped bugreports instead.\n"
              "WARNING: On the host use: adb bugreport filename.zip\n"
              "WARNING: On the device use: bugreportz\n"
              "WARNING: bugreportz will output the filename to use with adb pull.\n"
              "=============================================================================\n\n\n")

#: Android 11 (Fire OS 8): `bugreport` only warns.
#: ASSUMPTION: the warning-only bugreport.cpp shipped in Android 11 (R) (settle by: `adb shell bugreport`
#: on an AFTKM; an Android 10 device still streams the text).
_FLAT_GONE_FROM_SDK = 30


def bugreportz_version(sdk: int) -> str:
    """``bugreportz -v``: 1.0 in Android 7.0, 1.1 (``-p``) from 7.1.
    ASSUMPTION: still 1.1 on Android 9 and 11 (1.2, streaming with ``-s``, came later) (settle by:
    `bugreportz -v` on an AFTKA and an AFTKM)."""
    return "1.0" if sdk <= 24 else "1.1"


def format_version(sdk: int) -> str:
    """The zip's ``version.txt`` (and the header's "Bugreport format version"): dumpstate.h VERSION_CURRENT,
    "1.0" in Android 7, "2.0" later.
    ASSUMPTION: Fire OS 7/8 keep AOSP's "2.0" (settle by: version.txt of a bug report from an AFTKA)."""
    return "1.0" if sdk < 26 else "2.0"


def progress_total(sdk: int) -> int:
    """The ``PROGRESS:n/TOTAL`` maximum: dumpstate.h WEIGHT_TOTAL = 6500 in Android 7.
    ASSUMPTION: 5000 (Progress::kDefaultMax) from Android 8 (settle by: `bugreportz -p` on an AFTKA)."""
    return 6500 if sdk < 26 else 5000


def base_name(props: dict[str, str], sdk: int) -> str:
    """``bugreport-BUILD_ID`` (Android 7) or ``bugreport-PRODUCT-BUILD_ID`` (Android 8+), dumpstate.cpp."""
    build_id = props.get("ro.build.id", "UNKNOWN_BUILD")
    if sdk < 26:
        return f"bugreport-{build_id}"
    return f"bugreport-{props.get('ro.product.name', 'UNKNOWN_DEVICE')}-{build_id}"


def report_header(props: dict[str, str], sdk: int, kernel: str, now: float, dumpstate_pid: int) -> str:
    """dumpstate's print_header (lollipop dumpstate.c; nougat dumpstate.cpp adds the last two lines)."""
    date = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(now))
    lines = ["========================================================",
             f"== dumpstate: {date}",
             "========================================================",
             "",
             f"Build: {props.get('ro.build.display.id', '(unknown)')}",
             f"Build fingerprint: '{props.get('ro.build.fingerprint', '(unknown)')}'",
             f"Bootloader: {props.get('ro.bootloader', '(unknown)')}",
             f"Radio: {props.get('gsm.version.baseband', '(unknown)')}",
             f"Network: {props.get('gsm.operator.alpha', '(unknown)')}",
             # ASSUMPTION: /proc/version and /proc/cmdline as a Fire OS kernel prints them are not captured;
             # the kernel release is the model's (settle by: `cat /proc/version` on each model).
             f"Kernel: Linux version {kernel} (build@{props.get('ro.build.host', 'localhost')})",
             f"Command line: androidboot.hardware={props.get('ro.boot.hardware', '')} "
             f"androidboot.serialno={props.get('ro.boot.serialno', '')}"]
    if sdk >= 24:
        lines += [f"Bugreport format version: {format_version(sdk)}", f"Dumpstate info: id=1 pid={dumpstate_pid}"]
    return "\n".join(lines) + "\n\n"


def _section(title: str, body: str, sdk: int) -> str:
    """One ``------ TITLE ------`` section; Android 7+ closes each with its duration (dumpstate DurationReporter)."""
    text = f"------ {title} ------\n{body}"
    if not text.endswith("\n"):
        text += "\n"
    if sdk >= 24:
        name = title.split(" (")[0]
        text += f"------ 0.010s was the duration of '{name}' ------\n"
    return text


def report_text(ctx: CommandContext) -> str:
    """The flat text report of the device now: header, properties, the log and every dumpsys service.

    A real report has many more sections (kernel, memory, processes); these are the ones the model has.
    """
    device = ctx.device
    sdk = device.model.sdk
    props = device.properties
    now = device.clock.now()
    parts = [report_header(props, sdk, device.model.kernel, now, device.processes.pid_of("dumpstate"))]
    parts.append(_section("SYSTEM PROPERTIES", "".join(f"[{k}]: [{props[k]}]\n" for k in sorted(props)), sdk))
    log_format = "logcat -v threadtime -v printable -d *:v" if sdk >= 24 else "logcat -v threadtime -d *:v"
    parts.append(_section(f"SYSTEM LOG ({log_format})",
                          "".join(format_entry(e, "threadtime") + "\n" for e in device.log.since(0)), sdk))
    dumps = ["------ DUMPSYS (/system/bin/dumpsys) ------\n"]
    for name in sorted(device.dumpsys):
        try:
            body = device.dumpsys[name](ctx, [])
        except Exception as exc:  # one broken service must not lose the whole report (dumpsys goes on too)
            body = f"*** Error dumping service: {exc}\n"
        dumps.append("-------------------------------------------------------------------------------\n"
                     f"DUMP OF SERVICE {name}:\n{body}")
    parts.append("".join(dumps))
    parts.append("== dumpstate: done (id 1)\n" if sdk >= 24 else "== dumpstate: done\n")
    return "".join(parts)


def make_zip(entry_name: str, text: str, version: str, when: float) -> bytes:
    """The zipped report: version.txt, the text entry and main_entry.txt naming it (bugreport-format.md)."""
    stamp = time.localtime(when)[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in (("version.txt", version), (entry_name, text), ("main_entry.txt", entry_name)):
            archive.writestr(zipfile.ZipInfo(name, date_time=stamp), data, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


@command("bugreportz")
async def bugreportz(ctx: CommandContext, args: list[str]) -> int:
    """``bugreportz [-h | -p | -v]`` (Android 7+; the Fire OS personality leaves it out below SDK 24)."""
    sdk = ctx.device.model.sdk
    show_progress = False
    for arg in args:  # getopt("hpv"): options may be grouped; non-options are ignored
        if not arg.startswith("-") or arg == "-":
            continue
        for flag in arg[1:]:
            if flag == "h":
                await ctx.err(_USAGE)
                return 0
            if flag == "v":
                await ctx.err(bugreportz_version(sdk) + "\n")
                return 0
            if flag == "p" and sdk > 24:
                show_progress = True
            else:
                await ctx.err(f"bugreportz: invalid option -- {flag}\n" + _USAGE)
                return 1
    device = ctx.device
    now = device.clock.now()
    name = f"{base_name(device.properties, sdk)}-{time.strftime('%Y-%m-%d-%H-%M-%S', time.localtime(now))}"
    path = f"{BUGREPORT_DIR}/{name}.zip"
    total = progress_total(sdk)
    if show_progress:
        await ctx.out(f"BEGIN:{path}\n")
    text = report_text(ctx)
    steps = 4
    for step in range(1, steps + 1):  # dumpstate reports progress as its sections finish
        await device.hardware.cost(device.timing.bugreport / steps)
        if show_progress:
            await ctx.out(f"PROGRESS:{total * step // (steps + 1)}/{total}\n")
    data = make_zip(f"{name}.txt", text, format_version(sdk), now)
    try:
        device.fs.host_path(BUGREPORT_DIR).mkdir(parents=True, exist_ok=True)  # dumpstate's create_parent_dirs
        device.fs.write_bytes(path, data)
    except OSError as exc:
        await ctx.out(f"FAIL:could not create zip file: {exc.strerror}\n")
        return 0
    await ctx.out(f"OK:{path}\n")
    return 0


@command("bugreport")
async def bugreport(ctx: CommandContext, args: list[str]) -> int:
    """``bugreport``: the flat text report on stdout (what ``adb bugreport`` falls back to before Android 7)."""
    sdk = ctx.device.model.sdk
    if sdk >= _FLAT_GONE_FROM_SDK:
        await ctx.err(_FLAT_GONE)
        return 0
    if sdk >= 24:
        await ctx.err(_FLAT_WARNING)
    await ctx.device.hardware.cost(ctx.device.timing.bugreport)
    await ctx.out(report_text(ctx))
    return 0
