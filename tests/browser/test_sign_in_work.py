"""Signing in while a name is being guessed at, in headless Chromium (issue 17, part 5)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import Wall
from tests.conftest import redis_client

pytestmark = [pytest.mark.browser, pytest.mark.redis]


def test_a_person_signs_in_with_the_work_the_page_does(wall: Wall) -> None:
    """After many wrong passwords for a name from elsewhere, the sign-in page asks for a proof
    of work; the page's script does it when the person presses Sign in, and they are in."""
    redis_client(wall.redis.url).set("{ratelimit}:login:user:leader", 14, ex=300)
    page = wall.new_page("login")
    page.goto(f"{wall.url}/login?next=/control")
    page.fill("input[name=username]", "leader")
    page.fill("input[name=password]", wall.record.password)
    page.click("button[type=submit]")
    form = page.wait_for_selector("form#login[data-pow-bits]")
    assert form is not None and int(form.get_attribute("data-pow-bits") or 0) == 12
    assert "trình duyệt" in page.inner_text("[data-role=error]")
    assert page.input_value("input[name=username]") == "leader"  # kept; the password is not
    page.fill("input[name=password]", wall.record.password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{wall.url}/control*", timeout=20000)
    # The asked-for work came with a 429, which Chromium logs; nothing else went wrong.
    assert all("status of 429" in error for error in wall.console_errors), wall.console_errors
