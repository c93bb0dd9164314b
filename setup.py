"""Build hook: the wheel ships the repository's top-level ``fixtures/`` as ``firebridge/fixtures/``.

Everything else is in pyproject.toml. The copy is made only when building (a wheel); an editable
install reads ``fixtures/`` in place (firebridge/resources.py finds either).
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

FIXTURES = Path(__file__).resolve().parent / "fixtures"


class BuildWithFixtures(build_py):
    """``build_py`` plus a copy of ``fixtures/`` into ``firebridge/fixtures/`` of the build."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "firebridge" / "fixtures"
        if target.exists():  # a build folder left from an earlier build must not keep deleted files
            shutil.rmtree(target)
        for source in sorted(FIXTURES.rglob("*")):
            if source.is_file() and "__pycache__" not in source.parts:
                destination = target / source.relative_to(FIXTURES)
                self.mkpath(str(destination.parent))
                self.copy_file(str(source), str(destination))


setup(cmdclass={"build_py": BuildWithFixtures})
