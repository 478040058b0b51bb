"""The gateway's writer (`gateway/writer.py`) carries out rule transitions one by one: one that
cannot be recorded costs only its own record, never the others nor the gateway's clock loop."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import text

from opswall.config.live import snapshot_of
from opswall.config.loader import load_config
from opswall.control.alert_rules import RuleEngine
from opswall.control.warnings import WarningService
from opswall.feeds.contract import FeedEntry
from opswall.gateway.core import GatewayCore
from opswall.gateway.writer import RecordWriter
from opswall.store.db import Database
from opswall.tiles import default_registry
from tests.conftest import run_async
from tests.unit.test_warnings import T0, MemoryStore

FIXTURES = Path(__file__).parents[1] / "fixtures"


def test_a_record_the_database_refuses_costs_only_itself(tmp_path: Path) -> None:
    """With the warning record unwritable, both rules' warnings still reach the wall state, and
    the writer returns (an exception here ended the gateway's rule clock, and with it the
    gateway)."""
    wall = tmp_path / "wall.yaml"
    extra = "  - {id: ops, feed: secret_ops, above: 5, message: Ops}\n"
    wall.write_text((FIXTURES / "session.yaml").read_text(encoding="utf-8") + extra)
    config = load_config(wall, default_registry())
    engine = RuleEngine(config)
    transitions = engine.observe("wind", FeedEntry("1-0", T0, {"value": 120})) + engine.observe(
        "secret_ops", FeedEntry("1-0", T0, {"value": 9.5})
    )
    assert [t.rule.id for t in transitions] == ["storm", "ops"]
    db = Database(f"sqlite:///{tmp_path / 'opswall.db'}")
    db.upgrade()
    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE warning_events"))
    store = MemoryStore()
    core: GatewayCore[Any] = GatewayCore(snapshot_of(config))
    writer = RecordWriter(None, WarningService(store, db), core)  # type: ignore[arg-type]
    run_async(writer.transitions(transitions))
    assert sorted(w.rule for w in store.state.warnings) == ["ops", "storm"]
    db.dispose()
