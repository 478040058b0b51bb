"""What `opswall run` adds for the demo: the stand-in external systems our adapters read
(a web service, a customs database, an MQTT broker with gauges, a portal that pushes), their
addresses in the environment the config expands, and a seeded indicator record."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from opswall.runtime.mosquitto import private_broker
from opswall.runtime.ports import free_port
from opswall.settings import Settings

log = logging.getLogger("opswall.run")


@dataclass
class Demo:
    env: dict[str, str]
    stop: Callable[[], None] = field(default=lambda: None)


DEMO_REFERENCE = "${OPSWALL_DEMO_"


def names_demo_sources(config_path: Path) -> bool:
    """Whether the config reads the demo's stand-ins (`${OPSWALL_DEMO_HTTP:-...}`...): the demo's
    does; a wall of one's own does not, and gets no stand-ins logging refusals beside it."""
    return DEMO_REFERENCE in config_path.read_text(encoding="utf-8")


def prepare_demo(settings: Settings, data_dir: Path) -> Demo:
    from opswall.auth.accounts import Accounts
    from opswall.config.loader import catalogue_path, load_config
    from opswall.demo.seed import seed_reports
    from opswall.indicators.catalogue import load_catalogue
    from opswall.store.db import Database
    from opswall.tiles import default_registry

    data_dir.mkdir(parents=True, exist_ok=True)
    env = {
        "OPSWALL_DEMO_HTTP": f"http://127.0.0.1:{free_port()}",
        "OPSWALL_DEMO_SQL": f"sqlite:///{(data_dir / 'demo-sources.db').resolve()}",
        "OPSWALL_DEMO_WEB": f"http://127.0.0.1:{settings.port}",
    }
    env |= _prepare_media(data_dir / "media")
    broker = private_broker(data_dir / "mosquitto")
    if broker is not None:
        env["OPSWALL_DEMO_MQTT"] = broker.url
    else:
        log.warning("mosquitto is not installed: the demo's MQTT feed shows as failing")
    db = Database(settings.database_url)
    db.upgrade()
    # The demo portal's token: a fresh one each start (only its hash is stored).
    _, env["OPSWALL_DEMO_PUSH_TOKEN"] = Accounts(db).create_token(
        "demo citizen-feedback portal", "push:citizen_feedback", False, "system"
    )
    config = load_config(settings.config_path, default_registry())
    path = catalogue_path(config, settings.config_path.parent)
    if path is not None:
        written = seed_reports(db, load_catalogue(path), ZoneInfo(config.wall.timezone))
        if written:
            log.info("seeded %d demo indicator reports", written)
    db.dispose()
    return Demo(env, broker.stop if broker is not None else lambda: None)


DEMO_SITES = ("hanoi", "haiphong", "hatinh", "danang", "hcmc", "cantho", "flood")
SPEAKING = ("hatinh",)  # the province in session talks; the others listen


def _prepare_media(media_dir: Path) -> dict[str, str]:
    """A port-camera clip under /media/ and an address for the bridge points' media server."""
    try:
        from opswall.demo.clips import write_hls
    except ImportError:
        log.warning("PyAV is not installed (extra 'media'): the demo's video panes show no signal")
        return {}
    if not (media_dir / "port-camera" / "index.m3u8").exists():
        write_hls(media_dir / "port-camera", seconds=20, hue=200)
        log.info("generated the demo's port-camera clip in %s", media_dir)
    return {
        "OPSWALL_MEDIA_DIR": str(media_dir.resolve()),
        "OPSWALL_DEMO_MEDIA": f"http://127.0.0.1:{free_port()}",
    }


def serve_demo_media() -> None:
    """`opswall demo-media`: the bridge points and the flood camera, at OPSWALL_DEMO_MEDIA."""
    import os
    from urllib.parse import urlsplit

    from opswall.demo.whep import main

    address = urlsplit(os.environ.get("OPSWALL_DEMO_MEDIA", "http://127.0.0.1:8889"))
    args = ["--host", address.hostname or "127.0.0.1", "--port", str(address.port or 8889)]
    if os.environ.get("OPSWALL_MEDIA_DIR"):  # its clips as live HLS cameras too (/live/<clip>/)
        args += ["--hls", os.environ["OPSWALL_MEDIA_DIR"]]
    main([*args, "--sites", ",".join(DEMO_SITES), "--speaking", ",".join(SPEAKING)])
