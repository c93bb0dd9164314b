"""inputd-cli keys and vmsgr/vlcm/vpm on real captured output (Vega)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from firebridge.capabilities.remote import Key
from firebridge.platforms.vega import apps, keys
from firebridge.platforms.vega.errors import AppCommandFailed, DeveloperModeOff, KeyNotTaken, UnknownVegaKey

from ..conftest import SAMPLES


def sample(name: str) -> str:
    return (SAMPLES / name).read_text()


def cli_section(title: str) -> str:
    """A section of vega_cli_outputs.txt (Amazon docs examples), without its ``// Output`` note."""
    text = sample("vega_cli_outputs.txt")
    body = text.split(f"### {title}", 1)[1].split("\n### ", 1)[0]
    return "\n".join(line for line in body.split("\n")[1:] if not line.startswith("// Output"))


# -- keys ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("name,linux", [
    ("SELECT", "KEY_ENTER"), ("HOME", "KEY_HOMEPAGE"), ("BACK", "KEY_BACK"), ("MENU", "KEY_MENU"),
    ("UP", "KEY_UP"), ("down", "KEY_DOWN"), ("LEFT", "KEY_LEFT"), ("RIGHT", "KEY_RIGHT"),
    ("PLAY_PAUSE", "KEY_PLAYPAUSE"), ("REWIND", "KEY_REWIND"), ("FAST_FORWARD", "KEY_FASTFORWARD"),
    ("KEYCODE_DPAD_CENTER", "KEY_ENTER"), ("KEY_VOLUMEUP", "KEY_VOLUMEUP"),
    (Key.SELECT, "KEY_ENTER"), (Key.HOME, "KEY_HOMEPAGE"), (Key.MEDIA_PLAY_PAUSE, "KEY_PLAYPAUSE"),
])
def test_key_names(name, linux):
    assert keys.vega_key(name) == linux


def test_unknown_key_suggests():
    with pytest.raises(UnknownVegaKey, match="Did you mean SELECT"):
        keys.vega_key("SELEC")
    with pytest.raises(UnknownVegaKey):
        keys.vega_key("KEY_UP; reboot")  # never reaches the shell


def test_a_real_press_is_confirmed():
    presses = keys.check_presses(sample("inputd_cli_button_press_firestick_kellner.txt"), ["UP"], "G071R")
    assert presses == [keys.Press("KEY_UP", "short")]


def test_developer_mode_off_says_how_to_fix_it():
    with pytest.raises(DeveloperModeOff, match="vsm developer-mode enable") as info:
        keys.check_presses(sample("inputd_cli_dev_mode_off_error_vvd_argent.txt"), ["UP", "SELECT"], "emulator-5554")
    assert "No running instances of com.amazon.dev.shell.service found" in str(info.value)
    with pytest.raises(DeveloperModeOff):
        keys.parse_screen_size(sample("inputd_cli_dev_mode_off_error_vvd_argent.txt"))


def test_rejected_commands_are_not_confirmations():
    output = sample("inputd_cli_series_outputs_vvd_sema-firetv.txt")
    with pytest.raises(KeyNotTaken, match="did not confirm KEY_LEFT"):
        keys.check_presses(output, ["LEFT"])
    # Its last line is a real confirmation (of a held key): it confirms BACK and nothing else.
    assert keys.parse_presses(output) == [keys.Press("KEY_BACK", "down")]


def test_a_missing_confirmation_in_the_middle_is_reported_with_what_was_taken():
    output = "Injecting Button Press As Driver: KEY_UP State: short\ninvalid button value\n"
    with pytest.raises(KeyNotTaken, match=r"KEY_ENTER \(press 2 of 3; confirmed before it: KEY_UP\)"):
        keys.check_presses(output, ["UP", "SELECT", "DOWN"])


def test_screen_size():
    assert keys.parse_screen_size(sample("inputd_cli_get_screen_size_vvd_argent.txt")) == (1920, 1080)


def _fake_inputd(tmp_path: Path) -> Path:
    """An inputd-cli that answers like the real one (the captured line format): it confirms every
    key but KEY_FN_F9, for which it prints an error and (like the real tool) still exits 0."""
    tool = tmp_path / "inputd-cli"
    tool.write_text('#!/bin/sh\necho "$*" >> "$(dirname "$0")/calls"\n'
                    'if [ "$2" = KEY_FN_F9 ]; then echo "invalid button value"; exit 0; fi\n'
                    'echo "Injecting Button Press As Driver: $2 State: short"\n')
    tool.chmod(0o755)
    return tool


