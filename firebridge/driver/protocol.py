"""The driver protocol: what every platform driver offers the layers above it.

A driver turns firebridge's platform-free requests (press these keys, give me the UI tree, stream the
log, start this app) into one platform's commands and parses that platform's answers. Fire OS
(``firebridge.platforms.fireos``) speaks Android's ``input``/``uiautomator``/``logcat``/``am``/``pm``;
Vega OS (``firebridge.platforms.vega``) speaks ``inputd-cli``/the automation toolkit/``loggingctl``/
``vmsgr``/``vlcm``/``vpm``. Both reach the device the same way: an adb transport (:class:`Transport`).

Capabilities (``firebridge.capabilities``) are written against this protocol only; a feature a platform
lacks is declared by :meth:`Driver.supports`, so a test can skip with the driver's reason instead of
failing on a command the device does not have.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Protocol, Sequence, runtime_checkable

from firebridge.errors import FirebridgeError

if TYPE_CHECKING:  # records only; drivers build them
    from firebridge.adb.shell import ShellResult
    from firebridge.driver.notifications import BroadcastResult, IntentExtra, NotificationRecord
    from firebridge.driver.storage import DiskSpace


class Platform(str, Enum):
    """The operating system a Fire TV runs, as the probe found it over the wire."""

    FIRE_OS = "fireos"
    VEGA = "vega"

    def __str__(self) -> str:
        return {"fireos": "Fire OS", "vega": "Vega OS"}[self.value]

    @classmethod
    def named(cls, text: object) -> "Platform | None":
        """The platform a report field names: its value ("vega") or its name ("Vega OS"); None otherwise."""
        return next((p for p in cls if str(text) in (p.value, str(p))), None)


class Feature(str, Enum):
    """Things a test may need that not every device has."""

    PMR = "pmr"                                          # Partner-Managed Rows (Fire OS notifications)
    CONTENT_PERSONALIZATION = "content_personalization"  # Continue Watching from playback events
    HOME_ROWS = "home_rows"                              # a home screen with content rows to read
    PRIVACY_SETTINGS = "privacy_settings"                # the two consents, in the Settings UI
    UI_TREE = "ui_tree"                                  # a readable UI hierarchy
    SCREENSHOT = "screenshot"


@dataclass(frozen=True)
class Support:
    """Whether a device has a :class:`Feature`; when it does not, ``reason`` says why (shown as the skip
    reason, so it must make sense to a lab engineer reading a report)."""

    available: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.available


class Unsupported(FirebridgeError):
    """A driver was asked for something its platform does not have (e.g. notifications on Vega OS).
    Callers that can do without it check :meth:`Driver.supports` first and skip with its reason."""


@dataclass(frozen=True)
class Identity:
    """Who the device is, read from the device itself (never from a model list).

    ``os_version`` is Fire OS's ("7.6.6.8") or Vega OS's (``OS_VERSION`` of ``/etc/os-release``);
    ``details`` holds whatever else the platform offers (fingerprint, BUILD_DESC, API level, ...), shown
    in the pytest header and in reports.
    """

    platform: Platform
    model: str
    os_version: str | None
    manufacturer: str = "Amazon"
    build: str = ""
    details: dict[str, str] = field(default_factory=dict)

    def describe(self) -> str:
        version = f" {self.os_version}" if self.os_version else ""
        return f"{self.model} ({self.platform}{version})"


@runtime_checkable
class Transport(Protocol):
    """How a driver reaches its device: an adb shell (``firebridge.device.FireTV`` is one)."""

    serial: str

    def shell(self, command: str | Sequence[str], timeout: float | None = None) -> "ShellResult":
        """Run a command; never raises on a non-zero exit."""
        ...

    def exec_out(self, command: str | Sequence[str], timeout: float | None = None) -> bytes:
        """Binary-safe output of a command."""
        ...


class Driver(Protocol):
    """One platform's way of doing what firebridge asks of a device.

    Drivers are created by the probe (``firebridge.platforms.probe``) around a :class:`Transport`.
    Every method reaches the device through that transport only; pure parsing lives in the platform's
    own modules so it can be tested on captured output. Key names are firebridge's platform-free names
    (``firebridge.driver.keys``), never a platform's codes.
    """

    platform: Platform
    transport: Transport

    # -- who and what ---------------------------------------------------------------------------
    def identity(self) -> Identity:
        """The device's identity, read once and cached."""
        ...

    def supports(self, feature: Feature) -> Support:
        """Whether this device has ``feature``; the reason when it does not."""
        ...

    # -- remote ---------------------------------------------------------------------------------
    def press(self, keys: Sequence[str]) -> None:
        """Press and release ``keys`` (firebridge key names) in order, in as few device calls as the
        platform allows; raise if the device did not take them."""
        ...

    def long_press(self, key: str) -> None:
        """Hold ``key`` long enough to count as a long press."""
        ...

    def hold(self, key: str, seconds: float) -> str:
        """Hold ``key`` down for ``seconds`` as far as the platform allows; return how it was done
        ("duration" when the key really was held that long, "longpress" when only a long press could be
        sent). Added for ``Remote.hold``."""
        ...

    def type_text(self, text: str) -> None:
        """Type ``text`` into the focused field."""
        ...

    # -- screen ---------------------------------------------------------------------------------
    def ui_tree(self, timeout: float | None = None):  # -> firebridge.driver.ui.UiTree
        """The current UI hierarchy, focus included (retried while the platform reports it busy)."""
        ...

    def screenshot(self) -> bytes:
        """The screen as PNG bytes."""
        ...

    # -- logs -----------------------------------------------------------------------------------
    def log_command(self) -> list[str]:
        """The adb arguments (after ``-s SERIAL``) that stream the device log, one record per line."""
        ...

    def parse_log_line(self, line: str):  # -> firebridge.driver.logrecord.LogRecord | None
        """One streamed log line as a record with ``.message``; None for lines that are not records."""
        ...

    def log_marker(self, tag: str, message: str) -> None:
        """Write ``message`` into the device log under ``tag`` (for marks a test waits on)."""
        ...

    def log_excerpt(self, lines: int = 200) -> str:
        """The last ``lines`` of the device log (failure artifacts)."""
        ...

    def key_log_pattern(self) -> str | None:
        """A regular expression for the log line the platform writes when a key-down is injected (where
        in the log a key landed), or None when the platform logs no such line: then a caller marks the
        log (:meth:`log_marker`) just before pressing."""
        ...

    # -- apps -----------------------------------------------------------------------------------
    def launch(self, package: str, component: str | None = None, wait: bool = False) -> None:
        """Start an app (its launch component unless ``component`` names another); ``wait``: return
        only once the platform reports the start done (Fire OS ``am start -W``)."""
        ...

    def open_link(self, package: str, uri: str, wait: bool = False) -> None:
        """Open a deep link in ``package`` (and only there); ``wait`` as for :meth:`launch`."""
        ...

    def stop(self, package: str) -> None:
        """Stop an app as the system would (force-stop / terminate)."""
        ...

    def foreground_app(self) -> str | None:
        """The package (Fire OS) or component id (Vega) in the foreground, if the device says."""
        ...

    def is_installed(self, package: str) -> bool:
        ...

    def wait_for_focus(self, package: str, timeout: float) -> None:
        """Wait until ``package``'s window has input focus (a start held after HOME, or the HOME
        transition, takes a while on real hardware); raises firebridge.waiting.WaitTimeout."""
        ...

    # -- screensaver ----------------------------------------------------------------------------
    def dismiss_screensaver(self) -> None:
        """End a running screensaver without the key reaching an app (no-op when none runs)."""
        ...

    def prevent_screensaver(self) -> object:
        """Keep the screensaver from starting; returns what :meth:`restore_screensaver` needs."""
        ...

    def restore_screensaver(self, saved: object) -> None:
        """Undo :meth:`prevent_screensaver`."""
        ...

    def open_settings(self, page: str) -> bool:
        """Open a Settings page by firebridge's name for it ("preferences", "privacy"); False if the
        platform has no direct way there (the caller then walks the UI)."""
        ...

    # -- device clock ---------------------------------------------------------------------------
    def device_time_ms(self) -> int:
        """The device's wall clock, milliseconds since the epoch (whole seconds are enough)."""
        ...

    # -- screen power (bench health) --------------------------------------------------------------
    def screen_awake(self) -> tuple[bool | None, str]:
        """Whether the screen is on (None when the device does not say), and what was seen, for the
        health report ("mWakefulness=Asleep")."""
        ...

    def wake(self) -> None:
        """Wake the screen without toggling it off when it is already on."""
        ...

    def free_storage(self) -> "tuple[DiskSpace | None, str]":
        """Free space where apps and their data go (Fire OS: ``/data``), and what was seen when it could
        not be read (for the health report)."""
        ...

    # -- app messages: Fire OS only (Feature.PMR); other platforms raise Unsupported -------------------
    def broadcast(self, component: str, extras: "Sequence[IntentExtra]" = ()) -> "BroadcastResult":
        """Send an explicit broadcast to ``component`` ("pkg/.Receiver") with typed extras and return the
        receiver's result; a result of 0 with no data means no receiver answered."""
        ...

    def notifications(self) -> "list[NotificationRecord]":
        """Every posted notification, unredacted (PMR recommendations are notifications)."""
        ...
