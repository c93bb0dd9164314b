"""The user's adb keys, found where adb itself looks for them.

AOSP adb (packages/modules/adb) signs a device's AUTH token with every private key it loaded at
start-up (client/auth.cpp, ``adb_auth_init``):

- the user key ``adb_get_android_dir_path() + "/adbkey"`` (generated there when absent), where
  ``adb_get_android_dir_path()`` is ``adb_get_homedir_path() + "/.android"`` and the home directory is
  ``$HOME``, else the passwd entry's home (Windows: the profile folder) — adb_utils.cpp. adb reads
  neither ``$ANDROID_USER_HOME`` nor ``$ANDROID_SDK_HOME`` (those belong to the SDK tools and the
  emulator), so neither does firebridge: the key adb would use is the key firebridge uses;
- every entry of ``$ADB_VENDOR_KEYS`` (split on the platform's path separator): a file is loaded as a
  key, a directory contributes its ``*.adb_key`` files.

An adb server firebridge starts with a private ``HOME`` (so it writes nothing into the user's
``~/.android``) gets these through ``$ADB_VENDOR_KEYS``; see :class:`firebridge.adb.server.AdbServer`.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

USER_KEY_NAME = "adbkey"
VENDOR_KEYS_VARIABLE = "ADB_VENDOR_KEYS"
VENDOR_KEY_SUFFIX = ".adb_key"  # what adb loads from a directory named in $ADB_VENDOR_KEYS


def home_dir(env: Mapping[str, str] | None = None) -> Path:
    """The home directory adb would use: ``$HOME``, else the passwd entry (Windows: ``%USERPROFILE%``)."""
    env = os.environ if env is None else env
    if os.name == "nt":
        return Path(env.get("USERPROFILE") or Path.home())
    home = env.get("HOME")
    if home is not None:
        return Path(home)
    import pwd
    return Path(pwd.getpwuid(os.getuid()).pw_dir)


def user_android_dir(env: Mapping[str, str] | None = None) -> Path:
    """``<home>/.android``: where adb keeps (and would generate) the user's ``adbkey``."""
    return home_dir(env) / ".android"


def vendor_key_entries(env: Mapping[str, str] | None = None) -> list[Path]:
    """The entries of ``$ADB_VENDOR_KEYS`` in order (files or directories; empty entries dropped)."""
    env = os.environ if env is None else env
    return [Path(entry) for entry in env.get(VENDOR_KEYS_VARIABLE, "").split(os.pathsep) if entry]


@dataclass(frozen=True)
class UserKeys:
    """The keys a user's own adb server would sign with."""

    android_dir: Path
    user_key: Path | None  # <home>/.android/adbkey when it exists
    vendor: tuple[Path, ...]  # $ADB_VENDOR_KEYS entries that exist
    missing: tuple[Path, ...]  # $ADB_VENDOR_KEYS entries that do not (adb would log and skip them)

    @property
    def paths(self) -> list[Path]:
        """What a server with another HOME needs in ``$ADB_VENDOR_KEYS`` to sign as the user does."""
        return ([self.user_key] if self.user_key else []) + list(self.vendor)

    def vendor_keys_value(self) -> str:
        """``paths`` joined as ``$ADB_VENDOR_KEYS`` is written ("" when there is nothing to offer)."""
        return os.pathsep.join(str(path) for path in self.paths)

    def describe(self) -> str:
        """For notes and messages: which keys, from where."""
        parts = [f"the user's key {self.user_key}" if self.user_key
                 else f"no user key (no {self.android_dir / USER_KEY_NAME})"]
        if self.vendor:
            parts.append(f"$ADB_VENDOR_KEYS ({', '.join(str(path) for path in self.vendor)})")
        if self.missing:
            parts.append(f"$ADB_VENDOR_KEYS entries that do not exist: {', '.join(str(p) for p in self.missing)}")
        return "; ".join(parts)


def find_user_keys(env: Mapping[str, str] | None = None) -> UserKeys:
    """The user's adb keys as adb would find them in ``env`` (default: this process's environment)."""
    android_dir = user_android_dir(env)
    user_key = android_dir / USER_KEY_NAME
    entries = vendor_key_entries(env)
    return UserKeys(android_dir, user_key if user_key.is_file() else None,
                    tuple(path for path in entries if path.exists()),
                    tuple(path for path in entries if not path.exists()))


def public_key_of(adb: Path, private_key: Path, timeout: float = 10.0) -> str | None:
    """The ``adbkey.pub`` line of a private key (``adb pubkey FILE``, which computes it as the server
    does when it offers the key), or None when adb cannot read the key."""
    try:
        result = subprocess.run([str(adb), "pubkey", str(private_key)], capture_output=True, text=True,
                                timeout=timeout)
    except (OSError, subprocess.TimeoutExpired):
        return None
    line = result.stdout.strip()
    return line + "\n" if result.returncode == 0 and line else None


_SERVER_VENDOR_KEYS = re.compile(r"\$ADB_VENDOR_KEYS is (.*)")


def server_vendor_keys(refusal: str) -> str | None:
    """What an adb server says its ``$ADB_VENDOR_KEYS`` is, from its refusal of an unauthorized device
    ("This adb server's $ADB_VENDOR_KEYS is /k/adbkey" / "... is not set"); None when it does not say (pure)."""
    match = _SERVER_VENDOR_KEYS.search(refusal)
    return match.group(1).strip() if match else None
