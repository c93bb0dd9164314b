"""Partner-Managed Row on the virtual Fire TV: the helper app, the notification manager and its dump.

Posting, cancelling and reading back go through the real adb server with the commands a bench uses on
hardware (``am broadcast -n com.firebridge.helper/...``, ``dumpsys notification``, ``logcat``). The row
rules (rank, recency, live window, display name, maturity) are checked on ``recommendation_rows()`` with
an in-process device until the launcher's rows are read through ``uiautomator dump``.
"""

from __future__ import annotations

import pytest

import re
import shlex
import time

from firebridge.virtual.fireos.activities import Activity, App
from firebridge.virtual.fireos.apps.helper import JavaException
from firebridge.virtual.fireos.notifications import Notification, NotificationChannel
from firebridge.virtual.fireos.personality import create_device
from firebridge.virtual.fireos.system import VirtualDevice
from firebridge.waiting import wait_until
from tests.conftest import DeviceShell

HELPER = "com.firebridge.helper"
POST = f"{HELPER}/.PostRecommendation"
THREADTIME = r"^\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} +\d+ +\d+ "

# -- reading `am broadcast` and `dumpsys notification` (standard-library parsing) -------------------

RESULT = re.compile(r'^Broadcast completed: result=(?P<code>-?\d+)(?:, data="(?P<data>.*)")?$', re.M)
# NotificationRecord.toString(), Android 9 (tests/samples/notificationrecord_dump_format_android9.txt); the
# tests that check the Pie format in full run on a Fire OS 7 model (the default AFTMM is Fire OS 6).
PIE_MODEL = "AFTKA"
HEADER = re.compile(
    r"^    NotificationRecord\(0x(?P<hash>[0-9a-f]{8}): pkg=(?P<pkg>\S+) user=UserHandle\{(?P<user>-?\d+)\} "
    r"id=(?P<id>-?\d+) tag=(?P<tag>\S+) importance=(?P<importance>-?\d+) key=(?P<key>\S+?)"
    r"(?:appImportanceLocked=(?P<locked>true|false))?: (?P<notification>Notification\(.*\))\)$")  # Pie only
# Extras entries sit 10 spaces deep on Android 9, 8 on Android 7.1 (nougat dump prefix): any depth is read.
EXTRA = re.compile(r"^ {8,}(?P<key>[^=\s]+)=(?:(?P<null>null)|(?P<cls>[^\s(]+)(?: \((?P<value>.*)\))?)$")
ITEM = re.compile(r"^ {10,}\[(?P<index>\d+)\] (?P<value>.*)$")


def parse_dump(text: str) -> list[dict]:
    """Records of ``dumpsys notification``: header groups, body ``fields`` (in order) and ``extras``
    (key -> (class, value text or None, array items or None))."""
    records: list[dict] = []
    current: dict | None = None
    in_extras = False
    for line in text.splitlines():
        header = HEADER.match(line)
        if header:
            current = {**header.groupdict(), "fields": [], "extras": {}}
            records.append(current)
            in_extras = False
            continue
        if current is None:
            continue
        if not line.startswith("      "):
            current = None
            continue
        if line == "      extras={":
            in_extras = True
        elif in_extras and line == "      }":
            in_extras = False
        elif in_extras and (item := ITEM.match(line)):
            key = next(reversed(current["extras"]))
            cls, value, items = current["extras"][key]
            current["extras"][key] = (cls, value, (items or []) + [item["value"]])
        elif in_extras:
            extra = EXTRA.match(line)
            assert extra, f"not an extras line: {line!r}"
            current["extras"][extra["key"]] = (None, None, None) if extra["null"] else (
                extra["cls"], extra["value"], None)
        else:
            name, _, value = line.strip().partition("=")
            current["fields"].append((name, value))
    return records


def java_hash(text: str) -> int:
    h = 0
    for unit in memoryview(text.encode("utf-16-le")).cast("H"):
        h = (31 * h + unit) & 0xFFFFFFFF
    return h - (1 << 32) if h >= 1 << 31 else h


