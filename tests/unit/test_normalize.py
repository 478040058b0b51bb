"""The adapters' pure core: foreign payloads -> contract fields, or a reason they do not fit."""

from __future__ import annotations

import json

import pytest

from opswall.config.feed_sources import Pick
from opswall.feeds.contract import FeedEntry, decode_entry
from opswall.feeds.normalize import (
    NormalizeError,
    normalize,
    parse_path,
    parse_payload,
    resolve,
    to_contract,
)

PAYLOAD = {
    "data": {
        "items": [
            {"v": 1.5, "t": "2026-11-20T10:00:00Z", "site": "01", "extra": {"a": 1}},
            {"v": 2, "t": "2026-11-20T11:00:00Z", "site": "02", "ok": True},
        ]
    }
}


def test_paths_walk_objects_and_lists_and_name_what_is_missing() -> None:
    assert parse_path("data.items[0].v") == ["data", "items", 0, "v"]
    assert parse_path("$.a[-1]") == ["a", -1]
    assert resolve(PAYLOAD, "data.items[-1].site") == "02"
    with pytest.raises(NormalizeError, match=r"path 'data.items\[5\].v': nothing at '5'"):
        resolve(PAYLOAD, "data.items[5].v")
    with pytest.raises(NormalizeError, match="nothing at 'nope'"):
        resolve(PAYLOAD, "data.nope")
    with pytest.raises(NormalizeError, match="not like"):
        parse_path("a..[x]")


def test_take_last_picks_fields_and_the_time() -> None:
    pick = Pick(records="data.items", fields={"value": "v", "site": "site"}, ts="t")
    assert normalize(PAYLOAD, pick) == [{"value": "2", "site": "02", "ts": "2026-11-20T11:00:00Z"}]


def test_take_all_writes_each_new_record_once() -> None:
    pick = Pick(records="data.items", ts="t", take="all")
    entries = normalize(PAYLOAD, pick)
    assert [e["v"] for e in entries] == ["1.5", "2"]
    # nested values travel in `json`; booleans become 1/0; the ts key is written once, as ts
    assert json.loads(entries[0]["json"]) == {"extra": {"a": 1}}
    assert entries[1]["ok"] == "1" and "t" not in entries[1]
    after = decode_entry("1-0", entries[0])
    assert isinstance(after, FeedEntry)
    seen = after.asof_ms
    assert [e["v"] for e in normalize(PAYLOAD, pick, after_ms=seen)] == ["2"]


def test_take_rows_makes_one_entry_for_tables() -> None:
    pick = Pick(records="data.items", fields={"name": "site", "value": "v"}, take="rows")
    [entry] = normalize(PAYLOAD, pick)
    decoded = decode_entry("1-0", entry)
    assert isinstance(decoded, FeedEntry)
    assert decoded.fields["rows"] == [{"name": "01", "value": 1.5}, {"name": "02", "value": 2}]


def test_csv_and_bare_values_parse() -> None:
    rows = parse_payload(b"\xef\xbb\xbfname,temp\nHu\xe1\xba\xbf,24.5\n", "csv")
    assert rows == [{"name": "Huế", "temp": "24.5"}]
    assert normalize(rows, Pick(fields={"value": "temp"})) == [{"value": "24.5"}]
    assert parse_payload(b" 42.5\n", "value") == {"value": "42.5"}
    with pytest.raises(NormalizeError, match="not JSON"):
        parse_payload(b"{broken", "json")


def test_records_that_break_the_contract_are_refused_with_the_reason() -> None:
    with pytest.raises(NormalizeError, match="no data fields"):
        to_contract({"ts": "2026-11-20T10:00:00Z"})
    with pytest.raises(NormalizeError, match="before 2000-01-01"):
        to_contract({"value": 1}, ts=1_700_000_000)  # seconds, not milliseconds
    with pytest.raises(NormalizeError, match="not a finite number"):
        to_contract({"value": float("nan")})
    assert to_contract({"value": None, "n": 3}) == {"n": "3"}  # nothing to write is left out
