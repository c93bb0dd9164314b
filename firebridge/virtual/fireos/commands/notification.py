"""``dumpsys notification``: NotificationManagerService.dumpImpl per Android release (pure formatting).

The record body follows the model's Android release (:func:`format_record`):

- Android 5.1 (Fire OS 5): AOSP lollipop ``NotificationRecord.dump`` (``score``, ``icon=0x..``, String extras
  always redacted: there is no ``--noredact`` before Android 6);
- Android 7.1 (Fire OS 6): AOSP nougat ``NotificationRecord.dump`` (no channels; ``mUserImportance``);
- Android 9 (Fire OS 7): read from StagOS/android_frameworks_base_p (Pie): ``NotificationRecord.dump``/``toString``,
  ``Notification.toString``, ``NotificationManagerService.dumpImpl``/``DumpFilter``; summarised in
  tests/samples/notificationrecord_dump_format_android9.txt;
- Android 11 (Fire OS 8): as the Android TV capture tests/samples/dumpsys_notification_androidtv_redacted.txt
  (``opPkg``, ``originalFlags``, a ``notification=`` block, ``String [length=N]`` when redacted).

The lollipop and nougat bodies were read from AOSP's NotificationRecord.java of those releases (found with
code search); no Fire OS 5/6 capture is public. ASSUMPTION: Fire OS keeps AOSP's dump (settle by:
``dumpsys notification --noredact`` on an AFTT and an AFTMM with a helper recommendation posted).

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


def _extra_lines(key: str, kind: str, value: object, prefix: str, redact: bool, sdk: int = 28,
                 indent: str = "    ") -> list[str]:
    """One extras entry (NotificationRecord.dump): ``key=Class (value)``, arrays item by item.

    Redacted Strings: Android 5.1 and 9 print the class alone, Android 10+ ``String [length=N]`` (capture);
    Lollipop always redacts and prints an array's length with println, so a blank line follows it."""
    head = f"{prefix}{indent}{key}="
    if value is None:
        return [head + "null"]
    cls = java_simple_class(kind)
    if redact and kind == "String":
        # redact contents from bugreports
        return [head + (f"{cls} [length={len(str(value))}]" if sdk >= 29 else cls)]
    if is_array(kind):
        assert isinstance(value, list)
        lines = [f"{head}{cls} ({len(value)})"]
        if sdk < 23:
            return lines + [""]
        if not redact:
            lines += [f"{prefix}{indent}  [{i}] {item}" for i, item in enumerate(java_array_items(kind, value))]
        return lines
    return [f"{head}{cls} ({java_value_str(kind, value)})"]


