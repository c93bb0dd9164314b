"""The notification manager and the Partner-Managed Row data the launcher shows.

:class:`NotificationManager` is the part of Android 9's ``NotificationManagerService`` (Fire OS 7) that
PMR needs, read from StagOS/android_frameworks_base_p (a Pie fork of AOSP,
``services/core/java/com/android/server/notification/``; see docs/fire-os.md section 4):

- notifications are keyed ``<user>|<pkg>|<id>|<tag>|<uid>``; posting the same (pkg, id, tag) again
  updates the record (first post time kept as the creation time, the new post time ranks it);
- ``checkDisqualifyingFeatures``: a package may hold at most ``MAX_PACKAGE_NOTIFICATIONS`` = 50 active
  notifications; the next new one is dropped with
  ``E NotificationService: Package has already posted or enqueued 50 notifications.  Not showing more.
  package=PKG`` (system buffer, Slog). ``notify()`` in the app does not throw: the app cannot tell;
- a notification whose channel does not exist is dropped with ``No Channel found for ...`` (Log.e). Channels
  exist only from Android 8 (API 26): on Fire OS 5 and 6 (Android 5.1, 7.1) nothing asks for one, and a
  notification's importance comes from its priority (nougat ``NotificationRecord.defaultImportance``);
- posting writes the ``notification_enqueue`` event (events buffer, tag 2750), a removal the
  ``notification_canceled`` event (27530); nothing else is logged by the service for a normal post;
- ``am force-stop PKG`` cancels the package's notifications (ACTION_PACKAGE_RESTARTED,
  REASON_PACKAGE_CHANGED); the apps that post call :meth:`NotificationManager.cancel_all` for it.

ASSUMPTIONS (where Android 9 does more than a Fire TV needs or the behaviour is not confirmed):
- no auto-grouping: Android's GroupHelper would add a "ranker_group" summary after 4 ungrouped
  notifications, and that summary would count towards the 50; docs/virtual-device.md section 3 says the 51st is rejected,
  so no summary is made (a Fire TV has no notification shade to group for);
- the enqueue-rate limit for updates (5 per second) is not modelled;
- the service behaves as Fire OS 7's for every device model (the brief asks for the Android 9 format), except
  the wording of the 50-notification line, which follows the model's Android version.

The PMR rules (docs/virtual-device.md section 3, seed 001) are in :func:`build_rows`.
"""

from __future__ import annotations

import itertools
import zlib
from collections import deque
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Callable, Iterable

from firebridge.virtual.fireos.intents import Intent

if TYPE_CHECKING:
    from firebridge.virtual.fireos.system import VirtualDevice

MAX_PACKAGE_NOTIFICATIONS = 50
ARCHIVE_SIZE = 100  # config_notificationServiceArchiveSize
CATEGORY_RECOMMENDATION = "recommendation"  # Notification.CATEGORY_RECOMMENDATION

IMPORTANCE_UNSPECIFIED, IMPORTANCE_NONE, IMPORTANCE_MIN = -1000, 0, 1
IMPORTANCE_LOW, IMPORTANCE_DEFAULT, IMPORTANCE_HIGH = 2, 3, 4
_IMPORTANCE_NAMES = {IMPORTANCE_UNSPECIFIED: "UNSPECIFIED", IMPORTANCE_NONE: "NONE", IMPORTANCE_MIN: "MIN",
                     IMPORTANCE_LOW: "LOW", IMPORTANCE_DEFAULT: "DEFAULT", IMPORTANCE_HIGH: "HIGH", 5: "MAX"}
VISIBILITY_PRIVATE = 0
# NotificationListenerService.REASON_*
REASON_PACKAGE_CHANGED, REASON_APP_CANCEL, REASON_APP_CANCEL_ALL = 5, 8, 9

