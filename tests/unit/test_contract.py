"""The feed message contract: numbers, ts forms, json merging, and reasons for rejection."""

from __future__ import annotations

from pathlib import Path

import pytest

from opswall.feeds.contract import FeedEntry, Rejected, coerce_scalar, decode_entry

README = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
ID = "1763700000000-3"  # 2025-11-21T04:40:00Z


def decoded(fields: dict[bytes | str, bytes | str]) -> FeedEntry:
    result = decode_entry(ID, fields)
    assert isinstance(result, FeedEntry), result
    return result


def reason(fields: dict[bytes | str, bytes | str]) -> str:
    result = decode_entry(ID, fields)
    assert isinstance(result, Rejected), result
    return result.reason


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("42", 42),
        ("42.5", 42.5),
        ("-3", -3),
        ("1e3", 1000.0),
        ("0", 0),
        ("0.25", 0.25),
        ("01", "01"),
        ("007", "007"),
        ("12a", "12a"),
        ("", ""),
        ("NaN", "NaN"),
        ("1_000", "1_000"),
    ],
)
def test_numeric_looking_values_become_numbers_but_codes_stay_text(
    text: str, value: object
) -> None:
    """'42.5' is a number; '01' (a province code) and other text stay strings."""
    assert coerce_scalar(text) == value
    assert type(coerce_scalar(text)) is type(value)


def test_asof_defaults_to_the_entry_id_time() -> None:
    """Without ts the as-of time is the stream id's millisecond part."""
    entry = decoded({b"value": b"42.5"})
    assert entry.asof_ms == 1763700000000
    assert entry.fields == {"value": 42.5}


@pytest.mark.parametrize(
    ("ts", "ms"),
    [
        ("1763690000000", 1763690000000),
        ("2025-11-21T01:53:20Z", 1763690000000),
        ("2025-11-21T08:53:20+07:00", 1763690000000),
        ("2025-11-21 01:53:20", 1763690000000),
        ("1763690000000.7", 1763690000000),
    ],
)
def test_ts_accepts_epoch_ms_and_iso_8601(ts: str, ms: int) -> None:
    """ts may be epoch milliseconds or ISO 8601 with or without an offset (naive = UTC)."""
    entry = decoded({"value": "1", "ts": ts})
    assert entry.asof_ms == ms
    assert "ts" not in entry.fields


def test_json_object_is_merged_into_fields() -> None:
    """A json field's object is merged into the flat fields, its keys winning."""
    entry = decoded({"value": "1", "json": '{"rows": [{"name": "A", "value": 2}], "value": 3}'})
    assert entry.fields == {"value": 3, "rows": [{"name": "A", "value": 2}]}


@pytest.mark.parametrize(
    ("fields", "why"),
    [
        (
            {"value": "1", "ts": "yesterday"},
            "ts 'yesterday' is neither epoch milliseconds nor ISO 8601",
        ),
        (
            {"value": "1", "ts": "1763690000"},
            "ts '1763690000' is before 2000-01-01: epoch seconds instead of milliseconds?",
        ),
        (
            {"json": "{rows: 1}"},
            "json field is not JSON (Expecting property name enclosed in double quotes at char 1)",
        ),
        ({"json": "[1, 2]"}, "json field must hold an object, not list"),
        ({"json": '{"v": NaN}'}, "json field holds NaN, which is not JSON"),
        ({"json": '{"v": [1.5e999]}'}, "number 1.5e999 is out of range"),
        ({"value": "2e400"}, "number 2e400 is out of range"),
        ({"value": "1", "ts": "1e310"}, "number 1e310 is out of range"),
        ({"value": "1", "ts": "1e20"}, "ts '1e20' is after the year 9999"),
        ({"ts": "1763690000000"}, "no data fields (only ts)"),
        ({b"value": b"\xff\xfe"}, "field 'value' is not UTF-8 text (byte 0xff at 0)"),
    ],
)
def test_malformed_entries_are_rejected_with_a_reason(fields: dict[str, str], why: str) -> None:
    """Each kind of malformed entry is rejected (for the dead-letter stream), never raised."""
    assert reason(fields) == why  # type: ignore[arg-type]


