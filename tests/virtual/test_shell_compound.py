"""The virtual shells' `for` and `case` (with `break`), assignment values that keep their spaces, and
`printf`/`head`/`tail` — POSIX sh and toybox have them; drivers send key loops built from them."""

from __future__ import annotations

from pathlib import Path

import pytest

from firebridge.virtual.devices import create_device
from firebridge.virtual.shell.syntax import ShellSyntaxError, parse
from tests.conftest import DeviceShell


@pytest.fixture(params=["fireos", "vega"])
def shell(request, tmp_path: Path) -> DeviceShell:
    return DeviceShell(create_device(request.param, tmp_path))


def test_for_loop_and_break(shell) -> None:
    assert shell("for x in a 'b c' d; do echo $x; done").stdout == "a\nb c\nd\n"
    assert shell("for x in 1 2 3; do echo $x; case $x in 2) break;; esac; done; echo end").stdout == "1\n2\nend\n"
    assert shell("for x in a b; do echo $x; done | tail -n 1").stdout == "b\n"
    assert shell("for x; do echo $x; done; echo ok").stdout == "ok\n"


def test_case_patterns(shell) -> None:
    script = 'case "$V" in a|b) echo ab;; *"x y"*) echo quoted;; [!0-9]*) echo letter;; *) echo other;; esac'
    assert shell("V=b; " + script).stdout == "ab\n"
    assert shell("V='1x y2'; " + script).stdout == "quoted\n"
    assert shell("V=zz; " + script).stdout == "letter\n"
    assert shell("V=42; " + script).stdout == "other\n"
    assert shell('case "*" in "*") echo star;; esac').stdout == "star\n"


def test_assignment_from_command_substitution_keeps_spaces(shell) -> None:
    assert shell('o=$(echo "a  b"); echo "$o"').stdout == "a  b\n"


def test_printf_head_tail(shell) -> None:
    assert shell('printf "%s-%d|" a 1 b 2').stdout == "a-1|b-2|"
    assert shell(r'printf "%s\n" "one two"').stdout == "one two\n"
    assert shell("seq 1 20 | head -n 3").stdout == "1\n2\n3\n"
    assert shell("seq 1 20 | tail -n 2").stdout == "19\n20\n"
    assert shell("seq 1 20 | tail -3").stdout == "18\n19\n20\n"


@pytest.mark.parametrize("script", ["for x in a; do echo", "case a in a) echo", "for 1x in a; do :; done",
                                    "case a in a echo;; esac"])
def test_unfinished_compounds_are_syntax_errors(script: str) -> None:
    with pytest.raises(ShellSyntaxError):
        parse(script)
