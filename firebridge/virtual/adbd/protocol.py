"""The device side of the ADB wire protocol over TCP: handshake, authentication, streams.

One :class:`AdbConnection` per TCP connection from an adb server (or a direct client such as
adb_shell). Streams are multiplexed on it with adb's flow control: without delayed-ACK at most one
WRTE in flight per stream and direction; with it (``ADB_BURST_MODE=1`` servers) byte windows.
Services (shell, exec, sync) run as tasks that a CLSE from the host cancels.
See ``docs/adb-protocol.md``.
"""

from __future__ import annotations

import asyncio
import enum
import itertools
import logging
import os
import socket
import struct
from dataclasses import dataclass
from typing import Awaitable, Callable, Protocol

from firebridge.virtual.adbd import packets
from firebridge.virtual.adbd.auth import TOKEN_SIZE, AdbKeyStore, InvalidKey, parse_public_key
from firebridge.virtual.adbd.packets import Message

log = logging.getLogger(__name__)

# What this device implements, and so advertises (never more: adb hangs on half-done features).
# No "cmd"/"abb": those change how `adb install` talks to the package manager, which is not modelled.
FEATURES = ["shell_v2", "stat_v2", "ls_v2", "fixed_push_mkdir", "sendrecv_v2",
            "sendrecv_v2_dry_run_send", "delayed_ack"]
DELAYED_ACK_WINDOW = 32 * 1024 * 1024  # what adbd grants the host, as adb 36 does
_INBOX_LIMIT = 4 * 1024 * 1024  # unread host data per stream before OKAYs are held back

_TCP_QUICKACK = getattr(socket, "TCP_QUICKACK", None)


@dataclass(frozen=True)
class ConnectionLimits:
    """What one unauthenticated host may cost the device (issue 15: 1 MiB held per idle socket).

    - Before the handshake completes a packet may carry at most ``MAX_PAYLOAD_V1`` (4096) bytes: AOSP
      adb's ``send_connect`` (adb.cpp) limits CNXN and AUTH packets to MAX_PAYLOAD_V1 "because we don't
      yet know how much data the other side is willing to accept", so no conforming host sends more.
      AOSP adbd's own receive check (``check_header`` in transport.cpp) uses the transport's
      max_payload, which recent versions initialise to MAX_PAYLOAD (1 MiB) already before CNXN; this
      device is stricter than that, which only a non-conforming host can notice.
    - ``handshake_timeout``: a host that has not done its part of the handshake within this many seconds
      is disconnected. Its part is done once the connection is online, or once it has delivered its
      public key and waits for the person at the TV (a real Fire TV keeps that host "unauthorized"
      for as long as the dialog is up, so that wait is not cut short).
      ASSUMPTION: 10 s, the time AOSP adb's ``adb connect`` itself waits for the device's CNXN; no
      handshake timer is known in adbd (settle by: holding a half-sent CNXN open against a real Fire TV
      and timing the close).
    - ``max_connections``: TCP connections beyond this many are closed as soon as they are accepted.
      ASSUMPTION: 128; adbd is only bounded by its file descriptor limit (settle by: opening idle
      connections to a real Fire TV until it refuses).
    """

    pre_auth_max_payload: int = packets.MAX_PAYLOAD_V1
    handshake_timeout: float = 10.0
    max_connections: int = 128


class AuthMode(str, enum.Enum):
    """How the device treats a host key it does not know."""

    REQUIRED = "required"  # like a Fire TV nobody answers: the host stays "unauthorized"
    ACCEPT = "accept"  # the person at the TV presses "Allow" after a short delay
    NONE = "none"  # ro.adb.secure=0: no authentication at all


class StreamClosed(Exception):
    """The host closed the stream (or the connection dropped) while the service was writing."""


ServiceFactory = Callable[["Stream", str], Awaitable[None] | None]


