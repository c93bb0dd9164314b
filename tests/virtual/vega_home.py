"""A virtual Vega stick on its home screen with titles in the Continue Watching row (for launcher tests)."""

from __future__ import annotations

from pathlib import Path

from firebridge.virtual.personalization import consent
from firebridge.virtual.vega.personality import create_device

REFERENCE = "com.firebridge.reference"


def stick_with_row(tmp_path: Path, content_ids: tuple[str, ...]):
    """Both consents on, the Reference TV titles ``content_ids`` watched a tenth in that order (the last
    one first in the row), then HOME."""
    device = create_device(tmp_path)
    device.settings["secure"].update({consent.SHARE_APP_VIEWING_KEY: "1", consent.SYNC_ACROSS_DEVICES_KEY: "1"})
    service = device.personalization
    for now, content_id in enumerate(content_ids, start=1):
        title = service.catalog_title(REFERENCE, content_id)
        service.row().apply(REFERENCE, content_id, title.duration_ms // 10, title.duration_ms, None, float(now),
                            service.catalog_title)
    device.press("KEY_HOMEPAGE")
    return device
