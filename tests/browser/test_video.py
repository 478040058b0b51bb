"""Video panes in Debian's Chromium against real sources: a WebRTC peer (aiortc) answering WHEP,
an HLS clip and an MP4 made by ffmpeg (PyAV) in the test, an MJPEG stream and a framed room.

A pane reaches `live` and its frames advance; a stopped source turns it to the no-signal slate
within its stall timeout; the source coming back brings the picture back with no reload."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from playwright.sync_api import Browser, Page

from opswall.demo.clips import write_hls, write_mp4
from opswall.runtime.ports import free_port
from opswall.runtime.processes import stop_process, wait_healthy
from opswall.runtime.redis_provider import RedisServer
from opswall.testing import Provisioned
from tests.browser.conftest import Wall
from tests.conftest import FIXTURES, add_screens, add_sites

pytestmark = [pytest.mark.browser, pytest.mark.redis]

SITES = """  - id: hanoi
    name: {vi: "Điểm cầu Hà Nội", en: "Hanoi bridge point"}
    province: "01"
    source: {kind: whep, url: "${TEST_MEDIA_URL}/hanoi/whep", stall_after: 3s}
  - id: danang
    name: {vi: "Điểm cầu Đà Nẵng", en: "Da Nang bridge point"}
    province: "48"
    source: {kind: whep, url: "${TEST_MEDIA_URL}/danang/whep", stall_after: 3s}
  - id: port_cam
    name: {vi: "Camera cảng", en: "Port camera"}
    source: {kind: hls, url: /media/port/index.m3u8}
  - id: gate_cam
    name: {vi: "Camera cổng", en: "Gate camera"}
    source: {kind: mjpeg, url: "${TEST_MEDIA_URL}/gate/mjpeg", stall_after: 3s}
  - id: clip
    name: {vi: "Đoạn phim", en: "Clip"}
    source: {kind: file, url: /media/clip.mp4}
  - id: web-room
    name: {vi: "Phòng họp trực tuyến", en: "Web meeting room"}
    source: {kind: iframe, url: /media/room.html, jitsi: true}
"""
SCREEN = """  - id: session
    title: {vi: "Giao ban trực tuyến", en: "Session with provinces"}
    grid: {cols: 6, rows: 4}
    tiles:
      - {id: bridges, type: conference, at: {col: 1, row: 1, w: 3, h: 4}, sites: [hanoi, danang],
         layout: "2x2", follows: province}
      - {id: paired, type: video, follows: province, site: hanoi, at: {col: 4, row: 1, w: 1, h: 2}}
      - {id: port, type: video, site: port_cam, at: {col: 5, row: 1, w: 2, h: 2}}
      - {id: gate, type: video, site: gate_cam, at: {col: 4, row: 3, w: 1, h: 2}}
      - {id: clip, type: video, site: clip, at: {col: 5, row: 3, w: 1, h: 2}}
      - {id: room, type: video, site: web-room, at: {col: 6, row: 3, w: 1, h: 2}}
"""


@dataclass
class MediaServer:
    """The demo's media server (aiortc WHEP + MJPEG) as its own process, as a media server is."""

    port: int
    hls: Path | None = None  # VOD clips served as live HLS too (/live/<clip>/index.m3u8)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> MediaServer:
        command = [sys.executable, "-m", "opswall.demo.whep", "--port", str(self.port)]
        command += ["--sites", "hanoi,danang,gate", "--speaking", "hanoi"]
        command += ["--hls", str(self.hls)] if self.hls else []
        self.process = subprocess.Popen(command)
        wait_healthy(f"{self.url}/healthz", process=self.process)
        return self

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process)
            self.process = None

    def site(self, site: str, command: str) -> None:
        requests.post(f"{self.url}/_admin/{site}/{command}", timeout=5).raise_for_status()


@pytest.fixture
def media(monkeypatch: pytest.MonkeyPatch) -> Iterator[MediaServer]:
    server = MediaServer(free_port()).start()
    monkeypatch.setenv("TEST_MEDIA_URL", server.url)  # the wall's processes expand it
    yield server
    server.stop()


@pytest.fixture
def video_wall(
    own_redis: RedisServer,
    tmp_path: Path,
    browser: Browser,
    record: Provisioned,
    media: MediaServer,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Wall]:
    media_dir = tmp_path / "media"
    write_hls(media_dir / "port", seconds=6)
    write_mp4(media_dir / "clip.mp4", seconds=4)
    (media_dir / "room.html").write_text(
        "<!doctype html><body style='background:#123'><h1 id=room>Phòng họp</h1></body>", "utf-8"
    )
    monkeypatch.setenv("OPSWALL_MEDIA_DIR", str(media_dir))
    config = tmp_path / "wall_config.yaml"
    text = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
    config.write_text(add_sites(add_screens(text, SCREEN), SITES), "utf-8")
    running = Wall(config, own_redis, browser, record).start()
    yield running
    running.stop()


