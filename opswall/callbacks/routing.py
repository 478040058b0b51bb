"""The one page callback: which page a path shows, re-run when the layout revision changes."""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output

from opswall.config.source import ConfigSource
from opswall.layouts.index import index_page, unknown_screen_page
from opswall.layouts.wall import wall_page
from opswall.settings import Settings


def register(app: Dash, source: ConfigSource, settings: Settings) -> None:
    @app.callback(Output("page", "children"), Input("url", "pathname"), Input("layout-rev", "data"))
    def render_page(pathname: str | None, _layout_rev: Any) -> Any:
        source.refresh()  # a valid edit shows even before the watcher notices it
        snapshot = source.current
        parts = (pathname or "/").strip("/").split("/")
        if len(parts) == 2 and parts[0] == "wall":
            screen = snapshot.config.screen(parts[1])
            if screen is None:
                return unknown_screen_page(snapshot.config, parts[1])
            return wall_page(snapshot, screen, source.registry, settings)
        return index_page(snapshot.config, source.last_error)
