"""Sessions kept on the server, what the token form may mint, sign-in limits a stranger cannot
turn against an account, and user names, against a real web process (issue 17, parts 3-5, 7).

The web process trusts one proxy hop here, so a test names the client's address with
`X-Forwarded-For` (as a TLS-terminating proxy in front of it would).
"""

from __future__ import annotations

import hashlib
import itertools
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from opswall.auth.audit import recent
from opswall.runtime.ports import free_port
from opswall.runtime.processes import PartProcess
from opswall.runtime.redis_provider import RedisServer
from opswall.store.db import Database
from opswall.testing import Provisioned
from tests.conftest import FIXTURES, redis_client
from tests.integration.test_producers import PUSHED
from tests.integration.test_security import csrf_of

pytestmark = pytest.mark.redis

ROOT = Path(__file__).resolve().parents[2]
SCREENS = ("main", "second", "third", "fourth")


@dataclass
class Web:
    url: str
    record: Provisioned

    def get(self, session: requests.Session, path: str) -> requests.Response:
        return session.get(f"{self.url}{path}", allow_redirects=False, timeout=10)

    def attempt(
        self, user: str, password: str, address: str = "10.0.0.1", **extra: str
    ) -> requests.Response:
        """One sign-in from `address` in a fresh browser."""
        session = requests.Session()
        session.headers["X-Forwarded-For"] = address
        csrf = csrf_of(session.get(f"{self.url}/login", timeout=5).text)
        return session.post(
            f"{self.url}/login",
            data={"username": user, "password": password, "csrf_token": csrf, **extra},
            allow_redirects=False,
            timeout=10,
        )

    def sign_in(self, user: str, address: str = "10.0.0.1") -> tuple[requests.Session, str]:
        session = requests.Session()
        session.headers["X-Forwarded-For"] = address
        csrf = csrf_of(session.get(f"{self.url}/login", timeout=5).text)
        reply = session.post(
            f"{self.url}/login",
            data={"username": user, "password": self.record.password, "csrf_token": csrf},
            allow_redirects=False,
            timeout=10,
        )
        assert reply.status_code == 302, reply.text
        return session, csrf_of(session.get(f"{self.url}/login", timeout=5).text)

    def admin_post(self, **form: str) -> requests.Response:
        admin, csrf = self.sign_in("admin", "10.9.9.9")
        return admin.post(f"{self.url}/admin/users", data={"csrf_token": csrf, **form}, timeout=10)


@pytest.fixture
def web(redis_server: RedisServer, tmp_path: Path, record: Provisioned) -> Any:
    shutil.copytree(ROOT / "catalogue", tmp_path / "catalogue")
    config = tmp_path / "wall_config.yaml"
    text = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
    config.write_text(
        text.replace("  - id: rivers\n", PUSHED, 1) + "catalogue: catalogue/indicators.csv\n",
        encoding="utf-8",
    )
    r = redis_client(redis_server.url)
    if keys := r.keys("{ratelimit}:*"):
        r.delete(*keys)
    port = free_port()
    part = PartProcess(
        ["web", "--config", str(config), "--port", str(port), "--gateway-port", "1"],
        {"OPSWALL_REDIS_URL": redis_server.url, "OPSWALL_TRUSTED_PROXIES": "1", **record.env},
        f"http://127.0.0.1:{port}/healthz",
    ).start()
    yield Web(f"http://127.0.0.1:{port}", record)
    part.stop()


def copy_of(session: requests.Session) -> requests.Session:
    """Another browser holding a copy of `session`'s cookies (a stolen or leftover cookie)."""
    thief = requests.Session()
    thief.cookies.update(session.cookies)
    return thief


def steers(web: Web, session: requests.Session, csrf: str) -> int:
    reply = session.post(
        f"{web.url}/api/control",
        json={"action": "pause"},
        headers={"X-CSRF-Token": csrf},
        timeout=10,
    )
    return reply.status_code


def assert_dead(web: Web, copy: requests.Session, csrf: str) -> None:
    control = web.get(copy, "/control")
    assert control.status_code == 302 and control.headers["Location"].startswith("/login")
    assert steers(web, copy, csrf) in (401, 403)


# -- sessions -----------------------------------------------------------------------------------


def test_a_copied_session_cookie_dies_when_its_owner_signs_out(web: Web) -> None:
    """Signing out ends the session on the server: a copy of its cookie opens nothing."""
    leader, csrf = web.sign_in("leader")
    copy = copy_of(leader)
    assert web.get(copy, "/control").status_code == 200 and steers(web, copy, csrf) == 200
    assert leader.post(f"{web.url}/logout", data={"csrf_token": csrf}, timeout=10).ok
    assert_dead(web, copy, csrf)


