"""A light wall page (issue 22): the web process compresses what it sends, serves the page's
versioned files as cacheable for good, and has HTML revalidated on every load."""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import requests

from opswall.runtime.redis_provider import RedisServer
from opswall.testing import Provisioned

pytestmark = pytest.mark.redis

STATIC = Path(__file__).parents[2] / "opswall" / "static"
IMMUTABLE = "public, max-age=31536000, immutable"


@pytest.fixture
def web(
    redis_server: RedisServer,
    wall_config: Path,
    start_gateway: Callable[[Path, str], int],
    start_web: Callable[[Path, str, int], str],
) -> str:
    return start_web(wall_config, redis_server.url, start_gateway(wall_config, redis_server.url))


def raw(url: str, encoding: str = "gzip", **headers: str) -> requests.Response:
    """A GET whose body is left as sent (requests would decompress it)."""
    response = requests.get(
        url, headers={"Accept-Encoding": encoding, **headers}, stream=True, timeout=10
    )
    response.raw.decode_content = False
    response._content = response.raw.read()  # the body as it crossed the wire
    return response


def test_the_wall_page_and_its_files_are_compressed_and_cached(
    web: str, record: Provisioned
) -> None:
    """HTML, the client's modules and Dash's scripts go out gzipped; the modules (under the
    page's version) and Dash's fingerprinted files are immutable; HTML is revalidated."""
    page = raw(f"{web}/wall/main?token={record.viewer_token}")
    assert page.status_code == 200 and page.headers["Content-Encoding"] == "gzip"
    html = gzip.decompress(page.content).decode()
    assert "no-cache" in page.headers["Cache-Control"]
    assert "Accept-Encoding" in page.headers["Vary"]
    scripts = re.findall(r'src="([^"]+)"', html)
    entry = next(s for s in scripts if re.fullmatch(r"/_opswall/[0-9a-f]{12}/wall\.js", s))
    assert raw(web + entry).headers["Cache-Control"] == IMMUTABLE
    module = raw(web + entry.replace("wall.js", "static/wall/paint.js"))
    assert module.headers["Cache-Control"] == IMMUTABLE
    assert module.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(module.content) == (STATIC / "wall" / "paint.js").read_bytes()
    tile = raw(web + entry.replace("wall.js", "tiles/kpi.js"))
    assert tile.status_code == 200 and tile.headers["Cache-Control"] == IMMUTABLE
    renderer = next(s for s in scripts if "dash_renderer" in s)
    dash = raw(web + renderer)
    assert dash.headers["Cache-Control"] == IMMUTABLE
    assert dash.headers["Content-Encoding"] == "gzip"
    assert len(dash.content) < int(len(gzip.decompress(dash.content)) * 0.5)


def test_a_client_that_takes_no_gzip_gets_the_plain_body_and_revalidates(
    web: str, record: Provisioned
) -> None:
    """Identity to a client that does not accept gzip; a conditional GET with the compressed
    body's ETag gets 304; a file asked under another version is not cached for good."""
    page = requests.get(f"{web}/wall/main?token={record.viewer_token}", timeout=10)
    entry = next(s for s in re.findall(r'src="([^"]+)"', page.text) if s.endswith("/wall.js"))
    url = web + entry.replace("wall.js", "static/wall/paint.js")
    plain = raw(url, "identity")
    assert "Content-Encoding" not in plain.headers
    assert plain.content == (STATIC / "wall" / "paint.js").read_bytes()
    assert "gzip" not in raw(url, "gzip;q=0").headers.get("Content-Encoding", "")
    packed = raw(url)
    again = raw(url, **{"If-None-Match": packed.headers["ETag"]})
    assert again.status_code == 304
    version = entry.split("/")[2]
    other = raw(url.replace(version, "0" * 12))
    assert other.status_code == 200 and other.headers["Cache-Control"] == "no-cache"


def test_the_wall_page_lists_every_module_of_its_client(web: str, record: Provisioned) -> None:
    """The page's head names each module its entry imports, at any depth, under the page's
    version (`modulepreload`): fetched at once, not one level of imports after another."""
    html = requests.get(f"{web}/wall/main?token={record.viewer_token}", timeout=10).text
    head = html.split("</head>", 1)[0]
    listed = re.findall(r'<link rel="modulepreload" href="(/_opswall/[0-9a-f]{12}/[^"]+)">', head)
    version = listed[0].split("/")[2]
    assert f"/_opswall/{version}/wall.js" in html
    names = {path.split("/", 3)[3] for path in listed}
    deep = {"static/wall/main.js", "static/wall/link.js", "static/lib/freshness.js"}
    assert deep | {"tiles/kpi.js", "tiles/chart.js", "static/lib/geo.js"} <= names
    assert len(names) == len(listed)
    for path in listed:
        reply = requests.get(web + path, timeout=10)
        assert reply.status_code == 200 and reply.headers["Cache-Control"] == IMMUTABLE
