"""Helpers for driving a wall in headless Chromium: tests, benchmarks and screenshots share them.

Uses the system's Chromium (Debian's package), never a browser downloaded by a test tool.
"""

from __future__ import annotations

import shutil

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
]


def chromium_path() -> str:
    """The installed Chromium; raises if there is none (scripts/test installs it)."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise FileNotFoundError("Chromium is not installed: run ./scripts/test, which installs it")
