"""`/wall/<screen>?at=<instant>`: the screen as it was (issue 24). The same wall page, rendered
from the config revision, wall state and history of the instant, under a permanent banner that
says REPLAY and when, in the wall's language; its client reads `/api/replay`, never the gateway."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from dash import html

from opswall.auth.principals import Principal
from opswall.clock import now_ms
from opswall.config.models import Locale, WallConfig
from opswall.i18n import MESSAGES, both
from opswall.layouts.index import unknown_screen_page
from opswall.layouts.wall import PageAccess, wall_page
from opswall.replay.core import rebuild
from opswall.replay.instants import parse_instant
from opswall.tiles.base import data
from opswall.web.context import WebContext
from opswall.web.pages import stamp, zone_name
from opswall.web.security import csrf_token

SPEEDS = (1, 2, 5, 10, 30, 60)


def refusal(key: str, detail: str = "") -> html.Div:
    return html.Div(
        f"{detail} — {both(key)}" if detail else both(key),
        className="index-page",
        **data(role="replay-refused"),
    )


def when(config: WallConfig, at_ms: int) -> str:
    """The instant on the wall's clock, in the wall's language, with its zone's name."""
    zone, locale = ZoneInfo(config.wall.timezone), config.wall.locale
    moment = datetime.fromtimestamp(at_ms / 1000, UTC)
    return f"{stamp(moment, zone, locale)} ({zone_name(zone, locale, moment)})"


def banner(config: WallConfig, at_ms: int) -> html.Div:
    # In the wall's language only, as every word of the wall page: the striped banner, the
    # frame and the missing link dot are what no one can mistake for live.
    locale = config.wall.locale
    return html.Div(
        [
            html.Strong(MESSAGES["replay_banner"][locale], className="replay-word"),
            html.Span(MESSAGES["replay_not_live"][locale], className="replay-words"),
            html.Span(when(config, at_ms), className="replay-time", **data(role="replay-time")),
        ],
        className="replay-banner",
        lang=locale,
        **data(
            role="replay-banner",
            tz=config.wall.timezone,
            locale=locale,
            zone=zone_name(ZoneInfo(config.wall.timezone), locale, datetime.now(UTC)),
        ),
    )


def _button(role: str, key: str, locale: Locale) -> html.Button:
    return html.Button(
        MESSAGES[key][locale], type="button", className="replay-button", **data(role=role)
    )


def controls(at_ms: int, speed: int, locale: Locale) -> html.Div:
    return html.Div(
        [
            _button("replay-back", "replay_back", locale),
            _button("replay-play", "replay_play", locale),
            _button("replay-pause", "replay_pause", locale),
            _button("replay-step", "replay_step", locale),
            html.Label(MESSAGES["replay_speed"][locale]),
            html.Select(
                [html.Option(f"{s}x", value=str(s), selected=s == speed) for s in SPEEDS],
                className="replay-speed",
                **data(role="replay-speed"),
            ),
            html.Label(MESSAGES["replay_events"][locale]),
            html.Select([], className="replay-events", **data(role="replay-events")),
        ],
        className="replay-controls",
        lang=locale,
        **data(role="replay-controls", at=str(at_ms)),
    )


def speed_of(search: dict[str, str]) -> int:
    wanted = search.get("speed", "1")
    return int(wanted) if wanted.isdigit() and int(wanted) in SPEEDS else 1


def replay_page(
    ctx: WebContext, who: Principal | None, screen_id: str, search: dict[str, str]
) -> Any:
    """The screen at `search['at']` for a leader or operator; anyone else is refused."""
    if who is None or ctx.identity.person() is None or not who.may("leader"):
        return refusal("replay_refused", f"/wall/{screen_id}?at=")
    live = ctx.source.current.config
    try:
        at_ms = parse_instant(search.get("at", ""), live.wall.timezone)
    except ValueError:
        return refusal("replay_bad_time", search.get("at", "")[:40])
    moment = ctx.replays.moment(at_ms, now_ms())
    if moment is None:
        return refusal("replay_no_config", when(live, at_ms))
    screen = moment.snapshot.config.screen(screen_id)
    if screen is None or not screen.display:
        return unknown_screen_page(live, screen_id)
    result = rebuild(moment, screen, who.clearance)
    access = PageAccess(who, token="", csrf=csrf_token())
    main: Any = wall_page(
        moment.snapshot, screen, result.view, access, ctx.source.registry, ctx.settings
    )
    main.className = f"{main.className} wall-replay"
    setattr(main, "data-replay", str(at_ms))
    setattr(main, "data-replay-limits", json.dumps(result.limits))
    # The frames of the instant come with the page: its client needs no second rebuild.
    setattr(main, "data-replay-frames", json.dumps(result.frames, ensure_ascii=False))
    setattr(main, "data-replay-state-kept", "1" if result.state_kept else "0")
    config = moment.snapshot.config
    return html.Div(
        [banner(config, at_ms), main, controls(at_ms, speed_of(search), config.wall.locale)],
        className="replay-page",
    )
