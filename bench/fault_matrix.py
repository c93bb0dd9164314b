"""The fault matrix (issue 15): every lab fault in a plain run, under --bench and under nightly; prints a table.

    PYTHONPATH=$PWD python3 bench/fault_matrix.py [--fault NAME ...] [--mode plain|bench|nightly ...]
                                                   [--workdir DIR] [--json FILE]

Each cell stands up its own virtual lab (firebridge/lab/benchup.py), runs a small device suite, injects
the fault once the third test started and checks the run's reports (firebridge/lab/chaos.py). Cells run
one after the other (about a minute each on a quiet machine).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from firebridge.lab.chaos import FAULTS, MODES, cell_json, render, run_matrix


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fault", action="append", choices=FAULTS, help="only this fault (repeatable)")
    parser.add_argument("--mode", action="append", choices=MODES, help="only this mode (repeatable)")
    parser.add_argument("--workdir", type=Path, default=None, help="keep each cell's lab, suite and reports here")
    parser.add_argument("--json", type=Path, default=None, help="also write the cells as JSON lines")
    parser.add_argument("--speed", type=float, default=20.0, help="virtual device clock speed (default 20)")
    args = parser.parse_args(argv)
    cells = run_matrix(args.fault or list(FAULTS), args.mode or list(MODES), args.workdir, args.speed,
                       log=lambda line: print(line, file=sys.stderr, flush=True))
    print(render(cells))
    if args.json:
        args.json.write_text("".join(cell_json(c) + "\n" for c in cells))
    ok = all(not c.problems for c in cells)
    print(f"\n{sum(not c.problems for c in cells)}/{len(cells)} cells passed their checks" if ok else
          "\nsome cells failed their checks (see above)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
