"""The device shell: runs parsed scripts against the virtual device's commands.

Commands are plain async functions marked with :func:`command`; a device personality puts the ones
it has into its :class:`CommandTable`. Each gets a
:class:`CommandContext` (its streams, environment and the device) and its argv, and returns an exit
status, like a process would.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass
from types import ModuleType
from typing import Awaitable, Callable, Protocol

from firebridge.virtual.clock import DeviceClock
from firebridge.virtual.fs import DeviceFileSystem
from firebridge.virtual.shell.syntax import (AndOr, Case, Command, ForLoop, Pipeline, Redirect, ShellSyntaxError,
                                              SimpleCommand, Word, parse)
from firebridge.virtual.shell.streams import BrokenPipe, BufferSink, BytesSource, EmptySource, FileSink, NullSink, Pipe, Sink, Source

log = logging.getLogger(__name__)

SHELL_NAME = "/system/bin/sh"
NOT_FOUND_STATUS = 127


def _glob_regex(pattern: str) -> str:
    """An unquoted shell pattern as a regex: ``*``, ``?`` and ``[...]`` (``[!...]`` negated)."""
    out, i = [], 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "*":
            out.append(".*")
        elif ch == "?":
            out.append(".")
        elif ch == "[" and "]" in pattern[i + 2:]:
            end = pattern.index("]", i + 2)
            body = pattern[i + 1:end]
            out.append("[" + ("^" + body[1:] if body.startswith("!") else body).replace("\\", "\\\\") + "]")
            i = end
        else:
            out.append(re.escape(ch))
        i += 1
    return "".join(out)


class LoopBreak(Exception):
    """``break``: leave the innermost ``for`` loop."""


class ShellExit(Exception):
    """``exit N`` (or the end of ``exec``): stop the whole script with this status."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


@dataclass
class CommandContext:
    """What a running command can touch: its streams, its environment and the device."""

    shell: "Shell"
    device: "ShellHost"
    stdin: Source
    stdout: Sink
    stderr: Sink
    env: dict[str, str]

    async def out(self, text: str | bytes) -> None:
        await self.stdout.write(text.encode() if isinstance(text, str) else text)

    async def err(self, text: str | bytes) -> None:
        await self.stderr.write(text.encode() if isinstance(text, str) else text)

    async def fail(self, message: str, status: int = 1) -> int:
        """Print ``message`` (plus a newline) on stderr and return ``status``."""
        await self.err(message + "\n")
        return status


CommandFunction = Callable[[CommandContext, list[str]], Awaitable[int]]
_COMMAND_NAMES = "__device_command_names__"
_BIN_DIRS = ("/system/bin/", "/system/xbin/", "/vendor/bin/")


def command(*names: str) -> Callable[[CommandFunction], CommandFunction]:
    """Mark an async function as a device command called ``names``.

    Marking registers nothing: a device personality collects the marked functions of the modules it
    wants into its own :class:`CommandTable` when a device is created.
    """

    def mark(function: CommandFunction) -> CommandFunction:
        setattr(function, _COMMAND_NAMES, (*getattr(function, _COMMAND_NAMES, ()), *names))
        return function

    return mark


class CommandTable:
    """One device's commands by name, and the directories a full path may name them by."""

    def __init__(self, bin_dirs: tuple[str, ...] = _BIN_DIRS) -> None:
        self.bin_dirs = bin_dirs
        self._commands: dict[str, CommandFunction] = {}

    def add(self, name: str, function: CommandFunction) -> None:
        self._commands[name] = function

    def add_modules(self, *modules: ModuleType) -> "CommandTable":
        """Add every function the modules mark with :func:`command` (later modules win)."""
        for module in modules:
            for value in vars(module).values():
                for name in getattr(value, _COMMAND_NAMES, ()):
                    self._commands[name] = value
        return self

    def remove(self, *names: str) -> None:
        for name in names:
            self._commands.pop(name, None)

    def names(self) -> list[str]:
        return sorted(self._commands)

    def lookup(self, name: str) -> CommandFunction | None:
        """The command for ``name`` or a full path such as ``/system/bin/NAME``."""
        for prefix in self.bin_dirs:
            if name.startswith(prefix):
                name = name[len(prefix):]
                break
        return self._commands.get(name)

    def path_of(self, name: str) -> str | None:
        """Where ``which`` finds the command: the first bin directory (None when missing)."""
        return self.bin_dirs[0] + name if name in self._commands and self.bin_dirs else None


