"""`/admin/layout/preview`: a checked studio draft shown on one chosen display for as long as
the studio asks (issue 20, part 3); leaders may preview. Cancel (or an apply) puts the screen
back; no other screen's view changes and the file is not touched.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify
from redis.exceptions import RedisError

from opswall.control.actions import ActionError, parse_action
from opswall.studio.preview import keep_draft
from opswall.web.bodies import BodyRefused, json_body
from opswall.web.context import WebContext, person, web
from opswall.web.layout_studio import checked_draft, verdict

blueprint = Blueprint("layout_preview", __name__)


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
        return jsonify(verdict(checked)), 422
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