class Stream:
    """One open stream: flow-controlled output, buffered input with back-pressure."""

    def __init__(self, conn: "AdbConnection", local_id: int, remote_id: int, send_window: int | None,
                 service: str = "") -> None:
        self.conn = conn
        self.service = service
        self.local_id = local_id
        self.remote_id = remote_id
        self.closed = False
        self.task: asyncio.Task | None = None
        # Output: one WRTE in flight, or a byte window with delayed-ACK. OPEN counts as an OKAY.
        self._send_window = send_window
        self._may_send = asyncio.Event()
        self._may_send.set()
        # Input.
        self._inbox = bytearray()
        self._inbox_event = asyncio.Event()
        self._unacked = 0  # bytes received whose OKAY is held back
        self.eof = False

    # -- output ---------------------------------------------------------------------------------
    async def write(self, data: bytes) -> None:
        """Send data to the host, respecting the host's flow control."""
        view = memoryview(data)
        limit = self.conn.max_payload
        while view:
            if self.closed:
                raise StreamClosed()
            await self._may_send.wait()
            await self.conn.writable()
            if self.closed:
                raise StreamClosed()
            chunk = bytes(view[:limit])
            view = view[limit:]
            self.conn.send(Message(packets.A_WRTE, self.local_id, self.remote_id, chunk))
            if self._send_window is None:
                self._may_send.clear()
            else:
                self._send_window -= len(chunk)
                if self._send_window <= 0:
                    self._may_send.clear()

    def on_okay(self, payload: bytes) -> None:
        if self._send_window is None:
            self._may_send.set()
            return
        if len(payload) == 4:
            self._send_window += struct.unpack("<i", payload)[0]
        if self._send_window > 0:
            self._may_send.set()

    # -- input ----------------------------------------------------------------------------------
    def on_write(self, data: bytes) -> None:
        self._inbox += data
        self._inbox_event.set()
        if len(self._inbox) <= _INBOX_LIMIT:
            self.conn.ack(self, len(data))
        else:
            self._unacked += len(data)

    async def read(self, n: int = -1) -> bytes:
        """Host data as it arrives; ``b""`` once the stream is closed."""
        while not self._inbox:
            if self.eof or self.closed:
                return b""
            self._inbox_event.clear()
            await self._inbox_event.wait()
        if n < 0 or n >= len(self._inbox):
            data = bytes(self._inbox)
            self._inbox.clear()
        else:
            data = bytes(self._inbox[:n])
            del self._inbox[:n]
        if self._unacked and len(self._inbox) <= _INBOX_LIMIT:
            self.conn.ack(self, self._unacked)
            self._unacked = 0
        return data

    async def read_exactly(self, n: int) -> bytes:
        """Exactly ``n`` bytes, or IncompleteReadError if the host closes first."""
        parts = bytearray()
        while len(parts) < n:
            chunk = await self.read(n - len(parts))
            if not chunk:
                raise asyncio.IncompleteReadError(bytes(parts), n)
            parts += chunk
        return bytes(parts)

    # -- closing --------------------------------------------------------------------------------
    def close(self) -> None:
        """The service is done: tell the host (once) and forget the stream."""
        if not self.closed:
            self.closed = True
            self.conn.send(Message(packets.A_CLSE, self.local_id, self.remote_id))
        self.conn.forget(self)
        self._wake()

    def on_remote_close(self) -> None:
        if not self.closed:
            self.closed = True
            # adbd answers a CLSE with its own; the host ignores it for the removed id.
            self.conn.send(Message(packets.A_CLSE, self.local_id, self.remote_id))
        self.conn.forget(self)
        self._wake()
        if self.task is not None and not self.task.done():
            self.task.cancel()

    def on_connection_lost(self) -> None:
        self.closed = True
        self._wake()
        if self.task is not None and not self.task.done():
            self.task.cancel()

    def _wake(self) -> None:
        self.eof = True
        self._inbox_event.set()
        self._may_send.set()


