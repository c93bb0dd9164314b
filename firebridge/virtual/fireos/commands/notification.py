"""``dumpsys notification``: Android 9's NotificationManagerService.dumpImpl (pure formatting).

Formats read from StagOS/android_frameworks_base_p (Pie): ``NotificationRecord.dump``/``toString``,
``Notification.toString``, ``NotificationManagerService.dumpImpl``/``DumpFilter``; the layout is
summarised in tests/samples/notificationrecord_dump_format_android9.txt.

Options: ``--noredact``/``--reveal`` show extra values; ``p``/``pkg``/``--package PKG`` filter by package
(substring, case-insensitive, as DumpFilter.matches does). Without ``--noredact`` Android 9 prints
String extras as the bare class name (``android.title=String``) and arrays as their length only;
``String [length=N]`` is the later (Android 10+) form seen in tests/samples, not Fire OS 7's.
"""

from __future__ import annotations

from dataclasses import dataclass

from firebridge.virtual.fireos.intents import is_array, java_array_items, java_simple_class, java_value_str
from firebridge.virtual.fireos.notifications import (DEFAULT_AUDIO_ATTRIBUTES, IMPORTANCE_FROM_USER, NotificationManager,
                             NotificationRecord, importance_name, java_str)
from firebridge.virtual.shell.interpreter import CommandContext


@dataclass
class DumpFilter:
    """NotificationManagerService.DumpFilter.parseFromArguments (the options we honour)."""

    redact: bool = True
    package: str | None = None

    @classmethod
    def parse(cls, args: list[str]) -> "DumpFilter":
        result = cls()
        index = 0
        while index < len(args):
            arg = args[index]
            if arg in ("--noredact", "--reveal"):
                result.redact = False
            elif arg in ("p", "pkg", "--package") and index < len(args) - 1:
                index += 1
                result.package = args[index].strip().lower() or None
            index += 1
        return result

    @property
    def filtered(self) -> bool:
        return self.package is not None

    def matches(self, package: str) -> bool:
        return self.package is None or self.package in package.lower()


def _extra_lines(key: str, kind: str, value: object, prefix: str, redact: bool) -> list[str]:
    """One extras entry (NotificationRecord.dump): ``key=Class (value)``, arrays item by item."""
    head = f"{prefix}    {key}="
    if value is None:
        return [head + "null"]
    cls = java_simple_class(kind)
    if redact and kind == "String":
        return [head + cls]  # redact contents from bugreports
    if is_array(kind):
        assert isinstance(value, list)
        lines = [f"{head}{cls} ({len(value)})"]
        if not redact:
            lines += [f"{prefix}      [{i}] {item}" for i, item in enumerate(java_array_items(kind, value))]
        return lines
    return [f"{head}{cls} ({java_value_str(kind, value)})"]


def _java_hash(text: str) -> int:
    """``String.hashCode()`` as a signed int: Bundle's ArrayMap keeps its keys in this order."""
    h = 0
    for unit in memoryview(text.encode("utf-16-le")).cast("H"):
        h = (31 * h + unit) & 0xFFFFFFFF
    return h - (1 << 32) if h >= 1 << 31 else h


def record_header(record: NotificationRecord, sdk: int = 28) -> str:
    """``NotificationRecord.toString()`` per Android release (pure):

    - Android 9 (Fire OS 7): ``... importance=N key=KEYappImportanceLocked=false: Notification(...)`` (the
      missing space is Pie's; StagOS/android_frameworks_base_p NotificationRecord.java);
    - Android 8 and 11 (Fire OS 8): no appImportanceLocked (captures: mozilla-mobile/FirefoxLite #2559 on
      Android 8, the Android TV dump in hfreeman2008/android_core_framework on Android 11/12);
    - Android 7.1 (Fire OS 6): as Android 8. ASSUMPTION (settle by: `dumpsys notification` on an AFTMM);
    - Android 5.1 (Fire OS 5): ``score=N`` where later releases say importance (lollipop ranked by score).
      ASSUMPTION from the lollipop source as remembered (settle by: `dumpsys notification` on an AFTT).
    """
    n = record.notification
    rank_field = "score=0" if sdk < 24 else f"importance={record.importance}"
    locked = "appImportanceLocked=false" if 28 <= sdk < 29 else ""
    return (f"NotificationRecord(0x{record.identity:08x}: pkg={record.package} "
            f"user=UserHandle{{{record.user_id}}} id={record.id} tag={java_str(record.tag)} "
            f"{rank_field} key={record.key}{locked}: {n.summary(sdk)})")


