"""firebridge.capabilities.pmr: the Recommendation model and its validation (seed 001), the extras it sends
as Fire OS's am broadcast commands (firebridge.platforms.fireos.notifications), the result line, `dumpsys
notification` records (real captures and the Android 9 format), and PMR's I/O through the Fire OS driver
against a scripted shell and the virtual Fire TV."""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from firebridge.errors import CommandFailed, ConfigError, HelperAppMissing
from firebridge.capabilities.pmr import (ACTION_OPTIONS, CANCEL_ALL_RECEIVER, CANCEL_RECEIVER, EXTRAS, HELPER_PACKAGE,
                                         MATURITY_RATINGS, PMR, POST_RECEIVER, InvalidRecommendation, Recommendation,
                                         cancel_extras, load_recommendations, post_extras,
                                         recommendations_from_yaml_text)
from firebridge.adb.shell import ShellResult
from firebridge.platforms.fireos.driver import FireOSDriver
from firebridge.platforms.fireos.notifications import (broadcast_command, parse_broadcast_result,
                                                       parse_notification_dump, parse_pm_path)


# What the Fire OS driver sends for PMR's extras: the capability's extras through the platform's builder.
def post_command(rec: Recommendation, strict: bool = False) -> list[str]:
    return broadcast_command(POST_RECEIVER, post_extras(rec, strict=strict))


def cancel_command(notification_id: int) -> list[str]:
    return broadcast_command(CANCEL_RECEIVER, cancel_extras(notification_id))


def cancel_all_command() -> list[str]:
    return broadcast_command(CANCEL_ALL_RECEIVER)

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def full() -> Recommendation:
    return Recommendation(
        title="Night Harbor", text="Pick up where you left off", id=7, launch_package="com.firebridge.reference",
        display_name="Reference TV", maturity_rating="PG13", marketplace="US", action_options=[1, 101], rank=3,
        content_id="movie-night-harbor", live_content=0, content_release_date="2021", caption_availability=1,
        imdb_id="tt0417148", content_start_time=1_700_000_000_000, content_end_time=1_700_003_600_000,
        long_description="A harbour town at night.", last_watched_datetime=1_700_000_500_000,
        preview_url="https://example.com/nh.mp4", tags=["UHD"], customer_rating=8, customer_rating_count=1200)


# -- the model --------------------------------------------------------------------------------------
def test_every_extra_of_seed_001_is_modelled_with_its_type():
    names = {spec.name: spec.java_type for spec in EXTRAS}
    assert names == {
        "DISPLAY_NAME": "String", "MATURITY_RATING": "String", "ACTION_OPTION": "ArrayList<Integer>", "RANK": "int",
        "CONTENT_ID": "String", "LIVE_CONTENT": "int", "CONTENT_RELEASE_DATE": "String",
        "CONTENT_CAPTION_AVAILABILITY": "int", "IMDB_ID": "String", "CONTENT_START_TIME": "long",
        "CONTENT_END_TIME": "long", "LONG_DESCRIPTION": "String", "LAST_WATCHED_DATETIME": "long",
        "PREVIEW_URL": "String", "TAGS": "ArrayList<String>", "CONTENT_CUSTOMER_RATING": "int",
        "CONTENT_CUSTOMER_RATING_COUNT": "int"}
    assert set(ACTION_OPTIONS) == {1, 101, 2, 102, 3, 4, 104, 5, 105, 6, 106, 7, 107}
    assert MATURITY_RATINGS["IN"] == ("ALL", "7+", "13+", "16+", "18+", "NR")
    rec = full()
    assert rec.action_options == (1, 101) and rec.tags == ("UHD",) and rec.warnings() == []
    assert rec.amazon_extras()["com.amazon.extra.ACTION_OPTION"] == [1, 101]
    assert len(rec.amazon_extras()) == 17