def shell(device, *argv: str) -> str:
    result = device.adb("shell", shlex.join(argv))
    assert result.returncode == 0, result.stderr
    return result.stdout.decode()


def broadcast(device, receiver: str, *args: str, stopped_ok: bool = True) -> re.Match[str]:
    flags = ["--include-stopped-packages"] if stopped_ok else []
    out = shell(device, "am", "broadcast", *flags, "-n", f"{HELPER}/{receiver}", *args)
    match = RESULT.search(out)
    assert match, out
    return match


def dump(device, *options: str) -> list[dict]:
    return parse_dump(shell(device, "dumpsys", "notification", *options))


# -- through adb ------------------------------------------------------------------------------------

EVERY_TYPE = [
    "--ei", "id", "7", "--es", "title", "Night Drive", "--es", "text", "A thriller",
    "--es", "com.amazon.extra.DISPLAY_NAME", "My Streaming App",
    "--es", "com.amazon.extra.MATURITY_RATING", "PG13",
    "--ei", "com.amazon.extra.RANK", "3",
    "--el", "com.amazon.extra.LAST_WATCHED_DATETIME", "1700000000123",
    "--eial", "com.amazon.extra.ACTION_OPTION", "1,101",
    "--esal", "com.amazon.extra.TAGS", "UHD,HDR",
    "--ez", "com.amazon.extra.BOOL", "true",
    "--ef", "com.amazon.extra.FLOAT", "4.5",
    "--eu", "com.amazon.extra.URI", "https://example.com/preview.mp4",
    "--ecn", "com.amazon.extra.COMPONENT", "com.example/.Player",
    "--esn", "com.amazon.extra.NOTHING",
    "--eia", "com.amazon.extra.INTS", "1,0x10",
    "--ela", "com.amazon.extra.LONGS", "5,9000000000",
    "--elal", "com.amazon.extra.LONG_LIST", "6,7",
    "--efa", "com.amazon.extra.FLOATS", "0.5,2",
    "--efal", "com.amazon.extra.FLOAT_LIST", "1.25",
    "--esa", "com.amazon.extra.STRINGS", r"a\,b,c",
    "--es", "not.amazon.KEY", "ignored",
]
EXPECTED_EXTRAS = {
    "android.title": ("String", "Night Drive", None),
    "android.text": ("String", "A thriller", None),
    "com.amazon.extra.DISPLAY_NAME": ("String", "My Streaming App", None),
    "com.amazon.extra.MATURITY_RATING": ("String", "PG13", None),
    "com.amazon.extra.RANK": ("Integer", "3", None),
    "com.amazon.extra.LAST_WATCHED_DATETIME": ("Long", "1700000000123", None),
    "com.amazon.extra.ACTION_OPTION": ("ArrayList", "[1, 101]", None),
    "com.amazon.extra.TAGS": ("ArrayList", "[UHD, HDR]", None),
    "com.amazon.extra.BOOL": ("Boolean", "true", None),
    "com.amazon.extra.FLOAT": ("Float", "4.5", None),
    "com.amazon.extra.URI": ("StringUri", "https://example.com/preview.mp4", None),
    "com.amazon.extra.COMPONENT": ("ComponentName", "ComponentInfo{com.example/com.example.Player}", None),
    "com.amazon.extra.NOTHING": (None, None, None),
    "com.amazon.extra.INTS": ("int[]", "2", ["1", "16"]),
    "com.amazon.extra.LONGS": ("long[]", "2", ["5", "9000000000"]),
    "com.amazon.extra.LONG_LIST": ("ArrayList", "[6, 7]", None),
    "com.amazon.extra.FLOATS": ("float[]", "2", ["0.5", "2.0"]),
    "com.amazon.extra.FLOAT_LIST": ("ArrayList", "[1.25]", None),
    "com.amazon.extra.STRINGS": ("String[]", "2", [r"a\,b", "c"]),  # Android keeps the backslash
}
# NotificationRecord.dump (Android 9): the body fields before the extras, in order.
PIE_FIELDS = ["uid", "icon", "flags", "pri", "key", "seen", "groupKey", "fullscreenIntent", "contentIntent",
              "deleteIntent", "tickerText", "contentView", "bigContentView", "headsUpContentView", "color"]


