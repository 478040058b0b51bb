"""The app shell: routing state plus the page container the router fills."""

from __future__ import annotations

from dash import dcc, html


def shell() -> html.Div:
    return html.Div(
        [
            dcc.Location(id="url", refresh=False),
            # Set by the browser client when the gateway announces a new layout revision.
            dcc.Store(id="layout-rev"),
            html.Div(id="page"),
        ],
        id="opswall",
    )
