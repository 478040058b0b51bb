"""What a wall page's report adds beyond its state (issue 21, parts 1 and 2): the heap's trend
over a short history per device, its long tasks and its video panes, each bounded by the
protocol like the other fields."""

from __future__ import annotations

import json

import pytest

from opswall.control.fleet import HEAP_KEPT, Expected, Fleet, PaneState, Report, heap_trend
from opswall.gateway.protocol import parse_client_frame

NOW = 1_800_000_000_000
MB = 1_048_576


@pytest.mark.parametrize(
    ("heaps", "trend"),
    [
        ((), None),
        ((40 * MB, 41 * MB), None),
        ((40 * MB, 44 * MB, 48 * MB, 52 * MB), "rising"),
        ((40 * MB, 46 * MB, 40 * MB, 46 * MB, 40 * MB, 46 * MB, 40 * MB), "flat"),  # GC saw-tooth
        ((60 * MB, 55 * MB, 50 * MB), "falling"),
        ((0, 0, 0), "flat"),
    ],
)
def test_the_heap_trend_is_the_line_through_the_readings(
    heaps: tuple[int, ...], trend: str | None
) -> None:
    assert heap_trend(heaps) == trend


def test_a_device_keeps_a_short_history_of_its_heap_and_its_row_says_the_trend() -> None:
    fleet: Fleet[str] = Fleet()
    fleet.connect("socket", "device:1", "main", NOW)
    for i in range(HEAP_KEPT + 5):
        fleet.report("socket", Report("main", heap=(40 + i) * MB), NOW + i * 5000, None)
    fleet.report("socket", Report("main", heap=None), NOW + 200_000, None)  # not Chromium
    assert fleet.live["socket"].heaps == tuple((40 + i) * MB for i in range(5, HEAP_KEPT + 5))
    (row,) = fleet.rows(NOW + 200_000, Expected())
    assert row["heap_trend"] == "rising"


def test_long_tasks_and_video_panes_are_read_from_the_report_and_listed() -> None:
    frame = {"type": "report", "screen": "main", "long_tasks": 3, "long_task_ms": 412}
    frame |= {"panes": [{"tile": "cam", "site": "hanoi", "state": "no-signal"}]}
    report = parse_client_frame(json.dumps(frame))
    assert isinstance(report, Report)
    assert (report.long_tasks, report.long_task_ms) == (3, 412)
    assert report.panes == (PaneState("cam", "hanoi", "no-signal"),)
    fleet: Fleet[str] = Fleet()
    fleet.connect("socket", "device:1", "main", NOW)
    fleet.report("socket", report, NOW, None)
    (row,) = fleet.rows(NOW, Expected())
    published = json.loads(json.dumps(row))["report"]  # as the gateway publishes it
    assert published["panes"] == [{"tile": "cam", "site": "hanoi", "state": "no-signal"}]
    assert published["long_task_ms"] == 412
