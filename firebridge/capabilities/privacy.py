"""The two consents Continue Watching depends on, read and set through the Settings UI.

Settings > Preferences > Privacy Settings > Manage Sharing from Apps > "Share App Viewing and Content
Info" and "Sync Across Devices" (seed 002, "Set up your device"). No public ``settings`` key or intent
reaches these toggles, so firebridge reads and sets them the way a person does: with the remote,
checking the result on screen afterwards.

The walk starts at Preferences where the driver can open it directly (``open_settings("preferences")``:
on Fire OS the settings app's Preferences action, docs/fire-os.md section 3); a
device where that does not work is walked to from the launcher's settings gear instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

from firebridge.errors import FirebridgeError
from firebridge.capabilities.remote import Key, Remote
from firebridge.device.resolve import driver_for
from firebridge.driver.ui import UiNode, UiTree
from firebridge.waiting import wait_until

SHARE_APP_VIEWING = "Share App Viewing and Content Info"
SYNC_ACROSS_DEVICES = "Sync Across Devices"
TOGGLES = (SHARE_APP_VIEWING, SYNC_ACROSS_DEVICES)
PATH = ("Privacy Settings", "Manage Sharing from Apps")
# Selecting the launcher's Settings tile starts an app: it is on screen some time later (Vega's certification
# targets allow 8 s to fully drawn on a cold start, "Vega App Performance Certification Guidebook - App
# Latency"), so the walk waits for it instead of reading the launcher again.
SETTINGS_START_S = 30.0


class PrivacySettingError(FirebridgeError):
    """A consent toggle could not be found, read or set."""


@dataclass(frozen=True)
class Consent:
    """The two consent toggles of Settings > Privacy Settings > Manage Sharing from Apps, as read from
    the device: Share App Viewing and Content Info (``share_app_viewing``) and Sync Across Devices
    (``sync_across_devices``). The ``privacy`` fixture reads and sets them and puts them back after a test."""

    share_app_viewing: bool
    sync_across_devices: bool

    @property
    def continue_watching_enabled(self) -> bool:
        return self.share_app_viewing and self.sync_across_devices

    def as_dict(self) -> dict[str, bool]:
        return {SHARE_APP_VIEWING: self.share_app_viewing, SYNC_ACROSS_DEVICES: self.sync_across_devices}


def _toggle(tree: UiTree, label: str) -> UiNode | None:
    node = tree.find(text=label)
    if node is None:
        return None
    # The checkable state may sit on the label itself or on its row container.
    for candidate in [node, *node.ancestors()]:
        if candidate.checkable:
            return candidate
    return None


def _consent_pages(tree: UiTree) -> bool:
    """Both consents listed as entries that open their own pages (no checkable state on the list)."""
    return all(tree.find(text=label) is not None for label in TOGGLES)


def _page_state(tree: UiTree) -> bool | None:
    """The state a consent's own page shows (a text "On" or "Off" beside Turn On / Turn Off); None
    elsewhere (pure)."""
    if tree.find(text="Turn On") is None or tree.find(text="Turn Off") is None:
        return None
    if tree.find(text="On") is not None:
        return True
    if tree.find(text="Off") is not None:
        return False
    return None


def parse_consent(tree: UiTree) -> Consent | None:
    """Both toggles' states from a dump of the Manage Sharing from Apps screen; None elsewhere (pure)."""
    share, sync = _toggle(tree, SHARE_APP_VIEWING), _toggle(tree, SYNC_ACROSS_DEVICES)
    if share is None or sync is None:
        return None
    return Consent(share.checked, sync.checked)


