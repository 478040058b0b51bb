// Shared by clips.js and measure.js (composed by opswall/legibility/scripts.py): a text leaf is
// an element whose every descendant is inline (or not drawn): its text reads as one run.
/* exported isTextLeaf -- read by clips.js and measure.js */
const isTextLeaf = (el) => [...el.querySelectorAll('*')].every((c) => {
  const display = getComputedStyle(c).display;
  return display.startsWith('inline') || display === 'none';
});
