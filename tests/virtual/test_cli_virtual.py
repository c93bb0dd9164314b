"""`firebridge virtual` in the foreground, as a person runs it."""

from __future__ import annotations

import sys

import pexpect

from firebridge.adb.server import AdbServer
from firebridge.adb.connect import connect_device


def test_prints_the_connect_line_and_stops_on_ctrl_c(tmp_path):
    child = pexpect.spawn(sys.executable, ["-m", "firebridge", "virtual", "--port", "0", "--auth", "none",
                                           "--model", "AFTKA"], timeout=20)
    try:
        child.expect(r"Virtual Fire TV AFTKA \(Fire TV Stick 4K Max")
        child.expect(r"adb connect (127\.0\.0\.1:\d+)")
        address = child.match.group(1).decode()
        with AdbServer(home=tmp_path) as server:
            connect_device(server.client(), address)
            assert server.run("-s", address, "shell", "getprop ro.product.model").stdout == b"AFTKA\n"
        child.sendintr()  # Ctrl-C at the terminal
        child.expect("Virtual Fire TV stopped.")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0


def test_a_busy_port_gives_a_clear_error():
    first = pexpect.spawn(sys.executable, ["-m", "firebridge", "virtual", "--port", "0", "--auth", "none"],
                          timeout=20)
    try:
        first.expect(r"adb connect 127\.0\.0\.1:(\d+)")
        port = first.match.group(1).decode()
        second = pexpect.spawn(sys.executable, ["-m", "firebridge", "virtual", "--port", port], timeout=20)
        second.expect(f"cannot listen on 127.0.0.1:{port}.*--port")
        second.expect(pexpect.EOF)
        second.close()
        assert second.exitstatus == 1
    finally:
        first.close(force=True)


def test_unknown_model_is_named_with_the_known_ones():
    output, status = pexpect.run(f"{sys.executable} -m firebridge virtual --model AFTXX --port 0",
                                 withexitstatus=True, timeout=20)
    assert status == 2
    assert b"unknown Fire TV model code 'AFTXX'" in output and b"AFTMM" in output


def test_the_allow_prompt_is_answered_at_the_terminal(tmp_path):
    """With authentication required, the foreground device asks, and Enter allows, as the TV's dialog."""
    from firebridge.adb.connect import device_state
    from firebridge.waiting import wait_until

    child = pexpect.spawn(sys.executable, ["-m", "firebridge", "virtual", "--port", "0"], timeout=20)
    try:
        child.expect(r"adb connect (127\.0\.0\.1:\d+)")
        address = child.match.group(1).decode()
        child.expect("press Enter here when asked")
        with AdbServer(home=tmp_path) as server:
            server.client().connect(address, timeout=10)
            assert device_state(server.client(), address) == "unauthorized"
            child.expect("Allow USB debugging\\? The computer's RSA key is from .*Press Enter to allow.")
            child.sendline("")
            child.expect("Allowed 1 host.")
            wait_until(lambda: device_state(server.client(), address) == "device", 10, "state device")
        child.sendintr()
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)


def test_the_default_port_is_outside_the_adb_servers_emulator_scan():
    """The adb server probes 5555-5585 for emulators: a virtual device there would appear as emulator-5554."""
    from firebridge.cli import build_parser

    port = build_parser().parse_args(["virtual"]).port
    assert port not in range(5555, 5586)
    output = pexpect.run(f"{sys.executable} -m firebridge virtual --help", timeout=20).decode()
    assert f"default {port}" in output and "5555-5585" in output and "emulator" in output
