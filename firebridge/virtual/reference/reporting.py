"""Reference TV's Content Personalization integration: which SDK call each customer trigger makes.

Seed 000's trigger table, implemented once here and used by the screens of both builds of the app
(Fire OS: firebridge.virtual.fireos.apps.reference; Vega: firebridge.virtual.vega.reference):

==========================  ===================================================================
sign in                     reportRefreshedContentEntitlements + reportRefreshedCustomerList(WATCHLIST)
sign out                    nothing, and nothing afterwards
switch profile              reportRefreshedCustomerList(WATCHLIST) + that profile's playback events
open the app (signed in)    refreshed entitlements + refreshed watchlist + Off-Device playback events
watch                       reportNewPlaybackEvent (Active) - the player decides when (seed 002)
watchlist add / remove      reportNewCustomerListEntry / reportRemovedCustomerListEntry
purchase, rent, record      reportNewContentEntitlement
cancel a purchase           reportRemovedContentEntitlement
trailer, detail, like...    reportNewContentInteraction
==========================  ===================================================================

Every report is preceded by a debug line naming the CDF ID sent and the event's fields, as seed 002's
troubleshooting section recommends (the data service's own line does not show positions or
profiles). Each build writes it its own way (:meth:`ReferenceHost.debug_call`): the Fire OS build as
a logcat line (tag ``ReferenceTV``, level D, :func:`fields_text`), the Vega build as a JS console line
in the journal (:func:`js_fields_text`). Fire OS examples::

    reportNewPlaybackEvent type=Active cdf_id=movie-night-harbor state=PLAYING(0) position_ms=540000 duration_ms=5400000 credits_position_ms=5160000 profile_id=5d0c1e6b2a9f4c3e8d7b6a51 reason=start
    reportNewPlaybackEvent type=Off-Device cdf_id=series-tidewater-s1e2 state=EXIT(2) position_ms=720000 duration_ms=1800000 credits_position_ms=1710000 profile_id=... event_timestamp_ms=1718000000000 reason=open
    reportNewCustomerListEntry list=WATCHLIST cdf_id=movie-night-harbor profile_id=...
    reportRefreshedCustomerList list=WATCHLIST profile_id=... cdf_ids=movie-glass-orchard,series-tidewater-s1e1 reason=sign_in
    reportNewContentEntitlement type=PURCHASE(1) cdf_id=movie-night-harbor profile_id=...
    reportRefreshedContentEntitlements cdf_ids=movie-cold-meridian reason=open
    reportNewContentInteraction type=DETAIL_VIEW(1) cdf_id=movie-night-harbor profile_id=...

The same calls on Vega (after ``ReferenceTV``)::

    reportNewPlaybackEvent type=Active contentId=movie-night-harbor state=0 positionMs=540000 durationMs=5400000 creditsPositionMs=5160000 profileId=5d0c1e6b2a9f4c3e8d7b6a51 reason=start
    reportNewCustomerListEntry listType=WATCHLIST contentId=movie-night-harbor profileId=...
    reportNewContentInteraction type=1 contentId=movie-night-harbor profileId=...

A call the SDK refuses (the service returns the refusal; a real SDK's builder would throw) is followed
by a warning naming the call and the reason (:meth:`ReferenceHost.warn`), which the Fire OS app profile's
``call_failed`` pattern reads::

    W ReferenceTV: reportNewPlaybackEvent failed: event_timestamp_ms is required

On Fire OS these lines are the only log evidence of the calls: the platform's service logs none
(docs/virtual-device.md section 2).
"""

from __future__ import annotations

import hashlib
from enum import Enum, IntEnum
from typing import TYPE_CHECKING, Any, Protocol

from firebridge.virtual.personalization.sdk import (ContentEntitlement, ContentId, ContentInteraction,
                                                    ContentInteractionType, CustomerListEntry, CustomerListType,
                                                    EntitlementType, EventType, PlaybackEvent, PlaybackState,
                                                    ProfileId)
from firebridge.virtual.reference.catalog import Catalog, Title
from firebridge.virtual.reference.data import AppData, Key, Progress

if TYPE_CHECKING:
    from firebridge.virtual.personalization.service import ChunkProvider

DEBUG_TAG = "ReferenceTV"


