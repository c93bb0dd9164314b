"""Reference TV's data: sign-in, profile, watchlists, entitlements, likes and watch progress.

This is what a real app keeps on disk and on its own servers, so it survives the app's process
(``am force-stop`` on Fire OS, ``vlcm terminate-app`` on Vega) and lives as long as the device; both
builds of the app (Fire OS and Vega) keep it in this shape. Progress "from other devices" comes from the
catalog's demo accounts and is stamped relative to the device clock when the app is installed; it is
kept apart from this device's own progress (a title played here does not end the other device's).
"""

from __future__ import annotations

from dataclasses import dataclass

from firebridge.virtual.personalization.sdk import EntitlementType
from firebridge.virtual.reference.catalog import Account, Catalog, Profile

Key = tuple[str, str]  # (account id, profile id)


@dataclass
class Progress:
    position_ms: int
    updated_ms: int  # device epoch ms
    other_device: bool = False  # made on another device (shared as an Off-Device event)
    shared: bool = False  # already shared with Fire TV as an Off-Device event


class AppData:
    """Everything Reference TV remembers between process starts."""

    def __init__(self, catalog: Catalog, now_ms: int) -> None:
        self.catalog = catalog
        self.account_id: str | None = catalog.first_account
        self.profile_id: str | None = catalog.first_profile
        self.last_key: Key | None = self.key  # the last signed-in profile (used by share-after-sign-out)
        self.watchlists: dict[Key, list[str]] = {}
        self.entitlements: dict[str, dict[str, EntitlementType]] = {}
        self.ratings: dict[Key, dict[str, str]] = {}
        self.progress: dict[Key, dict[str, Progress]] = {}  # made on this device
        self.other_devices: dict[Key, dict[str, Progress]] = {}  # made on the household's other devices
        for account in catalog.accounts:
            self.entitlements[account.account_id] = dict(account.entitlements)
            for profile in account.profiles:
                key = (account.account_id, profile.profile_id)
                self.watchlists[key] = list(profile.watchlist)
                self.other_devices[key] = {
                    r.cdf_id: Progress(r.position_ms, now_ms - int(r.hours_ago * 3_600_000), other_device=True)
                    for r in profile.other_devices}

    # -- who is signed in -----------------------------------------------------------------------
    @property
    def signed_in(self) -> bool:
        return self.account_id is not None

    @property
    def key(self) -> Key | None:
        if self.account_id is None or self.profile_id is None:
            return None
        return (self.account_id, self.profile_id)

    @property
    def account(self) -> Account | None:
        return self.catalog.account(self.account_id)

    @property
    def profile(self) -> Profile | None:
        account = self.account
        return account.profile(self.profile_id) if account and self.profile_id else None

    def sign_in(self, account: Account) -> None:
        keep = self.profile_id if self.last_key and self.last_key[0] == account.account_id else None
        self.account_id = account.account_id
        self.profile_id = keep or account.profiles[0].profile_id
        self.last_key = self.key

    def sign_out(self) -> None:
        self.account_id = None
        self.profile_id = None

    def switch_profile(self, profile_id: str) -> None:
        self.profile_id = profile_id
        self.last_key = self.key

    # -- the signed-in profile's data -----------------------------------------------------------
    def watchlist(self, key: Key | None = None) -> list[str]:
        key = key or self.key
        return self.watchlists.setdefault(key, []) if key else []

    def owned(self, account_id: str | None = None) -> dict[str, EntitlementType]:
        account_id = account_id or self.account_id
        return self.entitlements.setdefault(account_id, {}) if account_id else {}

    def rating(self, cdf_id: str) -> str | None:
        return self.ratings.get(self.key, {}).get(cdf_id) if self.key else None

    def rate(self, cdf_id: str, rating: str) -> None:
        if self.key:
            self.ratings.setdefault(self.key, {})[cdf_id] = rating

    def saved_position(self, cdf_id: str) -> int:
        """Where playback resumes: this device's progress, else the other devices'.

        ASSUMPTION: an app resumes where it was left on this device once the title has been played here;
        progress from other devices only seeds titles not played here (so a lab's runs stay repeatable
        while the household's other device keeps moving, see :meth:`unshared_other_device_progress`).
        """
        if self.key is None:
            return 0
        entry = self.progress.get(self.key, {}).get(cdf_id) or self.other_devices.get(self.key, {}).get(cdf_id)
        return entry.position_ms if entry else 0

    def save_position(self, cdf_id: str, position_ms: int, now_ms: int) -> None:
        if self.key is not None:
            self.progress.setdefault(self.key, {})[cdf_id] = Progress(position_ms, now_ms)

    def unshared_other_device_progress(self, key: Key | None = None, now_ms: int | None = None) -> list[tuple[str, Progress]]:
        """Progress from other devices not yet shared with this Fire TV (oldest first).

        ASSUMPTION (a model of the app's backend): someone in the household keeps watching on the other
        device, so progress already shared moves on with device time (by at most a tenth of the title),
        and when it would reach the credits they start the title again. Every later app open then has
        news to share, as seed 000's "Opens app while signed in" expects, night after night on the same
        device, instead of the sync happening a few times per device.
        """
        key = key or self.key
        entries = self.other_devices.get(key, {}) if key else {}
        if now_ms is not None:
            for cdf_id, progress in entries.items():
                title = self.catalog.title(cdf_id)
                if not progress.shared or now_ms - progress.updated_ms < 1_000 or title is None or title.kind == "live":
                    continue
                end = (title.credits_position_ms or int(title.duration_ms * 0.95)) - 60_000
                step = min(now_ms - progress.updated_ms, title.duration_ms // 10)
                position = progress.position_ms + step
                if position >= end:  # finished over there; watched again from the start
                    position = min(step, end - 1)
                entries[cdf_id] = Progress(position, now_ms, other_device=True)
        pending = [(cdf, p) for cdf, p in entries.items() if not p.shared]
        return sorted(pending, key=lambda item: item[1].updated_ms)

    def other_device_progress(self, key: Key) -> dict[str, Progress]:
        """All progress from the household's other devices (for getPlaybackEventsSince)."""
        return self.other_devices.get(key, {})
