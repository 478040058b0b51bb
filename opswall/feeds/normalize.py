"""The pure core every adapter shares: foreign payload -> contract fields for XADD.

An adapter fetches bytes (HTTP, SQL rows, MQTT messages) and hands the parsed payload here with
its `Pick` settings; what comes back is a list of flat `{field: text}` maps that `decode_entry`
accepts, or a `NormalizeError` that says what did not fit. Nothing here does I/O.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from opswall.config.sources import Pick
from opswall.feeds.contract import Rejected, decode_entry, parse_ts

_SEGMENT = re.compile(r"([^.\[\]]+)|\[(-?\d+)\]")


class NormalizeError(ValueError):
    pass


def parse_path(path: str) -> list[str | int]:
    """`data.items[0].value` -> ['data', 'items', 0, 'value']; '' or '$' is the root."""
    text = path.strip().removeprefix("$").lstrip(".")
    parts: list[str | int] = []
    position = 0
    while position < len(text):
        if text[position] == ".":
            position += 1
            continue
        match = _SEGMENT.match(text, position)
        if not match:
            raise NormalizeError(f"path '{path}' is not like a.b[0].c")
        parts.append(match.group(1) if match.group(1) is not None else int(match.group(2)))
        position = match.end()
    return parts


def _step(node: Any, part: str | int) -> tuple[bool, Any]:
    if isinstance(part, int):
        found = isinstance(node, list) and -len(node) <= part < len(node)
        return found, node[part] if found else None
    found = isinstance(node, Mapping) and part in node
    return found, node[part] if found else None


def resolve(data: Any, path: str) -> Any:
    node = data
    for part in parse_path(path):
        found, node = _step(node, part)
        if not found:
            raise NormalizeError(f"path '{path}': nothing at '{part}'")
    return node


def parse_payload(body: bytes | str, fmt: str) -> Any:
    text = body.decode("utf-8-sig") if isinstance(body, bytes) else body
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(text)))
    if fmt == "value":
        return {"value": text.strip()}
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise NormalizeError(f"not JSON ({exc.msg} at char {exc.pos})") from None


def scalar_text(value: Any) -> str | None:
    """A value as the contract's text; None for nothing to write."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if not math.isfinite(value):
            raise NormalizeError(f"{value} is not a finite number")
        return repr(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def record_fields(record: Any, pick: Pick) -> dict[str, Any]:
    """One record -> its fields (plain values; nested objects stay nested)."""
    if pick.fields:
        return {name: resolve(record, path) for name, path in pick.fields.items()}
    if not isinstance(record, Mapping):
        return {"value": record}
    return {str(k): v for k, v in record.items() if k != pick.ts}  # ts is written as `ts`


def to_contract(values: Mapping[str, Any], ts: Any = None) -> dict[str, str]:
    """Plain values -> flat contract fields; nested objects and lists go into `json`."""
    flat: dict[str, str] = {}
    nested: dict[str, Any] = {}
    for name, value in values.items():
        if name in ("ts", "json"):
            continue
        if isinstance(value, Mapping | list):
            nested[name] = value
        elif (text := scalar_text(value)) is not None:
            flat[name] = text
    if nested:
        flat["json"] = json.dumps(nested, ensure_ascii=False, default=str)
    if ts is not None:
        flat["ts"] = scalar_text(ts) or ""
    if not flat or set(flat) == {"ts"}:
        raise NormalizeError("the record has no data fields")
    checked = decode_entry("0-1", flat)
    if isinstance(checked, Rejected):
        raise NormalizeError(checked.reason)
    return flat


def records(payload: Any, pick: Pick) -> list[Any]:
    found = resolve(payload, pick.records) if pick.records else payload
    return list(found) if isinstance(found, list) else [found]


def record_ts(record: Any, pick: Pick) -> Any:
    if pick.ts is None:
        return None
    return resolve(record, pick.ts)


def normalize(payload: Any, pick: Pick, after_ms: int | None = None) -> list[dict[str, str]]:
    """The entries to write for one payload. With `take: all`, records at or before
    `after_ms` (by their `ts`) were written already and are skipped."""
    found = records(payload, pick)
    if not found:
        return []
    if pick.take == "rows":
        rows = [record_fields(r, pick) for r in found]
        return [to_contract({"rows": rows}, record_ts(found[-1], pick))]
    chosen = found[-1:] if pick.take == "last" else found
    entries = []
    for record in chosen:
        ts = record_ts(record, pick)
        seen = pick.take == "all" and after_ms is not None and ts is not None
        if seen and parse_ts(scalar_text(ts) or "") <= (after_ms or 0):
            continue
        entries.append(to_contract(record_fields(record, pick), ts))
    return entries