class Privacy:
    """Reads and sets the consents of one device through its Settings UI."""

    def __init__(self, device: Any, remote: Remote | None = None) -> None:
        """``device``: a driver, a ``FireTV`` or a transport (see :class:`Remote`)."""
        self.driver = remote.driver if remote is not None else driver_for(device)
        self.remote = remote or Remote(self.driver)

    def _open_manage_sharing(self) -> UiTree:
        if not self.driver.open_settings("preferences"):
            self.remote.press(Key.HOME)
            # Fire OS's launcher labels its gear icon with a content description; a launcher that shows
            # a "Settings" tile (Vega's) labels it with text.
            gear = {"content_desc": "Settings"} if self.remote.read_ui().find(content_desc="Settings") else \
                {"text": "Settings"}
            self.remote.navigate_to(**gear)
            self.remote.press(Key.SELECT)
            wait_until(lambda: self.remote.read_ui().find(text="Preferences"), SETTINGS_START_S,
                       "the Settings app to show Preferences after selecting its tile", interval=0.1)
            self.remote.navigate_to(text="Preferences")
            self.remote.press(Key.SELECT)
        for label in PATH:
            self.remote.navigate_to(text=label)
            self.remote.press(Key.SELECT)
        tree = wait_until(lambda: self._screen_with_toggles(), 15, "the Manage Sharing from Apps screen")
        return tree

    def _screen_with_toggles(self) -> UiTree | None:
        tree = self.driver.ui_tree()
        if parse_consent(tree) is not None or _consent_pages(tree):
            return tree
        return None

    # A Settings app that gives each consent its own page ("Turn On" / "Turn Off" and the state shown as
    # "On" or "Off"; the virtual Vega's Settings, firebridge/virtual/vega/apps.py) instead of two checkable
    # rows. ASSUMPTION: Vega's Settings shows the consents that way (no public capture of Vega's
    # privacy pages; settle by: the toolkit page source of Manage Sharing from Apps on a stick).
    def _page_state(self, label: str) -> bool:
        """Open ``label``'s page and read its state (leaves the page open)."""
        self.remote.navigate_to(text=label)
        self.remote.press(Key.SELECT)
        tree = wait_until(lambda: self._page_with_state(), 10, f"the {label!r} page with its On/Off state")
        return _page_state(tree)

    def _page_with_state(self) -> UiTree | None:
        tree = self.driver.ui_tree()
        return tree if _page_state(tree) is not None else None

    def _read_pages(self) -> Consent:
        states = []
        for label in TOGGLES:
            states.append(self._page_state(label))
            self.remote.press(Key.BACK)
            wait_until(lambda: self._screen_with_toggles(), 10, "the Manage Sharing from Apps screen")
        return Consent(*states)

    def _set_pages(self, wanted: dict[str, bool | None]) -> Consent:
        states = []
        for label in TOGGLES:
            current = self._page_state(label)
            state = wanted[label]
            if state is not None and current != state:
                self.remote.navigate_to(text="Turn On" if state else "Turn Off")
                self.remote.press(Key.SELECT)
                wait_until(lambda: (lambda t: t if _page_state(t) == state else None)(self.driver.ui_tree()), 10,
                           f"{label!r} to turn {'on' if state else 'off'}")
                current = state
            states.append(current)
            self.remote.press(Key.BACK)
            wait_until(lambda: self._screen_with_toggles(), 10, "the Manage Sharing from Apps screen")
        return Consent(*states)

    def read(self) -> Consent:
        """The current state of both toggles (leaves the device on the home screen)."""
        try:
            tree = self._open_manage_sharing()
            consent = parse_consent(tree) or self._read_pages()
        finally:
            self.remote.press(Key.HOME)
        assert consent is not None
        return consent

    def set(self, share_app_viewing: bool | None = None, sync_across_devices: bool | None = None) -> Consent:
        """Turn the toggles on or off (None leaves one as it is); verified on screen, then HOME."""
        wanted = {SHARE_APP_VIEWING: share_app_viewing, SYNC_ACROSS_DEVICES: sync_across_devices}
        try:
            tree = self._open_manage_sharing()
            if parse_consent(tree) is None:
                consent = self._set_pages(wanted)
                tree = None
            for label, state in (wanted.items() if tree is not None else ()):
                if state is None or _toggle(tree, label).checked == state:
                    continue
                self.remote.navigate_to(text=label)
                self.remote.press(Key.SELECT)
                tree = wait_until(lambda: self._toggle_is(label, state), 10,
                                  f"{label!r} to turn {'on' if state else 'off'}")
            if tree is not None:
                consent = parse_consent(tree)
        finally:
            self.remote.press(Key.HOME)
        assert consent is not None
        for label, state in wanted.items():
            if state is not None and consent.as_dict()[label] != state:
                raise PrivacySettingError(f"{label!r} is still {'on' if not state else 'off'} after SELECT")
        return consent

    def _toggle_is(self, label: str, state: bool) -> UiTree | None:
        tree = self.driver.ui_tree()
        node = _toggle(tree, label)
        return tree if node is not None and node.checked == state else None

    def enable_continue_watching(self) -> Consent:
        return self.set(True, True)

    def restore(self, consent: Consent) -> None:
        self.set(consent.share_app_viewing, consent.sync_across_devices)


def read_consent(device: Any) -> dict[str, bool]:
    """For ``firebridge doctor``: the toggles by name."""
    return Privacy(device).read().as_dict()


def preserved(privacy: Privacy) -> Iterator[Privacy]:
    """Generator for a fixture: yields ``privacy`` and puts the original consent back afterwards."""
    original = privacy.read()
    try:
        yield privacy
    finally:
        privacy.restore(original)
