"""The leader's panel (`/control`) and its API: one-time websocket tickets, control actions.

Every action is applied atomically to the shared wall state (`ControlStore`) and audited;
acknowledging a warning goes through the warnings service, which also records the step.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from flask import Blueprint, abort, jsonify, render_template, session
from redis.exceptions import RedisError

from opswall import keys
from opswall.auth import audit
from opswall.auth.principals import Principal
from opswall.control.actions import LEADER_ACTIONS, ActionError
from opswall.control.state import WallState
from opswall.web.bodies import BodyRefused, json_body
from opswall.web.context import WebContext, locale_of, person, web
from opswall.web.panel import panel_model
from opswall.web.security import csrf_token, origin

blueprint = Blueprint("control", __name__)

TICKET_TTL = 60


@blueprint.get("/control")
def control_page() -> Any:
    ctx, who = web(), person()
    locale = locale_of(ctx)
    model = panel_model(ctx.source.current.config, who, locale)
    return render_template(
        "control.html",
        model=json.dumps(model, ensure_ascii=False),
        csrf=csrf_token(),
        gateway=ctx.settings.browser_gateway(),
        locale=locale,
        who=who,
    )


@blueprint.post("/api/ticket")
def ticket() -> Any:
    """A one-time pass for this person's next websocket (panel, or a screen preview)."""
    ctx, who = web(), person()
    if ctx.redis is None:
        abort(503)
    value = secrets.token_urlsafe(24)
    # The session's digest comes along: the gateway cuts the socket once it ends.
    sid = str(session.get("sid", ""))
    grant = {
        "name": who.name,
        "role": who.role,
        "clearance": who.clearance,
        "session": ctx.identity.sessions.digest(sid) if sid else "",
    }
    try:
        ctx.redis.set(keys.ticket(value), json.dumps(grant), ex=TICKET_TTL)
    except RedisError:
        abort(503)
    return jsonify(ticket=value)


@blueprint.post("/api/control")
def control_action() -> Any:
    ctx, who = web(), person()
    try:
        action = json_body()
    except BodyRefused as exc:
        return jsonify(error=exc.error), exc.status
    if not isinstance(action, dict) or action.get("action") not in LEADER_ACTIONS:
        return jsonify(error=f"action must be one of {', '.join(LEADER_ACTIONS)}"), 400
    try:
        before, after = _apply(ctx, action, who)
    except ActionError as exc:
        return jsonify(error=str(exc)), 400
    except RedisError:
        return jsonify(error="the wall state store (Redis) is unreachable"), 503
    detail = {k: v for k, v in action.items() if k != "action"}
    name = f"control.{action['action']}"
    audit.record(ctx.db, who, name, _target(action), detail, origin=origin())
    return jsonify(version=after.version, changed=after is not before)


def _apply(ctx: WebContext, action: dict[str, Any], who: Principal) -> tuple[WallState, WallState]:
    config = ctx.source.current.config
    store, warnings = ctx.control, ctx.warnings
    if store is None or warnings is None:
        abort(503)
    if action["action"] == "ack":
        return warnings.acknowledge(action, who.name, config)
    return store.apply(action, who.name, config)


def _target(action: dict[str, Any]) -> str:
    for key in ("scene", "screen", "warning", "var"):
        if action.get(key):
            return str(action[key])
    return ""
