"""Shared fixtures: real redis-server processes and real opswall processes on free ports."""

from __future__ import annotations

import ast
import asyncio
import concurrent.futures
import json
import secrets
import shutil
import subprocess
import sys
import threading
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
import redis
from dash import html
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError, OperationalError

from opswall.auth.principals import Principal
from opswall.config.live import Snapshot
from opswall.config.loader import load_config
from opswall.config.models import Screen
from opswall.control.views import View
from opswall.errors import WallConfigError
from opswall.layouts.wall import PageAccess, wall_page
from opswall.runtime.ports import free_port
from opswall.runtime.processes import PartProcess
from opswall.runtime.redis_provider import RedisServer
from opswall.settings import Settings
from opswall.store.db import Database
from opswall.testing import Provisioned, provision
from opswall.tiles import default_registry

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parents[1]
T = TypeVar("T")


def require_redis_server() -> None:
    if shutil.which("redis-server") is None:
        pytest.fail(
            "redis-server is required for these tests: run ./scripts/test, which installs it"
        )


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """One private redis-server for tests that only need streams (each uses its own keys)."""
    require_redis_server()
    server = RedisServer(free_port(), tmp_path_factory.mktemp("redis")).start()
    yield server
    server.stop()


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[RedisServer]:
    """A redis-server of this test's own (it may be stopped and restarted), persisting to AOF."""
    require_redis_server()
    server = RedisServer(free_port(), tmp_path / "redis", appendonly=True).start()
    yield server
    server.stop()


@pytest.fixture
def wall_config(tmp_path: Path) -> Path:
    """A copy of the minimal config that the test may edit while the wall runs."""
    path = tmp_path / "wall_config.yaml"
    shutil.copy(FIXTURES / "minimal.yaml", path)
    return path


@pytest.fixture
def record(tmp_path: Path) -> Provisioned:
    """This test's own database (SQLite), migrated, with users and device tokens."""
    directory = tmp_path / "record"
    directory.mkdir()
    return provision(directory)


class OpswallProcess(PartProcess):
    """A part under test, talking to the test's own Redis and database."""

    def __init__(
        self, args: list[str], redis_url: str, health_url: str, record: Provisioned
    ) -> None:
        env = {"OPSWALL_REDIS_URL": redis_url, **record.env}
        super().__init__(args, env, health_url)


@pytest.fixture
def start_gateway(record: Provisioned) -> Iterator[object]:
    started: list[OpswallProcess] = []

    def start(config: Path, redis_url: str) -> int:
        port = free_port()
        part = OpswallProcess(
            ["gateway", "--config", str(config), "--port", str(port)],
            redis_url,
            f"http://127.0.0.1:{port}/healthz",
            record,
        ).start()
        started.append(part)
        return port

    yield start
    for part in started:
        part.stop()


@pytest.fixture
def start_web(record: Provisioned) -> Iterator[object]:
    started: list[OpswallProcess] = []

    def start(config: Path, redis_url: str, gateway_port: int) -> str:
        port = free_port()
        part = OpswallProcess(
            [
                "web",
                "--config",
                str(config),
                "--port",
                str(port),
                "--gateway-port",
                str(gateway_port),
            ],
            redis_url,
            f"http://127.0.0.1:{port}/healthz",
            record,
        ).start()
        started.append(part)
        return f"http://127.0.0.1:{port}"

    yield start
    for part in started:
        part.stop()


def config_errors(tmp_path: Path, text: str) -> list[str]:
    """Load `text` as wall_config.yaml; return its located errors, paths made relative."""
    path = tmp_path / "wall_config.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(WallConfigError) as caught:
        load_config(path, default_registry())
    return [str(issue).replace(str(tmp_path) + "/", "") for issue in caught.value.issues]


SITES_MARK = "\n# Video sites (kept last"


def add_sites(fixture: str, sites: str) -> str:
    """The fixture config with `sites` (YAML list items) after its own sites."""
    return fixture.rstrip("\n") + "\n" + sites


def add_screens(fixture: str, screens: str) -> str:
    """The fixture config with `screens` (YAML list items) after its last screen."""
    at = fixture.index(SITES_MARK) + 1
    return fixture[:at] + screens + fixture[at:]


def redis_client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, decode_responses=True)


def first_render(snapshot: Snapshot, screen: Screen) -> html.Div:
    """A screen's page in its own layout, as a viewer without clearance gets it."""
    return wall_page(
        snapshot,
        screen,
        View(screen.id, screen.id),
        PageAccess(Principal("test", "viewer")),
        default_registry(),
        Settings(),
    )


POSTGRES_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def postgres_url() -> Iterator[str]:
    """A throw-away PostgreSQL database, or a skip naming why there is none."""
    try:
        admin = create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            name = f"opswall_test_{secrets.token_hex(4)}"
            connection.execute(text(f"CREATE DATABASE {name}"))
    except (OperationalError, DBAPIError) as exc:
        pytest.skip(f"no PostgreSQL at 127.0.0.1:5432 ({type(exc).__name__})")
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    if request.param == "sqlite":
        urls: Iterator[str] = iter([f"sqlite:///{tmp_path / 'record' / 'opswall.db'}"])
    else:
        urls = postgres_url()
    database = Database(next(urls))
    database.upgrade()
    yield database
    database.dispose()
    for _ in urls:  # finish the generator: drops the PostgreSQL database
        pass


def parse_python(source: str, filename: str = "<unknown>") -> ast.Module:
    """`ast.parse` on a thread of its own. After the browser tests, Playwright's greenlets leave
    the main thread's recursion count where CPython 3.11's AST validator trips over it
    ("AST constructor recursion depth mismatch"); a fresh thread starts from zero."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(ast.parse, source, filename).result()


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion on a thread of its own: the browser tests' Playwright keeps
    an event loop running on the main thread, where `asyncio.run` refuses to start another."""
    outcome: list[T] = []
    failure: list[BaseException] = []

    def target() -> None:
        try:
            outcome.append(asyncio.run(coroutine))
        except BaseException as exc:  # handed to the caller's thread
            failure.append(exc)

    thread = threading.Thread(target=target, name="test-async")
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
    return outcome[0]


def run_bench(
    module: str, out: Path, *args: str, timeout: float
) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    """`python -m <module> <args> --out <out>` from the repository root, which must succeed:
    the run (for its printed table) and the JSON report it wrote."""
    run = subprocess.run(
        [sys.executable, "-m", module, *args, "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return run, json.loads(out.read_text(encoding="utf-8"))
