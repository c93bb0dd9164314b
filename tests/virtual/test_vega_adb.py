"""The virtual Vega device (``firebridge virtual --os vega``, its own process) through the real adb server
and the real ``adb`` command line: shell, forwards to the automation toolkit, the journal stream, and
Content Personalization's journal line (seed 002)."""

from __future__ import annotations

import http.client
import json
import queue
import re
import subprocess
import threading
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from firebridge.waiting import wait_until

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
SHORT_PRECISE_STICK = re.compile(r"^[A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d\.\d{6} firestick-[0-9a-f]+ user\.notice "
                                 r"fbprobe\[\d+\]: (?P<msg>.*)$")
# Seed 002's line (first example's spacing), after journald's "<ident>[pid]: ".
SEED_LINE = re.compile(r"\]: INFO com\.amazon\.com_amazon_tv_developer_dataservice\.vega\.vega_alberto_service:"
                       r"VegaAlbertoBinderService PlaybackEventsVegaMessage → message\.sent_timestamp: \d+, "
                       r"page_index : 0, total_page_count: 1, content_id id : (?P<id>\S+), "
                       r"content_id namespace : cdf_id, event_timestamp_ms: \d+, playback_state :(?P<state>\d), "
                       r"duration_ms : \d+, credits_position_ms :\d+$")
REFERENCE = "com.firebridge.reference"


@pytest.fixture(scope="module")
def vega(adb_server, tmp_path_factory):
    from firebridge.lab.benchup import start_trusted_virtual_device

    session = start_trusted_virtual_device(adb_server, tmp_path_factory.mktemp("vega"), os="vega")
    try:
        yield session
    finally:
        try:
            adb_server.client().disconnect(session.serial)
        finally:
            session.process.stop()


@pytest.fixture
def fresh_vega(start_virtual_device):
    return lambda **options: start_virtual_device(os="vega", **options)


def sh(session, command: str):
    result = session.adb("shell", command)
    return result.returncode, result.stdout.decode(), result.stderr.decode()


def forward(session, remote_port: int = 8383) -> int:
    result = session.adb("forward", "tcp:0", f"tcp:{remote_port}")
    assert result.returncode == 0, result.stderr
    return int(result.stdout.decode().strip())


def rpc(port: int, method: str, params: dict | None = None) -> bytes:
    """One JSON-RPC POST to the toolkit; the raw body ("" when the toolkit closes without answering)."""
    payload = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params or {}})
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        connection.request("POST", "/jsonrpc", payload, {"Content-Type": "application/json"})
        return connection.getresponse().read()
    except (http.client.RemoteDisconnected, ConnectionResetError):
        return b""
    finally:
        connection.close()


def launch_with_toolkit(session, component: str, query: str = "") -> None:
    """What a driver does: the flag file, then (re)launch, since the flag is read at launch [ARG]."""
    package = component.rsplit(".", 1)[0]
    assert sh(session, f"touch /tmp/automation-toolkit.enable && vlcm terminate-app --pkg-id {package} && "
                       f"vmsgr send 'pkg://{component}{query}'")[0] == 0


def test_devices_lists_no_android_product_fields(vega):
    out = vega.adb_server.run("devices", "-l").stdout.decode()
    line = next(line for line in out.splitlines() if line.startswith(vega.serial))
    assert " device " in line + " " and "product:" not in line and "model:" not in line


def test_which_loggingctl_prints_a_path(vega):
    status, out, _ = sh(vega, "which loggingctl")
    assert status == 0 and re.fullmatch(r"/\S+/loggingctl\n", out)


def test_getprop_fails_as_a_missing_command(vega):
    for name in ("getprop", "input", "am", "pm", "dumpsys", "settings", "logcat", "uiautomator"):
        result = vega.adb("shell", name)
        assert (result.returncode, result.stdout, result.stderr) == (127, b"", f"sh: {name}: not found\n".encode())


def test_identity_as_vega_prints_it(vega):
    assert sh(vega, "id")[1].startswith("uid=5000(app_user)")
    capture = (SAMPLES / "os_release_vvd_os1.2_sightlineprobe.txt").read_text().rstrip("\n")
    assert sh(vega, "cat /etc/os-release")[1].rstrip("\n") == capture


def test_inputd_cli_screen_size(vega):
    assert sh(vega, "inputd-cli get_screen_size") == (0, "1920 x 1080\n", "")