def test_post_with_every_extra_type_and_read_it_back(start_virtual_device):
    device = start_virtual_device(model=PIE_MODEL)
    shell(device, "am", "start", "-n", f"{HELPER}/.Main")  # leaves the "stopped" state, as on hardware
    result = broadcast(device, ".PostRecommendation", *EVERY_TYPE, stopped_ok=False)
    amazon = sorted(k for k in EXPECTED_EXTRAS if k.startswith("com.amazon.extra."))
    assert (result["code"], result["data"]) == ("-1", f"posted id=7 amazon_extras=[{', '.join(amazon)}]")

    [record] = dump(device, "--noredact")
    uid = dict(record["fields"])["uid"].split()[0]
    assert (record["pkg"], record["user"], record["id"], record["tag"], record["importance"], record["locked"]) \
        == (HELPER, "0", "7", "null", "2", "false")
    assert record["key"] == f"0|{HELPER}|7|null|{uid}"
    assert record["notification"] == ("Notification(channel=firebridge_recommendations pri=0 contentView=null "
                                      "vibrate=null sound=null defaults=0x0 flags=0x0 color=0x00000000 "
                                      "category=recommendation vis=PRIVATE)")
    assert [name for name, _ in record["fields"][:len(PIE_FIELDS)]] == PIE_FIELDS
    fields = dict(record["fields"])
    assert fields["color"] == "0x00000000      timeout=unknown"  # Android prints both on one line
    assert fields["icon"] == f"Icon(typ=RESOURCE pkg={HELPER} id=0x7f020000) / {HELPER}:drawable/ic_helper"
    assert fields["contentIntent"] == "null" and fields["mImportance"] == "LOW"
    assert fields["effectiveNotificationChannel"].startswith(
        "NotificationChannel{mId='firebridge_recommendations', mName=Recommendations, mDescription=, "
        "mImportance=2,")
    extras = record["extras"]
    assert {k: v for k, v in extras.items() if k in EXPECTED_EXTRAS} == EXPECTED_EXTRAS
    assert "not.amazon.KEY" not in extras
    assert extras["android.reduced.images"] == ("Boolean", "true", None)
    assert extras["android.largeIcon"] == ("Icon", f"Icon(typ=RESOURCE pkg={HELPER} id=0x7f020000)", None)
    assert list(extras) == sorted(extras, key=java_hash)  # Bundle's ArrayMap order, as in real dumps

    events = shell(device, "logcat", "-b", "events", "-d")
    assert re.search(THREADTIME + rf"I notification_enqueue: \[{uid},\d+,{HELPER},7,NULL,0,"
                     r"Notification\(channel=firebridge_recommendations .*category=recommendation "
                     r"vis=PRIVATE\),0\]$",
                     events, re.M), events
    log = shell(device, "logcat", "-d")
    assert re.search(THREADTIME + r"I FireBridgeHelper: posted id=7 amazon_extras=\[", log, re.M), log


def test_without_noredact_strings_and_array_items_are_redacted(start_virtual_device):
    device = start_virtual_device(model=PIE_MODEL)
    broadcast(device, ".PostRecommendation", *EVERY_TYPE)
    text = shell(device, "dumpsys", "notification")
    [record] = parse_dump(text)
    extras = record["extras"]
    # Android 9 prints only the class of a String (no value, no length) and only the length of an array.
    assert extras["android.title"] == ("String", None, None)
    assert extras["com.amazon.extra.DISPLAY_NAME"] == ("String", None, None)
    assert extras["com.amazon.extra.STRINGS"] == ("String[]", "2", None)
    assert extras["com.amazon.extra.INTS"] == ("int[]", "2", None)
    # Only CharSequences are redacted: numbers and lists still show.
    assert extras["com.amazon.extra.RANK"] == ("Integer", "3", None)
    assert extras["com.amazon.extra.TAGS"] == ("ArrayList", "[UHD, HDR]", None)
    assert "Night Drive" not in text and "My Streaming App" not in text
    filtered = shell(device, "dumpsys", "notification", "--noredact", "p", HELPER)
    assert filtered.startswith(f"Current Notification Manager state (filtered to '{HELPER}'):\n")
    assert len(parse_dump(filtered)) == 1 and "mMaxPackageEnqueueRate" not in filtered
    assert parse_dump(shell(device, "dumpsys", "notification", "p", "com.example.other")) == []