def test_press_command_in_a_posix_shell_presses_in_order_and_stops_at_the_first_failure(tmp_path):
    _fake_inputd(tmp_path)
    env = {"PATH": f"{tmp_path}:/usr/bin:/bin"}
    run = lambda names: subprocess.run(["/bin/sh", "-c", keys.press_command(names)], capture_output=True, text=True,
                                       env=env).stdout
    output = run(["UP", "SELECT", "HOME"])
    assert keys.check_presses(output, ["UP", "SELECT", "HOME"])[2] == keys.Press("KEY_HOMEPAGE", "short")
    (tmp_path / "calls").unlink()
    output = run(["UP", "KEY_FN_F9", "SELECT"])
    assert (tmp_path / "calls").read_text().split("\n")[:2] == ["button_press KEY_UP", "button_press KEY_FN_F9"]
    assert "KEY_ENTER" not in (tmp_path / "calls").read_text()  # nothing pressed after the failure
    with pytest.raises(KeyNotTaken, match="KEY_FN_F9"):
        keys.check_presses(output, ["UP", "KEY_FN_F9", "SELECT"])


def test_long_press_holds_and_text_is_quoted(tmp_path):
    assert "--holdDuration 2500" in keys.press_command(["SELECT"], hold_ms=keys.LONG_PRESS_MS)
    tool = tmp_path / "inputd-cli"
    tool.write_text('#!/bin/sh\nprintf "<%s>" "$@"\n')
    tool.chmod(0o755)
    text = "it's $(id) `x` \"y\""
    out = subprocess.run(["/bin/sh", "-c", keys.text_command(text)], capture_output=True, text=True,
                         env={"PATH": f"{tmp_path}:/usr/bin:/bin"}).stdout
    assert out == f"<send_text><{text}>"
    with pytest.raises(ValueError):
        keys.text_command("two\nlines")
    keys.check_text_output("")
    with pytest.raises(KeyNotTaken):
        keys.check_text_output("Unrecognized command: send_text")


# -- apps ---------------------------------------------------------------------------------------

def test_vmsgr_failure_capture_is_an_error():
    output = sample("vmsgr_send_cli_send_error_vvd_dicechess-tv.txt")
    with pytest.raises(AppCommandFailed, match="CLI Send Error for URI"):
        apps.check_tool_output("vmsgr send pkg://com.amazon.smplighthouse.launcher.main", output, 255)
    # Vega tools may exit 0 on failure: the words alone are enough.
    with pytest.raises(AppCommandFailed):
        apps.check_tool_output("vmsgr send x", output, 0)


@pytest.mark.parametrize("name", ["vlcm_trigger_back_error_vvd_porthole.txt", "vda_shell_error_messages_vvd_sema-firetv.txt",
                                  "inputd_cli_dev_mode_off_error_vvd_argent.txt"])
def test_other_captured_errors_are_errors(name):
    with pytest.raises(AppCommandFailed):
        apps.check_tool_output("vlcm x", sample(name), 0)


@pytest.mark.parametrize("line", [*sample("vda_shell_error_messages_vvd_sema-firetv.txt").splitlines(),
                                  sample("shell_input_not_found_firestick_kellner.txt").strip()])
def test_every_captured_vega_tool_error_line_is_an_error(line):
    with pytest.raises(AppCommandFailed):
        apps.check_tool_output("tool", line, 0)


def test_a_missing_tool_fails_a_listing():
    with pytest.raises(AppCommandFailed):
        apps.check_tool_output("vlcm list", sample("shell_input_not_found_firestick_kellner.txt"), 127, listing=True)


@pytest.mark.parametrize("name", ["vlcm_launch_app_deprecation_firestick_kellner.txt", "vlcm_crash_history_empty_vvd_dicechess-tv.txt"])
def test_captured_non_errors_pass(name):
    # The deprecation notice comes with a launch that still happens; an empty crash history is fine.
    assert apps.check_tool_output("vlcm x", sample(name), 0) == sample(name).strip()


