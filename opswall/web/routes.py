"""Every page and API of the web process, one blueprint per concern, registered in one place.

`access` comes first: its guard decides who may use each path before Flask dispatches.
"""

from __future__ import annotations

from flask import Blueprint, Flask

from opswall.config.models import Locale
from opswall.web import (
    access,
    audit_trail,
    control_api,
    layout_history,
    layout_preview,
    layout_studio,
    operations,
    pages,
    people,
    producers,
    replay_api,
    screens,
    sign_in,
    tokens,
    video_states,
)
from opswall.web.context import WebContext

BLUEPRINTS: tuple[Blueprint, ...] = (
    access.blueprint,  # the guard: before every request of the app
    sign_in.blueprint,  # /login, /logout, /setup/<token>
    control_api.blueprint,  # /control, /api/ticket, /api/control
    tokens.blueprint,  # /admin/tokens
    people.blueprint,  # /admin/users
    audit_trail.blueprint,  # /admin/audit
    layout_studio.blueprint,  # /admin/layout, its check and apply
    layout_preview.blueprint,  # /admin/layout/preview: a draft on one screen
    layout_history.blueprint,  # /admin/layout/history, rollback
    producers.blueprint,  # /api/feeds/<feed>/entries, /api/reports
    operations.blueprint,  # /admin/feeds, /metrics
    screens.blueprint,  # /admin/screens (the screen fleet)
    video_states.blueprint,  # /wall/<screen>/video-state
    replay_api.blueprint,  # /api/replay/<screen>, /api/replay/events (issue 24)
)


def register(server: Flask, ctx: WebContext) -> None:
    ctx.install(server)
    pages.install(server, lambda: wall_clock(ctx))
    for blueprint in BLUEPRINTS:
        server.register_blueprint(blueprint)


def wall_clock(ctx: WebContext) -> tuple[Locale, str]:
    """The language and time zone pages write dates in: the live config's."""
    wall = ctx.source.current.config.wall
    return wall.locale, wall.timezone