@dataclass(frozen=True)
class ShellProfile:
    """What differs between platforms' shells: ``$0`` (error prefix), start environment, bin dirs."""

    name: str
    env: dict[str, str]


def android_profile(hostname: str) -> ShellProfile:
    """Fire OS's mksh as the adb shell user."""
    return ShellProfile(SHELL_NAME, {
        "PATH": "/sbin:/system/sbin:/system/bin:/system/xbin:/vendor/bin",
        "HOME": "/",
        "SHELL": SHELL_NAME,
        "USER": "shell",
        "HOSTNAME": hostname,
        "ANDROID_DATA": "/data",
        "ANDROID_ROOT": "/system",
        "EXTERNAL_STORAGE": "/sdcard",
    })


class ProcessIds(Protocol):
    def allocate(self) -> int:
        """A fresh process id (each shell is a process)."""


class ShellHost(Protocol):
    """What the shell needs from the device it runs on (a Fire OS or Vega model satisfies it as it is).

    The shell's own commands read the clock and the filesystem; a platform's commands reach further
    into their own device model through :attr:`CommandContext.device` (that is the personality's
    business, not the shell's).
    """

    fs: DeviceFileSystem
    clock: DeviceClock
    commands: CommandTable
    shell_profile: ShellProfile

    @property
    def processes(self) -> ProcessIds: ...


