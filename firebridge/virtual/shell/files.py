"""cat, ls, rm, mkdir, touch over the device filesystem (toybox behaviour and messages)."""

from __future__ import annotations

import stat
import time

from firebridge.virtual.shell.interpreter import CommandContext, command


def _split_flags(args: list[str]) -> tuple[set[str], list[str]]:
    flags: set[str] = set()
    paths: list[str] = []
    for arg in args:
        if arg.startswith("-") and len(arg) > 1 and not paths:
            flags.update(arg[1:])
        else:
            paths.append(arg)
    return flags, paths


@command("cat")
async def cat(ctx: CommandContext, args: list[str]) -> int:
    if not args or args == ["-"]:
        while chunk := await ctx.stdin.read():
            await ctx.out(chunk)
        return 0
    status = 0
    for path in args:
        try:
            await ctx.out(ctx.device.fs.read_bytes(path))
        except OSError as exc:
            await ctx.err(f"cat: {path}: {exc.strerror}\n")
            status = 1
    return status


def _long_line(ctx: CommandContext, path: str, name: str) -> str:
    info = ctx.device.fs.lstat(path)
    owner = "root" if stat.S_ISDIR(info.st_mode) else "u0_a0"
    group = "sdcard_rw" if ctx.device.fs.normalize(path).startswith("/storage") else "shell"
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(info.st_mtime))
    return (f"{stat.filemode(info.st_mode)} {info.st_nlink} {owner} {group} {info.st_size:>8} "
            f"{when} {name}")


@command("ls")
async def ls(ctx: CommandContext, args: list[str]) -> int:
    flags, paths = _split_flags(args)
    fs = ctx.device.fs
    status = 0
    for path in paths or ["/"]:
        try:
            info = fs.lstat(path)
        except OSError as exc:
            await ctx.err(f"ls: {path}: {exc.strerror}\n")
            status = 1
            continue
        if not stat.S_ISDIR(info.st_mode) or "d" in flags:
            await ctx.out((_long_line(ctx, path, path) if "l" in flags else path) + "\n")
            continue
        names = fs.listdir(path)
        if "a" in flags:
            names = [".", ".."] + names
        if len(paths) > 1:
            await ctx.out(f"{path}:\n")
        lines = [(_long_line(ctx, path.rstrip("/") + "/" + n, n) if "l" in flags else n) for n in names]
        if "l" in flags:
            lines.insert(0, f"total {len(names) * 8}")
        await ctx.out("".join(line + "\n" for line in lines))
    return status


@command("rm")
async def rm(ctx: CommandContext, args: list[str]) -> int:
    flags, paths = _split_flags(args)
    status = 0
    for path in paths:
        try:
            ctx.device.fs.remove(path, recursive="r" in flags or "R" in flags)
        except FileNotFoundError as exc:
            if "f" not in flags:
                await ctx.err(f"rm: {path}: {exc.strerror}\n")
                status = 1
        except OSError as exc:
            await ctx.err(f"rm: {path}: {exc.strerror}\n")
            status = 1
    return status


@command("mkdir")
async def mkdir(ctx: CommandContext, args: list[str]) -> int:
    flags, paths = _split_flags(args)
    status = 0
    for path in paths:
        try:
            ctx.device.fs.makedirs(path, parents="p" in flags)
        except OSError as exc:
            await ctx.err(f"mkdir: '{path}': {exc.strerror}\n")
            status = 1
    return status


@command("touch")
async def touch(ctx: CommandContext, args: list[str]) -> int:
    _, paths = _split_flags(args)
    status = 0
    for path in paths:
        try:
            ctx.device.fs.writable_path(path).touch()
        except OSError as exc:
            await ctx.err(f"touch: '{path}': {exc.strerror}\n")
            status = 1
    return status
