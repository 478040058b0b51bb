"""How wide a text is drawn in the bundled Inter, estimated without a browser: the advance
widths of advances.json (made by scripts/make_advances.py from opswall/assets/fonts) summed,
plus the CSS letter-spacing. No kerning (Inter's kerning mostly narrows capitals: the estimate
errs wide); a character the table lacks counts as the widest one it has."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

TABLE = Path(__file__).parent / "advances.json"


@dataclass(frozen=True)
class Advances:
    units_per_em: int
    line_height: float  # CSS `line-height: normal` of the font, in ems
    widths: dict[int, dict[str, int]]  # weight -> character -> advance in font units

    def known(self, char: str) -> bool:
        return all(char in table for table in self.widths.values())

    def width(self, text: str, size_px: float, weight: int, spacing_em: float = 0.0) -> float:
        """The drawn width of `text` in px at `size_px` and `weight` (the nearest weight in
        the table at or above it), with `spacing_em` of letter-spacing after each character."""
        table = self.widths[self.weight_at_least(weight)]
        widest = max(table.values())
        chars = [c for c in unicodedata.normalize("NFC", text) if unicodedata.category(c) != "Cc"]
        units = sum(table.get(c, widest) for c in chars)
        return units * size_px / self.units_per_em + len(chars) * spacing_em * size_px

    def weight_at_least(self, weight: int) -> int:
        heavier = [w for w in sorted(self.widths) if w >= weight]
        return heavier[0] if heavier else max(self.widths)


@cache
def advances() -> Advances:
    data = json.loads(TABLE.read_text(encoding="utf-8"))
    chars = data["chars"]
    widths = {
        int(weight): dict(zip(chars, values, strict=True))
        for weight, values in data["advances"].items()
    }
    return Advances(int(data["units_per_em"]), float(data["line_height_normal"]), widths)
