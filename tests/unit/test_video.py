"""Sites, video and conference tiles: located config errors, first renders, pane reports."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from opswall.auth.principals import Principal
from opswall.config.loader import load_config
from opswall.config.models import WallConfig
from opswall.config.video import VideoSource
from opswall.tiles import default_registry
from opswall.tiles.base import RenderContext
from opswall.tiles.conference import ConferenceTile
from opswall.tiles.conference import render as render_conference
from opswall.tiles.panes import source_url
from opswall.tiles.video import VideoTile
from opswall.tiles.video import render as render_video
from opswall.web.panel import panel_model
from opswall.web.video_states import parse_report
from tests.conftest import add_screens, add_sites, config_errors

FIXTURES = Path(__file__).parents[1] / "fixtures"
BASE = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
SITES = """  - id: hanoi
    name: {vi: "Điểm cầu Hà Nội", en: "Hanoi bridge point"}
    province: "01"
    source: {kind: whep, url: "http://media.local:8889/hanoi/whep"}
  - id: danang
    name: {vi: "Điểm cầu Đà Nẵng", en: "Da Nang bridge point"}
    province: "48"
    source: {kind: hls, url: /media/danang/index.m3u8, stall_after: 4s}
"""
SCREEN = """  - id: session
    title: Session
    grid: {cols: 4, rows: 2}
    tiles:
      - {id: bridges, type: conference, at: {col: 1, row: 1, w: 2, h: 2}, sites: [danang, hanoi]}
      - {id: paired, type: video, follows: province, site: hanoi, at: {col: 3, row: 1, w: 2, h: 2}}
