"""firebridge.capabilities.remote over the Fire OS driver: key names (firebridge.driver.keys) and their Android
codes, one batched `input keyevent` (firebridge.platforms.fireos.input), long press/hold, and focus navigation
(pure geometry, a scripted screen, and the virtual Fire TV through the real adb server)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from firebridge.capabilities.remote import Key, NavigationError, Remote, UnknownKey, parse_key, plan_move
from firebridge.adb.shell import ShellResult
from firebridge.driver.ui import Bounds, UiTree
from firebridge.platforms.fireos.driver import FireOSDriver
from firebridge.platforms.fireos.input import InputCapabilities, keyevent_command, parse_input_usage
from firebridge.platforms.fireos.keycodes import KEY_CODES, android_code, android_name
from firebridge.platforms.fireos.uiautomator import parse_dump

# Usage lines as the devices print them: Fire OS <= 8 (AOSP Input.java, what the virtual device prints)
# and `cmd input` of newer Android (AOSP InputShellCommand.onHelp).
LEGACY_USAGE = ("Usage: input [<source>] <command> [<arg>...]\n\nThe commands and default sources are:\n"
                "      text <string> (Default: touchscreen)\n"
                "      keyevent [--longpress] <key code number or name> ... (Default: keyboard)\n")
NEW_USAGE = ("Usage: input [<source>] [-d DISPLAY_ID] <command> [<arg>...]\n"
             "      keyevent [--longpress|--duration <duration to hold key down in ms>] [--doubletap] [--async] "
             "[--delay <duration between keycodes in ms>] <key code number or name> ... (Default: keyboard)\n")


# -- keys ------------------------------------------------------------------------------------------
def test_keys_are_platform_free_names():
    assert Key.HOME == "HOME" and Key.SELECT.value == "SELECT" and str(Key.UP) == "UP"
    assert Key.SELECT is Key.DPAD_CENTER and Key.MEDIA_PLAY_PAUSE is Key.PLAY_PAUSE and Key.DPAD_UP is Key.UP


def test_remote_keys_have_android_codes_on_fire_os():
    assert tuple(android_code(k) for k in (Key.HOME, Key.BACK, Key.MENU)) == (3, 4, 82)
    assert [android_code(k) for k in (Key.DPAD_UP, Key.DPAD_DOWN, Key.DPAD_LEFT, Key.DPAD_RIGHT, Key.DPAD_CENTER)] == [
        19, 20, 21, 22, 23]
    assert [android_code(k) for k in (Key.PLAY_PAUSE, Key.REWIND, Key.FAST_FORWARD, Key.SEARCH)] == [85, 89, 90, 84]
    assert [android_code(k) for k in (Key.MEDIA_PLAY, Key.MEDIA_PAUSE, Key.ENTER, Key.WAKEUP)] == [126, 127, 66, 224]
    assert android_name(Key.PLAY_PAUSE) == "KEYCODE_MEDIA_PLAY_PAUSE"
    assert android_name("SELECT") == "KEYCODE_DPAD_CENTER"
    assert set(KEY_CODES) == set(Key)  # every key name has a Fire OS code


@pytest.mark.parametrize("given", ["HOME", "home", "KEYCODE_HOME", "keycode_home", " home ", Key.HOME])
def test_parse_key_accepts_names_and_prefixes(given):
    assert parse_key(given) is Key.HOME


@pytest.mark.parametrize("given, key", [("SELECT", Key.DPAD_CENTER), ("dpad-up", Key.DPAD_UP), ("dpad up", Key.DPAD_UP),
                                        ("KEYCODE_MEDIA_FAST_FORWARD", Key.FAST_FORWARD), ("up", Key.DPAD_UP),
                                        ("DPAD_CENTER", Key.SELECT), ("KEYCODE_MEDIA_PLAY_PAUSE", Key.PLAY_PAUSE)])
def test_parse_key_aliases(given, key):
    assert parse_key(given) is key


def test_unknown_key_names_close_matches_and_the_valid_names():
    with pytest.raises(UnknownKey) as info:
        parse_key("HOEM")
    assert info.value.close_matches[0] == "HOME"
    assert "did you mean HOME" in str(info.value) and "DPAD_CENTER" in str(info.value)
    with pytest.raises(UnknownKey, match="did you mean DPAD_LEFT"):
        parse_key("DPAD_LEFTT")


def test_key_codes_and_keys_not_on_the_remote_are_refused():
    with pytest.raises(UnknownKey, match="unknown key 'KEYCODE_A'"):
        parse_key("KEYCODE_A")
    with pytest.raises(UnknownKey, match="not a key name"):
        parse_key(29)  # type: ignore[arg-type]
    with pytest.raises(UnknownKey, match="is a key code, not a key name"):
        parse_key("3")
    with pytest.raises(UnknownKey):
        parse_key(True)
    with pytest.raises(UnknownKey):
        parse_key(None)  # type: ignore[arg-type]


def test_keyevent_command_batches_every_key_in_one_call():
    assert keyevent_command(["DPAD_DOWN", "DPAD_DOWN", "SELECT"]) == ["input", "keyevent", "20", "20", "23"]
    assert keyevent_command([Key.MENU], longpress=True) == ["input", "keyevent", "--longpress", "82"]
    assert keyevent_command(["HOME"], duration_ms=1500) == ["input", "keyevent", "--duration", "1500", "3"]
    with pytest.raises(ValueError):
        keyevent_command([])
    with pytest.raises(ValueError, match="cannot be combined"):
        keyevent_command(["HOME"], longpress=True, duration_ms=5)
    with pytest.raises(UnknownKey):
        keyevent_command(["HOME", "NOPE"])  # validated before anything is sent


def test_input_usage_says_whether_keys_can_be_held():
    assert parse_input_usage(LEGACY_USAGE) == InputCapabilities(longpress=True, duration=False)
    assert parse_input_usage(NEW_USAGE) == InputCapabilities(longpress=True, duration=True)
    assert parse_input_usage("") == InputCapabilities(longpress=False, duration=False)


# -- a scripted device --------------------------------------------------------------------------
@dataclass
class FakeDevice:
    """A Shell whose screen is a grid of tiles; D-pad keys in `input keyevent` move the focus."""

    rows: list[list[str]]
    focus: tuple[int, int] = (0, 0)
    usage: str = LEGACY_USAGE
    walls: set[str] = field(default_factory=set)  # directions that never move focus
    serial: str = "FAKE0001"
    commands: list[list[str]] = field(default_factory=list)

    def shell(self, command, timeout=None):
        argv = list(command) if not isinstance(command, str) else command.split()
        self.commands.append(argv)
        if argv[:2] == ["input", "-h"]:
            return ShellResult(" ".join(argv), "", "Error: Unknown command: -h\n" + self.usage, 1)
        if argv[:2] == ["input", "keyevent"]:
            for code in (a for a in argv[2:] if a.isdigit()):
                self._key(int(code))
        return ShellResult(" ".join(argv), "", "", 0)

    def _key(self, code: int) -> None:
        moves = {19: ("UP", -1, 0), 20: ("DOWN", 1, 0), 21: ("LEFT", 0, -1), 22: ("RIGHT", 0, 1)}
        if code not in moves or moves[code][0] in self.walls:
            return
        _, dr, dc = moves[code]
        r = min(max(self.focus[0] + dr, 0), len(self.rows) - 1)
        c = min(max(self.focus[1] + dc, 0), len(self.rows[r]) - 1)
        self.focus = (r, c)

    def screen(self):
        nodes = []
        for r, row in enumerate(self.rows):
            for c, title in enumerate(row):
                left, top = 100 + c * 300, 100 + r * 250
                nodes.append(f'<node class="android.widget.FrameLayout" resource-id="app:id/tile" content-desc="{title}" '
                             f'focusable="true" focused="{str((r, c) == self.focus).lower()}" '
                             f'bounds="[{left},{top}][{left + 280},{top + 200}]"><node class="android.widget.TextView" '
                             f'resource-id="app:id/title" text="{title}" bounds="[{left},{top + 150}][{left + 280},{top + 200}]" />'
                             f'</node>')
        return parse_dump(f'<hierarchy rotation="0"><node bounds="[0,0][1920,1080]">{"".join(nodes)}</node></hierarchy>')

    def keys_sent(self) -> list[list[str]]:
        return [c[2:] for c in self.commands if c[:2] == ["input", "keyevent"]]


GRID = [["A1", "A2", "A3", "A4", "A5"], ["B1", "B2", "B3"], ["C1", "C2", "C3", "C4"]]


def test_press_sends_one_call():
    device = FakeDevice(GRID)
    Remote(FireOSDriver(device)).press("DPAD_RIGHT", Key.RIGHT, "down")
    assert device.commands == [["input", "keyevent", "22", "22", "20"]]
    assert device.focus == (1, 2)


def test_hold_is_a_long_press_where_input_cannot_hold():
    device = FakeDevice(GRID)
    remote = Remote(FireOSDriver(device))
    assert remote.hold("MENU", 2.0) == "longpress"
    assert remote.hold("MENU", 1.0) == "longpress"
    assert device.commands == [["input", "-h"], ["input", "keyevent", "--longpress", "82"],
                               ["input", "keyevent", "--longpress", "82"]]  # usage read once


def test_hold_uses_duration_where_the_device_offers_it():
    device = FakeDevice(GRID, usage=NEW_USAGE)
    assert Remote(FireOSDriver(device)).hold(Key.FAST_FORWARD, 1.5) == "duration"
    assert device.commands[-1] == ["input", "keyevent", "--duration", "1500", "90"]
    with pytest.raises(ValueError):
        Remote(FireOSDriver(device)).hold("HOME", 0)


def test_navigate_to_moves_rows_first_and_batches_presses():
    device = FakeDevice(GRID)
    remote = Remote(FireOSDriver(device), ui_reader=device.screen)
    node = remote.navigate_to(text="C3")  # the title text; its focusable tile takes the focus
    assert node.content_desc == "C3" and device.focus == (2, 2)
    assert device.keys_sent() == [["20", "20"], ["22", "22"]]  # two rows down in one call, then along
    assert remote.navigate_to(content_desc="C3").content_desc == "C3"  # already there: no key
    assert len(device.keys_sent()) == 2


def test_navigate_to_corrects_itself_when_focus_lands_elsewhere():
    device = FakeDevice(GRID, focus=(0, 4))
    remote = Remote(FireOSDriver(device), ui_reader=device.screen)
    remote.navigate_to(resource_id="app:id/tile", text=None, content_desc="B1")
    assert device.focus == (1, 0)
    # DOWN from A5 lands on B3 (row B is shorter), then LEFT twice.
    assert device.keys_sent() == [["20"], ["21", "21"]]


def test_navigate_to_names_the_focused_node_when_focus_is_stuck():
    device = FakeDevice(GRID, walls={"DOWN"})
    remote = Remote(FireOSDriver(device), ui_reader=device.screen)
    with pytest.raises(NavigationError) as info:
        remote.navigate_to(text="B2")
    message = str(info.value)
    assert "focus stopped moving (DOWN left it in place)" in message
    assert "focused: FrameLayout desc='A2'" in message and "text='B2'" in message


def test_navigate_to_is_bounded():
    device = FakeDevice([["T%d" % i for i in range(40)]])
    remote = Remote(FireOSDriver(device), ui_reader=device.screen)
    with pytest.raises(NavigationError, match="gave up after 5 key presses"):
        remote.navigate_to(text="T39", max_moves=5)
    assert sum(len(k) for k in device.keys_sent()) == 5


def test_navigate_to_a_target_that_is_not_on_screen():
    device = FakeDevice(GRID)
    with pytest.raises(NavigationError) as info:
        Remote(FireOSDriver(device), ui_reader=device.screen).navigate_to(text="Z9")
    assert "no node with text='Z9' on screen" in str(info.value) and "'A1'" in str(info.value)
    with pytest.raises(ValueError):
        Remote(FireOSDriver(device), ui_reader=device.screen).navigate_to()


# -- geometry -------------------------------------------------------------------------------------
def tile(col: int, row: int) -> Bounds:
    return Bounds(100 + col * 300, 100 + row * 250, 380 + col * 300, 300 + row * 250)


def test_plan_move():
    row0 = [tile(c, 0) for c in range(5)]
    assert plan_move(tile(0, 0), tile(3, 0), row0) == (Key.DPAD_RIGHT, 3)
    assert plan_move(tile(3, 0), tile(0, 0), row0) == (Key.DPAD_LEFT, 3)
    grid = row0 + [tile(c, r) for r in (1, 2, 3) for c in range(3)]
    assert plan_move(tile(4, 0), tile(0, 3), grid) == (Key.DPAD_DOWN, 3)  # rows first
    assert plan_move(tile(0, 3), tile(0, 1), grid) == (Key.DPAD_UP, 2)
    assert plan_move(tile(4, 0), tile(0, 3), grid, blocked=[Key.DPAD_DOWN]) == (Key.DPAD_LEFT, 4)
    assert plan_move(tile(0, 0), tile(2, 0), row0, blocked=[Key.DPAD_RIGHT]) is None


# -- the virtual Fire TV through the real adb server ---------------------------------------------------
def test_remote_on_the_virtual_fire_tv(start_virtual_device):
    from firebridge.capabilities.apps import load_profile

    session = start_virtual_device(speed=20)
    firetv = session.firetv()
    remote = Remote(firetv)
    assert firetv.driver.input_capabilities() == InputCapabilities(longpress=True, duration=False)  # Fire OS <= 8
    profile = load_profile("reference")
    firetv.driver.launch(profile.package, profile.component)
    node = remote.navigate_to(text="Tidewater S1 E3")
    assert node.content_desc == "Tidewater S1 E3" and node.focused
    remote.press("HOME")
    out = firetv.shell("dumpsys window | grep mCurrentFocus").stdout
    assert "com.amazon.tv.launcher" in out
    assert firetv.driver.foreground_app() == "com.amazon.tv.launcher"


def test_navigate_to_counts_only_the_focused_windows_views():
    """Vega's page source lists the launcher beside the app in front: its tiles lie in the same row on
    screen but D-pad focus never visits them, so they are not steps on the way."""
    device = FakeDevice(GRID)
    behind = parse_dump('<hierarchy rotation="0"><node bounds="[0,0][1920,1080]">' + "".join(
        f'<node class="android.widget.Button" text="App {i}" focusable="true" focused="{str(i == 0).lower()}" '
        f'bounds="[{150 + i * 100},{120}][{230 + i * 100},{280}]" />' for i in range(4)) + "</node></hierarchy>")

    def screen() -> UiTree:
        return UiTree(roots=device.screen().roots + behind.roots, xml="")

    remote = Remote(FireOSDriver(device), ui_reader=screen)
    assert remote.navigate_to(text="A3").content_desc == "A3"
    assert device.keys_sent() == [["22", "22"]]
