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


LAYOUT_HEADING = "## Layout of the code"
# Packages whose every module the layout names: the shape issue 19 gave them is the point.
NAMED_MODULE_BY_MODULE = ("opswall/gateway/", "opswall/web/", "opswall/control/")


def layout_entries(readme: str) -> dict[str, str]:
    """The README's code layout: each entry's path -> the text that describes it."""
    block = readme.split(LAYOUT_HEADING, 1)[1].split("```", 2)[1]
    entries: dict[str, str] = {}
    current = ""
    for line in block.splitlines():
        if line and not line[0].isspace():
            current, _, text = line.partition(" ")
            entries[current] = text
        elif current:
            entries[current] += " " + line.strip()
    return entries


def unresolved_modules(entries: dict[str, str]) -> list[str]:
    """Bare `name.py` mentions in a folder's entry that no file under that folder has."""
    found = []
    for path, text in entries.items():
        folder = ROOT / path if path.endswith("/") else ROOT
        for name in re.findall(r"(?<![\w/.])(\w+\.py)\b", text):
            if not list(folder.rglob(name)):
                found.append(f"{path}: {name}")
    return found


def test_the_code_layout_names_modules_that_exist() -> None:
    """Every module the layout names in a folder's entry is in that folder."""
    entries = layout_entries((ROOT / "README.md").read_text(encoding="utf-8"))
    assert "opswall/gateway/" in entries and "app.py" in entries
    assert unresolved_modules(entries) == []
    assert unresolved_modules({"opswall/web/": "routes.py, hub.py"}) == ["opswall/web/: hub.py"]


def test_the_code_layout_names_every_part_of_the_package() -> None:
    """Each top-level module and package of opswall/ has an entry (or is named in one), and the
    gateway, web and control packages are described module by module."""
    entries = layout_entries((ROOT / "README.md").read_text(encoding="utf-8"))
    text = " ".join(f"{path} {words}" for path, words in entries.items())
    parts = [
        f"opswall/{p.name}" + ("/" if p.is_dir() else "")
        for p in (ROOT / "opswall").iterdir()
        if not p.name.startswith(("_", ".")) and (p.is_dir() or p.suffix == ".py")
    ]
    assert sorted(p for p in parts if p not in text) == []
    unnamed = [
        f"{package}{module.name}"
        for package in NAMED_MODULE_BY_MODULE
        for module in (ROOT / package).glob("*.py")
        if module.name != "__init__.py"
        and not re.search(rf"(?<![\w.]){module.stem}\b", entries.get(package, ""))
    ]
    assert unnamed == []