# Amazon's extras (seed 001; constant names in amzn/fire-app-builder RecommendationExtras.java).
EXTRA_DISPLAY_NAME = "com.amazon.extra.DISPLAY_NAME"
EXTRA_MATURITY_RATING = "com.amazon.extra.MATURITY_RATING"
EXTRA_ACTION_OPTION = "com.amazon.extra.ACTION_OPTION"
EXTRA_RANK = "com.amazon.extra.RANK"
EXTRA_CONTENT_ID = "com.amazon.extra.CONTENT_ID"
EXTRA_LIVE_CONTENT = "com.amazon.extra.LIVE_CONTENT"
EXTRA_CONTENT_START_TIME = "com.amazon.extra.CONTENT_START_TIME"
EXTRA_CONTENT_END_TIME = "com.amazon.extra.CONTENT_END_TIME"
EXTRA_LONG_DESCRIPTION = "com.amazon.extra.LONG_DESCRIPTION"
EXTRA_TAGS = "com.amazon.extra.TAGS"
AMAZON_EXTRA_PREFIX = "com.amazon.extra."
DISPLAY_NAME_LIMIT = 15  # seed 001: "Additional characters are truncated without showing an ellipses"
LONG_DESCRIPTION_LIMIT = 512  # seed 001

EXTRA_TITLE = "android.title"
EXTRA_TEXT = "android.text"
EXTRA_LARGE_ICON = "android.largeIcon"

# Android's own framework strings and defaults that appear in the dump.
IMPORTANCE_FROM_USER = "You set the importance of these notifications."  # R.string.importance_from_user
DEFAULT_NOTIFICATION_URI = "content://settings/system/notification_sound"
DEFAULT_AUDIO_ATTRIBUTES = ("AudioAttributes: usage=USAGE_NOTIFICATION content=CONTENT_TYPE_SONIFICATION "
                             "flags=0x0 tags= bundle=null")


def java_str(value: object) -> str:
    """``String.valueOf``: None prints as ``null``."""
    return "null" if value is None else str(value)


def identity_hash(*parts: object) -> int:
    """A stable stand-in for ``System.identityHashCode`` (28 bits, like ART's)."""
    return zlib.crc32(repr(parts).encode()) & 0x0FFFFFFF


# -- values that live in a notification -------------------------------------------------------------


@dataclass(frozen=True)
class Icon:
    """``android.graphics.drawable.Icon``: a resource or a bitmap."""

    kind: str  # "RESOURCE" | "BITMAP"
    package: str = ""
    res_id: int = 0
    res_name: str = ""  # package:type/name, as Resources.getResourceName returns it
    width: int = 0
    height: int = 0
    path: str | None = None  # the device file a bitmap was decoded from

    def __str__(self) -> str:  # Icon.toString()
        if self.kind == "BITMAP":
            return f"Icon(typ=BITMAP size={self.width}x{self.height})"
        return f"Icon(typ=RESOURCE pkg={self.package} id=0x{self.res_id:08x})"


@dataclass(frozen=True)
class ApplicationInfo:
    """The ``android.appInfo`` extra that Notification.addFieldsFromContext puts."""

    package: str

    def __str__(self) -> str:
        return f"ApplicationInfo{{{identity_hash('appinfo', self.package):x} {self.package}}}"


# DeviceIdleController's notification whitelist token and duration (30 s), as PendingIntentRecord prints it.
_WHITELIST = f"(whitelist: {identity_hash('WHITELIST_TOKEN'):x}:+30s0ms)"


@dataclass(frozen=True)
class PendingIntent:
    """A content intent: created by ``creator``, starting ``intent`` (an activity)."""

    creator: str
    request_code: int
    intent: Intent = field(compare=False)

    @property
    def target_package(self) -> str | None:
        return self.intent.component_package

    def __str__(self) -> str:  # PendingIntent.toString() in system_server (target = PendingIntentRecord)
        pi = identity_hash("pi", self.creator, self.request_code)
        record = identity_hash("pir", self.creator, self.request_code)
        target = f"PendingIntentRecord{{{record:x} {self.creator} startActivity {_WHITELIST}}}"
        return f"PendingIntent{{{pi:x}: {target}}}"


