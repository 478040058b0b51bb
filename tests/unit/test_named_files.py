"""Compose, the Dockerfile and the docs point at files that exist (compose.yaml once named a
`.env.example` that is `deploy/env.example`)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parents[2]
DOCUMENTS = ["README.md", "compose.yaml", "Dockerfile", "deploy/env.example", "deploy/nginx.conf"]
# A path into the repository: one of its top-level folders, or a dotfile at the top.
NAMED = re.compile(
    r"(?<![\w./<>${}-])((?:\.ci|deploy|docs|scripts|opswall|tests|catalogue|bench)/[\w./*-]*[\w*/]"
    r"|\.env\.[\w.]*\w|\.opswall/[\w./-]*)(?![\w</])"  # not a placeholder: opswall/tiles/<name>
)
# Made by running things, never in a clone: the demo's data, the operator's secrets, bench runs.
MADE_BY_RUNNING = (".opswall/", "deploy/.env", "bench/results/")


def named_paths(text: str) -> set[str]:
    return {match.rstrip(".") for match in NAMED.findall(text)}


def missing(document: str) -> list[str]:
    text = (ROOT / document).read_text(encoding="utf-8")
    return sorted(
        name
        for name in named_paths(text)
        if not name.startswith(MADE_BY_RUNNING) and not list(ROOT.glob(name))
    )


def test_every_named_repository_file_exists() -> None:
    documents = DOCUMENTS + [str(p.relative_to(ROOT)) for p in (ROOT / "docs").glob("*.md")]
    assert {d: missing(d) for d in documents if missing(d)} == {}


def test_the_pattern_finds_paths_and_skips_placeholders() -> None:
    """It reads the forms the docs use; a missing file would be caught."""
    text = "see .env.example, `deploy/env.example`; opswall/tiles/<name>.js; ${OPSWALL_X}/a.b"
    assert named_paths(text) == {".env.example", "deploy/env.example"}
    assert not list(ROOT.glob(".env.example"))  # the name compose.yaml used to give
