"""The root `app.py`, the WSGI entry the README and the Dockerfile name, served by a real WSGI
server (waitress-serve) against a real redis-server."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from opswall.auth.accounts import Accounts
from opswall.auth.scopes import TokenKind, TokenScope
from opswall.runtime.ports import free_port
from opswall.runtime.processes import stop_process, wait_healthy
from opswall.runtime.redis_provider import RedisServer
from opswall.store.db import Database
from opswall.testing import Provisioned, provision
from tests.conftest import FIXTURES

ROOT = Path(__file__).parents[2]


@pytest.fixture
def wsgi(tmp_path: Path, redis_server: RedisServer) -> Iterator[tuple[str, Provisioned]]:
    record = provision(tmp_path)
    port = free_port()
    env = {
        **os.environ,
        **record.env,
        "OPSWALL_CONFIG": str(FIXTURES / "minimal.yaml"),
        "OPSWALL_REDIS_URL": redis_server.url,
    }
    waitress = Path(sys.executable).parent / "waitress-serve"
    process = subprocess.Popen(
        [str(waitress), "--listen", f"127.0.0.1:{port}", "app:server"], cwd=ROOT, env=env
    )
    try:
        wait_healthy(f"http://127.0.0.1:{port}/healthz", timeout=60, process=process)
        yield f"http://127.0.0.1:{port}", record
    finally:
        stop_process(process)


def test_app_py_serves_a_wall_page(wsgi: tuple[str, Provisioned]) -> None:
    """`waitress-serve app:server` builds the app from the environment and serves a screen to an
    enrolled wall PC, with its tile scripts."""
    base, record = wsgi
    screen = requests.Session()
    enrol = screen.get(f"{base}/wall/main?token={record.viewer_token}", timeout=10)
    assert enrol.status_code == 200 and 'id="react-entry-point"' in enrol.text
    assert enrol.url == f"{base}/wall/main"
    script = next(
        part
        for part in enrol.text.split('"')
        if part.startswith("/_opswall/") and part.endswith("/wall.js")
    )
    entry = screen.get(f"{base}{script}", timeout=10)
    assert entry.status_code == 200 and 'from "./tiles/kpi.js"' in entry.text


def test_metrics_name_their_charset_once(wsgi: tuple[str, Provisioned]) -> None:
    """/metrics is Prometheus text 0.0.4 in UTF-8: `charset` once, as parsers expect."""
    base, record = wsgi
    db = Database(record.database_url)
    _, token = Accounts(db).create_token("scrape", TokenScope(TokenKind.METRICS), False, "test")
    db.dispose()
    reply = requests.get(
        f"{base}/metrics", headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    assert reply.status_code == 200
    assert reply.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