class AdbConnection(asyncio.Protocol):
    """One TCP connection from a host, speaking the device side of the protocol."""

    def __init__(self, daemon: "AdbDaemon") -> None:
        self.daemon = daemon
        self.device = daemon.device
        self.transport: asyncio.Transport | None = None
        self._buffer = bytearray()
        self.version = packets.VERSION_SKIP_CHECKSUM
        self.max_payload = packets.MAX_PAYLOAD_V1
        self.online = False
        self.delayed_ack = False
        self.host_features: set[str] = set()
        self._token = b""
        self._streams: dict[int, Stream] = {}
        self._ids = itertools.count(1)
        self._writable = asyncio.Event()
        self._writable.set()
        self._accept_handle: asyncio.TimerHandle | None = None
        self._handshake_handle: asyncio.TimerHandle | None = None
        self._sock: socket.socket | None = None
        self.peer = "?"

    # -- asyncio.Protocol -----------------------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self._sock = transport.get_extra_info("socket")
        peer = transport.get_extra_info("peername")
        self.peer = f"{peer[0]}:{peer[1]}" if peer else "?"
        if self._sock is not None:
            self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._quickack()
        limits = self.daemon.limits
        if len(self.daemon.connections) >= limits.max_connections:
            log.warning("refusing %s: already %d connections (limit %d)", self.peer,
                        len(self.daemon.connections), limits.max_connections)
            transport.abort()
            return
        self.daemon.connections.add(self)
        self._handshake_handle = asyncio.get_running_loop().call_later(
            limits.handshake_timeout, self._handshake_expired)
        log.debug("connection from %s", self.peer)

    def _handshake_expired(self) -> None:
        self._handshake_handle = None
        log.warning("dropping %s: no complete handshake within %g s", self.peer,
                    self.daemon.limits.handshake_timeout)
        self.drop()

    def _handshake_done(self) -> None:
        """The host has done its part of the handshake: no more deadline."""
        if self._handshake_handle is not None:
            self._handshake_handle.cancel()
            self._handshake_handle = None

    def _quickack(self) -> None:
        # Re-armed after every read: clients that write header and payload separately without
        # TCP_NODELAY otherwise stall ~40 ms on the delayed ACK (reference, pitfall 11).
        if self._sock is not None and _TCP_QUICKACK is not None:
            try:
                self._sock.setsockopt(socket.IPPROTO_TCP, _TCP_QUICKACK, 1)
            except OSError:
                pass

    def data_received(self, data: bytes) -> None:
        self._quickack()
        self._buffer += data
        buffer = self._buffer
        while len(buffer) >= packets.HEADER_SIZE:
            # Until the handshake completes only small packets are accepted (ConnectionLimits).
            limit = packets.MAX_PAYLOAD if self.online else self.daemon.limits.pre_auth_max_payload
            try:
                command, arg0, arg1, length = packets.decode_header(
                    bytes(buffer[:packets.HEADER_SIZE]), limit)
            except packets.ProtocolError as exc:
                log.warning("dropping %s: %s", self.peer, exc)
                self.transport.close()
                return
            end = packets.HEADER_SIZE + length
            if len(buffer) < end:
                return
            payload = bytes(buffer[packets.HEADER_SIZE:end])
            del buffer[:end]
            self._dispatch(Message(command, arg0, arg1, payload))

    def connection_lost(self, exc: Exception | None) -> None:
        log.debug("connection from %s closed (%d open streams)", self.peer, len(self._streams))
        if self._accept_handle is not None:
            self._accept_handle.cancel()
        self._handshake_done()
        self._buffer = bytearray()
        for stream in list(self._streams.values()):
            stream.on_connection_lost()
        self._streams.clear()
        self.daemon.connections.discard(self)
        self._writable.set()

    def pause_writing(self) -> None:
        self._writable.clear()

    def resume_writing(self) -> None:
        self._writable.set()

    async def writable(self) -> None:
        await self._writable.wait()

    # -- sending --------------------------------------------------------------------------------
    def send(self, msg: Message) -> None:
        if self.transport is None or self.transport.is_closing():
            return
        self.transport.write(packets.encode(msg, with_checksum=self.version < packets.VERSION_SKIP_CHECKSUM))

    def ack(self, stream: Stream, consumed: int) -> None:
        payload = struct.pack("<i", consumed) if self.delayed_ack else b""
        if not stream.closed:
            self.send(Message(packets.A_OKAY, stream.local_id, stream.remote_id, payload))

    def streams(self) -> list[Stream]:
        return list(self._streams.values())

    def forget(self, stream: Stream) -> None:
        self._streams.pop(stream.local_id, None)

    def drop(self) -> None:
        """Close the TCP connection, as when the device reboots or its network goes away."""
        if self.transport is not None:
            self.transport.abort()

    # -- dispatch -------------------------------------------------------------------------------
    def _dispatch(self, msg: Message) -> None:
        command = msg.command
        if command == packets.A_CNXN:
            self._on_connect(msg)
        elif command == packets.A_AUTH:
            self._on_auth(msg)
        elif not self.online:
            log.debug("ignoring %s before the connection is authorized", msg)
        elif command == packets.A_OPEN:
            self._on_open(msg)
        elif command == packets.A_OKAY:
            stream = self._streams.get(msg.arg1)
            if stream is not None:
                stream.on_okay(msg.data)
        elif command == packets.A_WRTE:
            stream = self._streams.get(msg.arg1)
            if stream is not None:
                stream.on_write(msg.data)
        elif command == packets.A_CLSE:
            stream = self._streams.get(msg.arg1)
            if stream is not None and (msg.arg0 == 0 or msg.arg0 == stream.remote_id):
                stream.on_remote_close()
        # Anything else (SYNC, STLS) is ignored: this device offers no TLS.

    def _on_connect(self, msg: Message) -> None:
        for stream in list(self._streams.values()):  # a new CNXN resets the connection
            stream.on_connection_lost()
        self._streams.clear()
        self.online = False
        self.version = min(msg.arg0, packets.VERSION_SKIP_CHECKSUM)
        self.max_payload = max(packets.MAX_PAYLOAD_V1, min(msg.arg1, packets.MAX_PAYLOAD))
        banner = msg.data.rstrip(b"\x00").decode(errors="replace")
        _, _, props = banner.partition("::")
        self.host_features = set()
        for item in props.split(";"):
            key, _, value = item.partition("=")
            if key == "features":
                self.host_features = set(value.split(","))
        self.delayed_ack = "delayed_ack" in self.host_features and "delayed_ack" in self._features()
        if self.daemon.auth_mode is AuthMode.NONE:
            self._go_online()
        else:
            self._send_token()

    def _features(self) -> list[str]:
        """What this device's adbd advertises: the model's generation decides (models.adbd_features)."""
        return [name for name in FEATURES if name in self.device.adbd_features()]

    def _send_token(self) -> None:
        self._token = os.urandom(TOKEN_SIZE)
        self.send(Message(packets.A_AUTH, packets.AUTH_TOKEN, 0, self._token))

    def _on_auth(self, msg: Message) -> None:
        if self.online or not self._token:
            return
        if msg.arg0 == packets.AUTH_SIGNATURE:
            if self.daemon.keys.is_trusted(self._token, msg.data):
                self._go_online()
            else:
                self._send_token()  # the host tries its next key
        elif msg.arg0 == packets.AUTH_RSAPUBLICKEY:
            self._on_public_key(msg.data.rstrip(b"\x00").decode("ascii", "replace"))

    def _on_public_key(self, key_line: str) -> None:
        try:
            parse_public_key(key_line)
        except InvalidKey as exc:
            log.warning("host %s sent an unusable public key: %s", self.peer, exc)
            return
        self.daemon.notify_pending_key(key_line)
        self._handshake_done()  # from here on the wait is for the person at the TV
        if self.daemon.auth_mode is AuthMode.ACCEPT:
            loop = asyncio.get_running_loop()
            self._accept_handle = loop.call_later(self.daemon.accept_delay, self._accept_key, key_line)
        # REQUIRED: the "Allow USB debugging?" dialog waits for a person who never comes.

    def _accept_key(self, key_line: str) -> None:
        self.daemon.keys.add(key_line)
        if not self.online and self.transport is not None and not self.transport.is_closing():
            self._go_online()

    def _go_online(self) -> None:
        self.online = True
        self._handshake_done()
        banner = self.device.banner(self._features())
        self.send(Message(packets.A_CNXN, packets.VERSION_SKIP_CHECKSUM, packets.MAX_PAYLOAD, banner))

    def _on_open(self, msg: Message) -> None:
        remote_id = msg.arg0
        name = msg.data.rstrip(b"\x00").decode(errors="replace")
        host_window = msg.arg1
        if remote_id == 0 or bool(host_window) != self.delayed_ack:
            self.send(Message(packets.A_CLSE, 0, remote_id))
            return
        handler = self.daemon.services.resolve(name)
        if handler is None:
            log.debug("refusing unknown service %r", name)
            self.send(Message(packets.A_CLSE, 0, remote_id))
            return
        local_id = next(self._ids)
        stream = Stream(self, local_id, remote_id, host_window if self.delayed_ack else None, name)
        self._streams[local_id] = stream
        payload = struct.pack("<i", DELAYED_ACK_WINDOW) if self.delayed_ack else b""
        self.send(Message(packets.A_OKAY, local_id, remote_id, payload))
        stream.task = asyncio.ensure_future(self._serve(stream, handler, name))

    async def _serve(self, stream: Stream, handler, name: str) -> None:
        try:
            await handler(stream)
        except (StreamClosed, asyncio.CancelledError):
            pass
        except Exception:
            log.exception("service %r failed", name)
        finally:
            if not stream.closed:
                stream.close()


