"""Fire OS apps and activities: ``am start`` / ``am force-stop`` argv and the focus lines of
``dumpsys window`` / ``dumpsys activity activities`` (pure).

Formats (AOSP WindowManagerService / ActivityManagerService dumps, Android 9 layout):
``  mCurrentFocus=Window{1a2b3c u0 com.example/com.example.Main}``,
``  mFocusedApp=AppWindowToken{.. token=Token{.. ActivityRecord{85d9269 u0 com.amazon.avod/.X t212}}}``
and ``    mResumedActivity: ActivityRecord{4d5e6f u0 com.example/.Main t12}`` (``topResumedActivity=`` on
Android 12+); ``null`` when nothing has focus. Android 11+ (Fire OS 8) no longer prints the focus lines in
``dumpsys window windows`` (python-androidtv PR 329), so the activity dump is the fallback.
"""

from __future__ import annotations

import re

VIEW_ACTION = "android.intent.action.VIEW"
# The Fire TV settings app's Preferences action (docs/fire-os.md section 3).
PREFERENCES_ACTION = "com.amazon.device.settings.action.PREFERENCES"
SETTINGS_ACTIONS = {"preferences": PREFERENCES_ACTION}

WINDOW_DUMP_COMMAND = ["dumpsys", "window", "windows"]
ACTIVITY_DUMP_COMMAND = ["dumpsys", "activity", "activities"]

_CURRENT_FOCUS = re.compile(r"^\s*mCurrentFocus=Window\{\S+ \S+ (?P<window>[^\s}]+)\}", re.M)
_FOCUSED_APP = re.compile(r"^\s*mFocusedApp=.*?ActivityRecord\{\S+ \S+ (?P<component>[^\s}]+)", re.M)
_RESUMED = re.compile(r"^\s*(?:m|top)?ResumedActivity[:=] ?ActivityRecord\{\S+ \S+ (?P<component>[^\s}]+)", re.M)


def start_component_command(component: str) -> list[str]:
    """``am start -n PKG/.Activity``."""
    return ["am", "start", "-n", component]


def monkey_launch_command(package: str) -> list[str]:
    """Start a package's launcher activity without knowing its name: ``monkey -p PKG -c
    android.intent.category.LAUNCHER 1`` (one launch event)."""
    return ["monkey", "-p", package, "-c", "android.intent.category.LAUNCHER", "1"]


def view_command(uri: str, package: str) -> list[str]:
    """``am start -a VIEW -d URI -p PACKAGE`` (the package keeps other apps from answering)."""
    return ["am", "start", "-a", VIEW_ACTION, "-d", uri, "-p", package]


def action_command(action: str) -> list[str]:
    return ["am", "start", "-a", action]


def force_stop_command(package: str) -> list[str]:
    return ["am", "force-stop", package]


def am_start_failed(stdout: str, stderr: str, exit_code: int) -> str | None:
    """Why ``am start`` failed, or None. ``am`` exits 0 on Fire OS <= 8 even when nothing resolved,
    printing ``Error: Activity not started, unable to resolve Intent ...`` (to stderr, or stdout)."""
    for text in (stderr, stdout):
        for line in text.splitlines():
            if line.startswith("Error") or "Exception" in line:
                return line.strip()
    return None if exit_code == 0 else f"exit {exit_code}"


def parse_focused_package(window_dump: str) -> str | None:
    """The package of ``mCurrentFocus`` in ``dumpsys window windows``, else of ``mFocusedApp``'s activity
    record; None when neither is there (nothing has focus, or Android 11+, whose window dump has
    neither: then ask :func:`parse_resumed_package`)."""
    match = _CURRENT_FOCUS.search(window_dump)
    if match:
        return match.group("window").split("/", 1)[0]
    match = _FOCUSED_APP.search(window_dump)
    return match.group("component").split("/", 1)[0] if match else None


def parse_resumed_package(activity_dump: str) -> str | None:
    """The package of the resumed activity in ``dumpsys activity activities``."""
    match = _RESUMED.search(activity_dump)
    return match.group("component").split("/", 1)[0] if match else None
