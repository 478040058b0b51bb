"""Screen schedules (issue 21, part 5) in the pure view function, with the clock passed in: a
window starts and ends on the wall's clock, runs past midnight, keeps to its weekdays; a
leader's scene and focus win over it, and an alert takeover over both. Unknown scenes and
malformed times are config errors naming the place."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from opswall.config.loader import load_config
from opswall.config.models import WallConfig
from opswall.control.actions import apply
from opswall.control.state import ActiveWarning, WallState
from opswall.control.views import Care, all_views, view_of
from opswall.errors import WallConfigError
from opswall.tiles import default_registry

FIXTURES = Path(__file__).parents[1] / "fixtures"
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
MAIN = '  - id: main\n    title: {vi: "Tổng quan", en: "Overview"}\n'
SCHEDULE = (
    "    schedule:\n"
    '      - {days: [mon, tue, wed, thu, fri], from: "08:00", to: "17:00", scene: economy}\n'
    '      - {days: [fri], from: "22:00", to: "06:00", scene: overview}\n'
)


def config_with(tmp_path: Path, schedule: str = SCHEDULE) -> WallConfig:
    text = (FIXTURES / "session.yaml").read_text(encoding="utf-8")
    assert MAIN in text
    path = tmp_path / "wall.yaml"
    path.write_text(text.replace(MAIN, MAIN + schedule, 1), encoding="utf-8")
    return load_config(path, default_registry())


def at(day: int, hour: int, minute: int = 0) -> int:
    """Epoch ms of 2026-11-<day> hour:minute in Hà Nội (30 November 2026 is a Monday)."""
    return int(datetime(2026, 11, day, hour, minute, tzinfo=HANOI).timestamp() * 1000)


def shown(config: WallConfig, now: int, state: WallState | None = None) -> tuple[str | None, str]:
    screen = config.screen("main")
    assert screen is not None
    view = view_of(config, screen, state or WallState(), now)
    return view.scene, view.source


def test_a_window_starts_and_ends_on_the_walls_clock(tmp_path: Path) -> None:
    config = config_with(tmp_path)
    assert shown(config, at(30, 7, 59)) == (None, "own")
    assert shown(config, at(30, 8, 0)) == ("economy", "schedule")
    assert shown(config, at(30, 16, 59)) == ("economy", "schedule")
    assert shown(config, at(30, 17, 0)) == (None, "own")
    assert shown(config, at(29, 10)) == (None, "own")  # Sunday: not one of its days


def test_a_window_past_midnight_belongs_to_the_day_it_starts(tmp_path: Path) -> None:
    config = config_with(tmp_path)
    friday, saturday = 4, 5  # December 2026
    on_friday = int(datetime(2026, 12, friday, 23, tzinfo=HANOI).timestamp() * 1000)
    early_saturday = int(datetime(2026, 12, saturday, 5, 59, tzinfo=HANOI).timestamp() * 1000)
    late_saturday = int(datetime(2026, 12, saturday, 23, tzinfo=HANOI).timestamp() * 1000)
    assert shown(config, on_friday) == ("overview", "schedule")
    assert shown(config, early_saturday) == ("overview", "schedule")
    assert shown(config, late_saturday) == (None, "own")
    assert shown(config, at(30, 5)) == (None, "own")  # Monday 05:00: Sunday began no window


def test_a_leaders_scene_and_focus_win_over_the_schedule_and_a_takeover_over_both(
    tmp_path: Path,
) -> None:
    config = config_with(tmp_path)
    now = at(30, 9)
    held = apply(WallState(), {"action": "scene", "scene": "overview"}, "lena", config, now)
    assert shown(config, now, held) == ("overview", "held")
    focus = {"action": "focus", "screen": "main", "layout": "main", "tile": "load"}
    focused = apply(WallState(), focus, "lena", config, now)
    assert shown(config, now, focused)[1] == "focus"
    storm = ActiveWarning("w1", "storm", "critical", {}, now, scene="disaster", screens=("main",))
    taken = WallState(scene="overview", warnings=(storm,))
    assert shown(config, now, taken) == ("disaster", "takeover")
    released = apply(held, {"action": "release"}, "lena", config, now)
    assert shown(config, now, released) == ("economy", "schedule")


@pytest.mark.parametrize(
    ("window", "problem"),
    [
        ('{from: "08:00", to: "17:00", scene: nowhere}', "schedule[0].scene"),
        ('{from: "8:00", to: "17:00", scene: economy}', "schedule[0].from"),
        ('{from: "08:00", to: "24:00", scene: economy}', "schedule[0].to"),
        ('{days: [someday], from: "08:00", to: "17:00", scene: economy}', "schedule[0].days"),
        ('{days: [], from: "08:00", to: "17:00", scene: economy}', "schedule[0].days"),
    ],
)
def test_a_bad_window_is_a_located_config_error(tmp_path: Path, window: str, problem: str) -> None:
    with pytest.raises(WallConfigError) as refused:
        config_with(tmp_path, f"    schedule:\n      - {window}\n")
    assert problem in str(refused.value)


CARE = "theme: dark}"


def care_config(tmp_path: Path, care: str) -> WallConfig:
    text = (FIXTURES / "session.yaml").read_text(encoding="utf-8")
    assert CARE in text
    path = tmp_path / "wall.yaml"
    path.write_text(text.replace(CARE, f"theme: dark, care: {care}}}", 1), encoding="utf-8")
    return load_config(path, default_registry())


def test_burn_in_care_moves_the_canvas_in_steps_and_dims_it_at_night(tmp_path: Path) -> None:
    """Every screen's view carries the same care: a step of a small square every shift_every,
    and the night brightness while the night window (past midnight) is open."""
    config = care_config(
        tmp_path, '{shift_px: 3, shift_every: 10m, night_from: "23:00", night_to: "06:00"}'
    )
    day, night = at(30, 12), at(30, 23, 30)
    first = all_views(config, WallState(), day)["main"].care
    later = all_views(config, WallState(), day + 600_000)["main"].care
    assert (first.dim, later.dim) == (1.0, 1.0)
    assert {abs(first.dx), abs(first.dy), abs(later.dx), abs(later.dy)} <= {0, 3}
    assert (first.dx, first.dy) != (later.dx, later.dy)
    assert all_views(config, WallState(), day)["left"].care == first  # the same on every screen
    assert all_views(config, WallState(), night)["main"].care.dim == 0.6
    assert all_views(config, WallState(), at(30, 5, 59))["main"].care.dim == 0.6
    assert all_views(config, WallState(), at(30, 6))["main"].care.dim == 1.0
    assert (
        all_views(config, WallState(), day)["main"].key
        == all_views(config, WallState(), day + 600_000)["main"].key
    )  # care never re-renders the page


def test_no_care_configured_is_no_change() -> None:
    config = load_config(FIXTURES / "session.yaml", default_registry())
    assert all_views(config, WallState(), at(30, 23))["main"].care == Care()


def test_a_dim_or_off_window_darkens_its_screen_unless_a_leader_or_takeover_acts(
    tmp_path: Path,
) -> None:
    """`mode: off` makes the screen dark, `dim` dims it to wall.care.night_dim, in its window
    and on that screen only; a leader's scene or a takeover shows at full brightness."""
    config = config_with(
        tmp_path,
        "    schedule:\n"
        '      - {from: "20:00", to: "22:00", mode: dim}\n'
        '      - {from: "22:00", to: "06:00", mode: "off"}\n'
        '      - {from: "08:00", to: "17:00", scene: economy}\n',
    )
    views = all_views(config, WallState(), at(30, 21))
    assert (views["main"].care.dim, views["left"].care.dim) == (0.6, 1.0)
    assert all_views(config, WallState(), at(30, 23))["main"].care.dim == 0.0
    assert all_views(config, WallState(), at(30, 12))["main"].care.dim == 1.0
    held = apply(WallState(), {"action": "scene", "scene": "overview"}, "lena", config, at(30, 23))
    assert all_views(config, held, at(30, 23))["main"].care.dim == 1.0
    storm = ActiveWarning(
        "w1", "storm", "critical", {}, at(30, 23), scene="disaster", screens=("main",)
    )
    assert all_views(config, WallState(warnings=(storm,)), at(30, 23))["main"].care.dim == 1.0


def test_a_window_sets_a_scene_or_a_mode_not_both(tmp_path: Path) -> None:
    with pytest.raises(WallConfigError) as refused:
        config_with(
            tmp_path,
            '    schedule:\n      - {from: "08:00", to: "17:00", scene: economy, mode: dim}\n',
        )
    assert "schedule[0]" in str(refused.value) and "not both" in str(refused.value)