@pytest.mark.parametrize("changes, field_name, words", [
    ({"title": ""}, "title", "must not be empty"),
    ({"rank": -1}, "rank", "between 0 and 2147483647"),
    ({"rank": 2**31}, "rank", "between 0 and 2147483647"),
    ({"rank": "3"}, "rank", "write it without quotes"),
    ({"rank": True}, "rank", "whole number"),
    ({"customer_rating": 11}, "customer_rating", "between 0 and 10"),
    ({"customer_rating_count": -5}, "customer_rating_count", "between 0"),
    ({"action_options": [1, 8]}, "action_options", "8 is not an ACTION_OPTION value"),
    ({"display_name": None}, "action_options", "requires display_name"),
    ({"maturity_rating": "FSK12"}, "maturity_rating", "not a US rating (FSK12 belongs to DE)"),
    ({"marketplace": "FR"}, "marketplace", "must be one of US, DE, GB, JP, IN"),
    ({"long_description": "x" * 513}, "long_description", "513 characters; the limit is 512"),
    ({"live_content": 2}, "live_content", "0 = not live, 1 = live"),
    ({"caption_availability": 5}, "caption_availability", "0 = no captions"),
    ({"content_end_time": 1_700_000_000_000}, "content_end_time", "must be after content_start_time"),
    ({"imdb_id": "0417148"}, "imdb_id", "tt0417148"),
    ({"preview_url": "example.com/x"}, "preview_url", "must be a URL"),
    ({"launch_package": "not a package"}, "launch_package", "package name"),
    ({"tags": ["UHD", ""]}, "tags", "non-empty string"),
    ({"tags": ["ends\\"]}, "tags", "backslash"),
    ({"id": 2**31}, "id", "Java int"),
    ({"large_icon_path": "card.png"}, "large_icon_path", "absolute path"),
])
def test_invalid_values_name_the_field_the_value_and_the_fix(changes, field_name, words):
    values = {f: getattr(full(), f) for f in Recommendation.field_names()} | changes
    with pytest.raises(InvalidRecommendation) as info:
        Recommendation(**values)
    assert info.value.field == field_name and words in str(info.value)
    assert str(info.value).startswith(f"{field_name}=")


def test_maturity_without_a_marketplace_may_be_any_supported_one():
    assert Recommendation(title="t", maturity_rating="FSK12").maturity_rating == "FSK12"
    assert Recommendation(title="t", maturity_rating="13+", marketplace="in").marketplace == "IN"
    with pytest.raises(InvalidRecommendation, match="case matters.*US: G, PG"):
        Recommendation(title="t", maturity_rating="pg13")


def test_live_content_needs_its_window():
    with pytest.raises(InvalidRecommendation, match="needs content_start_time and content_end_time"):
        Recommendation(title="t", live_content=1, content_start_time=1)
    live = Recommendation(title="t", live_content=True, content_start_time=1, content_end_time=2)
    assert live.live_content == 1


def test_what_the_device_changes_is_a_warning_not_an_error():
    rec = Recommendation(title="t", display_name="A Much Longer App Name", action_options=[1, 101, 2],
                         content_release_date="May 2016", tags=["a,b"])
    warnings = rec.warnings()
    assert "cuts it to 'A Much Longer A' without an ellipsis" in warnings[0]
    assert "supports two context menu actions" in warnings[1]
    assert "not a year" in warnings[2] and "keeps that backslash" in warnings[3]
    post_command(rec)  # allowed: a test may post a long name to check the truncation
    with pytest.raises(InvalidRecommendation, match="cuts it to"):
        post_command(rec, strict=True)
    assert Recommendation(title="t", content_release_date=2016).content_release_date == "2016"  # YAML's 2016


