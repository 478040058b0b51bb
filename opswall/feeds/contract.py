"""The feed message contract: what producers XADD, and how one entry is decoded.

`XADD feed:<id> * value 42.5 [ts <epoch ms | ISO 8601>] [json <JSON object>]`

- fields are flat; a numeric-looking value becomes a number, except one with a leading zero
  ("01" is a province code, not the number 1);
- `ts` gives the as-of time; without it the entry ID's time is used;
- `json` holds a JSON object merged into the fields (its keys win), for rows, points and lists.

Bounds (`feeds/bounds.py`, the same ones the producer API and the adapters apply): at most
256 fields (after `json` is merged); a field name at most 128 characters; a field's value at
most 256 KiB and the whole entry at most 1 MiB (UTF-8); `json` nested at most 32 levels and
holding at most 20,000 values, integers of at most 40 digits, finite numbers only (no NaN or
Infinity); all text (names, values, JSON strings and keys) valid UTF-8 with no lone surrogates
and no control characters but tab, newline and carriage return.

Decoding is pure: it returns a `FeedEntry`, or a `Rejected` with the reason for the dead-letter
stream, located (`json.rows[3].name: lone surrogate U+D800 at char 0`). Nothing here raises on
any input (tests/unit/test_fuzz.py and fuzz/ hunt for one that does).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from opswall import clock
from opswall.feeds.bounds import (
    MAX_ENTRY_BYTES,
    MAX_FIELD_BYTES,
    MAX_FIELDS,
    BoundsError,
    check_name,
    check_text,
    finite,
    load_json,
    shown,
    utf8,
)
from opswall.feeds.stream_ids import id_time_ms

NUMBER = re.compile(r"^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$")
RESERVED = frozenset({"ts", "json"})
# Earliest plausible as-of time: catches epoch *seconds* sent where milliseconds are expected.
EARLIEST_MS = clock.epoch_ms(datetime(2000, 1, 1, tzinfo=UTC))
LATEST_MS = clock.epoch_ms(datetime(9999, 12, 31, tzinfo=UTC))  # dates must work


@dataclass(frozen=True)
class FeedEntry:
    id: str
    asof_ms: int
    fields: dict[str, Any]

    def wire(self, feed_id: str) -> list[Any]:
        """The compact form sent to screens: [feed, id, asof_ms, fields]."""
        return [feed_id, self.id, self.asof_ms, self.fields]


@dataclass(frozen=True)
class Rejected:
    id: str
    reason: str


def coerce_scalar(text: str) -> str | int | float:
    """'42' -> 42, '42.5' -> 42.5, '01' -> '01', 'abc' -> 'abc'."""
    if not NUMBER.match(text):
        return text
    number = finite(text)
    return (
        int(text) if number.is_integer() and "." not in text and "e" not in text.lower() else number
    )


def _iso_ms(text: str) -> int:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return clock.epoch_ms(moment)
    except (ValueError, OverflowError, OSError):  # OverflowError: year 1 less an offset
        raise BoundsError(
            f"ts '{shown(text)}' is neither epoch milliseconds nor ISO 8601"
        ) from None


def parse_ts(text: str) -> int:
    """Epoch milliseconds or ISO 8601 (naive means UTC) -> epoch milliseconds."""
    stripped = text.strip()
    ms = int(finite(stripped)) if NUMBER.match(stripped) else _iso_ms(stripped)
    if ms > LATEST_MS:
        raise BoundsError(f"ts '{shown(text)}' is after the year 9999")
    if ms < EARLIEST_MS:
        raise BoundsError(
            f"ts '{shown(text)}' is before 2000-01-01: epoch seconds instead of milliseconds?"
        )
    return ms


def _merge_json(fields: dict[str, Any], text: str) -> None:
    payload = load_json(text, "json field", root="json")
    if not isinstance(payload, dict):
        raise BoundsError(f"json field must hold an object, not {type(payload).__name__}")
    fields.update(payload)


def _text(value: Any, where: str) -> str:
    """One raw name or value as text (Redis gives bytes; callers in-process, str)."""
    if isinstance(value, bytes):
        return utf8(value, where)
    if not isinstance(value, str):
        raise BoundsError(f"{where} is {type(value).__name__}, not text")
    return value


def _text_fields(raw: Mapping[Any, Any]) -> dict[str, str]:
    text: dict[str, str] = {}
    total = 0
    for key, value in raw.items():
        name = check_name(_text(key, "a field name"))
        where = f"field '{name}'"
        if isinstance(value, bytes | str) and len(value) > MAX_FIELD_BYTES:
            raise BoundsError(f"{where} is larger than {MAX_FIELD_BYTES} bytes")
        text[name] = check_text(_text(value, where), where)
        size = len(text[name].encode("utf-8"))
        if size > MAX_FIELD_BYTES:
            raise BoundsError(f"{where} is larger than {MAX_FIELD_BYTES} bytes")
        total += size + len(name)
    if total > MAX_ENTRY_BYTES:
        raise BoundsError(f"the entry is larger than {MAX_ENTRY_BYTES} bytes")
    return text


def _decoded(entry_id: str, raw: Mapping[Any, Any]) -> FeedEntry | Rejected:
    if len(raw) > MAX_FIELDS:
        raise BoundsError(f"{len(raw)} fields; at most {MAX_FIELDS} are accepted")
    text = _text_fields(raw)
    fields: dict[str, Any] = {k: coerce_scalar(v) for k, v in text.items() if k not in RESERVED}
    if "json" in text:
        _merge_json(fields, text["json"])
    if len(fields) > MAX_FIELDS:
        raise BoundsError(f"{len(fields)} fields with json's; at most {MAX_FIELDS} are accepted")
    asof = parse_ts(text["ts"]) if "ts" in text else id_time_ms(entry_id)
    if not fields:
        return Rejected(entry_id, "no data fields (only ts)")
    return FeedEntry(entry_id, asof, fields)


def decode_entry(entry_id: str, raw: Mapping[Any, Any]) -> FeedEntry | Rejected:
    """Decode one stream entry per the contract; never raises on any input."""
    try:
        return _decoded(entry_id, raw)
    except ValueError as exc:  # BoundsError, and a malformed entry id
        return Rejected(entry_id, str(exc))
