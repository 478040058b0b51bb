"""The web app acknowledges warnings through the warnings service the gateway raises them with:
one history of each warning, whichever process took the step (issue 19)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from opswall.config.loader import load_config
from opswall.control.alert_rules import RuleEngine
from opswall.control.store import ControlStore
from opswall.control.warnings import WarningService, history
from opswall.feeds.contract import FeedEntry
from opswall.keys import CMD_STREAM, STATE_KEY
from opswall.runtime.ports import free_port
from opswall.runtime.redis_provider import RedisServer
from opswall.store.db import Database
from opswall.testing import Provisioned
from opswall.tiles import default_registry
from tests.conftest import FIXTURES, redis_client
from tests.integration.test_operator_pages import sign_in
from tests.integration.test_security import csrf_of

pytestmark = pytest.mark.redis


def test_a_leader_acknowledges_a_raised_warning_and_the_record_says_so(
    redis_server: RedisServer, tmp_path: Path, start_web: Any, record: Provisioned
) -> None:
    """Raised by the rules (system), acknowledged on the panel's API (leader): both steps, one
    id, on the audit page; an ack naming no warning is refused with the reason."""
    config_path = tmp_path / "session.yaml"
    shutil.copy(FIXTURES / "session.yaml", config_path)
    redis_client(redis_server.url).delete(STATE_KEY, CMD_STREAM)
    web = str(start_web(config_path, redis_server.url, free_port()))
    config = load_config(config_path, default_registry())
    (raised,) = RuleEngine(config).observe("wind", FeedEntry("7-0", 7, {"value": 120}))
    db = Database(record.database_url)
    service = WarningService(ControlStore(redis_client(redis_server.url)), db)
    assert service.apply(raised, config)  # what the gateway does when a rule fires

    leader = sign_in(web, "leader", record.password)
    csrf = csrf_of(leader.get(f"{web}/control", timeout=5).text)
    url, headers = f"{web}/api/control", {"X-CSRF-Token": csrf}
    ack = leader.post(
        url, json={"action": "ack", "warning": "storm:7-0"}, headers=headers, timeout=5
    )
    assert ack.status_code == 200 and ack.json()["changed"] is True
    nameless = leader.post(url, json={"action": "ack"}, headers=headers, timeout=5)
    assert nameless.status_code == 400 and "needs 'warning'" in nameless.json()["error"]
    steps = [(s.warning_id, s.step, s.by) for s in reversed(history(db))]
    db.dispose()
    assert steps == [("storm:7-0", "raised", "system"), ("storm:7-0", "acknowledged", "leader")]
    operator = sign_in(web, "operator", record.password)
    page = operator.get(f"{web}/admin/audit", timeout=5).text
    assert page.count('data-step="raised"') == 1 and page.count('data-step="acknowledged"') == 1
