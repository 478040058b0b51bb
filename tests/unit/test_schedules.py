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
from opswall.control.views import view_of
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
