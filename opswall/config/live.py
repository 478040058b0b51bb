"""The live config: the last good WallConfig read from a file, refreshed when the file changes.

An invalid edit is logged with its located errors and the last good config stays in force, so a
typo in the YAML never blanks a running wall.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from opswall.config.loader import load_config_text
from opswall.config.models import Screen, WallConfig
from opswall.config.yaml_source import read_text
from opswall.errors import WallConfigError
from opswall.tiles.registry import TileRegistry

log = logging.getLogger("opswall.config")

WATCH_INTERVAL = 0.5  # every process (web, gateway, feeds) polls the config file this often


def screen_revision(config: WallConfig, screen: Screen) -> str:
    """A short hash of everything that shapes one screen's page (wall, screen, its feeds)."""
    parts = {
        "wall": config.wall.model_dump(mode="json"),
        "screen": screen.model_dump(mode="json"),
        "feeds": [feed.model_dump(mode="json") for feed in config.screen_feeds(screen)],
    }
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()
    return digest[:12]


@dataclass(frozen=True)
class Snapshot:
    config: WallConfig
    revisions: dict[str, str]  # screen id -> revision


def snapshot_of(config: WallConfig) -> Snapshot:
    return Snapshot(config, {s.id: screen_revision(config, s) for s in config.screens})


class ConfigSource:
    """Holds the current good config of one file; `refresh()` picks up valid edits."""

    def __init__(self, path: Path, registry: TileRegistry) -> None:
        self.path = path
        self.registry = registry
        self._lock = threading.Lock()
        self._stamp = self._file_stamp()
        self.text = read_text(path)  # the text of the config in force (revisions store it)
        self._current = snapshot_of(load_config_text(self.text, path, registry))
        self.last_error: WallConfigError | None = None
        self._listeners: list[Callable[[str], None]] = []

    def listen(self, took_effect: Callable[[str], None]) -> None:
        """Call `took_effect(text)` now with the config in force, and with every new one."""
        self._listeners.append(took_effect)
        took_effect(self.text)

    @property
    def current(self) -> Snapshot:
        return self._current

    def _file_stamp(self) -> tuple[int, int] | None:
        try:
            stat = self.path.stat()
        except OSError:
            return None
        return stat.st_mtime_ns, stat.st_size

    def refresh(self) -> bool:
        """Reload if the file changed; True when a new valid config took effect."""
        with self._lock:
            stamp = self._file_stamp()
            if stamp is None or stamp == self._stamp:
                return False
            self._stamp = stamp
            try:
                text = read_text(self.path)
                config = load_config_text(text, self.path, self.registry)
            except WallConfigError as exc:
                self.last_error = exc
                log.error("config change rejected, keeping the last good layout:\n%s", exc)
                return False
            self.last_error = None
            previous, self._current, self.text = self._current, snapshot_of(config), text
            for took_effect in self._listeners:
                took_effect(text)
            changed = [
                s for s, rev in self._current.revisions.items() if previous.revisions.get(s) != rev
            ]
            log.info(
                "config reloaded from %s; screens changed: %s",
                self.path,
                ", ".join(changed) or "none",
            )
            return True

    def watch(self, interval: float = WATCH_INTERVAL) -> threading.Thread:
        """Poll the file from a daemon thread, for processes with no event loop (the web app):
        the same `refresh()` the gateway's watcher calls, so both take an edit together and
        the producers' API never serves a config no page has asked for yet."""

        def poll() -> None:
            while True:
                time.sleep(interval)
                try:
                    self.refresh()
                except Exception:  # a watcher that died would freeze the config: log, go on
                    log.exception("config watcher: refresh failed; trying again")

        thread = threading.Thread(target=poll, name="config-watch", daemon=True)
        thread.start()
        return thread
