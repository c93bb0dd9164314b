"""Reference TV's screens in its Vega build: the catalog list, a title's detail page, the account page,
the sign-in form and the profile picker, as element trees for the automation toolkit.

What their buttons do is the app's, shared with the Fire OS build
(:mod:`firebridge.virtual.reference.actions`); these classes only draw and route ``inputd-cli`` keys.
Elements carry React Native testIDs in camelCase (``watchlistButton``, ``emailInput``...), which the
toolkit reports as ``test_id`` (a testID the app sets replaces the generated number, as in the
uitree module); each screen's root container is ``<name>Screen`` (``detailScreen``, ``signInScreen``).

Focus: the detail page's buttons and the profile picker are rows (LEFT/RIGHT), the account page and
the sign-in form columns (UP/DOWN). Text typed with ``inputd-cli send_text`` arrives as ``TEXT:<c>``
keys and goes into the focused field; ``KEY_BACKSPACE`` erases.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from firebridge.virtual.reference import actions
from firebridge.virtual.reference.focus import Focus
from firebridge.virtual.reference.reporting import ReferenceHost
from firebridge.virtual.vega.apps import DOWN, LEFT, RIGHT, SELECT, UP, FocusList
from firebridge.virtual.vega.uitree import SCREEN, Element, button, text

if TYPE_CHECKING:
    from firebridge.virtual.reference.catalog import Title

MENU, BACKSPACE = "KEY_MENU", "KEY_BACKSPACE"
TEXT_PREFIX = "TEXT:"  # one character of `inputd-cli send_text` (firebridge.virtual.vega.commands.inputd)


def js_id(name: str) -> str:
    """``cancel_purchase`` -> ``cancelPurchase`` (the JS spelling of a shared action's name)."""
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def clock_text(ms: int) -> str:
    """``1:02:03`` for positions and durations."""
    seconds = max(0, ms) // 1000
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


class NavigationHost(ReferenceHost, Protocol):
    """What the screens need from the app (:class:`firebridge.virtual.vega.reference.ReferenceApp`): what
    the shared actions need, its name and titles, its screen stack and its player."""

    titles: list[Title]

    @property
    def name(self) -> str: ...

    def open(self, screen: Screen) -> None: ...

    def close(self, screen: Screen) -> None: ...

    def play(self, title: Title) -> None: ...


class Screen:
    """One screen of the app's navigation stack."""

    name = "screen"

    def __init__(self, app: NavigationHost) -> None:
        self.app = app

    def on_key(self, key: str) -> None:
        """A key while this screen is on top (BACK is the app's: it closes the screen)."""

    def draw(self) -> Element:
        """The screen's root container (testID ``<name>Screen``)."""
        return Element(0, 0, *SCREEN, test_id=f"{self.name}Screen")


class BrowseScreen(Screen):
    """The catalog as a list of titles: SELECT plays one, MENU opens the account page."""

    name = "browse"

    def __init__(self, app: NavigationHost) -> None:
        super().__init__(app)
        self.list = FocusList([t.display_title for t in app.titles])

    def on_key(self, key: str) -> None:
        if self.list.move(key):
            return
        if key == SELECT and self.app.titles:
            self.app.play(self.app.titles[self.list.index])
        elif key == MENU:
            self.app.open(AccountScreen(self.app))

    def draw(self) -> Element:
        return super().draw().add(text(80, 60, 800, 60, self.app.name), *self.list.elements(80, 160))


class DetailScreen(Screen):
    """A title's detail page (``?detail=<alnum id>``): its buttons are actions.DetailPage's."""

    name = "detail"

    def __init__(self, app: NavigationHost, title: "Title | None") -> None:
        super().__init__(app)
        self.page = actions.DetailPage(app, title, app.play)
        self.focus = Focus()

    def show(self, title: "Title | None") -> None:
        """A deep link to the page already on top: another title (reported), or the same one (nothing)."""
        if self.page.show(title):
            self.focus = Focus()

    def on_key(self, key: str) -> None:
        choices = self.page.actions()
        self.focus.clamp(len(choices))
        if key in (LEFT, RIGHT):
            self.focus.move(1 if key == RIGHT else -1, len(choices))
        elif key == SELECT and choices:
            choices[self.focus.index].run()

    def draw(self) -> Element:
        root = super().draw()
        title = self.page.title
        if title is None:
            return root.add(text(96, 480, 1728, 80, "Title not found", test_id="detailError"))
        choices = self.page.actions()
        self.focus.clamp(len(choices))
        saved = self.page.saved_position()
        progress = (f"{clock_text(saved)} of {clock_text(title.duration_ms)} watched" if saved
                    else clock_text(title.duration_ms))
        return root.add(
            text(96, 120, 1728, 80, title.display_title, test_id="detailTitle"),
            text(96, 210, 1728, 50, title.subtitle, test_id="detailSubtitle"),
            text(96, 270, 1728, 50, progress, test_id="detailProgress"),
            *[button(96 + i * 254, 640, 230, 72, action.label, self.focus.index == i,
                     test_id=f"{js_id(action.name)}Button") for i, action in enumerate(choices)],
            text(96, 760, 1728, 50, self.page.status, test_id="detailStatus"))


class AccountScreen(Screen):
    """``?screen=account``: who is signed in, Switch profile / Sign out, or Sign in."""

    name = "account"

    def __init__(self, app: NavigationHost) -> None:
        super().__init__(app)
        self.page = actions.AccountPage(app, lambda: app.open(ProfilesScreen(app)),
                                        lambda: app.open(SignInScreen(app)))
        self.focus = Focus()

    def on_key(self, key: str) -> None:
        choices = self.page.actions()
        self.focus.clamp(len(choices))
        if key in (UP, DOWN):
            self.focus.move(1 if key == DOWN else -1, len(choices))
        elif key == SELECT:
            chosen = choices[self.focus.index]
            chosen.run()
            if chosen.name == "sign_out":
                self.focus = Focus()

    def draw(self) -> Element:
        choices = self.page.actions()
        self.focus.clamp(len(choices))
        return super().draw().add(
            text(96, 120, 1728, 80, "Account", test_id="accountTitle"),
            text(96, 220, 1728, 50, self.page.who(), test_id="accountStatus"),
            text(96, 280, 1728, 50, self.page.profile_line(), test_id="accountProfile"),
            *[button(96, 400 + i * 96, 440, 72, action.label, self.focus.index == i,
                     test_id=f"{js_id(action.name)}Button") for i, action in enumerate(choices)],
            text(96, 700, 1728, 50, self.page.status, test_id="accountMessage"))


def text_field(x: int, y: int, width: int, height: int, shown: str, focused: bool, field_id: str) -> Element:
    """A focusable text input, role ``edit`` (the role Amazon's "Locator strategies in Appium Vega Driver"
    page selects text fields by, ``{"args": {"role": "edit"}}``), with what it shows as a text child.

    ASSUMPTION: the field's value (or its placeholder, or dots for a password) is its ``<text>`` child,
    as a button's label is in the captured page sources (settle by: getPageSource with a TextInput on
    screen, on a VVD).
    ASSUMPTION: a text field reports the D-pad highlight as the captured app's buttons do,
    ``selectable="true" selected="true"`` with ``focused="false"`` (settle by: getPageSource on a VVD
    with the highlight on a TextInput, before and after the keyboard opens)."""
    return Element(x, y, width, height, role="edit", test_id=field_id, focusable=True, focused=focused,
                   selectable=True).add(text(x + 20, y + 10, width - 40, height - 20, shown))


class SignInScreen(Screen):
    """``?screen=signin``: Email and Password fields, then Sign in. The demo account is in the shared
    catalog (demo@reftv.example / firetv123). A successful sign-in closes the form."""

    name = "signIn"
    FIELDS = ("email", "password", "submit")

    def __init__(self, app: NavigationHost) -> None:
        super().__init__(app)
        self.values = {"email": "", "password": ""}
        self.focus = Focus()
        self.error = ""

    @property
    def field(self) -> str:
        return self.FIELDS[self.focus.index]

    def on_key(self, key: str) -> None:
        if key.startswith(TEXT_PREFIX):
            if self.field in self.values:
                self.values[self.field] += key[len(TEXT_PREFIX):]
        elif key in (UP, DOWN):
            self.focus.move(1 if key == DOWN else -1, len(self.FIELDS))
        elif key == BACKSPACE and self.field in self.values:
            self.values[self.field] = self.values[self.field][:-1]
        elif key == SELECT:
            if self.field in self.values:
                self.focus.move(1, len(self.FIELDS))  # the keyboard's "next"
                return
            error = actions.sign_in(self.app, self.values["email"], self.values["password"])
            if error:
                self.error = error
            else:
                self.app.close(self)

    def draw(self) -> Element:
        password = "•" * len(self.values["password"])
        return super().draw().add(
            text(96, 120, 1728, 80, f"Sign in to {self.app.name}", test_id="signInTitle"),
            text_field(96, 280, 920, 72, self.values["email"] or "Email", self.field == "email", "emailInput"),
            text_field(96, 380, 920, 72, password or "Password", self.field == "password", "passwordInput"),
            button(96, 500, 320, 72, "Sign in", self.field == "submit", test_id="signInSubmit"),
            text(96, 600, 1728, 50, self.error, test_id="signInError"))


class ProfilesScreen(Screen):
    """``?screen=profiles``: "Who's watching?", one button per profile; SELECT switches to it and closes
    the picker. Signed out, it offers Sign in instead."""

    name = "profiles"

    def __init__(self, app: NavigationHost) -> None:
        super().__init__(app)
        current = next((i for i, p in enumerate(actions.profiles(app)) if p.profile_id == app.data.profile_id), 0)
        self.focus = Focus(current)

    def on_key(self, key: str) -> None:
        profiles = actions.profiles(self.app)
        if key in (LEFT, RIGHT, UP, DOWN):
            self.focus.move(1 if key in (RIGHT, DOWN) else -1, len(profiles))
        elif key == SELECT:
            if not profiles:
                self.app.open(SignInScreen(self.app))
                return
            self.focus.clamp(len(profiles))
            actions.choose_profile(self.app, profiles[self.focus.index])
            self.app.close(self)

    def draw(self) -> Element:
        profiles = actions.profiles(self.app)
        root = super().draw()
        if not profiles:
            return root.add(text(96, 120, 1728, 80, "Sign in to choose a profile", test_id="profilesTitle"),
                            button(96, 300, 320, 72, "Sign in", True, test_id="signInButton"))
        self.focus.clamp(len(profiles))
        return root.add(text(96, 120, 1728, 80, "Who's watching?", test_id="profilesTitle"),
                        *[button(96 + i * 320, 400, 280, 280, p.name, self.focus.index == i, test_id="profileButton")
                          for i, p in enumerate(profiles)])


# What ``?screen=<name>`` opens (the values are alphanumeric, as Vega's pkg:// scheme requires).
SCREENS: dict[str, type[Screen]] = {
    "account": AccountScreen, "signin": SignInScreen, "profiles": ProfilesScreen,
}