# -- commands ---------------------------------------------------------------------------------------
def test_post_command_uses_the_typed_am_flags():
    argv = post_command(full())
    assert argv[:14] == ["am", "broadcast", "--include-stopped-packages", "-n",
                         "com.firebridge.helper/.PostRecommendation", "--es", "title", "Night Harbor", "--es", "text",
                         "Pick up where you left off", "--ei", "id", "7"]
    pairs = {argv[i + 1]: (argv[i], argv[i + 2]) for i in range(14, len(argv), 3) if argv[i].startswith("--e")}
    assert pairs["launch_package"] == ("--es", "com.firebridge.reference")
    assert pairs["com.amazon.extra.DISPLAY_NAME"] == ("--es", "Reference TV")
    assert pairs["com.amazon.extra.RANK"] == ("--ei", "3")
    assert pairs["com.amazon.extra.ACTION_OPTION"] == ("--eial", "1,101")
    assert pairs["com.amazon.extra.TAGS"] == ("--esal", "UHD")
    assert pairs["com.amazon.extra.CONTENT_START_TIME"] == ("--el", "1700000000000")
    assert pairs["com.amazon.extra.LAST_WATCHED_DATETIME"] == ("--el", "1700000500000")
    assert pairs["com.amazon.extra.LIVE_CONTENT"] == ("--ei", "0")
    assert pairs["com.amazon.extra.CONTENT_CUSTOMER_RATING_COUNT"] == ("--ei", "1200")
    assert len(pairs) == 18  # launch_package + 17 extras
    minimal = post_command(Recommendation(title="Only a title"))
    assert minimal == ["am", "broadcast", "--include-stopped-packages", "-n", "com.firebridge.helper/.PostRecommendation",
                       "--es", "title", "Only a title", "--ei", "id", "1"]  # no empty text, no absent extras


def test_every_value_is_shell_quoted_when_joined():
    nasty = Recommendation(title="It's $(reboot) `id`; rm -rf / & \"x\"", text="line1\nline2 | tee", id=9,
                           display_name="A&B", tags=["4K UHD", "a,b"], long_description="50% off * ? [x]")
    argv = post_command(nasty)
    line = shlex.join(argv)
    assert shlex.split(line) == argv  # what the device's shell gets back is exactly the argv
    assert "'It'\"'\"'s $(reboot) `id`; rm -rf / & \"x\"'" in line
    assert argv[argv.index("com.amazon.extra.TAGS") + 1] == "4K UHD,a\\,b"


def test_cancel_commands():
    assert cancel_command(7) == ["am", "broadcast", "--include-stopped-packages", "-n", "com.firebridge.helper/.Cancel",
                                 "--ei", "id", "7"]
    assert cancel_all_command()[-1] == "com.firebridge.helper/.CancelAll"
    with pytest.raises(InvalidRecommendation):
        cancel_command("7; reboot")  # type: ignore[arg-type]


def test_broadcast_result_line():
    out = ('Broadcasting: Intent { flg=0x400020 cmp=com.firebridge.helper/.PostRecommendation (has extras) }\n'
           'Broadcast completed: result=-1, data="posted id=7 amazon_extras=[com.amazon.extra.RANK, '
           'com.amazon.extra.TAGS]"\n')
    result = parse_broadcast_result(out)
    assert result.ok and result.code == -1 and result.data.startswith("posted id=7 amazon_extras=[")
    assert parse_broadcast_result("Broadcast completed: result=0\n").data is None
    failed = parse_broadcast_result('Broadcast completed: result=1, data="error: java.lang.RuntimeException: "x""')
    assert not failed.ok and failed.data == 'error: java.lang.RuntimeException: "x"'
    extras = parse_broadcast_result('Broadcast completed: result=-1, data="a\nb", extras: Bundle[{k=v}]')
    assert extras.data == "a\nb" and extras.extras == "Bundle[{k=v}]"
    assert parse_broadcast_result("Broadcasting: Intent { }\n") is None


# -- YAML ------------------------------------------------------------------------------------------
def test_recommendations_from_yaml(tmp_path: Path):
    path = tmp_path / "recs.yaml"
    path.write_text("recommendations:\n"
                    "  - title: Night Harbor\n    id: 7\n    display_name: Reference TV\n"
                    "    action_options: [1, 101]\n    tags: [UHD]\n    content_release_date: 2021\n"
                    "  - {title: Paper Boats, id: 8, rank: 0}\n")
    recs = load_recommendations(path)
    assert [r.id for r in recs] == [7, 8] and recs[0].content_release_date == "2021"
    single = tmp_path / "one.yaml"
    single.write_text("title: One\nrank: 4\n")
    assert Recommendation.from_yaml(single).rank == 4
    with pytest.raises(ConfigError, match="expected one recommendation, found 2"):
        Recommendation.from_yaml(path)


