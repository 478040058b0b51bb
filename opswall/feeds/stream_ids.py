"""Redis stream IDs (`<ms>-<seq>`), compared as numbers, never as strings."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

StreamId = tuple[int, int]
ZERO_ID = "0-0"


def parse_id(entry_id: str) -> StreamId:
    ms, _, seq = entry_id.partition("-")
    return int(ms), int(seq or 0)


def is_after(entry_id: str, reference: str | None) -> bool:
    """True when `entry_id` comes strictly after `reference` (None: before everything)."""
    return reference is None or parse_id(entry_id) > parse_id(reference)


def id_time_ms(entry_id: str) -> int:
    return parse_id(entry_id)[0]


RawEntry = tuple[str, dict[Any, Any]]


def raw_entries(reply: Any) -> list[RawEntry]:
    """XRANGE/XREVRANGE reply -> [(id as text, raw fields)] (field bytes stay undecoded)."""
    return [(as_text(entry_id), fields or {}) for entry_id, fields in reply or []]


def as_text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def stream_items(response: Any) -> Iterable[tuple[bytes, list[tuple[bytes, dict[Any, Any]]]]]:
    """XREAD answers a list of [key, entries] (RESP2) or a {key: entries} map (RESP3)."""
    if not response:
        return []
    if isinstance(response, dict):
        return response.items()
    return [(key, entries) for key, entries in response]
