"""`opswall check --render`: every screen of a config drawn in headless Chromium at its own
resolution, every text judged against the viewing distance, every cut glyph found.

It starts what a screen needs to draw (a private redis-server, the gateway and the web app on
free loopback ports, a throw-away record with one device token), so it runs beside a live wall
without touching it. Findings point at the tile in the YAML; the exit status is 1 on errors.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

from opswall.config.models import Screen, WallConfig
from opswall.config.yaml_source import SourceMap, read_yaml_file
from opswall.legibility.ink import TALL_SAMPLE, CutInk, PageLike, find_cut_ink
from opswall.legibility.rules import (
    Finding,
    ScreenSummary,
    TextSample,
    arcmin,
    judge,
    summary_table,
    worst_first,
)
from opswall.legibility.scripts import page_script

# Each visible text leaf (HTML, or SVG text such as chart ticks), grouped by tile, role and
# size: one line of the report per style, not per table cell. Capitals are measured on a
# canvas in the element's own font (the H's ink, as the legibility rule defines it).
_MEASURE = page_script("measure")

COLOURS = {"error": (255, 64, 64), "warning": (255, 178, 36), "cut": (255, 0, 255)}


@dataclass(frozen=True)
class Physical:
    """What the judge needs to know of one screen: its size per pixel and the distance."""

    mm_per_px: float | None
    distance_mm: float | None


@dataclass
class ScreenReport:
    screen: Screen
    summary: ScreenSummary
    findings: list[Finding]
    cuts: list[CutInk]
    shot: bytes
    boxes: dict[str, list[list[float]]]  # severity -> boxes to mark on the screenshot


def tile_location(source: SourceMap, config: WallConfig, screen: Screen, tile: str | None) -> str:
    """`wall_config.yaml:212:9` of the tile (or of the screen, for its header)."""
    index = next(i for i, s in enumerate(config.screens) if s.id == screen.id)
    path: tuple[str | int, ...] = ("screens", index)
    tiles = [t.id for t in screen.tiles]
    if tile in tiles:
        path = (*path, "tiles", tiles.index(tile))
    mark = source.value_mark(path)
    return f"{source.file}:{mark.line}:{mark.column}"


def _samples(page: PageLike, screen: str) -> list[tuple[TextSample, list[list[float]]]]:
    groups: list[dict[str, Any]] = page.evaluate(_MEASURE)
    return [
        (
            TextSample(
                screen,
                g["tile"],
                g["role"],
                g["example"],
                g["cls"],
                g["font"],
                g["cap"],
                g["count"],
            ),
            g["boxes"],
        )
        for g in groups
    ]


def judge_screen(
    page: PageLike, config: WallConfig, source: SourceMap, screen: Screen, physical: Physical
) -> ScreenReport:
    """Measure and judge the page as it is drawn now, then look for cut glyphs."""
    measured = _samples(page, screen.id)
    shot = page.screenshot()
    findings: list[Finding] = []
    boxes: dict[str, list[list[float]]] = {"error": [], "warning": [], "cut": []}
    angles: list[float] = []
    for sample, sample_boxes in measured:
        if physical.mm_per_px is None or physical.distance_mm is None:
            continue
        angles.append(arcmin(sample.cap_px * physical.mm_per_px, physical.distance_mm))
        location = tile_location(source, config, screen, sample.tile)
        found = judge(sample, physical.mm_per_px, physical.distance_mm, location)
        if found is not None:
            findings.append(found)
            boxes[found.severity] += sample_boxes
    cuts = [*find_cut_ink(page), *find_cut_ink(page, TALL_SAMPLE)]
    for cut in cuts:
        location = tile_location(source, config, screen, cut.tile)
        findings.append(Finding("error", location, screen.id, cut.tile, f"glyph cut: {cut}", 0.0))
    width, height = config.hardware_of(screen).resolution
    summary = ScreenSummary(
        screen.id,
        f"{width}x{height}",
        sum(sample.count for sample, _ in measured),
        sum(f.severity == "error" for f in findings),
        sum(f.severity == "warning" for f in findings),
        len(cuts),
        f"{min(angles):.1f}'" if angles else "-",
    )
    return ScreenReport(screen, summary, worst_first(findings), cuts, shot, boxes)


def annotate(report: ScreenReport) -> bytes:
    """The screenshot with every finding's texts framed: red errors, amber warnings."""
    image = Image.open(io.BytesIO(report.shot)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for severity in ("warning", "error"):
        for left, top, right, bottom in report.boxes[severity]:
            draw.rectangle(
                (left - 2, top - 2, right + 2, bottom + 2), outline=COLOURS[severity], width=3
            )
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@contextmanager
def drawn_wall(config_path: Path) -> Iterator[tuple[str, str, str]]:
    """A private wall (redis-server, gateway, web) serving `config_path`: (its URL, a token,
    its Redis URL)."""
    from opswall.runtime.ports import free_port
    from opswall.runtime.processes import PartProcess
    from opswall.runtime.redis_provider import RedisServer
    from opswall.testing import provision

    with tempfile.TemporaryDirectory(prefix="opswall-render-") as scratch:
        redis = RedisServer(free_port(), Path(scratch) / "redis").start()
        record = provision(Path(scratch))
        env = {"OPSWALL_REDIS_URL": redis.url, **record.env}
        gateway_port, web_port = free_port(), free_port()
        gw_args = ["--gateway-port", str(gateway_port)]
        parts = [
            PartProcess(
                ["gateway", "--config", str(config_path), "--port", str(gateway_port)],
                env,
                f"http://127.0.0.1:{gateway_port}/healthz",
            ),
            PartProcess(
                ["web", "--config", str(config_path), "--port", str(web_port), *gw_args],
                env,
                f"http://127.0.0.1:{web_port}/healthz",
            ),
        ]
        try:
            for part in parts:
                part.start()
            yield f"http://127.0.0.1:{web_port}", record.cleared_token, redis.url
        finally:
            for part in reversed(parts):
                part.stop()
            redis.stop()


@dataclass(frozen=True)
class RenderOptions:
    distance_mm: float | None = None  # overrides wall.viewing_distance
    diagonal_in: float | None = None  # overrides every screen's size
    screens: tuple[str, ...] = ()  # only these (default: every physical screen)
    shots: Path | None = None  # write an annotated screenshot per screen here


def physical_of(config: WallConfig, screen: Screen, options: RenderOptions) -> Physical:
    hardware = config.hardware_of(screen)
    if options.diagonal_in is not None:
        hardware = hardware.model_copy(
            update={"diagonal_in": options.diagonal_in, "width_mm": None}
        )
    return Physical(hardware.mm_per_px(), options.distance_mm or config.wall.viewing_distance)


def render_check(
    config_path: Path, config: WallConfig, options: RenderOptions
) -> list[ScreenReport]:
    """Every chosen screen drawn and judged (imports Playwright only when asked to render)."""
    from playwright.sync_api import sync_playwright

    from opswall.testing import CHROMIUM_ARGS, chromium_path

    _, source = read_yaml_file(config_path)
    screens = [s for s in config.displays() if not options.screens or s.id in options.screens]
    reports: list[ScreenReport] = []
    with drawn_wall(config_path) as (url, token, redis_url), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        if not options.screens:
            wall = DrawnWall(url, token, redis_url)
            reports += span_reports(browser, wall, config, source, options)
        for screen in screens:
            width, height = config.hardware_of(screen).resolution
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(f"{url}/wall/{screen.id}?token={token}")
            page.wait_for_selector("#wall-screen[data-link=up]", timeout=30000)
            page.wait_for_timeout(1000)  # fonts, charts' first layout
            physical = physical_of(config, screen, options)
            reports.append(judge_screen(page, config, source, screen, physical))
            page.close()
        browser.close()
    if options.shots is not None:
        options.shots.mkdir(parents=True, exist_ok=True)
        for report in reports:
            (options.shots / f"{report.screen.id}.png").write_bytes(annotate(report))
    return reports


@dataclass(frozen=True)
class DrawnWall:
    url: str
    token: str
    redis_url: str


def span_reports(
    browser: Any, wall: DrawnWall, config: WallConfig, source: SourceMap, options: RenderOptions
) -> list[ScreenReport]:
    """Each span layout (issue 23) drawn whole (`?canvas`) on its first screen, held there by a
    scene that shows it (in the check's private wall): judged as a screen is, and its texts on
    bezels found."""
    from opswall.config.spans import span_geometry
    from opswall.control.store import ControlStore
    from opswall.legibility.bezels import bezel_findings
    from opswall.store.redis_client import connect

    reports = []
    store = ControlStore(connect(wall.redis_url))
    for layout in config.screens:
        geometry = span_geometry(config, layout)
        scene = next((s for s in config.scenes if layout.id in s.show.values()), None)
        if geometry is None or scene is None:
            continue
        store.apply({"action": "scene", "scene": scene.id}, "opswall check", config)
        page = browser.new_page(viewport={"width": geometry.width, "height": geometry.height})
        page.goto(f"{wall.url}/wall/{layout.span[0]}?token={wall.token}&canvas")
        page.wait_for_selector("#wall-screen[data-link=up]", timeout=30000)
        page.wait_for_selector(f"#wall-screen.wall-span[data-layout='{layout.id}']", timeout=30000)
        page.wait_for_timeout(1000)  # fonts, charts' first layout
        report = judge_screen(page, config, source, layout, physical_of(config, layout, options))
        bezels = bezel_findings(page, config, source, layout)
        report.findings = worst_first([*report.findings, *bezels])
        report.summary = replace(
            report.summary,
            resolution=f"{geometry.width}x{geometry.height}",
            warnings=report.summary.warnings + len(bezels),
        )
        reports.append(report)
        page.close()
    store.apply({"action": "release"}, "opswall check", config)
    return reports


def print_report(reports: list[ScreenReport], physical_known: bool) -> int:
    """Findings worst first, then the summary table; 1 if anything is an error."""
    findings = worst_first(f for report in reports for f in report.findings)
    for finding in findings:
        print(finding)
    if not physical_known:
        print(
            "note: text sizes not judged: set wall.viewing_distance and wall.hardware "
            "(diagonal_in or width_mm), or pass --distance and --diagonal"
        )
    print(summary_table([report.summary for report in reports]))
    return 1 if any(f.severity == "error" for f in findings) else 0
