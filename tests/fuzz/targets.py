"""Fuzz targets: bytes in, and what must hold for ANY bytes.

- decode: `decode_entry` on a field map built from the bytes gives an entry or a reason, never
  an exception; an entry encodes to a UTF-8 frame a browser's strict JSON.parse reads; a reason
  and the raw fields (escaped, as dead letters keep them) are storable UTF-8 text.
- normalize: an adapter payload (JSON, CSV or a bare value) gives entries that decode, and
  refusals with storable reasons; only NormalizeError ever leaves parse_payload.
- body: a producer API request body is refused with BodyRefused (413/400) or gives items; each
  item is an entry the contract accepts or a NormalizeError with a storable reason.

Input layouts (so that seeds are easy to write by hand):
- decode: one mode byte (`b` names/values as bytes, as Redis gives them; `t` as str, decoded with
  surrogateescape so lone surrogates occur), then name, value, name, value... split on FF FE.
- normalize: one format byte (`j` json, `c` csv, `v` value), one byte picking the settings
  (records, fields, ts, take), then the payload.
- body: the request body as sent.
"""

from __future__ import annotations

import json
from typing import Any

from opswall.config.feed_sources import HttpPushSource, Pick
from opswall.feeds.bounds import escaped
from opswall.feeds.contract import FeedEntry, Rejected, decode_entry
from opswall.feeds.normalize import NormalizeError, parse_payload, sorted_out
from opswall.gateway import protocol
from opswall.web.bodies import BodyRefused, parse_body
from opswall.web.producers import body_items, check_entry

SEPARATOR = b"\xff\xfe"
ENTRY_ID = "1763700000000-0"
FORMATS = {ord("j"): "json", ord("c"): "csv", ord("v"): "value"}
PICKS = [
    Pick(),
    Pick(records="data.items", fields={"value": "v", "site": "site"}, ts="t"),
    Pick(records="data.items", ts="t", take="all"),
    Pick(records="rows", fields={"name": "name", "value": "value[0]"}, take="rows"),
    Pick(fields={"value": "value"}, ts="ts", take="all"),
]
PUSHED = HttpPushSource(kind="http_push", require={"value": "number"})


def strict_json(text: str) -> Any:
    """JSON as a browser's JSON.parse reads it: NaN and Infinity are not JSON."""

    def refuse(name: str) -> Any:
        raise AssertionError(f"{name} in a frame")

    return json.loads(text, parse_constant=refuse)


def storable(text: str) -> None:
    """Text that Redis, the database and a websocket frame can all carry."""
    assert text.strip(), "an empty reason"
    text.encode("utf-8")


def fields_of(data: bytes) -> dict[Any, Any]:
    mode, parts = data[:1], data[1:].split(SEPARATOR)
    pairs = list(zip(parts[0::2], parts[1::2], strict=False))
    if mode == b"t":
        return {
            k.decode("utf-8", "surrogateescape"): v.decode("utf-8", "surrogateescape")
            for k, v in pairs
        }
    return dict(pairs)


def accepted(entry: FeedEntry) -> None:
    frame = protocol.data_frame([("feed", entry)])
    frame.encode("utf-8")
    (wire,) = strict_json(frame)["entries"]
    assert wire[1:3] == [entry.id, entry.asof_ms]


def check_decoded(fields: dict[Any, Any]) -> None:
    result = decode_entry(ENTRY_ID, fields)
    assert isinstance(result, FeedEntry | Rejected)
    if isinstance(result, Rejected):
        storable(result.reason)
        for key, value in fields.items():  # as the dead letter keeps them
            escaped(key).encode("utf-8")
            escaped(value).encode("utf-8")
    else:
        accepted(result)


def fuzz_decode(data: bytes) -> None:
    check_decoded(fields_of(data))


def fuzz_normalize(data: bytes) -> None:
    fmt = FORMATS.get(data[0] if data else 0, "json")
    pick = PICKS[data[1] % len(PICKS)] if len(data) > 1 else PICKS[0]
    try:
        payload = parse_payload(data[2:], fmt)
        entries, refused = sorted_out(payload, pick)
    except NormalizeError as exc:  # the payload as a whole: not JSON, no `records` path...
        storable(str(exc))
        return
    for refusal in refused:
        storable(refusal.reason)
        refusal.record.encode("utf-8")
    for fields in entries:
        result = decode_entry(ENTRY_ID, fields)
        assert isinstance(result, FeedEntry), result
        accepted(result)


def fuzz_body(data: bytes) -> None:
    try:
        items = body_items(parse_body(data))
    except BodyRefused as exc:
        assert exc.status in (400, 413)
        storable(exc.error)
        return
    for item in items[:100]:
        try:
            fields = check_entry(item, PUSHED)
        except NormalizeError as exc:
            storable(str(exc))
            continue
        result = decode_entry(ENTRY_ID, fields)
        assert isinstance(result, FeedEntry), result
        accepted(result)


TARGETS = {"decode": fuzz_decode, "normalize": fuzz_normalize, "body": fuzz_body}
