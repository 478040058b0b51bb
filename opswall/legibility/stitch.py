"""One picture of a span (issue 23) from its screens' screenshots: each placed where its panel
is on the canvas, the bezel gaps between them left dark (no screen draws there). The browser
tests compare it with a page drawing the whole canvas; scripts/screenshots.py saves it for the
docs."""

from __future__ import annotations

import io
from collections.abc import Mapping

from PIL import Image

BEZEL = (0, 0, 0)


def stitch(
    size: tuple[int, int], slices: Mapping[str, tuple[int, int]], shots: Mapping[str, bytes]
) -> Image.Image:
    """`size`: the canvas (w, h); `slices`: screen -> its slice's (x, y); `shots`: screen ->
    its page's PNG."""
    picture = Image.new("RGB", size, BEZEL)
    for screen, (x, y) in slices.items():
        picture.paste(Image.open(io.BytesIO(shots[screen])).convert("RGB"), (x, y))
    return picture