@dataclass
class NotificationChannel:
    """``android.app.NotificationChannel`` (Android 9 fields)."""

    id: str
    name: str
    importance: int
    description: str = ""
    show_badge: bool = True

    def __str__(self) -> str:  # NotificationChannel.toString(), Android 9
        return (f"NotificationChannel{{mId='{self.id}', mName={self.name}, "
                f"mDescription={'hasDescription ' if self.description else ''}, mImportance={self.importance}, "
                f"mBypassDnd=false, mLockscreenVisibility=-1000, mSound={DEFAULT_NOTIFICATION_URI}, "
                f"mLights=false, mLightColor=0, mVibration=null, mUserLockedFields=0, mFgServiceShown=false, "
                f"mVibrationEnabled=false, mShowBadge={str(self.show_badge).lower()}, mDeleted=false, "
                f"mGroup='null', mAudioAttributes={DEFAULT_AUDIO_ATTRIBUTES}, mBlockableSystem=false}}")

    def android11_str(self) -> str:
        """``NotificationChannel.toString()`` as the Android TV capture prints it (Android 11/12 fields;
        tests/samples/dumpsys_notification_androidtv_redacted.txt)."""
        return (f"NotificationChannel{{mId='{self.id}', mName={self.name}, mDescription={self.description}, "
                f"mImportance={self.importance}, mBypassDnd=false, mLockscreenVisibility=-1000, "
                f"mSound={DEFAULT_NOTIFICATION_URI}, mLights=false, mLightColor=0, mVibration=null, "
                f"mUserLockedFields=0, mFgServiceShown=false, mVibrationEnabled=false, "
                f"mShowBadge={str(self.show_badge).lower()}, mDeleted=false, mDeletedTimeMs=-1, mGroup='null', "
                f"mAudioAttributes={DEFAULT_AUDIO_ATTRIBUTES}, mBlockableSystem=false, mAllowBubbles=-1, "
                f"mImportanceLockedDefaultApp=false, mOriginalImp={self.importance}, mParent=null, "
                f"mConversationId=null, mDemoted=false, mImportantConvo=false}}")


Extras = dict[str, tuple[str, Any]]  # key -> (declared Java type, value); see intents.java_value_str


@dataclass
class Notification:
    """``android.app.Notification`` as Notification.Builder(context, channel).build() makes it."""

    channel_id: str | None = None
    category: str | None = None
    when: int = 0
    priority: int = 0
    flags: int = 0
    color: int = 0
    defaults: int = 0
    visibility: int = VISIBILITY_PRIVATE
    ticker_text: str | None = None
    small_icon: Icon | None = None
    large_icon: Icon | None = None
    content_intent: PendingIntent | None = None
    extras: Extras = field(default_factory=dict)

    def extra(self, key: str, kind: str) -> Any:
        """The extra's value if it has Java type ``kind`` (Bundle's typed getters), else None."""
        found = self.extras.get(key)
        return found[1] if found is not None and found[0] == kind else None

    def summary(self, sdk: int = 28) -> str:
        """``Notification.toString()``, Android 9; before Android 8 (API 26) there are no channels, so no
        ``channel=`` (ASSUMPTION: otherwise the same fields; settle by: `dumpsys notification` on an AFTMM)."""
        channel = f"channel={self.channel_id} " if sdk >= 26 else ""
        # Android 11 prints the shortcut id where earlier releases print the priority (the Android TV
        # capture: ``Notification(channel=X shortcut=null contentView=null ...``).
        middle = "shortcut=null" if sdk >= 30 else f"pri={self.priority}"
        parts = [f"Notification({channel}{middle} contentView=null "
                 f"vibrate=null sound=null"]
        if self.ticker_text is not None:
            parts.append(" tick")
        parts.append(f" defaults=0x{self.defaults:x} flags=0x{self.flags:x} color=0x{self.color:08x}")
        if self.category is not None:
            parts.append(f" category={self.category}")
        vis = {0: "PRIVATE", 1: "PUBLIC", -1: "SECRET"}.get(self.visibility, f"UNKNOWN({self.visibility})")
        parts.append(f" vis={vis})")
        return "".join(parts)


