"""VegaDriver's command building and output handling, over a tiny fake Transport that replays real
captured outputs (the end-to-end tests against the virtual Vega device come with it)."""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from typing import Callable

import pytest

from firebridge.adb.shell import ShellResult
from firebridge.driver.protocol import Feature, Platform, Transport
from firebridge.platforms.vega import identity as ident
from firebridge.platforms.vega.driver import PMR_REASON, VegaDriver, parse_epoch_ms
from firebridge.platforms.vega.errors import (AppCommandFailed, DeveloperModeOff, KeyNotTaken, ScreenshotFailed,
                                              ToolkitUnavailable, VegaError)

from ..conftest import SAMPLES

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
XML = (SAMPLES / "page_source_multitv_app_and_launcher_vvd_argent.xml").read_text()
OS_RELEASE = (SAMPLES / "os_release_vvd_os1.2_sightlineprobe.txt").read_text()
VVD_CARDS = "0 [SoundCard      ]: virtio-snd - VirtIO SoundCard\n"
DEV_OFF = (SAMPLES / "inputd_cli_dev_mode_off_error_vvd_argent.txt").read_text()
VMSGR_ERROR = (SAMPLES / "vmsgr_send_cli_send_error_vvd_dicechess-tv.txt").read_text()

Answer = str | tuple[str, str, int] | Callable[[str], "str | tuple[str, str, int]"]


@dataclass
class FakeTransport:
    """Answers shell commands by the first matching pattern; records every command."""

    answers: list[tuple[str, Answer]] = field(default_factory=list)
    binary: dict[str, bytes] = field(default_factory=dict)
    serial: str = "emulator-5554"
    commands: list[str] = field(default_factory=list)

    def shell(self, command, timeout=None) -> ShellResult:
        self.commands.append(command)
        for pattern, answer in self.answers:
            if re.search(pattern, command):
                value = answer(command) if callable(answer) else answer
                out, err, code = (value, "", 0) if isinstance(value, str) else value
                return ShellResult(command, out, err, code)
        raise AssertionError(f"unexpected command {command!r}")

    def exec_out(self, command, timeout=None) -> bytes:
        self.commands.append(command)
        for pattern, data in self.binary.items():
            if re.search(pattern, command):
                return data
        return b""


def identity_output(cards: str = VVD_CARDS) -> str:
    return f"\n{ident.SECTION}\n".join([OS_RELEASE, "amazon-3ef2badfb9a39e0b", cards, "", "", "aarch64"])


def driver(*answers, serial="emulator-5554", stick=False, **binary) -> tuple[VegaDriver, FakeTransport]:
    cards = " 0 [mtsndcard ]: mt8696 - mt-snd-card\n" if stick else VVD_CARDS
    transport = FakeTransport([*answers, (re.escape(ident.IDENTITY_COMMAND), identity_output(cards))],
                              binary=binary.get("binary", {}), serial="G071R20720350DT6" if stick else serial)
    return VegaDriver(transport), transport


def presses(command: str) -> str:
    names = re.search(r"for k in (.*?); do", command).group(1).split()
    return "".join(f"Injecting Button Press As Driver: {n} State: short\n" for n in names)


def test_fake_is_a_transport():
    assert isinstance(FakeTransport(), Transport)


def test_identity_and_supports_on_the_vvd():
    vega, transport = driver()
    assert vega.platform is Platform.VEGA
    identity = vega.identity()
    assert (identity.model, identity.os_version, identity.build) == ("Vega Virtual Device", "1.2", "OS 1.2 (TV Ship/101520710)")
    assert vega.supports(Feature.PMR).reason == PMR_REASON == \
        "PMR is a Fire OS feature (Android notifications); Vega OS has no PMR"
    assert not vega.supports(Feature.CONTENT_PERSONALIZATION) and "Virtual Device" in vega.supports(Feature.CONTENT_PERSONALIZATION).reason
    assert not vega.supports(Feature.HOME_ROWS)
    # The consents gate Content Personalization, which the VVD does not have: nothing to set there.
    assert not vega.supports(Feature.PRIVACY_SETTINGS)
    assert vega.supports(Feature.UI_TREE) and vega.supports(Feature.SCREENSHOT)
    assert transport.commands.count(ident.IDENTITY_COMMAND) == 1  # read once


def test_supports_on_a_stick():
    vega, _ = driver(stick=True)
    assert not vega.is_virtual and vega.identity().model == "Vega device"
    assert not vega.supports(Feature.PMR)
    assert vega.supports(Feature.CONTENT_PERSONALIZATION) and vega.supports(Feature.HOME_ROWS)


