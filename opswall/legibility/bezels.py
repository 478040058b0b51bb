"""Text cut by a bezel (issue 23): on a span layout, a title, a value or a table row whose drawn
text lies over a gap between two panels loses the letters behind the bezel. Measured in the
page showing the span (its text boxes against the canvas's bezel gaps, config/spans.py), and
reported as warnings located at the tile in the YAML."""

from __future__ import annotations

from typing import Any

from opswall.config.models import Screen, WallConfig
from opswall.config.spans import span_geometry
from opswall.config.yaml_source import SourceMap
from opswall.legibility.ink import PageLike
from opswall.legibility.render import tile_location
from opswall.legibility.rules import Finding
from opswall.legibility.scripts import page_script

_BEZELS = page_script("bezels")
ROLE_WORDS = {"title": "title", "value": "value", "row": "table row"}


def bezel_findings(
    page: PageLike, config: WallConfig, source: SourceMap, layout: Screen
) -> list[Finding]:
    """Warnings for the texts of `layout` (shown on `page`) that a bezel line would cut."""
    geometry = span_geometry(config, layout)
    if geometry is None:
        return []
    found: list[dict[str, Any]] = page.evaluate(_BEZELS, [list(b) for b in geometry.bezels])
    seen: set[tuple[str, str]] = set()
    findings = []
    for item in found:
        key = (item["tile"], item["role"])
        if key in seen:  # one line per tile and role: a table's rows are one finding
            continue
        seen.add(key)
        message = (
            f"{ROLE_WORDS[item['role']]} '{item['text']}' lies across a bezel: cut on the wall"
        )
        location = tile_location(source, config, layout, item["tile"])
        findings.append(Finding("warning", location, layout.id, item["tile"], message, 1.0))
    return findings
