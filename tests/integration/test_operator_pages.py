"""The operator pages speak the wall's language and keep its clock (issue 18, part 6), against a
real web process on a Vietnamese wall on Hà Nội time."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests

from opswall.runtime.redis_provider import RedisServer
from opswall.store.db import Database
from opswall.store.schema import AuditEvent
from opswall.testing import Provisioned
from tests.conftest import FIXTURES
from tests.integration.test_security import csrf_of

pytestmark = pytest.mark.redis

PAGES = ("/admin/tokens", "/admin/users", "/admin/audit", "/admin/feeds")
# The old pages' English labels: none may be left on a Vietnamese page.
ENGLISH = (
    "Device tokens",
    "Users",
    "Audit trail",
    "Sign out",
    "Revoke",
    "Expected every",
    "Active sessions",
    "Warnings",
    "Create token",
    "Add user",
    "Last seen",
    "(UTC)",
    "connections",
    "Dead letters",
)
# 20:15:07 UTC on 30 June is 03:15:07 on 1 July in Hà Nội: day and month both turn over.
INSTANT = datetime(2026, 6, 30, 20, 15, 7, tzinfo=UTC)
SLOW = '  - {id: hydro, label: {vi: "Thủy văn", en: "Hydrology"}, cadence: 10s, stale_after: 3, source: {kind: redis}}\n'


@pytest.fixture
def vi_web(redis_server: RedisServer, tmp_path: Path, start_web: Any, record: Provisioned) -> str:
    """A web process on a Vietnamese copy of the session wall, with a 10 s feed."""
    text = (FIXTURES / "session.yaml").read_text(encoding="utf-8")
    text = text.replace("locale: en", "locale: vi", 1).replace("feeds:\n", "feeds:\n" + SLOW, 1)
    config = tmp_path / "session.yaml"
    config.write_text(text, encoding="utf-8")
    db = Database(record.database_url)
    with db.session() as s:
        s.add(AuditEvent(at=INSTANT, actor="admin", role="admin", action="test.instant"))
    db.dispose()
    return str(start_web(config, redis_server.url, 1))


def sign_in(web: str, user: str, password: str) -> requests.Session:
    session = requests.Session()
    csrf = csrf_of(session.get(f"{web}/login", timeout=5).text)
    form = {"username": user, "password": password, "csrf_token": csrf}
    reply = session.post(f"{web}/login", data=form, allow_redirects=False, timeout=10)
    assert reply.status_code == 302, reply.text
    return session


def lang_of(page: str) -> str:
    found = re.search(r'<html lang="(\w+)"', page)
    assert found, page[:300]
    return found.group(1)


def test_operator_pages_speak_vietnamese_on_a_vietnamese_wall(
    vi_web: str, record: Provisioned
) -> None:
    """Every operator page and the sign-in page say lang="vi" and none of the old English
    labels; the times say which zone they are in."""
    login = requests.get(f"{vi_web}/login", timeout=5).text
    assert lang_of(login) == "vi" and "Đăng nhập" in login and "Sign in" not in login
    admin = sign_in(vi_web, "admin", record.password)
    for path in PAGES:
        page = admin.get(f"{vi_web}{path}", timeout=10).text
        assert lang_of(page) == "vi", path
        assert [word for word in ENGLISH if word in page] == [], path
        assert "giờ Hà Nội (UTC+7)" in page and "Đăng xuất" in page, path
        assert f'href="{path}?lang=en"' in page, path  # the switch, in the top nav


def test_audit_and_session_times_are_hanoi_time(vi_web: str, record: Provisioned) -> None:
    """A known UTC instant in the audit trail reads as its Hà Nội time, dd/mm/yyyy; a session
    opened now shows Hà Nội's date and hour, not UTC's."""
    admin = sign_in(vi_web, "admin", record.password)
    audit = admin.get(f"{vi_web}/admin/audit", timeout=10).text
    row = re.search(r'<tr data-action="test.instant"><td class="when">([^<]+)<', audit)
    assert row and row.group(1) == "01/07/2026 03:15:07", audit[:2000]
    users = admin.get(f"{vi_web}/admin/users", timeout=10).text
    session_row = re.search(r'<tr data-session="\d+" data-user="admin">(.*?)</tr>', users, re.S)
    assert session_row, users[:2000]
    hanoi = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).strftime("%d/%m/%Y %H:")
    assert f'<td class="when">{hanoi}' in session_row.group(1)


def test_the_language_switch_sticks_for_the_session(vi_web: str, record: Provisioned) -> None:
    """?lang=en turns the pages English and the choice holds on later pages until ?lang=vi."""
    admin = sign_in(vi_web, "admin", record.password)
    english = admin.get(f"{vi_web}/admin/users?lang=en", timeout=10).text
    assert lang_of(english) == "en" and "Active sessions" in english
    later = admin.get(f"{vi_web}/admin/audit", timeout=10).text
    assert lang_of(later) == "en" and "Audit trail" in later and "Hanoi time (UTC+7)" in later
    assert re.search(r'<td class="when">2026-07-01 03:15:07<', later)
    back = admin.get(f"{vi_web}/admin/tokens?lang=vi", timeout=10).text
    assert lang_of(back) == "vi" and "Mã thiết bị" in back
    assert lang_of(admin.get(f"{vi_web}/admin/feeds", timeout=10).text) == "vi"


def test_feeds_show_cadence_and_stale_threshold_apart(vi_web: str, record: Provisioned) -> None:
    """A 10 s feed with stale_after 3 is sent every 10 s and stale after 30 s: two columns,
    in either language."""
    admin = sign_in(vi_web, "admin", record.password)
    for lang, cadence, stale in (
        ("vi", "mỗi 10 giây", "chậm sau 30 giây"),
        ("en", "every 10 s", "stale after 30 s"),
    ):
        page = admin.get(f"{vi_web}/admin/feeds?lang={lang}", timeout=10).text
        row = re.search(r'<tr data-feed="hydro".*?</tr>', page, re.S)
        assert row, page[:2000]
        assert f'<td data-role="cadence">{cadence}</td>' in row.group(0)
        assert f'<td data-role="stale">{stale}</td>' in row.group(0)


def error_of(page: str) -> str:
    """The text of a refusal: an error page's heading and message, or a form's error line."""
    found = re.search(r'data-role="(?:message|error)">(.*?)</(?:div|p)>', page, re.S)
    assert found, page[:800]
    return html.unescape(re.sub(r"<[^>]+>", " ", found.group(1)))


def test_refusals_speak_the_pages_language(vi_web: str, record: Provisioned) -> None:
    """A page a role may not open, a form without its CSRF token, a refused account change and
    a malformed token form say why in Vietnamese on a Vietnamese wall (in English after
    ?lang=en), never in the web framework's English."""
    leader, admin = (
        sign_in(vi_web, "leader", record.password),
        sign_in(vi_web, "admin", record.password),
    )
    page = leader.get(f"{vi_web}/admin/tokens", timeout=10)
    assert page.status_code == 403 and lang_of(page.text) == "vi"
    assert "Không có quyền" in error_of(page.text) and "Forbidden" not in page.text, page.text
    english = leader.get(f"{vi_web}/admin/tokens?lang=en", timeout=10)
    assert english.status_code == 403 and "Not allowed" in error_of(english.text)
    stale = admin.post(f"{vi_web}/admin/users", data={"do": "create"}, timeout=10)
    assert stale.status_code == 403 and "Tải lại trang" in error_of(stale.text), stale.text[:800]
    csrf = csrf_of(admin.get(f"{vi_web}/admin/users", timeout=10).text)
    for form, words in (
        ({"do": "bogus"}, "Thao tác 'bogus' không có"),
        ({"do": "role", "user": "admin", "role": "leader"}, "quản trị viên cuối cùng"),
        (
            {"do": "password", "user": "nobody", "password": "a long enough secret"},
            "Không có người dùng 'nobody'",
        ),
        ({"do": "revoke", "session": "x"}, "Phiên cần ngắt phải là một số"),
        ({"username": "ngân", "password": "short", "role": "leader"}, "Mật khẩu cần ít nhất"),
    ):
        refused = admin.post(f"{vi_web}/admin/users", data={**form, "csrf_token": csrf}, timeout=10)
        assert refused.status_code == 400 and words in error_of(refused.text), form
    tokens = admin.post(
        f"{vi_web}/admin/tokens", data={"revoke": "x", "csrf_token": csrf}, timeout=10
    )
    assert tokens.status_code == 400 and "Mã cần thu hồi phải là một số" in error_of(tokens.text)
