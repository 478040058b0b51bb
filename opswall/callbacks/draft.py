"""`/draft/<digest>/<layout>`: one layout of a kept studio draft drawn by the wall page itself
(issue 20), on no physical screen. The studio's preview window frames it under its DRAFT
banner. Its socket is the gateway's `_draft` screen: live data, no view, no device.
"""

from __future__ import annotations

from dash import html

from opswall.config.live import snapshot_of
from opswall.control.views import View
from opswall.gateway.screens import DRAFT
from opswall.i18n import PAGES, catalog
from opswall.layouts.wall import PageAccess, wall_page
from opswall.studio.preview import draft_config
from opswall.tiles.base import data
from opswall.web.context import WebContext
from opswall.web.security import csrf_token


def draft_page(ctx: WebContext, digest: str, layout_id: str) -> html.Main | html.Div:
    """The draft's layout as a wall page; a note once the draft lapsed (or never was)."""
    source = ctx.source
    locale = source.current.config.wall.locale
    who = ctx.identity.person()  # people only: a device token never sees a draft
    if who is None or not who.may("leader"):
        return html.Div(catalog(locale)["not_authorised"], className="index-page")
    draft = draft_config(ctx.redis, digest, source.path, source.registry)
    layout = draft.screen(layout_id) if draft else None
    if draft is None or layout is None:
        ended = PAGES["studio_window_ended"][locale]
        return html.Div(ended, className="index-page", **data(role="draft-ended"))
    # The layout drawn as a screen of its own name: the page's socket asks for the draft's
    # feeds on `_draft`, never for a physical screen (whose view would take the page over).
    screen = layout.model_copy(update={"id": DRAFT})
    access = PageAccess(who, token="", csrf=csrf_token())
    view = View(DRAFT, layout.id)
    return wall_page(snapshot_of(draft), screen, view, access, source.registry, ctx.settings)
