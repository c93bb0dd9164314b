"""Where the virtual device keeps the two privacy consents Continue Watching depends on.

ASSUMPTION: no public source names a ``settings`` key, intent or content provider for Fire OS's
"Share App Viewing and Content Info" and "Sync Across Devices" toggles
(docs/fire-os.md section 3). The virtual settings app keeps them in these
``settings secure`` keys, named in the style of Fire OS's own ``amazon_*`` keys. firebridge itself must
never read or write them: on hardware the toggles are reached by UI navigation only (privacy.py).
"""

from __future__ import annotations

from typing import Protocol

SHARE_APP_VIEWING_KEY = "amazon_share_app_viewing_content_info"
SYNC_ACROSS_DEVICES_KEY = "amazon_sync_across_devices"


class ConsentHost(Protocol):
    """A device with Android-style settings tables (``settings[namespace][key]``); Vega keeps its two
    toggles in the same shape."""

    settings: dict[str, dict[str, str]]


def share_app_viewing(device: ConsentHost) -> bool:
    return device.settings["secure"].get(SHARE_APP_VIEWING_KEY, "0") == "1"


def sync_across_devices(device: ConsentHost) -> bool:
    return device.settings["secure"].get(SYNC_ACROSS_DEVICES_KEY, "0") == "1"


def continue_watching_allowed(device: ConsentHost) -> bool:
    """Both toggles on (docs/virtual-device.md section 1: only then do Active playback events count)."""
    return share_app_viewing(device) and sync_across_devices(device)