def test_cancel_and_cancel_all_answer_and_archive(start_virtual_device):
    device = start_virtual_device(model=PIE_MODEL)
    for n in (1, 2, 3):
        broadcast(device, ".PostRecommendation", "--ei", "id", str(n), "--es", "title", f"T{n}")
    result = broadcast(device, ".Cancel", "--ei", "id", "2")
    assert (result["code"], result["data"]) == ("-1", "cancelled id=2")
    assert sorted(r["id"] for r in dump(device, "--noredact")) == ["1", "3"]
    text = shell(device, "dumpsys", "notification", "--noredact")
    assert "  mArchive=Archive (1 notification)\n" in text
    assert re.search(rf"^    StatusBarNotification\(pkg={HELPER} user=UserHandle\{{0\}} id=2 tag=null "
                     rf"key=0\|{HELPER}\|2\|null\|\d+: Notification\(.*category=recommendation vis=PRIVATE\)\)$",
                     text, re.M), text
    # The APK cannot tell whether the id existed: it answers the same.
    assert broadcast(device, ".Cancel", "--ei", "id", "99")["data"] == "cancelled id=99"
    result = broadcast(device, ".CancelAll")
    assert (result["code"], result["data"]) == ("-1", "cancelled all")
    assert dump(device, "--noredact") == []
    assert "  mArchive=Archive (3 notifications)\n" in shell(device, "dumpsys", "notification")
    events = shell(device, "logcat", "-b", "events", "-d", "-s", "notification_canceled")
    assert len(re.findall(rf"notification_canceled: \[0\|{HELPER}\|\d\|null\|\d+,(8|9),", events)) == 3, events
    log = shell(device, "logcat", "-d", "-s", "FireBridgeHelper")
    assert [line.split(": ", 1)[1] for line in log.splitlines() if "FireBridgeHelper" in line][-3:] == [
        "cancelled id=2", "cancelled id=99", "cancelled all"]


@pytest.mark.parametrize("model, verb", [("AFTMM", "posted"), ("AFTKA", "posted or enqueued")])
def test_the_51st_notification_is_rejected_with_androids_log_line(start_virtual_device, model, verb):
    # Android 7.1 (Fire OS 6) words the line "already posted N"; Android 8+ "already posted or enqueued N".
    device = start_virtual_device(model=model)
    posts = "; ".join(f"am broadcast --include-stopped-packages -n {POST} --ei id {n} --es title T{n}"
                      for n in range(1, 52))
    out = device.adb("shell", posts).stdout.decode()
    results = RESULT.findall(out)
    # The real NotificationManager.notify does not throw past the limit, so the APK still says "posted".
    assert results == [("-1", f"posted id={n} amazon_extras=[]") for n in range(1, 52)]
    assert sorted(int(r["id"]) for r in dump(device, "--noredact")) == list(range(1, 51))
    log = shell(device, "logcat", "-d")
    rejected = re.findall(THREADTIME + r"E NotificationService: (.*)$", log, re.M)
    assert rejected == [f"Package has already {verb} 50 notifications.  Not showing more.  "
                        f"package={HELPER}"]
    # At the limit an update of an existing notification still goes through; a cancel makes room.
    broadcast(device, ".PostRecommendation", "--ei", "id", "50", "--es", "title", "Updated")
    assert {r["id"]: r for r in dump(device, "--noredact")}["50"]["extras"]["android.title"][1] == "Updated"
    broadcast(device, ".Cancel", "--ei", "id", "1")
    broadcast(device, ".PostRecommendation", "--ei", "id", "51")
    assert sorted(int(r["id"]) for r in dump(device, "--noredact")) == list(range(2, 52))


