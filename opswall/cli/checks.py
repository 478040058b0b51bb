"""`opswall check` (a config, and optionally how legible its screens are) and `opswall docs`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from opswall.config.loader import load_config
from opswall.errors import WallConfigError
from opswall.tiles import default_registry

if TYPE_CHECKING:
    from opswall.config.models import WallConfig
    from opswall.legibility.bezel_text import BezelText
    from opswall.tiles.registry import TileRegistry


def check(args: argparse.Namespace) -> int:
    registry = default_registry()
    failed = False
    for path in args.paths:
        try:
            config = load_config(path, registry)
        except WallConfigError as exc:
            print(exc, file=sys.stderr)
            failed = True
            continue
        tiles = sum(len(screen.tiles) for screen in config.screens)
        print(
            f"{path}: ok: {len(config.feeds)} feeds, {len(config.screens)} screens, {tiles} tiles"
        )
        if args.render:  # it measures the drawn text on bezels instead of estimating it
            failed = check_render(path, config, args) or failed
        else:
            for warning in bezel_warnings(path, config, registry):
                print(warning)
    return 1 if failed else 0


def bezel_warnings(path: Path, config: WallConfig, registry: TileRegistry) -> list[BezelText]:
    """Text a bezel would cut on the config's spans, estimated without a browser (issue 23):
    printed as warnings, which do not fail the check."""
    from opswall.config.yaml_source import read_yaml_file
    from opswall.legibility.bezel_text import bezel_texts

    _, source = read_yaml_file(path)
    return bezel_texts(config, source, registry)


def check_render(path: Path, config: WallConfig, args: argparse.Namespace) -> bool:
    """Draw the config's screens and judge them; True if anything is an error."""
    from opswall.legibility.render import RenderOptions, physical_of, print_report, render_check

    options = RenderOptions(args.distance, args.diagonal, tuple(args.screen), args.shots)
    try:
        reports = render_check(path, config, options)
    except ImportError:
        print(
            "opswall check --render needs Playwright: pip install 'opswall[render]'",
            file=sys.stderr,
        )
        return True
    known = all(
        physical_of(config, r.screen, options).mm_per_px is not None for r in reports
    ) and bool(options.distance_mm or config.wall.viewing_distance)
    return print_report(reports, known) != 0


def docs(write: Path | None, check_path: Path | None) -> int:
    from opswall.docs import replace_block, tile_reference

    block = tile_reference(default_registry())
    target = write or check_path
    if target is None:
        print(block)
        return 0
    text = target.read_text(encoding="utf-8")
    updated = replace_block(text, block)
    if check_path is not None:
        if updated != text:
            print(
                f"{check_path}: the tile reference is out of date; run "
                f"`opswall docs --write {check_path}`",
                file=sys.stderr,
            )
            return 1
        return 0
    target.write_text(updated, encoding="utf-8")
    return 0