def test_too_many_fields_are_rejected() -> None:
    """An entry with hundreds of fields is refused rather than pushed to every screen."""
    assert reason({f"f{i}": "1" for i in range(300)}).startswith("300 fields")


def test_wire_form_is_compact() -> None:
    """Screens receive [feed, id, asof_ms, fields]."""
    assert decoded({"value": "7"}).wire("power_load") == [
        "power_load",
        ID,
        1763700000000,
        {"value": 7},
    ]


DEEP = '{"a":' * 3000 + "1" + "}" * 3000


@pytest.mark.parametrize(
    ("fields", "why"),
    [
        ({"json": DEEP}, "json field nests deeper than 32 levels"),
        ({"json": '{"a": "\\ud800"}'}, "json.a: lone surrogate U+D800 at char 0"),
        (
            {"json": '{"rows": [{"n": "x\\u0000y"}]}'},
            "json.rows[0].n: control character U+0000 at char 1",
        ),
        ({"value": "a\x00b"}, "field 'value': control character U+0000 at char 1"),
        ({"value": "\udc80"}, "field 'value': lone surrogate U+DC80 at char 0"),
        (
            {"x" * 200: "1"},
            "field name 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…' is longer than 128 characters",
        ),
        ({"va\x1blue": "1"}, "field name 'va\\u001blue': control character U+001B at char 2"),
        ({"value": "x" * 300_000}, "field 'value' is larger than 262144 bytes"),
        (
            {"json": '{"v": 1' + "0" * 50 + "}"},
            "number 1000000000000000000000000000000000000000… has more than 40 digits",
        ),
        (
            {"json": '{"' + "k" * 200 + '": 1}'},
            f"json: key '{'k' * 40}…' is longer than 128 characters",
        ),
        ({"json": '{"v": [' + "0," * 30_000 + "0]}"}, "json field holds more than 20000 values"),
        ({"json": '{"v": 1e400}'}, "number 1e400 is out of range"),
        ({"json": '{"v": -Infinity}'}, "json field holds -Infinity, which is not JSON"),
        ({"value": "1", "ts": "\ud800"}, "field 'ts': lone surrogate U+D800 at char 0"),
        ({"value": 7}, "field 'value' is int, not text"),  # type: ignore[dict-item]
    ],
)
def test_hostile_entries_are_refused_with_a_located_reason(
    fields: dict[str, str], why: str
) -> None:
    """Deep nesting, lone surrogates, control characters, huge names, fields and numbers are each
    refused with a reason naming where (issue 17: one such entry used to crash the gateway)."""
    assert reason(fields) == why  # type: ignore[arg-type]


def test_text_keeps_tabs_and_newlines_and_vietnamese() -> None:
    """Tabs, newlines (CRLF too) and any valid Unicode text stay accepted."""
    entry = decoded({"note": "Sông Hồng\tmực nước\r\ncao 🌊", "json": '{"n": "a\\nb"}'})
    assert entry.fields == {"note": "Sông Hồng\tmực nước\r\ncao 🌊", "n": "a\nb"}


def test_the_bounds_are_the_documented_ones() -> None:
    """The numbers the contract docstring and README promise are the ones enforced."""
    from opswall.feeds import bounds, contract

    assert (bounds.MAX_DEPTH, bounds.MAX_NODES, bounds.MAX_FIELDS) == (32, 20_000, 256)
    assert (bounds.MAX_NAME_CHARS, bounds.MAX_FIELD_BYTES) == (128, 256 * 1024)
    assert (bounds.MAX_ENTRY_BYTES, bounds.MAX_BODY_BYTES) == (1024 * 1024, 2 * 1024 * 1024)
    for figure in (
        "32 levels",
        "20,000 values",
        "256 fields",
        "128 characters",
        "256 KiB",
        "1 MiB",
    ):
        assert figure in (contract.__doc__ or ""), figure
        assert figure in README, figure
