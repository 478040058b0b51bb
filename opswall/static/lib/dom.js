/* Writing what a tile shows, touching only what changes (issue 22): an update that would write
 * the same text or attribute value writes nothing, so it costs no style or layout work. */

/** Set a leaf's text; in place when it holds one text node (no node replaced). */
export function setText(el, text) {
  const node = el.firstChild;
  if (node && node === el.lastChild && node.nodeType === 3) {
    if (node.nodeValue !== text) node.nodeValue = text;
  } else if (el.textContent !== text) {
    el.textContent = text;
  }
}

/** Set a data attribute (`el.dataset[name]`), or remove it for null/undefined, if it differs. */
export function setData(el, name, value) {
  if (value === null || value === undefined) {
    if (name in el.dataset) delete el.dataset[name];
  } else if (el.dataset[name] !== String(value)) {
    el.dataset[name] = value;
  }
}
