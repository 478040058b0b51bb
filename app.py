"""WSGI entry point for any WSGI server: `waitress-serve --port 8050 app:server`.

Configured by the environment (OPSWALL_CONFIG, OPSWALL_REDIS_URL, OPSWALL_PUBLIC_GATEWAY_URL);
`opswall web` does the same with waitress built in.
"""

from opswall.app import create_app
from opswall.config.live import ConfigSource
from opswall.settings import Settings
from opswall.tiles import default_registry

settings = Settings.from_env()
app = create_app(ConfigSource(settings.config_path, default_registry()), settings)
server = app.server
