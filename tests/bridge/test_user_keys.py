"""firebridge's private adb servers sign in with the user's adb keys (``~/.android/adbkey``,
``$ADB_VENDOR_KEYS``): a Fire TV that allowed this computer is authorized through them, through the
real adb server, and one that did not stays unauthorized. The "user" here is a temporary home with a
key pair made by adb itself, so the tests never read or write the real ~/.android."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from firebridge.adb.connect import device_state
from firebridge.adb.server import AdbServer, bundled_adb, free_port
from firebridge.errors import DeviceUnauthorized
from firebridge.selection import DeviceSelector
from firebridge.virtual.process import VirtualFireTVProcess
from firebridge.waiting import wait_until


def _keygen(path: Path) -> str:
    """A key pair made by adb (``adb keygen``: PATH and PATH.pub); returns the public key line."""
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([str(bundled_adb()), "keygen", str(path)], check=True, capture_output=True, timeout=30)
    return (path.parent / f"{path.name}.pub").read_text()


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def user(tmp_path: Path) -> Path:
    """A user's home whose ~/.android holds an adb key pair."""
    _keygen(tmp_path / "user" / ".android" / "adbkey")
    return tmp_path / "user"


@pytest.fixture
def tv_trusting_the_user(user: Path, tmp_path: Path):
    """A virtual Fire TV that allowed only the user's key ("Always allow" earlier), nobody at the TV now."""
    keys = tmp_path / "tv_adb_keys"
    keys.write_text((user / ".android" / "adbkey.pub").read_text())
    with VirtualFireTVProcess(auth="required", adb_keys=keys) as tv:
        yield tv


def _state_after_connect(server: AdbServer, address: str) -> str | None:
    client = server.client()
    client.connect(address, timeout=10)
    wait_until(lambda: device_state(client, address) in ("device", "unauthorized"), 10, f"{address} settled")
    return device_state(client, address)


def test_a_tv_that_trusts_the_users_key_is_authorized_through_a_private_server(user, tv_trusting_the_user, tmp_path):
    before = _files(user)
    with AdbServer(home=tmp_path / "private", user_env={"HOME": str(user)}) as server:
        assert _state_after_connect(server, tv_trusting_the_user.address) == "device"
        assert server.run("-s", tv_trusting_the_user.address, "shell", "echo hi").stdout == b"hi\n"
        # The server's own key is the user's (what "Allow USB debugging?" would show), read where it is.
        own = tmp_path / "private" / ".android" / "adbkey"
        assert own.is_symlink() and own.resolve() == (user / ".android" / "adbkey").resolve()
        assert server.public_key().split()[0] == (user / ".android" / "adbkey.pub").read_text().split()[0]
        assert server.env()["ADB_VENDOR_KEYS"] == str(user / ".android" / "adbkey")
        assert f"the user's key {user / '.android' / 'adbkey'}" in server.describe_keys()
    assert _files(user) == before  # nothing written to the user's ~/.android (no adb.PORT, no new key)
    assert (tmp_path / "private" / ".android" / "adbkey").is_symlink()  # the link, not a copy, was left behind


def test_withheld_the_users_key_the_same_tv_is_unauthorized(user, tv_trusting_the_user, tmp_path):
    stranger = tmp_path / "stranger"
    stranger.mkdir()
    with AdbServer(home=tmp_path / "p1", user_env={"HOME": str(stranger)}) as server:
        assert "ADB_VENDOR_KEYS" not in server.env()
        assert _state_after_connect(server, tv_trusting_the_user.address) == "unauthorized"
        assert not (tmp_path / "p1" / ".android" / "adbkey").is_symlink()  # it made its own key
    with AdbServer(home=tmp_path / "p2", user_keys=False, user_env={"HOME": str(user)}) as server:
        assert _state_after_connect(server, tv_trusting_the_user.address) == "unauthorized"
        assert server.describe_keys().startswith("its own key only")
    assert list(stranger.iterdir()) == []


def test_adb_vendor_keys_files_and_directories_are_offered(tmp_path: Path):
    lab = tmp_path / "lab-keys"
    lab_pub = _keygen(lab / "bench.adb_key")
    _keygen(lab / "ignored.key")  # in a directory adb loads only *.adb_key files
    ci_pub = _keygen(tmp_path / "ci" / "ci_key")
    nobody = tmp_path / "nobody"
    nobody.mkdir()
    env = {"HOME": str(nobody), "ADB_VENDOR_KEYS": os.pathsep.join([str(lab), str(tmp_path / "ci" / "ci_key")])}
    for trusted in (lab_pub, ci_pub):
        keys = tmp_path / "tv_adb_keys"
        keys.write_text(trusted)
        with VirtualFireTVProcess(auth="required", adb_keys=keys) as tv, \
                AdbServer(home=tmp_path / f"p-{free_port()}", user_env=env) as server:
            assert _state_after_connect(server, tv.address) == "device"
    keys.write_text((lab / "ignored.key.pub").read_text())
    with VirtualFireTVProcess(auth="required", adb_keys=keys) as tv, \
            AdbServer(home=tmp_path / "p-last", user_env=env) as server:
        assert _state_after_connect(server, tv.address) == "unauthorized"


def test_selection_starts_its_private_server_with_the_users_key(user, tv_trusting_the_user, tmp_path):
    def selector(home: Path, **options) -> DeviceSelector:
        env = {k: v for k, v in os.environ.items() if k not in ("ADB_SERVER_SOCKET", "ANDROID_ADB_SERVER_ADDRESS",
                                                                 "ANDROID_SERIAL", "ADB_VENDOR_KEYS")}
        # Nothing answers on this port, named by a port alone: selection starts a private server.
        env.update(HOME=str(home), ANDROID_ADB_SERVER_PORT=str(free_port()))
        return DeviceSelector(env=env, workdir=tmp_path / f"select-{home.name}", **options)

    selection = selector(user).select(tv_trusting_the_user.address)
    try:
        assert selection.kind == "network"
        assert selection.firetv.shell("echo hi").stdout == "hi\n"
        note = " | ".join(selection.notes)
        assert "started a private one" in note and f"the user's key {user / '.android' / 'adbkey'}" in note
    finally:
        selection.close()
    stranger = tmp_path / "stranger"
    stranger.mkdir()
    with pytest.raises(DeviceUnauthorized, match="Allow USB debugging"):
        selector(stranger, connect_timeout=1).select(tv_trusting_the_user.address)
