"""The protocol methods added with the Fire OS driver (hold, screen_awake, wake, free_storage, broadcast,
notifications), on the Vega driver over a scripted shell: what a platform without them answers."""

from __future__ import annotations

import pytest

from firebridge.adb.shell import ShellResult
from firebridge.driver.protocol import Unsupported
from firebridge.platforms.vega.driver import VegaDriver

BUSYBOX_DF = ("Filesystem           1K-blocks      Used Available Use% Mounted on\n"
              "/dev/mmcblk0p20        5000000   1000000   4000000  20% /home\n")


class Scripted:
    serial = "VEGA0001"

    def __init__(self, answers: dict[str, str]) -> None:
        self.answers = answers
        self.commands: list[str] = []

    def shell(self, command, timeout=None) -> ShellResult:
        self.commands.append(command)
        for needle, out in self.answers.items():
            if needle in command:
                return ShellResult(command, out, "", 0)
        return ShellResult(command, "", "sh: not found\n", 127)

    def exec_out(self, command, timeout=None) -> bytes:
        return b""


def test_vega_hold_holds_the_key_for_the_duration():
    shell = Scripted({"button_press": "Injecting Button Press As Driver: KEY_ENTER State: short\n"})
    assert VegaDriver(shell).hold("SELECT", 1.5) == "duration"
    assert "--holdDuration 1500" in shell.commands[-1] and "KEY_ENTER" in shell.commands[-1]


def test_vega_without_pmr_and_screen_state():
    vega = VegaDriver(Scripted({"df -k /home/app_user": BUSYBOX_DF}))  # Vega has no /data
    with pytest.raises(Unsupported, match="PMR"):
        vega.broadcast("com.example/.Receiver")
    with pytest.raises(Unsupported):
        vega.notifications()
    assert vega.screen_awake()[0] is None
    space, seen = vega.free_storage()
    assert space.available_kb == 4000000 and "MB free on /home (holding /home/app_user)" in seen
    assert VegaDriver(Scripted({})).free_storage()[0] is None