def pane_state(page: Page, tile: str, site: str | None = None) -> str:
    selector = f"[data-tile={tile}] .video-pane" + (f"[data-site={site}]" if site else "")
    return str(page.get_attribute(selector, "data-video-state"))


def wait_state(
    page: Page, tile: str, state: str, site: str | None = None, timeout: float = 20
) -> None:
    selector = f"[data-tile={tile}] .video-pane" + (f"[data-site={site}]" if site else "")
    page.wait_for_selector(f"{selector}[data-video-state={state}]", timeout=timeout * 1000)


def frames(page: Page, tile: str, site: str) -> float:
    """What the pane counts as pictures: decoded frames (WebRTC), playback time, JPEGs."""
    return float(
        page.evaluate(
            """([tile, site]) => {
                 const pane = window.opswallVideo.panes().find(p =>
                   p.el.closest('[data-tile]').dataset.tile === tile && p.source.site === site);
                 return pane.session ? pane.session.probe().then(p => p.frames) : -1;
               }""",
            [tile, site],
        )
    )


def advancing(page: Page, tile: str, site: str) -> bool:
    """The count moved (a looping clip may have started over in between, so: changed)."""
    first = frames(page, tile, site)
    page.wait_for_timeout(1200)
    second = frames(page, tile, site)
    return first >= 0 and second >= 0 and second != first


def test_every_kind_of_source_plays_and_nothing_leaves_for_other_hosts(
    video_wall: Wall, media: MediaServer
) -> None:
    requested: list[str] = []
    page = video_wall.new_page("session")
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{video_wall.url}/wall/session?token={video_wall.record.viewer_token}")
    for tile, site in (("bridges", "hanoi"), ("bridges", "danang"), ("paired", "hanoi")):
        wait_state(page, tile, "live", site)
        assert advancing(page, tile, site), f"{tile}/{site}: frames do not advance"
    for tile in ("port", "gate", "clip", "room"):
        wait_state(page, tile, "live")
    for tile, site in (("port", "port_cam"), ("gate", "gate_cam"), ("clip", "clip")):
        assert advancing(page, tile, site), f"{tile}: the picture does not move"
    # The WebRTC picture really is on the page: a <video> with a live stream and a size.
    size = page.eval_on_selector(
        "[data-tile=bridges] .video-pane[data-site=hanoi] video",
        "v => [v.videoWidth, v.videoHeight, v.muted, v.controls, v.paused]",
    )
    assert size == [480, 270, True, False, False]
    # HLS came from this server's files through the bundled player.
    assert any(u.endswith("/media/port/index.m3u8") for u in requested)
    assert any(u.endswith(".ts") for u in requested)
    assert any("/assets/vendor/hls.light.min.js" in u for u in requested)
    # The room is the configured page, with the options that skip Jitsi's pre-join screen.
    src = page.get_attribute("[data-tile=room] iframe", "src") or ""
    assert src.startswith(f"{video_wall.url}/media/room.html#") or src.startswith(
        "/media/room.html#"
    )
    assert "config.prejoinConfig.enabled=false" in src
    assert (
        page.frame_locator("[data-tile=room] iframe").locator("#room").inner_text() == "Phòng họp"
    )
    page.screenshot(path=str(screenshot_dir() / "video-session.png"))
    allowed = {urlsplit(video_wall.url).netloc, urlsplit(media.url).netloc}
    outside = {u for u in requested if urlsplit(u).scheme in ("http", "https", "ws", "wss")}
    outside = {u for u in outside if urlsplit(u).netloc not in allowed}
    assert outside == set()
    assert video_wall.console_errors == []


def test_a_stopped_source_shows_no_signal_and_recovers_by_itself(
    video_wall: Wall, media: MediaServer
) -> None:
    page = video_wall.open("session")
    wait_state(page, "bridges", "live", "danang")
    page.evaluate("window.__sameDocument = true")
    media.site("danang", "stop")
    stopped = time.monotonic()
    wait_state(page, "bridges", "no-signal", "danang", timeout=15)
    # Stall (3 s) or the link dropping, whichever the browser notices first, plus a tick.
    assert time.monotonic() - stopped < 3 + 4
    slate = page.locator("[data-tile=bridges] .video-pane[data-site=danang] [data-role=slate]")
    assert slate.is_visible()
    assert "Da Nang bridge point" in slate.inner_text()
    assert "Last signal at" in slate.inner_text()
    assert page.locator("[data-tile=bridges] .video-pane[data-site=danang] video").count() == 0
    assert pane_state(page, "bridges", "hanoi") == "live"  # the other site is untouched
    media.site("danang", "start")
    wait_state(page, "bridges", "live", "danang", timeout=40)
    assert advancing(page, "bridges", "danang")
    assert page.evaluate("window.__sameDocument") is True  # no reload
    assert not slate.is_visible()


