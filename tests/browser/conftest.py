"""Browser fixtures: Debian's Chromium driven by Playwright, and a running wall to point it at."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright

from opswall.runtime.ports import free_port
from opswall.runtime.redis_provider import RedisServer
from opswall.testing import CHROMIUM_ARGS, Provisioned, provision
from opswall.testing import chromium_path as installed_chromium
from tests.conftest import OpswallProcess, require_redis_server


def chromium_path() -> str:
    try:
        return installed_chromium()
    except FileNotFoundError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@dataclass
class Wall:
    """A running wall (web + gateway processes) on one redis, and pages opened on it."""

    config: Path
    redis: RedisServer
    browser: Browser
    record: Provisioned
    gateway_port: int = field(default_factory=free_port)
    web: OpswallProcess | None = None
    gateway: OpswallProcess | None = None
    pages: list[Page] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def start_gateway(self) -> None:
        self.gateway = OpswallProcess(
            ["gateway", "--config", str(self.config), "--port", str(self.gateway_port)],
            self.redis.url,
            f"http://127.0.0.1:{self.gateway_port}/healthz",
            self.record,
        ).start()

    def start(self) -> Wall:
        self.start_gateway()
        port = free_port()
        self.web = OpswallProcess(
            [
                "web",
                "--config",
                str(self.config),
                "--port",
                str(port),
                "--gateway-port",
                str(self.gateway_port),
            ],
            self.redis.url,
            f"http://127.0.0.1:{port}/healthz",
            self.record,
        ).start()
        self.url = f"http://127.0.0.1:{port}"
        return self

    def new_page(self, name: str, width: int = 1920, height: int = 1080) -> Page:
        """A page in a browser context of its own (its own cookies), console errors kept."""
        page = self.browser.new_page(viewport={"width": width, "height": height})

        def on_console(message: ConsoleMessage) -> None:
            if message.type == "error":
                self.console_errors.append(f"{name}: {message.text}")

        page.on("console", on_console)
        self.pages.append(page)
        return page

    def open(
        self, screen: str, width: int = 1920, height: int = 1080, token: str | None = None
    ) -> Page:
        """A wall screen as a wall PC opens it: with its device token, once, in the URL."""
        page = self.new_page(screen, width, height)
        page.goto(f"{self.url}/wall/{screen}?token={token or self.record.viewer_token}")
        page.wait_for_selector("#wall-screen[data-link=up]", timeout=15000)
        return page

    def sign_in(self, page: Page, user: str, then: str = "/") -> None:
        page.goto(f"{self.url}/login?next={then}")
        page.fill("input[name=username]", user)
        page.fill("input[name=password]", self.record.password)
        page.click("button[type=submit]")
        page.wait_for_url(f"{self.url}{then}*")

    def panel(self, width: int = 1366, height: int = 1024, user: str = "leader") -> Page:
        """The leader's panel at tablet size, signed in, its socket up."""
        page = self.new_page(f"panel-{user}", width, height)
        self.sign_in(page, user, "/control")
        page.wait_for_selector("#panel[data-link=up]", timeout=15000)
        return page

    def stop(self) -> None:
        for page in self.pages:
            page.close()
        for part in (self.web, self.gateway):
            if part:
                part.stop()


def module_wall(browser: Browser, base: Path, fixture: Path) -> Wall:
    """A wall of `fixture` (copied into `base`) with its own redis-server and record, for a
    module's tests to share: processes start once. `stop_module_wall` ends it."""
    require_redis_server()
    config = base / "wall_config.yaml"
    shutil.copy(fixture, config)
    (base / "record").mkdir()
    redis = RedisServer(free_port(), base / "redis").start()
    return Wall(config, redis, browser, provision(base / "record")).start()


def stop_module_wall(running: Wall) -> None:
    running.stop()
    running.redis.stop()


@pytest.fixture
def wall(
    own_redis: RedisServer, wall_config: Path, browser: Browser, record: Provisioned
) -> Iterator[Wall]:
    running = Wall(wall_config, own_redis, browser, record).start()
    yield running
    running.stop()


def tile_state(page: Page, tile: str) -> dict[str, Any]:
    """What a person (and monitoring) can read off one tile."""
    return page.eval_on_selector(
        f"[data-tile='{tile}']",
        """el => ({fresh: el.dataset.fresh, asof: el.dataset.asof,
                   value: el.querySelector('[data-role=value]')?.dataset.value,
                   text: el.querySelector('[data-role=value]')?.textContent,
                   age: el.querySelector('[data-role=age]')?.textContent,
                   column: el.style.gridColumn, row: el.style.gridRow})""",
    )
