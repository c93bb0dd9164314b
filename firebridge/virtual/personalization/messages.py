"""The data service's log lines (pure formatting).

Seed 002 ("Verify content updates in the Continue Watching row") gives the line a successfully
reported playback event produces::

    INFO com.amazon.com_amazon_tv_developer_dataservice.vega.vega_alberto_service:VegaAlbertoBinderService PlaybackEventsVegaMessage → message.sent_timestamp: <ts>, page_index : 0, total_page_count: 1, content_id id : <id>, content_id namespace : cdf_id, event_timestamp_ms: <ts>, playback_state :0, duration_ms : <dur>, credits_position_ms :<credits>

That is a Vega OS journal line (``LEVEL component:tag message``, like ``INFO com.amazon.keplerscript: ...``
in Jeremiah-Sakuda/sema-firetv docs/vega/logs/evidence-excerpts.txt; docs/vega-os.md section 3). Only the
Vega personality's service writes it (through ``device.system_log``, as
``<ident>[pid]: INFO com.amazon...vega_alberto_service:VegaAlbertoBinderService ...``). The Fire OS
personality's service writes no line at all: no public source shows one on Fire OS, and a real Fire TV
never prints this Vega line to logcat (docs/virtual-device.md section 2). The text after the seed's
``INFO`` word is kept verbatim, so searching the journal for the seed's line (or for
``VegaAlbertoBinderService PlaybackEventsVegaMessage``) finds it, as it would on the device the seed
describes.

Spacing follows the seed's first example exactly (``playback_state :0``, ``credits_position_ms :N``,
``message.sent_timestamp: N,``); its second example differs by stray spaces (``<ts> ,`` and
``credits_position_ms : N``), taken to be a documentation slip — parsers should accept both.
ASSUMPTION: an event without a credits position prints ``credits_position_ms :0`` (the line looks
like a message dump, where an unset number prints as 0).

The seed shows no line for the other calls; those use the same shape, one line per call or per page
of a refresh (see :func:`entitlement_line`, :func:`customer_list_line`, :func:`interaction_line`).
"""

from __future__ import annotations

from typing import Sequence

from firebridge.virtual.personalization.sdk import ContentId

TAG = "VegaAlbertoBinderService"
COMPONENT = "com.amazon.com_amazon_tv_developer_dataservice.vega.vega_alberto_service"
PREFIX = f"{COMPONENT}:{TAG} "
ARROW = "→"

OPERATION_NEW = "NEW"
OPERATION_REMOVED = "REMOVED"
OPERATION_REFRESH = "REFRESH"


def _content(content_id: ContentId) -> str:
    return f"content_id id : {content_id.id}, content_id namespace : {content_id.namespace}"


def playback_line(sent_ms: int, content_id: ContentId, event_timestamp_ms: int, state: int, duration_ms: int,
                  credits_position_ms: int | None, page_index: int = 0, total_page_count: int = 1) -> str:
    """The seed's ``PlaybackEventsVegaMessage`` line for one playback event (Active or Off-Device)."""
    return (f"{PREFIX}PlaybackEventsVegaMessage {ARROW} message.sent_timestamp: {sent_ms}, "
            f"page_index : {page_index}, total_page_count: {total_page_count}, {_content(content_id)}, "
            f"event_timestamp_ms: {event_timestamp_ms}, playback_state :{int(state)}, "
            f"duration_ms : {duration_ms}, credits_position_ms :{credits_position_ms or 0}")


def _ids(content_ids: Sequence[ContentId]) -> str:
    return "[" + ", ".join(c.id for c in content_ids) + "]"


def entitlement_line(sent_ms: int, operation: str, content_id: ContentId, entitlement_type: int) -> str:
    """``EntitlementsVegaMessage`` for reportNewContentEntitlement / reportRemovedContentEntitlement."""
    return (f"{PREFIX}EntitlementsVegaMessage {ARROW} message.sent_timestamp: {sent_ms}, operation : {operation}, "
            f"page_index : 0, total_page_count: 1, {_content(content_id)}, entitlement_type :{int(entitlement_type)}")


def entitlement_page_line(sent_ms: int, page_index: int, total_page_count: int, content_ids: Sequence[ContentId],
                          types: Sequence[int]) -> str:
    """One page of a reportRefreshedContentEntitlements answer (the app's handler's chunk)."""
    return (f"{PREFIX}EntitlementsVegaMessage {ARROW} message.sent_timestamp: {sent_ms}, "
            f"operation : {OPERATION_REFRESH}, page_index : {page_index}, total_page_count: {total_page_count}, "
            f"entry_count : {len(content_ids)}, content_ids : {_ids(content_ids)}, "
            f"entitlement_types : [{', '.join(str(int(t)) for t in types)}]")


def customer_list_line(sent_ms: int, operation: str, list_type: int, content_id: ContentId) -> str:
    """``CustomerListVegaMessage`` for reportNewCustomerListEntry / reportRemovedCustomerListEntry."""
    return (f"{PREFIX}CustomerListVegaMessage {ARROW} message.sent_timestamp: {sent_ms}, operation : {operation}, "
            f"list_type :{int(list_type)}, page_index : 0, total_page_count: 1, {_content(content_id)}")


def customer_list_page_line(sent_ms: int, list_type: int, page_index: int, total_page_count: int,
                            content_ids: Sequence[ContentId]) -> str:
    """One page of a reportRefreshedCustomerList answer."""
    return (f"{PREFIX}CustomerListVegaMessage {ARROW} message.sent_timestamp: {sent_ms}, "
            f"operation : {OPERATION_REFRESH}, list_type :{int(list_type)}, page_index : {page_index}, "
            f"total_page_count: {total_page_count}, entry_count : {len(content_ids)}, "
            f"content_ids : {_ids(content_ids)}")


def interaction_line(sent_ms: int, content_id: ContentId, interaction_type: int, event_timestamp_ms: int) -> str:
    """``ContentInteractionVegaMessage`` for reportNewContentInteraction."""
    return (f"{PREFIX}ContentInteractionVegaMessage {ARROW} message.sent_timestamp: {sent_ms}, "
            f"page_index : 0, total_page_count: 1, {_content(content_id)}, "
            f"interaction_type :{int(interaction_type)}, event_timestamp_ms: {event_timestamp_ms}")


def rejected_line(message_name: str, reason: str, package: str) -> str:
    """The error line for a call the SDK refuses (a required field missing or invalid)."""
    return f"{PREFIX}{message_name} rejected {ARROW} reason: {reason}, package : {package}"
