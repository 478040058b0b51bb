"""The feed message contract: numbers, ts forms, json merging, and reasons for rejection."""

from __future__ import annotations

import pytest

from opswall.feeds.contract import FeedEntry, Rejected, coerce_scalar, decode_entry

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
            "json field is not valid JSON (Expecting property name enclosed in double quotes at char 1)",
        ),
        ({"json": "[1, 2]"}, "json field must hold an object, not list"),
        ({"json": '{"v": NaN}'}, "json field holds NaN, which is not JSON"),
        ({"json": '{"v": [1.5e999]}'}, "number 1.5e999 is out of range"),
        ({"value": "2e400"}, "number 2e400 is out of range"),
        ({"value": "1", "ts": "1e310"}, "number 1e310 is out of range"),
        ({"value": "1", "ts": "1e20"}, "ts '1e20' is after the year 9999"),
        ({"ts": "1763690000000"}, "no data fields (only ts)"),
        ({b"value": b"\xff\xfe"}, "a field is not UTF-8 text"),
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
