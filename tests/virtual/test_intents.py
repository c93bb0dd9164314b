"""``am``'s intent arguments parsed as Android 9's Intent.parseCommandArgs does (pure)."""

from __future__ import annotations

import math

import pytest

from firebridge.virtual.fireos.intents import (ComponentName, IntentSyntaxError, java_decode_int, java_double_str,
                                        java_float_str, java_parse_float, java_parse_long, java_value_str,
                                        parse_command_args, parse_intent_args)

HELPER = "com.firebridge.helper/.PostRecommendation"


def parse(*args: str):
    intent, _ = parse_command_args(["-n", HELPER, *args])
    return intent


@pytest.mark.parametrize("flag, kind, text, value", [
    ("--es", "String", "hello world", "hello world"),
    ("-e", "String", "x", "x"),
    ("--ei", "int", "42", 42),
    ("--ei", "int", "-7", -7),
    ("--ei", "int", "0x1F", 31),
    ("--ei", "int", "#ff", 255),
    ("--ei", "int", "010", 8),  # Integer.decode reads a leading 0 as octal
    ("--ei", "int", "+5", 5),
    ("--ei", "int", "-2147483648", -2147483648),
    ("--el", "long", "1700000000000", 1700000000000),
    ("--el", "long", "010", 10),  # Long.valueOf is decimal only
    ("--ef", "float", "1.5", 1.5),
    ("--ef", "float", " 2f ", 2.0),
    ("--eu", "Uri", "https://example.com/a?b=c", "https://example.com/a?b=c"),
    ("--ez", "boolean", "true", True),
    ("--ez", "boolean", "T", True),
    ("--ez", "boolean", "f", False),
    ("--ez", "boolean", "0x1", True),
    ("--ez", "boolean", "0", False),
    ("--eia", "int[]", "1,0x10,-3", [1, 16, -3]),
    ("--eial", "ArrayList<Integer>", "1,101", [1, 101]),
    ("--ela", "long[]", "1,9000000000", [1, 9000000000]),
    ("--elal", "ArrayList<Long>", "5", [5]),
    ("--efa", "float[]", "1,2.5", [1.0, 2.5]),
    ("--efal", "ArrayList<Float>", "0.5,3", [0.5, 3.0]),
    ("--esa", "String[]", "a,b", ["a", "b"]),
    ("--esal", "ArrayList<String>", "UHD,HDR", ["UHD", "HDR"]),
])
def test_every_extra_flag_gives_its_java_type(flag, kind, text, value):
    intent = parse(flag, "k", text)
    assert intent.extra_types["k"] == kind
    assert intent.extras["k"] == value


def test_null_string_and_component_name_extras():
    intent = parse("--esn", "nothing", "--ecn", "cn", "com.example/.Main")
    assert intent.extras["nothing"] is None and intent.extra_types["nothing"] == "null"
    assert intent.extras["cn"] == ComponentName("com.example", "com.example.Main")
    assert str(intent.extras["cn"]) == "ComponentInfo{com.example/com.example.Main}"


def test_string_arrays_split_on_unescaped_commas_and_keep_the_backslash():
    # Android splits with "(?<!\\\\)," and does not unescape: the backslash stays in the item.
    assert parse("--esa", "k", r"a\,b,c").extras["k"] == [r"a\,b", "c"]
    assert parse("--esal", "k", r"one\,two").extras["k"] == [r"one\,two"]


def test_arrays_drop_trailing_empty_items_like_java_split():
    assert parse("--esal", "k", "a,b,,").extras["k"] == ["a", "b"]
    assert parse("--esa", "k", ",a").extras["k"] == ["", "a"]
    assert parse("--esa", "k", "").extras["k"] == [""]
    assert parse("--eia", "k", "1,2,").extras["k"] == [1, 2]
    assert parse("--eial", "k", ",,").extras["k"] == []


def test_floats_are_single_precision():
    value = parse("--ef", "k", "1.1").extras["k"]
    assert value != 1.1 and abs(value - 1.1) < 1e-6
    assert java_value_str("float", value) == "1.1"


