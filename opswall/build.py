"""The page build: a digest of the code a wall page runs (its scripts and styles), the same in
the web process that serves the page and the gateway that judges it (issue 21). A page whose
build differs from the installation's was loaded before an upgrade: it reloads itself.

`OPSWALL_PAGE_BUILD` names the build instead (a deployment that stamps its own release, and
tests that play an upgrade without changing files).
"""

from __future__ import annotations

import hashlib
import os
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).parent
SOURCES = (
    ("assets", "*.css"),
    ("static/wall", "*.js"),
    ("static/lib", "*.js"),
    ("tiles", "*.js"),
)


@cache
def digest() -> str:
    sha = hashlib.sha256()
    for folder, pattern in SOURCES:
        for path in sorted((PACKAGE / folder).glob(pattern)):
            name = path.relative_to(PACKAGE).as_posix()
            sha.update(name.encode() + b"\0" + path.read_bytes())
    return sha.hexdigest()[:12]


def page_build() -> str:
    return os.environ.get("OPSWALL_PAGE_BUILD") or digest()
