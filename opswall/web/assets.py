"""How the web process serves what a page loads (issue 22: a light page).

Compression: text bodies (HTML, scripts, styles, JSON, SVG) over MIN_BYTES go out gzipped to a
client that accepts it; a file's compressed body is kept (by path and ETag), so Dash's scripts
are compressed once, not per page load. gzip is Python's own: no new dependency. The ETag stays as
it was (Dash compares it verbatim; the Vary header keeps caches from mixing the encodings).

Caching: the wall client's modules are served under a versioned path,
/_opswall/<version>/..., where the version is a digest of every module and tile script the
page can load (and the entry that imports them). Their relative imports stay under that path, so
one page never mixes two versions and each file is cached for a year, immutable. Dash's own
fingerprinted files (component suites with a version in their name, assets with ?m=) are
immutable too; HTML is revalidated on every load (no-cache).
"""

from __future__ import annotations

import gzip
import hashlib
import posixpath
import re
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from flask import Flask, Response, abort, request, send_file, send_from_directory

from opswall.build import digest

MIN_BYTES = 1024
COMPRESSIBLE = (
    "text/",
    "application/javascript",
    "application/json",
    "application/geo+json",
    "image/svg+xml",
)
IMMUTABLE = "public, max-age=31536000, immutable"
KEPT = 64  # compressed file bodies kept in memory (the page's scripts and styles)


def version_of(entry: str, scripts: list[Path]) -> str:
    """The digest of everything the wall page's module graph can load."""
    sha = hashlib.sha256((digest() + entry).encode())
    for script in scripts:
        sha.update(script.read_bytes())
    return sha.hexdigest()[:12]


# A static import or re-export: `import ... from "x"`, `import "x"`, `export ... from "x"`.
IMPORTED = re.compile(
    r"""^\s*(?:import\s*|(?:import|export)\b[^;"']*?\bfrom\s*)["']([^"']+)["']""", re.M
)


def module_graph(entry: str, read: Callable[[str], str | None]) -> list[str]:
    """Every module the entry imports, transitively, as paths beside it (`static/wall/main.js`,
    `tiles/kpi.js`); `read(path)` gives a module's text (None: no such module). A browser finds
    them one level of imports at a time; listed in the page, they are fetched at once."""
    found: list[str] = []
    waiting = [("", entry)]
    while waiting:
        here, text = waiting.pop()
        for spec in IMPORTED.findall(text):
            path = posixpath.normpath(posixpath.join(posixpath.dirname(here), spec))
            if path in found or path.startswith(".."):
                continue
            body = read(path)
            if body is not None:
                found.append(path)
                waiting.append((path, body))
    return found


def accepts_gzip(header: str) -> bool:
    """Whether an Accept-Encoding header takes gzip (and does not refuse it with q=0)."""
    for part in header.split(","):
        name, _, params = part.strip().partition(";")
        if name.strip().lower() in ("gzip", "*"):
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def fingerprinted(path: str, query: str) -> bool:
    """Dash's files whose URL changes when their content does."""
    if path.startswith("/_dash-component-suites/"):
        # Dash names them file.v<version>m<mtime>.js when it fingerprints them.
        return ".v" in path.rsplit("/", 1)[-1] and "m" in path.rsplit(".v", 1)[-1]
    return path.startswith("/assets/") and query.startswith("m=")


class Compressor:
    """gzip for text responses, with a small store of compressed file bodies."""

    def __init__(self) -> None:
        self.kept: OrderedDict[tuple[str, str], bytes] = OrderedDict()

    def __call__(self, response: Response) -> Response:
        if (
            response.status_code != 200
            or "Content-Encoding" in response.headers
            or not (response.mimetype or "").startswith(COMPRESSIBLE)
            or not accepts_gzip(request.headers.get("Accept-Encoding", ""))
            or (response.is_streamed and not response.direct_passthrough)
        ):
            return response
        response.headers.add("Vary", "Accept-Encoding")
        etag, _ = response.get_etag()
        key = (request.full_path, etag or "")
        body = self.kept.get(key) if etag else None
        if body is None:
            response.direct_passthrough = False
            data = response.get_data()
            if len(data) < MIN_BYTES:
                return response
            body = gzip.compress(data, compresslevel=6, mtime=0)
            if etag:
                self.kept[key] = body
                while len(self.kept) > KEPT:
                    self.kept.popitem(last=False)
        else:
            self.kept.move_to_end(key)
            response.direct_passthrough = False
        response.set_data(body)
        response.headers["Content-Encoding"] = "gzip"
        return response


def cache_policy(response: Response) -> Response:
    """Versioned files are immutable; HTML is revalidated on every load."""
    path = request.path
    if response.status_code == 200 and fingerprinted(path, request.query_string.decode()):
        response.headers["Cache-Control"] = IMMUTABLE
    elif response.mimetype == "text/html" and "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = "no-cache"
    return response


def register(
    server: Flask,
    static: Path,
    entry: str,
    version: str,
    tile_script: Callable[[str], Path | None],
) -> None:
    """The versioned wall modules, and compression and cache headers on every response."""

    def immutable(response: Response, asked: str) -> Response:
        # A page of an older version asking after an upgrade gets today's file, not cached.
        response.headers["Cache-Control"] = IMMUTABLE if asked == version else "no-cache"
        return response

    @server.get("/_opswall/<string(length=12):asked>/wall.js")
    def versioned_entry(asked: str) -> Response:
        return immutable(Response(entry, mimetype="text/javascript"), asked)

    @server.get("/_opswall/<string(length=12):asked>/static/<path:name>")
    def versioned_static(asked: str, name: str) -> Response:
        return immutable(send_from_directory(static, name), asked)

    @server.get("/_opswall/<string(length=12):asked>/tiles/<name>.js")
    def versioned_tile(asked: str, name: str) -> Response:
        script = tile_script(name)
        if script is None:
            abort(404)
        return immutable(send_file(script, mimetype="text/javascript"), asked)

    server.after_request(cache_policy)
    server.after_request(Compressor())
