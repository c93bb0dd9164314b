"""home.py and privacy.py against the virtual Fire TV, through the real adb server, by UI only."""

from __future__ import annotations

import pytest

from firebridge.capabilities.home import Home, diff, parse_home
from firebridge.capabilities.privacy import Consent, Privacy
from firebridge.device.ui import parse_dump


@pytest.fixture
def tv(start_virtual_device):
    return start_virtual_device().firetv()


def test_a_new_device_has_both_consents_off_and_they_can_be_set_and_restored(tv):
    privacy = Privacy(tv)
    assert privacy.read() == Consent(False, False)
    assert privacy.set(True, True) == Consent(True, True)
    assert privacy.read().continue_watching_enabled
    assert privacy.set(sync_across_devices=False) == Consent(True, False)
    privacy.restore(Consent(False, False))
    assert privacy.read() == Consent(False, False)
    assert "HomeActivity_vNext" in tv.run("dumpsys window | grep mCurrentFocus")  # left on Home


def test_home_rows_on_a_new_device(tv):
    home = Home(tv)
    snapshot = home.snapshot()
    assert snapshot.on_home
    assert "Your Apps" in snapshot.row_titles
    assert "Settings" in snapshot.row("your apps").titles
    assert snapshot.continue_watching == []


def test_parse_home_and_diff_are_pure():
    def dump(rows: str) -> str:
        return ("<?xml version='1.0' ?><hierarchy rotation=\"0\"><node package=\"com.amazon.tv.launcher\" "
                f"bounds=\"[0,0][1920,1080]\">{rows}</node></hierarchy>")

    def row(title: str, *tiles: str) -> str:
        inner = "".join(f'<node focusable="true" content-desc="{t}" bounds="[0,0][10,10]" />' for t in tiles)
        return (f'<node resource-id="com.amazon.tv.launcher:id/grid_layout" bounds="[0,0][1920,200]">'
                f'<node class="android.widget.TextView" text="{title}" bounds="[0,0][100,20]" />{inner}</node>')

    before = parse_home(parse_dump(dump(row("Your Apps", "Settings"))))
    after = parse_home(parse_dump(dump(row("Continue Watching", "Night Harbor") + row("Your Apps", "Settings"))))
    assert after.continue_watching == ["Night Harbor"]
    change = diff(before, after)
    assert change.added_rows == ("Continue Watching",) and not change.removed_rows and not change.empty
