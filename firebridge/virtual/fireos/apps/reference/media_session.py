"""``dumpsys media_session``: the media sessions apps publish (pure formatting + registration).

Only Reference TV's player publishes a session on the virtual Fire TV. Two layouts, by API level:

- Fire OS 5/6 (API <= 25): the flat Lollipop-era list of a real Fire TV Stick capture
  (dwaan/homebridge-adb issue #36: ``N Sessions:``, records at column 0, numeric ``state=3``).
- Fire OS 7/8 (API 28-30): ``Global priority session``, ``User Records:``, ``Sessions Stack - have N
  sessions:`` as in a real Android TV capture (home-assistant/core issue #135338), but with the numeric
  state and volume fields Android 11 and older print (the sample's ``PLAYING(3)`` / ``LOCAL`` are 12+).

ASSUMPTION: the player's session reports its state as of the dump (position read now, ``updated`` =
uptime now), which is what a player that updates its session on every change would show.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from firebridge.virtual.shell.interpreter import CommandContext
    from firebridge.virtual.fireos.system import VirtualDevice

# android.media.session.PlaybackState
STATE_NONE, STATE_STOPPED, STATE_PAUSED, STATE_PLAYING, STATE_BUFFERING = 0, 1, 2, 3, 6
ACTIONS = 1 | 2 | 4 | 8 | 64 | 256 | 512  # STOP PAUSE PLAY REWIND FAST_FORWARD SEEK_TO PLAY_PAUSE (= 847)


@dataclass(frozen=True)
class SessionRecord:
    tag: str
    package: str
    owner_pid: int
    owner_uid: int
    active: bool
    state: int
    position_ms: int
    speed: float
    updated_ms: int  # SystemClock.elapsedRealtime of the last update
    title: str


def _record(session: SessionRecord, indent: str, modern: bool) -> list[str]:
    i = indent + "  "
    state = (f"state=PlaybackState {{state={session.state}, position={session.position_ms}, buffered position=0, "
             f"speed={session.speed}, updated={session.updated_ms}, actions={ACTIONS}, custom actions=[], "
             f"active item id=-1, error=null}}")
    head = f"{indent}{session.tag} {session.package}/{session.tag}" + (" (userId=0)" if modern else "")
    attrs = ("AudioAttributes: usage=USAGE_MEDIA content=CONTENT_TYPE_MOVIE flags=0x800 tags= bundle=null" if modern
             else "AudioAttributes: usage=1 content=3 flags=0x0 tags=")
    return [head, f"{i}ownerPid={session.owner_pid}, ownerUid={session.owner_uid}, userId=0",
            f"{i}package={session.package}", f"{i}launchIntent=null", f"{i}mediaButtonReceiver=null",
            f"{i}active={'true' if session.active else 'false'}", f"{i}flags=3", f"{i}rating type=0",
            f"{i}controllers: 1", f"{i}{state}", f"{i}audioAttrs={attrs}",
            f"{i}volumeType=1, controlType=2, max=0, current=0",
            f"{i}metadata:{' ' if modern else ''}size=2, description={session.title}, null, null",
            f"{i}queueTitle=null, size=0"]


def format_dump(sessions: list[SessionRecord], sdk: int) -> str:
    lines = ["MEDIA SESSION SERVICE (dumpsys media_session)", "", "1 sessions listeners."]
    if sdk <= 25:
        lines.append(f"{len(sessions)} Sessions:")
        for session in sessions:
            lines += _record(session, "", False) + [""]
        return "\n".join(lines) + "\n"
    button = f"{sessions[0].package}/{sessions[0].tag} (userId=0)" if sessions else "null"
    lines += ["Global priority session is null", "User Records:", "Record for full_user=0",
              f"  Media button session is {button}", f"  Sessions Stack - have {len(sessions)} sessions:"]
    for session in sessions:
        lines += _record(session, "    ", True)
    return "\n".join(lines) + "\n"


def sessions_of(device: "VirtualDevice") -> list[SessionRecord]:
    """Every app's published sessions (apps expose ``media_sessions()``), most recent first."""
    found: list[SessionRecord] = []
    for app in device.activities.apps.values():
        publish = getattr(app, "media_sessions", None)
        if publish is not None:
            found += publish()
    return sorted(found, key=lambda s: (not s.active, -s.updated_ms))


def dumpsys_section(ctx: "CommandContext", args: list[str]) -> str:
    """``dumpsys media_session``."""
    return format_dump(sessions_of(ctx.device), ctx.device.model.sdk)

