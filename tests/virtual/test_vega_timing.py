"""The virtual Vega device's timing profiles (``firebridge virtual --os vega --timing hardware``): the table's
values against their sources, and through the real adb server that each call takes at least its cost in
device time (read from the device's own clock and journal), divided by ``--speed`` in real time."""

from __future__ import annotations

import re
import time

import pytest

from firebridge.virtual.fireos import timing as fireos_timing
from firebridge.virtual.timing import PROFILES, TimingProfile
from firebridge.virtual.vega.timing import FAST, HARDWARE, TIMINGS, VegaTiming, get_timing
from firebridge.waiting import wait_until
from tests.conftest import virtual_device_factory

REFERENCE = "com.firebridge.reference.main"
# inputd's journal line per key edge (the VVD capture's wording); TimeStamp is the device clock.
EDGE = re.compile(r"Inputd:inject_key:427: .*TimeStamp=(?P<t>\d+\.\d+) .* state=(?P<edge>down|up)")
# One `adb shell 'inputd-cli button_press ...'`: the shell, the inputd-cli process, the default hold.
PRESS_CALL = HARDWARE.shell_open + HARDWARE.tool_call + HARDWARE.press_hold


def test_one_timing_notion_for_both_platforms() -> None:
    assert set(TIMINGS) == set(PROFILES) == set(fireos_timing.TIMINGS)
    assert isinstance(HARDWARE, TimingProfile) and isinstance(fireos_timing.HARDWARE, TimingProfile)
    assert FAST.is_fast and not HARDWARE.is_fast and fireos_timing.FAST.is_fast
    assert get_timing("Hardware") is HARDWARE and get_timing(HARDWARE) is HARDWARE
    with pytest.raises(ValueError, match="fast, hardware"):
        get_timing("slow")


def test_hardware_values_match_their_sources() -> None:
    assert 0.25 <= HARDWARE.press_hold <= 0.27  # argent: a default press holds ~250-270 ms
    assert 0.003 <= HARDWARE.repl_command <= 0.006  # argent: 3-6 ms per key in `inputd-cli start`
    assert PRESS_CALL == pytest.approx(0.36)  # argent: ~360 ms per `adb shell 'inputd-cli ...'`
    assert HARDWARE.shell_open == pytest.approx(0.03)  # argent: `adb shell` reaches the VVD in ~30 ms
    assert (HARDWARE.cold_launch, HARDWARE.warm_launch) == (1.5, 0.5)  # Amazon's TTFF certification targets
    assert HARDWARE.log_chatter_per_second == 0  # no public Vega journal rate
    assert all(getattr(FAST, name) == 0 for name in VegaTiming.__dataclass_fields__ if name != "name")
    assert HARDWARE.hold_of("short") == HARDWARE.press_hold and HARDWARE.hold_of("short", 1000) == 1.0


def _sh(session, script: str) -> str:
    result = session.adb("shell", script)
    assert result.returncode == 0, result.stderr
    return result.stdout.decode()


def _device_seconds(session, command: str) -> tuple[float, str]:
    """Device seconds ``command`` took inside one shell (device clock before and after), and its output."""
    out = _sh(session, f"a=$(date +%s%N); o=$({command} 2>&1); b=$(date +%s%N); echo \"$a $b\"; echo \"$o\"")
    first, _, rest = out.partition("\n")
    start, end = (int(v) for v in first.split())
    return (end - start) / 1e9, rest


def _edges(session) -> list[tuple[str, float]]:
    log = _sh(session, "loggingctl log -o short_precise")
    return [(m["edge"], float(m["t"])) for m in EDGE.finditer(log)]


@pytest.fixture(scope="module")
def hardware_vega(start_virtual_device_module):
    return start_virtual_device_module(os="vega", speed=20, timing="hardware")


@pytest.fixture(scope="module")
def start_virtual_device_module(adb_server, tmp_path_factory):
    """Virtual devices for the module's through-adb checks (stopped by pid when the module ends)."""
    yield from virtual_device_factory(adb_server, tmp_path_factory)


