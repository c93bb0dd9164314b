"""Shell utilities a Fire TV's toybox/mksh provides: echo, true, false, id, sleep, seq, grep, sh, ..."""

from __future__ import annotations

import asyncio
import re
import time

from firebridge.virtual.shell.interpreter import CommandContext, Shell, command
from firebridge.virtual.shell.streams import BytesSource, read_lines

_ID = ("uid=2000(shell) gid=2000(shell) groups=2000(shell),1004(input),1007(log),1011(adb),"
       "1015(sdcard_rw),1028(sdcard_r),3001(net_bt_admin),3002(net_bt),3003(inet),3006(net_bw_stats),"
       "3009(readproc),3011(uhid) context=u:r:shell:s0")

_ESCAPES = {"n": "\n", "t": "\t", "\\": "\\", "a": "\a", "b": "\b", "r": "\r", "v": "\v", "f": "\f"}


@command("echo")
async def echo(ctx: CommandContext, args: list[str]) -> int:
    newline, escapes = True, False
    while args and args[0] in ("-n", "-e", "-E", "-ne", "-en"):
        flag = args.pop(0)
        newline = newline and "n" not in flag
        escapes = "e" in flag
    text = " ".join(args)
    if escapes:
        text = re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), "\\" + m.group(1)), text)
    await ctx.out(text + ("\n" if newline else ""))
    return 0


@command("true")
async def true(ctx: CommandContext, args: list[str]) -> int:
    return 0


@command("false")
async def false(ctx: CommandContext, args: list[str]) -> int:
    return 1


@command("id")
async def id_(ctx: CommandContext, args: list[str]) -> int:
    """toybox ``id [-nGgruZ]``: the shell user's ids (and names with -n)."""
    flags = set("".join(a[1:] for a in args if a.startswith("-")))
    if not flags - {"n", "r"}:
        await ctx.out(_ID + "\n")
        return 0
    groups = re.findall(r"(\d+)\((\w+)\)", _ID.split("groups=")[1])
    if "Z" in flags:
        text = _ID.rpartition("context=")[2]
    elif "G" in flags:
        text = " ".join(name if "n" in flags else gid for gid, name in groups)
    else:  # -u or -g: the shell's uid and gid are both 2000(shell)
        text = "shell" if "n" in flags else "2000"
    await ctx.out(text + "\n")
    return 0


@command("whoami")
async def whoami(ctx: CommandContext, args: list[str]) -> int:
    await ctx.out("shell\n")
    return 0


@command("uname")
async def uname(ctx: CommandContext, args: list[str]) -> int:
    model = ctx.device.model
    if "-r" in args:
        await ctx.out(model.kernel + "\n")
    else:
        await ctx.out(f"Linux localhost {model.kernel} #1 SMP PREEMPT armv7l\n" if "-a" in args else "Linux\n")
    return 0


@command("sleep")
async def sleep(ctx: CommandContext, args: list[str]) -> int:
    try:
        seconds = float(args[0]) if args else 0.0
    except ValueError:
        return await ctx.fail(f"sleep: invalid number '{args[0]}'")
    await asyncio.sleep(seconds)
    return 0


@command("seq")
async def seq(ctx: CommandContext, args: list[str]) -> int:
    try:
        numbers = [int(a) for a in args]
    except ValueError:
        return await ctx.fail("seq: invalid number")
    first, step, last = {1: (1, 1, numbers[0] if numbers else 0), 2: (*numbers[:1], 1, *numbers[1:]),
                         3: tuple(numbers)}.get(len(numbers), (1, 1, 0))
    batch = []
    for value in range(first, last + (1 if step > 0 else -1), step):
        batch.append(f"{value}\n")
        if len(batch) >= 4096:
            await ctx.out("".join(batch))
            batch.clear()
    if batch:
        await ctx.out("".join(batch))
    return 0


@command("yes")
async def yes(ctx: CommandContext, args: list[str]) -> int:
    line = ((" ".join(args) or "y") + "\n") * 1024
    while True:
        await ctx.out(line)


@command("sh")
async def sh(ctx: CommandContext, args: list[str]) -> int:
    if len(args) >= 2 and args[0] == "-c":
        child = Shell(ctx.device, dict(ctx.env))
        return await child.run(args[1], ctx.stdin, ctx.stdout, ctx.stderr)
    return await ctx.fail("sh: only 'sh -c SCRIPT' is supported on this device", 2)