class Shell:
    """One shell process: its environment and ``$?`` survive from script to script."""

    def __init__(self, device: ShellHost, env: dict[str, str] | None = None) -> None:
        self.device = device
        self.profile: ShellProfile = device.shell_profile
        self.name = self.profile.name
        self.env: dict[str, str] = dict(self.profile.env)
        if env:
            self.env.update(env)
        self.status = 0
        self.exited = False  # set once a script ran `exit` (ends an interactive session)
        self.pid = device.processes.allocate()

    async def run(self, script: str, stdin: Source, stdout: Sink, stderr: Sink) -> int:
        """Run a whole script; return its exit status (``exit N`` included)."""
        try:
            tree = parse(script)
        except ShellSyntaxError as exc:
            await stderr.write(f"{self.name}: syntax error: {exc}\n".encode())
            self.status = 2
            return 2
        try:
            for andor in tree:
                await self._run_andor(andor, stdin, stdout, stderr)
        except ShellExit as done:
            self.status = done.status
            self.exited = True
        except LoopBreak:
            pass  # a `break` outside any loop ends the script here
        return self.status

    async def _run_andor(self, andor: AndOr, stdin: Source, stdout: Sink, stderr: Sink) -> None:
        self.status = await self._run_pipeline(andor.first, stdin, stdout, stderr)
        for op, pipeline in andor.rest:
            if (op == "&&") == (self.status == 0):
                self.status = await self._run_pipeline(pipeline, stdin, stdout, stderr)

    async def _run_pipeline(self, pipeline: Pipeline, stdin: Source, stdout: Sink, stderr: Sink) -> int:
        commands = pipeline.commands
        if len(commands) == 1:
            status = await self._run_command(commands[0], stdin, stdout, stderr)
        else:
            status = await self._run_stages(commands, stdin, stdout, stderr)
        return (0 if status else 1) if pipeline.negate else status

    async def _run_stages(self, commands: list[SimpleCommand], stdin: Source, stdout: Sink,
                          stderr: Sink) -> int:
        pipes = [Pipe() for _ in commands[1:]]

        async def stage(index: int) -> int:
            source = pipes[index - 1] if index else stdin
            sink = pipes[index] if index < len(pipes) else stdout
            try:
                return await self._run_command(commands[index], source, sink, stderr)
            except ShellExit as done:  # exit inside a pipeline ends only that stage
                return done.status
            finally:
                if index < len(pipes):
                    pipes[index].close()
                if index:
                    pipes[index - 1].break_()

        tasks = [asyncio.ensure_future(stage(i)) for i in range(len(commands))]
        try:
            status = await tasks[-1]
        finally:
            # Like SIGPIPE: once the last stage is done, earlier ones (a following logcat) stop.
            for task in tasks[:-1]:
                task.cancel()
            await asyncio.gather(*tasks[:-1], return_exceptions=True)
        return status

    async def _run_command(self, cmd: Command, stdin: Source, stdout: Sink, stderr: Sink) -> int:
        if isinstance(cmd, SimpleCommand):
            return await self._run_simple(cmd, stdin, stdout, stderr)
        files: list[FileSink] = []
        try:
            try:
                stdin, stdout, stderr = await self._apply_redirects(cmd.redirects, stdin, stdout, stderr, files)
            except OSError as exc:
                await stderr.write(f"{self.name}: {exc.filename or ''}: {exc.strerror}\n".encode())
                return 1
            if isinstance(cmd, ForLoop):
                return await self._run_for(cmd, stdin, stdout, stderr)
            return await self._run_case(cmd, stdin, stdout, stderr)
        finally:
            for sink in files:
                sink.close()

    async def _run_body(self, body: list[AndOr], stdin: Source, stdout: Sink, stderr: Sink) -> None:
        for andor in body:
            await self._run_andor(andor, stdin, stdout, stderr)

    async def _run_for(self, loop: ForLoop, stdin: Source, stdout: Sink, stderr: Sink) -> int:
        values: list[str] = []
        for word in loop.words:
            values.extend(await self.expand(word))
        self.status = 0
        try:
            for value in values:
                self.env[loop.name] = value
                await self._run_body(loop.body, stdin, stdout, stderr)
        except LoopBreak:
            pass
        return self.status

    async def _run_case(self, case: Case, stdin: Source, stdout: Sink, stderr: Sink) -> int:
        subject = "".join(await self.expand(case.word))
        for item in case.items:
            for pattern in item.patterns:
                if re.fullmatch(await self._pattern(pattern), subject, re.S):
                    self.status = 0
                    await self._run_body(item.body, stdin, stdout, stderr)
                    return self.status
        return 0

    async def _pattern(self, word: Word) -> str:
        """A case pattern as a regex: quoted parts literal, unquoted ``* ? [..]`` globbing."""
        parts = []
        for segment in word.segments:
            text = segment.text if segment.kind == "lit" else await self._segment_value(segment.kind, segment.text)
            parts.append(re.escape(text) if segment.quoted else _glob_regex(text))
        return "".join(parts)

    async def _run_simple(self, cmd: SimpleCommand, stdin: Source, stdout: Sink, stderr: Sink) -> int:
        argv: list[str] = []
        for word in cmd.words:
            argv.extend(await self.expand(word))
        assignments = {name: await self.expand_unsplit(value) for name, value in cmd.assignments}
        files: list[FileSink] = []
        try:
            try:
                stdin, stdout, stderr = await self._apply_redirects(cmd.redirects, stdin, stdout, stderr, files)
            except OSError as exc:
                await stderr.write(f"{self.name}: {exc.filename or ''}: {exc.strerror}\n".encode())
                return 1
            if not argv:
                self.env.update(assignments)
                return 0
            return await self._execute(argv, assignments, stdin, stdout, stderr)
        finally:
            for sink in files:
                sink.close()

    async def _execute(self, argv: list[str], assignments: dict[str, str], stdin: Source, stdout: Sink,
                       stderr: Sink) -> int:
        name = argv[0]
        if name == "exec":
            if len(argv) == 1:
                return 0
            raise ShellExit(await self._execute(argv[1:], assignments, stdin, stdout, stderr))
        if name == "exit":
            try:
                raise ShellExit(int(argv[1]) & 0xFF if len(argv) > 1 else self.status)
            except ValueError:
                await stderr.write(f"{self.name}: exit: {argv[1]}: bad number\n".encode())
                raise ShellExit(2) from None
        if name == "export":
            for item in argv[1:]:
                key, eq, value = item.partition("=")
                if eq:
                    self.env[key] = value
            self.env.update(assignments)
            return 0
        if name == "unset":
            for key in argv[1:]:
                self.env.pop(key, None)
            return 0
        if name == "cd":
            return 0
        if name == "break":
            raise LoopBreak()  # outside a loop it ends the script's current list, as a stray break does
        function = self.device.commands.lookup(name)
        if function is None:
            await stderr.write(f"{self.name}: {name}: not found\n".encode())
            return NOT_FOUND_STATUS
        context = CommandContext(self, self.device, stdin, stdout, stderr, {**self.env, **assignments})
        try:
            return await function(context, argv[1:]) & 0xFF
        except BrokenPipe:
            return 141  # 128 + SIGPIPE
        except (ShellExit, asyncio.CancelledError):
            raise
        except Exception as exc:  # a bug in a command must not take the device down
            log.exception("command %r failed", argv)
            await stderr.write(f"{name}: {exc}\n".encode())
            return 1

    async def _apply_redirects(self, redirects: list[Redirect], stdin: Source, stdout: Sink,
                               stderr: Sink, files: list[FileSink]) -> tuple[Source, Sink, Sink]:
        for redirect in redirects:
            target = "".join(await self.expand(redirect.target))
            if redirect.op == "<":  # /dev/null reads as empty (the model's file tree has no device nodes)
                stdin = BytesSource(b"" if target == "/dev/null" else self.device.fs.read_bytes(target))
                continue
            sink: Sink
            if redirect.op == ">&":
                if target not in ("1", "2"):
                    continue
                sink = stdout if target == "1" else stderr
            elif target == "/dev/null":
                sink = NullSink()
            else:
                file_sink = FileSink(self.device.fs.writable_path(target), append=redirect.op == ">>")
                files.append(file_sink)
                sink = file_sink
            if redirect.fd == 1:
                stdout = sink
            elif redirect.fd == 2:
                stderr = sink
        return stdin, stdout, stderr

    async def expand_unsplit(self, word: Word) -> str:
        """A word expanded without field splitting (assignment values: ``o=$(cmd)`` keeps its spaces)."""
        parts = []
        for segment in word.segments:
            parts.append(segment.text if segment.kind == "lit" else await self._segment_value(segment.kind, segment.text))
        return "".join(parts)

    async def expand(self, word: Word) -> list[str]:
        """Expand variables and command substitutions; split unquoted expansions into fields."""
        fields: list[str] = []
        current: list[str] = []
        started = word.quoted
        for segment in word.segments:
            if segment.kind == "lit":
                current.append(segment.text)
                started = started or bool(segment.text)
                continue
            value = await self._segment_value(segment.kind, segment.text)
            if segment.quoted:
                current.append(value)
                continue
            parts = value.split()
            if value[:1].isspace() and (current or started):
                fields.append("".join(current))
                current, started = [], False
            for i, part in enumerate(parts):
                if i:
                    fields.append("".join(current))
                    current = []
                current.append(part)
                started = True
            if value[-1:].isspace() and parts:
                fields.append("".join(current))
                current, started = [], False
        if current or started:
            fields.append("".join(current))
        return fields

    async def _segment_value(self, kind: str, text: str) -> str:
        if kind == "var":
            if text == "?":
                return str(self.status)
            if text == "$":
                return str(self.pid)
            if text in ("#", "!"):
                return "0"
            if text == "0":
                return self.name
            return self.env.get(text, "")
        sink = BufferSink()
        saved = self.status
        sub = Shell(self.device, dict(self.env))
        await sub.run(text, EmptySource(), sink, NullSink())
        self.status = saved
        return sink.data.decode(errors="replace").rstrip("\n")
