/* Text that fits its tile (issue 18).
 *
 * A fit box is an element whose text is sized in ems of the box: the titles, a table's rows, a
 * list's items, a body of text, a KPI's figure. Its stylesheet font-size is its ceiling and its
 * registered --fit-floor its floor; fitBox sets the largest size between the two at which nothing
 * in the box overflows (the box itself, or a leaf that would end in an ellipsis). Only at the
 * floor may text be cut: the box is then marked data-fit="floor", and the rows or items that
 * still do not fit are hidden whole (data-fit-hidden), never shown half cut.
 *
 * A box re-fits in full when the tile's size or the fonts change (the core calls fitTile after
 * each render and on resize). An update never reads layout after it wrote (issue 22): one that
 * keeps the box's content shape (as many children, as many characters) reads nothing; one that
 * changes it, or a resize of the box alone, queues an overflow check for the start of the next
 * frame (overflowingBoxes), and the box is re-fitted only if it then overflows, or at once when
 * its text got shorter by more than SHRINK_RATIO (it may grow). To avoid a visible jump on every
 * update, a new fit grows the text only when it gains more than GROW_STEP; it always shrinks
 * when the text would otherwise overflow, starting from how far it overflowed (fittingFrom:
 * one or two layouts, not a bisection's six to nine).
 */
const BOXES = [
  ".tile-title",
  ".tile-table .tile-body",
  ".tile-alerts .alert-list",
  ".tile-bar .bar-list",
  ".tile-text .text-body",
  ".tile-reporting .tile-body",
  ".tile-kpi .tile-body",
].join(", ");
const GROW_STEP = 1.08; // a re-fit grows the text only by more than this ratio
const SHRINK_RATIO = 0.85; // text this much shorter than at its last fit may be grown
const PRECISION_PX = 0.5;
const SLACK_PX = 1; // sub-pixel rounding in scroll sizes
const HINT_MARGIN = 0.98; // an overflow's estimate, a little under: glyphs do not scale exactly

// The largest size in [floor, ceiling] for which fits(size) holds, by bisection; floor when
// none does. fits must be monotone (true below some size, false above). Pure: tested in node.
export function largestFitting(floor, ceiling, fits) {
  if (!(ceiling > floor)) return floor;
  if (fits(ceiling)) return ceiling;
  var lo = floor, hi = ceiling;
  while (hi - lo > PRECISION_PX) {
    var mid = (lo + hi) / 2;
    if (fits(mid)) lo = mid; else hi = mid;
  }
  return lo;
}

// A box found overflowing by `ratio` (its client size over its scroll size, the smaller of width
// and height) at `size`: its text scales about linearly with its font size, so the size that
// fits is about size x ratio. Tried first, a little under; bisected below it only when that
// still does not fit (text that wraps). One or two layouts instead of the six to nine of a
// bisection from the ceiling. Pure: tested in node.
export function fittingFrom(size, ratio, floor, ceiling, fits) {
  if (!(ratio > 0 && ratio < 1) || !(size > 0)) return largestFitting(floor, ceiling, fits);
  var guess = Math.min(ceiling, Math.max(floor, Math.floor(size * ratio * HINT_MARGIN * 2) / 2));
  if (guess <= floor || fits(guess)) return guess;
  return largestFitting(floor, guess, fits);
}

// Whether a re-fit moves from the current size to the best one: shrink whenever the best is
// smaller, grow only past the step (no jump when a figure gains or loses a digit).
export function shouldMove(current, best) {
  if (!current) return true;
  return best < current || best > current * GROW_STEP;
}

function px(value) { var n = parseFloat(value); return isFinite(n) ? n : 0; }

function overflows(el) {
  return el.scrollWidth > el.clientWidth + SLACK_PX || el.scrollHeight > el.clientHeight + SLACK_PX;
}

// Leaves that end in an ellipsis hide their own overflow from the box: they are checked apart.
// A line-clamped leaf hides even its height (its scroll size stops at the clamp): it is
// measured with the clamp lifted (class fit-measure) and counted in lines.
function clippingLeaves(box) {
  var leaves = [];
  [box].concat(Array.prototype.slice.call(box.querySelectorAll("*"))).forEach(function (el) {
    var style = getComputedStyle(el), clamp = parseInt(style.webkitLineClamp, 10);
    if (clamp > 0) leaves.push({ el: el, lines: clamp });
    else if (style.textOverflow === "ellipsis") leaves.push({ el: el, lines: 0 });
  });
  return leaves;
}

function linesOf(el) {
  var style = getComputedStyle(el);
  var line = px(style.lineHeight) || 1.2 * px(style.fontSize);
  var text = el.scrollHeight - px(style.paddingTop) - px(style.paddingBottom);
  return line ? text / line : 0;
}

