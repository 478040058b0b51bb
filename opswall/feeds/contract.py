"""The feed message contract: what producers XADD, and how one entry is decoded.

`XADD feed:<id> * value 42.5 [ts <epoch ms | ISO 8601>] [json <JSON object>]`

- fields are flat; a numeric-looking value becomes a number, except one with a leading zero
  ("01" is a province code, not the number 1);
- `ts` gives the as-of time; without it the entry ID's time is used;
- `json` holds a JSON object merged into the fields (its keys win), for rows, points and lists.

Decoding is pure: it returns a `FeedEntry`, or a `Rejected` with the reason for the dead-letter
stream. Nothing here raises on bad input.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from opswall.feeds.stream_ids import id_time_ms

NUMBER = re.compile(r"^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$")
RESERVED = frozenset({"ts", "json"})
MAX_FIELDS = 256
MAX_VALUE_BYTES = 256 * 1024
# Earliest plausible as-of time: catches epoch *seconds* sent where milliseconds are expected.
EARLIEST_MS = int(datetime(2000, 1, 1, tzinfo=UTC).timestamp() * 1000)
LATEST_MS = int(datetime(9999, 12, 31, tzinfo=UTC).timestamp() * 1000)  # dates must work


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


def _finite(text: str) -> float:
    """A JSON or field number; one beyond float range would reach screens as `Infinity`,
    which browsers' JSON.parse refuses, so it is refused here."""
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"number {text[:40]} is out of range")
    return number


def _not_json(name: str) -> Any:
    raise ValueError(f"json field holds {name}, which is not JSON")


def coerce_scalar(text: str) -> str | int | float:
    """'42' -> 42, '42.5' -> 42.5, '01' -> '01', 'abc' -> 'abc'."""
    if not NUMBER.match(text):
        return text
    number = _finite(text)
    return (
        int(text) if number.is_integer() and "." not in text and "e" not in text.lower() else number
    )


def parse_ts(text: str) -> int:
    """Epoch milliseconds or ISO 8601 (naive means UTC) -> epoch milliseconds."""
    stripped = text.strip()
    if NUMBER.match(stripped):
        ms = int(_finite(stripped))
    else:
        try:
            moment = datetime.fromisoformat(stripped.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"ts '{text}' is neither epoch milliseconds nor ISO 8601") from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        ms = int(moment.timestamp() * 1000)
    if ms > LATEST_MS:
        raise ValueError(f"ts '{text[:40]}' is after the year 9999")
    if ms < EARLIEST_MS:
        raise ValueError(
            f"ts '{text}' is before 2000-01-01: epoch seconds instead of milliseconds?"
        )
    return ms


def _merge_json(fields: dict[str, Any], text: str) -> None:
    try:
        payload = json.loads(text, parse_constant=_not_json, parse_float=_finite)
    except json.JSONDecodeError as exc:
        raise ValueError(f"json field is not valid JSON ({exc.msg} at char {exc.pos})") from None
    if not isinstance(payload, dict):
        raise ValueError(f"json field must hold an object, not {type(payload).__name__}")
    fields.update(payload)


def _text_fields(raw: Mapping[Any, Any]) -> dict[str, str]:
    text: dict[str, str] = {}
    for key, value in raw.items():
        k = key.decode("utf-8") if isinstance(key, bytes) else key
        if isinstance(value, bytes) and len(value) > MAX_VALUE_BYTES:
            raise ValueError(f"field '{k}' is larger than {MAX_VALUE_BYTES} bytes")
        text[k] = value.decode("utf-8") if isinstance(value, bytes) else value
    return text


def decode_entry(entry_id: str, raw: Mapping[Any, Any]) -> FeedEntry | Rejected:
    """Decode one stream entry per the contract; never raises on bad data."""
    try:
        if len(raw) > MAX_FIELDS:
            raise ValueError(f"{len(raw)} fields; at most {MAX_FIELDS} are accepted")
        text = _text_fields(raw)
        fields: dict[str, Any] = {k: coerce_scalar(v) for k, v in text.items() if k not in RESERVED}
        if "json" in text:
            _merge_json(fields, text["json"])
        asof = parse_ts(text["ts"]) if "ts" in text else id_time_ms(entry_id)
    except UnicodeDecodeError:
        return Rejected(entry_id, "a field is not UTF-8 text")
    except ValueError as exc:
        return Rejected(entry_id, str(exc))
    if not fields:
        return Rejected(entry_id, "no data fields (only ts)")
    return FeedEntry(entry_id, asof, fields)
