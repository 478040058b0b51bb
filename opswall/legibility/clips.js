// Evaluated by opswall/legibility (Playwright's page.evaluate): one arrow function, with
// leaf.js's isTextLeaf in scope (opswall/legibility/scripts.py).
/* global isTextLeaf -- from leaf.js, put in front of this function by scripts.py */
([reach, sample]) => {
  const clips = (el) => { const s = getComputedStyle(el);
    return s.overflowX !== 'visible' || s.overflowY !== 'visible'; };
  const shown = (el) => { const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && el.checkVisibility && el.checkVisibility(); };
  // Moving pictures under a strip change between captures: such strips cannot be judged.
  const media = [...document.querySelectorAll('video, canvas, iframe, img')].map(m => m.getBoundingClientRect());
  const onMedia = (left, right, top, bottom) => media.some(
    m => m.left < right && m.right > left && m.top < bottom && m.bottom > top);
  // The sample goes into the text nodes, not over them: the elements a tile's script holds
  // (a ticker's strip, a value's span) stay where they are, so the live page keeps working.
  const withText = (el, text) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let first = true;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent.trim()) continue;
      node.textContent = first ? text : '';
      first = false;
    }
  };
  const found = []; let mark = 0;
  for (const el of document.body.querySelectorAll('*')) {
    if (['SCRIPT', 'STYLE', 'svg', 'SVG', 'CANVAS', 'VIDEO', 'IFRAME', 'IMG'].includes(el.tagName)) continue;
    if (el.closest('svg')) continue;
    if (!el.textContent.trim() || !isTextLeaf(el) || !shown(el)) continue;
    const parentLeaf = el.parentElement && el.parentElement !== document.body
      && isTextLeaf(el.parentElement) && el.parentElement.textContent.trim();
    if (parentLeaf) continue;  // the outermost inline-only element stands for its text
    if (sample) withText(el, sample);
    const r = el.getBoundingClientRect();
    const range = document.createRange(); range.selectNodeContents(el);
    const size = parseFloat(getComputedStyle(el).fontSize);
    for (let box = el; box && box !== document.body; box = box.parentElement) {
      if (!clips(box)) continue;
      const b = box.getBoundingClientRect();
      const band = 0.45 * size, left = Math.max(r.left, b.left), right = Math.min(r.right, b.right);
      const top = r.top - b.top < reach * size && !onMedia(left, right, b.top - band, b.top);
      const bottom = b.bottom - r.bottom < reach * size && !onMedia(left, right, b.bottom, b.bottom + band);
      if (!top && !bottom) continue;
      if (!box.dataset.inkBox) box.dataset.inkBox = String(++mark);
      const over = [...range.getClientRects()].some(line => line.bottom > b.bottom + 1);
      found.push({
        text: el.textContent.trim().slice(0, 80), cls: el.className && String(el.className),
        tile: (el.closest('[data-tile]') || {dataset: {}}).dataset.tile || null,
        left, right,
        // Opening a box that holds more than text (a video pane) shows that content too: only
        // its top edge, where nothing else hangs out, can be judged.
        clipTop: b.top, clipBottom: b.bottom, size, top, bottom: bottom && !over && isTextLeaf(box),
      });
    }
  }
  return found;
}
