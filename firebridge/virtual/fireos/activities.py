"""Apps, activities, tasks and key routing: a small ActivityManager/WindowManager of Fire OS.

An :class:`App` declares its activities, deep-link schemes and broadcast receivers; an
:class:`Activity` is one screen: it builds a view tree (:mod:`views`), handles keys and is told
when it is resumed, paused or destroyed. Tasks are kept per package, as Android does for apps
without special launch modes: HOME brings the launcher's task to the front and stops the others
(their activities stay alive), a launcher tile or a deep link brings an app's task back.
"""

from __future__ import annotations

import itertools
import zlib
from typing import TYPE_CHECKING, Callable, ClassVar, Protocol

from firebridge.platforms.fireos.keycodes import CODE_BY_NAME
from firebridge.virtual.fireos.intents import FLAG_ACTIVITY_NEW_TASK, Intent
from firebridge.virtual.fireos.logbuffer import LogBuffer
from firebridge.virtual.fireos.models import DeviceModel
from firebridge.virtual.fireos.screen import Screen, paint_tree
from firebridge.virtual.fireos.hardware import DREAM_WINDOW_TITLE, Hardware
from firebridge.virtual.fireos.views import Node
from firebridge.virtual.processes import ProcessTable

if TYPE_CHECKING:
    from PIL import ImageDraw

KEY_HOME = CODE_BY_NAME["HOME"]
KEY_BACK = CODE_BY_NAME["BACK"]
ACTION_MAIN = "android.intent.action.MAIN"
ACTION_VIEW = "android.intent.action.VIEW"
CATEGORY_HOME = "android.intent.category.HOME"
CATEGORY_LAUNCHER = "android.intent.category.LAUNCHER"
CATEGORY_LEANBACK_LAUNCHER = "android.intent.category.LEANBACK_LAUNCHER"


class ActivityHost(Protocol):
    """What apps, activities and the activity manager need from the Fire OS system they run on
    (:class:`~firebridge.virtual.fireos.system.VirtualDevice` satisfies it; an app that needs more of the
    system says so with its own ``device`` annotation)."""

    model: DeviceModel
    log: LogBuffer
    processes: ProcessTable
    hardware: Hardware
    screen: Screen
    activities: "ActivityManager"

    def install(self, package: str, apk: str | None = None, system: bool = False) -> None: ...

    def system_log(self, level: str, tag: str, message: str, process: str = ...) -> None: ...


def _hash_id(*parts: object) -> str:
    """A stable 7-hex-digit identity, like the object hashes in Android's dumps."""
    return f"{zlib.crc32(repr(parts).encode()) & 0xFFFFFFF:07x}"


class Activity:
    """One screen of an app. Subclasses set ``name`` (``.ui.Foo``) and override the hooks."""

    name: ClassVar[str] = ".MainActivity"
    label: ClassVar[str] = ""

    def __init__(self, app: "App", intent: Intent) -> None:
        self.app = app
        self.device = app.device
        self.intent = intent
        self.task_id = 0
        self.record_id = _hash_id(app.package, self.name, id(self))
        self.window_id = _hash_id("window", app.package, self.name, id(self))
        self.resumed = False
        self.finished = False

    # -- identity -------------------------------------------------------------------------------
    @property
    def component(self) -> str:
        """``pkg/.Name`` as ActivityRecord prints it."""
        return f"{self.app.package}/{self.name}"

    @property
    def class_name(self) -> str:
        return self.app.package + self.name if self.name.startswith(".") else self.name

    def record(self) -> str:
        return f"ActivityRecord{{{self.record_id} u0 {self.component} t{self.task_id}}}"

    def window(self) -> str:
        return f"Window{{{self.window_id} u0 {self.app.package}/{self.class_name}}}"

    # -- lifecycle hooks ------------------------------------------------------------------------
    def on_create(self) -> None: ...
    def on_resume(self) -> None: ...
    def on_pause(self) -> None: ...
    def on_destroy(self) -> None: ...

    def on_new_intent(self, intent: Intent) -> None:
        self.intent = intent

    # -- input and output -----------------------------------------------------------------------
    def on_key(self, code: int, longpress: bool) -> bool:
        """Handle a key; False lets the system act (BACK finishes the activity)."""
        return False

    def on_text(self, text: str) -> None: ...

    def view(self) -> Node:
        """The view tree with absolute screen bounds."""
        width, height = self.device.model.screen
        return Node(cls="android.widget.FrameLayout", bounds=(0, 0, width, height), package=self.app.package)

    def paint(self, draw: "ImageDraw.ImageDraw", size: tuple[int, int]) -> None:
        """Draw the screen; the default draws the view tree (see :func:`screen.paint_tree`)."""
        paint_tree(draw, self.view())

    def is_idle(self) -> bool:
        """False while the screen animates or video plays (``uiautomator dump`` waits for idle)."""
        return True

    def finish(self) -> None:
        self.device.activities.finish(self)


