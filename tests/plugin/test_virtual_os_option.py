"""``--virtual-os``: which OS a virtual device that selection starts runs (passed to its process)."""

from __future__ import annotations

import pytest

from firebridge.plugin.session import virtual_options
from firebridge.virtual.process import VirtualFireTVProcess

pytest_plugins = ["pytester"]


@pytest.mark.parametrize("value, os_name, vvd", [(None, "fireos", False), ("vega", "vega", False),
                                                  ("vvd", "vega", True)])
def test_virtual_os_reaches_the_device_process(pytester, value, os_name, vvd):
    config = pytester.parseconfig(*(["--virtual-os", value] if value else []))
    options = virtual_options(config)
    assert (options["os"], options["vvd"]) == (os_name, vvd)
    args = VirtualFireTVProcess(**options).args
    assert args[args.index("--os") + 1] == os_name and ("--vvd" in args) == vvd


def test_unknown_virtual_os_is_a_usage_error(pytester):
    with pytest.raises(pytest.UsageError):
        pytester.parseconfig("--virtual-os", "tizen")