@pytest.mark.parametrize(
    "change",
    [
        {"do": "password", "password": "a brand new password"},
        {"do": "role", "role": "operator"},
        {"do": "sign_out", "confirm": "on"},
    ],
    ids=["password", "role", "everywhere"],
)
def test_an_admins_change_ends_every_session_of_that_person(
    web: Web, change: dict[str, str]
) -> None:
    """A password change, a role change, or "sign out everywhere" ends all that person's
    sessions at once (every copy of every cookie); other people stay signed in."""
    first, csrf = web.sign_in("leader", "10.0.0.1")
    second, csrf2 = web.sign_in("leader", "10.0.0.2")
    copy = copy_of(first)
    bystander, _ = web.sign_in("operator")
    done = web.admin_post(user="leader", **change)
    assert done.status_code == 200 and 'data-role="error"' not in done.text
    for session, token in ((first, csrf), (copy, csrf), (second, csrf2)):
        assert_dead(web, session, token)
    assert web.get(bystander, "/control").status_code == 200


def test_admins_see_and_revoke_a_persons_sessions(web: Web) -> None:
    """/admin/users lists each person's live sessions (created, last seen, address, user
    agent); revoking one ends only that one."""
    kept, csrf = web.sign_in("leader", "10.0.0.7")
    ended, ended_csrf = web.sign_in("leader", "10.0.0.8")
    admin, admin_csrf = web.sign_in("admin", "10.9.9.9")
    page = web.get(admin, "/admin/users").text
    rows = re.findall(r'<tr data-session="(\d+)" data-user="leader">(.*?)</tr>', page, re.S)
    assert len(rows) == 2, page
    assert "10.0.0.7" in page and "10.0.0.8" in page and "python-requests" in page
    target = next(sid for sid, row in rows if "10.0.0.8" in row)
    admin.post(
        f"{web.url}/admin/users",
        data={"csrf_token": admin_csrf, "do": "revoke", "session": target},
        timeout=10,
    )
    assert_dead(web, ended, ended_csrf)
    assert web.get(kept, "/control").status_code == 200 and steers(web, kept, csrf) == 200


# -- what the token form may mint -----------------------------------------------------------------


def mint(web: Web, user: str, **form: str) -> requests.Response:
    session, csrf = web.sign_in(user)
    return session.post(f"{web.url}/admin/tokens", data={"csrf_token": csrf, **form}, timeout=10)


def token_scopes(web: Web) -> list[str]:
    from opswall.auth.accounts import Accounts

    db = Database(web.record.database_url)
    try:
        return [t.screen for t in Accounts(db).tokens()]
    finally:
        db.dispose()


def test_an_operator_mints_screen_tokens_only(web: Web) -> None:
    """An operator's form offers the config's screens and nothing else; posting an agency,
    producer or metrics scope anyway is refused and creates nothing."""
    before = token_scopes(web)
    for form in (
        {"screen": "agency:MOIT"},
        {"screen": "push:pushed"},
        {"screen": "metrics"},
        {"screen": "nowhere"},
        {"kind": "agency", "agency": "MOIT"},
        {"kind": "producer", "feed": "pushed"},
        {"kind": "metrics"},
    ):
        refused = mint(web, "operator", **form)
        assert refused.status_code in (400, 403), form
        error = re.search(r'data-role="error">(.*?)</p>', refused.text, re.S)
        assert error and ("không" in error.group(1) and " not " in error.group(1)), form
    assert token_scopes(web) == before
    operator, _ = web.sign_in("operator")
    page = web.get(operator, "/admin/tokens").text
    assert '<input name="screen"' not in page and 'name="kind"' not in page
    options = re.findall(r'<option value="([^"]*)"', page.split('name="screen"', 1)[1])
    assert options == ["*", *SCREENS]
    assert mint(web, "operator", screen="second").status_code == 200
    assert token_scopes(web)[-1] == "second"


def test_an_admin_picks_the_kind_and_its_target_from_lists(web: Web) -> None:
    """An admin chooses the kind explicitly, the agency from the catalogue and the feed from
    the push feeds; anything else is refused."""
    admin, _ = web.sign_in("admin")
    page = web.get(admin, "/admin/tokens").text
    assert re.findall(r'name="kind" value="(\w+)"', page) == [
        "screen",
        "producer",
        "agency",
        "metrics",
    ]
    assert '<option value="MOIT"' in page and '<option value="pushed"' in page
    assert mint(web, "admin", kind="agency", agency="NOPE").status_code == 400
    assert mint(web, "admin", kind="producer", feed="power_load").status_code == 400
    assert mint(web, "admin", kind="agency", agency="MOIT").status_code == 200
    assert mint(web, "admin", kind="producer", feed="pushed").status_code == 200
    assert mint(web, "admin", kind="metrics").status_code == 200
    assert token_scopes(web)[-3:] == ["agency:MOIT", "push:pushed", "metrics"]


# -- sign-in limits -------------------------------------------------------------------------------


