"""The Fire TV launcher, com.amazon.tv.launcher/.ui.HomeActivity_vNext — MINIMAL STUB (issue 3, item 2)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..activities import Activity, App

if TYPE_CHECKING:
    from ..system import VirtualDevice

PACKAGE = "com.amazon.tv.launcher"


class HomeActivity(Activity):
    name = ".ui.HomeActivity_vNext"
    label = "Home"


class Launcher(App):
    package = PACKAGE
    label = "Fire TV Home"
    activities = {HomeActivity.name: HomeActivity}
    launch_activity = HomeActivity.name
    apk = "/system/priv-app/com.amazon.tv.launcher/com.amazon.tv.launcher.apk"
    system = True


def install(device: "VirtualDevice") -> None:
    device.activities.install(Launcher(device), home=True)
