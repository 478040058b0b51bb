"""The screen protocol: JSON text frames between the gateway and a wall screen.

client -> gateway   {"type": "hello", "rev": "<screen revision>", "last": {"<feed>": "<id>"}}
gateway -> client   {"type": "welcome", "rev": ..., "now": <ms>, "redis": true}
                    {"type": "data", "entries": [[feed, id, asof_ms, fields], ...]}
                    {"type": "hb", "now": <ms>, "redis": true|false}
                    {"type": "layout", "rev": "<new revision>"}

`last` holds the last stream id the screen applied per feed; the gateway then sends every entry
after it (resume), or a snapshot of recent entries for feeds not named. Screens drop any entry whose
id is not after the last they applied, so an entry is never applied twice.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from opswall.feeds.contract import FeedEntry
from opswall.feeds.stream_ids import parse_id


class ProtocolError(ValueError):
    """A frame from a screen that does not follow the protocol."""


@dataclass(frozen=True)
class Hello:
    rev: str
    last: dict[str, str]


def now_ms() -> int:
    return int(time.time() * 1000)


def parse_hello(frame: str | bytes) -> Hello:
    try:
        message = json.loads(frame)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ProtocolError("hello is not JSON") from None
    if not isinstance(message, dict) or message.get("type") != "hello":
        raise ProtocolError("the first frame must be a hello")
    last = message.get("last") or {}
    if not isinstance(last, dict) or len(last) > 1000:
        raise ProtocolError("hello.last must be an object of feed -> stream id")
    for feed, entry_id in last.items():
        try:
            parse_id(str(entry_id))
        except ValueError:
            raise ProtocolError(f"hello.last[{feed!r}] is not a stream id") from None
    return Hello(rev=str(message.get("rev", "")), last={str(k): str(v) for k, v in last.items()})


def encode(message: dict[str, Any]) -> str:
    return json.dumps(message, ensure_ascii=False, separators=(",", ":"))


def data_frame(entries: list[tuple[str, FeedEntry]]) -> str:
    return encode({"type": "data", "entries": [e.wire(feed) for feed, e in entries]})


def welcome_frame(rev: str, redis_up: bool) -> str:
    return encode({"type": "welcome", "rev": rev, "now": now_ms(), "redis": redis_up})


def heartbeat_frame(redis_up: bool) -> str:
    return encode({"type": "hb", "now": now_ms(), "redis": redis_up})


def layout_frame(rev: str) -> str:
    return encode({"type": "layout", "rev": rev})
