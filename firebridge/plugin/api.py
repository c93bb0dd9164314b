"""The pytest plugin's public API for other plugins and conftests (the stash keys live here, and only here).

The lab bench worker hands the run its leased device with :func:`use_selection`; anything may read the
run's device with :func:`current_selection`. This module has no hooks (it is not itself a plugin).
"""

from __future__ import annotations

import pytest

from firebridge.selection import Selection

SELECTION_KEY = pytest.StashKey[Selection]()  # config.stash: the run's device
TEST_LOG_KEY = pytest.StashKey[dict]()  # item.stash: what a test's fixtures left for its failure report ({"log": LogTail})
RUN_DEVICES_KEY = pytest.StashKey[dict]()  # config.stash: the run's devices by report name -> model, platform, serial
APP_PROFILE_KEY = pytest.StashKey[object]()  # config.stash: the --app profile, loaded and validated once per run


def current_selection(config: pytest.Config) -> Selection | None:
    """The device this run uses, or None while none was chosen (no collected test needs one)."""
    return config.stash.get(SELECTION_KEY, None)


def use_selection(config: pytest.Config, selection: Selection) -> None:
    """Make ``selection`` the run's device (``firetv`` returns it; it is closed at the end of the run)."""
    config.stash[SELECTION_KEY] = selection


def uses_device(item: pytest.Item) -> bool:
    """Whether a test asks for the device (directly or through another fixture)."""
    return "firetv" in getattr(item, "fixturenames", ())
