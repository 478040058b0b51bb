"""`/admin/layout/preview`: a checked studio draft shown on one chosen display for as long as
the studio asks (issue 20, part 3); leaders may preview. Cancel (or an apply) puts the screen
back; no other screen's view changes and the file is not touched. Or, on no screen at all, in
a preview window (`/admin/layout/preview/window/<digest>`) that lasts as long as the draft.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Blueprint, abort, jsonify, render_template, request
from redis.exceptions import RedisError

from opswall.control.actions import ActionError, parse_action
from opswall.i18n import PAGES
from opswall.studio.board_model import board_model
from opswall.studio.preview import draft_config, keep_draft
from opswall.web.bodies import BodyRefused, json_body
from opswall.web.context import WebContext, locale_of, person, web
from opswall.web.layout_studio import checked_draft, verdict

blueprint = Blueprint("layout_preview", __name__)
DIGEST = re.compile(r"^[0-9a-f]{8,64}$")
WINDOW_WORDS = ("studio_window_title", "studio_window_note", "studio_window_ended")


@blueprint.post("/admin/layout/preview")
def start_preview() -> Any:
    """Body: the draft (`base`, `changes`) and the display (`screen`). Sent again while the
    studio stays open, it renews the draft's expiry and changes nothing else."""
    ctx = web()
    try:
        body = json_body()
        _, checked = checked_draft(ctx, body)
    except BodyRefused as exc:
        return jsonify(error=exc.error), exc.status
    if checked.issues or checked.config is None:
        return jsonify(verdict(checked, locale_of(ctx))), 422
    return _act(ctx, body, lambda redis: keep_draft(redis, checked.text))


@blueprint.post("/admin/layout/preview/cancel")
def cancel_preview() -> Any:
    """Body: `screen`. The screen shows the file's layout again."""
    ctx = web()
    try:
        body = json_body()
    except BodyRefused as exc:
        return jsonify(error=exc.error), exc.status
    return _act(ctx, body, lambda _redis: None)


def _act(ctx: WebContext, body: Any, draft: Any) -> Any:
    """Mark (or unmark) the body's screen as previewing what `draft(redis)` stored."""
    screen = body.get("screen") if isinstance(body, dict) else None
    store = ctx.control
    if store is None or ctx.redis is None:
        return jsonify(error="no wall state store (Redis) is configured"), 503
    try:
        action = parse_action({"action": "preview", "screen": screen, "draft": draft(ctx.redis)})
        store.apply(action, person().name, ctx.source.current.config)
    except ActionError as exc:
        return jsonify(error=str(exc)), 400
    except RedisError:
        return jsonify(error="the wall state store (Redis) is not reachable"), 503
    return jsonify(screen=screen, draft=getattr(action, "draft", None))


@blueprint.post("/admin/layout/preview/window")
def window_draft() -> Any:
    """Body: the draft (`base`, `changes`). Kept for a preview window, on no physical screen;
    sent again while the studio stays open, it renews the draft's expiry. Leaders may too."""
    ctx = web()
    try:
        _, checked = checked_draft(ctx, json_body())
    except BodyRefused as exc:
        return jsonify(error=exc.error), exc.status
    if checked.issues or checked.config is None:
        return jsonify(verdict(checked, locale_of(ctx))), 422
    if ctx.redis is None:
        return jsonify(error="no wall state store (Redis) is configured"), 503
    try:
        return jsonify(draft=keep_draft(ctx.redis, checked.text))
    except RedisError:
        return jsonify(error="the wall state store (Redis) is not reachable"), 503


@blueprint.get("/admin/layout/preview/window/<digest>")
def window_page(digest: str) -> Any:
    """The preview window: one layout of a kept draft drawn by the wall page (`/draft/...`,
    framed under the DRAFT banner), until the draft lapses with the studio that renewed it."""
    ctx = web()
    if not DIGEST.match(digest):
        abort(404)
    words = {key: PAGES[key][locale_of(ctx)] for key in WINDOW_WORDS}
    model = {"draft": digest, "screen": request.args.get("screen", ""), "words": words}
    return render_template("layout_window.html", model=json.dumps(model, ensure_ascii=False))


@blueprint.get("/admin/layout/preview/window/<digest>/layout")
def window_layout(digest: str) -> Any:
    """The draft's layout `screen` (its id, title and aspect ratio, for the window to frame
    it); 410 once the draft has lapsed."""
    ctx = web()
    if not DIGEST.match(digest):
        abort(404)
    draft = draft_config(ctx.redis, digest, ctx.source.path, ctx.source.registry)
    if draft is None:
        return jsonify(error="ended"), 410
    layouts = board_model(draft, locale_of(ctx))
    wanted = request.args.get("screen", "")
    layout = next((lay for lay in layouts if lay["id"] == wanted), layouts[0] if layouts else None)
    response = jsonify(layout=layout)
    response.headers["Cache-Control"] = "no-store"
    return response