def test_an_inputd_cli_press_takes_its_cost_in_device_time(hardware_vega) -> None:
    took, out = _device_seconds(hardware_vega, "inputd-cli button_press KEY_DOWN")
    assert "Injecting Button Press As Driver: KEY_DOWN State: short" in out
    assert took >= HARDWARE.tool_call + HARDWARE.press_hold
    # The journal's key edges are the hold apart, on the device clock (the VVD capture shows 250 ms).
    (down, t_down), (up, t_up) = _edges(hardware_vega)[-2:]
    assert (down, up) == ("down", "up") and t_up - t_down >= HARDWARE.press_hold


def test_hold_duration_sets_the_hold(hardware_vega) -> None:
    took, _ = _device_seconds(hardware_vega, "inputd-cli button_press KEY_UP --holdDuration 1000")
    assert took >= HARDWARE.tool_call + 1.0
    (_, t_down), (_, t_up) = _edges(hardware_vega)[-2:]
    assert t_up - t_down >= 1.0


def test_a_whole_adb_shell_press_costs_360_ms_of_device_time_and_less_real_time(hardware_vega) -> None:
    presses = 5
    started = time.monotonic()
    for _ in range(presses):
        _sh(hardware_vega, "inputd-cli button_press KEY_DOWN")
    real = time.monotonic() - started
    assert real * 20 >= presses * PRESS_CALL  # at least the profile's cost in device time
    assert real < presses * PRESS_CALL  # --speed 20 divides it: less than the device seconds in real time


def test_a_held_open_inputd_cli_session_is_the_fast_path(hardware_vega) -> None:
    keys = 20
    lines = "\\n".join(["button_press KEY_DOWN holdDuration 1"] * keys)
    took, out = _device_seconds(hardware_vega, f"printf '{lines}\\n' | inputd-cli start")
    assert out.count("Injecting Button Press") == keys
    assert took >= HARDWARE.tool_call + keys * (HARDWARE.repl_command + 0.001)
    assert took < keys * (HARDWARE.tool_call + HARDWARE.press_hold)  # far below one process per key


def test_get_screen_size_costs_a_tool_call(hardware_vega) -> None:
    took, out = _device_seconds(hardware_vega, "inputd-cli get_screen_size")
    assert out.strip() == "1920 x 1080" and took >= HARDWARE.tool_call


def test_vmsgr_returns_before_the_app_is_visible(hardware_vega) -> None:
    _sh(hardware_vega, "vlcm terminate-app --pkg-id com.firebridge.reference")
    before = time.monotonic()
    rows = _sh(hardware_vega, f"vmsgr send pkg://{REFERENCE}; vlcm list")
    # Right after the send the app is starting (LAUNCHED), not yet in front.
    assert re.search(rf"^{re.escape(REFERENCE)} I \d+ \d+ LAUNCHED ", rows, re.M), rows
    wait_until(lambda: re.search(rf"^{re.escape(REFERENCE)} .* VISIBLE ", _sh(hardware_vega, "vlcm list"), re.M),
               10, "the reference app VISIBLE")
    assert (time.monotonic() - before) * 20 >= HARDWARE.cold_launch


def test_fast_profile_answers_at_once(start_virtual_device) -> None:
    session = start_virtual_device(os="vega", speed=1)
    took, _ = _device_seconds(session, "inputd-cli button_press KEY_DOWN")
    assert took < 0.2  # no hold, no process cost (the shell's own work only)
    assert f"{REFERENCE} I" in _sh(session, f"vmsgr send pkg://{REFERENCE}; vlcm list | grep VISIBLE")


def test_the_bridge_pace_times_inputd_cli_on_vega(hardware_vega, adb_server) -> None:
    from firebridge.device.firetv import FireTV
    from firebridge.driver.pace import measure_pace

    firetv = FireTV(hardware_vega.serial, adb_server=f"{adb_server.host}:{adb_server.port}")
    pace = measure_pace(firetv)
    assert pace.call_name == "`inputd-cli`"
    assert pace.input_call * 20 >= HARDWARE.shell_open + HARDWARE.tool_call
    assert pace.round_trip * 20 >= HARDWARE.shell_open
    assert "one `inputd-cli` call" in pace.describe(clock_speed=20)