def test_several_keys_are_one_shell_call_each_verified():
    vega, transport = driver((r"inputd-cli button_press", presses))
    vega.press(["UP", "UP", "SELECT", "HOME", "BACK"])
    assert len(transport.commands) == 1
    assert "for k in KEY_UP KEY_UP KEY_ENTER KEY_HOMEPAGE KEY_BACK; do" in transport.commands[0]


def test_developer_mode_off_is_a_typed_error():
    vega, _ = driver((r"inputd-cli", DEV_OFF), stick=True)  # a stick's developer mode is the user's to switch
    with pytest.raises(DeveloperModeOff, match="vsm developer-mode enable"):
        vega.press(["SELECT"])
    with pytest.raises(DeveloperModeOff):
        vega.screen_size()


def test_the_vvd_turns_developer_mode_on_once_then_says_so():
    vega, transport = driver((r"inputd-cli", DEV_OFF), (r"^vsm developer-mode enable", ""))
    with pytest.raises(DeveloperModeOff, match="vsm developer-mode enable"):
        vega.press(["SELECT"])  # enabled once (the VVD's documented one-time step), still off: the typed error
    assert sum(c.startswith("vsm developer-mode enable") for c in transport.commands) == 1


def test_an_unconfirmed_press_raises():
    vega, _ = driver((r"inputd-cli", "Injecting Button Press As Driver: KEY_UP State: short\n"))
    with pytest.raises(KeyNotTaken, match="KEY_DOWN"):
        vega.press(["UP", "DOWN"])


def test_long_press_and_text():
    vega, transport = driver((r"button_press", presses), (r"send_text", ""))
    vega.long_press("SELECT")
    assert "--holdDuration 2500" in transport.commands[-1]
    vega.type_text("it's")
    assert transport.commands[-1] == "inputd-cli send_text 'it'\"'\"'s' 2>&1"


def test_launch_enables_the_toolkit_and_sends_pkg_uri():
    vega, transport = driver((r"vmsgr send", ""))
    vega.launch("com.example.app")
    assert transport.commands[-1] == ("touch /tmp/automation-toolkit.enable 2>/dev/null; "
                                      "vmsgr send pkg://com.example.app.main 2>&1")
    vega.open_link("com.example.app", "contentId=42")
    assert transport.commands[-1].endswith("vmsgr send 'pkg://com.example.app.main?contentId=42' 2>&1")
    vega.launch("com.example.app", component="com.example.app.player")
    assert "pkg://com.example.app.player" in transport.commands[-1]


def test_launch_failure_uses_the_output_even_with_exit_0():
    vega, _ = driver((r"vmsgr send", (VMSGR_ERROR, "", 0)))
    with pytest.raises(AppCommandFailed, match="CLI Send Error"):
        vega.launch("com.amazon.smplighthouse.launcher")


VLCM = ("application type pid id state lifespan timeout args\n"
        "com.amazon.keplerlauncherapp.main I 812 1 NOT_VISIBLE default none -\n"
        "com.example.app.main I 4021 7 VISIBLE default none -\n")


def test_foreground_app_and_stop():
    vega, transport = driver((r"vlcm list", VLCM), (r"vlcm terminate-app", ""))
    assert vega.foreground_app() == "com.example.app.main"
    vega.stop("com.example.app")
    assert "vlcm terminate-app --pkg-id com.example.app 2>&1" in transport.commands


def test_stop_error_is_fine_when_the_app_is_gone_and_raised_when_it_runs():
    not_running = "Error: No running instances of com.other.app found"
    vega, _ = driver((r"vlcm terminate-app", (not_running, "", 0)), (r"vlcm list", VLCM))
    vega.stop("com.other.app")
    vega2, _ = driver((r"vlcm terminate-app", ("Error sending request (-7)", "", 0)), (r"vlcm list", VLCM))
    with pytest.raises(AppCommandFailed, match="-7"):
        vega2.stop("com.example.app")


def test_packages():
    listing = "package ids: \n    com.amazondeveloper.test\n    com.example.app\n"
    vega, transport = driver((r"vpm list packages", listing), (r"vpm info", "id: com.example.app.main\ntype: interactive\n"),
                             (r"vpm uninstall", ""))
    assert vega.is_installed("com.example.app") and not vega.is_installed("com.example.other")
    assert vega.package_info("com.example.app.main")["type"] == "interactive"
    vega.uninstall("com.example.app")
    assert transport.commands[-1] == "vpm uninstall com.example.app 2>&1"