def test_a_stopped_helper_gets_broadcasts_only_when_asked_and_force_stop_clears(start_virtual_device):
    device = start_virtual_device(model=PIE_MODEL)
    # Freshly installed and never launched: Android skips stopped packages unless told otherwise.
    assert broadcast(device, ".PostRecommendation", stopped_ok=False).group(0) == "Broadcast completed: result=0"
    assert dump(device) == []
    # --es where the APK reads an int: Bundle warns and the default id 1 is used.
    result = broadcast(device, ".PostRecommendation", "--es", "id", "7")
    assert result["data"] == "posted id=1 amazon_extras=[]"
    log = shell(device, "logcat", "-d", "-s", "Bundle")
    assert re.search(THREADTIME + r"W Bundle  : Key id expected Integer but value was a java.lang.String\.  "
                     r"The default value 1 was returned\.$", log, re.M), log
    # Receiving a broadcast took the package out of the stopped state.
    assert broadcast(device, ".PostRecommendation", "--ei", "id", "2", stopped_ok=False)["code"] == "-1"
    assert len(dump(device)) == 2
    shell(device, "am", "force-stop", HELPER)
    assert dump(device) == []  # a force-stopped package loses its notifications
    assert broadcast(device, ".PostRecommendation", stopped_ok=False)["code"] == "0"


def test_large_icon_from_a_readable_file_and_fallback_elsewhere(start_virtual_device, tmp_path):
    from PIL import Image
    device = start_virtual_device(model=PIE_MODEL)
    image = tmp_path / "card.png"
    Image.new("RGB", (1280, 720), "navy").save(image)
    for remote in ("/data/local/tmp/card.png", "/sdcard/card.png"):
        assert device.adb("push", str(image), remote).returncode == 0
    for notification_id, path in (("1", "/data/local/tmp/card.png"), ("2", "/sdcard/card.png")):
        broadcast(device, ".PostRecommendation", "--ei", "id", notification_id, "--es", "large_icon_path", path)
    icons = {r["id"]: r["extras"]["android.largeIcon"][1] for r in dump(device, "--noredact")}
    # Notification.reduceImageSizes: 40dp at 320 dpi = 80 px.
    assert icons == {"1": "Icon(typ=BITMAP size=80x45)", "2": f"Icon(typ=RESOURCE pkg={HELPER} id=0x7f020000)"}
    log = shell(device, "logcat", "-d", "-s", "BitmapFactory")
    assert re.search(THREADTIME + r"E BitmapFactory: Unable to decode stream: java.io.FileNotFoundException: "
                     r"/sdcard/card.png: open failed: EACCES \(Permission denied\)$", log, re.M), log


def test_bad_extra_values_fail_with_androids_exception(virtual_device):
    result = virtual_device.adb("shell", f"am broadcast -n {POST} --ei id abc")
    assert result.returncode == 255 and result.stdout == b""
    lines = result.stderr.decode().splitlines()
    assert lines[:2] == ["An exception occurred while executing:",
                         'java.lang.NumberFormatException: For input string: "abc"']
    assert any("Intent.parseCommandArgs" in line for line in lines)
    unknown = virtual_device.adb("shell", f"am broadcast -n {POST} --ed d 1.5")
    assert "java.lang.IllegalArgumentException: Unknown option: --ed" in unknown.stderr.decode()


def test_date_reads_the_device_clock(virtual_device):
    before = time.time()
    seconds = int(shell(virtual_device, "date", "+%s"))
    assert before - 2 <= seconds <= time.time() + 2  # the session device runs at speed 1
    default = shell(virtual_device, "date").rstrip("\n")
    assert re.fullmatch(r"[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \S+ \d{4}", default), default


