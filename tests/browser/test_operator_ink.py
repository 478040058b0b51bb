"""No glyph cut on the operator pages (issue 18's Done-when): the sign-in page, the index and
every operator page, in Vietnamese and English, at 1920x1080 and 3840x2160, with their own
words and with every text replaced by the tallest Vietnamese capitals."""

from __future__ import annotations

import pytest

from opswall.legibility.ink import TALL_SAMPLE, find_cut_ink
from tests.browser.conftest import Wall
from tests.browser.test_accessibility import OPERATOR_PAGES

pytestmark = [pytest.mark.browser, pytest.mark.redis]


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (3840, 2160)])
def test_no_operator_page_cuts_a_glyph(wall: Wall, width: int, height: int) -> None:
    page = wall.new_page(f"operator-{width}", width, height)
    page.goto(f"{wall.url}/login")
    assert [str(c) for c in find_cut_ink(page, TALL_SAMPLE)] == []
    wall.sign_in(page, "admin")
    cut: list[str] = []
    for lang in ("vi", "en"):
        for path in OPERATOR_PAGES:
            page.goto(f"{wall.url}{path}?lang={lang}")
            page.wait_for_load_state("load")  # /admin/screens polls: never network-idle
            page.wait_for_timeout(300)
            found = [*find_cut_ink(page), *find_cut_ink(page, TALL_SAMPLE)]
            cut += [f"{lang} {path}: {c}" for c in found]
    assert cut == []
