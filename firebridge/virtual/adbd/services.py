"""The services a host can OPEN: ``shell[,ARGS]:CMD``, ``exec:CMD``, ``sync:`` and ``tcp:PORT``.

The adbd layer knows the device only as a :class:`ServiceHost` (Fire OS or Vega satisfy it as they
are): its shell commands, its filesystem and the TCP ports something listens on.

Shell protocol v2 frames every packet as 1-byte id + 4-byte little-endian length + payload
(stdin 0, stdout 1, stderr 2, exit 3, close-stdin 4, window-size 5); v1 and ``exec:`` are raw bytes
with no exit status (reference sections 5 and 6).
"""

from __future__ import annotations

import asyncio
import struct
from typing import Awaitable, Callable, Protocol

from firebridge.virtual.adbd.protocol import Stream, StreamClosed
from firebridge.virtual.shell.interpreter import Shell, ShellHost
from firebridge.virtual.shell.sandbox import sandbox_for
from firebridge.virtual.shell.streams import EmptySource, Pipe, Sink, Source
from firebridge.virtual.adbd.sync import SyncHost, serve_sync

ID_STDIN, ID_STDOUT, ID_STDERR, ID_EXIT, ID_CLOSE_STDIN, ID_WINDOW_SIZE = range(6)
_HIGH_WATER = 256 * 1024

Handler = Callable[[Stream], Awaitable[None]]


def encode_packet(packet_id: int, payload: bytes) -> bytes:
    return struct.pack("<BI", packet_id, len(payload)) + payload


class OutputChannel:
    """Coalesces a service's writes into as few WRTEs as possible, in order.

    Writes made in the same event-loop tick (``echo out; echo err >&2; exit 3``) leave as one WRTE;
    a producer that outruns the host waits once more than the high-water mark is queued.
    """

    def __init__(self, stream: Stream) -> None:
        self.stream = stream
        self._buffer = bytearray()
        self._wakeup = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()
        self._space = asyncio.Event()
        self._space.set()
        self._task: asyncio.Task | None = None
        self._error: BaseException | None = None

    async def write(self, data: bytes) -> None:
        if self._error is not None:
            raise StreamClosed()
        self._buffer += data
        self._idle.clear()
        if self._task is None:
            self._task = asyncio.ensure_future(self._pump())
        self._wakeup.set()
        if len(self._buffer) > _HIGH_WATER:
            self._space.clear()
            await self._space.wait()
            if self._error is not None:
                raise StreamClosed()

    async def _pump(self) -> None:
        try:
            while True:
                await self._wakeup.wait()
                self._wakeup.clear()
                while self._buffer:
                    data = bytes(self._buffer)
                    self._buffer.clear()
                    self._space.set()
                    await self.stream.write(data)
                self._idle.set()
        except BaseException as exc:  # StreamClosed or cancellation: wake every waiter
            self._error = exc
            self._space.set()
            self._idle.set()

    async def drain(self) -> None:
        """Wait until everything written so far is handed to the transport."""
        await self._idle.wait()
        if self._task is not None:
            self._task.cancel()
            self._task = None
        if self._error is not None and not isinstance(self._error, asyncio.CancelledError):
            raise StreamClosed()


class PacketSink:
    """A v2 output stream (stdout or stderr) framed into shell-protocol packets."""

    def __init__(self, channel: OutputChannel, packet_id: int, pty: bool) -> None:
        self.channel = channel
        self.packet_id = packet_id
        self.pty = pty

    async def write(self, data: bytes) -> None:
        if self.pty:
            data = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        if data:
            await self.channel.write(encode_packet(self.packet_id, data))


class RawSink:
    """v1 output: the bytes themselves (stdout and stderr mixed, as on a real device)."""

    def __init__(self, channel: OutputChannel, pty: bool) -> None:
        self.channel = channel
        self.pty = pty

    async def write(self, data: bytes) -> None:
        if self.pty:
            data = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        if data:
            await self.channel.write(data)


async def _decode_v2_stdin(stream: Stream, stdin: Pipe) -> None:
    """Feed v2 stdin packets into a pipe until close-stdin or the end of the stream."""
    pending = bytearray()
    try:
        while True:
            chunk = await stream.read()
            if not chunk:
                break
            pending += chunk
            while len(pending) >= 5:
                packet_id, length = struct.unpack_from("<BI", pending, 0)
                if len(pending) < 5 + length:
                    break
                payload = bytes(pending[5:5 + length])
                del pending[:5 + length]
                if packet_id == ID_STDIN:
                    stdin.feed(payload)
                elif packet_id == ID_CLOSE_STDIN:
                    stdin.close()
                # ID_WINDOW_SIZE: there is no terminal to resize.
    finally:
        stdin.close()


