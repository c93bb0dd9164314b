"""ADB wire messages: the 24-byte header plus payload (pure, no I/O).

Layout and constants follow AOSP adb (``adb.h``, ``protocol.txt``); see
``docs/adb-protocol.md`` section 1.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

A_SYNC = 0x434E5953
A_CNXN = 0x4E584E43
A_AUTH = 0x48545541
A_OPEN = 0x4E45504F
A_OKAY = 0x59414B4F
A_CLSE = 0x45534C43
A_WRTE = 0x45545257
A_STLS = 0x534C5453

COMMAND_NAMES = {
    A_SYNC: "SYNC", A_CNXN: "CNXN", A_AUTH: "AUTH", A_OPEN: "OPEN",
    A_OKAY: "OKAY", A_CLSE: "CLSE", A_WRTE: "WRTE", A_STLS: "STLS",
}

# AUTH arg0
AUTH_TOKEN = 1
AUTH_SIGNATURE = 2
AUTH_RSAPUBLICKEY = 3

VERSION_MIN = 0x01000000  # checksums meaningful
VERSION_SKIP_CHECKSUM = 0x01000001
MAX_PAYLOAD_V1 = 4096  # CNXN/AUTH must fit in this before the handshake completes
MAX_PAYLOAD = 1024 * 1024

HEADER = struct.Struct("<6I")
HEADER_SIZE = HEADER.size


class ProtocolError(Exception):
    """The peer sent something that is not an ADB message."""


@dataclass(frozen=True, slots=True)
class Message:
    """One ADB message."""

    command: int
    arg0: int
    arg1: int
    data: bytes = b""

    def __str__(self) -> str:
        name = COMMAND_NAMES.get(self.command, hex(self.command))
        return f"{name}({self.arg0:#x}, {self.arg1:#x}, {len(self.data)} bytes)"


def checksum(data: bytes) -> int:
    """The header's data_check: a byte sum, not a CRC."""
    return sum(data) & 0xFFFFFFFF


def encode(msg: Message, with_checksum: bool) -> bytes:
    """Header plus payload in one buffer (one write, so Nagle never splits them)."""
    check = checksum(msg.data) if with_checksum else 0
    header = HEADER.pack(msg.command, msg.arg0, msg.arg1, len(msg.data), check,
                         msg.command ^ 0xFFFFFFFF)
    return header + msg.data


def decode_header(raw: bytes, max_payload: int) -> tuple[int, int, int, int]:
    """Return (command, arg0, arg1, data_length); raise ProtocolError on garbage.

    Checksums are deliberately not verified: after a device restart the adb server reconnects with
    the old transport and sends check = 0 (reference, pitfall 1).
    """
    command, arg0, arg1, length, _check, magic = HEADER.unpack(raw)
    if magic != command ^ 0xFFFFFFFF:
        raise ProtocolError(f"bad magic {magic:#x} for command {command:#x}")
    if length > max_payload:
        raise ProtocolError(f"payload of {length} bytes exceeds the maximum of {max_payload}")
    return command, arg0, arg1, length
