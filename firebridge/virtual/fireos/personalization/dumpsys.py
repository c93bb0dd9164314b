"""``dumpsys content_personalization`` (virtual-only diagnostics; pure formatting).

No public source shows a Fire OS dumpsys section for the Content Personalization data service, so
this one is the virtual Fire TV's own: it prints what the service holds (the Continue Watching row per
Fire TV profile, what apps shared) in dumpsys's indented ``key=value`` style, so tests through adb can
read the row without the launcher. firebridge's bridge must not depend on it: a real Fire TV answers
``Can't find service: content_personalization``.

Row lines, most recently updated first (``title=`` last, it may contain spaces)::

    #0 content_id=movie-night-harbor package=com.firebridge.reference position_ms=540000 duration_ms=5400000 updated_ms=1718000000123 deep_link=reftv://play/movie-night-harbor title=Night Harbor

Received calls, oldest first (what the service got from each app, accepted or refused; on Fire OS the
service writes no log line for them)::

    sent_ms=1718000000123 reportNewPlaybackEvent package=com.firebridge.reference type=Active content_id=movie-night-harbor namespace=cdf_id state=0 position_ms=0 duration_ms=5400000 credits_position_ms=5160000 event_timestamp_ms=1718000000123
    sent_ms=1718000002000 reportNewPlaybackEvent package=com.firebridge.reference refused reason=event_timestamp_ms is required
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from firebridge.virtual.personalization import consent

if TYPE_CHECKING:
    from firebridge.virtual.shell.interpreter import CommandContext
    from firebridge.virtual.personalization.service import ContentPersonalizationService

SECTION = "content_personalization"


def _flag(value: bool) -> str:
    return "true" if value else "false"


def dump(service: "ContentPersonalizationService") -> str:
    device = service.device
    lines = [f"CONTENT PERSONALIZATION SERVICE (dumpsys {SECTION})",
             "  (virtual Fire TV diagnostics)",
             f"  Consent: share_app_viewing={_flag(consent.share_app_viewing(device))} "
             f"sync_across_devices={_flag(consent.sync_across_devices(device))}",
             f"  Active Fire TV profile: {service.active_profile}"]
    for profile in service.profiles():
        items = service.continue_watching(profile)
        lines.append(f"  Continue Watching profile={profile} ({len(items)} items, most recently updated first):")
        for index, item in enumerate(items):
            lines.append(f"    #{index} content_id={item.content_id} package={item.package} "
                         f"position_ms={item.position_ms} duration_ms={item.duration_ms} "
                         f"updated_ms={int(item.updated_at * 1000)} deep_link={item.deep_link} title={item.title}")
    lines.append("  Entitlements:")
    for package, owned in sorted(service.entitlements.items()):
        lines.append(f"    {package}: " + ", ".join(f"{cid}={kind.name}" for cid, kind in sorted(owned.items())))
    lines.append("  Watchlists:")
    for package, lists in sorted(service.watchlists.items()):
        for profile_id, ids in sorted(lists.items()):
            lines.append(f"    {package} profile_id={profile_id}: [{', '.join(ids)}]")
    lines.append("  Counters: " + " ".join(f"{k}={v}" for k, v in sorted(service.counters.items())))
    lines.append("  Recent playback events (oldest first):")
    lines += [f"    {outcome}" for outcome in service.last_outcomes]
    lines.append(f"  Received calls (oldest first, last {service.received.maxlen}):")
    lines += [f"    {call.describe()}" for call in service.received]
    return "\n".join(lines) + "\n"


def section(ctx: "CommandContext", args: list[str]) -> str:
    """``dumpsys content_personalization``."""
    service = getattr(ctx.device, "personalization", None)
    return dump(service) if service is not None else f"Can't find service: {SECTION}\n"