class ServiceHost(ShellHost, SyncHost, Protocol):
    """What the services need from the device: a shell host (``shell:``, ``exec:``), a sync host
    (``sync:``), and these. ``reboot:`` and the cost of opening a shell are optional
    (``request_reboot``, ``shell_opened``): a device without them has none."""

    def adbd_features(self) -> tuple[str, ...]:
        """The adbd features its CNXN banner advertises (which decide shell_v2, stat_v2, ...)."""

    def prompt(self, status: int) -> str:
        """The interactive shell's prompt after a command that exited with ``status``."""

    def open_tcp(self, port: int) -> Handler | None:
        """A handler for one forwarded connection to ``port`` on the device, None if nothing listens."""


class Services:
    """Resolves OPEN names to service handlers for one device."""

    def __init__(self, device: ServiceHost) -> None:
        self.device = device

    def resolve(self, name: str) -> Handler | None:
        if name.startswith("shell:") or name.startswith("shell,"):
            head, _, command = name.partition(":")
            args = head.split(",")[1:]
            shell_v2 = "shell_v2" in self.device.adbd_features()
            v2 = "v2" in args and shell_v2
            pty = "pty" in args or ("raw" not in args and not command)
            if not shell_v2:
                if args:  # an adbd before shell_v2 knows only "shell:" (lollipop-mr1 services.c)
                    return None
                # and always runs it on a PTY: CRLF line ends, stderr mixed in, no exit status.
                pty = True
            env = {arg.partition("=")[0]: arg.partition("=")[2] for arg in args if "=" in arg}
            return lambda stream: self._shell(stream, command, v2, pty, env)
        if name.startswith("exec:"):
            return lambda stream: self._shell(stream, name[5:], False, False, {})
        if name.rstrip(":") == "sync":
            return lambda stream: serve_sync(stream, self.device)
        if name.startswith("reboot:"):  # `adb reboot [TARGET]`: adbd sets sys.powerctl and the device restarts
            request = getattr(self.device, "request_reboot", None)
            return (lambda stream: request()) if request is not None else None
        if name.startswith("tcp:"):
            # `adb forward tcp:X tcp:PORT` opens "tcp:PORT" (or "tcp:HOST:PORT") per connection.
            port = name.rpartition(":")[2]
            return self.device.open_tcp(int(port)) if port.isdigit() else None
        return None

    async def _shell(self, stream: Stream, command: str, v2: bool, pty: bool, env: dict[str, str]) -> None:
        channel = OutputChannel(stream)
        sandbox = sandbox_for(self.device)  # real mksh where the host has it, else the built-in shell
        if sandbox is not None:
            pty, real_pty = False, pty  # a real terminal translates newlines itself
        shell = Shell(self.device, env)
        stdin: Source
        pump = None
        if v2:
            stdin = Pipe()
            pump = asyncio.ensure_future(_decode_v2_stdin(stream, stdin))
            stdout: Sink = PacketSink(channel, ID_STDOUT, pty)
            stderr: Sink = PacketSink(channel, ID_STDOUT if pty else ID_STDERR, pty)
        else:
            stdin = stream
            stdout = stderr = RawSink(channel, pty)
        try:
            opened = getattr(self.device, "shell_opened", None)  # a personality's cost of starting a shell
            if opened is not None:
                await opened()
            if sandbox is not None:
                status = await sandbox.run(command, stdin, stdout, stderr, real_pty, env)
            elif command:
                status = await shell.run(command, stdin, stdout, stderr)
            else:
                status = await _interactive(shell, stdin, stdout, self.device.prompt)
            if v2:
                await channel.write(encode_packet(ID_EXIT, bytes([status & 0xFF])))
            await channel.drain()
        finally:
            if pump is not None:
                pump.cancel()


async def _interactive(shell: Shell, stdin: Source, stdout: Sink, prompt_for: Callable[[int], str]) -> int:
    """A PTY session: prompt, echo, line editing (backspace, ^C, ^D), one script per line."""
    prompt = prompt_for(0)
    await stdout.write(prompt.encode())
    line = bytearray()
    while True:
        data = await stdin.read()
        if not data:
            return shell.status
        for byte in data:
            char = bytes([byte])
            if char in (b"\r", b"\n"):
                await stdout.write(b"\n")
                script, line = line.decode(errors="replace"), bytearray()
                if script.strip():
                    status = await shell.run(script, EmptySource(), stdout, stdout)
                    if shell.exited:
                        return status
                await stdout.write(prompt_for(shell.status).encode())
            elif char == b"\x03":
                line.clear()
                await stdout.write(b"^C\n" + prompt.encode())
            elif char == b"\x04":
                if not line:
                    return shell.status
            elif char in (b"\x7f", b"\x08"):
                if line:
                    line.pop()
                    await stdout.write(b"\x08 \x08")
            else:
                line += char
                await stdout.write(char)  # the terminal echo
