// Evaluated by opswall/legibility/bezels.py (Playwright's page.evaluate) on a page showing a
// span layout: every title, value and table row of the shown layout whose drawn text lies over
// a bezel gap of the canvas (issue 23), in canvas pixels. One arrow function.
(bezels) => {
  const root = document.getElementById('wall-screen');
  const grid = [...root.querySelectorAll('.wall-grid')].find((g) => !g.hidden);
  if (!grid) return [];
  const origin = root.getBoundingClientRect();
  const roles = [['.tile-title', 'title'], ['[data-role=value]', 'value'], ['tr', 'row']];
  // The text's own boxes (its lines), not its element's: a short title in a wide head is safe.
  const boxesOf = (el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    return [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
  };
  const found = [];
  for (const [selector, role] of roles) {
    for (const el of grid.querySelectorAll(selector)) {
      const tile = el.closest('[data-tile]');
      const text = el.textContent.trim();
      if (!tile || !text) continue;
      const hit = boxesOf(el).find((r) => bezels.some(([x, y, w, h]) => {
        const left = r.left - origin.left, top = r.top - origin.top;
        return left < x + w && left + r.width > x && top < y + h && top + r.height > y;
      }));
      if (hit) found.push({ tile: tile.dataset.tile, role, text: text.slice(0, 60) });
    }
  }
  return found;
}
