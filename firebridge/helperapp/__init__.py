"""The PMR helper app ``com.firebridge.helper``: its source (smali, manifest, resources), the build
(:mod:`firebridge.helperapp.build`) and the prebuilt, test-key-signed APK shipped as package data.

docs/helper-app.md describes the app, its contract and what was verified.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = "com.firebridge.helper"
HERE = Path(__file__).resolve().parent
#: The APK built by ``firebridge helper build`` from this directory with the test key (package data).
SHIPPED_APK = HERE / "firebridge-helper.apk"
APK_NAME = SHIPPED_APK.name


def shipped_apk() -> Path:
    """The prebuilt helper APK that ships with firebridge."""
    return SHIPPED_APK