# -- recommendation_rows(): the row rules, on an in-process device ---------------------------------


def post(sh: DeviceShell, notification_id: int, *extras: str) -> str:
    argv = ["am", "broadcast", "--include-stopped-packages", "-n", POST,
            "--ei", "id", str(notification_id), "--es", "title", f"T{notification_id}", *extras]
    out = sh(shlex.join(argv)).stdout
    return RESULT.search(out).group(0)


def row(device: VirtualDevice) -> list:
    return device.notifications.recommendation_rows().get(HELPER, [])


def test_rank_ascending_then_newest_first_and_rankless_last(device, sh):
    post(sh, 1, "--ei", "com.amazon.extra.RANK", "5")
    post(sh, 2)
    post(sh, 3, "--ei", "com.amazon.extra.RANK", "1")
    post(sh, 4, "--ei", "com.amazon.extra.RANK", "5")
    post(sh, 5)
    assert [t.notification_id for t in row(device)] == [3, 4, 1, 5, 2]
    assert [t.rank for t in row(device)] == [1, 5, 5, None, None]
    post(sh, 1, "--ei", "com.amazon.extra.RANK", "5")  # posting again makes it the most recent
    assert [t.notification_id for t in row(device)] == [3, 1, 4, 5, 2]
    # A RANK of another type than int reads as absent (Bundle.getInt).
    post(sh, 6, "--es", "com.amazon.extra.RANK", "0")
    assert row(device)[-3].notification_id == 6


def test_display_name_is_cut_to_15_characters_without_ellipsis(device, sh):
    post(sh, 1, "--es", "com.amazon.extra.DISPLAY_NAME", "Sixteen Letters!")
    post(sh, 2, "--es", "com.amazon.extra.DISPLAY_NAME", "Exactly Fifteen")
    post(sh, 3, "--es", "com.amazon.extra.DISPLAY_NAME", "Short")
    post(sh, 4)
    names = {t.notification_id: t.display_name for t in row(device)}
    assert names == {1: "Sixteen Letters", 2: "Exactly Fifteen", 3: "Short", 4: "FireBridge Helper"}


def test_missing_maturity_rating_means_mature_behind_a_pin(device, sh):
    post(sh, 1, "--es", "com.amazon.extra.MATURITY_RATING", "PG")
    post(sh, 2)
    post(sh, 3, "--es", "com.amazon.extra.MATURITY_RATING", "")
    tiles = {t.notification_id: (t.maturity_rating, t.requires_pin) for t in row(device)}
    assert tiles == {1: ("PG", False), 2: ("", True), 3: ("", True)}


def test_live_content_shows_only_inside_its_window(tmp_path):
    device = create_device(tmp_path, model="AFTMM", speed=2000)  # 200 device seconds in 0.1 s
    sh = DeviceShell(device)
    now_ms = int(sh("date +%s").stdout) * 1000
    start, end = now_ms + 200_000, now_ms + 800_000
    post(sh, 1, "--ei", "com.amazon.extra.LIVE_CONTENT", "1", "--el", "com.amazon.extra.CONTENT_START_TIME",
         str(start), "--el", "com.amazon.extra.CONTENT_END_TIME", str(end))
    post(sh, 2, "--ei", "com.amazon.extra.LIVE_CONTENT", "0", "--el", "com.amazon.extra.CONTENT_END_TIME", "1")
    ids = lambda: [t.notification_id for t in row(device)]  # noqa: E731
    assert ids() == [2]  # not live: its window does not matter
    wait_until(lambda: 1 in ids(), timeout=5, what="the live tile after CONTENT_START_TIME", describe=ids,
               interval=0.01)
    assert next(t for t in row(device) if t.notification_id == 1).live
    wait_until(lambda: 1 not in ids(), timeout=5, what="the live tile gone after CONTENT_END_TIME", describe=ids,
               interval=0.01)
    assert device.clock.now_ms() > end
    assert len(device.notifications.active(HELPER)) == 2  # hidden, still an active notification


class DemoActivity(Activity):
    name = ".Main"


