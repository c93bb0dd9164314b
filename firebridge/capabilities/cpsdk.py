"""The Content Personalization SDK's enums: platform facts shared by the bridge and the virtual device.

Values are the Vega SDK's (``@amazon-devices/kepler-content-personalization``, enumerations.*; see
docs/fire-os.md section 8). Like :mod:`firebridge.platforms.fireos.keycodes`, this is a table both
sides of the wire need, so it lives in one place.
"""

from __future__ import annotations

from enum import IntEnum


class PlaybackState(IntEnum):
    PLAYING = 0
    PAUSED = 1
    EXIT = 2
    INTERSTITIAL = 3


class ContentInteractionType(IntEnum):
    TRAILER_VIEW = 0
    DETAIL_VIEW = 1
    INGRESS = 2
    LIKE = 3
    DISLIKE = 4
    REMOVE = 5


class EntitlementType(IntEnum):
    RECORDING = 0
    PURCHASE = 1
    RENTAL = 2


class CustomerListType(IntEnum):
    WATCHLIST = 0