"""


def wall_text(sites: str = SITES, screen: str = SCREEN) -> str:
    return add_sites(add_screens(BASE, screen), sites)


def located(text: str, needle: str, path: str, message: str) -> str:
    """The error the loader must give for the value `needle` (found here, 1-based)."""
    lines = text.splitlines()
    line = next(i for i, t in enumerate(lines) if needle in t)
    return f"wall_config.yaml:{line + 1}:{lines[line].index(needle) + 1}: {path}: {message}"


def load(tmp_path: Path, text: str) -> WallConfig:
    path = tmp_path / "wall_config.yaml"
    path.write_text(text, encoding="utf-8")
    return load_config(path, default_registry())


def test_an_unknown_site_is_reported_where_a_tile_names_it(tmp_path: Path) -> None:
    text = wall_text(screen=SCREEN.replace("sites: [danang, hanoi]", "sites: [danang, hue]"))
    assert config_errors(tmp_path, text) == [
        located(
            text,
            "hue]",
            "screens[4].tiles[0].sites[1]",
            "unknown site 'hue' (known: danang, desk, hanoi, room, unset)",
        )
    ]


def test_a_source_that_is_not_http_or_a_local_path_is_located(tmp_path: Path) -> None:
    text = wall_text(sites=SITES.replace("http://media.local:8889/hanoi/whep", "rtsp://camera/1"))
    message = "url must be a path on this server (/media/...) or an http(s) URL"
    assert config_errors(tmp_path, text) == [
        located(text, '{kind: whep, url: "rtsp', "sites[3].source", message)
    ]


def test_a_duplicate_site_id_is_located_at_the_second_one(tmp_path: Path) -> None:
    sites = SITES.replace("id: danang", "id: hanoi")
    text = wall_text(sites=sites, screen=SCREEN.replace("[danang, hanoi]", "[hanoi]"))
    message = "duplicate site id 'hanoi' (first used at sites[3])"
    second = [n for n, line in enumerate(text.splitlines(), 1) if line == "  - id: hanoi"][1]
    column = len("  - id: ") + 1
    assert config_errors(tmp_path, text) == [
        f"wall_config.yaml:{second}:{column}: sites[4].id: {message}"
    ]


def test_a_video_tile_plays_one_source() -> None:
    at = {"col": 1, "row": 1, "w": 1, "h": 1}
    source = {"kind": "file", "url": "/media/a.mp4"}
    with pytest.raises(ValueError, match="exactly one of site, source"):
        VideoTile(id="v", type="video", at=at, site="hanoi", source=source)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="exactly one of site, source"):
        VideoTile(id="v", type="video", at=at)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="jitsi applies to kind: iframe"):
        VideoSource(kind="whep", url="https://sfu.local/whep", jitsi=True)
    with pytest.raises(ValueError, match="one '/'"):
        VideoSource(kind="file", url="//elsewhere/clip.mp4")


def test_source_urls_expand_the_environment_and_add_jitsi_options(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MEDIA_HOST", "http://10.0.0.5:8889")
    whep = VideoSource(kind="whep", url="${MEDIA_HOST}/hue/whep")
    assert source_url(whep) == ("http://10.0.0.5:8889/hue/whep", "")
    room = VideoSource(kind="iframe", url="https://meet.gov.local/giaoban", jitsi=True)
    url, problem = source_url(room)
    assert problem == "" and url.startswith("https://meet.gov.local/giaoban#config.")
    assert "config.prejoinConfig.enabled=false" in url.split("#", 1)[1].split("&")
    missing = VideoSource(kind="whep", url="${NOT_SET_ANYWHERE}/x")
    assert source_url(missing) == ("", "environment variable NOT_SET_ANYWHERE is not set")


def client_of(root: Any) -> dict[str, Any]:
    return json.loads(root.to_plotly_json()["props"]["data-client"])


def sites_of(root: Any) -> list[str]:
    found: list[str] = []

    def walk(node: Any) -> None:
        props = getattr(node, "to_plotly_json", lambda: {})().get("props", {})
        if "data-site" in props:
            found.append(props["data-site"])
        children = props.get("children")
        for child in children if isinstance(children, list) else [children]:
            if child is not None and not isinstance(child, str):
                walk(child)

    walk(root)
    return found


def test_a_conference_renders_its_sites_in_order_with_what_its_client_needs(
    tmp_path: Path,
) -> None:
    config = load(tmp_path, wall_text())
    session = config.screen("session")
    assert session is not None
    tile = session.tile("bridges")
    assert isinstance(tile, ConferenceTile)
    root = render_conference(tile, RenderContext(config, "vi"))
    assert sites_of(root) == ["danang", "hanoi"]
    client = client_of(root)
    assert client["large"] == "danang" and client["cells"] == 6
    assert [s["name"] for s in client["sites"]] == ["Điểm cầu Đà Nẵng", "Điểm cầu Hà Nội"]
    assert client["sites"][0] | {"name": ""} == {
        "site": "danang",
        "name": "",
        "kind": "hls",
        "url": "/media/danang/index.m3u8",
        "problem": "",
        "stall_ms": 4000,
        "loop": True,
        "province": "48",
    }


def test_a_video_tile_following_the_province_plays_that_provinces_site(tmp_path: Path) -> None:
    config = load(tmp_path, wall_text())
    session = config.screen("session")
    assert session is not None
    tile = session.tile("paired")
    assert isinstance(tile, VideoTile)
    assert sites_of(render_video(tile, RenderContext(config, "en"))) == ["hanoi"]
    drilled = render_video(tile, RenderContext(config, "en", {"province": "48"}))
    assert sites_of(drilled) == ["danang"]
    assert set(client_of(drilled)["choices"]) == {"01", "42", "48"}


def test_the_panel_offers_each_conference_site() -> None:
    config = load_config(Path(__file__).parents[2] / "wall_config.yaml", default_registry())
    model = panel_model(config, Principal("leader", "leader"), "vi")
    [conference] = model["conferences"]
    assert conference["large_var"] == "site" and conference["audio_var"] == "audio"
    assert [s["id"] for s in conference["sites"]] == [
        "hatinh",
        "hanoi",
        "haiphong",
        "danang",
        "hcmc",
        "cantho",
    ]


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ([], "send a JSON object"),
        ({"tile": "t", "site": 3, "state": "live"}, "tile and site are strings"),
        ({"tile": "t", "site": "s", "state": "playing"}, "state is one of"),
        ({"tile": "t", "site": "s", "state": "live", "last_live": "now"}, "epoch milliseconds"),
    ],
)
def test_a_pane_report_is_checked_field_by_field(body: Any, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        parse_report(body)
    good = {"tile": "t", "site": "s", "state": "no-signal", "reason": "x" * 500, "last_live": 5.0}
    assert parse_report(good) == {
        "tile": "t",
        "site": "s",
        "state": "no-signal",
        "reason": "x" * 200,
        "last_live": 5,
    }


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "${OPSWALL_TEST_UNSET:-javascript:alert(1)}",
            "after ${VAR} expansion, url must be a path on this server (/media/...) or an "
            "http(s) URL",
        ),
        ("/\\\\evil.example/x", "url holds a space, control character or backslash"),
        ("\\\\\\\\evil.example/x", "url holds a space, control character or backslash"),
        ("java\\tscript:alert(1)", "url holds a space, control character or backslash"),
        (" javascript:alert(1)", "url holds a space, control character or backslash"),
        ("/media/a\\nb.mp4", "url holds a space, control character or backslash"),
        ("JavaScript:alert(1)", "url must be a path on this server (/media/...) or an http(s)"),
    ],
)
def test_a_source_url_is_checked_as_a_browser_reads_it(
    tmp_path: Path, url: str, message: str
) -> None:
    """Defaults of ${VAR:-...}, backslashes, tabs, newlines, spaces and odd-case schemes are
    refused with the located reason."""
    text = wall_text(sites=SITES.replace('"http://media.local:8889/hanoi/whep"', f'"{url}"', 1))
    lines = text.splitlines()
    line = next(n for n, t in enumerate(lines, 1) if f'"{url}"' in t)
    column = lines[line - 1].index("{kind") + 1
    (error,) = config_errors(tmp_path, text)
    assert error.startswith(f"wall_config.yaml:{line}:{column}: sites[3].source: {message}")


def test_a_source_url_is_checked_again_where_the_environment_expands_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A variable that becomes a script URL in the web process's environment plays nothing."""
    from opswall.config.video import VideoSource
    from opswall.tiles.panes import source_url

    source = VideoSource(kind="iframe", url="${OPSWALL_TEST_MEDIA}/room")
    monkeypatch.setenv("OPSWALL_TEST_MEDIA", "javascript:alert(1)//")
    assert source_url(source) == (
        "",
        "url after ${VAR} expansion: url must be a path on this "
        "server (/media/...) or an http(s) URL",
    )
    monkeypatch.setenv("OPSWALL_TEST_MEDIA", "https://media.example")
    assert source_url(source) == ("https://media.example/room", "")


def test_an_iframe_tile_refuses_a_backslashed_outside_address() -> None:
    """`/\\host/...` is not a path on this server: a browser reads it as `//host/...`."""
    from opswall.tiles.internal import same_origin_path

    with pytest.raises(ValueError, match="backslash"):
        same_origin_path("/\\evil.example/x")
    assert same_origin_path("/wall/main") == "/wall/main"
