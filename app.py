"""WSGI entry point for any WSGI server: `waitress-serve --port 8050 app:server`.

Configured by the environment (OPSWALL_CONFIG, OPSWALL_REDIS_URL, OPSWALL_DATABASE_URL,
OPSWALL_PUBLIC_GATEWAY_URL), as `opswall web` is, which serves the same app with waitress built in.
"""

from flask import Flask

from opswall.cli.parts import web_app
from opswall.config.live import ConfigSource
from opswall.settings import Settings
from opswall.tiles import default_registry

settings = Settings.from_env()
app = web_app(settings, ConfigSource(settings.config_path, default_registry()))
server: Flask = app.server
