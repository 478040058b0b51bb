"""`/`: the list of screens, for whoever sets up the wall PCs."""

from __future__ import annotations

from dash import dcc, html

from opswall.config.models import Locale, WallConfig
from opswall.errors import WallConfigError
from opswall.i18n import message


def index_page(config: WallConfig, rejected: WallConfigError | None) -> html.Main:
    locale: Locale = config.wall.locale
    cards = [
        dcc.Link(
            [
                html.Div(screen.title.get(locale), className="screen-card-title"),
                html.Div(
                    f"/wall/{screen.id} · {screen.grid.cols}×{screen.grid.rows} · "
                    f"{len(screen.tiles)} {message('tiles', locale)}",
                    className="screen-card-meta",
                ),
            ],
            href=f"/wall/{screen.id}",
            className="screen-card",
            refresh=True,
        )
        for screen in config.displays()
    ]
    problems = []
    if rejected is not None:
        problems = [html.Pre(str(rejected), className="config-rejected")]
    return html.Main(
        [
            html.H1(config.wall.name.get(locale)),
            html.Div(
                [
                    html.A(label, href=href, className="index-link")
                    for label, href in (
                        ("Điều hành · Panel", "/control"),
                        ("Mã thiết bị · Device tokens", "/admin/tokens"),
                        ("Nhật ký · Audit", "/admin/audit"),
                    )
                ],
                className="index-links",
            ),
            html.H2(message("screens", locale)),
            *problems,
            html.Div(cards, className="screen-cards"),
        ],
        className=f"index-page theme-{config.wall.theme}",
    )


def unknown_screen_page(config: WallConfig, screen_id: str) -> html.Main:
    locale: Locale = config.wall.locale
    return html.Main(
        [
            html.H1(f"{message('unknown_screen', locale)}: {screen_id}"),
            dcc.Link("←", href="/", refresh=True),
        ],
        className=f"index-page theme-{config.wall.theme}",
    )
