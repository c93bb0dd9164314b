"""The reference streaming app, Reference TV (``com.firebridge.reference``): the app under test on the
virtual Fire TV, with fault switches (``setprop debug.firebridge.fault NAME[,NAME...]``)."""

from __future__ import annotations

from firebridge.virtual.fireos.apps.reference.app import ReferenceApp, install
from firebridge.virtual.reference.faults import FAULTS, PROPERTY
from firebridge.virtual.fireos.apps.reference.ui import PACKAGE

__all__ = ["FAULTS", "PACKAGE", "PROPERTY", "ReferenceApp", "install"]
