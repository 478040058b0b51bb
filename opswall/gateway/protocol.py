"""The screen protocol: JSON text frames between the gateway and a wall screen.

client -> gateway   {"type": "hello", "rev": "<page revision>", "last": {"<feed>": "<id>"},
                     "feeds": ["<feed>", ...], "token": "<device token>" | "ticket": "<ticket>"}
                    {"type": "sub", "feeds": [...], "last": {...}}   (the page changed layout)
                    {"type": "report", "screen": ..., "view": ..., "paint_age": <ms>, ...}
                        (every few seconds, what the page shows and how it fares: `parse_report`)
                    {"type": "ping", "t": <page ms>}   (the page times the gateway's clock)
gateway -> client   {"type": "welcome", "rev": ..., "now": <ms>, "redis": true}
                    {"type": "data", "entries": [[feed, id, asof_ms, fields], ...],
                     "at": <ms>}  (live: apply in the first frame at or after `at`, on the
                     gateway's clock, when the page shows a span; issue 23)
                    {"type": "pong", "t": <the ping's t>, "now": <ms>}
                    {"type": "hb", "now": <ms>, "redis": true|false}
                    {"type": "view", "view": {...}, "alerts": [...]}  (screens: what to show;
                     the view's `mode` and `badges` say how, decided by `control/views.py`)
                    {"type": "wall", "state": {...}, "views": {...}}  (panels: the whole wall)
                    {"type": "identify", "screen": ..., "device": ..., "for_ms": ...}
                    {"type": "reload", "reason": "operator" | "build"}  (screens, issue 21)

`last` holds the last stream id the screen applied per feed; the gateway then sends every entry
after it (resume), or a snapshot of recent entries for feeds not named. Screens drop any entry whose
id is not after the last they applied, so an entry is never applied twice. `feeds` (default: the
screen's own layout) is what the page shows; feeds the caller may not see are dropped. A device
token (wall screens) or a one-time ticket (people, from the web app) is required.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from opswall.control.fleet import PANE_STATES, PaneState, Report
from opswall.feeds.bounds import BoundsError, Limits, load_json
from opswall.feeds.contract import FeedEntry
from opswall.feeds.stream_ids import parse_id

FRAME_LIMITS = Limits(max_bytes=64 * 1024, max_nodes=10_000)
CLOSE_REASON_BYTES = 100  # a close frame's reason holds at most 123 bytes


class ProtocolError(ValueError):
    """A frame from a screen that does not follow the protocol."""


def _short(reason: str) -> str:
    """A reason that fits a close frame (counted in UTF-8 bytes)."""
    return reason.encode("utf-8")[:CLOSE_REASON_BYTES].decode("utf-8", "ignore")


@dataclass(frozen=True)
class Hello:
    rev: str
    last: dict[str, str]
    feeds: tuple[str, ...] | None = None
    token: str = ""
    ticket: str = ""


@dataclass(frozen=True)
class Subscribe:
    feeds: tuple[str, ...]
    last: dict[str, str]


def _json(frame: str | bytes) -> dict[str, Any]:
    """A frame as a JSON object, within the feed contract's bounds (depth, values, text): a
    frame nested thousands deep, or with a lone surrogate, is refused like any bad frame."""
    try:
        message = load_json(frame, "frame", FRAME_LIMITS)
    except BoundsError as exc:
        raise ProtocolError(_short(str(exc))) from None
    if not isinstance(message, dict):
        raise ProtocolError("frame is not a JSON object")
    return message


def _feeds(message: dict[str, Any]) -> tuple[str, ...] | None:
    feeds = message.get("feeds")
    if feeds is None:
        return None
    if not isinstance(feeds, list) or len(feeds) > 1000:
        raise ProtocolError("feeds must be a list of feed ids")
    return tuple(str(feed) for feed in feeds)


def parse_hello(frame: str | bytes) -> Hello:
    try:
        message = _json(frame)
    except ProtocolError as exc:
        raise ProtocolError(f"hello: {exc}") from None
    if message.get("type") != "hello":
        raise ProtocolError("the first frame must be a hello")
    return Hello(
        rev=str(message.get("rev", "")),
        last=_last(message),
        feeds=_feeds(message),
        token=str(message.get("token") or ""),
        ticket=str(message.get("ticket") or ""),
    )


def parse_client_frame(frame: str | bytes) -> Subscribe | Report | Ping:
    """After the hello a screen may change its subscription, report itself and time the
    gateway's clock; anything else is refused."""
    message = _json(frame)
    if message.get("type") == "report":
        return parse_report(message)
    if message.get("type") == "ping":
        t = message.get("t")
        if isinstance(t, bool) or not isinstance(t, int | float) or not 0 <= t < 1e14:
            raise ProtocolError("ping.t must be a time in milliseconds")
        return Ping(float(t))
    if message.get("type") != "sub":
        raise ProtocolError(f"screens may not send {str(message.get('type'))[:20]!r} frames")
    return Subscribe(_feeds(message) or (), _last(message))


def _last(message: dict[str, Any]) -> dict[str, str]:
    last = message.get("last") or {}
    if not isinstance(last, dict) or len(last) > 1000:
        raise ProtocolError("hello.last must be an object of feed -> stream id")
    for feed, entry_id in last.items():
        try:
            parse_id(str(entry_id))
        except ValueError:
            raise ProtocolError(f"hello.last[{feed!r}] is not a stream id") from None
    return {str(k): str(v) for k, v in last.items()}


def encode(message: dict[str, Any]) -> str:
    return json.dumps(message, ensure_ascii=False, separators=(",", ":"))


