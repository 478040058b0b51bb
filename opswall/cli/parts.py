"""The wall's parts as separate processes: `opswall web`, `opswall gateway`, `opswall feeds`."""

from __future__ import annotations

import asyncio
import functools
import gc
import logging
import os
from typing import TYPE_CHECKING

from opswall.config.live import ConfigSource
from opswall.errors import OpswallError
from opswall.settings import Settings

if TYPE_CHECKING:
    from dash import Dash

    from opswall.store.db import Database

log = logging.getLogger("opswall")


def require_redis(settings: Settings) -> str:
    if not settings.redis_url:
        raise OpswallError(
            "set OPSWALL_REDIS_URL (or start `opswall run` in this directory: it provides Redis)"
        )
    return settings.redis_url


def open_database(settings: Settings) -> Database:
    from opswall.store.db import Database

    db = Database(settings.database_url)
    db.upgrade()
    return db


def announce_setup(db: Database, settings: Settings) -> None:
    """No user yet: create the admin from the environment, or print a one-time setup link."""
    from opswall.auth.accounts import Accounts

    accounts = Accounts(db)
    if accounts.has_users():
        return
    name, password = os.environ.get("OPSWALL_ADMIN_USER"), os.environ.get("OPSWALL_ADMIN_PASSWORD")
    if name and password:
        accounts.create_user(name, password, "admin", clearance=True)
        log.info("created the first admin %r from OPSWALL_ADMIN_USER", name)
        return
    token = accounts.setup_token()
    host = "localhost" if settings.host in ("0.0.0.0", "127.0.0.1") else settings.host
    print(
        f"opswall: no user yet. Create the first admin (one-time link): "
        f"http://{host}:{settings.port}/setup/{token}",
        flush=True,
    )


def web_app(settings: Settings, source: ConfigSource) -> Dash:
    """The web part's app, record migrated and config watched: `opswall web` serves it with
    waitress built in, the root `app.py` hands it to any WSGI server."""
    from opswall.app import create_app

    db = open_database(settings)
    announce_setup(db, settings)
    app = create_app(source, settings, db)
    source.watch()
    return app


def serve_web(settings: Settings, source: ConfigSource) -> None:
    from waitress import serve

    app = web_app(settings, source)
    log.info("web on http://%s:%d/", settings.host, settings.port)
    # Each wall PC's browser keeps up to 6 idle keep-alive connections: waitress's default limit
    # of 100 stalled page loads from the 17th screen on (found by the 24-screen benchmark).
    serve(
        app.server,
        host=settings.host,
        port=settings.port,
        threads=16,
        connection_limit=1000,
        # Waitress drops X-Forwarded-* from proxies it was not told to trust, before the app's
        # ProxyFix (OPSWALL_TRUSTED_PROXIES) could read them: every client looked like the proxy.
        clear_untrusted_proxy_headers=not os.environ.get("OPSWALL_TRUSTED_PROXIES"),
        _quiet=True,
    )


def serve_gateway(settings: Settings, source: ConfigSource) -> None:
    from opswall.gateway.server import run_gateway
    from opswall.history.store import load

    redis_url = require_redis(settings)
    db = open_database(settings)
    # Modules, config and the database layer live as long as the process: keeping them out of
    # full collections shortens the collector's pauses, which screens would see as lag spikes.
    gc.freeze()
    history = functools.partial(load, db)  # recorded entries older than the streams hold
    asyncio.run(
        run_gateway(source, db, redis_url, settings.gateway_host, settings.gateway_port, history)
    )


def serve_feeds(settings: Settings, source: ConfigSource) -> None:
    from opswall.feeds.runner import FeedRunner

    runner = FeedRunner(source, require_redis(settings))
    db = open_database(settings)
    log.info(
        "feed runner writing to %s, recording to %s", settings.redis_url, db.url.render_as_string()
    )
    asyncio.run(runner.run(db))


SERVE = {"web": serve_web, "gateway": serve_gateway, "feeds": serve_feeds}