@pytest.mark.parametrize("text, line, words", [
    ("title: T\nrank: -3\n", 2, "rank=-3: must be between 0"),
    ("title: T\nRANK: 3\n", 2, "unknown key 'RANK'; write 'rank' (firebridge's name for com.amazon.extra.RANK)"),
    ("title: T\ncom.amazon.extra.DISPLAY_NAME: X\n", 2, "write 'display_name'"),
    ("title: T\ndisplay_nam: X\n", 2, "did you mean 'display_name'"),
    ("text: no title\n", 1, "needs a title"),
    ("- title: A\n- title: B\n  maturity_rating: XX\n", 3, "maturity_rating='XX'"),
    ("title: [unclosed\n", 2, "not valid YAML"),
    ("title: T\ntitle: U\n", 2, "'title' appears twice"),
    ("", None, "the file is empty"),
])
def test_yaml_errors_give_file_and_line(text, line, words):
    with pytest.raises(ConfigError) as info:
        recommendations_from_yaml_text(text, "recs.yaml")
    assert info.value.path == "recs.yaml" and info.value.line == line and words in str(info.value)


# -- dumpsys notification ----------------------------------------------------------------------------
def test_android_tv_capture_redacted_extras():
    [record] = parse_notification_dump((SAMPLES / "dumpsys_notification_androidtv_redacted.txt").read_text())
    assert (record.package, record.user, record.id, record.tag, record.importance) == ("android", "UserHandle{-1}", 26,
                                                                                       None, 4)
    assert record.key == "-1|android|26|null|1000" and record.uid == 1000
    assert record.channel == "DEVELOPER_IMPORTANT" and record.flags == "0x2" and record.category is None
    title = record.extras["android.title"]
    assert title.type == "String" and title.redacted and title.redacted_length == 11 and title.value is None
    assert record.extra("android.reduced.images") is True
    assert record.extras["android.tv.EXTENSIONS"].raw.startswith("Bundle[{channel_id=usbdevicemanager.adb.tv")
    assert len(record.extras) == 5 and not record.is_recommendation


def test_grep_capture_headers_with_nested_public_version():
    records = parse_notification_dump((SAMPLES / "dumpsys_notification_grep_pkg_ticker.txt").read_text())
    assert [(r.package, r.id, r.tag) for r in records] == [
        ("com.android.server.telecom", 3, "MissedCallNotifierImpl"), ("android", 26, None), ("android", 17305200, None),
        ("com.rom1v.sndcpy", 1, None)]
    assert records[0].flags == "0x11" and records[0].channel == "TelecomMissedCalls"  # the outer, not publicVersion's
    assert records[3].uid == 11884 and records[0].body[1].strip() == "tickerText=Missed C..."


def test_android8_capture_category_in_the_header():
    records = parse_notification_dump((SAMPLES / "dumpsys_notification_record_header_firefoxlite.txt").read_text())
    gmail = records[-1]
    assert gmail.package == "com.google.android.gm" and gmail.tag == "gig:-900500736:^sq_ig_i_personal"
    assert gmail.category == "email" and gmail.channel == "^nc_1_mail_cnevinchen@gmail.com"


def test_recent_android_capture_typed_extras():
    [record] = parse_notification_dump((SAMPLES / "dumpsys_notification_partial_android16_messaging.txt").read_text())
    assert record.flags == "AUTO_CANCEL" and record.category == "msg"
    assert record.extra("extra_im_notification_message_ids") == ["6"]
    assert record.extra("extra_im_notification_earliest_timestamp") == 1779198318544
    assert record.extra("android.progress") == 0 and record.extra("android.largeIcon") is None
    assert record.extra("android.template") == "android.app.Notification$MessagingStyle"
    messages = record.extras["android.messages"]
    assert messages.type == "Bundle[]" and messages.items == () and messages.raw == "1"
    assert record.extras["extra_im_notification_latest_rcs_message_id"].redacted_length == 0
    assert len(record.extras) == 33


