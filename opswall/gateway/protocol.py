"""The screen protocol: JSON text frames between the gateway and a wall screen.

client -> gateway   {"type": "hello", "rev": "<page revision>", "last": {"<feed>": "<id>"},
                     "feeds": ["<feed>", ...], "token": "<device token>" | "ticket": "<ticket>"}
                    {"type": "sub", "feeds": [...], "last": {...}}   (the page changed layout)
gateway -> client   {"type": "welcome", "rev": ..., "now": <ms>, "redis": true}
                    {"type": "data", "entries": [[feed, id, asof_ms, fields], ...]}
                    {"type": "hb", "now": <ms>, "redis": true|false}
                    {"type": "view", "view": {...}, "alerts": [...]}  (screens: what to show;
                     the view's `mode` and `badges` say how, decided by `control/views.py`)
                    {"type": "wall", "state": {...}, "views": {...}}  (panels: the whole wall)

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


def parse_client_frame(frame: str | bytes) -> Subscribe:
    """After the hello a screen may only change its subscription; anything else is refused."""
    message = _json(frame)
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


def data_frame(entries: list[tuple[str, FeedEntry]]) -> str:
    return encode({"type": "data", "entries": [e.wire(feed) for feed, e in entries]})


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
