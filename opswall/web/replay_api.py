"""The time machine's API (issue 24): a screen rebuilt at an instant, and the events a replay
can jump to. For signed-in leaders and operators (`access.NEEDS`: /api/ is for people; device
tokens never reach it); read from the history database only, never from Redis."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import Blueprint, abort, jsonify, request

from opswall.clock import now_ms
from opswall.i18n import both
from opswall.replay.core import rebuild, screen_feeds, span
from opswall.replay.events import events
from opswall.replay.instants import parse_instant
from opswall.web.context import WebContext, person, web

blueprint = Blueprint("replay", __name__)

EVENTS_SPAN_MS = 24 * 3600 * 1000  # events around the instant a replay page lists


class Refusal(Exception):
    def __init__(self, key: str, status: int) -> None:
        super().__init__(key)
        self.key, self.status = key, status


@blueprint.errorhandler(Refusal)
def refused(exc: Refusal) -> Any:
    return jsonify({"error": both(exc.key), "key": exc.key}), exc.status


def instant(ctx: WebContext, name: str = "at") -> int:
    try:
        return parse_instant(request.args.get(name, ""), ctx.source.current.config.wall.timezone)
    except ValueError:
        raise Refusal("replay_bad_time", 400) from None


def rebuilt(ctx: WebContext, screen_id: str, at_ms: int, cleared: bool) -> dict[str, Any] | None:
    """The screen at `at_ms` as the page applies it; None: no config revision by then."""
    moment = ctx.replays.moment(at_ms, now_ms())
    if moment is None:
        return None
    screen = moment.snapshot.config.screen(screen_id)
    if screen is None or not screen.display:
        abort(404)
    result = rebuild(moment, screen, cleared)
    return {
        "at": at_ms,
        "frames": result.frames,
        "fresh": result.fresh,
        "limits": result.limits,
        "state_kept": result.state_kept,
        "view": asdict(result.view) | {"key": result.view.key},
        "feeds": sorted(screen_feeds(moment.snapshot.config, screen_id, result.view, cleared)),
    }


@blueprint.get("/api/replay/<screen>")
def replay_screen(screen: str) -> Any:
    ctx, who = web(), person()
    at_ms = instant(ctx)
    if "since" in request.args:
        return jsonify(played(ctx, screen, instant(ctx, "since"), at_ms, who.clearance))
    found = rebuilt(ctx, screen, at_ms, who.clearance)
    if found is None:
        raise Refusal("replay_no_config", 404)
    return jsonify(found)


SPAN_MS = 15 * 60 * 1000  # the most one span covers (60x played 5 s ahead is 5 minutes)


def played(ctx: WebContext, screen_id: str, since_ms: int, at_ms: int, cleared: bool) -> Any:
    """The frames between two instants, each stamped with when it applies (`core.span`)."""
    if not 0 < at_ms - since_ms <= SPAN_MS:
        raise Refusal("replay_bad_time", 400)
    moment = ctx.replays.moment(at_ms, now_ms(), since_ms)
    if moment is None:
        raise Refusal("replay_no_config", 404)
    screen = moment.snapshot.config.screen(screen_id)
    if screen is None or not screen.display:
        abort(404)
    frames = span(moment, screen, cleared, since_ms)
    # Read on from the config change (the page reloads there), else from the span's end.
    return {"at": moment.config_at or at_ms, "since": since_ms, "frames": frames}


@blueprint.get("/api/replay/events")
def replay_events() -> Any:
    ctx = web()
    person()
    at_ms = instant(ctx)
    return jsonify(events(ctx.db, at_ms - EVENTS_SPAN_MS, at_ms + EVENTS_SPAN_MS))
