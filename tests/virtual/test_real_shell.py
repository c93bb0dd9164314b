"""The virtual Fire TV's REAL shell (mksh + toybox in a bubblewrap sandbox), through the real adb server.

What a Fire TV's /system/bin/sh answers (compound commands, expansions, toybox tools, Android
commands in pipes), and what the sandbox refuses (host files, network, host processes, fork bombs).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import time
import uuid

import pytest

from firebridge.virtual.shell.sandbox import MAX_PROCESSES, enabled, support

pytestmark = pytest.mark.skipif(not enabled(), reason=f"virtual devices run the {support().describe()}")


def sh(device, script: str, timeout: float = 30.0, input: bytes | None = None) -> subprocess.CompletedProcess:
    return device.adb("shell", script, timeout=timeout, input=input)


def out(device, script: str) -> str:
    result = sh(device, script)
    assert result.returncode == 0, (script, result.stdout, result.stderr)
    return result.stdout.decode()


# --- the shell language: what toy shells got wrong ---------------------------------------------------

@pytest.mark.parametrize("script, expected", [
    ("for i in 1 2 3; do echo $i; done", "1\n2\n3\n"),
    ("i=0; while [ $i -lt 3 ]; do i=$((i+1)); done; echo $i", "3\n"),
    ("if [ -d /sdcard ]; then echo dir; else echo no; fi", "dir\n"),
    ("case fire-tv in fire*) echo amazon;; *) echo other;; esac", "amazon\n"),
    ("until true; do :; done; echo done", "done\n"),
    ("{ echo a; echo b; } | wc -l", "2\n"),
], ids=["for", "while", "if", "case", "until", "group"])
def test_compound_commands(virtual_device, script, expected):
    assert out(virtual_device, script) == expected


def test_subshells_keep_their_changes_to_themselves(virtual_device):
    assert out(virtual_device, "X=outer; (X=inner; cd /sdcard; echo $X $PWD); echo $X $PWD") == \
        "inner /sdcard\nouter /\n"


def test_functions_take_arguments_and_return_status(virtual_device):
    assert out(virtual_device, 'greet() { echo "hello $1"; return 3; }; greet tv; echo $?') == "hello tv\n3\n"


def test_here_documents(virtual_device):
    script = "cat <<EOF\nsum $((1+1))\nEOF\ncat <<'RAW'\n$HOME stays\nRAW"
    assert out(virtual_device, script) == "sum 2\n$HOME stays\n"


@pytest.mark.parametrize("script, expected", [
    ("echo ${X:-default}", "default\n"),
    ("X=set; echo ${X:-default}", "set\n"),
    ("X=abc; echo ${#X} ${X%c} ${X#a}", "3 ab bc\n"),
    ("i=41; echo $((i+1))", "42\n"),
    ("echo $(( (3+4) * 2 ))", "14\n"),
])
def test_parameter_and_arithmetic_expansion(virtual_device, script, expected):
    assert out(virtual_device, script) == expected


# --- toybox tools -------------------------------------------------------------------------------------

@pytest.mark.parametrize("script, expected", [
    ("seq 5 | head -2", "1\n2\n"),
    ("seq 5 | tail -1", "5\n"),
    ("printf 'a b\\nc\\n' | wc -l", "2\n"),
    ("echo hello | sed s/l/L/g", "heLLo\n"),
    ("echo a:b:c | cut -d: -f2", "b\n"),
    ("echo fire | tr a-z A-Z", "FIRE\n"),
    ("printf 'b\\na\\nb\\n' | sort", "a\nb\nb\n"),
    ("printf 'b\\na\\nb\\n' | sort | uniq", "a\nb\n"),
    ("echo -n abc | md5sum", "900150983cd24fb0d6963f7d28e17f72  -\n"),
], ids=["head", "tail", "wc", "sed", "cut", "tr", "sort", "uniq", "md5sum"])
def test_toybox_tools(virtual_device, script, expected):
    assert out(virtual_device, script) == expected


def test_ps_lists_the_session_in_androids_columns(virtual_device):
    lines = out(virtual_device, "ps -A; true").splitlines()  # (a last command replaces the shell)
    assert lines[0].split() == ["USER", "PID", "PPID", "VSIZE", "RSS", "WCHAN", "PC", "S", "NAME"]  # Fire OS 6
    names = [line.split()[-1] for line in lines[1:]]
    assert "sh" in names and "ps" in names
    assert all(line.split()[0] == "shell" for line in lines[1:])


def test_pidof_finds_the_shell(virtual_device):
    pids = out(virtual_device, "pidof sh; true").split()
    assert pids and all(p.isdigit() for p in pids)


def test_proc_uptime_has_the_kernels_format(virtual_device):
    assert re.fullmatch(r"\d+\.\d\d \d+\.\d\d\n", out(virtual_device, "cat /proc/uptime"))


def test_uname_and_id_are_the_devices(virtual_device):
    assert out(virtual_device, "id -un; whoami").split() == ["shell", "shell"]
    assert out(virtual_device, "id").startswith("uid=2000(shell) gid=2000(shell)")


# --- Android commands (stubs served by the device model) with real tools --------------------------------

def test_cmd_package_list_packages_matches_pm(virtual_device):
    listing = out(virtual_device, "cmd package list packages")
    assert "package:com.amazon.tv.launcher\n" in listing
    assert listing == out(virtual_device, "pm list packages")


def test_android_commands_in_pipes(virtual_device):
    assert out(virtual_device, "dumpsys window | grep mCurrentFocus").strip().startswith("mCurrentFocus=Window{")
    head = out(virtual_device, "getprop | head -3").splitlines()
    assert len(head) == 3 and all(re.fullmatch(r"\[[^]]+\]: \[.*\]", line) for line in head)
    assert out(virtual_device, "getprop ro.product.manufacturer | tr A-Z a-z") == "amazon\n"
    assert out(virtual_device, "echo ro.product.model | xargs getprop") == "AFTMM\n"
    assert out(virtual_device, "sh -c 'getprop ro.product.brand' | wc -c") == "7\n"


def test_android_command_output_redirected_to_a_file(virtual_device):
    path = f"/data/local/tmp/{uuid.uuid4().hex}"
    assert out(virtual_device, f"echo first > {path}; getprop ro.product.manufacturer >> {path}; cat {path}") == \
        "first\nAmazon\n"


def test_a_streaming_command_stops_when_its_reader_does(virtual_device):
    started = time.monotonic()
    result = sh(virtual_device, "logcat | head -1; echo after", timeout=30)
    assert result.returncode == 0 and result.stdout.decode().endswith("after\n")
    assert time.monotonic() - started < 20


def test_exit_status_of_android_commands(virtual_device):
    assert sh(virtual_device, "cmd no_such_service").returncode == 20
    assert out(virtual_device, "getprop ro.product.model >/dev/null; echo $?") == "0\n"


# --- the sandbox refuses ------------------------------------------------------------------------------------

def test_host_files_are_not_visible(virtual_device, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("host-only-" + uuid.uuid4().hex)
    result = sh(virtual_device, f"cat {secret}; cat /etc/hostname; ls /home /root /tmp")
    assert result.returncode != 0
    assert secret.read_text().encode() not in result.stdout + result.stderr
    hostname = open("/etc/hostname").read().strip() if os.path.exists("/etc/hostname") else ""
    if hostname and hostname != "localhost":
        assert hostname.encode() not in result.stdout
    assert out(virtual_device, "hostname") == "localhost\n"


def test_host_files_cannot_be_written(virtual_device):
    name = f"firebridge-escape-{uuid.uuid4().hex}"
    result = sh(virtual_device, f"echo x > /tmp/{name}; echo x > /{name}; touch /system/{name}; "
                                f"echo x > /data/{name}; mkdir -p /tmp/{name}")
    assert result.returncode != 0
    assert not os.path.exists(f"/tmp/{name}") and not os.path.exists(f"/{name}")
    assert out(virtual_device, f"ls / /system /data | grep -c {name}; true") == "0\n"


def test_the_network_is_unreachable(virtual_device):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    try:
        result = sh(virtual_device, f"echo hi | toybox nc -w 2 127.0.0.1 {port}; echo status=$?")
        assert "status=0" not in result.stdout.decode()
        with pytest.raises(socket.timeout):
            listener.accept()
        assert out(virtual_device, "ls /sys/class/net 2>/dev/null; cat /proc/net/dev | grep -c :") == "1\n"
    finally:
        listener.close()


def test_host_processes_are_not_visible(virtual_device):
    listing = out(virtual_device, "ps -A -o PID,NAME")
    rows = listing.splitlines()[1:]
    assert len(rows) < 8, listing
    assert not re.search(r"\b(adb|python3?|pytest)\b", listing), listing
    assert str(os.getpid()) not in out(virtual_device, "ls /proc").split()


def test_each_session_has_its_own_processes(virtual_device):
    out(virtual_device, "sleep 300 & echo started")
    assert "sleep" not in out(virtual_device, "ps -A")


def test_a_fork_bomb_is_bounded_and_the_device_stays_responsive(virtual_device):
    started = time.monotonic()
    # The classic bomb (named b: in mksh the special builtin ':' wins over a function ':'), watched for
    # 3 s by the session's shell, counting with builtins only: no fork is left once the bomb took them.
    result = sh(virtual_device, "b(){ b|b& };b; sleep 3; set -- /proc/[0-9]*; echo $#", timeout=120)
    assert MAX_PROCESSES // 2 < int(result.stdout) <= MAX_PROCESSES + 2, result
    assert out(virtual_device, "echo alive") == "alive\n"  # and its processes ended with its session
    assert time.monotonic() - started < 100
    assert int(out(virtual_device, "set -- /proc/[0-9]*; echo $#")) < 5


def test_limits_are_set(virtual_device):
    limits = out(virtual_device, "ulimit -t; ulimit -p").split()
    assert limits[0] != "unlimited" and limits[1] != "unlimited"


def test_device_files_persist_between_sessions(virtual_device):
    path = f"/sdcard/{uuid.uuid4().hex}.txt"
    out(virtual_device, f"echo kept > {path}")
    assert out(virtual_device, f"cat {path}") == "kept\n"
    pulled = virtual_device.adb("shell", f"ls {path}")
    assert pulled.stdout.decode().strip() == path


def test_a_pty_session_translates_newlines(virtual_device):
    result = virtual_device.adb("shell", "-t", "-t", "echo hi; tty")
    assert result.stdout.startswith(b"hi\r\n/dev/")  # (/dev/console: bwrap's name for the terminal)


def test_device_symlinks_do_not_lead_the_device_model_out(virtual_device, tmp_path):
    """A link made with the real ln points at a host path for the device model (adb pull, screencap
    writing a file): the model refuses to follow it out of the device's tree."""
    secret = tmp_path / "host.txt"
    secret.write_text("host-only-" + uuid.uuid4().hex)
    planted = tmp_path / "planted.png"
    name = uuid.uuid4().hex
    out(virtual_device, f"ln -s {secret} /sdcard/{name}.lnk; ln -s {planted} /sdcard/{name}.png; echo ok")
    pulled = tmp_path / "pulled"
    result = virtual_device.adb("pull", f"/sdcard/{name}.lnk", str(pulled))
    # Fire OS 7+ (stat_v2): the pull fails. AFTMM (Fire OS 6) has no stat_v2: the old STAT cannot say
    # ENOENT, so adb takes the unreadable link for a directory and pulls nothing.
    assert result.returncode != 0 or b"0 files pulled" in result.stderr
    if pulled.is_dir():
        assert not any(pulled.iterdir())
    else:
        assert not pulled.exists() or secret.read_text() not in pulled.read_text(errors="replace")
    assert sh(virtual_device, f"screencap -p /sdcard/{name}.png").returncode != 0
    assert not planted.exists()
    assert out(virtual_device, f"ls /sdcard/{name}.lnk; rm /sdcard/{name}.lnk /sdcard/{name}.png; echo gone") == \
        f"/sdcard/{name}.lnk\ngone\n"
