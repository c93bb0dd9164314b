"""Where firebridge's data files are: the ``fixtures/`` folder (app profiles, benches, scenarios).

The repository keeps ``fixtures/`` at its top level; a wheel ships a copy inside the package as
``firebridge/fixtures/`` (setup.py copies it at build time). :func:`fixtures_dir` finds whichever this
installation has, so a checkout (``PYTHONPATH=.``), an editable install and a wheel all work.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def fixtures_dir(*parts: str) -> Path:
    """The fixtures folder, or a file or folder inside it: ``fixtures_dir("apps", "reference.yaml")``.

    Pure lookup (it never raises): a caller that opens a missing file reports the path it tried.
    """
    packaged = resources.files("firebridge") / "fixtures"  # a wheel: the copy inside the package
    if packaged.is_dir():
        root = Path(str(packaged))  # pip installs wheels unpacked, so this is a real folder
    else:
        root = Path(__file__).resolve().parents[1] / "fixtures"  # a checkout or an editable install
    return root.joinpath(*parts)
