"""The on-device Content Personalization data service (the binder side of ContentPersonalizationServer).

Apps call it in-process, as they would call the SDK's ``ContentPersonalizationServer``; each call
names the calling package (what binder would tell the service). The service validates what it gets
like the SDK's builders do, applies the privacy consents, and keeps the Continue Watching row per Fire
TV profile (:mod:`.continue_watching`). The launcher reads the row with :meth:`continue_watching`.

Logging is the platform's: on Vega OS the data service journals every call it receives (seed 002's
``VegaAlbertoBinderService PlaybackEventsVegaMessage`` line, :mod:`.messages`); on Fire OS no public
source shows a system line for these calls, so the Fire OS personality builds the service with
``log_calls=False`` and the device log shows only what the app itself logs. Either way the service
keeps the calls it received (:attr:`ContentPersonalizationService.received`) for the virtual-only
``dumpsys content_personalization``.
"""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass
from typing import Callable, Generic, Iterable, Protocol, TypeVar

from firebridge.virtual.clock import DeviceClock
from firebridge.virtual.personalization import consent
from firebridge.virtual.personalization import messages
from firebridge.virtual.personalization.continue_watching import CatalogTitle, ContinueWatchingRow, Outcome
from firebridge.virtual.personalization.sdk import (ContentEntitlement, ContentInteraction, CustomerListEntry, CustomerListType, EntitlementType,
                  EventType, PlaybackEvent, customer_list_entry_error, entitlement_error, interaction_error,
                  playback_event_error)

T = TypeVar("T")

# ASSUMPTION: the Fire OS process that hosts the data service; its log lines carry this process's pid.
SERVICE_PROCESS = "com.amazon.tv.developer.dataservice"
DEFAULT_PROFILE = "default"  # a new Fire TV has one (the account owner's) profile
# SDK call names (seed 000's table), as ReceivedCall records them.
PLAYBACK_CALL = "reportNewPlaybackEvent"
REFRESH_ENTITLEMENTS_CALL = "reportRefreshedContentEntitlements"
REFRESH_LIST_CALL = "reportRefreshedCustomerList"
INTERACTION_CALL = "reportNewContentInteraction"


@dataclass(frozen=True)
class ReceivedCall:
    """One call as the service received it (diagnostics): accepted, or refused with a reason."""

    sent_ms: int  # device time of receipt
    call: str  # the SDK call, e.g. "reportNewPlaybackEvent"
    package: str
    fields: tuple[tuple[str, str], ...] = ()
    refused: str | None = None

    def describe(self) -> str:
        """``sent_ms=N CALL package=P k=v ...`` (``refused reason=...`` last: the reason has spaces)."""
        fields = " ".join(f"{k}={v}" for k, v in self.fields)
        text = f"sent_ms={self.sent_ms} {self.call} package={self.package}" + (f" {fields}" if fields else "")
        return text + (f" refused reason={self.refused}" if self.refused is not None else "")


RECEIVED_KEPT = 200  # calls kept for dumpsys


@dataclass(frozen=True)
class ContinueWatchingItem:
    """One tile of the Continue Watching row."""

    content_id: str
    package: str
    title: str  # what the tile shows, e.g. "Night Harbor" or "The Long Road S1 E2"
    position_ms: int
    duration_ms: int
    updated_at: float  # device epoch seconds
    deep_link: str  # what SELECT on the tile starts, e.g. "reftv://play/movie-night-harbor"


class ChunkProvider(Generic[T]):
    """What the service hands an app's data handler: ``add_chunk(...)`` pages, then ``commit()``."""

    def __init__(self) -> None:
        self.chunks: list[list[T]] = []
        self.committed = False

    def add_chunk(self, items: Iterable[T]) -> None:
        self.chunks.append(list(items))

    def commit(self) -> None:
        self.committed = True

    def pages(self) -> list[list[T]]:
        """The committed pages; an empty answer is one empty page (so a refresh is always logged)."""
        return self.chunks or [[]]


