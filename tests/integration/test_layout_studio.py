"""The layout studio's endpoints (issue 20) against a real web process: leaders look and check,
operators apply and roll back; apply writes only the changed node, refuses invalid drafts with
located errors and a changed file with its diff; every applied config is a revision by name."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import requests

from opswall.auth import audit
from opswall.keys import studio_draft
from opswall.runtime.redis_provider import RedisServer
from opswall.store.db import Database
from opswall.studio import revisions
from opswall.studio.diffs import sha256
from opswall.testing import Provisioned
from tests.conftest import FIXTURES, redis_client
from tests.integration.test_operator_pages import sign_in

pytestmark = pytest.mark.redis

CLOCK = "{col: 10, row: 1, w: 3, h: 2}}"


@pytest.fixture
def studio(redis_server: RedisServer, tmp_path: Path, start_web: Any) -> tuple[str, Path]:
    config = tmp_path / "wall_config.yaml"
    shutil.copy(FIXTURES / "minimal.yaml", config)
    return str(start_web(config, redis_server.url, 1)), config


def model_of(page: str) -> dict[str, Any]:
    found = re.search(r'data-model="([^"]*)"', page)
    assert found
    return dict(json.loads(found.group(1).replace("&#34;", '"').replace("&amp;", "&")))


def post(session: requests.Session, web: str, path: str, body: object) -> requests.Response:
    csrf = re.search(r'data-csrf="([^"]+)"', session.get(f"{web}/admin/layout", timeout=5).text)
    assert csrf
    headers = {"X-CSRF-Token": csrf.group(1)}
    return session.post(f"{web}{path}", json=body, headers=headers, timeout=10)


def move_clock(base: str, col: int, row: int = 1) -> dict[str, Any]:
    at = {"col": col, "row": row, "w": 3, "h": 2}
    return {"base": base, "changes": [{"op": "move", "screen": "main", "tile": "clock", "at": at}]}


def test_leaders_look_and_check_but_may_not_apply(
    studio: tuple[str, Path], record: Provisioned
) -> None:
    """A leader sees the studio (preview only) and gets a draft's verdict; apply is 403."""
    web, config = studio
    leader = sign_in(web, "leader", record.password)
    page = leader.get(f"{web}/admin/layout?screen=main", timeout=5)
    assert page.status_code == 200 and 'data-role="preview-only"' in page.text
    model = model_of(page.text)
    assert model["screen"] == "main" and model["mayApply"] is False
    main = next(layout for layout in model["layouts"] if layout["id"] == "main")
    assert main["aspect"] == [1920, 1080] and main["grid"] == {"cols": 12, "rows": 6}
    verdict = post(leader, web, "/admin/layout/check", move_clock(model["base"], 10, 4)).json()
    assert verdict["ok"] is True and "+" in verdict["diff"]
    refused = post(leader, web, "/admin/layout/apply", move_clock(model["base"], 10, 4))
    assert refused.status_code == 403 and CLOCK in config.read_text(encoding="utf-8")


def test_a_leader_opens_a_preview_window_that_ends_with_its_draft(
    studio: tuple[str, Path], record: Provisioned, redis_server: RedisServer
) -> None:
    """A leader's draft kept for a preview window (on no screen): its page and its layout as
    the studio draws it; an invalid draft is 422; once the draft lapses the layout is 410."""
    web, config = studio
    leader = sign_in(web, "leader", record.password)
    base = model_of(leader.get(f"{web}/admin/layout", timeout=5).text)["base"]
    kept = post(leader, web, "/admin/layout/preview/window", move_clock(base, 10, 4))
    assert kept.status_code == 200, kept.text
    draft = kept.json()["draft"]
    window = f"{web}/admin/layout/preview/window/{draft}"
    assert 'id="st-window"' in leader.get(f"{window}?screen=main", timeout=5).text
    layout = leader.get(f"{window}/layout?screen=main", timeout=5).json()["layout"]
    clock = next(tile for tile in layout["tiles"] if tile["id"] == "clock")
    assert clock["at"] == {"col": 10, "row": 4, "w": 3, "h": 2}
    assert CLOCK in config.read_text(encoding="utf-8")  # the file is not touched
    assert post(leader, web, "/admin/layout/preview/window", move_clock(base, 1)).status_code == 422
    redis_client(redis_server.url).delete(studio_draft(draft))  # lapsed
    assert leader.get(f"{window}/layout?screen=main", timeout=5).status_code == 410
    assert leader.get(f"{web}/admin/layout/preview/window/NOT-HEX", timeout=5).status_code == 404


def test_operators_apply_surgically_and_roll_back(
    studio: tuple[str, Path], record: Provisioned
) -> None:
    """Apply: one line changes, the revision names the operator, the audit has it; an
    overlapping draft is 422 with the located error; a hand edit since the draft is 409 with
    its diff; rollback restores the file as a new revision."""
    web, config = studio
    before = config.read_text(encoding="utf-8")
    operator = sign_in(web, "operator", record.password)
    base = model_of(operator.get(f"{web}/admin/layout", timeout=5).text)["base"]
    assert base == sha256(before)
    overlap = post(operator, web, "/admin/layout/apply", move_clock(base, 1))
    assert overlap.status_code == 422 and overlap.json()["issues"]
    issue = overlap.json()["issues"][0]
    assert issue["path"].startswith("screens[0].tiles[") and "overlap" in issue["message"]
    applied = post(operator, web, "/admin/layout/apply", move_clock(base, 10, 4))
    assert applied.status_code == 200, applied.text
    after = config.read_text(encoding="utf-8")
    assert after == before.replace(CLOCK, "{col: 10, row: 4, w: 3, h: 2}}")
    db = Database(record.database_url)
    newest = revisions.latest(db)
    assert newest is not None and (newest.by, newest.text) == ("operator", after)
    assert applied.json()["revision"] == newest.id
    assert [r.actor for r in audit.recent(db, action="layout.apply")] == ["operator"]
    config.write_text(after.replace("rows: 6", "rows: 7", 1), encoding="utf-8")  # a hand edit
    stale = post(operator, web, "/admin/layout/apply", move_clock(applied.json()["base"], 10, 5))
    assert stale.status_code == 409 and "+    grid: {cols: 12, rows: 7}" in stale.json()["changed"]
    first = revisions.history(db)[-1]
    history = operator.get(f"{web}/admin/layout/history", timeout=5)
    assert f'data-revision="{first.id}"' in history.text and 'data-role="rollback"' in history.text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', history.text)
    assert csrf
    back = operator.post(
        f"{web}/admin/layout/rollback/{first.id}",
        data={"csrf_token": csrf.group(1)},
        allow_redirects=False,
        timeout=10,
    )
    assert back.status_code == 302 and config.read_text(encoding="utf-8") == before
    assert revisions.latest(db) is not None and revisions.history(db)[0].by == "operator"
    assert revisions.history(db)[0].text == before
    assert [r.detail["to_revision"] for r in audit.recent(db, action="config.rollback")] == [
        first.id
    ]
    db.dispose()
