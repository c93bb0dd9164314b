"""Reference TV's catalog and demo accounts, loaded from ``catalog.yaml`` shipped beside this module (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from firebridge.virtual.personalization.continue_watching import CatalogTitle
from firebridge.virtual.personalization.sdk import ChannelDescriptor, EntitlementType

CATALOG_FILE = Path(__file__).with_name("catalog.yaml")


@dataclass(frozen=True)
class Title:
    """One playable title: a movie, an episode or a live channel."""

    cdf_id: str
    asset_id: str
    name: str
    kind: str  # "movie" | "episode" | "live"
    duration_ms: int
    credits_position_ms: int | None = None
    ad_marks_ms: tuple[int, ...] = ()
    price_buy: str | None = None
    price_rent: str | None = None
    year: int | None = None
    series_id: str | None = None
    series_title: str | None = None
    season: int | None = None
    episode: int | None = None
    next_cdf_id: str | None = None
    channel: ChannelDescriptor | None = None

    @property
    def live(self) -> bool:
        return self.kind == "live"

    @property
    def display_title(self) -> str:
        """What tiles show: ``Night Harbor``, ``The Long Road S1 E2``."""
        if self.kind == "episode":
            return f"{self.series_title} S{self.season} E{self.episode}"
        return self.name

    @property
    def subtitle(self) -> str:
        if self.kind == "episode":
            return f"Season {self.season}, Episode {self.episode}: {self.name}"
        if self.kind == "live":
            return "Live channel"
        return f"Movie ({self.year})" if self.year else "Movie"


@dataclass(frozen=True)
class RemoteProgress:
    """Progress made on another device (an Off-Device event to share)."""

    cdf_id: str
    position_ms: int
    hours_ago: float


@dataclass(frozen=True)
class Profile:
    profile_id: str
    name: str
    watchlist: tuple[str, ...] = ()
    other_devices: tuple[RemoteProgress, ...] = ()


@dataclass(frozen=True)
class Account:
    account_id: str
    email: str
    password: str
    entitlements: tuple[tuple[str, EntitlementType], ...] = ()
    profiles: tuple[Profile, ...] = ()

    def profile(self, profile_id: str) -> Profile | None:
        return next((p for p in self.profiles if p.profile_id == profile_id), None)


@dataclass(frozen=True)
class Settings:
    profile_id_salt: str
    ad_break_ms: int
    loading_ms: int
    seek_step_percent: int


@dataclass(frozen=True)
class Catalog:
    settings: Settings
    titles: dict[str, Title]  # by CDF ID, in catalog order
    shelves: tuple[tuple[str, tuple[str, ...]], ...]  # (shelf name, CDF IDs), as the grid shows them
    accounts: tuple[Account, ...]
    first_account: str | None = None
    first_profile: str | None = None

    def title(self, cdf_id: str) -> Title | None:
        return self.titles.get(cdf_id)

    def account(self, account_id: str | None) -> Account | None:
        return next((a for a in self.accounts if a.account_id == account_id), None)

    def account_by_email(self, email: str) -> Account | None:
        return next((a for a in self.accounts if a.email.lower() == email.strip().lower()), None)

    def catalog_titles(self, scheme: str) -> list[CatalogTitle]:
        """What the app integrated into Fire TV's catalog (CDF IDs, tile titles, series order)."""
        return [CatalogTitle(t.cdf_id, t.display_title, t.duration_ms, f"{scheme}://play/{t.cdf_id}",
                             t.credits_position_ms, t.next_cdf_id, t.live) for t in self.titles.values()]


def _ms(entry: dict[str, Any], key: str) -> int | None:
    value = entry.get(key)
    return None if value is None else int(value)


def parse(data: dict[str, Any]) -> Catalog:
    """Build the catalog from the YAML document."""
    app = data["app"]
    settings = Settings(str(app["profile_id_salt"]), int(app["ad_break_ms"]), int(app["loading_ms"]),
                        int(app["seek_step_percent"]))
    titles: dict[str, Title] = {}
    shelves: list[tuple[str, tuple[str, ...]]] = []
    movies = data.get("movies") or []
    for m in movies:
        price = m.get("price") or {}
        titles[m["cdf_id"]] = Title(m["cdf_id"], str(m["asset_id"]), m["title"], "movie", int(m["duration_ms"]),
                                    _ms(m, "credits_position_ms"), tuple(int(x) for x in m.get("ad_marks_ms") or ()),
                                    price.get("buy"), price.get("rent"), m.get("year"))
    shelves.append(("Movies", tuple(m["cdf_id"] for m in movies)))
    for s in data.get("series") or []:
        episodes = s["episodes"]
        for index, e in enumerate(episodes):
            following = episodes[index + 1]["cdf_id"] if index + 1 < len(episodes) else None
            titles[e["cdf_id"]] = Title(e["cdf_id"], str(e["asset_id"]), e["title"], "episode",
                                        int(e["duration_ms"]), _ms(e, "credits_position_ms"),
                                        tuple(int(x) for x in e.get("ad_marks_ms") or ()), None, None, None,
                                        s["series_id"], s["title"], int(e["season"]), int(e["episode"]), following)
        shelves.append((s["title"], tuple(e["cdf_id"] for e in episodes)))
    live = data.get("live") or []
    for c in live:
        channel = c["channel"]
        titles[c["cdf_id"]] = Title(c["cdf_id"], str(c["asset_id"]), c["title"], "live",
                                    int(c["program_duration_ms"]),
                                    channel=ChannelDescriptor(str(channel["identifier"]),
                                                              int(channel.get("major_number", 0)),
                                                              int(channel.get("minor_number", 0))))
    shelves.append(("Live", tuple(c["cdf_id"] for c in live)))
    accounts = []
    for a in data.get("accounts") or []:
        profiles = tuple(
            Profile(str(p["profile_id"]), p["name"], tuple(p.get("watchlist") or ()),
                    tuple(RemoteProgress(r["cdf_id"], int(r["position_ms"]), float(r["hours_ago"]))
                          for r in p.get("other_devices") or ()))
            for p in a["profiles"])
        entitlements = tuple((e["cdf_id"], EntitlementType[e["type"]]) for e in a.get("entitlements") or ())
        accounts.append(Account(str(a["account_id"]), a["email"], str(a["password"]), entitlements, profiles))
    first = data.get("first_start") or {}
    catalog = Catalog(settings, titles, tuple(shelves), tuple(accounts), first.get("signed_in"), first.get("profile"))
    _check(catalog)
    return catalog


def _check(catalog: Catalog) -> None:
    """Every id the accounts mention must be in the catalog (a typo would look like a wrong CDF ID)."""
    for account in catalog.accounts:
        ids = [cdf for cdf, _ in account.entitlements]
        for profile in account.profiles:
            ids += list(profile.watchlist) + [r.cdf_id for r in profile.other_devices]
        unknown = sorted(set(ids) - set(catalog.titles))
        if unknown:
            raise ValueError(f"{CATALOG_FILE}: account {account.account_id} names unknown titles {unknown}")


@lru_cache(maxsize=None)
def load(path: Path = CATALOG_FILE) -> Catalog:
    """The catalog shipped with the app (parsed once per process)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: device boot stays quick
    return parse(yaml.load(path.read_text(encoding="utf-8"), Loader=loader))