class ReferenceHost(Protocol):
    """What the reporter needs of one build of the app."""

    catalog: Catalog
    data: AppData
    faults: frozenset[str]
    device: Any  # the device model: ``personalization`` (None without the service) and ``clock``
    reporter: "Reporter"

    @property
    def package(self) -> str:
        """The app's package (a class attribute of each build)."""

    def debug(self, text: str) -> None:
        """Write one of the app's own debug lines (``signed in``, ...)."""

    def debug_call(self, call: str, fields: dict[str, object]) -> None:
        """Write the debug line that precedes an SDK call (fields in order; None = not given)."""

    def warn(self, text: str) -> None:
        """Write one of the app's own warning lines (a refused SDK call)."""


def obfuscated_profile_id(salt: str, account_id: str, profile_id: str) -> str:
    """A salted hash: stable per app profile, and not the account id (seed 002)."""
    return hashlib.sha256(f"{salt}|{account_id}|{profile_id}".encode()).hexdigest()[:24]


def fields_text(fields: dict[str, object]) -> str:
    """``name=value ...`` as the Fire OS build logs them: enums as ``NAME(number)`` (``PLAYING(0)``),
    ``Active``/``Off-Device`` as they are; fields that are None are left out."""
    def value(v: object) -> object:
        if isinstance(v, IntEnum):
            return f"{v.name}({int(v)})"
        return v.value if isinstance(v, Enum) else v
    return " ".join(f"{name}={value(v)}" for name, v in fields.items() if v is not None)


# The Vega build's JS names for the fields (the SDK's camelCase: contentId, positionMs, ...).
_JS_NAMES = {"cdf_id": "contentId", "cdf_ids": "contentIds", "list": "listType"}


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def js_fields_text(fields: dict[str, object]) -> str:
    """``name=value ...`` as the Vega build's JS logs them: camelCase names, numeric enums as the
    numbers JS prints for them (``state=0``), ``Active``/``Off-Device`` as they are."""
    def value(v: object) -> object:
        if isinstance(v, IntEnum):
            return int(v)
        return v.value if isinstance(v, Enum) else v
    return " ".join(f"{_JS_NAMES.get(name, _camel(name))}={value(v)}" for name, v in fields.items() if v is not None)


