"""The pure core every adapter shares: foreign payload -> contract fields for XADD.

An adapter fetches bytes (HTTP, SQL rows, MQTT messages) and hands the parsed payload here with
its `Pick` settings; what comes back is a list of flat `{field: text}` maps that `decode_entry`
accepts, and for each record that did not fit a `Refusal` saying why (`sorted_out`), or the first
of them raised as a `NormalizeError` (`normalize`). A payload is bounded as a whole by
`feeds/bounds.py` (size, depth, values, text); one bad record never costs the others. Nothing
here does I/O.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import reprlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from opswall.config.feed_sources import Pick
from opswall.feeds.bounds import MAX_BODY_BYTES, RECORDS, BoundsError, escaped, load_json, shown
from opswall.feeds.contract import Rejected, decode_entry, parse_ts

_SEGMENT = re.compile(r"([^.\[\]]+)|\[(-?\d+)\]")


class NormalizeError(ValueError):
    pass


@dataclass(frozen=True)
class Refusal:
    """A record that became no entry: why, and the record as storable text (a dead letter)."""

    reason: str
    record: str


def record_text(record: Any, limit: int = 2000) -> str:
    try:
        text = json.dumps(record, ensure_ascii=False, default=str)
    except (ValueError, TypeError, RecursionError):  # a deep or cyclic value from a driver
        text = reprlib.repr(record)
    return escaped(text[:limit])


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
    """A document as data; a body too large, not UTF-8, or beyond the bounds is refused."""
    if len(body) > MAX_BODY_BYTES:
        raise NormalizeError(f"payload larger than {MAX_BODY_BYTES} bytes")
    try:
        text = body.decode("utf-8-sig") if isinstance(body, bytes) else body
    except UnicodeDecodeError as exc:
        raise NormalizeError(f"payload is not UTF-8 text (at byte {exc.start})") from None
    if fmt == "csv":
        return _csv_rows(text)
    if fmt == "value":
        return {"value": text.strip()}
    try:
        # Text and numbers are judged record by record (the contract), so that one bad record
        # does not cost the document's others; size, depth and values are bounded here.
        return load_json(text, "payload", RECORDS)
    except BoundsError as exc:
        raise NormalizeError(str(exc)) from None


def _csv_rows(text: str) -> list[dict[str, Any]]:
    try:
        return list(csv.DictReader(io.StringIO(text)))
    except csv.Error as exc:  # a field over csv's own limit, a NUL...
        raise NormalizeError(f"not CSV ({shown(str(exc))})") from None


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


def _scalar_of(name: str, value: Any) -> str | None:
    try:
        return scalar_text(value)
    except NormalizeError as exc:
        raise NormalizeError(f"field '{shown(str(name))}': {exc}") from None


def to_contract(values: Mapping[str, Any], ts: Any = None) -> dict[str, str]:
    """Plain values -> flat contract fields; nested objects and lists go into `json`."""
    flat: dict[str, str] = {}
    nested: dict[str, Any] = {}
    for name, value in values.items():
        if name in ("ts", "json"):
            continue
        if isinstance(value, Mapping | list):
            nested[name] = value
        elif (text := _scalar_of(name, value)) is not None:
            flat[name] = text
    if nested:
        try:
            flat["json"] = json.dumps(nested, ensure_ascii=False, default=str)
        except (ValueError, TypeError, RecursionError) as exc:  # deep or cyclic driver values
            raise NormalizeError(f"nested values are not JSON ({type(exc).__name__})") from None
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


def _entry(record: Any, pick: Pick, after_ms: int | None) -> dict[str, str] | None:
    """One record's entry; None when `take: all` wrote it already (at or before `after_ms`)."""
    ts = record_ts(record, pick)
    seen = pick.take == "all" and after_ms is not None and ts is not None
    if seen and parse_ts(scalar_text(ts) or "") <= (after_ms or 0):
        return None
    return to_contract(record_fields(record, pick), ts)


def _chosen(found: list[Any], pick: Pick) -> list[Any]:
    if pick.take == "rows":
        return [found]  # the whole table is one entry of rows
    return found[-1:] if pick.take == "last" else found


def _one(record: Any, pick: Pick, after_ms: int | None) -> dict[str, str] | None:
    if pick.take == "rows":
        rows = [record_fields(r, pick) for r in record]
        return to_contract({"rows": rows}, record_ts(record[-1], pick))
    return _entry(record, pick, after_ms)


def sorted_out(
    payload: Any, pick: Pick, after_ms: int | None = None
) -> tuple[list[dict[str, str]], list[Refusal]]:
    """The entries to write for one payload, and the records refused, each with its reason.
    A record that fails in any way is refused on its own: it never costs the others."""
    found = records(payload, pick)
    entries: list[dict[str, str]] = []
    refused: list[Refusal] = []
    for record in _chosen(found, pick) if found else []:
        try:
            entry = _one(record, pick, after_ms)
        except ValueError as exc:  # NormalizeError, BoundsError
            refused.append(Refusal(str(exc), record_text(record)))
        except Exception as exc:  # isolation: an unforeseen failure is this record's alone
            refused.append(Refusal(f"unexpected {type(exc).__name__}", record_text(record)))
        else:
            if entry is not None:
                entries.append(entry)
    return entries, refused


def normalize(payload: Any, pick: Pick, after_ms: int | None = None) -> list[dict[str, str]]:
    """The entries to write for one payload; the first refused record is raised. With `take:
    all`, records at or before `after_ms` (by their `ts`) were written already and are skipped."""
    entries, refused = sorted_out(payload, pick, after_ms)
    if refused:
        raise NormalizeError(refused[0].reason)
    return entries
