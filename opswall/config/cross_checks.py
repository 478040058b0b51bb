"""The wall's cross-field checks, run after the models validate: each issue names what collides."""

from __future__ import annotations

from opswall.config.models import Screen, WallConfig
from opswall.config.span_checks import span_issues
from opswall.config.yaml_source import SourceMap
from opswall.errors import ConfigIssue


def cross_check(config: WallConfig, source: SourceMap) -> list[ConfigIssue]:
    issues = _unique([feed.id for feed in config.feeds], ("feeds",), "feed", source) + _unique(
        [screen.id for screen in config.screens], ("screens",), "screen", source
    )
    if not config.screens:
        issues.append(source.issue(("screens",), "define at least one screen"))
    feed_ids = {feed.id for feed in config.feeds}
    for s, screen in enumerate(config.screens):
        base = ("screens", s, "tiles")
        issues += _unique([tile.id for tile in screen.tiles], base, "tile", source)
        issues += _grid_issues(screen, s, source)
        for t, tile in enumerate(screen.tiles):
            for inner, binding in tile.bindings():
                if binding.feed not in feed_ids:
                    known = ", ".join(sorted(feed_ids)) or "none defined"
                    issues.append(
                        source.issue(
                            (*base, t, *inner, "feed"),
                            f"unknown feed '{binding.feed}' (known: {known})",
                        )
                    )
    issues += _scene_issues(config, source) + _site_issues(config, source)
    return issues + span_issues(config, source)


def _site_issues(config: WallConfig, source: SourceMap) -> list[ConfigIssue]:
    """Site ids are unique and every site a tile plays is defined."""
    issues = _unique([site.id for site in config.sites], ("sites",), "site", source)
    sites = {site.id for site in config.sites}
    for s, screen in enumerate(config.screens):
        for t, tile in enumerate(screen.tiles):
            for inner, site in tile.site_refs():
                if site not in sites:
                    known = ", ".join(sorted(sites)) or "none defined under 'sites'"
                    path = ("screens", s, "tiles", t, *inner)
                    issues.append(source.issue(path, f"unknown site '{site}' (known: {known})"))
    return issues


def _scene_issues(config: WallConfig, source: SourceMap) -> list[ConfigIssue]:
    """Scenes, rotations and rules name screens, layouts, scenes and feeds that exist."""
    issues = _unique([scene.id for scene in config.scenes], ("scenes",), "scene", source)
    issues += _unique([rule.id for rule in config.rules], ("rules",), "rule", source)
    layouts = {s.id for s in config.screens}
    displays = {s.id for s in config.displays()}
    scenes = {s.id for s in config.scenes}
    feeds = {f.id for f in config.feeds}

    def known(
        noun: str, value: str, allowed: set[str], path: tuple[str | int, ...], at_key: bool = False
    ) -> None:
        if value not in allowed:
            names = ", ".join(sorted(allowed)) or "none defined"
            message = f"unknown {noun} '{value}' (known: {names})"
            issues.append(source.issue(path, message, at_key=at_key))

    if config.wall.default_scene:
        known("scene", config.wall.default_scene, scenes, ("wall", "default_scene"))
    for i, scene in enumerate(config.scenes):
        for display, layout in scene.show.items():
            path: tuple[str | int, ...] = ("scenes", i, "show", display)
            known("screen", display, displays, path, at_key=True)
            known("layout", layout, layouts, path)
    for s, screen in enumerate(config.screens):
        for r, step in enumerate(screen.rotation):
            known("scene", step.scene, scenes, ("screens", s, "rotation", r, "scene"))
        for w, window in enumerate(screen.schedule):
            if window.scene is not None:
                known("scene", window.scene, scenes, ("screens", s, "schedule", w, "scene"))
    for i, rule in enumerate(config.rules):
        known("feed", rule.feed, feeds, ("rules", i, "feed"))
        if rule.takeover:
            known("scene", rule.takeover.scene, scenes, ("rules", i, "takeover", "scene"))
            for j, target in enumerate(rule.takeover.screens):
                known("screen", target, displays, ("rules", i, "takeover", "screens", j))
    return issues


def _unique(
    ids: list[str], base: tuple[str | int, ...], noun: str, source: SourceMap
) -> list[ConfigIssue]:
    issues: list[ConfigIssue] = []
    first_seen: dict[str, int] = {}
    for index, item in enumerate(ids):
        if item in first_seen:
            first = first_seen[item]
            issues.append(
                source.issue(
                    (*base, index, "id"),
                    f"duplicate {noun} id '{item}' (first used at {base[-1]}[{first}])",
                )
            )
        else:
            first_seen[item] = index
    return issues


def _grid_issues(screen: Screen, s: int, source: SourceMap) -> list[ConfigIssue]:
    issues: list[ConfigIssue] = []
    owner: dict[tuple[int, int], str] = {}
    cols, rows = screen.grid.cols, screen.grid.rows
    for t, tile in enumerate(screen.tiles):
        at = tile.at
        path = ("screens", s, "tiles", t, "at")
        if at.col + at.w - 1 > cols or at.row + at.h - 1 > rows:
            issues.append(
                source.issue(
                    path,
                    (
                        f"tile '{tile.id}' spans columns {at.col}-{at.col + at.w - 1}, "
                        f"rows {at.row}-{at.row + at.h - 1}, outside the {cols}x{rows} grid"
                    ),
                )
            )
            continue
        clashes = sorted({owner[cell] for cell in at.cells() if cell in owner})
        if clashes:
            issues.append(source.issue(path, f"tile '{tile.id}' overlaps tile '{clashes[0]}'"))
        for cell in at.cells():
            owner.setdefault(cell, tile.id)
    return issues