class Reporter:
    """Turns customer triggers into ContentPersonalizationServer calls (and debug lines)."""

    def __init__(self, app: ReferenceHost) -> None:
        self.app = app

    @property
    def faults(self) -> frozenset[str]:
        return self.app.faults

    @property
    def service(self):
        return self.app.device.personalization

    def _now_ms(self) -> int:
        return self.app.device.clock.now_ms()

    def _debug(self, call: str, **fields: object) -> None:
        self.app.debug_call(call, fields)

    def _checked(self, call: str, accepted: bool) -> None:
        """Log a refused call the way an app logs the exception it caught."""
        # ASSUMPTION: the Fire TV Integration SDK refuses an invalid event by throwing from its builder,
        # and an app catches and logs that (settle by: build an Off-Device event without a timestamp on a
        # Fire TV and read the exception).
        if not accepted:
            reason = getattr(self.service, "last_rejection", None) or "refused"
            self.app.warn(f"{call} failed: {reason}")

    # -- identities -----------------------------------------------------------------------------
    def sharing_key(self) -> Key | None:
        """Whose data may be shared now: the signed-in profile; nobody once signed out (seed 000), and
        nobody on a device without the Content Personalization service (the Vega Virtual Device, where
        Amazon's sample leaves the SDK alone [VVS])."""
        if self.service is None:
            return None
        data = self.app.data
        if data.key is not None:
            return data.key
        return data.last_key if "share-after-sign-out" in self.faults else None

    def profile_id(self, key: Key) -> ProfileId:
        if "plain-profile-id" in self.faults:
            return ProfileId(f"{key[0]}:{key[1]}")
        return ProfileId(obfuscated_profile_id(self.app.catalog.settings.profile_id_salt, *key))

    def content_id(self, title: Title) -> ContentId:
        return ContentId(title.asset_id if "wrong-cdf-id" in self.faults else title.cdf_id)

    # -- watching (the player calls these) ------------------------------------------------------
    def playback(self, title: Title, state: PlaybackState, position_ms: int, reason: str) -> bool:
        """An Active playback event."""
        key = self.sharing_key()
        if key is None:
            return False
        event = PlaybackEvent(EventType.ACTIVE, self.content_id(title), self.profile_id(key), title.duration_ms,
                              position_ms, state, title.credits_position_ms, channel_descriptor=title.channel)
        self._report_playback(event, reason)
        return True

    def _report_playback(self, event: PlaybackEvent, reason: str) -> None:
        assert event.content_id and event.profile_id and event.playback_state is not None
        channel = event.channel_descriptor
        self._debug("reportNewPlaybackEvent", type=event.event_type, cdf_id=event.content_id.id,
                    state=event.playback_state,
                    position_ms=event.position_ms, duration_ms=event.duration_ms,
                    credits_position_ms=event.credits_position_ms, profile_id=event.profile_id.id,
                    event_timestamp_ms=event.event_timestamp_ms,
                    channel=f"{channel.identifier}({channel.major_number}.{channel.minor_number})" if channel else None,
                    reason=reason)
        self._checked("reportNewPlaybackEvent", self.service.report_playback_event(self.app.package, event))

    def _other_device_event(self, key: Key, cdf_id: str, progress: Progress) -> PlaybackEvent | None:
        title = self.app.catalog.title(cdf_id)
        if title is None:
            return None
        kind = EventType.ACTIVE if "off-device-as-active" in self.faults else EventType.OFF_DEVICE
        stamp = None if "no-off-device-timestamp" in self.faults else progress.updated_ms
        return PlaybackEvent(kind, self.content_id(title), self.profile_id(key), title.duration_ms,
                             progress.position_ms, PlaybackState.EXIT, title.credits_position_ms, stamp)

    def share_other_device_progress(self, key: Key, reason: str) -> None:
        """Seed 002: for remote activity send only the end state (EXIT), as Off-Device events."""
        now_ms = self.app.device.clock.now_ms()
        for cdf_id, progress in self.app.data.unshared_other_device_progress(key, now_ms):
            event = self._other_device_event(key, cdf_id, progress)
            if event is not None:
                self._report_playback(event, reason)
                progress.shared = True

    # -- triggers -------------------------------------------------------------------------------
    def on_open(self) -> None:
        """The app came to the foreground while signed in."""
        key = self.sharing_key()
        if key is None or "no-sync-on-open" in self.faults:
            return
        self.refresh_entitlements(key, "open")
        self.refresh_watchlist(key, "open")
        self.share_other_device_progress(key, "open")

    def on_sign_in(self) -> None:
        key = self.sharing_key()
        if key is None:
            return
        if "no-entitlements-on-sign-in" not in self.faults:
            self.refresh_entitlements(key, "sign_in")
        if "no-watchlist-on-sign-in" not in self.faults:
            self.refresh_watchlist(key, "sign_in")

    def on_profile_switch(self) -> None:
        key = self.sharing_key()
        if key is None:
            return
        if "no-watchlist-on-profile-switch" not in self.faults:
            self.refresh_watchlist(key, "profile_switch")
        if "no-playback-on-profile-switch" not in self.faults:
            self.share_other_device_progress(key, "profile_switch")

    def refresh_entitlements(self, key: Key, reason: str) -> None:
        owned = self.app.data.owned(key[0])
        ids = [self.content_id(t).id for cdf in owned if (t := self.app.catalog.title(cdf))]
        self._debug("reportRefreshedContentEntitlements", cdf_ids=",".join(ids), reason=reason)
        self._checked("reportRefreshedContentEntitlements",
                      self.service.report_refreshed_content_entitlements(self.app.package))

    def refresh_watchlist(self, key: Key, reason: str) -> None:
        ids = [self.content_id(t).id for cdf in self.app.data.watchlist(key) if (t := self.app.catalog.title(cdf))]
        self._debug("reportRefreshedCustomerList", list="WATCHLIST", profile_id=self.profile_id(key).id,
                    cdf_ids=",".join(ids), reason=reason)
        self._checked("reportRefreshedCustomerList",
                      self.service.report_refreshed_customer_list(self.app.package, CustomerListType.WATCHLIST))

    def watchlist_changed(self, title: Title, added: bool) -> None:
        key = self.sharing_key()
        if key is None or ("no-watchlist-add" if added else "no-watchlist-remove") in self.faults:
            return
        entry = CustomerListEntry(self.content_id(title), self.profile_id(key))
        call = "reportNewCustomerListEntry" if added else "reportRemovedCustomerListEntry"
        assert entry.content_id and entry.profile_id
        self._debug(call, list="WATCHLIST", cdf_id=entry.content_id.id, profile_id=entry.profile_id.id)
        report = (self.service.report_new_customer_list_entry if added
                  else self.service.report_removed_customer_list_entry)
        self._checked(call, report(self.app.package, CustomerListType.WATCHLIST, entry))

    def entitlement_added(self, title: Title, kind: EntitlementType) -> None:
        key = self.sharing_key()
        if key is None or "no-entitlement-on-purchase" in self.faults:
            return
        entitlement = ContentEntitlement(self.content_id(title), kind, self.profile_id(key), self._now_ms())
        self._debug("reportNewContentEntitlement", type=kind, cdf_id=self.content_id(title).id,
                    profile_id=self.profile_id(key).id)
        self._checked("reportNewContentEntitlement",
                      self.service.report_new_content_entitlement(self.app.package, entitlement))

    def entitlement_removed(self, title: Title, kind: EntitlementType) -> None:
        key = self.sharing_key()
        if key is None:
            return
        entitlement = ContentEntitlement(self.content_id(title), kind, self.profile_id(key), self._now_ms())
        self._debug("reportRemovedContentEntitlement", type=kind,
                    cdf_id=self.content_id(title).id, profile_id=self.profile_id(key).id)
        self._checked("reportRemovedContentEntitlement",
                      self.service.report_removed_content_entitlement(self.app.package, entitlement))

    _INTERACTION_FAULTS = {
        ContentInteractionType.DETAIL_VIEW: "no-detail-interaction",
        ContentInteractionType.TRAILER_VIEW: "no-trailer-interaction",
        ContentInteractionType.LIKE: "no-rating-interaction",
        ContentInteractionType.DISLIKE: "no-rating-interaction",
    }

    def interaction(self, title: Title, kind: ContentInteractionType) -> None:
        key = self.sharing_key()
        if key is None or self._INTERACTION_FAULTS.get(kind) in self.faults:
            return
        interaction = ContentInteraction(self.content_id(title), kind, self.profile_id(key), self._now_ms())
        self._debug("reportNewContentInteraction", type=kind, cdf_id=self.content_id(title).id,
                    profile_id=self.profile_id(key).id)
        self._checked("reportNewContentInteraction",
                      self.service.report_new_content_interaction(self.app.package, interaction))

    # -- the data-pull handlers the service calls back ------------------------------------------
    def register_handlers(self) -> None:
        """Hand the service the app's data-pull handlers (entitlements, watchlist, Off-Device playback)."""
        service = self.service
        if service is None:
            return
        service.set_content_entitlements_handler(self.app.package, self.provide_entitlements)
        service.set_customer_list_entries_handler(self.app.package, self.provide_customer_list)
        service.set_playback_events_handler(self.app.package, self.provide_playback_events)

    def provide_entitlements(self, provider: ChunkProvider[ContentEntitlement]) -> None:
        key = self.sharing_key()
        if key is not None:
            provider.add_chunk(ContentEntitlement(self.content_id(t), kind, self.profile_id(key))
                               for cdf, kind in self.app.data.owned(key[0]).items()
                               if (t := self.app.catalog.title(cdf)))
        provider.commit()

    def provide_customer_list(self, list_type: CustomerListType, provider: ChunkProvider[CustomerListEntry]) -> None:
        key = self.sharing_key()
        if key is not None and list_type == CustomerListType.WATCHLIST:
            provider.add_chunk(CustomerListEntry(self.content_id(t), self.profile_id(key))
                               for cdf in self.app.data.watchlist(key) if (t := self.app.catalog.title(cdf)))
        provider.commit()

    def provide_playback_events(self, since_ms: int, provider: ChunkProvider[PlaybackEvent]) -> None:
        """getPlaybackEventsSince: the exit state of other-device progress newer than ``since_ms``."""
        key = self.sharing_key()
        if key is not None:
            events = [self._other_device_event(key, cdf, p)
                      for cdf, p in self.app.data.other_device_progress(key).items() if p.updated_ms > since_ms]
            provider.add_chunk(e for e in events if e is not None)
        provider.commit()
