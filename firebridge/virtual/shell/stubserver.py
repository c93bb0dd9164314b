"""The device-model end of the sandbox's Android commands (the server the stub program talks to).

One listening Unix socket per shell session. A request is 4-byte little-endian length + JSON
``{"argv": [...], "env": {...}, "cwd": "..."}`` with the stub's fds 0, 1, 2 attached (SCM_RIGHTS);
the reply is the 4-byte exit status. The command runs in the device's event loop with the stub's own
stdin/stdout/stderr, and is cancelled when the stub goes away (killed, ^C, end of session).
"""

from __future__ import annotations

import array
import asyncio
import json
import logging
import os
import socket
import struct
from pathlib import Path

from firebridge.virtual.shell.fdstreams import FdSink, FdSource
from firebridge.virtual.shell.interpreter import CommandContext, Shell
from firebridge.virtual.shell.streams import BrokenPipe

log = logging.getLogger(__name__)

_MAX_REQUEST = 1024 * 1024
_FD_SPACE = socket.CMSG_SPACE(3 * array.array("i").itemsize)


def parse_request(data: bytes) -> tuple[list[str], dict[str, str]]:
    """argv and environment from a request body (pure)."""
    request = json.loads(data.decode())
    argv = [str(a) for a in request["argv"]]
    env = {str(k): str(v) for k, v in request.get("env", {}).items()}
    if not argv:
        raise ValueError("empty argv")
    return argv, env


async def run_command(shell: Shell, argv: list[str], env: dict[str, str], stdin: FdSource, stdout: FdSink,
                      stderr: FdSink) -> int:
    """Run one device-model command as the interpreter would; its exit status."""
    function = shell.device.commands.lookup(argv[0])
    if function is None:
        await stderr.write(f"{argv[0]}: not found\n".encode())
        return 127
    context = CommandContext(shell, shell.device, stdin, stdout, stderr, env)
    try:
        return await function(context, argv[1:]) & 0xFF
    except BrokenPipe:
        return 141  # 128 + SIGPIPE
    except asyncio.CancelledError:
        raise
    except Exception as exc:  # a bug in a command must not take the device down
        log.exception("command %r failed", argv)
        try:
            await stderr.write(f"{argv[0]}: {exc}\n".encode())
        except BrokenPipe:
            pass
        return 1


class StubServer:
    """Listens on ``path`` for the stubs of one session and runs their commands on ``shell``."""

    def __init__(self, shell: Shell, path: Path) -> None:
        self.shell = shell
        self.path = path
        self._listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._listener.setblocking(False)
        self._listener.bind(str(path))
        os.chmod(path, 0o777)  # the sandbox's user may be mapped to anyone
        self._listener.listen(64)
        self._tasks: set[asyncio.Task] = set()
        self._accepting = asyncio.ensure_future(self._accept())

    async def _accept(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            conn, _ = await loop.sock_accept(self._listener)
            task = asyncio.ensure_future(self._serve(conn))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _serve(self, conn: socket.socket) -> None:
        fds: list[int] = []
        streams: list = []
        helpers: list[asyncio.Task] = []
        try:
            header, fds = await _receive(conn, fds)
            argv, env = parse_request(header)
            if len(fds) != 3:
                raise ValueError(f"expected 3 descriptors, got {len(fds)}")
            stdin, stdout, stderr = FdSource(fds[0]), FdSink(fds[1]), FdSink(fds[2])
            streams = [stdin, stdout, stderr]
            command = asyncio.ensure_future(run_command(self.shell, argv, env, stdin, stdout, stderr))
            gone = asyncio.ensure_future(_wait_closed(conn))
            unread = asyncio.ensure_future(_wait_reader_gone(stdout))
            helpers = [command, gone, unread]
            done, _ = await asyncio.wait(helpers, return_when=asyncio.FIRST_COMPLETED)
            if gone in done and command not in done:  # the stub died: nobody to answer
                return
            if command in done:
                status = command.result()
            else:  # stdout's reader left while the command waited: the SIGPIPE of its next write
                status = 141
            await _stop(helpers)
            for stream in streams:  # the command's output is complete before the stub exits
                stream.close()
            streams = []
            for fd in fds:
                os.close(fd)
            fds = []
            await asyncio.get_running_loop().sock_sendall(conn, struct.pack("<i", status))
        except (OSError, ValueError, KeyError, json.JSONDecodeError) as exc:
            log.debug("stub request failed: %s", exc)
        finally:
            # Every task watching this connection's or a stream's fd must be gone before the fd is
            # closed: a late remove_reader() would otherwise hit the next connection given that number.
            await _stop(helpers)
            for stream in streams:
                stream.close()
            for fd in fds:
                os.close(fd)
            conn.close()

    async def close(self) -> None:
        """Stop listening and cancel the commands still running."""
        self._accepting.cancel()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(self._accepting, *self._tasks, return_exceptions=True)
        self._listener.close()
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass


async def _stop(tasks: list[asyncio.Task]) -> None:
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


async def _receive(conn: socket.socket, fds: list[int]) -> tuple[bytes, list[int]]:
    """One request: its body; the descriptors that came with it are added to ``fds`` (closed by the caller)."""
    loop = asyncio.get_running_loop()
    conn.setblocking(False)
    data = b""
    while True:
        try:
            chunk, ancillary, _, _ = conn.recvmsg(65536, _FD_SPACE)
        except BlockingIOError:
            await _readable(loop, conn)
            continue
        for level, kind, payload in ancillary:
            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                received = array.array("i")
                received.frombytes(payload[:len(payload) - len(payload) % received.itemsize])
                fds.extend(received)
        if not chunk:
            raise ValueError("stub closed before its request was complete")
        data += chunk
        if len(data) >= 4:
            size = struct.unpack_from("<I", data)[0]
            if size > _MAX_REQUEST:
                raise ValueError("request too large")
            if len(data) >= 4 + size:
                return data[4:4 + size], fds


async def _readable(loop: asyncio.AbstractEventLoop, conn: socket.socket) -> None:
    ready = loop.create_future()
    loop.add_reader(conn.fileno(), lambda: ready.done() or ready.set_result(None))
    try:
        await ready
    finally:
        loop.remove_reader(conn.fileno())


async def _wait_reader_gone(stdout: FdSink, interval: float = 0.2) -> None:
    """Returns once stdout's reader has gone away although the command wrote nothing since.

    A real process learns of it on its next write; on a real device there is always a next log line,
    here a quiet ``logcat | head -1`` would wait forever.
    """
    while not stdout.reader_gone():
        await asyncio.sleep(interval)


async def _wait_closed(conn: socket.socket) -> None:
    """Returns once the stub closed its end (it exited or was killed)."""
    loop = asyncio.get_running_loop()
    while await loop.sock_recv(conn, 1):
        pass
