"""Generate opswall/legibility/advances.json: the advance widths of the bundled Inter
(opswall/assets/fonts/inter-*.woff2) for the characters the wall's text uses, at the weights
its CSS draws text in, so `opswall check` can estimate how wide a title is without a browser
(issue 23: text cut by a bezel). The runtime reads the JSON only; this script alone needs
fontTools and brotli (woff2), e.g. in a throw-away venv:

    python -m venv /tmp/ft && /tmp/ft/bin/pip install fonttools brotli
    /tmp/ft/bin/python scripts/make_advances.py

Deterministic: running it twice writes the same file. Widths are in font units (units_per_em
to the em) after the `tnum` substitution the wall's body turns on (opswall.css), without
kerning (which on Inter's capitals mostly narrows a word: the estimate errs wide).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fontTools.ttLib import TTFont
from fontTools.varLib.instancer import instantiateVariableFont

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "opswall" / "assets" / "fonts"
OUT = ROOT / "opswall" / "legibility" / "advances.json"
# The weights opswall.css sets on text (400 body, 600 table cells, 700 titles, 800 figures).
WEIGHTS = (400, 600, 700, 800)
# Latin (ASCII, Latin-1), Vietnamese with its precomposed letters and combining marks, and the
# punctuation, currency and arrows the UI's words and formats use.
RANGES = (
    (0x20, 0x7E),
    (0xA0, 0xFF),
    (0x102, 0x103),
    (0x110, 0x111),
    (0x128, 0x129),
    (0x152, 0x153),
    (0x168, 0x169),
    (0x1A0, 0x1A1),
    (0x1AF, 0x1B0),
    (0x300, 0x301),
    (0x303, 0x303),
    (0x309, 0x309),
    (0x323, 0x323),
    (0x1EA0, 0x1EF9),
    (0x2010, 0x2027),
    (0x2030, 0x2030),
    (0x2032, 0x2033),
    (0x2039, 0x203A),
    (0x20AB, 0x20AC),
    (0x2122, 0x2122),
    (0x2190, 0x2193),
    (0x2212, 0x2212),
    (0x2215, 0x2215),
)
SUBSETS = ("latin", "latin-ext", "vietnamese")  # fonts.css: each covers its unicode-range


def tnum_map(font: TTFont) -> dict[str, str]:
    """Glyph -> its tabular form (GSUB feature `tnum`, single substitutions)."""
    gsub = font["GSUB"].table
    lookups = {
        index
        for record in gsub.FeatureList.FeatureRecord
        if record.FeatureTag == "tnum"
        for index in record.Feature.LookupListIndex
    }
    mapping: dict[str, str] = {}
    for index in sorted(lookups):
        for sub in gsub.LookupList.Lookup[index].SubTable:
            mapping.update(getattr(sub, "mapping", None) or {})
    return mapping


def advances_at(weight: int) -> dict[int, int]:
    """Code point -> advance (font units) at `weight`, over every subset."""
    found: dict[int, int] = {}
    for subset in SUBSETS:
        font = TTFont(FONTS / f"inter-{subset}-wght-normal.woff2")
        font = instantiateVariableFont(font, {"wght": weight})
        tabular = tnum_map(font)
        metrics = font["hmtx"].metrics
        for code, glyph in font.getBestCmap().items():
            found.setdefault(code, metrics[tabular.get(glyph, glyph)][0])
    return found


def table() -> dict[str, Any]:
    wanted = [code for low, high in RANGES for code in range(low, high + 1)]
    per_weight = {weight: advances_at(weight) for weight in WEIGHTS}
    codes = [code for code in wanted if all(code in per_weight[w] for w in WEIGHTS)]
    font = TTFont(FONTS / "inter-latin-wght-normal.woff2")
    os2 = font["OS/2"]
    upm = font["head"].unitsPerEm
    line = (os2.sTypoAscender - os2.sTypoDescender + os2.sTypoLineGap) / upm
    return {
        "font": "Inter (opswall/assets/fonts), tnum on, no kerning; scripts/make_advances.py",
        "units_per_em": upm,
        "line_height_normal": round(line, 4),
        "chars": "".join(chr(code) for code in codes),
        "advances": {str(w): [per_weight[w][code] for code in codes] for w in WEIGHTS},
    }


def main() -> None:
    text = json.dumps(table(), ensure_ascii=False, separators=(",", ":"))
    OUT.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
