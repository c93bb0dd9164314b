"""What Reference TV's screens share of the app: its catalog, its data, its fault switches, its reporter
and its own log lines (:class:`ReferenceAppBase`).

The screens (account, browse, player) know the app only as this base; :class:`.app.ReferenceApp` adds
the wiring that needs the screens themselves (its activity table, deep-link routes, media sessions), so
the screens never import the module that lists them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from firebridge.virtual.fireos.activities import App
from firebridge.virtual.reference import catalog as catalog_module
from firebridge.virtual.reference.data import AppData
from firebridge.virtual.reference.reporting import DEBUG_TAG, Reporter, fields_text
from firebridge.virtual.fireos.apps.reference.ui import PACKAGE

if TYPE_CHECKING:
    from firebridge.virtual.fireos.system import VirtualDevice


class ReferenceAppBase(App):
    """Reference TV's identity and state (the app proper is :class:`.app.ReferenceApp`)."""

    package = PACKAGE
    label = "Reference TV"
    apk = f"/data/app/{PACKAGE}-1/base.apk"
    device: "VirtualDevice"  # it reads properties and talks to the Content Personalization service

    def __init__(self, device: "VirtualDevice") -> None:
        super().__init__(device)
        self.catalog = catalog_module.load()
        self.data = AppData(self.catalog, device.clock.now_ms())
        self.faults: frozenset[str] = frozenset()
        self.reporter = Reporter(self)

    def debug(self, text: str) -> None:
        """The app's own debug line: logcat tag ``ReferenceTV``, level D."""
        self.log("D", DEBUG_TAG, text)

    def debug_call(self, call: str, fields: dict[str, object]) -> None:
        """The debug line before an SDK call (``reportNewPlaybackEvent type=Active cdf_id=...``)."""
        self.debug(f"{call} {fields_text(fields)}")

    def warn(self, text: str) -> None:
        """The app's own warning line: logcat tag ``ReferenceTV``, level W."""
        self.log("W", DEBUG_TAG, text)