def test_forward_to_8383_answers_json_rpc(vega):
    port = forward(vega)
    launch_with_toolkit(vega, f"{REFERENCE}.main")
    body = json.loads(rpc(port, "getPageSource"))
    assert body["jsonrpc"] == "2.0" and body["id"] == 1
    source = body["result"]
    assert source.startswith('<?xml version="1.0"?>\n<root id="1">')
    root = ET.fromstring(source.split("\n", 1)[1])
    apps = {app.get("appName"): app for app in root.findall("app")}
    assert set(apps) == {REFERENCE, "com.amazon.smplighthouse.launcher"}
    publisher = apps[REFERENCE].find("traits/publisherRoot")
    assert publisher.get("toolkitName") == "UIToolkit" and publisher.get("applicationName") == REFERENCE
    window = apps[REFERENCE].find("window")
    assert (window.get("width"), window.get("height")) == ("1920", "1080")
    assert any(t.text == "Reference TV" for t in window.iter("text"))
    # Same element vocabulary as the real capture.
    real = ET.fromstring((SAMPLES / "vega_page_source_vvd.xml").read_text().split("\n", 1)[1])
    assert {e.tag for e in root.iter()} <= {e.tag for e in real.iter()}
    assert {a for e in root.iter("child") for a in e.attrib} <= {a for e in real.iter("child") for a in e.attrib}
    unknown = json.loads(rpc(port, "noSuchMethod"))
    assert unknown["error"]["code"] == -32601


def test_toolkit_screenshot_is_a_1080p_png(vega):
    port = forward(vega)
    launch_with_toolkit(vega, f"{REFERENCE}.main")
    import base64
    from io import BytesIO

    from PIL import Image
    png = base64.b64decode(json.loads(rpc(port, "takeScreenshot"))["result"])
    assert Image.open(BytesIO(png)).size == (1920, 1080)


def test_toolkit_is_empty_until_an_app_launches_with_it(fresh_vega):
    device = fresh_vega()
    port = forward(device)
    assert rpc(port, "getPageSource") == b""
    assert sh(device, "touch /tmp/automation-toolkit.enable")[0] == 0
    assert rpc(port, "getPageSource") == b""  # the flag is read at launch
    assert sh(device, f"vmsgr send pkg://{REFERENCE}.main")[0] == 0
    assert b"<root" in rpc(port, "getPageSource")


def _stream_lines(process: subprocess.Popen) -> "queue.Queue[str]":
    lines: "queue.Queue[str]" = queue.Queue()

    def pump() -> None:
        for raw in process.stdout:
            lines.put(raw.decode(errors="replace").rstrip("\r\n"))

    threading.Thread(target=pump, daemon=True).start()
    return lines