def format_record(record: NotificationRecord, rank: int, redact: bool, prefix: str = "    ",
                  sdk: int = 28) -> list[str]:
    """``NotificationRecord.dump`` (Android 9 body; the header line per release, see :func:`record_header`)."""
    n = record.notification
    header = prefix + record_header(record, sdk)
    p = prefix + "  "
    icon = n.small_icon
    icon_text = f"{icon} / {icon.res_name}" if icon is not None and icon.kind == "RESOURCE" else str(icon)
    if n.ticker_text:
        ticker = (n.ticker_text[:8] if len(n.ticker_text) > 16 else "") + "..." if redact else n.ticker_text
    else:
        ticker = "null"
    lines = [header,
             f"{p}uid={record.uid} userId={record.user_id}",
             f"{p}icon={icon_text}",
             f"{p}flags=0x{n.flags:x}",
             f"{p}pri={n.priority}",
             f"{p}key={record.key}",
             f"{p}seen=false",
             f"{p}groupKey={record.key}",
             f"{p}fullscreenIntent=null",
             f"{p}contentIntent={n.content_intent if n.content_intent else 'null'}",
             f"{p}deleteIntent=null",
             f"{p}tickerText={ticker}",
             f"{p}contentView=null",
             f"{p}bigContentView=null",
             f"{p}headsUpContentView=null",
             # Android prints color with print() and timeout with println(), both prefixed: one line.
             f"{p}color=0x{n.color:08x}{p}timeout=unknown"]
    if n.extras:
        lines.append(f"{p}extras={{")
        for key in sorted(n.extras, key=_java_hash):
            kind, value = n.extras[key]
            lines += _extra_lines(key, kind, value, p, redact)
        lines.append(f"{p}}}")
    importance = importance_name(record.importance)
    lines += [
        f"{p}stats=SingleNotificationStats{{posttimeElapsedMs={record.post_elapsed}, posttimeToFirstClickMs=-1, "
        f"posttimeToDismissMs=-1, airtimeCount=0, airtimeMs=0, currentAirtimeStartElapsedMs=-1, "
        f"airtimeExpandedMs=0, posttimeToFirstVisibleExpansionMs=-1, currentAirtimeExpandedStartElapsedMs=-1, "
        f"requestedImportance=3, naturalImportance={record.importance}, isNoisy=false}}",
        f"{p}mContactAffinity=0.0",
        f"{p}mRecentlyIntrusive=false",
        f"{p}mPackagePriority=0",
        f"{p}mPackageVisibility=-1000",
        f"{p}mUserImportance={importance}",  # ImportanceExtractor copies the channel's importance
        f"{p}mImportance={importance}",
        f"{p}mImportanceExplanation={IMPORTANCE_FROM_USER}",
        f"{p}mIsAppImportanceLocked=false",
        f"{p}mIntercept=false",
        f"{p}mHidden==false",
        f"{p}mGlobalSortKey=intrsv=1:grnk=0x{rank:04x}:gsmry=1:nsk:rnk=0x{rank:04x}",
        f"{p}mRankingTimeMs={record.ranking_time}",
        f"{p}mCreationTimeMs={record.creation_time}",
        f"{p}mVisibleSinceMs=0",
        f"{p}mUpdateTimeMs={record.post_time}",
        f"{p}mSuppressedVisualEffects= 0",
        f"{p}mSound= null",  # "No notification sounds on tv" (NotificationRecord.calculateSound)
        f"{p}mVibration= null",
        f"{p}mAttributes= {DEFAULT_AUDIO_ATTRIBUTES}",
        f"{p}mLight= null",
        f"{p}mShowBadge=false",  # ASSUMPTION: badging off on a TV, as in the Android TV sample
        f"{p}mColorized=false",
        f"{p}mIsInterruptive=true",
        f"{p}effectiveNotificationChannel={record.channel}",
        f"{p}mAdjustments=[]",
    ]
    return lines


def format_dump(manager: NotificationManager, args: list[str]) -> str:
    """The whole ``dumpsys notification [--noredact] [p PKG]`` text."""
    dump_filter = DumpFilter.parse(args)
    lines = ["Current Notification Manager state"
             + (f" (filtered to '{dump_filter.package}')" if dump_filter.filtered else "") + ":"]
    records = manager.active()
    if records:
        lines.append("  Notification List:")
        for rank, record in enumerate(records):
            if dump_filter.matches(record.package):
                lines += format_record(record, rank, dump_filter.redact, sdk=manager.device.model.sdk)
        lines.append("  ")
    if not dump_filter.filtered:
        lines += ["  mUseAttentionLight=false", "  mHasLight=false", "  mNotificationPulseEnabled=false",
                  "  mSoundNotificationKey=null", "  mVibrateNotificationKey=null",
                  "  mDisableNotificationEffects=null", "  mCallState=CALL_STATE_IDLE", "  mSystemReady=true",
                  "  mMaxPackageEnqueueRate=5.0"]
    archived = list(reversed(manager.archive))
    count = len(archived)
    lines.append(f"  mArchive=Archive ({count} notification{'' if count == 1 else 's'})")
    shown = 0
    for index, record in enumerate(archived):
        if not dump_filter.matches(record.package):
            continue
        lines.append(f"    {record.sbn_string()}")
        shown += 1
        if shown >= 5:
            if index + 1 < count:
                lines.append("    ...")
            break
    # ASSUMPTION: the sections below are printed with their headings only (the virtual device has no
    # listeners, zen rules or snoozed notifications to list); their bodies were not captured from Fire OS.
    lines += ["", "  Snoozed notifications:", "", "  Ranking Config:", "", "  Notification listeners:",
              "    mListenerHints: 0", "    mListenersDisablingEffects: ()", "",
              "  Notification assistant services:"]
    if not dump_filter.filtered:
        lines += ["", "  Zen Mode:", "    mInterruptionFilter=1", "", "  Zen Log:"]
    lines += ["", "  Condition providers:", "", "  Group summaries:", "", "  Usage Stats:"]
    return "\n".join(lines) + "\n"


def dumpsys_section(ctx: CommandContext, args: list[str]) -> str:
    """``dumpsys notification``."""
    return format_dump(ctx.device.notifications, args)