# The Android 9 (Fire OS 7) format, as tests/samples/notificationrecord_dump_format_android9.txt describes it
# (NotificationRecord.dump): no space before appImportanceLocked, extras one per line, arrays as (N) + [i] lines.
ANDROID9 = """\
Current Notification Manager state:
  Notification List:
    NotificationRecord(0x0a1b2c3d: pkg=com.firebridge.helper user=UserHandle{0} id=7 tag=null importance=2 key=0|com.firebridge.helper|7|null|10071appImportanceLocked=false: Notification(channel=firebridge_recommendations pri=0 contentView=null vibrate=null sound=null defaults=0x0 flags=0x0 color=0x00000000 category=recommendation vis=PRIVATE))
      uid=10071 userId=0
      icon=Icon(typ=RESOURCE pkg=com.firebridge.helper id=0x7f020000)
      pri=0
      key=0|com.firebridge.helper|7|null|10071
      extras={
          android.title=String (Night Harbor (2021))
          android.text=String (Pick up where
you left off)
          com.amazon.extra.DISPLAY_NAME=String (Reference TV)
          com.amazon.extra.RANK=Integer (3)
          com.amazon.extra.ACTION_OPTION=ArrayList ([1, 101])
          com.amazon.extra.TAGS=ArrayList ([UHD, HDR])
          com.amazon.extra.CONTENT_START_TIME=Long (1700000000000)
          com.amazon.extra.LIVE_CONTENT=Integer (0)
          com.amazon.extra.OLD_STYLE=int[] (2)
              [0] 1
              [1] 101
          android.subText=null
      }
      stats=SingleNotificationStats{posttimeElapsedMs=1000}
    NotificationRecord(0x0a1b2c3e: pkg=com.other.app user=UserHandle{0} id=1 tag=t importance=3 key=0|com.other.app|1|t|10080appImportanceLocked=true: Notification(channel=c pri=0 contentView=null vibrate=null sound=null defaults=0x0 flags=0x10 color=0x00000000 category=recommendation vis=PRIVATE))
      uid=10080 userId=0
  mUseAttentionLight=false
"""


def test_android9_format_with_amazon_extras():
    helper, other = parse_notification_dump(ANDROID9)
    assert helper.key == "0|com.firebridge.helper|7|null|10071" and helper.uid == 10071
    assert helper.is_recommendation and helper.title == "Night Harbor (2021)"
    assert helper.text == "Pick up where\nyou left off"
    assert helper.amazon_extras() == {
        "com.amazon.extra.DISPLAY_NAME": "Reference TV", "com.amazon.extra.RANK": 3,
        "com.amazon.extra.ACTION_OPTION": [1, 101], "com.amazon.extra.TAGS": ["UHD", "HDR"],
        "com.amazon.extra.CONTENT_START_TIME": 1700000000000, "com.amazon.extra.LIVE_CONTENT": 0,
        "com.amazon.extra.OLD_STYLE": [1, 101]}
    assert helper.extra("android.subText") is None and len(helper.extras) == 10
    assert other.key == "0|com.other.app|1|t|10080" and other.tag == "t" and other.body == ("      uid=10080 userId=0",)
    back = Recommendation.from_notification(helper)
    assert (back.title, back.id, back.display_name, back.rank, back.action_options, back.tags) == (
        "Night Harbor (2021)", 7, "Reference TV", 3, (1, 101), ("UHD", "HDR"))
    assert back.maturity_rating is None and back.marketplace is None


def test_pm_path():
    assert parse_pm_path("package:/data/app/com.firebridge.helper-1/base.apk\n") == [
        "/data/app/com.firebridge.helper-1/base.apk"]
    assert parse_pm_path("") == []