@pytest.mark.parametrize("args, message", [
    (["--ei", "id", "abc"], 'java.lang.NumberFormatException: For input string: "abc"'),
    (["--ei", "id", ""], "java.lang.NumberFormatException: Zero length string"),
    (["--ei", "id", "2147483648"], 'java.lang.NumberFormatException: For input string: "2147483648"'),
    (["--ei", "id", "--5"], "java.lang.NumberFormatException: Sign character in wrong position"),
    (["--ei", "id", "0x"], 'java.lang.NumberFormatException: For input string: ""'),
    (["--ei", "id", " 1"], 'java.lang.NumberFormatException: For input string: " 1"'),
    (["--el", "t", "0x10"], 'java.lang.NumberFormatException: For input string: "0x10"'),
    (["--el", "t", "1.5"], 'java.lang.NumberFormatException: For input string: "1.5"'),
    (["--ef", "f", "abc"], 'java.lang.NumberFormatException: For input string: "abc"'),
    (["--ef", "f", " "], "java.lang.NumberFormatException: empty String"),
    (["--eia", "a", "1,x"], 'java.lang.NumberFormatException: For input string: "x"'),
    (["--eia", "a", "1,,2"], "java.lang.NumberFormatException: Zero length string"),
    (["--elal", "a", "1,,2"], 'java.lang.NumberFormatException: For input string: ""'),
    (["--ez", "b", "Yes"], "java.lang.IllegalArgumentException: Invalid boolean value: yes"),
    (["--ecn", "c", "nocomponent"], "java.lang.IllegalArgumentException: Bad component name: nocomponent"),
    (["--ecn", "c", "pkg/"], "java.lang.IllegalArgumentException: Bad component name: pkg/"),
    (["--es", "title"], 'java.lang.IllegalArgumentException: Argument expected after "title"'),
    (["--ei"], 'java.lang.IllegalArgumentException: Argument expected after "--ei"'),
    (["--ed", "d", "1.5"], "java.lang.IllegalArgumentException: Unknown option: --ed"),
    (["--eda", "d", "1.5"], "java.lang.IllegalArgumentException: Unknown option: --eda"),
    (["--bogus"], "java.lang.IllegalArgumentException: Unknown option: --bogus"),
])
def test_bad_arguments_give_androids_exception_text(args, message):
    with pytest.raises(IntentSyntaxError) as caught:
        parse(*args)
    assert str(caught.value) == message


def test_component_and_intent_info():
    with pytest.raises(IntentSyntaxError, match="Bad component name: nopackage"):
        parse_command_args(["-n", "nopackage"])
    # Android 9 quirk: --es/--ei alone do not count as "intent info".
    with pytest.raises(IntentSyntaxError, match="No intent supplied"):
        parse_command_args(["--es", "a", "b"])
    intent, _ = parse_command_args(["-a", "com.example.ACTION", "-p", "com.example"])
    assert (intent.action, intent.package) == ("com.example.ACTION", "com.example")
    intent, _ = parse_command_args(["-n", "com.example/com.other.Receiver"])
    assert intent.component == "com.example/com.other.Receiver"
    assert intent.component_class == "com.other.Receiver"


def test_flags_options_and_the_callers_own_options():
    intent, handled = parse_command_args(
        ["--user", "0", "--include-stopped-packages", "--receiver-foreground", "-n", HELPER],
        {"--user": 1})
    assert handled == {"--user": ["0"]}
    assert intent.flags == 0x20 | 0x10000000
    # -f replaces the flags (setFlags), later options add to them; -f takes Integer.decode syntax.
    intent, _ = parse_command_args(["--include-stopped-packages", "-f", "0x8", "--exclude-stopped-packages",
                                    "-n", HELPER])
    assert intent.flags == 0x8 | 0x10


def test_short_options_take_attached_values_like_shell_command():
    intent, _ = parse_command_args([f"-n{HELPER}", "-ekey", "value"])
    assert intent.component == HELPER and intent.extras == {"key": "value"}


def test_options_stop_at_the_target():
    intent, _ = parse_command_args(["-a", "android.intent.action.VIEW", "refapp://play/m1", "--es", "x", "y"])
    assert intent.data == "refapp://play/m1" and intent.extras == {}


def test_lenient_form_for_am_start_returns_unknown_arguments_in_order():
    intent, rest = parse_intent_args(["-W", "-a", "android.intent.action.VIEW", "--ei", "n", "-3",
                                      "--activity-clear-top", "refapp://play/m1"])
    assert rest == ["-W", "refapp://play/m1"]
    assert intent.extras == {"n": -3} and intent.flags == 0x4000000


@pytest.mark.parametrize("text, shown", [
    ("1", "1.0"), ("100", "100.0"), ("0.001", "0.001"), ("0.0001", "1.0E-4"), ("1e7", "1.0E7"),
    ("1234567", "1234567.0"), ("-2.5", "-2.5"), ("1.1", "1.1"), ("3.4028235e38", "3.4028235E38"),
    ("-0", "-0.0"), ("Infinity", "Infinity"), ("NaN", "NaN"),
])
def test_java_float_to_string(text, shown):
    assert java_float_str(java_parse_float(text)) == shown


def test_java_double_to_string_and_number_parsers():
    assert [java_double_str(v) for v in (0.1, 1e16, 123.456, 1e-5)] == ["0.1", "1.0E16", "123.456", "1.0E-5"]
    assert java_decode_int("0X7fffffff") == 2**31 - 1
    assert java_parse_long("-9223372036854775808") == -(2**63)
    assert java_parse_float("0x1.8p1") == 3.0 and java_parse_float("1e50") == math.inf
