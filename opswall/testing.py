"""Helpers for driving a wall in headless Chromium: tests, benchmarks and screenshots share them.

Uses the system's Chromium (Debian's package), never a browser downloaded by a test tool.
"""

from __future__ import annotations

import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

# Without the background-networking flags Chromium tries to reach Google's hosts, which a closed
# network refuses; the throttling flags keep every wall page rendering as if it were on screen.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-renderer-backgrounding",
    "--disable-background-timer-throttling",
    "--disable-backgrounding-occluded-windows",
    # A wall PC plays the chosen bridge point's sound with nobody there to click (kiosk flag).
    "--autoplay-policy=no-user-gesture-required",
]


def chromium_path() -> str:
    """The installed Chromium; raises if there is none (scripts/test installs it)."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise FileNotFoundError("Chromium is not installed: run ./scripts/test, which installs it")


@dataclass(frozen=True)
class Provisioned:
    """A fresh record with the people and devices tests and benchmarks act as."""

    database_url: str
    viewer_token: str  # any screen, no clearance
    cleared_token: str  # any screen, with clearance
    password: str  # every user's (leader, operator, admin)

    @property
    def env(self) -> dict[str, str]:
        return {"OPSWALL_DATABASE_URL": self.database_url}


def provision(directory: Path) -> Provisioned:
    """A SQLite record in `directory`, migrated, with users `leader`, `operator`, `admin` and
    two device tokens."""
    from opswall.auth.accounts import Accounts
    from opswall.store.db import Database

    url = f"sqlite:///{directory / 'opswall.db'}"
    db = Database(url)
    db.upgrade()
    accounts = Accounts(db)
    password = "test-password-" + secrets.token_hex(4)
    for role in ("leader", "operator", "admin"):
        accounts.create_user(role, password, role, clearance=role == "admin")
    _, viewer = accounts.create_token("test wall", "*", False, "admin")
    _, cleared = accounts.create_token("test wall (cleared)", "*", True, "admin")
    db.dispose()
    return Provisioned(url, viewer, cleared, password)