@command("grep")
async def grep(ctx: CommandContext, args: list[str]) -> int:
    """grep [-i] [-v] [-c] [-E] [-F] [-q] [-m N] [-e PATTERN] PATTERN [FILE...]"""
    flags: set[str] = set()
    patterns: list[str] = []
    max_count = None
    rest: list[str] = []
    it = iter(args)
    for arg in it:
        if arg == "-e":
            patterns.append(next(it, ""))
        elif arg == "-m":
            max_count = int(next(it, "0"))
        elif arg.startswith("-") and len(arg) > 1 and not rest:
            flags.update(arg[1:])
        else:
            rest.append(arg)
    if not patterns:
        if not rest:
            return await ctx.fail("usage: grep [-civEFq] [-m N] PATTERN [FILE...]", 2)
        patterns.append(rest.pop(0))
    regex_flags = re.IGNORECASE if "i" in flags else 0
    sources = [re.escape(p) if "F" in flags else _basic_to_extended(p, "E" in flags) for p in patterns]
    try:
        matcher = re.compile("|".join(f"(?:{s})" for s in sources), regex_flags)
    except re.error as exc:
        return await ctx.fail(f"grep: bad regex: {exc}", 2)
    invert = "v" in flags
    matched = 0

    async def scan(lines) -> bool:
        nonlocal matched
        async for raw in lines:
            line = raw.decode(errors="replace")
            if bool(matcher.search(line.rstrip("\n"))) != invert:
                matched += 1
                if "q" in flags:
                    return True
                if "c" not in flags:
                    await ctx.out(raw if raw.endswith(b"\n") else raw + b"\n")
                if max_count is not None and matched >= max_count:
                    return True
        return False

    if rest:
        for path in rest:
            try:
                data = ctx.device.fs.read_bytes(path)
            except OSError as exc:
                await ctx.err(f"grep: {path}: {exc.strerror}\n")
                continue
            if await scan(read_lines(BytesSource(data))):
                break
    else:
        await scan(read_lines(ctx.stdin))
    if "c" in flags:
        await ctx.out(f"{matched}\n")
    return 0 if matched else 1


def _basic_to_extended(pattern: str, extended: bool) -> str:
    """BRE to Python regex: in BRE, ``\\|`` ``\\(`` ``\\)`` ``\\+`` ``\\?`` are the operators."""
    if extended:
        return pattern
    out = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern) and pattern[i + 1] in "|()+?{}":
            out.append(pattern[i + 1])
            i += 2
            continue
        out.append("\\" + ch if ch in "|()+?{}" else ch)
        i += 1
    return "".join(out)


@command("log")
async def log_(ctx: CommandContext, args: list[str]) -> int:
    """``log [-p v|d|i|w|e] [-t TAG] MESSAGE...`` writes one line to the main log (tag "log" by default)."""
    priority, tag = "I", "log"
    words = list(args)
    while words and words[0] in ("-p", "-t"):
        flag = words.pop(0)
        if not words:
            return await ctx.fail(f"log: option requires an argument -- '{flag[1]}'")
        value = words.pop(0)
        if flag == "-p":
            priority = value[:1].upper()
            if priority not in "VDIWEF":
                return await ctx.fail(f"log: unknown priority '{value}'")
        else:
            tag = value
    ctx.device.log.write(priority, tag, " ".join(words), pid=ctx.shell.pid)
    return 0


_DATE_FORMAT = "%a %b %e %H:%M:%S %Z %Y"  # toybox date.c's default


def format_date(epoch: float, fmt: str, utc: bool = False) -> str:
    """toybox ``date +FORMAT`` (strftime plus ``%N``, ``%3N``, ``%:z``; ``%s`` from ``epoch``)."""
    moment = time.gmtime(epoch) if utc else time.localtime(epoch)
    nanos = f"{int(round((epoch % 1) * 1e9)) % 1_000_000_000:09d}"

    def special(match: re.Match[str]) -> str:
        code = match.group(1)
        if code == "%":
            return "%%"
        if code == "s":
            return str(int(epoch))
        if code.endswith("N"):
            return nanos[:int(code[0])] if code[0].isdigit() else nanos
        if code == ":z":
            offset = time.strftime("%z", moment)
            return f"{offset[:3]}:{offset[3:]}"
        if code == "Z" and utc:
            return "UTC"
        return "%" + code

    return time.strftime(re.sub(r"%(%|s|\dN|N|:z|Z)", special, fmt), moment)


