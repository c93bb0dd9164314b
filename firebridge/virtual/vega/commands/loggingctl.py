"""``loggingctl``: Vega's log tool (journald memory), replacing logcat [D-LOG].

``loggingctl log [-f] [-o short_precise|short|cat] [-v PKG] [-p PRIORITY] [--facility F] [-n N]``
and ``loggingctl config --set-level PROC LEVEL | --get-level PROC | --mute PROC | --set-rate PROC N``
(applied by ``systemctl restart systemd-journald``). Bad arguments get clap's error line, as a real
VVD printed for ``loggingctl log -S "-5min"``: ``error: unexpected argument '-5' found``.

ASSUMPTIONS (settle by: ``loggingctl log --help`` and runs on a stick):
- without ``-o`` the format is journalctl's ``short``; ``-f`` first prints the last 10 lines, as
  ``journalctl -f`` does; without ``-f`` the whole current boot is printed;
- a stick prints ``[facility.severity]`` before the process, the VVD does not (daemon8's two line
  shapes [D8]);
- lines from apps installed after the session started are not shown ("restart the loggingctl session
  after installing an app" [D-LOG]).
"""

from __future__ import annotations

from firebridge.virtual.shell.interpreter import CommandContext, command
from firebridge.virtual.vega.journal import FORMATS, PRIORITIES, JournalEntry, facility_of, format_entry, priority_of

FOLLOW_BACKLOG = 10
HELP = """Logging CTL

Usage: loggingctl <COMMAND>

Commands:
  config  Config commands - edit logging system priority and rate limits
  log     Log viewing commands - query runtime logs generated on device
  vault   Vault commands - query logging and crash data archived on device
  test    Test commands - commands used for system testing. Internal use only
  help    Print this message or the help of the given subcommand(s)

Options:
  -h, --help     Print help
  -V, --version  Print version
"""
_USAGE = "\nUsage: loggingctl {sub} [OPTIONS]\n\nFor more information, try '--help'.\n"


async def _clap_error(ctx: CommandContext, sub: str, message: str) -> int:
    await ctx.err(f"error: {message}\n{_USAGE.format(sub=sub)}")
    return 2


@command("loggingctl")
async def loggingctl(ctx: CommandContext, args: list[str]) -> int:
    await ctx.device.cost(ctx.device.timing.tool_call)
    if not args or args[0] in ("-h", "--help", "help"):
        # Amazon's docs show this text for a bare `loggingctl` (tests/samples/vega_cli_outputs.txt).
        # ASSUMPTION: clap prints it on stderr with status 2 when the subcommand is missing, on stdout
        # with 0 for --help (settle by: `adb shell loggingctl; echo $?`).
        if args:
            await ctx.out(HELP)
            return 0
        await ctx.err(HELP)
        return 2
    sub, rest = args[0], args[1:]
    if sub == "log":
        return await _log(ctx, rest)
    if sub == "config":
        return await _config(ctx, rest)
    if sub in ("vault", "test"):
        # ASSUMPTION: nothing stored from earlier boots on a fresh virtual device.
        return 0
    return await _clap_error(ctx, "<COMMAND>", f"unrecognized subcommand '{sub}'")


async def _log(ctx: CommandContext, args: list[str]) -> int:
    follow, fmt, package, max_priority, facility, lines = False, "short", None, 7, None, None
    words = list(args)
    takes_value = {"-o", "--output-format", "-v", "--vpkg", "-p", "--priority", "--facility", "-n", "--lines",
                   "-S", "--since", "-U", "--until", "--boot", "-b"}
    while words:
        word = words.pop(0)
        if word in ("-f", "--follow"):
            follow = True
            continue
        name, eq, inline = word.partition("=") if word.startswith("--") else (word, "", "")
        if name not in takes_value:
            return await _clap_error(ctx, "log", f"unexpected argument '{word}' found")
        if eq:
            value = inline
        elif words and not (words[0].startswith("-") and len(words[0]) > 1):
            value = words.pop(0)
        elif words:
            return await _clap_error(ctx, "log", f"unexpected argument '{words[0][:2]}' found")
        else:
            return await _clap_error(ctx, "log", f"a value is required for '{name} <VALUE>' but none was supplied")
        try:
            if name in ("-o", "--output-format"):
                if value not in FORMATS:
                    return await _clap_error(ctx, "log", f"invalid value '{value}' for '--output-format <FORMAT>'")
                fmt = FORMATS[value]
            elif name in ("-v", "--vpkg"):
                package = value
            elif name in ("-p", "--priority"):
                max_priority = priority_of(value)
            elif name == "--facility":
                facility = facility_of(value)
            elif name in ("-n", "--lines"):
                lines = int(value)
            # --since/--until/--boot: accepted; the virtual journal holds only the current boot.
        except ValueError:
            return await _clap_error(ctx, "log", f"invalid value '{value}' for '{name}'")

    device = ctx.device
    known_at_start = set(device.packages)
    show_facility = not device.vvd
    hostname = device.identity.hostname

    def wanted(entry: JournalEntry) -> bool:
        if entry.priority > max_priority or (facility is not None and entry.facility != facility):
            return False
        if package is not None and entry.ident != package:
            return False
        return not (entry.ident in device.packages and entry.ident not in known_at_start)

    journal = device.log
    backlog = [e for e in journal.entries() if wanted(e)]
    keep = (FOLLOW_BACKLOG if lines is None else lines) if follow else lines
    if keep is not None:
        backlog = backlog[-keep:] if keep > 0 else []
    seq = journal.last_seq
    if backlog:
        await ctx.out("".join(format_entry(e, hostname, fmt, show_facility) + "\n" for e in backlog))
    if not follow:
        return 0
    while True:
        await journal.wait_newer(seq)
        fresh = [e for e in journal.since(seq) if wanted(e)]
        seq = journal.last_seq
        if fresh:
            await ctx.out("".join(format_entry(e, hostname, fmt, show_facility) + "\n" for e in fresh))


async def _config(ctx: CommandContext, args: list[str]) -> int:
    journal = ctx.device.log
    if len(args) >= 3 and args[0] == "--set-level":
        try:
            journal.pending.level[args[1]] = priority_of(args[2])
        except ValueError:
            return await _clap_error(ctx, "config", f"invalid value '{args[2]}' for '--set-level'")
        return 0
    if len(args) >= 3 and args[0] == "--set-rate" and args[2].isdigit():
        journal.pending.rate[args[1]] = int(args[2])
        return 0
    if len(args) >= 2 and args[0] == "--get-level":
        await ctx.out(PRIORITIES[journal.level_of(args[1])] + "\n")
        return 0
    if len(args) >= 2 and args[0] == "--mute":
        journal.pending.muted.add(args[1])
        return 0
    return await _clap_error(ctx, "config", f"unexpected argument '{args[0] if args else ''}' found")
