"""The UI tree (moved): records in :mod:`firebridge.driver.ui`, Fire OS's ``uiautomator dump`` in
:mod:`firebridge.platforms.fireos.uiautomator`. Re-exported here for existing callers."""

from firebridge.driver.ui import Bounds, Matcher, UiDumpError, UiNode, UiTree
from firebridge.platforms.fireos.uiautomator import (DEFAULT_DUMP_PATH, IDLE_ERROR, NULL_ROOT_ERROR, dump,
                                                     dump_command, dump_raw, extract_xml, parse_bounds,
                                                     parse_dump)

__all__ = ["Bounds", "Matcher", "UiDumpError", "UiNode", "UiTree", "DEFAULT_DUMP_PATH", "IDLE_ERROR",
           "NULL_ROOT_ERROR", "dump", "dump_command", "dump_raw", "extract_xml", "parse_bounds", "parse_dump"]
