"""The reference streaming app, Reference TV (``com.firebridge.reference``): the app under test on the
virtual Fire TV, with fault switches (``setprop debug.firebridge.fault NAME[,NAME...]``)."""

from __future__ import annotations

from .app import ReferenceApp, install
from .faults import FAULTS, PROPERTY
from .ui import PACKAGE

__all__ = ["FAULTS", "PACKAGE", "PROPERTY", "ReferenceApp", "install"]
