"""``logcat``: dump, clear, tail and stream the device log (AOSP logcat options and output)."""

from __future__ import annotations

import re
import time

from firebridge.virtual.fireos.logbuffer import FORMATS, LogEntry, TagFilter, format_entry
from firebridge.virtual.shell.interpreter import CommandContext, command

_DEFAULT_BUFFERS = ("main", "system", "crash")
_BATCH = 256  # lines per write while dumping


class _Options:
    def __init__(self) -> None:
        self.format = "threadtime"
        self.dump = False
        self.clear = False
        self.tail: int | None = None
        self.since: float | None = None
        self.buffers: list[str] = []
        self.silent_default = False
        self.specs: list[str] = []
        self.regex: re.Pattern[str] | None = None
        self.max_count: int | None = None
        self.pid: int | None = None


def _parse(args: list[str], now: float) -> _Options:
    """Parse logcat's arguments; raises ValueError with logcat's own wording."""
    opts = _Options()
    it = iter(args)

    def value(flag: str, attached: str) -> str:
        if attached:
            return attached
        try:
            return next(it)
        except StopIteration:
            raise ValueError(f"option requires an argument -- '{flag.lstrip('-')}'") from None

    for arg in it:
        if arg.startswith("--"):
            name, _, attached = arg.partition("=")
            if name == "--regex":
                opts.regex = re.compile(value(name, attached))
            elif name == "--max-count":
                opts.max_count = int(value(name, attached))
            elif name == "--pid":
                opts.pid = int(value(name, attached))
            elif name in ("--format",):
                opts.format = value(name, attached)
            elif name == "--clear":
                opts.clear = True
            elif name == "--buffer":
                opts.buffers.extend(value(name, attached).split(","))
            else:
                raise ValueError(f"unrecognized option '{arg}'")
        elif arg.startswith("-") and len(arg) > 1:
            flag, attached = arg[:2], arg[2:]
            if flag == "-v":
                opts.format = value(flag, attached)
            elif flag == "-d":
                opts.dump = True
            elif flag == "-c":
                opts.clear = True
            elif flag in ("-t", "-T"):
                when = value(flag, attached)
                if re.fullmatch(r"\d+", when):
                    opts.tail = int(when)
                else:
                    opts.since = _parse_time(when, now)
                opts.dump = opts.dump or flag == "-t"
            elif flag == "-b":
                opts.buffers.extend(value(flag, attached).split(","))
            elif flag == "-s":
                opts.silent_default = True
            elif flag == "-e":
                opts.regex = re.compile(value(flag, attached))
            elif flag == "-m":
                opts.max_count = int(value(flag, attached))
            elif flag in ("-D", "-B", "-S", "-g", "-G", "-n", "-r", "-f", "-L", "-P", "-p"):
                if flag in ("-G", "-n", "-r", "-f", "-P") and not attached:
                    next(it, None)
            else:
                raise ValueError(f"invalid option -- '{arg[1:2]}'")
        else:
            opts.specs.append(arg)
    if opts.format not in FORMATS and opts.format not in ("long", "color", "usec", "year", "epoch",
                                                            "uid", "zone", "printable", "monotonic"):
        raise ValueError(f"Invalid parameter \"{opts.format}\" to -v")
    if opts.format not in FORMATS:
        opts.format = "threadtime"  # modifiers only; keep the default layout
    return opts


def _parse_time(text: str, now: float) -> float:
    """``MM-DD hh:mm:ss.mmm`` (this year) or seconds since the epoch, as -t/-T accept."""
    try:
        return float(text)
    except ValueError:
        pass
    try:
        year = time.localtime(now).tm_year
        main, _, frac = text.partition(".")
        parsed = time.strptime(f"{year}-{main}", "%Y-%m-%d %H:%M:%S")
        return time.mktime(parsed) + (float("0." + frac) if frac else 0.0)
    except ValueError:
        raise ValueError(f"-t \"{text}\" not in time format") from None


@command("logcat")
async def logcat(ctx: CommandContext, args: list[str]) -> int:
    log = ctx.device.log
    try:
        opts = _parse(args, log.clock.now())
    except (ValueError, re.error) as exc:
        return await ctx.fail(f"logcat: {exc}")
    if opts.clear:
        log.clear()
        return 0
    tag_filter = TagFilter()
    if opts.silent_default:
        tag_filter.add("*:S")
    specs = opts.specs or ctx.env.get("ANDROID_LOG_TAGS", "").split()
    try:
        for spec in specs:
            tag_filter.add(spec)
    except ValueError as exc:
        return await ctx.fail(f"logcat: Invalid filter expression '{exc}'")
    buffers = opts.buffers or list(_DEFAULT_BUFFERS)
    if "all" in buffers:
        buffers = ["main", "system", "crash", "radio", "events"]
    show_markers = len(buffers) > 1
    printed_buffers: set[str] = set()
    printed = 0

    def wanted(entry: LogEntry) -> bool:
        return (entry.buffer in buffers and tag_filter.accepts(entry)
                and (opts.pid is None or entry.pid == opts.pid)
                and (opts.since is None or entry.time >= opts.since)
                and (opts.regex is None or bool(opts.regex.search(entry.message))))

    async def emit(entries: list[LogEntry]) -> bool:
        """Write entries; True once --max-count is reached."""
        nonlocal printed
        lines = []
        for entry in entries:
            if show_markers and entry.buffer not in printed_buffers:
                printed_buffers.add(entry.buffer)
                lines.append(f"--------- beginning of {entry.buffer}")
            lines.append(format_entry(entry, opts.format))
            printed += 1
            if opts.max_count is not None and printed >= opts.max_count:
                break
            if len(lines) >= _BATCH:
                await ctx.out("\n".join(lines) + "\n")
                lines = []
        if lines:
            await ctx.out("\n".join(lines) + "\n")
        return opts.max_count is not None and printed >= opts.max_count

    seq = log.last_seq
    backlog = [entry for entry in log.since(0) if wanted(entry)]
    if opts.tail is not None:
        backlog = backlog[-opts.tail:] if opts.tail else []
    if await emit(backlog) or opts.dump:
        return 0
    while True:  # stream until the client goes away (the stream's CLSE cancels this task)
        await log.wait_newer(seq)
        fresh = list(log.since(seq))
        seq = fresh[-1].seq if fresh else log.last_seq
        if await emit([entry for entry in fresh if wanted(entry)]):
            return 0
