"""The indicator record on the wall: a reported figure appears with its period and submission
time, and a correction shows as revised (never silently replacing the first report)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Browser

from opswall.auth.accounts import Accounts
from opswall.runtime.redis_provider import RedisServer
from opswall.store.db import Database
from opswall.testing import Provisioned
from tests.browser.conftest import Wall
from tests.conftest import FIXTURES, OpswallProcess, add_screens

pytestmark = [pytest.mark.browser, pytest.mark.redis]

ROOT = Path(__file__).parents[2]
EXTRA_FEED = """  - id: cpi_reported
    label: {vi: "CPI (báo cáo)", en: "CPI (reported)"}
    unit: "%"
    cadence: 2s
    source: {kind: indicator, code: CPI_YOY}
  - id: rivers
"""
EXTRA_SCREEN = """  - id: records
    title: Records
    grid: {cols: 4, rows: 2}
    tiles:
      - {id: cpi, type: kpi, at: {col: 1, row: 1, w: 2, h: 2}, feed: cpi_reported, decimals: 2}
"""


@pytest.fixture
def record_wall(
    own_redis: RedisServer, tmp_path: Path, browser: Browser, record: Provisioned
) -> Iterator[Wall]:
    shutil.copytree(ROOT / "catalogue", tmp_path / "catalogue")
    config = tmp_path / "wall_config.yaml"
    text = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
    text = add_screens(text.replace("  - id: rivers\n", EXTRA_FEED, 1), EXTRA_SCREEN)
    config.write_text(text + "catalogue: catalogue/indicators.csv\n", "utf-8")
    running = Wall(config, own_redis, browser, record).start()
    feeds = OpswallProcess(["feeds", "--config", str(config)], own_redis.url, "", record)
    feeds.start(wait=False)
    yield running
    feeds.stop()
    running.stop()


def test_a_correction_shows_as_revised_on_the_wall(record_wall: Wall) -> None:
    db = Database(record_wall.record.database_url)
    token = Accounts(db).create_token("NSO system", "agency:NSO", False, "admin")[1]
    db.dispose()

    def post(report: dict[str, object]) -> requests.Response:
        return requests.post(
            f"{record_wall.url}/api/reports?agency=NSO",
            json=report,
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )

    page = record_wall.open("records")
    tile = "[data-tile='cpi']"
    assert post({"code": "CPI_YOY", "period": "2026-09", "value": 3.1}).status_code == 201
    assert post({"code": "CPI_YOY", "period": "2026-10", "value": 3.31}).status_code == 201
    page.wait_for_selector(f"{tile} [data-role=value][data-value='3.31']", timeout=15000)
    foot = page.inner_text(f"{tile} [data-role=asof]")
    assert foot.startswith("Period 2026-10 · filed ")
    assert page.inner_text(f"{tile} [data-role=delta]") == "▲ +0.21"  # vs the previous period
    assert page.query_selector(f"{tile} .kpi-revised") is None
    assert page.get_attribute(tile, "data-revision") is None

    fixed = post({"code": "CPI_YOY", "period": "2026-10", "value": 3.29, "reason": "official"})
    assert fixed.json()["accepted"][0]["revision"] == 2
    page.wait_for_selector(f"{tile}[data-revision='2']", timeout=15000)
    assert page.get_attribute(f"{tile} [data-role=value]", "data-value") == "3.29"
    assert page.inner_text(f"{tile} .kpi-revised") == "↺ Revised · rev 2"
    assert record_wall.console_errors == []
