"""The README's by-hand walkthrough, command for command, through the adb command line."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image

from firebridge.waiting import wait_until

README = Path(__file__).resolve().parents[2] / "README.md"


def _walkthrough_commands() -> list[str]:
    block = README.read_text().split("By hand, with any adb:", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    return [line.split("#", 1)[0].strip() for line in block.splitlines()
            if line.strip().startswith("adb shell") and "uiautomator" not in line]


@pytest.mark.slow
def test_the_readme_walkthrough_puts_the_movie_first_in_continue_watching(start_virtual_device):
    session = start_virtual_device(speed=60)
    commands = _walkthrough_commands()
    assert len(commands) >= 5 and commands[-1] == "adb shell input keyevent HOME"
    for command in commands[:-1]:
        assert session.adb(*command.split()[1:]).returncode == 0, command
    # "let 5% play": 5% of the 90-minute movie is 270 device seconds, 4.5 s at 60x (plus loading).
    def played_five_percent() -> bool:
        log = session.adb("logcat", "-d", "-s", "ReferenceTV").stdout.decode()
        reports = re.findall(r"type=Active cdf_id=movie-night-harbor .*? position_ms=(\d+)", log)
        return bool(reports) and int(reports[-1]) >= 270_000

    wait_until(played_five_percent, 30, "5% of Night Harbor to play", interval=0.5)
    assert session.adb(*commands[-1].split()[1:]).returncode == 0
    png = session.adb("exec-out", "screencap", "-p").stdout
    assert Image.open(io.BytesIO(png)).size == (1920, 1080)
    session.adb("shell", "uiautomator", "dump")
    tree = ET.fromstring(session.adb("shell", "cat", "/sdcard/window_dump.xml").stdout)
    labels = [node.get("text") or node.get("content-desc") for node in tree.iter("node")]
    labels = [label for label in labels if label]
    assert labels[labels.index("Continue Watching") + 1] == "Night Harbor"
