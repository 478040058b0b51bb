"""`create_app(source, settings) -> Dash`: the web process, and nothing else."""

from __future__ import annotations

import hashlib
from pathlib import Path

from dash import Dash
from flask import Flask, Response

from opswall.callbacks import routing
from opswall.config.source import ConfigSource
from opswall.health import web_health
from opswall.layouts.shell import shell
from opswall.settings import Settings

ASSETS = Path(__file__).parent / "assets"


def tile_scripts(source: ConfigSource) -> str:
    """Every registered tile type's client script, in one file."""
    return "\n".join(
        f"/* tile type: {t.name} */\n{t.client_script()}" for t in source.registry.types()
    )


def create_app(source: ConfigSource, settings: Settings) -> Dash:
    scripts = tile_scripts(source)
    version = hashlib.sha256(scripts.encode()).hexdigest()[:10]
    app = Dash(
        __name__,
        assets_folder=str(ASSETS),
        title="opswall",
        update_title=None,  # type: ignore[arg-type]  # None turns the "Updating..." title off
        suppress_callback_exceptions=True,
        serve_locally=True,
        external_scripts=[f"/_opswall/tiles.js?v={version}"],
    )
    app.layout = shell()
    routing.register(app, source, settings)
    server: Flask = app.server

    @server.get("/_opswall/tiles.js")
    def tiles_js() -> Response:
        return Response(
            scripts, mimetype="text/javascript", headers={"Cache-Control": "public, max-age=86400"}
        )

    @server.get("/healthz")
    def healthz() -> tuple[dict[str, object], int]:
        report = web_health(source, settings)
        return report, 200 if report["ok"] else 503

    return app
