"""The physical wall's and the spans' cross-checks (issue 23): screens drive panels that exist,
no panel is driven twice, a span's screens are adjacent and fill a rectangle (a screen may drive
several panels as one desktop, its edges lined up with its neighbours'), and a span layout
is never shown on only some of its screens (by a scene or a takeover)."""

from __future__ import annotations

from collections.abc import Iterable

from opswall.config.models import At, Screen, WallConfig
from opswall.config.spans import bezel_lines, panel_owners
from opswall.config.yaml_source import DocPath, SourceMap
from opswall.errors import ConfigIssue


def span_issues(config: WallConfig, source: SourceMap) -> list[ConfigIssue]:
    return (
        _panel_issues(config, source) + _span_issues(config, source) + _shown_issues(config, source)
    )


def _panel_issues(config: WallConfig, source: SourceMap) -> list[ConfigIssue]:
    panels = config.wall.panels
    issues: list[ConfigIssue] = []
    driven: dict[tuple[int, int], str] = {}
    for s, screen in enumerate(config.screens):
        at = screen.panels
        if at is None:
            continue
        path: DocPath = ("screens", s, "panels")
        if panels is None:
            issues.append(source.issue(path, "needs wall.panels (the physical wall's panels)"))
            continue
        if not screen.display:
            issues.append(
                source.issue(path, "only a physical screen (display: true) drives panels")
            )
            continue
        if at.col + at.w - 1 > panels.cols or at.row + at.h - 1 > panels.rows:
            grid = f"{panels.rows}x{panels.cols}"
            message = f"covers {_cells(at)}, outside the {grid} panels of wall.panels"
            issues.append(source.issue(path, message))
            continue
        for col, row in sorted(at.cells(), key=lambda c: (c[1], c[0])):
            other = driven.setdefault((col, row), screen.id)
            if other != screen.id:
                message = f"panel (row {row}, col {col}) is already driven by screen '{other}'"
                issues.append(source.issue(path, message))
                break
    return issues


def _cells(at: At) -> str:
    rows = f"row {at.row}" if at.h == 1 else f"rows {at.row}-{at.row + at.h - 1}"
    cols = f"col {at.col}" if at.w == 1 else f"cols {at.col}-{at.col + at.w - 1}"
    return f"panels at {rows}, {cols}"


def _span_issues(config: WallConfig, source: SourceMap) -> list[ConfigIssue]:
    issues: list[ConfigIssue] = []
    for s, layout in enumerate(config.screens):
        if not layout.span:
            continue
        path: DocPath = ("screens", s, "span")
        problem = _span_problem(config, layout)
        if problem is not None:
            issues.append(source.issue(path, problem))
    return issues


def _span_problem(config: WallConfig, layout: Screen) -> str | None:
    if layout.display:
        return "a span is a layout, not a physical screen: give it display: false"
    panels = config.wall.panels
    if panels is None:
        return "needs wall.panels (the physical wall's panels)"
    if len(layout.span) < 2 or len(set(layout.span)) != len(layout.span):
        return "names at least two different screens"
    places: dict[str, At] = {}
    for screen_id in layout.span:
        screen = config.screen(screen_id)
        if screen is None or not screen.display:
            known = ", ".join(s.id for s in config.displays())
            return f"unknown screen '{screen_id}' (known: {known})"
        if screen.panels is None:
            return f"screen '{screen_id}' does not say which panels it drives ('panels:')"
        at = screen.panels
        if at.col + at.w - 1 > panels.cols or at.row + at.h - 1 > panels.rows:
            return None  # reported at the screen
        places[screen_id] = at
    owners = panel_owners(places)
    if owners is None:
        return None  # two screens on one panel: reported at the screen
    return _rectangle_problem(owners) or _bezel_line_problem(owners)


def _rectangle_problem(owners: dict[tuple[int, int], str]) -> str | None:
    cols = [c for c, _ in owners]
    rows = [r for _, r in owners]
    wanted = {
        (c, r) for c in range(min(cols), max(cols) + 1) for r in range(min(rows), max(rows) + 1)
    }
    if set(owners) == wanted:
        return None
    names = ", ".join(
        dict.fromkeys(f"'{owners[p]}'" for p in sorted(owners, key=lambda p: (p[1], p[0])))
    )
    return f"screens {names} are not adjacent: their panels do not fill a rectangle"


def _bezel_line_problem(owners: dict[tuple[int, int], str]) -> str | None:
    """A screen driving several panels as one desktop draws across the bezels inside it; the
    canvas skips a bezel line only where it runs between screens all along."""
    cols, rows = bezel_lines(owners)
    if cols is not None and rows is not None:
        return None
    direction = "column" if cols is None else "row"
    return (
        f"a {direction} of bezels runs between two screens in one place and inside one "
        "screen's desktop in another: line the screens' edges up along it"
    )


def _shown_issues(config: WallConfig, source: SourceMap) -> list[ConfigIssue]:
    """A scene that puts a span layout on a screen puts it on all of its screens, and only
    there; a takeover naming its screens names all of a span's, or none."""
    spans = {layout.id: set(layout.span) for layout in config.screens if layout.span}
    issues: list[ConfigIssue] = []
    for i, scene in enumerate(config.scenes):
        for layout_id, span in spans.items():
            showing = {screen for screen, shown in scene.show.items() if shown == layout_id}
            if not showing:
                continue
            issues += _cut(source, ("scenes", i, "show"), layout_id, span, showing)
    for i, rule in enumerate(config.rules):
        taken = config.scene(rule.takeover.scene) if rule.takeover else None
        if rule.takeover is None or taken is None or not rule.takeover.screens:
            continue
        targets = set(rule.takeover.screens)
        for layout_id, span in spans.items():
            showing = {s for s, shown in taken.show.items() if shown == layout_id} & targets
            if showing and not span <= targets:
                path = ("rules", i, "takeover", "screens")
                issues += _cut(source, path, layout_id, span, showing | (targets & span))
    return issues


def _cut(
    source: SourceMap, path: DocPath, layout: str, span: set[str], showing: set[str]
) -> list[ConfigIssue]:
    issues = []
    missing, outside = sorted(span - showing), sorted(showing - span)
    if missing:
        names = _names(missing)
        message = f"shows span '{layout}' without its screen{'s' * (len(missing) > 1)} {names}"
        issues.append(source.issue(path, message))
    for screen in outside:
        message = f"shows span '{layout}' on '{screen}', not one of its screens"
        at_screen = path[-1] == "show"  # a scene's show: at that screen's key
        where = (*path, screen) if at_screen else path
        issues.append(source.issue(where, message, at_key=at_screen))
    return issues


def _names(ids: Iterable[str]) -> str:
    return ", ".join(f"'{i}'" for i in ids)
