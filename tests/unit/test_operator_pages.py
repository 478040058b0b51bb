"""The operator pages' language and clock (issue 18, part 6): one formatter for instants, the
zone's name, numbers in the locale's style, and every string a template asks for in both
languages."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from opswall.auth.principals import ROLES
from opswall.auth.scopes import TokenKind
from opswall.i18n import PAGES
from opswall.web.pages import number, offset, stamp, zone_name
from opswall.web.video_states import STATES

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
TEMPLATES = Path(__file__).resolve().parents[2] / "opswall" / "templates"
# Keys a template builds from data: named('role_', who.role) and the like.
BUILT = {
    "role_": ROLES,
    "kind_": tuple(k.value for k in TokenKind),
    "feed_": ("ok", "late", "silent", "failing", "waiting"),
    "pane_": (*STATES, "not-reporting"),
}


def test_an_instant_is_written_on_the_walls_clock_in_the_locales_style() -> None:
    """02:41:05 UTC is 09:41:05 in Hà Nội: dd/mm/yyyy in Vietnamese, yyyy-mm-dd in English."""
    instant = datetime(2026, 11, 28, 20, 1, 2, tzinfo=UTC)
    assert stamp(instant, HANOI, "vi") == "29/11/2026 03:01:02"
    assert stamp(instant, HANOI, "en") == "2026-11-29 03:01:02"


def test_a_naive_instant_is_taken_as_utc() -> None:
    """SQLite gives back naive datetimes: they are UTC, not the server's local time."""
    assert stamp(datetime(2026, 11, 29, 2, 41, 5), HANOI, "vi") == "29/11/2026 09:41:05"


def test_the_zone_is_named_in_the_pages_language() -> None:
    """Vietnam's zone reads as Hà Nội time with its offset; other zones by their city."""
    now = datetime(2026, 11, 29, tzinfo=UTC)
    assert zone_name(HANOI, "vi", now) == "giờ Hà Nội (UTC+7)"
    assert zone_name(HANOI, "en", now) == "Hanoi time (UTC+7)"
    assert zone_name(ZoneInfo("Asia/Kolkata"), "en", now) == "Kolkata time (UTC+5:30)"
    assert zone_name(ZoneInfo("UTC"), "vi", now) == "UTC"


@pytest.mark.parametrize(
    ("minutes", "text"), [(0, "UTC"), (420, "UTC+7"), (-210, "UTC-3:30"), (345, "UTC+5:45")]
)
def test_offsets_are_written_as_people_read_them(minutes: int, text: str) -> None:
    """UTC+7, not +07:00."""
    assert offset(timedelta(minutes=minutes)) == text


def test_numbers_follow_the_locale() -> None:
    """1.234,5 in Vietnamese, 1,234.5 in English; nothing to show is a dash."""
    assert number(1234.5, "vi", 1) == "1.234,5"
    assert number(1234.5, "en", 1) == "1,234.5"
    assert number(30.0, "vi") == "30"
    assert number(float("nan"), "vi") == "–" and number(None, "en") == "–"


def keys_asked() -> set[str]:
    keys: set[str] = set()
    for page in TEMPLATES.glob("*.html"):
        source = page.read_text(encoding="utf-8")
        keys.update(re.findall(r"\bt\('([a-z_-]+)'[,)]", source))
        for prefix in re.findall(r"\bnamed\('([a-z_]+_)',", source):
            keys.update(prefix + value for value in BUILT[prefix])
    return keys


def test_every_string_a_template_asks_for_exists_in_both_languages() -> None:
    """A key missing from i18n.PAGES would break the page; an empty one would show nothing."""
    asked = keys_asked()
    assert len(asked) > 80
    missing = sorted(k for k in asked if set(PAGES.get(k, {})) != {"vi", "en"})
    assert not missing
    assert all(all(PAGES[k].values()) for k in asked)


def test_no_operator_template_holds_a_word_of_its_own() -> None:
    """Text between tags is a `t()` call, data, or punctuation: never an English literal."""
    for page in TEMPLATES.glob("*.html"):
        if page.name == "control.html":
            continue
        source = re.sub(r"{[{%#].*?[}%#]}", "", page.read_text(encoding="utf-8"), flags=re.S)
        words = re.findall(r">([^<]*[A-Za-z]{3,}[^<]*)<", source)
        assert [w for w in words if w.strip() != "opswall"] == [], page.name
