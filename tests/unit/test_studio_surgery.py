"""Surgical writes (issue 20, part 4): a draft changes only its own nodes of the YAML text, on
the shipped demo config; drafts are judged by the file's loader; a changed file refuses apply."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
import yaml

from opswall.studio.drafts import DraftError, check, parse_changes
from opswall.studio.files import ChangedOnDisk, replace_if_unchanged
from opswall.studio.rotation_edit import Step
from opswall.studio.surgery import (
    Add,
    Delete,
    Move,
    SetGrid,
    SetOptions,
    SetRotation,
    SetScene,
    SetShow,
    SurgeryError,
    apply_changes,
)
from opswall.tiles import default_registry

ROOT = Path(__file__).parents[2]
SHIPPED = ROOT / "wall_config.yaml"
TEXT = SHIPPED.read_text(encoding="utf-8")


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    """The removed and the added lines, as `git diff` counts them."""
    diff = list(difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0))
    body = [line for line in diff[2:] if not line.startswith("@@")]
    return [x[1:] for x in body if x[0] == "-"], [x[1:] for x in body if x[0] == "+"]


def comments(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.lstrip().startswith("#")]


def test_a_move_changes_exactly_the_at_line_of_that_tile() -> None:
    """Moving a block-style and a flow-style tile: one `at:` line each, all else byte for byte."""
    new = "at: {col: 1, row: 2, w: 3, h: 1}"
    for screen, tile, old in (
        ("main", "clock", "at: {col: 10, row: 1, w: 3, h: 2}"),
        ("main", "gold", "at: {col: 10, row: 5, w: 3, h: 2}"),
    ):
        after = apply_changes(TEXT, [Move(screen, tile, {"col": 1, "row": 2, "w": 3, "h": 1})])
        removed, added = changed_lines(TEXT, after)
        assert len(removed) == 1 and old in removed[0] and f"id: {tile}" in after
        assert added == [removed[0].replace(old, new)]
        assert comments(after) == comments(TEXT) and comments(TEXT)


def test_an_added_tile_adds_only_its_line_and_a_deleted_one_removes_only_its_lines() -> None:
    """Add: one new line after the layout's last tile; delete: that tile's lines, nothing else."""
    tile = {"id": "cpi2", "type": "kpi", "at": {"col": 1, "row": 1, "w": 2, "h": 1}, "feed": "cpi"}
    added_text = apply_changes(TEXT, [Add("main", tile)])
    removed, added = changed_lines(TEXT, added_text)
    assert removed == [] and added == [
        "      - {id: cpi2, type: kpi, at: {col: 1, row: 1, w: 2, h: 1}, feed: cpi}"
    ]
    assert added_text.index("id: cpi2") > added_text.index("id: gold,")
    removed, added = changed_lines(TEXT, apply_changes(TEXT, [Delete("main", "clock")]))
    assert added == [] and removed[0] == "      - id: clock" and len(removed) == 6
    assert removed[-1].strip() == '- {tz: Europe/Brussels, label: "Brussels"}'


def test_a_grid_change_and_a_block_style_at_keep_their_style() -> None:
    """A flow grid is rewritten in place; a block `at:` has each value replaced, missing keys
    added at its indent."""
    after = apply_changes(TEXT, [SetGrid("main", {"cols": 16, "rows": 9})])
    assert changed_lines(TEXT, after) == (
        ["    grid: {cols: 12, rows: 6}"],
        ["    grid: {cols: 16, rows: 9}"],
    )
    block = "screens:\n  - id: a\n    tiles:\n      - id: t\n        at:\n          col: 1 # left\n          row: 1\n"
    moved = apply_changes(block, [Move("a", "t", {"col": 4, "row": 2, "w": 2})])
    assert moved == block.replace("col: 1 # left", "col: 4 # left").replace(
        "row: 1\n", "row: 2\n          w: 2\n"
    )


def test_unknown_screens_and_tiles_are_named() -> None:
    """A change to something the text does not hold says what is missing."""
    with pytest.raises(SurgeryError, match="no screen 'nowhere'"):
        apply_changes(TEXT, [Delete("nowhere", "x")])
    with pytest.raises(SurgeryError, match="screen 'main' has no tile 'ghost'"):
        apply_changes(TEXT, [Move("main", "ghost", {"col": 1})])


def test_a_draft_is_judged_by_the_files_loader_with_located_errors() -> None:
    """An overlapping move is refused with the line of the tile; a fine one has no issues."""
    registry = default_registry()
    overlap = check(TEXT, [Move("main", "clock", {"col": 1, "row": 1})], SHIPPED, registry)
    assert overlap.config is None and overlap.issues
    assert any("overlap" in i.message and "clock" in i.message + i.path for i in overlap.issues)
    line = TEXT.splitlines().index("      - id: clock") + 1
    assert {i.line for i in overlap.issues} & set(range(line, line + 3))
    fine = check(TEXT, [Move("main", "clock", {"col": 10, "row": 1, "w": 2})], SHIPPED, registry)
    assert fine.issues == () and fine.config is not None
    assert "-        at: {col: 10, row: 1, w: 3, h: 2}" in fine.diff


def test_draft_bodies_are_bounded_and_typed() -> None:
    """Only known changes with ids and whole numbers in range are read."""
    body = {"changes": [{"op": "move", "screen": "main", "tile": "clock", "at": {"col": 2}}]}
    assert parse_changes(body) == [Move("main", "clock", {"col": 2})]
    for bad in (
        None,
        {"changes": "x"},
        {"changes": [{"op": "move", "screen": "main", "tile": "t", "at": {"col": True}}]},
        {"changes": [{"op": "move", "screen": "main", "tile": "t", "at": {"col": 1e308}}]},
        {"changes": [{"op": "grid", "screen": "main", "grid": {"depth": 2}}]},
        {"changes": [{"op": "drop", "screen": "main"}]},
        {"changes": [{"op": "delete", "screen": "x" * 65, "tile": "t"}]},
        {"changes": [{"op": "delete", "screen": "main", "tile": "t"}] * 201},
        {"changes": [{"op": "set", "screen": "main", "tile": "t", "options": {"at": 1}}]},
        {"changes": [{"op": "set", "screen": "main", "tile": "t", "options": {"A\n": 1}}]},
    ):
        with pytest.raises(DraftError):
            parse_changes(bad)


def test_apply_refuses_when_the_file_changed_since_the_draft_opened(tmp_path: Path) -> None:
    """A hand edit after the draft opened: nothing written, the refusal carries its diff."""
    path = tmp_path / "wall_config.yaml"
    path.write_text(TEXT, encoding="utf-8")
    edited = TEXT.replace("grid: {cols: 12, rows: 6}", "grid: {cols: 12, rows: 7}", 1)
    path.write_text(edited, encoding="utf-8")
    with pytest.raises(ChangedOnDisk) as refused:
        replace_if_unchanged(path, TEXT, "draft")
    assert "+    grid: {cols: 12, rows: 7}" in refused.value.diff
    assert path.read_text(encoding="utf-8") == edited
    replace_if_unchanged(path, edited, "applied\n")
    assert path.read_text(encoding="utf-8") == "applied\n"
    assert [p.name for p in tmp_path.iterdir()] == ["wall_config.yaml"]  # no temp file left


NASTY = ["a\nscreens: []", "x}, evil: {", "\ud800", "yes", "no", "\u2028", "# c", "\x00\x1b", "'\""]


def test_hostile_values_in_an_added_tile_stay_on_their_one_line() -> None:
    """Breaks, control characters, lone surrogates, YAML 1.1 booleans and flow punctuation:
    one added line each, read back (by PyYAML, the config's reader) as exactly what was sent."""
    for value in NASTY:
        tile = {"id": "n", "type": "text", "title": {"vi": value, "en": value}}
        after = apply_changes(TEXT, [Add("main", tile)])
        removed, added = changed_lines(TEXT, after)
        assert removed == [] and len(added) == 1, repr(value)
        screens = yaml.safe_load(after)["screens"]
        main = next(screen for screen in screens if screen["id"] == "main")
        assert main["tiles"][-1] == tile, repr(value)


def test_lines_are_counted_as_yaml_counts_them() -> None:
    """A line separator (U+2028) in a quoted label and a CRLF comment before the tile: the
    move still changes that tile's line and nothing else."""
    text = TEXT.replace("screens:\n", "# windows\r\nscreens:\n", 1).replace(
        'label: "Hà Nội"}', 'label: "Hà\u2028Nội"}', 1
    )
    after = apply_changes(text, [Move("main", "gold", {"col": 11, "row": 5, "w": 1, "h": 1})])
    assert after == text.replace(
        'en: "SJC gold"}, at: {col: 10, row: 5, w: 3, h: 2}',
        'en: "SJC gold"}, at: {col: 11, row: 5, w: 1, h: 1}',
    )


def test_setting_options_changes_only_that_tiles_keys() -> None:
    """A flow tile: its one line, unchanged keys as written; a block tile: the changed value in
    place, a removed key's lines gone, a new key one line at the tile's indent."""
    flow = apply_changes(TEXT, [SetOptions("main", "load", {"sparkline": None, "decimals": 1})])
    assert changed_lines(TEXT, flow) == (
        [
            "      - {id: load, type: kpi, at: {col: 1, row: 1, w: 3, h: 2}, feed: power_load, sparkline: 10m}"
        ],
        [
            "      - {id: load, type: kpi, at: {col: 1, row: 1, w: 3, h: 2}, feed: power_load, decimals: 1}"
        ],
    )
    block = apply_changes(
        TEXT, [SetOptions("economy", "gdp", {"decimals": 3, "target": None, "unit": "%"})]
    )
    removed, added = changed_lines(TEXT, block)
    assert removed == ["        decimals: 2", "        target: 8"]
    assert added == ["        decimals: 3", "        unit: '%'"]
    with pytest.raises(SurgeryError, match="'zones' is written over several lines"):
        apply_changes(TEXT, [SetOptions("main", "clock", {"zones": None})])
    with pytest.raises(SurgeryError, match="not options"):
        apply_changes(TEXT, [SetOptions("main", "clock", {"at": None})])


def test_a_scenes_show_changes_only_its_own_line() -> None:
    """Which layout a screen shows in a scene (issue 20, part 1): the flow mapping is rewritten
    in its span, key order kept; a scene without `show:` gains one line; None removes a key."""
    moved = apply_changes(TEXT, [SetShow("economy", "main", "records")])
    assert changed_lines(TEXT, moved) == (
        ["    show: {main: economy, emergency: services, overview: economy}"],
        ["    show: {main: records, emergency: services, overview: economy}"],
    )
    added = apply_changes(TEXT, [SetShow("routine", "overview", "economy")])
    assert changed_lines(TEXT, added) == ([], ["    show: {overview: economy}"])
    title = '    title: {vi: "Điều hành thường xuyên", en: "Routine operations"}\n'
    assert title + "    show: {overview: economy}\n" in added
    removed = apply_changes(TEXT, [SetShow("economy", "emergency", None)])
    assert "    show: {main: economy, overview: economy}\n" in removed
    emptied = [SetShow("transport", "main", None), SetShow("transport", "overview", None)]
    refilled = apply_changes(TEXT, [*emptied, SetShow("transport", "main", "records")])
    assert "    show: {main: records}\n" in refilled  # through an empty {} and back
    config = check(TEXT, [SetShow("economy", "main", "records")], SHIPPED, default_registry())
    assert config.issues == () and config.config is not None
    assert config.config.scene("economy").show["main"] == "records"  # type: ignore[union-attr]
    unknown = check(TEXT, [SetShow("economy", "main", "nowhere")], SHIPPED, default_registry())
    assert unknown.issues and "nowhere" in str(unknown.issues[0])
    with pytest.raises(SurgeryError, match="no scene 'nope'"):
        apply_changes(TEXT, [SetShow("nope", "main", "records")])
    parsed = parse_changes(
        {"changes": [{"op": "show", "scene": "economy", "screen": "main", "layout": None}]}
    )
    assert parsed == [SetShow("economy", "main", None)]


def steps_of(*pairs: tuple[str, str, int | None]) -> SetRotation:
    return SetRotation("overview", tuple(Step(s, d, o) for s, d, o in pairs))


FILE_STEPS = (
    ("routine", "40s", 0),
    ("economy", "25s", 1),
    ("disaster", "20s", 2),
    ("transport", "15s", 3),
)


def test_a_rotation_dwell_change_changes_exactly_one_line() -> None:
    """A dwell typed as `1h30m` replaces that step's dwell on its one line; an unchanged dwell
    written otherwise (`40s` as `0h40s`... the same time) is kept as the file writes it."""
    edited = steps_of(FILE_STEPS[0], ("economy", "1h30m", 1), *FILE_STEPS[2:])
    after = apply_changes(TEXT, [edited])
    assert changed_lines(TEXT, after) == (
        ["      - {scene: economy, dwell: 25s}"],
        ["      - {scene: economy, dwell: 1h30m}"],
    )
    assert comments(after) == comments(TEXT)
    same = steps_of(("routine", "0h40s", 0), *FILE_STEPS[1:])
    assert apply_changes(TEXT, [same]) == TEXT
    checked = check(TEXT, [edited], SHIPPED, default_registry())
    assert checked.issues == () and checked.config is not None
    overview = checked.config.screen("overview")
    assert overview is not None and overview.rotation[1].dwell == 5400


def test_rotation_steps_added_removed_and_reordered_touch_only_their_lines() -> None:
    """An added step adds only its line; a removed one loses only its line; a swap moves two
    lines (with the comment above a step); no step left removes the key; a screen without a
    rotation gains one after its grid."""
    added = apply_changes(TEXT, [steps_of(*FILE_STEPS, ("reporting", "10m", None))])
    assert changed_lines(TEXT, added) == ([], ["      - {scene: reporting, dwell: 10m}"])
    removed = apply_changes(TEXT, [steps_of(*FILE_STEPS[:2], FILE_STEPS[3])])
    assert changed_lines(TEXT, removed) == (["      - {scene: disaster, dwell: 20s}"], [])
    swapped = apply_changes(TEXT, [steps_of(FILE_STEPS[1], FILE_STEPS[0], *FILE_STEPS[2:])])
    assert "economy, dwell: 25s}\n      - {scene: routine, dwell: 40s}\n" in swapped
    assert len(swapped) == len(TEXT)
    block = "screens:\n  - id: a\n    rotation:\n      # first\n      - scene: x  # why\n        dwell: 1m\n      - {scene: y, dwell: 2m}\n"
    turned = apply_changes(block, [SetRotation("a", (Step("y", "2m", 1), Step("x", "90s", 0)))])
    assert turned == block.replace(
        "      # first\n      - scene: x  # why\n        dwell: 1m\n      - {scene: y, dwell: 2m}\n",
        "      - {scene: y, dwell: 2m}\n      # first\n      - scene: x  # why\n        dwell: 90s\n",
    )
    gone = apply_changes(TEXT, [SetRotation("overview", ())])
    assert "rotation:" not in gone and len(changed_lines(TEXT, gone)[0]) == 5
    new = apply_changes(TEXT, [SetRotation("main", (Step("economy", "10m"),))])
    assert changed_lines(TEXT, new) == (
        [],
        ["    rotation:", "      - {scene: economy, dwell: 10m}"],
    )
    assert new.index("rotation:\n      - {scene: economy") > new.index("  - id: main\n")
    flow = "screens:\n  - id: a\n    rotation: [{scene: x, dwell: 1m}]  # kept\n"
    assert apply_changes(flow, [SetRotation("a", (Step("x", "1m", 0), Step("y", "5s")))]) == (
        "screens:\n  - id: a\n    rotation: [{scene: x, dwell: 1m}, {scene: y, dwell: 5s}]  # kept\n"
    )
    with pytest.raises(SurgeryError, match="does not have"):
        apply_changes(TEXT, [steps_of(("routine", "1m", 9))])


def test_a_bad_dwell_is_a_located_error_and_bodies_are_bounded() -> None:
    """`soon` reaches the loader, which names the step's line, column and path; the body's
    steps are bounded and typed."""
    bad = check(TEXT, [steps_of(("routine", "soon", 0))], SHIPPED, default_registry())
    # The shipped file's overview screen and its first step's line, wherever they stand.
    index = [screen["id"] for screen in yaml.safe_load(TEXT)["screens"]].index("overview")
    lines = TEXT.splitlines()
    first_step = (
        lines.index("      - {scene: routine, dwell: 40s}", lines.index("  - id: overview")) + 1
    )
    assert [(i.path, i.line) for i in bad.issues] == [
        (f"screens[{index}].rotation[0].dwell", first_step)
    ]
    assert "not a duration" in bad.issues[0].message
    body = {
        "op": "rotation",
        "screen": "overview",
        "steps": [{"scene": "a", "dwell": "5s", "from": 0}],
    }
    assert parse_changes({"changes": [body]}) == [SetRotation("overview", (Step("a", "5s", 0),))]
    for steps in (
        [{"scene": "a", "dwell": "5s\n- x"}],
        [{"scene": "a", "dwell": "5s", "from": -1}],
        [{"scene": "a", "dwell": "5s", "from": 0}] * 2,
        [{"scene": "a"}],
        "x",
    ):
        with pytest.raises(DraftError):
            parse_changes({"changes": [{**body, "steps": steps}]})


def test_a_scenes_title_vars_and_block_show_change_only_their_keys() -> None:
    """Title (vi/en) and vars edited in a flow mapping keep the other keys' text; a block-style
    `show:` has its values replaced where they stand, keys added and removed by the line; a
    block mapping emptied loses its key; a plain title becomes {vi, en}."""
    after = apply_changes(
        TEXT,
        [
            SetScene(
                "disaster", {"vi": "Phòng chống thiên tai", "en": "Disasters"}, {"province": "01"}
            )
        ],
    )
    assert changed_lines(TEXT, after) == (
        [
            '    title: {vi: "Phòng chống thiên tai", en: "Disaster response"}',
            '    vars: {province: "42"}',
        ],
        ['    title: {vi: "Phòng chống thiên tai", en: Disasters}', "    vars: {province: '01'}"],
    )
    block = "scenes:\n  - id: a\n    title: A  # plain\n    show:\n      main: x   # block\n      other: y\n    vars:\n      p: 1\n"
    shown = apply_changes(
        block, [SetShow("a", "main", "z"), SetShow("a", "third", "w"), SetShow("a", "other", None)]
    )
    assert shown == block.replace("main: x ", "main: z ").replace(
        "      other: y\n", "      third: w\n"
    )
    emptied = apply_changes(block, [SetScene("a", {"vi": "Á", "en": "A"}, {"p": None})])
    assert emptied == block.replace("title: A ", "title: {vi: Á, en: A} ").replace(
        "    vars:\n      p: 1\n", ""
    )
    swap = [SetShow("a", "main", None), SetShow("a", "other", None), SetShow("a", "x", "y")]
    assert apply_changes(block, swap) == block.replace(
        "      main: x   # block\n      other: y\n", "      x: y\n"
    )  # one scene's shows made at once: the block stays a block
    added = apply_changes(block, [SetScene("a", None, {"q": 2})])
    assert added == block + "      q: 2\n"
    parsed = parse_changes(
        {
            "changes": [
                {"op": "scene", "scene": "a", "title": {"vi": "x", "en": "y"}, "vars": {"p": None}}
            ]
        }
    )
    assert parsed == [SetScene("a", {"vi": "x", "en": "y"}, {"p": None})]
    with pytest.raises(DraftError):
        parse_changes({"changes": [{"op": "scene", "scene": "a", "vars": {"p": [1]}}]})