def test_loggingctl_follow_streams_a_logger_line(vega):
    stream = subprocess.Popen([str(vega.adb_server.adb), "-P", str(vega.adb_server.port), "-s", vega.serial, "shell",
                               "loggingctl log -f -o short_precise"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=vega.adb_server.env())
    try:
        lines = _stream_lines(stream)
        seen: list[str] = []

        def token_arrived() -> bool:
            # Sent again on every poll: the first may come before the stream has opened.
            sh(vega, "logger -t fbprobe stream-token-7c1")
            while not lines.empty():
                seen.append(lines.get())
            return any("stream-token-7c1" in line for line in seen)

        wait_until(token_arrived, timeout=20, what="the logger line in the loggingctl stream", interval=0.5)
        line = next(line for line in seen if "stream-token-7c1" in line)
        assert SHORT_PRECISE_STICK.match(line), line
    finally:
        stream.kill()
        stream.wait(timeout=10)


def _press(session, *keys: str) -> None:
    for key in keys:
        status, out, _ = sh(session, f"inputd-cli button_press {key}")
        assert status == 0 and out.startswith("Injecting Button Press As Driver:"), out


def _journal(session, pattern: str) -> list[str]:
    return sh(session, f"loggingctl log -o short_precise | grep '{pattern}'")[1].splitlines()


def test_content_personalization_writes_the_seed_line_and_fills_continue_watching(fresh_vega):
    device = fresh_vega()
    # Settings > Preferences > Privacy Settings > Manage Sharing from Apps > both consents > Turn On (seed 002)
    assert sh(device, "vmsgr send pkg://com.amazon.tv.settings.main")[0] == 0
    _press(device, "KEY_ENTER", "KEY_ENTER", "KEY_ENTER", "KEY_ENTER", "KEY_ENTER", "KEY_BACK", "KEY_DOWN",
           "KEY_ENTER", "KEY_ENTER")
    launch_with_toolkit(device, f"{REFERENCE}.main")
    _press(device, "KEY_ENTER")  # play the first title
    _press(device, "KEY_FASTFORWARD")  # 10% in: past the 2% that adds it to Continue Watching
    _press(device, "KEY_HOMEPAGE")
    lines = [m for m in map(SEED_LINE.search, _journal(device, "PlaybackEventsVegaMessage")) if m]
    # Opening the app first shares the demo profile's progress from another device (an Off-Device EXIT
    # of a Tidewater episode); the title played here is the list's first, Night Harbor.
    states = [m["state"] for m in lines if m["id"] == "movie-night-harbor"]
    assert states[0] == "0" and states[-1] == "2", states  # PLAYING first, EXIT when leaving for Home
    port = forward(device)
    root = ET.fromstring(json.loads(rpc(port, "getPageSource"))["result"].split("\n", 1)[1])
    launcher = next(app for app in root.findall("app") if app.get("appName") == "com.amazon.smplighthouse.launcher")
    texts = [t.text for t in launcher.iter("text")]
    assert "Continue Watching" in texts, texts


def test_without_consent_the_line_is_logged_but_the_row_stays_empty(fresh_vega):
    device = fresh_vega()
    launch_with_toolkit(device, f"{REFERENCE}.main")
    _press(device, "KEY_ENTER", "KEY_FASTFORWARD", "KEY_HOMEPAGE")
    assert any(SEED_LINE.search(line) for line in _journal(device, "PlaybackEventsVegaMessage"))
    root = ET.fromstring(json.loads(rpc(forward(device), "getPageSource"))["result"].split("\n", 1)[1])
    assert "Continue Watching" not in [t.text for t in root.iter("text")]


def test_the_vvd_has_no_content_personalization_and_a_placeholder_home(fresh_vega):
    device = fresh_vega(vvd=True)
    assert sh(device, "inputd-cli get_screen_size")[1].startswith("Error: No running instances of")
    assert sh(device, "vsm developer-mode enable")[0] == 0
    launch_with_toolkit(device, f"{REFERENCE}.main")
    _press(device, "KEY_ENTER", "KEY_FASTFORWARD", "KEY_HOMEPAGE")
    assert _journal(device, "PlaybackEventsVegaMessage") == []
    root = ET.fromstring(json.loads(rpc(forward(device), "getPageSource"))["result"].split("\n", 1)[1])
    launcher = next(app for app in root.findall("app") if app.get("appName") == "com.amazon.keplerlauncherapp")
    assert "Kepler Virtual Device is ready" in [t.text for t in launcher.iter("text")]
    assert sh(device, "vmsgr send pkg://com.amazon.smplighthouse.launcher.main")[0] == 255


def test_fault_switch_pushed_to_the_app_data_dir(fresh_vega, tmp_path):
    """Vega has no setprop: Reference TV reads its fault switches from a file in its data dir at launch."""
    device = fresh_vega()
    faults = tmp_path / "firebridge.fault"
    faults.write_text("wrong-cdf-id\n")
    push = device.adb("push", str(faults), f"/home/app_user/packages/{REFERENCE}/data/firebridge.fault")
    assert push.returncode == 0, push.stderr
    launch_with_toolkit(device, f"{REFERENCE}.main")
    _press(device, "KEY_ENTER")
    ids = {m["id"] for m in map(SEED_LINE.search, _journal(device, "PlaybackEventsVegaMessage")) if m}
    # Night Harbor's internal asset id instead of its CDF ID movie-night-harbor; TW-102 likewise for the
    # Tidewater episode whose progress on another device the app shares when it opens.
    assert ids == {"NH-2291", "TW-102"}, ids


def test_push_and_pull_in_tmp(vega, tmp_path):
    source, back = tmp_path / "x.bin", tmp_path / "back.bin"
    source.write_bytes(b"vega" * 1000)
    assert vega.adb("push", str(source), "/tmp/x.bin").returncode == 0
    assert vega.adb("pull", "/tmp/x.bin", str(back)).returncode == 0
    assert back.read_bytes() == source.read_bytes()
    assert vega.adb("push", str(source), "/etc/x.bin").returncode != 0  # only /tmp and the home dir are writable


def test_interactive_shell_prompt_has_no_android_status_prefix(vega):
    import pexpect

    child = pexpect.spawn(str(vega.adb_server.adb), ["-P", str(vega.adb_server.port), "-s", vega.serial, "shell"],
                          env=vega.adb_server.env(), timeout=15)
    try:
        child.expect_exact("$ ")
        child.sendline("getprop; echo status=$?")
        child.expect_exact("status=127")
        child.expect_exact("$ ")
        assert b"127|" not in child.before
        child.sendline("exit")
        child.expect(pexpect.EOF)
    finally:
        child.terminate(force=True)


def test_toolkit_injects_keys_by_linux_code(fresh_vega):
    device = fresh_vega()
    port = forward(device)
    launch_with_toolkit(device, f"{REFERENCE}.main")
    assert json.loads(rpc(port, "injectInputKeyEvent", {"inputKeyEvent": "172"}))["result"] is True  # KEY_HOMEPAGE
    rows = sh(device, "vlcm list")[1].splitlines()
    state = {row.split()[0]: row.split()[4] for row in rows[1:]}
    assert state["com.amazon.smplighthouse.launcher.main"] == "VISIBLE"
    assert state[f"{REFERENCE}.main"] == "NOT_VISIBLE"