class DemoApp(App):
    package = "com.example.demo"
    label = "Demo"
    activities = {DemoActivity.name: DemoActivity}
    launch_activity = DemoActivity.name


def test_tile_fields_and_the_content_intent_target(device, sh):
    device.activities.install(DemoApp(device))
    post(sh, 1, "--es", "launch_package", "com.example.demo", "--es", "text", "Episode 2",
         "--es", "com.amazon.extra.CONTENT_ID", "m1", "--eial", "com.amazon.extra.ACTION_OPTION", "1,101",
         "--esal", "com.amazon.extra.TAGS", "UHD", "--es", "com.amazon.extra.LONG_DESCRIPTION", "x" * 600)
    post(sh, 2, "--es", "launch_package", "com.example.missing", "--eia", "com.amazon.extra.ACTION_OPTION", "1")
    tiles = {t.notification_id: t for t in row(device)}
    first = tiles[1]
    assert (first.title, first.text, first.content_id, first.launch_package, first.actions, first.tags) == (
        "T1", "Episode 2", "m1", "com.example.demo", (1, 101), ("UHD",))
    assert len(first.long_description) == 512
    assert first.key == f"0|{HELPER}|1|null|{device.activities.app(HELPER).uid}"
    # An unknown package gets no content intent; ACTION_OPTION as int[] is not the documented ArrayList.
    assert (tiles[2].launch_package, tiles[2].actions) == (None, ())
    records = {r["id"]: dict(r["fields"]) for r in parse_dump(sh("dumpsys notification --noredact").stdout)}
    assert re.fullmatch(rf"PendingIntent\{{[0-9a-f]+: PendingIntentRecord\{{[0-9a-f]+ {HELPER} startActivity "
                        r"\(whitelist: [0-9a-f]+:\+30s0ms\)\}\}", records["1"]["contentIntent"])
    assert records["2"]["contentIntent"] == "null"


def test_only_recommendations_form_rows_one_row_per_package(device, sh):
    manager = device.notifications
    manager.create_channel("com.example.demo", NotificationChannel("c", "C", 3))
    title = {"android.title": ("String", "Demo rec")}
    manager.notify("com.example.demo", 10123, 3000, 1,
                   Notification(channel_id="c", category="recommendation", extras=title))
    manager.notify("com.example.demo", 10123, 3000, 2, Notification(channel_id="c", category="email"))
    post(sh, 1)
    rows = manager.recommendation_rows()
    assert list(rows) == [HELPER, "com.example.demo"]  # the row with the newest tile first
    assert [t.title for t in rows["com.example.demo"]] == ["Demo rec"]


@pytest.mark.parametrize("model, dropped", [("AFTT", False), ("AFTMM", False), ("AFTKA", True), ("AFTKRT", True)])
def test_a_missing_channel_drops_the_notification_only_from_android_8(tmp_path, model, dropped):
    """Channels exist from API 26: Fire OS 7/8 drop a notification whose channel was never created (``No
    Channel found``); Fire OS 5/6 (Android 5.1, 7.1) have no channels and post it."""
    device = create_device(tmp_path, model=model)
    posted = device.notifications.notify("com.example.demo", 10123, 3000, 3,
                                         Notification(channel_id="missing", category="recommendation"))
    assert posted is not dropped
    assert ("No Channel found for pkg=com.example.demo, channelId=missing" in DeviceShell(device)("logcat -d").stdout) \
        is dropped


def test_a_failure_answers_result_1_with_the_exception(device, sh, monkeypatch):
    def refuse(*args, **kwargs):
        raise JavaException("android.os.TransactionTooLargeException: data parcel size 1049000 bytes")
    monkeypatch.setattr(device.notifications, "notify", refuse)
    assert post(sh, 1) == ('Broadcast completed: result=1, data="error: android.os.TransactionTooLargeException: '
                           'data parcel size 1049000 bytes"')
    assert "E FireBridgeHelper: error: android.os.TransactionTooLargeException" in sh("logcat -d").stdout