Receiver = Callable[[Intent], int]


class App:
    """An installed app: its package, activities, deep-link schemes and receivers."""

    package: ClassVar[str] = ""
    label: ClassVar[str] = ""
    activities: ClassVar[dict[str, type[Activity]]] = {}
    launch_activity: ClassVar[str | None] = None  # short name of the LEANBACK_LAUNCHER activity
    schemes: ClassVar[dict[str, str]] = {}  # deep-link scheme -> short activity name
    apk: ClassVar[str | None] = None
    system: ClassVar[bool] = False

    def __init__(self, device: ActivityHost) -> None:
        self.device = device
        self.pid: int | None = None
        self.uid = 10000 + (zlib.crc32(self.package.encode()) % 200)
        self.receivers: dict[str, Receiver] = {}

    @property
    def running(self) -> bool:
        return self.pid is not None

    def on_process_start(self) -> None:
        """The app's process started (read fault switches, restore state...)."""

    def on_process_stop(self) -> None:
        """The app's process is gone (force-stop)."""

    def resolve(self, intent: Intent) -> type[Activity] | None:
        cls = intent.component_class
        if cls is not None:
            for short, activity in self.activities.items():
                if self.package + short == cls or short == cls:
                    return activity
            return None
        if intent.data and ":" in intent.data:
            scheme = intent.data.split(":", 1)[0]
            if scheme in self.schemes:
                return self.activities[self.schemes[scheme]]
        if intent.action == ACTION_MAIN and self.launch_activity:
            return self.activities[self.launch_activity]
        return None

    def log(self, level: str, tag: str, message: str) -> None:
        """Write a log line from this app's process (starting it if needed)."""
        pid = self.pid if self.pid is not None else self.device.processes.pid_of(self.package)
        self.device.log.write(level, tag, message, pid=pid, tid=pid)


class StartError(Exception):
    """``am start`` could not start anything; the message is Android's."""


