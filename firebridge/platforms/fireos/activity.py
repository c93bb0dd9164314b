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
from dataclasses import dataclass

VIEW_ACTION = "android.intent.action.VIEW"
# The Fire TV settings app's Preferences action (docs/fire-os.md section 3).
PREFERENCES_ACTION = "com.amazon.device.settings.action.PREFERENCES"
SETTINGS_ACTIONS = {"preferences": PREFERENCES_ACTION}

WINDOW_DUMP_COMMAND = ["dumpsys", "window", "windows"]
KEYCODE_WAKEUP = 224
LAUNCHER_PACKAGE = "com.amazon.tv.launcher"  # the Fire TV home launcher (shared samples)
SETTINGS_PACKAGE = "com.amazon.tv.settings.v2"  # where the PREFERENCES action leads (docs/fire-os.md §3)
#: (namespace, key, value) that keep the screensaver away (docs/timing.md, "screensaver" row).
SCREENSAVER_OFF = (("secure", "screensaver_enabled", "0"),)
ACTIVITY_DUMP_COMMAND = ["dumpsys", "activity", "activities"]

_WINDOW = r"Window\{\S+ \S+ (?P<window>[^\s}]+)\}"
_CURRENT_FOCUS = re.compile(r"^\s*mCurrentFocus=(?:" + _WINDOW + r"|null)", re.M)
# Fire OS 8 (Android 11): no mCurrentFocus; the IME target lines still name the focused app's window
# (python-androidtv #372 and PR #329).
_IME_TARGET = re.compile(r"^\s*mInputMethod(?:Input)?Target(?: in display# \d+)?[ =](?:" + _WINDOW + r"|null)", re.M)
_FOCUSED_APP = re.compile(r"^\s*mFocusedApp=.*?ActivityRecord\{\S+ \S+ (?P<window>[^\s}]+)", re.M)
# The screensaver is a dream window (``Window{... Sys2023:dream}``) focused while the focused app stays the
# launcher (HA-Firemote #89, #64).
DREAM_SUFFIX = ":dream"


@dataclass(frozen=True)
class Focus:
    """What ``dumpsys window windows`` says has focus: a window name (``pkg/activity`` or a title such as
    ``Sys2023:dream``), None when no window has focus (``mCurrentFocus=null``) or the dump names none.
    ``found`` is False when the dump has no focus line at all (then ask the activity dump)."""

    window: str | None
    found: bool = True

    @property
    def package(self) -> str | None:
        if self.window is None or "/" not in self.window:
            return None
        return self.window.split("/", 1)[0]

    @property
    def dreaming(self) -> bool:
        return self.window is not None and self.window.endswith(DREAM_SUFFIX)


def parse_focus(window_dump: str) -> Focus:
    """The focused window in ``dumpsys window windows`` (pure; CRLF tolerated): ``mCurrentFocus``, else
    Fire OS 8's ``mInputMethodTarget``, else ``mFocusedApp``. The first kind of line present decides, even
    when it says null (between windows, e.g. during the HOME transition)."""
    text = window_dump.replace("\r", "")
    for pattern in (_CURRENT_FOCUS, _IME_TARGET, _FOCUSED_APP):
        match = pattern.search(text)
        if match:
            return Focus(match.group("window"))
    return Focus(None, found=False)
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
    """The package of the focused window (:func:`parse_focus`); None when nothing has focus, the
    screensaver has it, or the dump names no focus at all (then ask :func:`parse_resumed_package`)."""
    return parse_focus(window_dump).package


def parse_resumed_package(activity_dump: str) -> str | None:
    """The package of the resumed activity in ``dumpsys activity activities``."""
    match = _RESUMED.search(activity_dump)
    return match.group("component").split("/", 1)[0] if match else None
