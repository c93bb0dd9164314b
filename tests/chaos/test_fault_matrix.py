"""The fault matrix (firebridge/lab/chaos.py; ``bench/fault_matrix.py`` prints it): each fault in a plain
run, under --bench and under nightly. Each cell stands up its own virtual lab: about a minute each."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from firebridge.lab.chaos import FAULTS, MODES, VERDICT_OK, Cell, render, run_cell, suite_test_names, write_suite

CELLS = [(fault, mode) for fault in FAULTS for mode in MODES if fault != "nightly-killed" or mode == "nightly"]
# Every cell stands up its own lab (about a minute each, 22 cells): the whole suite runs three that cover
# a plain run, a bench run and the adb server going away; FIREBRIDGE_FAULT_MATRIX=all runs every cell
# (or run `python3 bench/fault_matrix.py`, which prints the README's table).
EVERY_RUN = {("device-killed", "plain"), ("device-killed", "bench"), ("adb-server-killed", "plain")}


def test_the_suite_has_a_deliberate_product_bug_and_device_tests(tmp_path: Path):
    suite = write_suite(tmp_path)
    text = (suite / "test_chaos_suite.py").read_text()
    assert all(f"def {name}(" in text for name in suite_test_names())
    compile(text, "test_chaos_suite.py", "exec")


def test_the_table_names_every_fault_and_mode():
    cells = [Cell("device-killed", "plain"), Cell("device-killed", "bench", problems=["junit: 7/8 tests"])]
    table = render(cells)
    assert "| device-killed | " + VERDICT_OK in table and "junit: 7/8 tests" in table


@pytest.mark.slow
@pytest.mark.timeout(420)
@pytest.mark.parametrize("fault,mode", CELLS, ids=[f"{f}-{m}" for f, m in CELLS])
def test_fault_matrix_cell(fault: str, mode: str, tmp_path: Path, this_checkout):
    if (fault, mode) not in EVERY_RUN and os.environ.get("FIREBRIDGE_FAULT_MATRIX") != "all":
        pytest.skip("one of the 22 fault-matrix cells (about a minute each): FIREBRIDGE_FAULT_MATRIX=all runs "
                    "them all, or `python3 bench/fault_matrix.py` prints the whole table")
    cell = run_cell(fault, mode, tmp_path)
    assert not cell.problems, cell.verdict