# -- PMR over a scripted shell ---------------------------------------------------------------------
@dataclass
class HelperShell:
    """Answers `pm path`, `am broadcast` and `dumpsys notification` like a device with(out) the helper."""

    installed: bool = True
    broadcast: str = 'Broadcast completed: result=-1, data="posted id=7 amazon_extras=[]"\n'
    serial: str = "FAKE0001"
    commands: list[list[str]] = field(default_factory=list)

    def shell(self, command, timeout=None):
        argv = list(command)
        self.commands.append(argv)
        if argv[:2] == ["pm", "path"]:
            out = f"package:/data/app/{HELPER_PACKAGE}-1/base.apk\n" if self.installed else ""
            return ShellResult(shlex.join(argv), out, "", 0 if self.installed else 1)
        if argv[:2] == ["am", "broadcast"]:
            return ShellResult(shlex.join(argv), "Broadcasting: Intent { }\n" + self.broadcast, "", 0)
        if argv[0] == "dumpsys":
            return ShellResult(shlex.join(argv), ANDROID9, "", 0)
        raise AssertionError(argv)


def test_missing_helper_says_how_to_install_it():
    shell = HelperShell(installed=False)
    with pytest.raises(HelperAppMissing) as info:
        PMR(FireOSDriver(shell)).post(full())
    message = str(info.value)
    assert "FAKE0001" in message and "adb install -r firebridge-helper.apk" in message
    assert "firebridge pmr install-helper" in message and "docs/helper-app.md" in message
    assert not any(c[:2] == ["am", "broadcast"] for c in shell.commands)


def test_post_cancel_and_read_back():
    shell = HelperShell()
    pmr = PMR(FireOSDriver(shell))
    assert pmr.post(full()).data.startswith("posted id=7")
    assert pmr.cancel(7).ok and pmr.cancel_all().ok
    assert sum(c[:2] == ["pm", "path"] for c in shell.commands) == 1  # checked once
    [active] = pmr.active()
    assert active.package == HELPER_PACKAGE and active.id == 7
    assert shell.commands[-1] == ["dumpsys", "notification", "--noredact"]


def test_no_receiver_and_helper_errors():
    with pytest.raises(HelperAppMissing, match="no receiver answered"):
        PMR(FireOSDriver(HelperShell(broadcast="Broadcast completed: result=0\n"))).post(full())
    with pytest.raises(CommandFailed, match="the helper reported: error: java.lang.SecurityException"):
        PMR(FireOSDriver(HelperShell(broadcast='Broadcast completed: result=1, data="error: java.lang.SecurityException"\n'))
            ).post(full())


def test_values_with_spaces_stay_one_word_through_the_am_argv():
    import shlex
    from firebridge.device.firetv import shell_join
    from firebridge.platforms.fireos.notifications import broadcast_command
    rec = Recommendation(title="Night Harbor", id=7, content_id="live channel 7", tags=["Late night", "UHD"])
    words = shlex.split(shell_join(broadcast_command("com.firebridge.helper/.PostRecommendation", post_extras(rec))))
    assert "live channel 7" in words and "Night Harbor" in words and "Late night,UHD" in words


def test_post_plan_numbers_items_without_ids_and_words_results(tmp_path):
    from firebridge.capabilities.pmr import describe_result, plan_post
    from firebridge.driver.notifications import BroadcastResult
    path = tmp_path / "recs.yaml"
    path.write_text("- title: A\n- {title: B, id: 1}\n- title: C\n- {title: D, id: 3}\n- title: E\n")
    plan = plan_post(path)
    assert [r.id for r in plan.recommendations] == [2, 1, 4, 3, 5] and plan.generated == {0: 2, 2: 4, 4: 5}
    assert plan.problems(strict=False) == []
    assert describe_result(BroadcastResult(-1, "posted id=2")) == "posted"
    assert describe_result(BroadcastResult(1, "error: x")) == "not posted (result 1: error: x)"
