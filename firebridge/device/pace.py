"""The device pace (moved to :mod:`firebridge.driver.pace`, where drivers can use it); re-exported here."""

from firebridge.driver.pace import DUMP_CALLS, DevicePace, measure_pace, pace_of

__all__ = ["DUMP_CALLS", "DevicePace", "measure_pace", "pace_of"]
