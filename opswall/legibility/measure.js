// Evaluated by opswall/legibility (Playwright's page.evaluate): one arrow function, with
// leaf.js's isTextLeaf in scope (opswall/legibility/scripts.py).
/* global isTextLeaf -- from leaf.js, put in front of this function by scripts.py */
() => {
  const canvas = document.createElement('canvas').getContext('2d'), caps = {};
  const capOf = (s) => { const font = `${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
    if (!(font in caps)) { canvas.font = font; caps[font] = canvas.measureText('H').actualBoundingBoxAscent; }
    return caps[font]; };
  const groups = {};
  for (const el of document.querySelectorAll('body *')) {
    if (['SCRIPT', 'STYLE', 'TITLE'].includes(el.tagName) || !isTextLeaf(el)) continue;
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || !el.checkVisibility()) continue;
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1 || r.bottom < 0 || r.top > innerHeight) continue;
    const s = getComputedStyle(el), tile = el.closest('[data-tile]');
    const role = el.closest('[data-role=value], .gauge-value, .clock-time, .rep-connected') ? 'figure' : 'text';
    const cls = String(el.className.baseVal ?? el.className).split(' ')[0] || el.tagName.toLowerCase();
    const key = [tile ? tile.dataset.tile : '', role, s.fontSize, cls].join('|');
    const g = groups[key] || (groups[key] = { tile: tile ? tile.dataset.tile : null, role, cls,
      font: parseFloat(s.fontSize), cap: capOf(s), example: el.textContent.trim().slice(0, 40),
      count: 0, boxes: [] });
    g.count++; g.boxes.push([r.left, r.top, r.right, r.bottom]);
  }
  return Object.values(groups);
}