class ActivityManager:
    """Tasks, focus, app processes and key routing."""

    def __init__(self, device: ActivityHost) -> None:
        self.device = device
        self.apps: dict[str, App] = {}
        self.tasks: list[list[Activity]] = []  # front task last
        self._task_ids = itertools.count(200)
        self.home_package: str | None = None
        self.focus_listeners: list[Callable[[Activity | None], None]] = []

    # -- apps -----------------------------------------------------------------------------------
    def install(self, app: App, home: bool = False) -> None:
        self.apps[app.package] = app
        self.device.install(app.package, app.apk, system=app.system)
        if home:
            self.home_package = app.package

    def app(self, package: str) -> App | None:
        return self.apps.get(package)

    def ensure_process(self, app: App, reason: str) -> None:
        if app.pid is None:
            app.pid = self.device.processes.allocate()
            self.device.system_log("I", "ActivityManager",
                                   f"Start proc {app.pid}:{app.package}/u0a{app.uid - 10000} for {reason}")
            app.on_process_start()

    # -- focus ----------------------------------------------------------------------------------
    @property
    def top(self) -> Activity | None:
        for task in reversed(self.tasks):
            if task:
                return task[-1]
        return None

    def _set_top(self, before: Activity | None) -> None:
        after = self.top
        if before is after:
            return
        if before is not None and before.resumed:
            before.resumed = False
            before.on_pause()
        if after is not None and not after.resumed:
            after.resumed = True
            after.on_resume()
            self.device.screen.painter = after.paint
        for listener in list(self.focus_listeners):
            listener(after)

    # -- starting and finishing -----------------------------------------------------------------
    def resolve(self, intent: Intent) -> tuple[App, type[Activity]]:
        if CATEGORY_HOME in intent.categories and self.home_package:
            app = self.apps[self.home_package]
            if app.launch_activity:
                return app, app.activities[app.launch_activity]
        package = intent.component_package
        candidates = [self.apps[package]] if package in self.apps else ([] if package else list(self.apps.values()))
        for app in candidates:
            activity = app.resolve(intent)
            if activity is not None:
                return app, activity
        raise StartError(f"Error: Activity not started, unable to resolve {intent.describe()}")

    def start(self, intent: Intent, caller_uid: int = 2000) -> Activity:
        """Start (or bring forward) the activity an intent resolves to, as ``am start`` does."""
        app, activity_cls = self.resolve(intent)
        before = self.top
        intent.flags |= FLAG_ACTIVITY_NEW_TASK
        if not intent.component:
            intent.component = f"{app.package}/{activity_cls.name}"
        self.device.system_log("I", "ActivityManager",
                               f"START u0 {intent.describe(brackets=False)} from uid {caller_uid}")
        self.ensure_process(app, f"activity {app.package}/{activity_cls.name}")
        task = self._task_of(app.package)
        task_existed = bool(task)
        if task is None:
            task = []
            self.tasks.append(task)
        else:
            self.tasks.remove(task)
            self.tasks.append(task)
        existing = next((a for a in task if isinstance(a, activity_cls)), None)
        # A launcher-style intent (MAIN + LAUNCHER/LEANBACK_LAUNCHER/HOME) for a running app brings its
        # task back as it was; a deep link to the activity already on top goes to it (singleTop, as
        # players declare); anything else starts a new instance on top (standard launch mode).
        is_launch = intent.action == ACTION_MAIN and any(
            category in intent.categories for category in (CATEGORY_LAUNCHER, CATEGORY_LEANBACK_LAUNCHER, CATEGORY_HOME))
        if task_existed and is_launch:
            activity = task[-1]
        elif existing is not None and existing is task[-1] and intent.data:
            existing.on_new_intent(intent)
            activity = existing
        else:
            activity = activity_cls(app, intent)
            activity.task_id = task[0].task_id if task else next(self._task_ids)
            task.append(activity)
            activity.on_create()
            self.device.system_log("I", "ActivityManager", f"Displayed {activity.component}: +312ms")
        self._set_top(before)
        return activity

    def _task_of(self, package: str) -> list[Activity] | None:
        return next((task for task in self.tasks if task and task[0].app.package == package), None)

    def finish(self, activity: Activity) -> None:
        before = self.top
        for task in self.tasks:
            if activity in task:
                task.remove(activity)
        self.tasks = [task for task in self.tasks if task]
        if activity.resumed:
            activity.resumed = False
            activity.on_pause()
        if not activity.finished:
            activity.finished = True
            activity.on_destroy()
        if self.top is None:
            self.go_home()
            return
        self._set_top(before if before is not activity else None)

    def go_home(self) -> None:
        """HOME: the launcher's task comes to the front; other tasks stop but stay."""
        if self.home_package is None:
            return
        intent = Intent(action=ACTION_MAIN, categories=[CATEGORY_HOME], flags=0x10200000)
        home = self._task_of(self.home_package)
        if home is None:
            self.start(intent, caller_uid=1000)
            return
        before = self.top
        self.tasks.remove(home)
        self.tasks.append(home)
        home[-1].on_new_intent(intent)
        self._set_top(before)

    def force_stop(self, package: str) -> None:
        app = self.apps.get(package)
        if app is None:
            return
        self.device.system_log("I", "ActivityManager",
                               f"Force stopping {package} appid={app.uid} user=0: from pid {self.device.processes.pid_of('am')}")
        before = self.top
        task = self._task_of(package)
        if task is not None:
            self.tasks.remove(task)
            for activity in reversed(task):
                if activity.resumed:
                    activity.resumed = False
                    activity.on_pause()
                activity.finished = True
                activity.on_destroy()
        if app.pid is not None:
            self.device.system_log("I", "ActivityManager",
                                   f"Killing {app.pid}:{package}/u0a{app.uid - 10000} (adj 0): stop {package}")
            app.pid = None
            app.on_process_stop()
        if self.top is None:
            self.go_home()
        else:
            self._set_top(before if before is not None and not before.finished else None)

    # -- input ----------------------------------------------------------------------------------
    def dispatch_key(self, code: int, longpress: bool) -> None:
        if code == KEY_HOME:
            self.go_home()
            return
        top = self.top
        if top is None:
            return
        if top.on_key(code, longpress):
            return
        if code == KEY_BACK and not (top.app.package == self.home_package and len(self._task_of(top.app.package) or []) <= 1):
            top.finish()

    def dispatch_text(self, text: str) -> None:
        if self.top is not None:
            self.top.on_text(text)

    # -- dumps ----------------------------------------------------------------------------------
    def dump_window(self) -> str:
        """``dumpsys window`` focus lines (real captures: dwaan/homebridge-adb issue #15, JeffLIrion/python-androidtv PR #329)."""
        top = self.top
        lines = ["WINDOW MANAGER WINDOWS (dumpsys window windows)"]
        for index, task in enumerate(reversed(self.tasks)):
            activity = task[-1]
            lines += [f"  Window #{index} {activity.window()}:",
                      f"    mDisplayId=0 stackId={index} mSession=Session{{{_hash_id('s', activity.app.package)} "
                      f"{activity.app.pid or 0}:u0a{activity.app.uid - 10000}}}",
                      f"    mOwnerUid={activity.app.uid} showForAllUsers=false package={activity.app.package} appop=NONE",
                      "    Requested w=1920 h=1080 mLayoutSeq=171",
                      f"    mToken={activity.record()}", ""]
        hardware = self.device.hardware
        focus = top.window() if top is not None else "null"
        if hardware.dreaming:  # the dream's window has focus; the focused app stays the launcher (docs/timing.md)
            focus = f"Window{{{_hash_id('dream')} u0 {DREAM_WINDOW_TITLE}}}"
        elif hardware.in_home_transition():
            # ASSUMPTION: while the launcher animates in after HOME no window has focus yet (AOSP shows
            # mCurrentFocus=null between windows) (settle by: `input keyevent 3; dumpsys window windows` on a stick).
            focus = "null"
        if not self.device.model.window_dump_has_focus:
            # Fire OS 8: no mCurrentFocus/mFocusedApp here (python-androidtv #372); the IME target lines and
            # mObscuringWindow are, in this shape (a Fire TV's `dumpsys window windows | grep -E ...` while
            # Prime Video plays, home-assistant/core #180997:
            # "mInputMethodTarget in display# 0 Window{68fe217 u0 com.amazon.firebat/...IgnitionActivity}").
            target = top.window() if top is not None and focus != "null" else "null"
            lines += [f"  mInputMethodTarget in display# 0 {target}",
                      f"  mInputMethodInputTarget in display# 0 {target}",
                      "  mObscuringWindow=null"]
        elif top is not None:
            lines += [f"  mCurrentFocus={focus}",
                      f"  mFocusedApp=AppWindowToken{{{_hash_id('t', top.record_id)} token=Token{{"
                      f"{_hash_id('k', top.record_id)} {top.record()}}}}}"]
        else:
            lines += [f"  mCurrentFocus={focus}", "  mFocusedApp=null"]
        return "\n".join(lines) + "\n"

    def dump_activities(self) -> str:
        """``dumpsys activity activities`` in the Android 9 layout (a real Fire TV capture, PRProd/HA-Firemote issue #414)."""
        lines = ["ACTIVITY MANAGER ACTIVITIES (dumpsys activity activities)",
                 "Display #0 (activities from top to bottom):", ""]
        for stack_id, task in enumerate(reversed(self.tasks)):
            root = task[0]
            kind = "home" if root.app.package == self.home_package else "standard"
            lines += [f"  Stack #{stack_id}: type={kind} mode=fullscreen", "  isSleeping=false",
                      "  mBounds=Rect(0, 0 - 0, 0)", f"    Task id #{root.task_id}",
                      "    mBounds=Rect(0, 0 - 0, 0)",
                      f"    * TaskRecord{{{_hash_id('task', root.task_id)} #{root.task_id} I={root.component} U=0 "
                      f"StackId={stack_id} sz={len(task)}}}",
                      f"      intent={root.intent.describe(brackets=False)}",
                      f"      realActivity={root.component}",
                      "      Activities=[" + ", ".join(a.record() for a in task) + "]", ""]
            for index, activity in enumerate(reversed(task)):
                lines.append(f"      Hist #{len(task) - 1 - index}: {activity.record()}")
            lines.append("")
            if task[-1].resumed:
                lines.append(f"    mResumedActivity: {task[-1].record()}")
        top = self.top
        lines += ["", f" ResumedActivity: {top.record() if top else 'null'}"]
        return "\n".join(lines) + "\n"
