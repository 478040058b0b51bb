"""Cut ink: glyphs whose strokes are clipped by the box that holds them.

Vietnamese capitals stack two marks above a letter (Ố, Ầ, Ể): their ink rises well above the
cap height, past a tight line box. An element with `overflow: hidden` (a line clamp, an
ellipsis) then cuts the top mark off, and THỐNG reads THÔNG. Nothing in the DOM says so: the
layout boxes are fine, only the pixels differ. So the check compares pixels: the page as it is,
and the same page with every clipping box near a text opened up (`overflow: visible`, nothing
else changed, so nothing moves). Ink that appears just outside a clip edge when it is opened
was cut. A live page keeps changing, so the page is captured before and after the opened one,
and only strips that are equal in both count.

The page is driven through two calls (`evaluate` and `screenshot`), so a Playwright page or
anything with the same shape will do; the comparison itself is pure.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any, Protocol

from PIL import Image, ImageChops

from opswall.legibility.scripts import page_script

# Letters whose ink reaches highest (a hook or tilde stacked on a circumflex) and lowest (a dot
# below), short enough to fit the narrowest title on one line.
TALL_SAMPLE = "ỖỔẪ ỆỢ"
# Every stacked capital, for boxes wide enough to take them.
TALL_CAPITALS = "ẤẦẨẪẬ ỐỒỔỖỘ ẾỀỂỄỆ ỚỜỞỠỢ ỨỪỬỮỰ"

# Finds text leaves and, for each, the clipping boxes (itself or an ancestor) whose edge lies
# within reach of its glyphs' ink; marks them so the same boxes can be opened and closed.
_COLLECT = page_script("clips")

_OPEN = """open => document.querySelectorAll('[data-ink-box]').forEach(b => {
  if (open) b.style.setProperty('overflow', 'visible', 'important');
  else b.style.removeProperty('overflow'); })"""


class PageLike(Protocol):
    def evaluate(self, expression: str, arg: Any = None) -> Any: ...

    def screenshot(self) -> bytes: ...


@dataclass(frozen=True)
class CutInk:
    """A text whose ink a box cuts, at its top or bottom edge."""

    text: str
    css_class: str
    tile: str | None
    edge: str  # "top" or "bottom"
    pixels: int  # how many pixels of ink appeared when the box was opened
    size_px: float

    @property
    def key(self) -> tuple[str | None, str, str]:
        """The box and edge, whatever text it held: a box that cuts ink cuts any tall text."""
        return (self.tile, self.css_class, self.edge)

    def __str__(self) -> str:
        where = f"tile {self.tile}" if self.tile else "page"
        return (
            f"{where}: '{self.text}' (.{self.css_class}, {self.size_px:.0f} px) loses "
            f"{self.pixels} px of ink at its {self.edge} edge"
        )


BAND = 0.45  # how far past a clip edge ink is looked for, in ems (the _COLLECT script's too)


def _image(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png)).convert("RGB")


def _differing(a: Image.Image, b: Image.Image, box: tuple[int, int, int, int]) -> int:
    """Pixels of `box` that differ clearly (not by anti-aliasing noise) between two captures."""
    diff = ImageChops.difference(a.crop(box), b.crop(box)).convert("L")
    return sum(diff.point(lambda v: 255 if v > 48 else 0).histogram()[255:])


def _strips(item: dict[str, Any], scale: float) -> list[tuple[str, tuple[int, int, int, int]]]:
    """The bands just outside the clip edges, above and below the text, in image pixels."""
    band = BAND * item["size"]
    left, right = int(item["left"] * scale), int(item["right"] * scale)
    strips = []
    if item["top"]:
        top = item["clipTop"]
        strips.append(("top", (left, int((top - band) * scale), right, int(top * scale))))
    if item["bottom"]:
        bottom = item["clipBottom"]
        strips.append(("bottom", (left, int(bottom * scale), right, int((bottom + band) * scale))))
    return [(edge, box) for edge, box in strips if box[2] > box[0] and box[3] > box[1]]


def find_cut_ink(page: PageLike, sample: str | None = None, reach: float = 0.6) -> list[CutInk]:
    """Every text on the page whose ink a clipping box cuts (with `sample`, every text is first
    replaced by it, e.g. TALL_SAMPLE). Boxes are opened for one capture, then closed again."""
    items: list[dict[str, Any]] = page.evaluate(_COLLECT, [reach, sample])
    if not items:
        return []
    scale = float(page.evaluate("window.devicePixelRatio") or 1)
    before = _image(page.screenshot())
    page.evaluate(_OPEN, True)
    opened = _image(page.screenshot())
    page.evaluate(_OPEN, False)
    after = _image(page.screenshot())
    found: dict[tuple[str, str | None, str], CutInk] = {}
    for item in items:
        for edge, box in _strips(item, scale):
            if _differing(before, after, box):
                continue  # the page changed there by itself (live data, a ticker): no verdict
            pixels = _differing(before, opened, box)
            key = (item["text"], item["tile"], edge)
            if pixels >= 3 and key not in found:
                found[key] = CutInk(
                    item["text"], item["cls"] or "", item["tile"], edge, pixels, item["size"]
                )
    return sorted(found.values(), key=lambda cut: -cut.pixels)