def test_install_pushes_to_tmp_then_vpm_installs(tmp_path):
    vega, transport = driver((r"vpm install", "Installed"), (r"rm -f", ""))
    pushed = []
    transport.push = lambda local, remote: pushed.append((local, remote))
    vpkg = tmp_path / "app_aarch64.vpkg"
    vpkg.write_bytes(b"x")
    vega.install(vpkg)
    assert pushed == [(str(vpkg), "/tmp/app_aarch64.vpkg")]
    assert "vpm install /tmp/app_aarch64.vpkg 2>&1" in transport.commands


def _curl(reply: str):
    return (r"^curl -s", reply)


def test_ui_tree_through_on_device_curl_when_the_transport_has_no_adb_server():
    reply = json.dumps({"jsonrpc": "2.0", "id": 1, "result": XML})
    vega, transport = driver(_curl(reply))
    tree = vega.ui_tree()
    assert tree.packages == ["com.giolaq.multitv.vega", "com.amazon.keplerlauncherapp"]
    assert tree.focused().resource_id == "62"
    assert "http://127.0.0.1:8383/jsonrpc" in transport.commands[-1]
    assert '"method": "getPageSource"' in transport.commands[-1]


def test_an_empty_toolkit_reply_says_relaunch():
    vega, _ = driver(_curl(("", "", 7)))
    vega.enable_toolkit = False  # no relaunch of the app on screen: the typed error straight away
    with pytest.raises(ToolkitUnavailable, match="automation-toolkit.enable"):
        vega.ui_tree()
    with pytest.raises(ToolkitUnavailable):
        vega.ui_tree(timeout=0.3)  # retried until the timeout, then the same typed error


def test_home_tree_is_the_launcher_part():
    reply = json.dumps({"jsonrpc": "2.0", "id": 1, "result": XML})
    vega, transport = driver(_curl(reply), (r"button_press", presses))
    home = vega.home_tree()
    assert home.packages == ["com.amazon.keplerlauncherapp"]
    assert "KEY_HOMEPAGE" in transport.commands[0]  # home first, then the page source


def test_screenshot_on_the_vvd_uses_the_toolkit():
    reply = json.dumps({"jsonrpc": "2.0", "id": 1, "result": base64.b64encode(PNG).decode()})
    vega, transport = driver(_curl(reply))
    assert vega.screenshot() == PNG
    assert not any("gwsi-tool-screenshooter" in c for c in transport.commands)


def test_screenshot_on_a_stick_uses_the_screenshooter():
    vega, transport = driver((r"gwsi-tool-screenshooter", ""), stick=True, binary={r"^cat /tmp/firebridge-screenshot.png": PNG})
    assert vega.screenshot() == PNG
    assert "gwsi-tool-screenshooter /tmp/firebridge-screenshot.png" in transport.commands[-2]


def test_screenshot_failure_says_both_reasons():
    vega, _ = driver((r"gwsi-tool-screenshooter", "error obtaining user profile object"), _curl(""), stick=True)
    with pytest.raises(ScreenshotFailed, match="(?s)gwsi-tool-screenshooter made no PNG.*Relaunch"):
        vega.screenshot()


def test_logs():
    vega, transport = driver((r"^logger ", ""), (r"loggingctl log -o short_precise", "a\nb\n"))
    assert vega.log_command() == ["shell", "loggingctl", "log", "-f", "-o", "short_precise"]
    record = vega.parse_log_line("Oct 01 21:40:00.000001 amazon-761010f39a2ef58a fb-mark[4242]: step 3")
    assert record.message == "step 3"
    vega.log_marker("fb-mark", "step 3; it's")
    assert transport.commands[-1] == "logger -t fb-mark -p user.info -- 'step 3; it'\"'\"'s' 2>&1"
    assert vega.log_excerpt(50) == "a\nb\n" and "tail -n 50" in transport.commands[-1]
    bad, _ = driver((r"^logger ", ("/bin/sh: logger: not found", "", 127)))
    with pytest.raises(VegaError, match="logger"):
        bad.log_marker("t", "m")


def test_device_clock():
    vega, _ = driver((r"^date", "1790889342521654321\n"))
    assert vega.device_time_ms() == 1790889342521
    assert parse_epoch_ms("1790889342N\n") == 1790889342000       # a date without %N
    assert parse_epoch_ms("1790889342%N") == 1790889342000
    assert parse_epoch_ms("1790889342521") == 1790889342521
    with pytest.raises(VegaError):
        parse_epoch_ms("date: invalid format")


def test_open_settings_has_no_direct_way():
    vega, transport = driver()
    assert vega.open_settings("privacy") is False and transport.commands == []


