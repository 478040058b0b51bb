"""Demo simulators produce contract-shaped, plausible, bounded data."""

from __future__ import annotations

import json
import random

from opswall.config.feed_sources import SimRow, SimulatorSource
from opswall.feeds.contract import FeedEntry, decode_entry
from opswall.feeds.simulator import Simulator


def test_walk_stays_within_bounds_and_decodes_as_numbers() -> None:
    """A bounded walk never leaves [min, max] and its entries decode per the contract."""
    source = SimulatorSource(
        kind="simulator", base=42000, jitter=0.5, decimals=0, min=30000, max=49759
    )
    sim = Simulator(source, random.Random(1))
    values = []
    for _ in range(500):
        result = decode_entry("1763700000000-0", sim.next_fields())  # type: ignore[arg-type]
        assert isinstance(result, FeedEntry)
        values.append(result.fields["value"])
    assert all(30000 <= v <= 49759 for v in values)
    assert len(set(values)) > 50  # it moves


def test_counter_never_decreases() -> None:
    """A counter (records today, arrivals today) only grows."""
    sim = Simulator(
        SimulatorSource(kind="simulator", generator="counter", base=3, start=100, decimals=0),
        random.Random(2),
    )
    values = [float(sim.next_fields()["value"]) for _ in range(200)]
    assert values[0] >= 100 and values == sorted(values)


def test_rows_generator_emits_rows_in_a_json_field() -> None:
    """The rows generator carries its rows (with constant fields) in the json field."""
    source = SimulatorSource(
        kind="simulator",
        generator="rows",
        decimals=2,
        rows=(SimRow(name="Sông Hồng", base=9.1, fields={"alarm1": 9.5}),),
    )
    rows = json.loads(Simulator(source, random.Random(3)).next_fields()["json"])["rows"]
    assert rows[0]["name"] == "Sông Hồng" and rows[0]["alarm1"] == 9.5
    assert abs(rows[0]["value"] - 9.1) < 1


def test_events_clear_as_well_as_raise_and_stay_few() -> None:
    """Warnings are raised and cleared; however long it runs, at most two per template are open."""
    rows = tuple(SimRow(name=f"event {i}", base=0, fields={"severity": "info"}) for i in range(3))
    sim = Simulator(
        SimulatorSource(kind="simulator", generator="events", rows=rows), random.Random(4)
    )
    open_ids: set[str] = set()
    most_open = 0
    for _ in range(2000):
        fields = sim.next_fields()
        if fields["state"] == "cleared":
            assert fields["id"] in open_ids  # only what is open is cleared
            open_ids.remove(fields["id"])
        else:
            assert fields["text"].startswith("event ") and fields["id"] not in open_ids
            open_ids.add(fields["id"])
        most_open = max(most_open, len(open_ids))
    assert most_open == 6  # reached, never passed