def _extras_block(n, prefix: str, redact: bool, sdk: int, indent: str = "    ") -> list[str]:
    if not n.extras:
        return []
    lines = [f"{prefix}extras={{"]
    for key in sorted(n.extras, key=_java_hash):
        kind, value = n.extras[key]
        lines += _extra_lines(key, kind, value, prefix, redact, sdk, indent)
    return lines + [f"{prefix}}}"]


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
    - Android 7.1 (Fire OS 6): as Android 8 (AOSP nougat ``NotificationRecord.toString``), and the
      Notification has no ``channel=``;
    - Android 5.1 (Fire OS 5): ``score=N`` where later releases say importance (AOSP lollipop
      ``NotificationRecord.toString``: ``sbn.getScore()``, priority x 10).
    """
    n = record.notification
    rank_field = f"score={record.importance_score}" if sdk < 24 else f"importance={record.importance}"
    locked = "appImportanceLocked=false" if 28 <= sdk < 29 else ""
    return (f"NotificationRecord(0x{record.identity:08x}: pkg={record.package} "
            f"user=UserHandle{{{record.user_id}}} id={record.id} tag={java_str(record.tag)} "
            f"{rank_field} key={record.key}{locked}: {n.summary(sdk)})")


def _stats(record: NotificationRecord, sdk: int) -> str:
    text = (f"SingleNotificationStats{{posttimeElapsedMs={record.post_elapsed}, posttimeToFirstClickMs=-1, "
            f"posttimeToDismissMs=-1, airtimeCount=0, airtimeMs=0, currentAirtimeStartElapsedMs=-1, "
            f"airtimeExpandedMs=0, posttimeToFirstVisibleExpansionMs=-1, currentAirtimeExpandedStartElapsedMs=-1")
    if sdk < 24:  # requestedImportance, naturalImportance and isNoisy came with importance (Android 7)
        return text + "}"
    return text + f", requestedImportance=3, naturalImportance={record.importance}, isNoisy=false}}"


def _icon_text(n) -> str:
    icon = n.small_icon
    return f"{icon} / {icon.res_name}" if icon is not None and icon.kind == "RESOURCE" else str(icon)


def _legacy_record(record: NotificationRecord, rank: int, redact: bool, prefix: str, sdk: int) -> list[str]:
    """AOSP lollipop (sdk < 23) and nougat (sdk 24-25) ``NotificationRecord.dump``: no channel anywhere."""
    n = record.notification
    p = prefix + "  "
    icon = n.small_icon
    if sdk < 23:  # Notification.icon is an int resource id before the Icon class (Android 6)
        icon_line = f"{p}icon=0x{icon.res_id:x} / {icon.res_name}" if icon is not None else f"{p}icon=0x0"
        pri_line = f"{p}pri={n.priority} score={record.importance_score}"
    else:
        icon_line, pri_line = f"{p}icon={_icon_text(n)}", f"{p}pri={n.priority}"
    lines = [prefix + record_header(record, sdk), f"{p}uid={record.uid} userId={record.user_id}", icon_line,
             pri_line, f"{p}key={record.key}"]
    if sdk >= 24:
        lines.append(f"{p}seen=false")
    lines += [f"{p}groupKey={record.key}",
              f"{p}contentIntent={n.content_intent if n.content_intent else 'null'}",
              f"{p}deleteIntent=null",
              f"{p}tickerText={java_str(n.ticker_text)}",
              f"{p}contentView=null",
              f"{p}defaults=0x{n.defaults:08x} flags=0x{n.flags:08x}",
              f"{p}sound=null",
              f"{p}audioStreamType=-1",  # AudioManager.USE_DEFAULT_STREAM_TYPE
              f"{p}audioAttributes=null",
              f"{p}color=0x{n.color:08x}",
              f"{p}vibrate=null",
              f"{p}led=0x00000000 onMs=0 offMs=0"]
    # Before Android 6 there is no --noredact: Strings are always redacted (lollipop: "redact contents from
    # bugreports" unconditionally).
    lines += _extras_block(n, p, redact or sdk < 23, sdk, indent="  ")
    lines += [f"{p}stats={_stats(record, sdk)}",
              f"{p}mContactAffinity=0.0",
              f"{p}mRecentlyIntrusive=false",
              f"{p}mPackagePriority=0",
              f"{p}mPackageVisibility=-1000"]
    if sdk >= 24:
        importance = importance_name(record.importance)
        lines += [f"{p}mUserImportance=UNSPECIFIED", f"{p}mImportance={importance}",
                  f"{p}mImportanceExplanation=null"]
    lines += [f"{p}mIntercept=false",
              f"{p}mGlobalSortKey=intrsv=1:grnk=0x{rank:04x}:gsmry=1:nsk:rnk=0x{rank:04x}",
              f"{p}mRankingTimeMs={record.ranking_time}"]
    if sdk >= 24:
        lines += [f"{p}mCreationTimeMs={record.creation_time}", f"{p}mVisibleSinceMs=0",
                  f"{p}mUpdateTimeMs={record.post_time}", f"{p}mSuppressedVisualEffects= 0"]
    return lines


def _android11_record(record: NotificationRecord, rank: int, redact: bool, prefix: str, sdk: int) -> list[str]:
    """Android 11's ``NotificationRecord.dump``, field for field as the Android TV capture
    (tests/samples/dumpsys_notification_androidtv_redacted.txt): the notification's own fields in a
    ``notification=`` block six spaces deeper, its extras four deeper again."""
    n = record.notification
    p = prefix + "  "
    q = p + "      "
    importance = importance_name(record.importance)
    lines = [prefix + record_header(record, sdk),
             f"{p}uid={record.uid} userId={record.user_id}",
             f"{p}opPkg={record.package}",
             f"{p}icon={n.small_icon}",
             f"{p}flags=0x{n.flags:x}",
             f"{p}originalFlags=0x{n.flags:x}",
             f"{p}pri={n.priority}",
             f"{p}key={record.key}",
             f"{p}seen=false",
             f"{p}groupKey={record.key}",
             f"{p}notification=",
             f"{q}fullscreenIntent=null",
             f"{q}contentIntent={n.content_intent if n.content_intent else 'null'}",
             f"{q}deleteIntent=null",
             f"{q}number=0",
             f"{q}groupAlertBehavior=0",
             f"{q}when={n.when}",
             f"{q}tickerText={'...' if n.ticker_text and redact else java_str(n.ticker_text)}",
             f"{q}contentView=null",
             f"{q}bigContentView=null",
             f"{q}headsUpContentView=null",
             f"{q}color=0x{n.color:08x}",
             f"{q}timeout=unknown"]
    lines += _extras_block(n, q, redact, sdk)
    lines += [f"{p}publicNotification=", f"{q}None",
              f"{p}stats={_stats(record, sdk)}",
              f"{p}mContactAffinity=0.0",
              f"{p}mRecentlyIntrusive=false",
              f"{p}mPackagePriority=0",
              f"{p}mPackageVisibility=-1000",
              f"{p}mSystemImportance=UNSPECIFIED",
              f"{p}mAsstImportance=UNSPECIFIED",
              f"{p}mImportance={importance}",
              f"{p}mImportanceExplanation=app",
              f"{p}mIsAppImportanceLocked=false",
              f"{p}mIntercept=false",
              f"{p}mHidden==false",
              f"{p}mGlobalSortKey=crtcl=0x0002:intrsv=1:grnk=0x{rank:04x}:gsmry=1:nsk:rnk=0x{rank:04x}",
              f"{p}mRankingTimeMs={record.ranking_time}",
              f"{p}mCreationTimeMs={record.creation_time}",
              f"{p}mVisibleSinceMs=0",
              f"{p}mUpdateTimeMs={record.post_time}",
              f"{p}mInterruptionTimeMs={record.post_time}",
              f"{p}mSuppressedVisualEffects= 0",
              f"{p}mSound= null",  # "No notification sounds on tv"
              f"{p}mVibration= null",
              f"{p}mAttributes= {DEFAULT_AUDIO_ATTRIBUTES}",
              f"{p}mLight= null",
              f"{p}mShowBadge=false",
              f"{p}mColorized=false",
              f"{p}mAllowBubble=false",
              f"{p}isBubble=false",
              f"{p}mIsInterruptive=true",
              f"{p}effectiveNotificationChannel={record.channel.android11_str() if record.channel else 'null'}",
              f"{p}mAdjustments=[]",
              f"{p}shortcut=null found valid? false"]
    return lines


def format_record(record: NotificationRecord, rank: int, redact: bool, prefix: str = "    ",
                  sdk: int = 28) -> list[str]:
    """``NotificationRecord.dump`` of the model's Android release (see the module docstring); the header line
    per release is :func:`record_header`."""
    if sdk < 26:
        return _legacy_record(record, rank, redact, prefix, sdk)
    if sdk >= 30:
        return _android11_record(record, rank, redact, prefix, sdk)
    n = record.notification
    header = prefix + record_header(record, sdk)
    p = prefix + "  "
    if n.ticker_text:
        ticker = (n.ticker_text[:8] if len(n.ticker_text) > 16 else "") + "..." if redact else n.ticker_text
    else:
        ticker = "null"
    lines = [header,
             f"{p}uid={record.uid} userId={record.user_id}",
             f"{p}icon={_icon_text(n)}",
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
    lines += _extras_block(n, p, redact, sdk)
    importance = importance_name(record.importance)
    lines += [
        f"{p}stats={_stats(record, sdk)}",
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
        lines.append(f"    {record.sbn_string(manager.device.model.sdk)}")
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

