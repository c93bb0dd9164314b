"""What the Vega device model knows of an installed app: a lifecycle component (:class:`Component`).

:class:`~firebridge.virtual.vega.device.VegaDevice` keeps its apps by this protocol, so the device model
does not import the apps that run on it (:class:`~firebridge.virtual.vega.apps.VegaApp` satisfies it).
"""

from __future__ import annotations

from typing import Protocol

from firebridge.virtual.vega.uitree import Element


class Component(Protocol):
    """An installed app as the device model, the toolkit and the launcher see it: its identity
    (``<package>.main``, the toolkit's app id and slot), its window, and the lifecycle hooks
    ``vmsgr``/``vlcm``/``inputd-cli`` call."""

    @property
    def package(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def kepler_app_id(self) -> int: ...

    @property
    def slot(self) -> int: ...

    @property
    def component(self) -> str: ...

    def window(self) -> Element: ...

    def on_launch(self, args: dict[str, str]) -> None: ...

    def on_hidden(self) -> None: ...

    def on_terminate(self) -> None: ...

    def on_key(self, key: str) -> None: ...