# Live entries are stamped to be applied this long after the gateway read them: enough for a
# frame to reach every browser of a LAN wall, so the slices of a span (issue 23) apply them in
# the same display frame. Pages showing no span apply at once, as before.
APPLY_MARGIN_MS = 60


def data_frame(entries: list[tuple[str, FeedEntry]], apply_at: int | None = None) -> str:
    frame: dict[str, Any] = {"type": "data", "entries": [e.wire(feed) for feed, e in entries]}
    if apply_at is not None:
        frame["at"] = apply_at
    return encode(frame)


@dataclass(frozen=True)
class Ping:
    """A page measuring the gateway's clock: `t` is its own, echoed back with the gateway's."""

    t: float


def pong_frame(ping: Ping, now: int) -> str:
    return encode({"type": "pong", "t": ping.t, "now": now})


def welcome_frame(rev: str, redis_up: bool, unreachable: Iterable[str], now: int) -> str:
    frame = {"type": "welcome", "rev": rev, "now": now, "redis": redis_up}
    return encode(with_unreachable(frame, unreachable))


def heartbeat_frame(redis_up: bool, unreachable: Iterable[str], now: int) -> str:
    return encode(with_unreachable({"type": "hb", "now": now, "redis": redis_up}, unreachable))


def with_unreachable(frame: dict[str, Any], unreachable: Iterable[str]) -> dict[str, Any]:
    """`unreachable`: feeds the gateway cannot read while Redis as a whole still answers (a
    cluster node down): their tiles show as down, the others stay judged by their age."""
    feeds = sorted(unreachable)
    return {**frame, "unreachable": feeds} if feeds else frame


def view_frame(view: dict[str, Any], alerts: list[dict[str, Any]]) -> str:
    return encode({"type": "view", "view": view, "alerts": alerts})


def wall_frame(state: dict[str, Any], views: dict[str, Any], now: int) -> str:
    return encode({"type": "wall", "state": state, "views": views, "now": now})


# A report's bounds: text short and printable, counts and sizes within what a real page reaches.
REPORT_TEXT = 100
REPORT_COUNT = 10**9
REPORT_PIXELS = 100_000
REPORT_LINKS = ("up", "source-down", "down")
REPORT_PANES = 32  # video panes named in one report; more than any real screen has


def _text(message: dict[str, Any], name: str, required: bool = False) -> str:
    value = message.get(name, None if required else "")
    if not isinstance(value, str) or len(value) > REPORT_TEXT or (required and not value):
        raise ProtocolError(f"report.{name}: text of at most {REPORT_TEXT} characters")
    if not value.isprintable():
        raise ProtocolError(f"report.{name}: control characters")
    return value


def _count(message: dict[str, Any], name: str, top: int = REPORT_COUNT) -> int:
    value = message.get(name, 0)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= top:
        raise ProtocolError(f"report.{name}: a whole number from 0 to {top}")
    return value


def _viewport(message: dict[str, Any]) -> tuple[int, int]:
    value = message.get("viewport", [0, 0])
    if not isinstance(value, list) or len(value) != 2:
        raise ProtocolError("report.viewport: [width, height]")
    return _count({"w": value[0]}, "w", REPORT_PIXELS), _count({"h": value[1]}, "h", REPORT_PIXELS)


def _dpr(message: dict[str, Any]) -> float:
    value = message.get("dpr", 1)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 16:
        raise ProtocolError("report.dpr: a number above 0, at most 16")
    return float(value)


def _panes(message: dict[str, Any]) -> tuple[PaneState, ...]:
    value = message.get("panes", [])
    if not isinstance(value, list) or len(value) > REPORT_PANES:
        raise ProtocolError(f"report.panes: a list of at most {REPORT_PANES}")
    panes = []
    for pane in value:
        if not isinstance(pane, dict):
            raise ProtocolError("report.panes: {tile, site, state} each")
        state = _text(pane, "state")
        if state not in PANE_STATES:
            raise ProtocolError(f"report.panes: a state is one of {', '.join(PANE_STATES)}")
        panes.append(PaneState(_text(pane, "tile"), _text(pane, "site"), state))
    return tuple(panes)


def parse_report(message: dict[str, Any]) -> Report:
    """A page's report of itself, each field bounded; a field out of bounds is refused by name
    (the socket is closed with that reason, as for any malformed frame)."""
    link = _text(message, "link")
    if link and link not in REPORT_LINKS:
        raise ProtocolError(f"report.link: one of {', '.join(REPORT_LINKS)}")
    heap = message.get("heap")
    return Report(
        screen=_text(message, "screen", required=True),
        view=_text(message, "view"),
        layout=_text(message, "layout"),
        rev=_text(message, "rev"),
        paint_age_ms=_count(message, "paint_age"),
        frames=_count(message, "frames"),
        updates=_count(message, "updates"),
        errors=_count(message, "errors"),
        heap=None if heap is None else _count(message, "heap", 2**50),
        viewport=_viewport(message),
        dpr=_dpr(message),
        build=_text(message, "build"),
        link=link,
        long_tasks=_count(message, "long_tasks"),
        long_task_ms=_count(message, "long_task_ms"),
        panes=_panes(message),
    )


def identify_frame(screen: str, device: str, for_ms: int, now: int) -> str:
    """Show the screen id and device label large on the page, for `for_ms`."""
    return encode(
        {"type": "identify", "screen": screen, "device": device, "for_ms": for_ms, "now": now}
    )


def reload_frame(reason: str) -> str:
    """Reload the page: `operator` at once; `build` (new assets) at the page's next quiet moment."""
    return encode({"type": "reload", "reason": reason})
