"""Fire TV Settings, ``com.amazon.tv.settings.v2``: a list of screens, one activity each.

Each screen is a title on the left and a vertical list of items on the right (Leanback guided
steps, as Fire TV settings are built); UP/DOWN move focus, SELECT opens the item's screen or toggles
a checkable item, BACK goes up one level (the ActivityManager finishes the screen) and, from the top
level, leaves the app. The path the seeds name — Settings > Preferences > Privacy Settings > Manage
Sharing from Apps > "Share App Viewing and Content Info" / "Sync Across Devices" — is complete; other
screens list their usual entries but do nothing.

The two sharing toggles are stored in ``settings secure`` under :mod:`..consent`'s keys (the
virtual device's private storage, see that module). Screens read them whenever they are drawn or
dumped, so ``settings put`` while a screen is open shows at once.

Item nodes: the focusable node of an item has resource-id ``action_title`` and the label as text,
and for a toggle ``checkable``/``checked``; its description (``action_description``, as in
docs/fire-os.md section 5) says On/Off.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from firebridge.platforms.fireos.keycodes import CODE_BY_NAME
from firebridge.virtual.personalization import consent
from firebridge.virtual.fireos.activities import Activity, App
from firebridge.virtual.fireos.intents import Intent
from firebridge.virtual.fireos.screen import FOCUS, TEXT, TILE
from firebridge.virtual.fireos.views import Node
from firebridge.virtual.fireos.apps.launcher import fit_text, font, wrap_text

if TYPE_CHECKING:
    from PIL import ImageDraw

    from firebridge.virtual.fireos.system import VirtualDevice

PACKAGE = "com.amazon.tv.settings.v2"
RID = PACKAGE + ":id/"

KEY_UP, KEY_DOWN = CODE_BY_NAME["DPAD_UP"], CODE_BY_NAME["DPAD_DOWN"]
SELECT_KEYS = (CODE_BY_NAME["DPAD_CENTER"], CODE_BY_NAME["ENTER"], CODE_BY_NAME["NUMPAD_ENTER"])

LIST_LEFT, LIST_RIGHT, LIST_TOP, ITEM_HEIGHT = 760, 1860, 90, 105


@dataclass(frozen=True)
class Item:
    """One entry of a settings list: opens a screen (``opens``), toggles a secure key (``setting``),
    or, with neither, does nothing here."""

    label: str
    description: str = ""
    opens: str | None = None  # short activity name
    setting: str | None = None  # secure key of a checkable item ("1" on, "0" off)


class SettingsScreen(Activity):
    """A titled list of items; subclasses set ``name``, ``title``, ``breadcrumb`` and ``items``."""

    title: ClassVar[str] = "Settings"
    breadcrumb: ClassVar[str] = ""
    items: ClassVar[tuple[Item, ...]] = ()
    device: "VirtualDevice"  # the whole system, not only what every activity needs (ActivityHost)

    def on_create(self) -> None:
        self.index = 0

    # -- state --------------------------------------------------------------------------------
    def is_checked(self, item: Item) -> bool:
        return item.setting is not None and self.device.settings["secure"].get(item.setting, "0") == "1"

    def description(self, item: Item) -> str:
        if item.setting is not None:
            return "On" if self.is_checked(item) else "Off"
        return item.description

    def toggle(self, item: Item) -> None:
        assert item.setting is not None
        value = "0" if self.is_checked(item) else "1"
        self.device.settings["secure"][item.setting] = value
        self.device.setting_changed("secure", item.setting, value)

    # -- input --------------------------------------------------------------------------------
    def on_key(self, code: int, longpress: bool) -> bool:
        if code in (KEY_UP, KEY_DOWN):
            step = -1 if code == KEY_UP else 1
            self.index = max(0, min(len(self.items) - 1, self.index + step))
            return True
        if code in SELECT_KEYS:
            item = self.items[self.index]
            if item.setting is not None:
                self.toggle(item)
            elif item.opens is not None:
                # An explicit intent inside the app: the new screen goes on top of this task.
                self.device.activities.start(Intent(component=f"{PACKAGE}/{item.opens}"), caller_uid=self.app.uid)
            return True
        return False  # BACK: the ActivityManager finishes this screen (up one level)

    # -- output -------------------------------------------------------------------------------
    def item_bounds(self, index: int) -> tuple[int, int, int, int]:
        top = LIST_TOP + index * ITEM_HEIGHT
        return (LIST_LEFT, top, LIST_RIGHT, top + ITEM_HEIGHT - 10)

    def view(self) -> Node:
        root = Node(cls="android.widget.FrameLayout", bounds=(0, 0, 1920, 1080))
        # ASSUMPTION: the left pane's ids are Leanback's GuidedStep ids (no Fire TV capture names them).
        guidance = Node(cls="android.widget.RelativeLayout", bounds=(0, 0, 700, 1080), resource_id=RID + "guidance_container")
        if self.breadcrumb:
            guidance.add(Node(cls="android.widget.TextView", bounds=(96, 330, 660, 370),
                              resource_id=RID + "guidance_breadcrumb", text=self.breadcrumb))
        guidance.add(Node(cls="android.widget.TextView", bounds=(96, 380, 660, 572), resource_id=RID + "guidance_title",
                          text=self.title))
        actions = Node(cls="androidx.recyclerview.widget.RecyclerView", bounds=(LIST_LEFT, 0, 1920, 1080),
                       resource_id=RID + "guidedactions_list")
        for i, item in enumerate(self.items):
            l, t, r, b = self.item_bounds(i)
            checkable = item.setting is not None
            container = Node(cls="android.widget.LinearLayout", bounds=(l, t, r, b), resource_id=RID + "action_container")
            container.add(Node(cls="android.widget.CheckedTextView" if checkable else "android.widget.TextView",
                               bounds=(l + 30, t + 12, r - 90, t + 54), resource_id=RID + "action_title", text=item.label,
                               checkable=checkable, checked=self.is_checked(item), clickable=True, focusable=True,
                               focused=i == self.index))
            description = self.description(item)
            if description:
                container.add(Node(cls="android.widget.TextView", bounds=(l + 30, t + 56, r - 90, b - 10),
                                   resource_id=RID + "action_description", text=description))
            actions.add(container)
        return root.add(guidance, actions)

    def paint(self, draw: "ImageDraw.ImageDraw", size: tuple[int, int]) -> None:
        dim = (150, 160, 175)
        draw.rectangle((0, 0, 700, 1080), fill=(12, 16, 22))
        if self.breadcrumb:
            draw.text((96, 330), self.breadcrumb, font=font(28), fill=dim)
        for n, line in enumerate(wrap_text(draw, self.title, 564, 52, 3)):
            draw.text((96, 380 + n * 64), line, font=font(52), fill=TEXT)
        for i, item in enumerate(self.items):
            l, t, r, b = self.item_bounds(i)
            focused = i == self.index
            draw.rectangle((l, t, r, b), fill=(60, 74, 94) if focused else TILE)
            draw.text((l + 30, t + 14), fit_text(draw, item.label, r - l - 130, 34), font=font(34), fill=TEXT)
            description = self.description(item)
            if description:
                draw.text((l + 30, t + 58), description, font=font(24), fill=dim)
            if item.setting is not None:
                box = (r - 70, (t + b) // 2 - 18, r - 34, (t + b) // 2 + 18)
                draw.rectangle(box, outline=TEXT, width=3, fill=FOCUS if self.is_checked(item) else None)
                if self.is_checked(item):
                    draw.line((box[0] + 7, box[1] + 18, box[0] + 15, box[3] - 7, box[2] - 6, box[1] + 7),
                              fill=(20, 20, 20), width=4)
            elif item.opens is not None:
                draw.text((r - 50, (t + b) // 2), "›", font=font(48), fill=dim, anchor="mm")
            if focused:
                draw.rectangle((l - 4, t - 4, r + 4, b + 4), outline=FOCUS, width=5)


# -- the screens ----------------------------------------------------------------------------------
# Activity names from docs/fire-os.md section 3 where a real one is known; the others
# (home, profiles, privacy, sharing) are ASSUMPTIONS in the same naming style.
class SettingsHomeActivity(SettingsScreen):
    name = ".tv.SettingsHomeActivity"
    title = "Settings"
    items = (
        Item("Profiles", "Manage profiles", opens=".tv.profiles.ProfilesActivity"),
        Item("Network", "Connected", opens=".tv.network.NetworkActivity"),
        Item("Display & Sounds", opens=".tv.display_sounds.DisplayAndSoundsActivity"),
        Item("Applications", opens=".tv.applications.ApplicationsActivity"),
        Item("Controllers & Bluetooth Devices", opens=".tv.controllers_bluetooth_devices.ControllersAndBluetoothActivity"),
        Item("Preferences", "Privacy, notifications, parental controls", opens=".tv.preferences.PreferencesActivity"),
        Item("My Fire TV", "About, developer options", opens=".tv.device.DeviceActivity"),
        Item("Accessibility", opens=".tv.accessibility.AccessibilityActivity"),
    )


class ProfilesActivity(SettingsScreen):
    name = ".tv.profiles.ProfilesActivity"
    title, breadcrumb = "Profiles", "Settings"
    items = (Item("Manage Profiles"), Item("Switch Profile"))


class NetworkActivity(SettingsScreen):
    name = ".tv.network.NetworkActivity"
    title, breadcrumb = "Network", "Settings"
    items = (Item("Wired Network", "Connected"), Item("Join Other Network"))


class DisplayAndSoundsActivity(SettingsScreen):
    name = ".tv.display_sounds.DisplayAndSoundsActivity"
    title, breadcrumb = "Display & Sounds", "Settings"
    items = (Item("Display"), Item("Audio"), Item("Screen Mirroring"))


class ApplicationsActivity(SettingsScreen):
    name = ".tv.applications.ApplicationsActivity"
    title, breadcrumb = "Applications", "Settings"
    items = (Item("Manage Installed Applications"), Item("Appstore"))


class ControllersAndBluetoothActivity(SettingsScreen):
    name = ".tv.controllers_bluetooth_devices.ControllersAndBluetoothActivity"
    title, breadcrumb = "Controllers & Bluetooth Devices", "Settings"
    items = (Item("Amazon Fire TV Remotes"), Item("Game Controllers"), Item("Other Bluetooth Devices"))


class PreferencesActivity(SettingsScreen):
    name = ".tv.preferences.PreferencesActivity"
    title, breadcrumb = "Preferences", "Settings"
    items = (
        Item("Parental Controls", "Off"),
        Item("Privacy Settings", opens=".tv.preferences.PrivacySettingsActivity"),
        Item("Data Monitoring", "Off"),
        Item("Notification Settings"),
        Item("Featured Content"),
        Item("Location"),
        Item("Time Zone"),
        Item("Language", "English (United States)"),
    )


class PrivacySettingsActivity(SettingsScreen):
    name = ".tv.preferences.PrivacySettingsActivity"
    title, breadcrumb = "Privacy Settings", "Preferences"
    # ASSUMPTION: the usage-data entries open sub-screens on a real device; here they do nothing.
    items = (
        Item("Device Usage Data"),
        Item("Collect App Usage Data"),
        Item("Manage Sharing from Apps", "Choose what apps can share with Fire TV",
             opens=".tv.preferences.ManageSharingFromAppsActivity"),
        Item("Interest-based Ads"),
    )


class ManageSharingFromAppsActivity(SettingsScreen):
    name = ".tv.preferences.ManageSharingFromAppsActivity"
    title, breadcrumb = "Manage Sharing from Apps", "Privacy Settings"
    # ASSUMPTION: on a device each entry opens a Turn On / Turn Off page (seed 002's "> Turn On");
    # here SELECT toggles the entry in place, as the issue asks.
    items = (
        Item("Share App Viewing and Content Info", setting=consent.SHARE_APP_VIEWING_KEY),
        Item("Sync Across Devices", setting=consent.SYNC_ACROSS_DEVICES_KEY),
    )


class DeviceActivity(SettingsScreen):
    name = ".tv.device.DeviceActivity"
    title, breadcrumb = "My Fire TV", "Settings"
    items = (Item("About"), Item("Developer Options"), Item("Legal & Compliance"))


class AccessibilityActivity(SettingsScreen):
    name = ".tv.accessibility.AccessibilityActivity"
    title, breadcrumb = "Accessibility", "Settings"
    items = (Item("Captions", "Off"), Item("VoiceView", "Off"), Item("Screen Magnifier", "Off"))


SCREENS: tuple[type[SettingsScreen], ...] = (
    SettingsHomeActivity, ProfilesActivity, NetworkActivity, DisplayAndSoundsActivity, ApplicationsActivity,
    ControllersAndBluetoothActivity, PreferencesActivity, PrivacySettingsActivity, ManageSharingFromAppsActivity,
    DeviceActivity, AccessibilityActivity,
)
# Intent actions the app answers (docs/fire-os.md section 3).
ACTIONS = {"com.amazon.device.settings.action.PREFERENCES": PreferencesActivity.name}


class SettingsApp(App):
    package = PACKAGE
    label = "Settings"
    activities = {screen.name: screen for screen in SCREENS}
    launch_activity = SettingsHomeActivity.name
    apk = "/system/priv-app/com.amazon.tv.settings.v2/com.amazon.tv.settings.v2.apk"
    system = True

    def resolve(self, intent: Intent) -> type[Activity] | None:
        found = super().resolve(intent)
        if found is None and intent.component is None and intent.action in ACTIONS:
            return self.activities[ACTIONS[intent.action]]
        return found


def install(device: "VirtualDevice") -> None:
    device.activities.install(SettingsApp(device))