class DaemonHost(Protocol):
    """What adbd's connections need from the device: its identity and its log."""

    def banner(self, features: list[str]) -> bytes:
        """The CNXN identity string."""

    def adbd_features(self) -> tuple[str, ...]:
        """The adbd features its CNXN banner advertises (which decide shell_v2, stat_v2, ...)."""

    def system_log(self, level: str, tag: str, message: str, process: str = ...) -> None:
        """Write a line from a named system process to the device's log."""


class AdbDaemon:
    """The device's adbd: accepts TCP connections and hands streams to services."""

    def __init__(self, device: DaemonHost, services, keys: AdbKeyStore,
                 auth_mode: AuthMode = AuthMode.REQUIRED, accept_delay: float = 0.5,
                 limits: ConnectionLimits | None = None) -> None:
        self.device = device
        self.limits = limits or ConnectionLimits()
        self.services = services
        self.keys = keys
        self.auth_mode = AuthMode(auth_mode)
        self.accept_delay = accept_delay
        self.connections: set[AdbConnection] = set()
        self.pending_keys: list[str] = []
        self.on_pending_key: Callable[[str], None] | None = None  # shows the "Allow USB debugging?" dialog
        self._server: asyncio.base_events.Server | None = None

    def notify_pending_key(self, key_line: str) -> None:
        """A host asked to be trusted: what the "Allow USB debugging?" dialog would show."""
        if key_line not in self.pending_keys:
            self.pending_keys.append(key_line)
            if self.on_pending_key is not None and self.auth_mode is AuthMode.REQUIRED:
                self.on_pending_key(key_line)
        self.device.system_log("I", "adbd", "Calling send_auth_request...", process="adbd")

    def allow_pending(self) -> int:
        """Press "Allow" on the dialog: trust every waiting key and bring their connections online."""
        count = len(self.pending_keys)
        for key_line in self.pending_keys:
            self.keys.add(key_line)
        self.pending_keys.clear()
        for conn in list(self.connections):
            if not conn.online and conn._token:
                conn._go_online()
        return count

    async def start(self, host: str, port: int) -> int:
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(lambda: AdbConnection(self), host, port,
                                                reuse_address=True)
        return self._server.sockets[0].getsockname()[1]

    def open_services(self) -> list[str]:
        """The service name of every open stream on every connection."""
        return [stream.service for conn in self.connections for stream in conn.streams()]

    def drop_connections(self) -> None:
        """Cut every TCP connection (a Wi-Fi drop or adbd restart); hosts reconnect by themselves."""
        for conn in list(self.connections):
            conn.drop()

    def revoke_keys(self) -> None:
        """"Revoke USB debugging authorizations": no host key is trusted any more, every connection drops."""
        self.keys.clear()
        self.pending_keys.clear()
        self.drop_connections()

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            for conn in list(self.connections):
                conn.drop()
            await self._server.wait_closed()
            self._server = None
