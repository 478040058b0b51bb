"""Video panes as the wall screens see them, for the operators' health page.

Each screen reports a pane's state when it changes and every 30 s while it plays
(`POST /wall/<screen>/video-state`); the web app keeps the last report per screen, tile and site
in one Redis hash. A pane whose screen has not reported for `SILENT_AFTER_MS` shows as
`not-reporting`: its browser is closed, asleep or cut off, which an operator needs to know too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, jsonify, request
from redis.exceptions import RedisError

from opswall.clock import now_ms
from opswall.config.models import WallConfig
from opswall.control.state import WallState
from opswall.control.store import ControlStore
from opswall.control.views import candidate_layouts
from opswall.keys import VIDEO_PANES
from opswall.store.redis_client import SyncClient
from opswall.web.bodies import BodyRefused, json_body
from opswall.web.context import web

blueprint = Blueprint("video_states", __name__)

STATES = ("connecting", "live", "no-signal")
SILENT_AFTER_MS = 90_000
PANE_TILES = ("video", "conference")
FORGET_AFTER_MS = 24 * 3600 * 1000


@dataclass(frozen=True)
class PaneHealth:
    screen: str
    tile: str
    site: str
    state: str  # connecting | live | no-signal | not-reporting
    reason: str
    last_live_ms: int | None
    reported_ms: int
    since_ms: int


def screen_layouts(config: WallConfig, screen_id: str, state: WallState) -> list[str]:
    """The layouts display `screen_id` can show: under any scene, or by a leader's focus now."""
    screen = config.screen(screen_id)
    if screen is None or not screen.display:
        return []
    focus = state.focus.get(screen_id)
    return [*candidate_layouts(config, screen), *([focus.layout] if focus else [])]


def plays(config: WallConfig, screen: str, state: WallState, tile: str, site: str) -> bool:
    """True when a layout `screen` can show has a video or conference tile `tile` and `site` is
    a defined site (or the tile's own source, named after the tile)."""
    layouts = [config.screen(layout) for layout in screen_layouts(config, screen, state)]
    found = [t for layout in layouts if layout for t in layout.tiles if t.id == tile]
    if not any(t.type in PANE_TILES for t in found):
        return False
    return site == tile or config.site(site) is not None


def shows_video(config: WallConfig, screen: str) -> bool:
    """Whether a device for `screen` ('*': any) can play anything: who may read /media/."""
    if screen == "*":
        return True
    layouts = [config.screen(layout) for layout in screen_layouts(config, screen, WallState())]
    return any(t.type in PANE_TILES for layout in layouts if layout for t in layout.tiles)


def parse_report(body: Any) -> dict[str, Any]:
    """A screen's report, checked field by field; raises ValueError naming what is wrong."""
    if not isinstance(body, dict):
        raise ValueError("send a JSON object")
    tile, site, state = body.get("tile"), body.get("site"), body.get("state")
    if not isinstance(tile, str) or not isinstance(site, str):
        raise ValueError("tile and site are strings")
    if not 0 < len(tile) <= 64 or not 0 < len(site) <= 64:
        raise ValueError("tile and site are ids of 1 to 64 characters")
    if state not in STATES:
        raise ValueError(f"state is one of {', '.join(STATES)}")
    last_live = body.get("last_live")
    if last_live is not None and not isinstance(last_live, int | float):
        raise ValueError("last_live is epoch milliseconds or null")
    reason = body.get("reason") or ""
    return {
        "tile": tile,
        "site": site,
        "state": state,
        "reason": str(reason)[:200],
        "last_live": int(last_live) if last_live is not None else None,
    }


def record(client: SyncClient, screen: str, report: dict[str, Any], now_ms: int) -> None:
    field = f"{screen}/{report['tile']}/{report['site']}"
    before = client.hget(VIDEO_PANES, field)
    since = now_ms
    if before:
        previous = json.loads(before)
        if previous.get("state") == report["state"]:
            since = int(previous.get("since", now_ms))
    client.hset(VIDEO_PANES, field, json.dumps({**report, "reported": now_ms, "since": since}))


def panes(client: SyncClient, now_ms: int) -> list[PaneHealth]:
    found: list[PaneHealth] = []
    for field, raw in client.hgetall(VIDEO_PANES).items():
        screen, tile, site = str(field).split("/", 2)
        item = json.loads(raw)
        reported = int(item["reported"])
        if now_ms - reported > FORGET_AFTER_MS:
            client.hdel(VIDEO_PANES, field)
            continue
        silent = now_ms - reported > SILENT_AFTER_MS
        found.append(
            PaneHealth(
                screen,
                tile,
                site,
                "not-reporting" if silent else item["state"],
                item.get("reason", ""),
                item.get("last_live"),
                reported,
                int(item.get("since", reported)),
            )
        )
    order = {"no-signal": 0, "not-reporting": 1, "connecting": 2, "live": 3}
    return sorted(found, key=lambda p: (order[p.state], p.screen, p.tile, p.site))


@blueprint.post("/wall/<screen>/video-state")
def video_state(screen: str) -> Any:
    ctx = web()
    client = ctx.redis
    # The guard has checked this page may show `screen` (device token or person).
    if not request.is_json:
        abort(415)
    try:
        report = parse_report(json_body())
    except BodyRefused as exc:
        return jsonify(error=exc.error), exc.status
    except ValueError as exc:
        return jsonify(error=str(exc)), 400
    if client is None:
        abort(503)
    try:
        state = ControlStore(client).read()
        if not plays(ctx.source.current.config, screen, state, report["tile"], report["site"]):
            return jsonify(error=f"screen '{screen}' shows no such video pane"), 404
        record(client, screen, report, now_ms())
    except RedisError:
        abort(503)
    return "", 204