def test_vpm_list_and_info_on_the_docs_examples():
    assert apps.parse_vpm_list(cli_section("`vpm list packages` (Amazon docs example)")) == ["com.amazondeveloper.test"]
    assert apps.parse_vpm_info(cli_section("`vpm info <id>` (Amazon docs example)")) == {
        "id": "com.amazondeveloper.test.interactive", "type": "interactive",
        "categories": "com.amazon.category.samplepkg.component.examples", "launch type": "default"}


def test_vlcm_list_rows_and_foreground():
    # ASSUMPTION-shaped text: no raw `vlcm list` capture is public; columns as the only public parser
    # (prmiguel/vega-virtual-device-tests ListAppByApp) reads them.
    text = ("application                          type pid  id  state       lifespan timeout launch-args\n"
            "com.amazon.keplerlauncherapp.main    I    812  1   NOT_VISIBLE default  none    -\n"
            "com.giolaq.multitv.vega.main         I    4021 7   VISIBLE     default  none    -\n"
            "com.giolaq.multitv.vega.service      S    4022 8   READY       default  none    -\n")
    rows = apps.parse_vlcm_list(text)
    assert [r.application for r in rows] == ["com.amazon.keplerlauncherapp.main", "com.giolaq.multitv.vega.main",
                                             "com.giolaq.multitv.vega.service"]
    front = apps.foreground(rows)
    assert (front.application, front.package, front.pid, front.state) == ("com.giolaq.multitv.vega.main",
                                                                          "com.giolaq.multitv.vega", 4021, "VISIBLE")
    assert apps.foreground(apps.parse_vlcm_list(text.replace("VISIBLE     ", "READY       "))) is None


def test_launch_and_deep_link_uris():
    assert apps.main_component("com.example.app") == "com.example.app.main"
    assert apps.launch_uri("com.example.app.main") == "pkg://com.example.app.main"
    assert apps.deep_link_uri("com.example.app", "contentId=42&mode=play") == "pkg://com.example.app.main?contentId=42&mode=play"
    assert apps.deep_link_uri("com.example.app", "?contentId=42") == "pkg://com.example.app.main?contentId=42"
    assert apps.deep_link_uri("com.example.app", "pkg://com.example.app.player?id=7") == "pkg://com.example.app.player?id=7"
    with pytest.raises(AppCommandFailed, match="not a component of com.example.app"):
        apps.deep_link_uri("com.example.app", "pkg://com.other.app.main?id=7")
    with pytest.raises(AppCommandFailed, match="no https:// scheme"):
        apps.deep_link_uri("com.example.app", "https://example.com/watch/42")
    with pytest.raises(AppCommandFailed, match="not alphanumeric"):
        apps.deep_link_uri("com.example.app", "title=Jungle Book")


@pytest.mark.parametrize("bad", ["com.example.app; reboot", "$(id)", "app", "com.example.app'", ""])
def test_ids_that_would_reach_the_shell_are_checked(bad):
    with pytest.raises(AppCommandFailed):
        apps.main_component(bad)
    with pytest.raises(AppCommandFailed):
        apps.terminate_command(bad)


def test_send_command_quotes_and_enables_the_toolkit_first():
    command = apps.send_command("pkg://com.example.app.main?a=1&b=2", enable_toolkit=True)
    assert command == ("touch /tmp/automation-toolkit.enable 2>/dev/null; "
                       "vmsgr send 'pkg://com.example.app.main?a=1&b=2' 2>&1")
    assert re.search(r"--pkg-id com\.example\.app --force", apps.terminate_command("com.example.app", force=True))


def test_listings_are_not_failed_by_ids_that_contain_error_words():
    listing = "package ids: \n    com.example.error\n    com.invalid.failed.app\n"
    assert apps.check_tool_output("vpm list packages", listing, 0, listing=True) == listing.strip()
    assert apps.parse_vpm_list(listing) == ["com.example.error", "com.invalid.failed.app"]
    for bad in ("Error: package com.x not found", "/bin/sh: vpm: not found",
                "com.amazon.apmf.SecurityError: Missing privileges to send message"):
        with pytest.raises(AppCommandFailed):
            apps.check_tool_output("vpm list packages", bad, 0, listing=True)
