"""`WebContext`: what every blueprint of the web app reads (config, settings, record, Redis).

`create_app` builds one and installs it on the Flask app; a view reaches it with `web()`.
The blueprints are module-level, so one process may serve several apps (tests do).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

from flask import Flask, current_app

from opswall.auth.accounts import Accounts
from opswall.auth.principals import Principal
from opswall.config.live import ConfigSource
from opswall.config.models import Locale
from opswall.control.store import ControlStore
from opswall.control.warnings import WarningService
from opswall.indicators.catalogue import CatalogueCache
from opswall.replay.source import ReplaySource
from opswall.settings import Settings
from opswall.store.db import Database
from opswall.store.redis_client import SyncClient
from opswall.studio.revisions import Revisions
from opswall.web import pages
from opswall.web.security import Identity, LoginLimiter

EXTENSION = "opswall"


@dataclass
class WebContext:
    source: ConfigSource
    settings: Settings
    db: Database
    accounts: Accounts
    identity: Identity
    redis: SyncClient | None
    limiter: LoginLimiter
    streams: SyncClient | None = None  # feed streams read as bytes (a page's first values)
    catalogue: CatalogueCache = field(init=False)
    revisions: Revisions = field(init=False)
    replays: ReplaySource = field(init=False)

    def __post_init__(self) -> None:
        # One cache of the indicator catalogue for the token form and the producers' API.
        self.catalogue = CatalogueCache(self.source)
        self.revisions = Revisions(self.db)
        self.replays = ReplaySource(self.db, self.source.path, self.source.registry)

    @property
    def control(self) -> ControlStore | None:
        return ControlStore(self.redis, self.db) if self.redis is not None else None

    @property
    def warnings(self) -> WarningService | None:
        store = self.control
        return WarningService(store, self.db) if store is not None else None

    def install(self, server: Flask) -> None:
        server.extensions[EXTENSION] = self


def web() -> WebContext:
    """The context of the app serving this request."""
    return cast(WebContext, current_app.extensions[EXTENSION])


def locale_of(ctx: WebContext) -> Locale:
    return pages.page_locale(ctx.source.current.config.wall.locale)


def person() -> Principal:
    """The signed-in person of a page `access.guard` let through only for people."""
    who = web().identity.person()
    assert who is not None  # access.guard sent anyone else away
    return who
