"""Reference TV's account screens: the profile picker, the account page and the sign-in form.

- ``reftv://profiles``: "Who's watching?" — one button per profile; SELECT switches to it (seed 000:
  refreshed watchlist + that profile's playback events) and closes the picker.
- ``reftv://account``: "Signed in as EMAIL" with Switch profile / Sign out, or "Not signed in" with
  Sign in. Signing out stops all sharing (seed 000).
- Sign in: EMAIL and PASSWORD fields (``input text``, DEL erases), then the Sign in button (seed 000:
  refreshed entitlements + refreshed watchlist). The demo account is in catalog.yaml:
  ``demo@reftv.example`` / ``firetv123``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from firebridge.platforms.fireos.keycodes import CODE_BY_NAME
from firebridge.virtual.fireos.activities import Activity
from firebridge.virtual.fireos.intents import Intent
from firebridge.virtual.fireos.views import Node
from firebridge.virtual.fireos.apps.reference import ui
from firebridge.virtual.fireos.apps.reference.browse import DOWN, LEFT, RIGHT, SCHEME, SELECT_KEYS, UP, start_uri
from firebridge.virtual.reference import actions

if TYPE_CHECKING:
    from firebridge.virtual.fireos.apps.reference.base import ReferenceAppBase

DEL = CODE_BY_NAME["DEL"]


class ProfilePickerActivity(Activity):
    name = ".ui.ProfilePickerActivity"
    label = "Profiles"
    app: "ReferenceAppBase"

    def __init__(self, app: "ReferenceAppBase", intent: Intent) -> None:
        super().__init__(app, intent)
        profiles = self._profiles()
        current = next((i for i, p in enumerate(profiles) if p.profile_id == app.data.profile_id), 0)
        self.focus = ui.FocusList(current)

    def _profiles(self):
        return actions.profiles(self.app)

    def on_key(self, code: int, longpress: bool) -> bool:
        profiles = self._profiles()
        if code in (LEFT, RIGHT, UP, DOWN):
            self.focus.move(1 if code in (RIGHT, DOWN) else -1, len(profiles))
            return True
        if code in SELECT_KEYS:
            if not profiles:
                start_uri(self, f"{SCHEME}://signin")
                return True
            actions.choose_profile(self.app, profiles[self.focus.index])
            self.finish()
            return True
        return False

    def view(self) -> Node:
        profiles = self._profiles()
        if not profiles:
            return ui.root("profiles_root",
                           ui.text("profiles_title", "Sign in to choose a profile", (96, 120, 1824, 200)),
                           ui.button("sign_in_button", "Sign in", (96, 300, 416, 372), True))
        buttons = [ui.button("profile_button", p.name, (96 + i * 320, 400, 376 + i * 320, 680), self.focus.index == i,
                             selected=p.profile_id == self.app.data.profile_id) for i, p in enumerate(profiles)]
        return ui.root("profiles_root", ui.text("profiles_title", "Who's watching?", (96, 120, 1824, 200)),
                       Node(cls="android.widget.LinearLayout", bounds=(96, 400, 1824, 680),
                            resource_id=ui.rid("profile_list")).add(*buttons))


class AccountActivity(Activity):
    name = ".ui.AccountActivity"
    label = "Account"
    app: "ReferenceAppBase"

    def __init__(self, app: "ReferenceAppBase", intent: Intent) -> None:
        super().__init__(app, intent)
        self.focus = ui.FocusList()
        self.page = actions.AccountPage(app, lambda: start_uri(self, f"{SCHEME}://profiles"),
                                        lambda: start_uri(self, f"{SCHEME}://signin"))

    @property
    def status(self) -> str:
        return self.page.status

    def on_key(self, code: int, longpress: bool) -> bool:
        choices = self.page.actions()
        self.focus.clamp(len(choices))
        if code in (UP, DOWN):
            self.focus.move(1 if code == DOWN else -1, len(choices))
            return True
        if code in SELECT_KEYS:
            chosen = choices[self.focus.index]
            chosen.run()
            if chosen.name == "sign_out":
                self.focus = ui.FocusList()
            return True
        return code in (LEFT, RIGHT)

    def view(self) -> Node:
        choices = self.page.actions()
        self.focus.clamp(len(choices))
        return ui.root(
            "account_root",
            ui.text("account_title", "Account", (96, 120, 1824, 200)),
            ui.text("account_status", self.page.who(), (96, 220, 1824, 270)),
            ui.text("account_profile", self.page.profile_line(), (96, 280, 1824, 330)),
            *[ui.button(f"{action.name}_button", action.label, (96, 400 + i * 96, 536, 472 + i * 96),
                        self.focus.index == i) for i, action in enumerate(choices)],
            ui.text("account_message", self.status, (96, 700, 1824, 750)),
        )


class SignInActivity(Activity):
    name = ".ui.SignInActivity"
    label = "Sign in"
    app: "ReferenceAppBase"
    FIELDS = ("email", "password", "sign_in_submit")

    def __init__(self, app: "ReferenceAppBase", intent: Intent) -> None:
        super().__init__(app, intent)
        self.values = {"email": "", "password": ""}
        self.focus = ui.FocusList()
        self.error = ""

    @property
    def field(self) -> str:
        return self.FIELDS[self.focus.index]

    def on_text(self, text: str) -> None:
        if self.field in self.values:
            self.values[self.field] += text

    def on_key(self, code: int, longpress: bool) -> bool:
        if code in (UP, DOWN):
            self.focus.move(1 if code == DOWN else -1, len(self.FIELDS))
            return True
        if code == DEL and self.field in self.values:
            self.values[self.field] = self.values[self.field][:-1]
            return True
        if code in SELECT_KEYS:
            if self.field in self.values:
                self.focus.move(1, len(self.FIELDS))  # IME "next"
            else:
                self._submit()
            return True
        return False

    def _submit(self) -> None:
        error = actions.sign_in(self.app, self.values["email"], self.values["password"])
        if error:
            self.error = error
            return
        self.finish()

    def view(self) -> Node:
        return ui.root(
            "sign_in_root",
            ui.text("sign_in_title", "Sign in to Reference TV", (96, 120, 1824, 200)),
            ui.edit("email", self.values["email"], "Email", (96, 280, 1016, 352), self.field == "email"),
            ui.edit("password", self.values["password"], "Password", (96, 380, 1016, 452), self.field == "password",
                    password=True),
            ui.button("sign_in_submit", "Sign in", (96, 500, 416, 572), self.field == "sign_in_submit"),
            ui.text("sign_in_error", self.error, (96, 600, 1824, 650)),
        )
