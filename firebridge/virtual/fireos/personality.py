"""The Fire OS personality: builds a :class:`VirtualDevice`'s commands, dumpsys sections and apps.

Nothing here runs at import time; :func:`create_device` wires one device explicitly, so two devices
never share a registry and importing a module never changes what a device can do.
"""

from __future__ import annotations

from pathlib import Path

from firebridge.virtual.fireos import installer, notifications, personalization
from firebridge.virtual.fireos.apps import launcher, reference, settings_app
from firebridge.virtual.fireos.apps.reference import media_session
from firebridge.virtual.fireos.commands import (activity, android_io, bugreport, cmd, input, logcat, multicall,
                                                notification, package_install, packages, power, props, settings,
                                                storage)
from firebridge.virtual.fireos.models import DeviceModel
from firebridge.virtual.fireos.personalization import dumpsys as personalization_dumpsys
from firebridge.virtual.fireos.system import VirtualDevice
from firebridge.virtual.shell import builtins, files
from firebridge.virtual.shell.interpreter import CommandTable


def command_table() -> CommandTable:
    """Every command a Fire OS shell has: toybox-style utilities plus the Android ones."""
    return CommandTable().add_modules(builtins, files, activity, android_io, bugreport, cmd, input, logcat,
                                      notification, packages, power, props, settings, storage, multicall)


def dumpsys_sections() -> dict[str, activity.DumpsysSection]:
    return {
        "window": activity.window_section,
        "activity": activity.activity_section,
        "power": power.dumpsys_section,
        "notification": notification.dumpsys_section,
        "package": package_install.dumpsys_section,  # the identity lines of installed APKs
        "media_session": media_session.dumpsys_section,
        personalization_dumpsys.SECTION: personalization_dumpsys.section,
    }


def install_system(device: VirtualDevice) -> None:
    """Install the launcher, settings, the Content Personalization and notification services, the
    reference streaming app and the PMR helper app, then show the home screen."""
    # No public source shows a Fire OS system log line for Content Personalization calls (seed 002's
    # VegaAlbertoBinderService line is Vega OS's journal): the service here logs nothing; the app's own
    # debug lines are the evidence (docs/virtual-device.md section 1).
    device.personalization = personalization.ContentPersonalizationService(device, log_calls=False)
    device.notifications = notifications.NotificationManager(device)
    launcher.install(device)
    settings_app.install(device)
    reference.install(device)
    installer.install_shipped_helper(device)  # the PMR helper, from firebridge/helperapp's APK
    device.activities.go_home()


def build(device: VirtualDevice) -> VirtualDevice:
    """Give a bare Fire OS model its shell commands, dumpsys sections and system apps."""
    device.commands = command_table()
    if device.model.sdk < 24:  # bugreportz came with Android 7.0 (AOSP frameworks/native/cmds/bugreportz)
        device.commands.remove("bugreportz")
    device.dumpsys = dumpsys_sections()
    install_system(device)
    return device


def create_device(workdir: Path, model: str | DeviceModel = "AFTMM", serial: str | None = None,
                  speed: float = 1.0, timing: str = "fast") -> VirtualDevice:
    """A ready virtual Fire TV (what ``firebridge virtual`` runs); ``timing`` "hardware" gives it a real
    device's slow calls (firebridge.virtual.fireos.timing)."""
    return build(VirtualDevice(workdir, model=model, serial=serial, speed=speed, timing=timing))