def test_wrong_passwords_from_one_address_do_not_lock_the_account_elsewhere(web: Web) -> None:
    """Nine wrong passwords from address X lock out X for that name only: the person signs in
    from address Y at once."""
    tries = [web.attempt("admin", "wrong-password", "203.0.113.5").status_code for _ in range(9)]
    assert tries == [200] * 8 + [429]
    assert web.attempt("admin", web.record.password, "203.0.113.5").status_code == 429
    assert web.attempt("admin", web.record.password, "198.51.100.7").status_code == 302


def solve(nonce: str, bits: int) -> str:
    """The proof of work the login page's script computes: the first counter whose SHA-256
    with the nonce starts with `bits` zero bits."""
    for counter in itertools.count():
        digest = hashlib.sha256(f"{nonce}:{counter}".encode()).digest()
        if int.from_bytes(digest, "big") >> (256 - bits) == 0:
            return str(counter)
    raise AssertionError


def test_many_addresses_guessing_one_name_cost_work_not_a_lock(web: Web) -> None:
    """Wrong passwords for one name from many addresses make every further try for that name
    carry a proof of work that grows with them; with the work done, the right password signs
    in: a stranger slows guessing down but cannot lock the person out."""
    for n in range(12):
        web.attempt("leader", "wrong-password", f"192.0.2.{n // 4}")
    bare = web.attempt("leader", web.record.password, "198.51.100.9")
    assert bare.status_code == 429
    bits = int(re.search(r'data-pow-bits="(\d+)"', bare.text).group(1))  # type: ignore[union-attr]
    assert 1 <= bits <= 20
    session = requests.Session()
    session.headers["X-Forwarded-For"] = "198.51.100.9"
    page = session.get(f"{web.url}/login", timeout=5).text
    nonce = re.search(r'name="pow_nonce" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    form = {
        "username": "leader",
        "password": web.record.password,
        "csrf_token": csrf_of(page),
        "pow_nonce": nonce,
        "pow": solve(nonce, bits),
    }
    done = session.post(f"{web.url}/login", data=form, allow_redirects=False, timeout=10)
    assert done.status_code == 302
    replay = requests.Session()
    replay.headers["X-Forwarded-For"] = "198.51.100.9"
    form["csrf_token"] = csrf_of(replay.get(f"{web.url}/login", timeout=5).text)
    again = replay.post(f"{web.url}/login", data=form, allow_redirects=False, timeout=10)
    assert again.status_code == 429  # a solved nonce is spent


def test_a_flood_of_refused_sign_ins_makes_one_audit_row_a_minute(web: Web) -> None:
    """Forty blocked tries from one address for one name add at most a couple of audit rows
    (one per user, address and minute), each with the count of tries it stands for."""
    for _ in range(48):
        web.attempt("admin", "wrong-password", "203.0.113.77")
    db = Database(web.record.database_url)
    try:
        rows = [
            r
            for r in recent(db, 500)
            if r.action in ("login.failed", "login.blocked") and r.address == "203.0.113.77"
        ]
    finally:
        db.dispose()
    blocked = [r for r in rows if r.action == "login.blocked"]
    assert 1 <= len(blocked) <= 2 and len(rows) <= 4
    assert sum(r.count for r in blocked) == 40
    assert sum(r.count for r in rows) == 48


# -- user names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "where"),
    [
        ("adm\u200bin", "4"),  # zero-width space
        ("admin\u00ad", "6"),  # soft hyphen
        ("\u0430dmin", "1"),  # Cyrillic a, then Latin
        ("ad\u03bfmin", "3"),  # Greek omicron among Latin
        ("ad\u3164min", "3"),  # Hangul filler (a letter that shows nothing)
        ("ad min", "3"),
    ],
)
def test_invisible_or_look_alike_user_names_are_refused(web: Web, name: str, where: str) -> None:
    """The users form refuses a name with an invisible character or letters from two scripts,
    saying which character, in Vietnamese and English; nothing is created."""
    page = web.admin_post(username=name, password="a long enough secret", role="leader")
    error = re.search(r'data-role="error">(.*?)</p>', page.text, re.S)
    assert error, page.text[:800]
    assert f"ký tự thứ {where}" in error.group(1) and f"character {where}" in error.group(1)
    assert name not in page.text.split('data-role="error"')[1]  # not listed as a user


def test_vietnamese_user_names_stay_allowed_in_one_form(web: Web) -> None:
    """A Vietnamese name (Latin letters with diacritics) is accepted, stored in NFC/NFKC form,
    and signs in whichever way the keyboard composed it."""
    decomposed = "nguye\u0302\u0303n.va\u0306n"  # e + circumflex + tilde, a + breve
    page = web.admin_post(username=decomposed, password="a long enough secret", role="leader")
    assert 'data-role="error"' not in page.text and "nguyễn.văn" in page.text
    assert web.attempt("nguyễn.văn", "a long enough secret").status_code == 302
    assert web.attempt(decomposed, "a long enough secret").status_code == 302
