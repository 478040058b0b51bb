"""Security headers on every response of the web app (issue 17, part 6).

The Content-Security-Policy lets scripts come only from this server, plus the one inline script
Dash renders (allowed by its hash, never by 'unsafe-inline'); frames, media and connections reach
only this server, the gateway and the media servers the config names. Wall pages may be framed
by this server's own pages (the overview screen shows other screens in iframe tiles); nothing
frames /control, /admin/* or the sign-in pages. Pages that show a secret are never cached.

One relaxation: style-src allows 'unsafe-inline', because Dash sets `style` attributes in markup
it generates; a style attribute cannot run script.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from flask import Flask, Response, request

from opswall.config.env import UnsetVariable, expand
from opswall.config.models import WallConfig
from opswall.config.video import VideoSource, url_problem
from opswall.settings import Settings

# Pages that show a secret (a new token, the setup link) or a signed-in person's data.
NO_STORE = ("/admin/", "/setup/", "/login", "/control", "/api/")
# Never framed, even by this server: steering, administration, sign-in. Everything else may be
# framed by this server's own pages (the overview screen's iframe tiles, self-served panes).
UNFRAMED = ("/control", "/admin/", "/login", "/logout", "/setup/", "/api/", "/metrics")


def media_origins(config: WallConfig) -> list[str]:
    """The origins of every http(s) video source (environment expanded now)."""
    sources: list[VideoSource] = [site.source for site in config.sites]
    for screen in config.screens:
        sources += [
            s for t in screen.tiles if isinstance(s := getattr(t, "source", None), VideoSource)
        ]
    origins = set()
    for source in sources:
        try:
            url = expand(source.url)
        except UnsetVariable:
            continue
        parts = urlsplit(url)
        if not url_problem(url) and parts.scheme in ("http", "https"):
            origins.add(f"{parts.scheme}://{parts.netloc}")
    return sorted(origins)


HOST_NAME = re.compile(r"[a-z0-9.-]{1,253}|[0-9a-f:.]{2,45}")


def gateway_origins(settings: Settings, host: str) -> list[str]:
    """What pages dial for the gateway: the public URL, or this host on the gateway port."""
    if settings.public_gateway_url:
        parts = urlsplit(settings.public_gateway_url)
        return [f"{parts.scheme}://{parts.netloc}"]
    name = urlsplit(f"//{host}").hostname or ""
    if not HOST_NAME.fullmatch(name):  # the Host header is the client's: nothing else goes in
        name = "localhost"
    name = f"[{name}]" if ":" in name else name
    return [f"ws://{name}:{settings.gateway_port}", f"wss://{name}:{settings.gateway_port}"]


def policy(
    script_hashes: Iterable[str], gateways: list[str], media: list[str], framed: bool
) -> str:
    """The Content-Security-Policy header value."""
    sources = " ".join(["'self'", *media])
    directives = {
        "default-src": "'self'",
        "script-src": " ".join(["'self'", *script_hashes]),
        "style-src": "'self' 'unsafe-inline'",
        "img-src": f"{sources} data: blob:",
        "font-src": "'self' data:",
        "media-src": f"{sources} blob:",
        "connect-src": " ".join([sources, *gateways]),
        "frame-src": sources,
        "worker-src": "'self' blob:",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'self'" if framed else "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def register(
    server: Flask,
    settings: Settings,
    config_of: Callable[[], WallConfig],
    script_hashes: Callable[[], list[str]],
) -> None:
    seen: list[tuple[WallConfig, list[str]]] = []  # the media origins of the current config

    def media() -> list[str]:
        config = config_of()
        if not seen or seen[0][0] is not config:
            seen[:] = [(config, media_origins(config))]
        return seen[0][1]

    @server.after_request
    def secure(response: Response) -> Response:
        path = request.path
        framed = path != "/" and not path.startswith(UNFRAMED)
        gateways = gateway_origins(settings, request.host)
        response.headers["Content-Security-Policy"] = policy(
            script_hashes(), gateways, media(), framed
        )
        response.headers["X-Frame-Options"] = "SAMEORIGIN" if framed else "DENY"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        if path.startswith(NO_STORE):
            response.headers["Cache-Control"] = "no-store"
        return response
