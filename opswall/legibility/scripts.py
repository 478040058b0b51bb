"""The scripts the legibility check runs in the page (Playwright's `page.evaluate`), each one
arrow function in its own .js file; the helpers they share (leaf.js) are put in front of them
once, here, so no helper is written twice."""

from __future__ import annotations

from functools import cache
from pathlib import Path

HERE = Path(__file__).parent


@cache
def page_script(name: str) -> str:
    """`name`.js as one expression: a function Playwright calls with the evaluate's argument,
    with the shared helpers in scope."""
    shared = (HERE / "leaf.js").read_text(encoding="utf-8")
    body = (HERE / f"{name}.js").read_text(encoding="utf-8")
    return f"(() => {{\n{shared}\nreturn (\n{body}\n);\n}})()"
