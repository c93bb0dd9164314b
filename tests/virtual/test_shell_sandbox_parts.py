"""The real shell's pure parts and its fallback (no sandbox needed to run these)."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from firebridge.virtual.shell import sandbox
from firebridge.virtual.shell.stubserver import parse_request


def test_without_mksh_toybox_or_bwrap_the_builtin_shell_is_used_and_the_install_line_shown(monkeypatch, capsys):
    monkeypatch.setattr(sandbox.shutil, "which", lambda name: None if name in ("mksh", "bwrap") else f"/usr/bin/{name}")
    info = sandbox.support.__wrapped__()
    assert not info.available and info.missing == ("bwrap", "mksh")
    assert info.describe() == ("built-in shell (missing bwrap, mksh; for the real one: "
                               "apt-get install -y mksh toybox bubblewrap)")
    monkeypatch.setattr(sandbox, "support", lambda: info)
    monkeypatch.setattr(sandbox, "_announced", False)
    device = SimpleNamespace(model=SimpleNamespace(fire_os_major=6))
    assert sandbox.sandbox_for(device) is None
    assert sandbox.sandbox_for(device) is None
    assert capsys.readouterr().err.count("missing bwrap, mksh") == 1  # said once


def test_the_builtin_shell_can_be_asked_for(monkeypatch):
    monkeypatch.setenv("FIREBRIDGE_VIRTUAL_SHELL", "builtin")
    assert not sandbox.enabled()
    assert sandbox.shell_in_use() == "built-in shell (FIREBRIDGE_VIRTUAL_SHELL=builtin)"


@pytest.mark.parametrize("chunks, expected", [
    ([b"E: /system/bin/sh: x: inaccessible or not found\n"], b"/system/bin/sh: x: inaccessible or not found\n"),
    ([b"W: sh: 1/0: zero divisor\n"], b"sh: 1/0: zero divisor\n"),
    ([b"ok\nE: /sys", b"tem/bin/sh: cd: /x: No such file or directory\n"],
     b"ok\n/system/bin/sh: cd: /x: No such file or directory\n"),
    ([b"E: other program's line\n", b"E"], b"E: other program's line\nE"),
    ([b"mantis:/ $ "], b"mantis:/ $ "),
])
def test_mksh_r59_severity_prefixes_are_dropped(chunks, expected):
    messages = sandbox.SeverityFilter()
    assert b"".join(messages.feed(chunk) for chunk in chunks) + messages.flush() == expected


def test_command_sets_follow_the_generation():
    assert "md5sum" not in sandbox.applets_for(5) and "head" not in sandbox.applets_for(5)  # toolbox era
    assert {"head", "tail", "sed", "md5sum", "pidof", "tr"} <= set(sandbox.applets_for(6))
    assert "diff" in sandbox.applets_for(7) and "diff" not in sandbox.applets_for(6)


def test_stub_requests_parse():
    body = json.dumps({"argv": ["getprop", "ro.x"], "env": {"PATH": "/system/bin"}, "cwd": "/"}).encode()
    assert parse_request(body) == (["getprop", "ro.x"], {"PATH": "/system/bin"})
    with pytest.raises(ValueError):
        parse_request(json.dumps({"argv": []}).encode())
