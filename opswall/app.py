"""`create_app(source, settings) -> Dash`: the web process, and nothing else."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from dash import Dash
from flask import Flask, Response, send_from_directory

from opswall.auth.accounts import Accounts
from opswall.callbacks import routing
from opswall.config.live import ConfigSource
from opswall.health import web_health
from opswall.layouts.shell import shell
from opswall.settings import Settings
from opswall.store.db import Database
from opswall.store.redis_client import connect
from opswall.web import assets, headers, routes
from opswall.web.context import WebContext
from opswall.web.security import Identity, LoginLimiter, configure_sessions

ASSETS = Path(__file__).parent / "assets"
# The browser's ES modules (the wall's client, the panel, their shared helpers): kept out of
# Dash's assets, which Dash would add to every page as classic scripts. Tile modules are served
# at /_opswall/tiles/<type>.js, beside /_opswall/static/, so their relative imports
# ("../static/lib/geo.js") resolve the same on disk and in the browser (docs/tiles.md).
STATIC = Path(__file__).parent / "static"


def wall_entry(source: ConfigSource) -> str:
    """The wall page's entry module: the client, started with every registered tile type."""
    types = source.registry.types()
    imports = [f'import * as t{i} from "./tiles/{t.name}.js";' for i, t in enumerate(types)]
    table = ", ".join(f'"{t.name}": t{i}' for i, t in enumerate(types))
    return "\n".join(
        ['import { start } from "./static/wall/main.js";', *imports, f"start({{ {table} }});", ""]
    )


def web_context(source: ConfigSource, settings: Settings, db: Database) -> WebContext:
    # Streams hold what others wrote: bytes that are not UTF-8 read as escapes, never as an
    # error that takes a page down (issue 17).
    client = (
        connect(
            settings.redis_url,
            socket_timeout=3,
            decode_responses=True,
            encoding_errors="backslashreplace",
        )
        if settings.redis_url
        else None
    )
    accounts = Accounts(db)
    # A page's first values are decoded as the gateway decodes them (web/first_values.py):
    # from the stream's bytes, so an entry that is not UTF-8 is set aside, not shown escaped.
    streams = connect(settings.redis_url, socket_timeout=3) if settings.redis_url else None
    return WebContext(
        source, settings, db, accounts, Identity(accounts), client, LoginLimiter(client), streams
    )


def declare_language(app: Dash, source: ConfigSource) -> None:
    """Dash's page says no language: screen readers, hyphenation and the browser's own choice
    of glyphs need `<html lang>`. Wall and index pages are in the wall's language."""
    render = app.interpolate_index

    def interpolate_index(**kwargs: Any) -> str:
        page: str = render(**kwargs)  # type: ignore[no-untyped-call]  # Dash's is untyped
        return page.replace("<html>", f'<html lang="{source.current.config.wall.locale}">', 1)

    app.interpolate_index = interpolate_index  # type: ignore[method-assign,assignment]


def preload_modules(app: Dash, version: str, modules: list[str]) -> None:
    """The page lists every module of the wall client in its head (issue 22): the browser
    fetches them at once, instead of one level of imports after another."""
    links = "".join(
        f'<link rel="modulepreload" href="/_opswall/{version}/{path}">' for path in modules
    )
    render = app.interpolate_index

    def interpolate_index(**kwargs: Any) -> str:
        page: str = render(**kwargs)  # type: ignore[no-untyped-call]  # Dash's is untyped
        return page.replace("</head>", links + "</head>", 1)

    app.interpolate_index = interpolate_index  # type: ignore[method-assign,assignment]


def module_source(source: ConfigSource) -> Callable[[str], str | None]:
    """A wall module's text by its path beside the entry (`static/...`, `tiles/<type>.js`)."""
    scripts = {f"tiles/{t.name}.js": Path(t.script) for t in source.registry.types()}

    def read(path: str) -> str | None:
        if path in scripts:
            return scripts[path].read_text(encoding="utf-8")
        file = STATIC / path.removeprefix("static/")
        return (
            file.read_text(encoding="utf-8")
            if path.startswith("static/") and file.is_file()
            else None
        )

    return read


def tile_scripts(source: ConfigSource) -> list[Path]:
    return [Path(t.script) for t in source.registry.types()]


def create_app(source: ConfigSource, settings: Settings, db: Database) -> Dash:
    entry = wall_entry(source)
    # The page loads its modules under a path naming their version: cached for good (issue 22).
    version = assets.version_of(entry, tile_scripts(source))
    app = Dash(
        __name__,
        assets_folder=str(ASSETS),
        title="opswall",
        update_title=None,  # type: ignore[arg-type]  # None turns the "Updating..." title off
        suppress_callback_exceptions=True,
        serve_locally=True,
        # Bundled players are loaded by the pane that needs them, not by every page.
        assets_ignore=r"^vendor/|hls\..*\.js$",
        external_scripts=[{"src": f"/_opswall/{version}/wall.js", "type": "module"}],
    )
    app.layout = shell()
    declare_language(app, source)
    preload_modules(app, version, assets.module_graph(entry, module_source(source)))
    context = web_context(source, settings, db)
    # The web process keeps the revisions: the config in force now and every one that follows.
    source.listen(context.revisions.took_effect)
    routing.register(app, context)
    server: Flask = app.server
    configure_sessions(server, db)
    routes.register(server, context)
    hashes = list(app.csp_hashes())  # Dash's inline renderer script, allowed by its hash
    headers.register(server, settings, lambda: source.current.config, lambda: hashes)

    def tile_script(name: str) -> Path | None:
        return Path(source.registry.get(name).script) if name in source.registry.names() else None

    assets.register(server, STATIC, entry, version, tile_script)

    @server.get("/media/<path:name>")
    def media_file(name: str) -> Response:
        # Range requests and conditional GETs come with send_from_directory.
        return send_from_directory(settings.media_dir.resolve(), name, max_age=60)

    # The operator pages' modules are revalidated on every load (a 304 when unchanged): a page
    # loaded just after an upgrade never mixes modules of two versions. The wall page's are
    # versioned instead (web/assets.py).
    @server.get("/_opswall/static/<path:name>")
    def static_file(name: str) -> Response:
        return send_from_directory(STATIC, name, max_age=0 if name.endswith(".js") else 300)

    @server.get("/healthz")
    def healthz() -> tuple[dict[str, object], int]:
        report = web_health(source, settings)
        return report, 200 if report["ok"] else 503

    return app
