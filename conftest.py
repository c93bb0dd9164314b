"""Root conftest: loads the firebridge plugin for this repository's own runs.

Once firebridge is installed its ``pytest11`` entry point loads the plugin; from a plain checkout
(``PYTHONPATH=.``) this file does.
"""

from importlib.metadata import entry_points

if not any(ep.name == "firebridge" for ep in entry_points(group="pytest11")):
    pytest_plugins = ["firebridge.plugin.pytest_plugin"]