@dataclass
class NotificationRecord:
    """One posted notification (NotificationRecord + its StatusBarNotification)."""

    package: str
    uid: int
    pid: int
    id: int
    tag: str | None
    notification: Notification
    channel: NotificationChannel | None  # None before Android 8 (API 26): there are no channels
    post_time: int  # device epoch ms of this post (sbn.getPostTime)
    creation_time: int  # first post, kept across updates
    post_elapsed: int  # device uptime ms at the post (stats.posttimeElapsedMs)
    identity: int
    serial: int = 0  # post order, newest highest (ties of the millisecond clock)
    user_id: int = 0
    is_update: bool = False

    @property
    def key(self) -> str:
        return f"{self.user_id}|{self.package}|{self.id}|{java_str(self.tag)}|{self.uid}"

    @property
    def ranking_time(self) -> int:
        """NotificationRecord.calculateRankingTimeMs: ``when`` unless it is 0 or in the future."""
        when = self.notification.when
        return when if 0 < when <= self.post_time else self.post_time

    @property
    def importance_score(self) -> int:
        """Lollipop's score (Android 5.1 ranks by it instead of importance)."""
        return legacy_score(self.notification)

    @property
    def importance(self) -> int:
        if self.channel is not None:
            return self.channel.importance
        return legacy_importance(self.notification)

    def sbn_string(self, sdk: int = 28) -> str:
        """``StatusBarNotification.toString()`` (what the archive prints); Lollipop's has ``score=``."""
        score = f" score={legacy_score(self.notification)}" if sdk < 24 else ""
        return (f"StatusBarNotification(pkg={self.package} user=UserHandle{{{self.user_id}}} id={self.id} "
                f"tag={java_str(self.tag)}{score} key={self.key}: {self.notification.summary(sdk)})")


def legacy_importance(notification: Notification) -> int:
    """Importance before channels (Android 7.x): nougat ``NotificationRecord.defaultImportance`` maps the
    priority (MIN -> MIN, LOW -> LOW, DEFAULT and above -> HIGH), then lowers a notification that makes no
    sound or vibration to at most LOW. The virtual apps post silent notifications (no sound on a TV)."""
    priority = notification.priority
    importance = IMPORTANCE_MIN if priority <= -2 else IMPORTANCE_LOW if priority == -1 else IMPORTANCE_HIGH
    return min(importance, IMPORTANCE_LOW)  # not noisy


def legacy_score(notification: Notification) -> int:
    """Lollipop's ranking score: ``priority * NOTIFICATION_PRIORITY_MULTIPLIER`` (10)."""
    return notification.priority * 10


# -- the Partner-Managed Row ------------------------------------------------------------------------


@dataclass(frozen=True)
class RecommendationTile:
    """One tile of an app's Partner-Managed Row, as the launcher shows it."""

    key: str
    package: str
    title: str
    text: str
    display_name: str  # DISPLAY_NAME cut to 15 characters, or the app label
    maturity_rating: str  # "" when absent: shown as mature
    requires_pin: bool
    content_id: str | None
    launch_package: str | None = None  # what SELECT on the tile opens (the content intent's target)
    rank: int | None = None  # com.amazon.extra.RANK, None when absent
    posted_at: int = 0  # device epoch ms of the latest post of this notification
    live: bool = False  # LIVE_CONTENT == 1 (and so shown only inside its start/end window)
    notification_id: int = 0
    actions: tuple[int, ...] = ()  # ACTION_OPTION (ArrayList<Integer>)
    tags: tuple[str, ...] = ()  # TAGS (ArrayList<String>), e.g. ("UHD",)
    long_description: str = ""  # LONG_DESCRIPTION cut to 512 characters
    image_path: str | None = None  # the device file of the large icon, when one was given


def _is_visible(record: NotificationRecord, now_ms: int) -> bool:
    """Live content shows only inside [CONTENT_START_TIME, CONTENT_END_TIME] (device clock, ms).

    ASSUMPTION: a missing (or not ``long``) start or end leaves that side of the window open.
    """
    n = record.notification
    if n.extra(EXTRA_LIVE_CONTENT, "int") != 1:
        return True
    start = n.extra(EXTRA_CONTENT_START_TIME, "long")
    end = n.extra(EXTRA_CONTENT_END_TIME, "long")
    return (start is None or start <= now_ms) and (end is None or now_ms <= end)


