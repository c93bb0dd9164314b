"""Linux userland of the Vega dev shell: ``id``, ``whoami``, ``uname``, ``hostname``, ``which``,
``logger``, ``systemctl`` and the ``journalctl`` refusal."""

from __future__ import annotations

from firebridge.virtual.shell.interpreter import CommandContext, command
from firebridge.virtual.shell.streams import read_lines
from firebridge.virtual.vega.journal import USER, facility_of, priority_of

# ASSUMPTION: `id` in the dev shell prints only the app_user identity (uid 5000 [POR][ARG-AG]); no
# capture shows the groups (settle by: `adb shell id` on a stick and on a VVD).
ID_LINE = "uid=5000(app_user) gid=5000(app_user) groups=5000(app_user)"
# ASSUMPTION: kernel 6.1 [POR]; the exact release string is unknown (settle by: `uname -a` on a device).
KERNEL = "6.1.25"


@command("id")
async def id_(ctx: CommandContext, args: list[str]) -> int:
    flags = "".join(a.lstrip("-") for a in args if a.startswith("-"))
    if "u" in flags or "g" in flags:
        await ctx.out(("app_user" if "n" in flags else "5000") + "\n")
    else:
        await ctx.out(ID_LINE + "\n")
    return 0


@command("whoami")
async def whoami(ctx: CommandContext, args: list[str]) -> int:
    await ctx.out("app_user\n")
    return 0


@command("hostname")
async def hostname(ctx: CommandContext, args: list[str]) -> int:
    await ctx.out(ctx.device.identity.hostname + "\n")
    return 0


@command("uname")
async def uname(ctx: CommandContext, args: list[str]) -> int:
    arch = "aarch64"  # the VVD image is aarch64 on Apple silicon [VVS]; sticks are ARM
    if "-a" in args:
        await ctx.out(f"Linux {ctx.device.identity.hostname} {KERNEL} #1 SMP PREEMPT {arch} GNU/Linux\n")
    elif "-r" in args:
        await ctx.out(KERNEL + "\n")
    elif "-m" in args:
        await ctx.out(arch + "\n")
    else:
        await ctx.out("Linux\n")
    return 0


@command("which")
async def which(ctx: CommandContext, args: list[str]) -> int:
    """Prints the path of each command found; nothing for a missing one, exit 1 if any is missing
    (daemon8 reads "non-empty output => Vega" from `which loggingctl` [D8])."""
    status = 0
    for name in (a for a in args if not a.startswith("-")):
        path = ctx.device.commands.path_of(name)
        if path is None:
            status = 1
        else:
            await ctx.out(path + "\n")
    return status


@command("logger")
async def logger(ctx: CommandContext, args: list[str]) -> int:
    """``logger [-t TAG] [-p FACILITY.LEVEL] [-i] [MESSAGE...]``: one journal line (stdin lines when no
    message). The tag defaults to the user name, as util-linux and BusyBox logger do; the journal shows
    the sender's pid (daemon8 probes the stream with `logger -t ... -p user.info <token>` [D8])."""
    await ctx.device.cost(ctx.device.timing.tool_call)  # it hands the line to journald
    tag, facility, priority = "app_user", USER, priority_of("notice")
    words = list(args)
    while words and words[0].startswith("-") and len(words[0]) > 1:
        flag = words.pop(0)
        if flag == "--":
            break
        if flag in ("-i", "-s"):
            continue
        if flag not in ("-t", "-p") or not words:
            return await ctx.fail(f"logger: invalid option -- '{flag.lstrip('-')[:1]}'")
        value = words.pop(0)
        if flag == "-t":
            tag = value
            continue
        fac, _, level = value.rpartition(".")
        try:
            facility = facility_of(fac) if fac else USER
            priority = priority_of(level)
        except ValueError:
            return await ctx.fail(f"logger: unknown priority name: {value}")
    messages = [" ".join(words)] if words else [line.decode(errors="replace").rstrip("\n")
                                               async for line in read_lines(ctx.stdin)]
    for message in messages:
        ctx.device.log.write(tag, message, ctx.shell.pid, priority, facility)
    return 0


@command("journalctl")
async def journalctl(ctx: CommandContext, args: list[str]) -> int:
    # Verbatim from a VVD dev shell (vda_shell_error_messages_vvd_sema-firetv.txt).
    # ASSUMPTION: exit status 1 (not recorded).
    await ctx.out("WARNING: journalctl is not supported in developer mode shell. Please use loggingctl instead.\n")
    return 1


@command("systemctl")
async def systemctl(ctx: CommandContext, args: list[str]) -> int:
    """Only ``systemctl restart systemd-journald`` does something: it applies ``loggingctl config``
    [D-LOG]. ASSUMPTION: other units restart silently (settle by: systemctl in a dev shell)."""
    if args[:1] == ["restart"] and "systemd-journald" in (a.removesuffix(".service") for a in args[1:]):
        ctx.device.log.restart()
    return 0