@command("date")
async def date(ctx: CommandContext, args: list[str]) -> int:
    """``date [-u] [+FORMAT]``: the device clock's time. Setting the clock is refused, as for the
    shell user (toybox prints ``date: cannot set date: Operation not permitted``)."""
    fmt, utc = _DATE_FORMAT, False
    for arg in args:
        if arg == "-u":
            utc = True
        elif arg.startswith("+"):
            fmt = arg[1:]
        else:
            # ASSUMPTION: toybox would parse the date, fail to set it and still print it; the
            # virtual device only reports the refusal.
            return await ctx.fail("date: cannot set date: Operation not permitted")
    await ctx.out(format_date(ctx.device.clock.now(), fmt, utc) + "\n")
    return 0


_PRINTF_SPEC = re.compile(r"%([-+ #0]*\d*(?:\.\d+)?)([sdiuxXoc%])")


def format_printf(fmt: str, args: list[str]) -> str:
    """POSIX ``printf``: ``%s %d %i %u %x %X %o %c %%`` and backslash escapes; the format is reused
    while arguments remain, missing ones read as empty (or 0)."""
    fmt = re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), "\\" + m.group(1)), fmt)
    out: list[str] = []
    pending = list(args)
    while True:
        used = 0

        def one(match: re.Match[str]) -> str:
            nonlocal used
            flags, conv = match.groups()
            if conv == "%":
                return "%"
            value = pending[used] if used < len(pending) else ""
            used += 1
            if conv in "sc":
                return ("%" + flags + "s") % (value[:1] if conv == "c" else value)
            try:
                number = int(value or "0", 0)
            except ValueError:
                number = 0
            return ("%" + flags + ("d" if conv in "iu" else conv)) % number

        out.append(_PRINTF_SPEC.sub(one, fmt))
        pending = pending[used:]
        if not pending or not used:
            return "".join(out)


@command("printf")
async def printf(ctx: CommandContext, args: list[str]) -> int:
    if not args:
        return await ctx.fail("printf: need format")
    await ctx.out(format_printf(args[0], args[1:]))
    return 0


def _line_count(args: list[str], default: int = 10) -> tuple[int, list[str]]:
    """``-n N``, ``-nN`` or ``-N`` and the remaining (file) arguments."""
    count, rest, words = default, [], list(args)
    while words:
        word = words.pop(0)
        if word == "-n" and words:
            count = int(words.pop(0).lstrip("+"))
        elif word.startswith("-n"):
            count = int(word[2:])
        elif word.startswith("-") and word[1:].isdigit():
            count = int(word[1:])
        else:
            rest.append(word)
    return count, rest


async def _input_lines(ctx: CommandContext, files: list[str]) -> list[bytes] | None:
    if not files:
        return [line async for line in read_lines(ctx.stdin)]
    lines: list[bytes] = []
    for name in files:
        try:
            data = ctx.device.fs.read_bytes(name)
        except OSError as exc:
            await ctx.err(f"{name}: {exc.strerror}\n")
            return None
        lines += data.splitlines(keepends=True)
    return lines


async def _head_or_tail(ctx: CommandContext, args: list[str], name: str) -> int:
    """``head``/``tail`` [-n N] [FILE...]: the first or last N lines (10 by default) of the input."""
    try:
        count, files = _line_count(args)
    except ValueError:
        return await ctx.fail(f"{name}: invalid number of lines")
    lines = await _input_lines(ctx, files)
    if lines is None:
        return 1
    await ctx.out(b"".join(lines[:count] if name == "head" else lines[-count:] if count else []))
    return 0


@command("head")
async def head(ctx: CommandContext, args: list[str]) -> int:
    return await _head_or_tail(ctx, args, "head")


@command("tail")
async def tail(ctx: CommandContext, args: list[str]) -> int:
    return await _head_or_tail(ctx, args, "tail")