def make_tile(record: NotificationRecord, app_label: str) -> RecommendationTile:
    """A tile from a recommendation's extras, read with Bundle's typed getters (a value of another
    Java type than Amazon documents reads as absent)."""
    n = record.notification
    display = n.extra(EXTRA_DISPLAY_NAME, "String")
    rating = n.extra(EXTRA_MATURITY_RATING, "String") or ""
    rank = n.extra(EXTRA_RANK, "int")
    return RecommendationTile(
        key=record.key,
        package=record.package,
        title=n.extra(EXTRA_TITLE, "String") or "",
        text=n.extra(EXTRA_TEXT, "String") or "",
        display_name=display[:DISPLAY_NAME_LIMIT] if display is not None else app_label,
        maturity_rating=rating,
        # Seed 001: a recommendation without a maturity rating is treated as Mature content.
        # ASSUMPTION: parental controls are on and only Mature (= unrated) tiles ask for the PIN.
        requires_pin=not rating,
        content_id=n.extra(EXTRA_CONTENT_ID, "String"),
        launch_package=n.content_intent.target_package if n.content_intent else None,
        rank=rank,
        posted_at=record.ranking_time,
        live=n.extra(EXTRA_LIVE_CONTENT, "int") == 1,
        notification_id=record.id,
        actions=tuple(n.extra(EXTRA_ACTION_OPTION, "ArrayList<Integer>") or ()),
        tags=tuple(n.extra(EXTRA_TAGS, "ArrayList<String>") or ()),
        long_description=(n.extra(EXTRA_LONG_DESCRIPTION, "String") or "")[:LONG_DESCRIPTION_LIMIT],
        image_path=n.large_icon.path if n.large_icon and n.large_icon.kind == "BITMAP" else None,
    )


def _tile_order(tile: RecommendationTile, serial: int) -> tuple[int, int, int, int]:
    # RANK ascending, then most recent submission first (seed 001). ASSUMPTION: tiles without a RANK
    # ("time of submission is used alone") come after every ranked tile, newest first among themselves.
    return (0 if tile.rank is not None else 1, tile.rank or 0, -tile.posted_at, -serial)


def build_rows(records: Iterable[NotificationRecord], now_ms: int,
               label_of: Callable[[str], str]) -> dict[str, list[RecommendationTile]]:
    """Package -> its row's tiles in display order, for the active notifications ``records``.

    Only category ``recommendation`` counts; live content outside its window is left out. Rows are
    ordered by their newest visible tile (ASSUMPTION: Amazon does not document the order of rows).
    """
    found: dict[str, list[tuple[RecommendationTile, int]]] = {}
    for record in records:
        if record.notification.category != CATEGORY_RECOMMENDATION or not _is_visible(record, now_ms):
            continue
        found.setdefault(record.package, []).append((make_tile(record, label_of(record.package)), record.serial))
    newest = {package: max((t.posted_at, serial) for t, serial in pairs) for package, pairs in found.items()}
    return {package: [tile for tile, _ in sorted(found[package], key=lambda pair: _tile_order(*pair))]
            for package in sorted(found, key=lambda p: newest[p], reverse=True)}


# -- the service ------------------------------------------------------------------------------------


