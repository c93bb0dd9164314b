"""What the customer can do on Reference TV's detail, account, sign-in and profile screens, whatever
platform draws them (app logic; the Fire OS activities and the Vega screens only draw and route keys).

Each screen's buttons are :class:`Action` items named by what they do (``watchlist``, ``like``,
``sign_out``...): the Fire OS build draws one as resource id ``<name>_button``, the Vega build as
testID ``<name>Button`` in camelCase (``cancelPurchaseButton``). Running an action changes the app's
data (:class:`~firebridge.virtual.reference.data.AppData`), makes the SDK calls seed 000 asks for
(:class:`~firebridge.virtual.reference.reporting.Reporter`) and leaves a status line for the screen.
Navigation (play, open the profile picker or the sign-in form) is the platform's, given as callbacks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from firebridge.virtual.personalization.continue_watching import is_finished
from firebridge.virtual.personalization.sdk import ContentInteractionType, EntitlementType

if TYPE_CHECKING:
    from firebridge.virtual.reference.catalog import Profile, Title
    from firebridge.virtual.reference.reporting import ReferenceHost, Reporter


ADDED, REMOVED = "Added to your watchlist", "Removed from your watchlist"
LIKED, DISLIKED = "You liked this", "You disliked this"
ACQUIRED = {EntitlementType.PURCHASE: "Purchased", EntitlementType.RENTAL: "Rented for 48 hours",
            EntitlementType.RECORDING: "Recording scheduled"}
PURCHASE_CANCELLED = "Purchase cancelled"
SIGN_IN_FIRST = "Sign in to use this"
SIGNED_OUT = "You are signed out"
WRONG_CREDENTIALS = "Wrong email or password"


@dataclass(frozen=True)
class Action:
    """One button: what it is called, what it says, what it does, and whether it shows as on."""

    name: str
    label: str
    run: Callable[[], None]
    selected: bool = False


def trailer_status(title: "Title") -> str:
    return f"Playing the trailer of {title.display_title}"


class DetailPage:
    """A title's detail page: Play/Resume, Trailer, Add to/Remove from Watchlist, Like, Dislike, and
    Buy/Rent (Record for a live channel; Owned and Cancel purchase once bought). Watchlist, ratings
    and purchases need a signed-in customer; playing does not."""

    def __init__(self, app: "ReferenceHost", title: "Title | None", play: Callable[["Title"], None]) -> None:
        self.app = app
        self.title = title
        self.status = ""
        self._play = play

    @property
    def reporter(self) -> "Reporter":
        return self.app.reporter

    def opened(self) -> None:
        """The page came up for its title: DETAIL_VIEW (seed 000)."""
        if self.title is not None:
            self.reporter.interaction(self.title, ContentInteractionType.DETAIL_VIEW)

    def show(self, title: "Title | None") -> bool:
        """Show another title (a deep link to the open page); True if it changed (and was reported)."""
        if title is None or title is self.title:
            return False
        self.title, self.status = title, ""
        self.opened()
        return True

    def saved_position(self) -> int:
        title = self.title
        return 0 if title is None or title.live else self.app.data.saved_position(title.cdf_id)

    def actions(self) -> list[Action]:
        title = self.title
        if title is None:
            return []
        data = self.app.data
        saved = self.saved_position()
        resumable = 0 < saved and not is_finished(saved, title.duration_ms, title.credits_position_ms)
        play_label = "Watch live" if title.live else ("Resume" if resumable else "Play")
        listed = title.cdf_id in data.watchlist()
        rating = data.rating(title.cdf_id)
        actions = [Action("play", play_label, lambda: self._play(title))]
        if not title.live:
            actions.append(Action("trailer", "Trailer", self._trailer))
        actions += [Action("watchlist", "Remove from Watchlist" if listed else "Add to Watchlist", self._watchlist,
                           listed),
                    Action("like", "Like", lambda: self._rate("like"), rating == "like"),
                    Action("dislike", "Dislike", lambda: self._rate("dislike"), rating == "dislike")]
        owned = data.owned().get(title.cdf_id)
        if title.live:
            actions.append(Action("record", "Recording" if owned is not None else "Record",
                                  lambda: self._acquire(EntitlementType.RECORDING), owned is not None))
        elif owned is not None:
            actions.append(Action("owned", "Owned" if owned is EntitlementType.PURCHASE else "Rented",
                                  lambda: None, True))
            if owned is EntitlementType.PURCHASE:
                # ASSUMPTION: as on Prime Video ("cancel an accidental purchase"), a purchase can be
                # cancelled from the detail page; the app shares the lost entitlement (seed 000:
                # reportRemovedContentEntitlement). It is what lets a lab buy the same title every night.
                actions.append(Action("cancel_purchase", "Cancel purchase", self._cancel_purchase))
        else:
            if title.price_buy:
                actions.append(Action("buy", f"Buy ${title.price_buy}",
                                      lambda: self._acquire(EntitlementType.PURCHASE)))
            if title.price_rent:
                actions.append(Action("rent", f"Rent ${title.price_rent}",
                                      lambda: self._acquire(EntitlementType.RENTAL)))
        return actions

    def _needs_sign_in(self) -> bool:
        if self.app.data.signed_in:
            return False
        self.status = SIGN_IN_FIRST
        return True

    def _trailer(self) -> None:
        assert self.title is not None
        # ASSUMPTION: the trailer plays inline and is not content playback (no playback events).
        self.status = trailer_status(self.title)
        self.reporter.interaction(self.title, ContentInteractionType.TRAILER_VIEW)

    def _watchlist(self) -> None:
        assert self.title is not None
        if self._needs_sign_in():
            return
        listed = self.app.data.watchlist()
        added = self.title.cdf_id not in listed
        if added:
            listed.insert(0, self.title.cdf_id)
        else:
            listed.remove(self.title.cdf_id)
        self.status = ADDED if added else REMOVED
        self.reporter.watchlist_changed(self.title, added)

    def _rate(self, rating: str) -> None:
        assert self.title is not None
        if self._needs_sign_in():
            return
        self.app.data.rate(self.title.cdf_id, rating)
        self.status = LIKED if rating == "like" else DISLIKED
        kind = ContentInteractionType.LIKE if rating == "like" else ContentInteractionType.DISLIKE
        self.reporter.interaction(self.title, kind)

    def _acquire(self, kind: EntitlementType) -> None:
        assert self.title is not None
        if self._needs_sign_in() or self.title.cdf_id in self.app.data.owned():
            return
        self.app.data.owned()[self.title.cdf_id] = kind
        self.status = ACQUIRED[kind]
        self.reporter.entitlement_added(self.title, kind)

    def _cancel_purchase(self) -> None:
        assert self.title is not None
        if self._needs_sign_in() or self.app.data.owned().get(self.title.cdf_id) is not EntitlementType.PURCHASE:
            return
        del self.app.data.owned()[self.title.cdf_id]
        self.status = PURCHASE_CANCELLED
        self.reporter.entitlement_removed(self.title, EntitlementType.PURCHASE)


class AccountPage:
    """"Signed in as EMAIL" with Switch profile / Sign out, or "Not signed in" with Sign in. Signing
    out stops all sharing (seed 000)."""

    def __init__(self, app: "ReferenceHost", open_profiles: Callable[[], None], open_sign_in: Callable[[], None]) -> None:
        self.app = app
        self.status = ""
        self._open_profiles = open_profiles
        self._open_sign_in = open_sign_in

    def who(self) -> str:
        account = self.app.data.account
        return f"Signed in as {account.email}" if account else "Not signed in"

    def profile_line(self) -> str:
        profile = self.app.data.profile
        return f"Profile: {profile.name}" if profile else ""

    def actions(self) -> list[Action]:
        if self.app.data.signed_in:
            return [Action("switch_profile", "Switch profile", self._open_profiles),
                    Action("sign_out", "Sign out", self._sign_out)]
        return [Action("sign_in", "Sign in", self._open_sign_in)]

    def _sign_out(self) -> None:
        self.app.data.sign_out()
        self.app.debug("signed out: nothing is shared from now on")
        self.status = SIGNED_OUT


def sign_in(app: "ReferenceHost", email: str, password: str) -> str | None:
    """The sign-in form's submit: None when signed in (seed 000: refreshed entitlements and watchlist
    shared), else the error to show."""
    account = app.catalog.account_by_email(email)
    if account is None or account.password != password:
        return WRONG_CREDENTIALS
    app.data.sign_in(account)
    app.debug("signed in")
    app.reporter.on_sign_in()
    return None


def profiles(app: "ReferenceHost") -> "list[Profile]":
    """The profiles the picker offers ("Who's watching?"): the signed-in account's."""
    account = app.data.account
    return list(account.profiles) if account else []


def choose_profile(app: "ReferenceHost", profile: "Profile") -> None:
    """SELECT on a profile in the picker: switch to it (seed 000: its watchlist and its playback not
    shared before); choosing the current one changes nothing."""
    if profile.profile_id == app.data.profile_id:
        return
    app.data.switch_profile(profile.profile_id)
    app.debug(f"profile switched to {profile.name}")
    app.reporter.on_profile_switch()