def test_the_media_server_going_away_and_back_is_healed_without_a_reload(
    video_wall: Wall, media: MediaServer
) -> None:
    page = video_wall.open("session")
    wait_state(page, "gate", "live")
    wait_state(page, "bridges", "live", "hanoi")
    page.evaluate("window.__sameDocument = true")
    port = media.port
    media.stop()
    wait_state(page, "gate", "no-signal", timeout=15)
    wait_state(page, "bridges", "no-signal", "hanoi", timeout=15)
    # Same address, a new process: like a restarted media server (the fixture stops it).
    media.process = MediaServer(port).start().process
    wait_state(page, "gate", "live", timeout=45)
    wait_state(page, "bridges", "live", "hanoi", timeout=45)
    assert page.evaluate("window.__sameDocument") is True


def test_the_leader_picks_the_large_site_and_the_sound_and_a_province_brings_its_site(
    video_wall: Wall,
) -> None:
    page = video_wall.open("session")
    grid = page.locator("[data-tile=bridges] .conference-grid")
    assert grid.get_attribute("data-large") == "hanoi"
    panel = video_wall.panel()
    panel.click("button[data-large=danang]")
    page.wait_for_selector("[data-tile=bridges] .conference-grid[data-large=danang]")
    assert "is-large" in (page.get_attribute(".video-pane[data-site=danang]", "class") or "")
    panel.click("button[data-audio=danang]")
    page.wait_for_selector("[data-tile=bridges] .video-pane[data-site=danang].is-audible")
    wait_state(page, "bridges", "live", "danang")
    muted = page.eval_on_selector_all(
        "[data-tile=bridges] .video-pane video",
        "vs => vs.map(v => [v.closest('[data-site]').dataset.site, v.muted])",
    )
    assert sorted(muted) == [["danang", False], ["hanoi", True]]
    assert panel.get_attribute("button[data-audio=danang]", "aria-pressed") == "true"
    # Clearing the pick and drilling into Đà Nẵng (48) pairs the province with its bridge point.
    panel.click("button[data-role=sites-auto]")
    page.wait_for_selector("[data-tile=bridges] .conference-grid[data-large=hanoi]")
    assert page.get_attribute("[data-tile=paired] .video-pane", "data-site") == "hanoi"
    panel.evaluate("""() => fetch('/api/control', {method: 'POST', credentials: 'same-origin',
        headers: {'Content-Type': 'application/json',
                  'X-CSRF-Token': document.getElementById('panel').dataset.csrf},
        body: JSON.stringify({action: 'drill', var: 'province', value: '48'})})""")
    page.wait_for_selector("[data-tile=bridges] .conference-grid[data-large=danang]")
    page.wait_for_selector("[data-tile=paired] .video-pane[data-site=danang]")
    wait_state(page, "paired", "live", "danang")
    assert "Da Nang" in page.inner_text("[data-tile=paired] .video-name")


def test_the_speaking_site_is_highlighted(video_wall: Wall) -> None:
    page = video_wall.open("session")
    wait_state(page, "bridges", "live", "hanoi")
    # hanoi's tone is on for 3 s and off for 3 s; danang is silent.
    page.wait_for_selector(
        "[data-tile=bridges] .video-pane[data-site=hanoi].is-speaking", timeout=15000
    )
    assert "is-speaking" not in (page.get_attribute(".video-pane[data-site=danang]", "class") or "")


def test_operators_see_each_panes_state_on_the_health_page(
    video_wall: Wall, media: MediaServer
) -> None:
    page = video_wall.open("session")
    wait_state(page, "bridges", "live", "danang")
    media.site("danang", "stop")
    wait_state(page, "bridges", "no-signal", "danang", timeout=15)
    admin = video_wall.new_page("operator")
    video_wall.sign_in(admin, "operator", "/admin/feeds")
    row = admin.locator("#video-panes tr[data-pane='session/bridges/danang']")
    # Between retries the pane is briefly `connecting` again: read until the report says no-signal.
    deadline = time.monotonic() + 20
    while row.get_attribute("data-state") != "no-signal" and time.monotonic() < deadline:
        admin.wait_for_timeout(500)
        admin.reload()
    assert row.get_attribute("data-state") == "no-signal"
    # Why, in the browser's words: the stall, the link dropping, or the refusal on retry.
    reason = row.locator("td.error").inner_text()
    assert any(word in reason for word in ("stalled", "WebRTC", "WHEP 503")), reason
    assert (
        admin.locator("#video-panes tr[data-pane='session/bridges/hanoi']").get_attribute(
            "data-state"
        )
        == "live"
    )


def screenshot_dir() -> Path:
    path = Path(__file__).parents[2] / "test-artifacts" / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path
