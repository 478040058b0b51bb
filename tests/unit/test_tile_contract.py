"""The tile client contract (docs/tiles.md): every tile type's client module implements it, the
document names every hook the core calls, and the options a tile is mounted with are derived from
its options model."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from opswall.app import wall_entry
from opswall.config.live import ConfigSource, snapshot_of
from opswall.config.loader import load_config
from opswall.config.models import TileBase
from opswall.tiles import default_registry
from tests.conftest import first_render

ROOT = Path(__file__).parents[2]
FIXTURES = ROOT / "tests/fixtures"
CONTRACT = (ROOT / "opswall/static/wall/contract.js").read_text(encoding="utf-8")
DOC = (ROOT / "docs/tiles.md").read_text(encoding="utf-8")
# Options a tile's model has that its client module must not see (the server renders them).
HELD_BACK = {("video", "source"), ("text", "markdown")}


def hooks(kind: str) -> list[str]:
    """A hook list of contract.js (REQUIRED_HOOKS or OPTIONAL_HOOKS)."""
    found = re.search(rf"export const {kind} = \[([^\]]*)\]", CONTRACT)
    assert found, kind
    return re.findall(r'"(\w+)"', found.group(1))


def skip(text: str, i: int) -> int:
    """The index past a string literal or a // comment starting at i, else i."""
    if text.startswith("//", i):
        return text.index("\n", i)
    if text[i] in "\"'`":
        j = i + 1
        while text[j] != text[i]:
            j += 2 if text[j] == "\\" else 1
        return j + 1
    return i


def object_keys(text: str, i: int) -> set[str]:
    """The keys of the object literal whose "{" is at text[i] (its top level only)."""
    depth, keys, expecting = 0, set(), False
    while True:
        after = skip(text, i)
        if after != i:
            i = after
            continue
        char = text[i]
        if char in "{[(":
            depth += 1
            expecting = depth == 1
        elif char in "}])":
            depth -= 1
            if depth == 0:
                return keys
        elif depth == 1 and char == ",":
            expecting = True
        elif depth == 1 and expecting and not char.isspace():
            key = re.match(r"\w+", text[i:])
            if key:
                keys.add(key.group(0))
                i += len(key.group(0)) - 1
            expecting = False
        i += 1


def returned_keys(script: str) -> set[str]:
    """The keys of the tile object mount() returns (its last top-level return)."""
    start = script.index("export function mount(")
    indented = script.rfind("\n  return {", start)
    at = indented if indented >= 0 else script.index("return {", start)
    return object_keys(script, script.index("{", at))


@pytest.mark.parametrize("name", default_registry().names())
def test_every_tile_module_implements_the_contract(name: str) -> None:
    """Each tile type's client is an ES module exporting mount, whose tile has feeds and every
    required hook, and reaches other modules by import, never through window."""
    script = default_registry().get(name).client_script()
    assert re.search(r"^export function mount\((el(, options(, ctx(, guard)?)?)?)?\)", script, re.M)
    keys = returned_keys(script)
    missing = {"feeds", *hooks("REQUIRED_HOOKS")} - keys
    assert not missing, f"{name}: mount returns no {sorted(missing)}"
    assert not re.search(r"window\.opswall", script), f"{name} reaches the core through window"
    for target in re.findall(r'^import .* from "([^"]+)";$', script, re.M):
        assert (Path(default_registry().get(name).script).parent / target).resolve().is_file()


def test_the_document_names_every_hook() -> None:
    """docs/tiles.md describes every hook the core calls, required and optional."""
    every = hooks("REQUIRED_HOOKS") + hooks("OPTIONAL_HOOKS")
    assert len(every) >= 7
    for hook in every:
        assert f"`{hook}(" in DOC, hook


def own_options(tile: TileBase) -> set[str]:
    return set(type(tile).model_fields) - set(TileBase.model_fields)


def test_client_options_are_the_models_options() -> None:
    """Every option a tile's model has reaches its client module (a duration as `<name>_ms`),
    except what the server renders itself."""
    config = load_config(FIXTURES / "minimal.yaml", default_registry())
    snapshot = snapshot_of(config)
    for screen in config.screens:
        page = first_render(snapshot, screen)
        for tile, component in zip(screen.tiles, page.children[-1].children, strict=True):
            client = json.loads(component.to_plotly_json()["props"]["data-client"])
            for option in own_options(tile):
                if (tile.type, option) in HELD_BACK:
                    assert option not in client, f"{tile.id}.{option} is sent to the browser"
                else:
                    assert option in client or f"{option}_ms" in client, f"{tile.id}.{option}"


def test_the_wall_entry_starts_the_client_with_every_tile_module() -> None:
    """/_opswall/wall.js imports the client and each registered type's module, by paths that
    mirror the package (so the modules' own relative imports resolve as on disk)."""
    source = ConfigSource(FIXTURES / "minimal.yaml", default_registry())
    entry = wall_entry(source)
    package = ROOT / "opswall"
    targets = re.findall(r'^import .* from "\./([^"]+)";$', entry, re.M)
    assert targets[0] == "static/wall/main.js"
    assert targets[1:] == [f"tiles/{name}.js" for name in default_registry().names()]
    assert all((package / target).is_file() for target in targets)
    assert re.search(r'^start\(\{ "alerts": t0, .*"video": t14 \}\);$', entry, re.M)