def test_ui_tree_over_a_forwarded_port(tmp_path):
    """The HTTP route: POST /jsonrpc to the port the adb server forwarded (here a local stand-in for the
    device's toolkit, reached through a stand-in forward)."""
    import http.server
    import threading

    bodies = []

    class Toolkit(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            bodies.append((self.path, self.headers["Content-Type"], json.loads(self.rfile.read(int(self.headers["Content-Length"])))))
            data = json.dumps({"jsonrpc": "2.0", "id": 1, "result": XML}).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Toolkit)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    forwards = []

    class Server:
        host = "127.0.0.1"

        def forward(self, serial, local, remote):
            forwards.append((serial, local, remote))
            return httpd.server_address[1]

        def remove_forward(self, serial, local):
            forwards.remove(("emulator-5554", "tcp:0", "tcp:8383"))

    try:
        vega, transport = driver()
        transport.server = Server()
        assert vega.ui_tree().focused().resource_id == "62"
        assert vega.ui_tree().packages[0] == "com.giolaq.multitv.vega"
        assert forwards == [("emulator-5554", "tcp:0", "tcp:8383")]   # one forward, reused
        assert bodies[0] == ("/jsonrpc", "application/json",
                             {"jsonrpc": "2.0", "id": 1, "method": "getPageSource", "params": {}})
        assert transport.commands == []                               # nothing through the device shell
        vega.close()
        assert forwards == []
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_vega_driver_has_every_method_of_the_driver_protocol():
    import inspect

    from firebridge.driver.protocol import Driver

    wanted = {name: member for name, member in vars(Driver).items() if inspect.isfunction(member) and not name.startswith("_")}
    assert wanted  # the protocol has methods to check
    for name, member in wanted.items():
        mine = getattr(VegaDriver, name, None)
        assert callable(mine), name
        assert list(inspect.signature(mine).parameters) == list(inspect.signature(member).parameters), name


def test_relaunch_stops_then_launches_with_the_toolkit_flag():
    vega, transport = driver((r"^touch ", ""), (r"vlcm terminate-app", ""), (r"vmsgr send", ""), (r"vlcm list", VLCM))
    vega.relaunch("com.example.app")
    assert transport.commands == ["touch /tmp/automation-toolkit.enable",  # before the stop (docstring)
                                  "vlcm terminate-app --pkg-id com.example.app 2>&1",
                                  "touch /tmp/automation-toolkit.enable 2>/dev/null; vmsgr send pkg://com.example.app.main 2>&1",
                                  "vlcm list 2>&1"]  # then it waits for the app to be in front (its tree is read next)


def test_launch_with_wait_returns_once_vlcm_shows_the_app_visible():
    # vmsgr returns when the message is delivered; the app is LAUNCHED, then VISIBLE from its first frame.
    answers = iter([VLCM.replace("4021 7 VISIBLE", "4021 7 LAUNCHED").replace("NOT_VISIBLE", "VISIBLE")] * 2 + [VLCM])
    vega, transport = driver((r"vmsgr send", ""), (r"vlcm list", lambda command: next(answers)))
    vega.launch("com.example.app", wait=True)
    assert transport.commands.count("vlcm list 2>&1") == 3
    vega.launch("com.example.app")  # without wait: the message only
    assert transport.commands[-1].endswith("vmsgr send pkg://com.example.app.main 2>&1")


def test_home_tree_without_the_launcher_says_how_to_get_it():
    app_only = XML.split('<app id="4294967297"')[0] + "</root>"
    vega, _ = driver(_curl(json.dumps({"jsonrpc": "2.0", "id": 1, "result": app_only})), (r"button_press", presses))
    with pytest.raises(ToolkitUnavailable, match=r"relaunch\('com.amazon.keplerlauncherapp'\)"):
        vega.home_tree(timeout=None)


def test_a_lost_forward_is_set_up_again_once():
    import socket

    with socket.socket() as probe:  # a port with no listener: the forward that vanished
        probe.bind(("127.0.0.1", 0))
        dead_port = probe.getsockname()[1]
    forwards = []

    class Server:
        host = "127.0.0.1"

        def forward(self, serial, local, remote):
            forwards.append(local)
            return dead_port

    vega, transport = driver()
    vega.enable_toolkit = False
    transport.server = Server()
    with pytest.raises(ToolkitUnavailable):
        vega.ui_tree()
    assert forwards == ["tcp:0", "tcp:0"]


def test_a_failing_vlcm_list_is_not_read_as_no_app():
    vega, _ = driver((r"vlcm list", ("/bin/sh: vlcm: not found", "", 127)))
    with pytest.raises(AppCommandFailed, match="vlcm list"):
        vega.foreground_app()


def test_a_single_key_name_is_one_key():
    vega, transport = driver((r"inputd-cli button_press", presses))
    vega.press("SELECT")
    assert "for k in KEY_ENTER; do" in transport.commands[0]
