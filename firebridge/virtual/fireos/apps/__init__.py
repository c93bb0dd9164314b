"""The apps and system services installed on every virtual Fire TV."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from firebridge.virtual.fireos.system import VirtualDevice


def install_system(device: "VirtualDevice") -> None:
    """Install the launcher, settings, the Content Personalization and notification services, the
    reference streaming app and the PMR helper app, then show the home screen."""
    from firebridge.virtual.fireos.apps import helper, launcher, reference, settings_app  # noqa: F401  (each installs itself)
    from firebridge.virtual.fireos import notifications
    from firebridge.virtual.fireos import personalization

    device.personalization = personalization.ContentPersonalizationService(device)
    device.notifications = notifications.NotificationManager(device)
    launcher.install(device)
    settings_app.install(device)
    reference.install(device)
    helper.install(device)
    device.activities.go_home()
