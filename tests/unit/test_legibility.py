"""The legibility rule: visual angles, thresholds by role, screen sizes and the report."""

from __future__ import annotations

import math

import pytest
from pydantic import ValidationError

from opswall.config.hardware import Hardware, parse_length
from opswall.legibility.rules import (
    Finding,
    ScreenSummary,
    TextSample,
    arcmin,
    height_for,
    judge,
    summary_table,
    worst_first,
)


def sample(role: str, cap_px: float) -> TextSample:
    return TextSample("main", "load", role, "Phụ tải", "tile-title", cap_px / 0.73, cap_px)


def test_arcmin_matches_nureg_0700_conversion() -> None:
    """16' from 5 m is NUREG-0700's height = 6.283·D·MA/21600 (about 23.3 mm), both ways."""
    expected = 6.283 * 5000 * 16 / 21600
    assert height_for(16, 5000) == pytest.approx(expected, rel=1e-3)
    assert arcmin(expected, 5000) == pytest.approx(16, rel=1e-3)


def test_a_55_inch_1080p_pixel_is_0_63_mm() -> None:
    """A 55-inch 16:9 screen's picture is 1218 mm wide: 0.634 mm per pixel at 1920 wide."""
    assert Hardware(diagonal_in=55).mm_per_px() == pytest.approx(0.634, abs=0.001)
    assert Hardware(width_mm=1218, resolution=(3840, 2160)).mm_per_px() == pytest.approx(
        0.317, abs=0.001
    )
    assert Hardware().mm_per_px() is None


def test_a_size_is_a_diagonal_or_a_width_not_both() -> None:
    """Both sizes at once are refused with the reason."""
    with pytest.raises(ValidationError, match="diagonal_in or width_mm"):
        Hardware(diagonal_in=55, width_mm=1218)


@pytest.mark.parametrize(("text", "mm"), [("5m", 5000), ("450cm", 4500), ("16ft", 4876.8)])
def test_viewing_distances_parse_with_units(text: str, mm: float) -> None:
    """Distances are written with their unit."""
    assert parse_length(text) == pytest.approx(mm)


@pytest.mark.parametrize("text", ["5", "five m", "-5m", "0.01m", "900m", ""])
def test_bad_distances_are_refused(text: str) -> None:
    """A distance without a unit, or not a plausible viewing distance, is refused."""
    with pytest.raises(ValueError, match=r"length|distance"):
        parse_length(text)


def test_figures_need_16_minutes_and_texts_10() -> None:
    """A figure below 16' is an error, a text only below 10'; between the bars, a warning."""
    mm_per_px, distance = 0.634, 5000.0
    px_for = {m: height_for(m, distance) / mm_per_px for m in (10, 16, 20)}
    assert (
        judge(sample("figure", px_for[16] * 0.95), mm_per_px, distance, "w:1:1").severity == "error"
    )  # type: ignore[union-attr]
    assert (
        judge(sample("figure", px_for[16] * 1.05), mm_per_px, distance, "w:1:1").severity
        == "warning"
    )  # type: ignore[union-attr]
    assert judge(sample("figure", px_for[20] * 1.01), mm_per_px, distance, "w:1:1") is None
    assert (
        judge(sample("text", px_for[10] * 1.05), mm_per_px, distance, "w:1:1").severity == "warning"
    )  # type: ignore[union-attr]
    assert (
        judge(sample("text", px_for[10] * 0.95), mm_per_px, distance, "w:1:1").severity == "error"
    )  # type: ignore[union-attr]


def test_a_finding_says_where_what_and_how_large_it_must_be() -> None:
    """The message names the file location, the text, the angle and the font size needed."""
    found = judge(sample("text", 14), 0.634, 5000, "wall_config.yaml:12:9")
    assert found is not None
    text = str(found)
    assert text.startswith("wall_config.yaml:12:9: error: main tile load: 'Phụ tải'")
    assert "6.1' from 5 m" in text and "needs 10'" in text
    needed = float(text.rsplit("needs ", 1)[1].split(" px")[0])
    assert math.isclose(needed, 14 / 0.73 * 10 / arcmin(14 * 0.634, 5000), abs_tol=1)


def test_errors_come_first_then_the_worst() -> None:
    """Errors before warnings; within each, the furthest below its bar first."""
    f = [
        Finding(s, "x:1:1", "m", None, "", r)
        for s, r in [("warning", 0.9), ("error", 0.8), ("error", 0.5)]
    ]
    assert [(x.severity, x.ratio) for x in worst_first(f)] == [
        ("error", 0.5),
        ("error", 0.8),
        ("warning", 0.9),
    ]


def test_the_summary_is_one_aligned_line_per_screen() -> None:
    """The table has a header and one row per screen, columns aligned."""
    table = summary_table([ScreenSummary("main", "1920x1080", 52, 3, 1, 0, "6.1'")])
    head, row = table.splitlines()
    assert head.split() == [
        "screen",
        "resolution",
        "texts",
        "errors",
        "warnings",
        "cut",
        "glyphs",
        "smallest",
    ]
    assert row.split() == ["main", "1920x1080", "52", "3", "1", "0", "6.1'"]
    assert head.index("errors") == row.index("3")
