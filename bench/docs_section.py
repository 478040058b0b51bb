"""Results sections in the docs, rewritten by the harness that measured them."""

from __future__ import annotations

import re
from pathlib import Path

DOCS = Path(__file__).parents[1] / "docs"


def replace_section(path: Path, name: str, body: str) -> None:
    """Replace what lies between `<!-- name:begin -->` and `<!-- name:end -->` in `path`."""
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    text = path.read_text(encoding="utf-8")
    if begin not in text or end not in text:
        raise ValueError(f"{path} has no {begin} ... {end} section")
    section = f"{begin}\n{body}\n{end}"
    pattern = re.escape(begin) + ".*?" + re.escape(end)
    path.write_text(re.sub(pattern, lambda _: section, text, flags=re.S), encoding="utf-8")