function leafOverflows(leaf) {
  return leaf.lines ? linesOf(leaf.el) > leaf.lines + 0.3 : overflows(leaf.el);
}

function shapeOf(box) {
  return box.childElementCount + ":" + (box.textContent || "").length;
}

function lengthOf(shape) {
  return Number(shape.slice(shape.indexOf(":") + 1));
}

// Whether an update (no tile resize, no font change) needs the box re-fitted now: never for
// the same shape; for a new one, only when it is much shorter than when it was last fitted
// (it may grow). Otherwise `check` says whether it must be checked for overflow (a new shape;
// a box resized alone, such as a title beside an age line that grew a digit, is queued for
// the same check by the core's ResizeObserver, checkOverflow).
export function needsFit(last, shape) {
  if (!last) return { fit: true, check: false };
  if (last.shape === shape) return { fit: false, check: false };
  var shorter = lengthOf(shape) < lengthOf(last.fitted || last.shape) * SHRINK_RATIO;
  return { fit: shorter, check: true };
}

// Boxes whose overflow is checked at the start of the next frame or wake, before anything is
// written: the layout is clean then and reading it costs nothing (issue 22: no layout read
// after a write). An overflowing box is re-fitted then, one frame late, its excess clipped.
var pendingChecks = new Set();

/** Check `box` for overflow at the start of the next frame or wake. */
export function checkOverflow(box) {
  if (box.__fit) pendingChecks.add(box); // a box never fitted is fitted in full when painted
}

/** Boxes that overflow among those waiting for a check; call before any write of the task. */
export function overflowingBoxes() {
  var found = [];
  pendingChecks.forEach(function (box) {
    if (!box.isConnected || !overflows(box)) return;
    box.__overflow = Math.min(box.clientWidth / box.scrollWidth, box.clientHeight / box.scrollHeight);
    found.push(box);
  });
  pendingChecks.clear();
  return found;
}

function limitsOf(box) {
  var inline = box.style.fontSize;
  box.style.fontSize = "";
  var style = getComputedStyle(box);
  var limits = { ceiling: px(style.fontSize), floor: px(style.getPropertyValue("--fit-floor")) || 12 };
  box.style.fontSize = inline;
  if (limits.floor > limits.ceiling) limits.floor = limits.ceiling;
  return limits;
}

// A table's rows or a list's items: what is hidden whole when even the floor cannot hold all.
function itemsOf(box) {
  return box.querySelectorAll(":scope tbody > tr, :scope > li");
}

function hideWhatDoesNotFit(box) {
  var bottom = box.getBoundingClientRect().bottom + SLACK_PX, items = itemsOf(box);
  for (var i = 1; i < items.length; i++) { // the first row stays, cut or not
    if (items[i].getBoundingClientRect().bottom > bottom) items[i].setAttribute("data-fit-hidden", "");
  }
}

function fitsAt(box, leaves) {
  return function (size) {
    box.style.fontSize = size + "px";
    if (overflows(box)) return false;
    for (var i = 0; i < leaves.length; i++) if (leafOverflows(leaves[i])) return false;
    return true;
  };
}

// Fit one box. force: the tile's size or the fonts changed (a full fit, no hysteresis);
// overflow: the box was found overflowing by this ratio at its last size (fittingFrom).
export function fitBox(box, force, overflow) {
  var last = box.__fit;
  var shape = shapeOf(box);
  var need = force ? { fit: true } : needsFit(last, shape);
  if (!need.fit) {
    if (need.check) { last.shape = shape; pendingChecks.add(box); }
    return;
  }
  if (!box.clientWidth || !box.clientHeight) return; // not laid out (hidden layout): later
  var limits = limitsOf(box);
  box.removeAttribute("data-fit");
  itemsOf(box).forEach(function (item) { item.removeAttribute("data-fit-hidden"); });
  var leaves = clippingLeaves(box);
  box.classList.add("fit-measure");
  var fits = fitsAt(box, leaves);
  var best = overflow && last
    ? fittingFrom(last.size, overflow, limits.floor, limits.ceiling, fits)
    : largestFitting(limits.floor, limits.ceiling, fits);
  var size = force || !last || shouldMove(last.size, best) ? best : last.size;
  var cut = !fits(size);
  box.classList.remove("fit-measure");
  box.style.fontSize = size + "px";
  if (cut) { box.setAttribute("data-fit", "floor"); hideWhatDoesNotFit(box); }
  box.__fit = { shape: shape, fitted: shape, size: size };
}

// Fit every box of a tile; returns them (the core watches their size).
export function fitTile(el, force) {
  var boxes = Array.prototype.slice.call(el.querySelectorAll(BOXES));
  boxes.forEach(function (box) {
    var must = box.__mustFit; // found overflowing at the start of this frame
    box.__mustFit = false;
    fitBox(box, force || must, must && !force ? box.__overflow : null);
  });
  return boxes;
}
