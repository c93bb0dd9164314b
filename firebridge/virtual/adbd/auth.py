"""Device-side ADB authentication: Android RSA public keys and signature checks (pure).

The host signs a 20-byte token with PKCS#1 v1.5, treating the token as an already-computed SHA-1
digest; the device checks the signature against each key of its ``adb_keys`` file. Public keys use
Android's "mincrypt" layout (reference section 3). Plain integer arithmetic is enough for
verification, so no crypto library is needed on the device side.
"""

from __future__ import annotations

import base64
import binascii
import struct
from dataclasses import dataclass
from pathlib import Path

TOKEN_SIZE = 20  # adb ignores any other length (reference, pitfall 4)
_KEY_WORDS = 64  # RSA-2048
_KEY_BLOB_SIZE = 4 + 4 + 256 + 256 + 4
_SHA1_DIGEST_INFO = bytes.fromhex("3021300906052b0e03021a05000414")


class InvalidKey(ValueError):
    """A public key line that is not an Android RSA-2048 key."""


@dataclass(frozen=True)
class AndroidPublicKey:
    """An RSA public key as adb stores it, plus the comment after the base64 (user@host)."""

    modulus: int
    exponent: int
    comment: str = ""

    def verify(self, token: bytes, signature: bytes) -> bool:
        """True when ``signature`` is this key's PKCS#1 v1.5 signature of ``token`` as a SHA-1 digest."""
        if len(signature) != 256 or len(token) != TOKEN_SIZE:
            return False
        value = int.from_bytes(signature, "big")
        if value >= self.modulus:
            return False
        recovered = pow(value, self.exponent, self.modulus).to_bytes(256, "big")
        padding = 256 - 3 - len(_SHA1_DIGEST_INFO) - TOKEN_SIZE
        expected = b"\x00\x01" + b"\xff" * padding + b"\x00" + _SHA1_DIGEST_INFO + token
        return recovered == expected


def parse_public_key(line: str | bytes) -> AndroidPublicKey:
    """Parse ``<base64 mincrypt blob> [comment]`` as found in adb_keys / adbkey.pub / AUTH payloads."""
    if isinstance(line, bytes):
        line = line.rstrip(b"\x00").decode("ascii", "replace")
    parts = line.strip().split(None, 1)
    if not parts:
        raise InvalidKey("empty key line")
    try:
        blob = base64.b64decode(parts[0], validate=True)
    except binascii.Error as exc:
        raise InvalidKey(f"key is not base64: {exc}") from None
    if len(blob) != _KEY_BLOB_SIZE:
        raise InvalidKey(f"key blob is {len(blob)} bytes, expected {_KEY_BLOB_SIZE} (RSA-2048)")
    words, n0inv = struct.unpack_from("<II", blob, 0)
    if words != _KEY_WORDS:
        raise InvalidKey(f"key has {words} words, expected {_KEY_WORDS}")
    modulus = int.from_bytes(blob[8:264], "little")
    rr = int.from_bytes(blob[264:520], "little")
    (exponent,) = struct.unpack_from("<I", blob, 520)
    # The redundant fields must agree with the modulus, or the blob is corrupt.
    if (n0inv * modulus + 1) % (1 << 32) != 0 or rr != pow(2, 4096, modulus):
        raise InvalidKey("key blob fields are inconsistent (n0inv or R^2 do not match the modulus)")
    comment = parts[1].strip() if len(parts) > 1 else ""
    return AndroidPublicKey(modulus, exponent, comment)


class AdbKeyStore:
    """The device's ``adb_keys`` file: one trusted public key per line."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def keys(self) -> list[AndroidPublicKey]:
        """Every valid key in the file (re-read on each call, as adbd does per connection)."""
        if not self.path.exists():
            return []
        keys = []
        for line in self.path.read_text(encoding="ascii", errors="replace").splitlines():
            try:
                keys.append(parse_public_key(line))
            except InvalidKey:
                continue  # adbd skips lines it cannot read
        return keys

    def is_trusted(self, token: bytes, signature: bytes) -> bool:
        """True when any stored key verifies the signature."""
        return any(key.verify(token, signature) for key in self.keys())

    def add(self, key_line: str) -> None:
        """Trust a key, as when the user presses "Allow" and ticks "Always allow from this computer"."""
        parse_public_key(key_line)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="ascii") as handle:
            handle.write(key_line.strip() + "\n")

    def clear(self) -> None:
        """Forget every trusted key (Developer Options: "Revoke USB debugging authorizations")."""
        if self.path.exists():
            self.path.write_text("", encoding="ascii")
