"""Reference TV (``com.firebridge.reference``): the app under test on the virtual Fire TV.

Deep links (scheme ``reftv``): ``reftv://play/CDF_ID`` (player), ``reftv://detail/CDF_ID`` (detail
page), ``reftv://profiles``, ``reftv://account``, ``reftv://signin``. The launch activity is the
catalog grid. A new device starts with the demo account signed in (profile Alex) so that seed 002's
validation steps work without a sign-in first; to sign in again after signing out: Account > Sign in,
``input text demo@reftv.example``, DPAD_DOWN, ``input text firetv123``, DPAD_DOWN, DPAD_CENTER.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from firebridge.virtual.fireos.activities import Activity
from firebridge.virtual.fireos.intents import Intent
from firebridge.virtual.fireos.apps.reference import media_session
from firebridge.virtual.fireos.apps.reference.account import AccountActivity, ProfilePickerActivity, SignInActivity
from firebridge.virtual.fireos.apps.reference.base import ReferenceAppBase
from firebridge.virtual.fireos.apps.reference.browse import SCHEME, CatalogActivity, DetailActivity
from firebridge.virtual.reference.faults import PROPERTY, parse_faults
from firebridge.virtual.fireos.apps.reference.player import PlayerActivity
from firebridge.virtual.reference.reporting import DEBUG_TAG

if TYPE_CHECKING:
    from firebridge.virtual.fireos.system import VirtualDevice

_ROUTES: dict[str, type[Activity]] = {
    "play": PlayerActivity, "detail": DetailActivity, "profiles": ProfilePickerActivity,
    "account": AccountActivity, "signin": SignInActivity,
}


class ReferenceApp(ReferenceAppBase):
    """Reference TV: its screens, deep links and process lifecycle (its state: :class:`ReferenceAppBase`)."""

    activities = {cls.name: cls for cls in (CatalogActivity, DetailActivity, PlayerActivity, ProfilePickerActivity,
                                            AccountActivity, SignInActivity)}
    launch_activity = CatalogActivity.name
    schemes = {SCHEME: PlayerActivity.name}

    def __init__(self, device: "VirtualDevice") -> None:
        super().__init__(device)
        self._foreground = False
        device.activities.focus_listeners.append(self._focus_changed)

    def resolve(self, intent: Intent) -> type[Activity] | None:
        """Deep links route by their host: ``reftv://play/...``, ``reftv://detail/...``..."""
        if intent.component_class is None and intent.data and intent.data.startswith(f"{SCHEME}://"):
            host = intent.data.split("://", 1)[1].split("/", 1)[0].split("?", 1)[0]
            return _ROUTES.get(host)
        return super().resolve(intent)

    def on_process_start(self) -> None:
        """Read the fault switches (they take effect per process) and register the CP handlers,
        as a Vega app's HeadlessService does in onStart."""
        self.faults, unknown = parse_faults(self.device.properties.get(PROPERTY, ""))
        for name in unknown:
            self.log("W", DEBUG_TAG, f"unknown fault switch '{name}' ignored (see firebridge virtual --list-faults)")
        if self.faults:
            self.log("I", DEBUG_TAG, f"fault switches on: {','.join(sorted(self.faults))}")
        self.reporter.register_handlers()

    def on_process_stop(self) -> None:
        self.device.personalization.clear_handlers(self.package)
        self.faults = frozenset()
        self._foreground = False

    def media_sessions(self) -> list[media_session.SessionRecord]:
        """Sessions of this app's live players (``dumpsys media_session``)."""
        players = [a for task in self.device.activities.tasks for a in task
                   if isinstance(a, PlayerActivity) and a.app is self]
        return [s for s in (p.media_session() for p in players) if s is not None]

    def _focus_changed(self, activity: Activity | None) -> None:
        """Seed 000 "Opens app while signed in": sync when the app comes to the foreground."""
        foreground = activity is not None and activity.app is self
        if foreground and not self._foreground:
            self.reporter.on_open()
        self._foreground = foreground


def install(device: "VirtualDevice") -> None:
    """Install Reference TV and integrate its catalog with Fire TV (done once, as catalog ingestion is)."""
    app = ReferenceApp(device)
    device.activities.install(app)
    device.personalization.register_catalog(app.package, app.catalog.catalog_titles(SCHEME))