EntitlementsHandler = Callable[[ChunkProvider[ContentEntitlement]], None]
CustomerListHandler = Callable[[CustomerListType, ChunkProvider[CustomerListEntry]], None]
PlaybackEventsHandler = Callable[[int, ChunkProvider[PlaybackEvent]], None]  # (since epoch ms, provider)


class PersonalizationHost(consent.ConsentHost, Protocol):
    """What the service needs from the device it runs on: the consents, the clock and the system log.
    (A device may also have a ``fire_tv_profile``; without one the default profile is active.)"""

    clock: DeviceClock

    def system_log(self, level: str, tag: str, message: str, process: str = ...) -> None:
        """Write a line from a named system process to the device's log."""


class ContentPersonalizationService:
    """The virtual Fire TV's Content Personalization service."""

    def __init__(self, device: PersonalizationHost, log_calls: bool = True) -> None:
        """``log_calls``: write the data service's line for each call into the device log (Vega OS's
        journal does; Fire OS has no public line for it, so its personality passes False)."""
        self.device = device
        self.log_calls = log_calls
        self.received: deque[ReceivedCall] = deque(maxlen=RECEIVED_KEPT)
        self.last_rejection: str | None = None  # why the last refused call was refused
        self._catalogs: dict[str, dict[str, CatalogTitle]] = {}
        self._rows: dict[str, ContinueWatchingRow] = {}
        self._entitlements_handlers: dict[str, EntitlementsHandler] = {}
        self._customer_list_handlers: dict[str, CustomerListHandler] = {}
        self._playback_handlers: dict[str, PlaybackEventsHandler] = {}
        self._playback_synced_ms: dict[str, int] = {}
        # What apps have shared, for diagnostics (dumpsys content_personalization).
        self.entitlements: dict[str, dict[str, EntitlementType]] = {}
        self.watchlists: dict[str, dict[str, list[str]]] = {}  # package -> app profile id -> content ids
        self.counters: Counter[str] = Counter()
        self.last_outcomes: list[str] = []

    # -- Fire TV side ---------------------------------------------------------------------------
    @property
    def active_profile(self) -> str:
        """The active Fire TV profile (a device attribute; one profile on a new device)."""
        return getattr(self.device, "fire_tv_profile", None) or DEFAULT_PROFILE

    def row(self, profile: str | None = None) -> ContinueWatchingRow:
        return self._rows.setdefault(profile or self.active_profile, ContinueWatchingRow())

    def profiles(self) -> list[str]:
        return sorted(set(self._rows) | {self.active_profile})

    def continue_watching(self, profile: str | None = None) -> list[ContinueWatchingItem]:
        """The row for the active Fire TV profile (or ``profile``), most recently updated first."""
        items = []
        for entry in self.row(profile).entries():
            title = self.catalog_title(entry.package, entry.content_id)
            if title is None:
                continue
            items.append(ContinueWatchingItem(entry.content_id, entry.package, title.title, entry.position_ms,
                                              entry.duration_ms, entry.updated_at, title.deep_link))
        return items

    def remove_from_continue_watching(self, content_id: str) -> None:
        """The launcher's "Remove from Continue Watching" menu item."""
        self.row().remove(content_id)

    # -- catalog integration --------------------------------------------------------------------
    def register_catalog(self, package: str, titles: Iterable[CatalogTitle]) -> None:
        """The titles ``package`` integrated into Fire TV's catalog (CDF IDs, series order)."""
        self._catalogs[package] = {title.content_id: title for title in titles}

    def catalog_title(self, package: str, content_id: str) -> CatalogTitle | None:
        return self._catalogs.get(package, {}).get(content_id)

    # -- handlers (the app's data-pull side) ----------------------------------------------------
    def set_content_entitlements_handler(self, package: str, handler: EntitlementsHandler) -> None:
        self._entitlements_handlers[package] = handler

    def set_customer_list_entries_handler(self, package: str, handler: CustomerListHandler) -> None:
        self._customer_list_handlers[package] = handler

    def set_playback_events_handler(self, package: str, handler: PlaybackEventsHandler) -> None:
        self._playback_handlers[package] = handler

    def clear_handlers(self, package: str) -> None:
        """The app's process died: its handlers are gone with it."""
        for table in (self._entitlements_handlers, self._customer_list_handlers, self._playback_handlers):
            table.pop(package, None)

    # -- logging --------------------------------------------------------------------------------
    def _log(self, level: str, message: str) -> None:
        if self.log_calls:
            self.device.system_log(level, messages.TAG, message, process=SERVICE_PROCESS)

    def _receive(self, call: str, package: str, refused: str | None = None, **fields: object) -> None:
        self.received.append(ReceivedCall(self._now_ms(), call, package,
                                          tuple((k, str(v)) for k, v in fields.items() if v is not None), refused))

    def _reject(self, call: str, message_name: str, reason: str, package: str) -> bool:
        self.counters["rejected"] += 1
        self.last_rejection = reason
        self._receive(call, package, refused=reason)
        self._log("E", messages.rejected_line(message_name, reason, package))
        return False

    def _now_ms(self) -> int:
        return self.device.clock.now_ms()

    # -- playback events ------------------------------------------------------------------------
    def report_playback_event(self, package: str, event: PlaybackEvent) -> bool:
        """``reportNewPlaybackEvent``: an Active or Off-Device event. False if rejected."""
        return self._accept_playback(package, event, 0, 1)

    def _accept_playback(self, package: str, event: PlaybackEvent, page_index: int, total_pages: int) -> bool:
        error = playback_event_error(event)
        if error:
            return self._reject(PLAYBACK_CALL, "PlaybackEventsVegaMessage", error, package)
        assert event.content_id and event.duration_ms is not None and event.position_ms is not None
        assert event.playback_state is not None
        now_ms = self._now_ms()
        active = event.event_type is EventType.ACTIVE
        # Seed 002: for Active events "the system captures the timestamp at the moment the event is
        # reported"; Off-Device events carry the app's own (required) timestamp.
        stamp = now_ms if active else int(event.event_timestamp_ms or 0)
        self._log("I", messages.playback_line(now_ms, event.content_id, stamp, event.playback_state,
                                              event.duration_ms, event.credits_position_ms, page_index, total_pages))
        self._receive(PLAYBACK_CALL, package, type=event.event_type.value, content_id=event.content_id.id,
                      namespace=event.content_id.namespace, state=int(event.playback_state),
                      position_ms=event.position_ms, duration_ms=event.duration_ms,
                      credits_position_ms=event.credits_position_ms, event_timestamp_ms=stamp)
        self.counters["playback_active" if active else "playback_off_device"] += 1
        if not active:
            outcome = "Off-Device, row unchanged"  # seed 002 troubleshooting: expected behaviour
        elif not consent.continue_watching_allowed(self.device):
            outcome = "consent off, row unchanged"
        else:
            outcome = self.row().apply(package, event.content_id.id, event.position_ms, event.duration_ms,
                                       event.credits_position_ms, self.device.clock.now(), self.catalog_title).value
        self._remember(f"{event.event_type.value} {event.content_id.id} state={int(event.playback_state)} "
                       f"position_ms={event.position_ms}: {outcome}")
        return True

    def _remember(self, outcome: str) -> None:
        self.last_outcomes = (self.last_outcomes + [outcome])[-20:]

    def report_refreshed_playback_events(self, package: str) -> bool:
        """``reportRefreshedPlaybackEvents``: pull Off-Device events since the last pull from the
        app's PlaybackEventsHandler (seed 002: "send the playback exit events")."""
        handler = self._playback_handlers.get(package)
        if handler is None:
            return self._reject("reportRefreshedPlaybackEvents", "PlaybackEventsVegaMessage",
                                "no PlaybackEventsHandler is set", package)
        since = self._playback_synced_ms.get(package, 0)
        provider: ChunkProvider[PlaybackEvent] = ChunkProvider()
        handler(since, provider)
        if not provider.committed:
            return self._reject("reportRefreshedPlaybackEvents", "PlaybackEventsVegaMessage",
                                "playback events provider was not committed", package)
        self._playback_synced_ms[package] = self._now_ms()
        pages = provider.chunks
        self._receive("reportRefreshedPlaybackEvents", package, events=sum(len(page) for page in pages))
        for index, page in enumerate(pages):
            for event in page:
                if event.event_type is not EventType.OFF_DEVICE:
                    self._reject(PLAYBACK_CALL, "PlaybackEventsVegaMessage",
                                 "events from getPlaybackEventsSince must be Off-Device", package)
                    continue
                self._accept_playback(package, event, index, len(pages))
        return True

    # -- entitlements ---------------------------------------------------------------------------
    def report_new_content_entitlement(self, package: str, entitlement: ContentEntitlement) -> bool:
        return self._entitlement(package, entitlement, messages.OPERATION_NEW)

    def report_removed_content_entitlement(self, package: str, entitlement: ContentEntitlement) -> bool:
        return self._entitlement(package, entitlement, messages.OPERATION_REMOVED)

    def _entitlement(self, package: str, entitlement: ContentEntitlement, operation: str) -> bool:
        call = "reportNewContentEntitlement" if operation == messages.OPERATION_NEW else "reportRemovedContentEntitlement"
        error = entitlement_error(entitlement)
        if error:
            return self._reject(call, "EntitlementsVegaMessage", error, package)
        assert entitlement.content_id and entitlement.entitlement_type is not None
        self._log("I", messages.entitlement_line(self._now_ms(), operation, entitlement.content_id,
                                                 entitlement.entitlement_type))
        self._receive(call, package, content_id=entitlement.content_id.id, namespace=entitlement.content_id.namespace,
                      entitlement_type=int(entitlement.entitlement_type))
        owned = self.entitlements.setdefault(package, {})
        if operation == messages.OPERATION_NEW:
            owned[entitlement.content_id.id] = EntitlementType(entitlement.entitlement_type)
        else:
            owned.pop(entitlement.content_id.id, None)
        self.counters["entitlements"] += 1
        return True

    def report_refreshed_content_entitlements(self, package: str) -> bool:
        """``reportRefreshedContentEntitlements``: ask the app's handler for all its entitlements."""
        handler = self._entitlements_handlers.get(package)
        if handler is None:
            return self._reject(REFRESH_ENTITLEMENTS_CALL, "EntitlementsVegaMessage",
                                "no ContentEntitlementsHandler is set", package)
        provider: ChunkProvider[ContentEntitlement] = ChunkProvider()
        handler(provider)
        if not provider.committed:
            return self._reject(REFRESH_ENTITLEMENTS_CALL, "EntitlementsVegaMessage",
                                "entitlements provider was not committed", package)
        pages = provider.pages()
        for page in pages:
            for entitlement in page:
                if error := entitlement_error(entitlement):
                    return self._reject(REFRESH_ENTITLEMENTS_CALL, "EntitlementsVegaMessage", error, package)
        owned: dict[str, EntitlementType] = {}
        for index, page in enumerate(pages):
            self._log("I", messages.entitlement_page_line(self._now_ms(), index, len(pages),
                                                          [e.content_id for e in page if e.content_id],
                                                          [int(e.entitlement_type or 0) for e in page]))
            self._receive(REFRESH_ENTITLEMENTS_CALL, package, page=f"{index + 1}/{len(pages)}",
                          content_ids=",".join(e.content_id.id for e in page if e.content_id))
            for e in page:
                assert e.content_id and e.entitlement_type is not None
                owned[e.content_id.id] = EntitlementType(e.entitlement_type)
        self.entitlements[package] = owned
        self.counters["entitlement_refreshes"] += 1
        return True

    # -- customer lists (watchlist) -------------------------------------------------------------
    def report_new_customer_list_entry(self, package: str, list_type: CustomerListType,
                                       entry: CustomerListEntry) -> bool:
        return self._list_entry(package, list_type, entry, messages.OPERATION_NEW)

    def report_removed_customer_list_entry(self, package: str, list_type: CustomerListType,
                                           entry: CustomerListEntry) -> bool:
        return self._list_entry(package, list_type, entry, messages.OPERATION_REMOVED)

    def _list_entry(self, package: str, list_type: CustomerListType, entry: CustomerListEntry,
                    operation: str) -> bool:
        call = "reportNewCustomerListEntry" if operation == messages.OPERATION_NEW else "reportRemovedCustomerListEntry"
        error = customer_list_entry_error(entry) or _list_type_error(list_type)
        if error:
            return self._reject(call, "CustomerListVegaMessage", error, package)
        assert entry.content_id and entry.profile_id
        self._log("I", messages.customer_list_line(self._now_ms(), operation, list_type, entry.content_id))
        self._receive(call, package, list_type=int(list_type), content_id=entry.content_id.id,
                      namespace=entry.content_id.namespace, profile_id=entry.profile_id.id)
        listed = self.watchlists.setdefault(package, {}).setdefault(entry.profile_id.id, [])
        if entry.content_id.id in listed:
            listed.remove(entry.content_id.id)
        if operation == messages.OPERATION_NEW:
            listed.insert(0, entry.content_id.id)
        self.counters["watchlist_entries"] += 1
        return True

    def report_refreshed_customer_list(self, package: str, list_type: CustomerListType) -> bool:
        """``reportRefreshedCustomerList``: ask the app's handler for the whole list."""
        if error := _list_type_error(list_type):
            return self._reject(REFRESH_LIST_CALL, "CustomerListVegaMessage", error, package)
        handler = self._customer_list_handlers.get(package)
        if handler is None:
            return self._reject(REFRESH_LIST_CALL, "CustomerListVegaMessage", "no CustomerListEntriesHandler is set",
                                package)
        provider: ChunkProvider[CustomerListEntry] = ChunkProvider()
        handler(list_type, provider)
        if not provider.committed:
            return self._reject(REFRESH_LIST_CALL, "CustomerListVegaMessage", "customer list provider was not committed",
                                package)
        pages = provider.pages()
        for page in pages:
            for entry in page:
                if error := customer_list_entry_error(entry):
                    return self._reject(REFRESH_LIST_CALL, "CustomerListVegaMessage", error, package)
        lists: dict[str, list[str]] = {}
        for index, page in enumerate(pages):
            self._log("I", messages.customer_list_page_line(self._now_ms(), list_type, index, len(pages),
                                                            [e.content_id for e in page if e.content_id]))
            self._receive(REFRESH_LIST_CALL, package, list_type=int(list_type), page=f"{index + 1}/{len(pages)}",
                          content_ids=",".join(e.content_id.id for e in page if e.content_id))
            for e in page:
                assert e.content_id and e.profile_id
                lists.setdefault(e.profile_id.id, []).append(e.content_id.id)
        self.watchlists.setdefault(package, {}).update(lists)
        self.counters["watchlist_refreshes"] += 1
        return True

    # -- interactions ---------------------------------------------------------------------------
    def report_new_content_interaction(self, package: str, interaction: ContentInteraction) -> bool:
        error = interaction_error(interaction)
        if error:
            return self._reject(INTERACTION_CALL, "ContentInteractionVegaMessage", error, package)
        assert interaction.content_id and interaction.interaction_type is not None
        now_ms = self._now_ms()
        self._log("I", messages.interaction_line(now_ms, interaction.content_id, interaction.interaction_type,
                                                 interaction.event_timestamp_ms or now_ms))
        self._receive(INTERACTION_CALL, package, content_id=interaction.content_id.id,
                      namespace=interaction.content_id.namespace, interaction_type=int(interaction.interaction_type))
        self.counters["interactions"] += 1
        return True


def _list_type_error(list_type: object) -> str | None:
    if list_type is None or list_type not in tuple(CustomerListType):
        return f"unsupported customer list type {list_type!r} (only WATCHLIST=0)"
    return None


__all__ = ["ChunkProvider", "ContentPersonalizationService", "ContinueWatchingItem", "Outcome", "DEFAULT_PROFILE",
           "ReceivedCall"]