class NotificationManager:
    """Android 9's notification service for the virtual Fire TV."""

    def __init__(self, device: "VirtualDevice") -> None:
        self.device = device
        self._records: list[NotificationRecord] = []
        self._channels: dict[tuple[str, str], NotificationChannel] = {}
        self.archive: deque[NotificationRecord] = deque(maxlen=ARCHIVE_SIZE)
        self._serial = itertools.count(1)

    # -- channels ------------------------------------------------------------------------------
    def create_channel(self, package: str, channel: NotificationChannel) -> NotificationChannel:
        """``createNotificationChannel``: creating an existing channel again keeps its importance."""
        existing = self._channels.get((package, channel.id))
        if existing is None:
            self._channels[(package, channel.id)] = existing = replace(channel)
        else:
            existing.name, existing.description = channel.name, channel.description
        return existing

    def channel(self, package: str, channel_id: str | None) -> NotificationChannel | None:
        return self._channels.get((package, channel_id or ""))

    # -- posting and cancelling ----------------------------------------------------------------
    def notify(self, package: str, uid: int, pid: int, id: int, notification: Notification,
               tag: str | None = None) -> bool:
        """``enqueueNotificationWithTag`` as an app's ``notify`` reaches it; True when posted.

        A rejected notification returns False, but the app never learns that (no exception).
        """
        sdk = self.device.model.sdk
        channel = self.channel(package, notification.channel_id) if sdk >= 26 else None
        if channel is None and sdk >= 26:
            # NotificationManagerService.enqueueNotificationInternal (Log.e, main buffer)
            self._log("E", "NotificationService",
                      f"No Channel found for pkg={package}, channelId={notification.channel_id}, id={id}, "
                      f"tag={tag}, opPkg={package}, callingUid={uid}, userId=0, incomingUserId=0, "
                      f"notificationUid={uid}, notification={notification.summary(sdk)}", buffer="main")
            return False
        existing = self._find(package, id, tag)
        if existing is None:
            count = sum(1 for r in self._records if r.package == package)
            if count >= MAX_PACKAGE_NOTIFICATIONS:
                # checkDisqualifyingFeatures (Slog.e, system buffer); the two double spaces are Android's.
                # Android <= 7.1 (Fire OS 5/6) says only "posted" (models.notification_limit_wording).
                self._log("E", "NotificationService",
                          f"Package has already {self.device.model.notification_limit_wording} {count} notifications.  "
                          f"Not showing more.  package={package}")
                return False
        if channel is not None and channel.importance == IMPORTANCE_NONE:
            self._log("E", "NotificationService", "Suppressing notification from package by user request.")
            return False
        now = self.device.clock.now_ms()
        serial = next(self._serial)
        record = NotificationRecord(
            package=package, uid=uid, pid=pid, id=id, tag=tag, notification=notification, channel=channel,
            post_time=now, creation_time=existing.creation_time if existing else now,
            post_elapsed=self.device.clock.uptime_ms(), identity=identity_hash("nr", package, id, tag, serial),
            serial=serial, is_update=existing is not None)
        if existing is not None:
            self._records[self._records.index(existing)] = record
        else:
            self._records.append(record)
        # EventLogTags.writeNotificationEnqueue: uid, pid, pkg, id, tag, userid, notification, status
        self._event("notification_enqueue",
                    f"[{uid},{pid},{package},{id},{_event_str(tag)},0,{notification.summary(sdk)},"
                    f"{1 if existing else 0}]")
        return True

    def cancel(self, package: str, id: int, tag: str | None = None, reason: int = REASON_APP_CANCEL) -> bool:
        """``cancelNotificationWithTag``; True when something was removed (the app is not told)."""
        record = self._find(package, id, tag)
        if record is None:
            return False
        self._remove([record], reason)
        return True

    def cancel_all(self, package: str, reason: int = REASON_APP_CANCEL_ALL) -> int:
        """``cancelAllNotifications`` for a package (also what a force-stop does); how many went."""
        doomed = [r for r in self._records if r.package == package]
        self._remove(doomed, reason)
        return len(doomed)

    def _remove(self, doomed: list[NotificationRecord], reason: int) -> None:
        now = self.device.clock.now_ms()
        for record in doomed:
            self._records.remove(record)
            self.archive.append(record)
            # EventLogTags.writeNotificationCanceled: key, reason, lifespan, freshness, exposure, rank, count,
            # listener (rank/count -1 for app cancels)
            self._event("notification_canceled",
                        f"[{record.key},{reason},{now - record.creation_time},{now - record.post_time},"
                        f"0,-1,-1,NULL]")

    def _find(self, package: str, id: int, tag: str | None) -> NotificationRecord | None:
        return next((r for r in self._records if (r.package, r.id, r.tag) == (package, id, tag)), None)

    # -- reading -------------------------------------------------------------------------------
    def active(self, package: str | None = None) -> list[NotificationRecord]:
        """Active notifications in the service's ranking order (NotificationComparator: importance,
        priority, then newest ranking time first)."""
        records = [r for r in self._records if package is None or r.package == package]
        return sorted(records, key=lambda r: (-r.importance, -r.notification.priority, -r.ranking_time, -r.serial))

    def recommendation_rows(self) -> dict[str, list[RecommendationTile]]:
        """Package -> its row's tiles in display order (rank, then newest; live ones only in window)."""
        return build_rows(self._records, self.device.clock.now_ms(), self._label)

    def _label(self, package: str) -> str:
        app = self.device.activities.app(package)
        return app.label if app is not None and app.label else package

    # -- logging -------------------------------------------------------------------------------
    def _log(self, level: str, tag: str, message: str, buffer: str = "system") -> None:
        pid = self.device.processes.pid_of("system_server")
        self.device.log.write(level, tag, message, pid=pid, tid=pid + 23, buffer=buffer)

    def _event(self, tag: str, message: str) -> None:
        self._log("I", tag, message, buffer="events")


def _event_str(value: str | None) -> str:
    """An event-log string argument: null is written as NULL (android_util_EventLog.cpp)."""
    return "NULL" if value is None else value


def importance_name(importance: int) -> str:
    """``NotificationListenerService.Ranking.importanceToString``."""
    return _IMPORTANCE_NAMES.get(importance, f"UNKNOWN({importance})")

