/* Entries in, pixels out: entries are applied to the tiles reading their feed, and tiles are
 * painted in one requestAnimationFrame, only the dirty ones, only those shown. Freshness and age
 * lines are refreshed at once for a painted tile, and otherwise only when one of the texts a
 * shown tile displays would change (issue 22: an idle page sleeps). Each tile keeps the next
 * such instant; a frame painted for an update also writes every change due by then, and one
 * timer wakes the page for the rest. Frames, not script, are what an idle page pays for (about
 * 2-3 ms each in software rasterising), so an age line may wait a little for the next update's
 * frame, and age lines due together share one wake; a feed turning stale waits for nothing.
 * While the page is busy its frames are budgeted (lib/paint-budget.js): updates that arrive
 * within the budget's interval of the last painted frame share the next one. */
import { setText } from "../lib/dom.js";
import { afterFrame, askAt } from "../lib/paint-budget.js";
import { isoOf } from "../lib/format.js";
import { ageChangesAt, ageLine, freshness, oldestAsof, staleAt } from "../lib/freshness.js";
import { isAfter } from "../lib/stream-ids.js";
import { serverNow, state } from "./state.js";
import { checkOverflow, fitTile, overflowingBoxes } from "./fit.js";
import { dueIn, hold } from "./sync.js";
import { callHook, failureOf, runHook } from "./tile-host.js";

const HISTORY_MAX = 4000;
const HISTORY_MIN = 50;
const WAKE_GRID_MS = 250; // changes due within this of each other share one wake
// An age line is written at most this (plus the grid) after its text changes: the next
// update's frame writes it if one comes by then (at one update a second, one does), else a wake
// shared with every line due by then; so the page wakes for age lines at most once a second.
// Its text is rounded down (format.js ageShown), so a late line reads younger than the truth,
// never older; whether figures can be trusted is their freshness, which waits for nothing.
const AGE_SLACK_MS = 1000;
const TICK_DEFAULT_MS = 1000; // a tile's tick hook that names no next instant is called this often
const MAX_SLEEP_MS = 60000; // the longest an idle page sleeps before it looks again

/** Entries of a data frame ([feed, id, asof, fields]), each applied at most once: at once, or
 * on a span in the first frame at or after `at` (sync.js). */
export function applyEntries(entries, at) {
  if (!hold(entries, at)) applyNow(entries);
  requestFrame();
}

function applyNow(entries) {
  for (const e of entries) {
    const feed = e[0], entry = { id: e[1], asof: e[2], fields: e[3] };
    if (!isAfter(entry.id, state.lastIds[feed])) { state.redundant++; continue; } // already applied
    state.lastIds[feed] = entry.id;
    if (state.bench) (state.trail[feed] || (state.trail[feed] = [])).push(entry.id);
    const history = state.history[feed] || (state.history[feed] = []);
    history.push(entry);
    trimHistory(history, feed, entry.asof);
    state.applied++;
    for (const reader of state.tilesByFeed[feed] || []) { callHook(reader, "push", [feed, entry]); state.dirty.add(reader); }
    if (state.bench && entry.fields.sent !== undefined) state.pendingLatency.push(entry.fields.sent);
  }
}

// A page keeps what its tiles look back at (keep_ms, the longest chart or sparkline window
// on it), at least HISTORY_MIN entries and at most HISTORY_MAX: memory stays flat for weeks.
function trimHistory(history, feed, newestAsof) {
  const keepMs = (state.meta[feed] || {}).keep_ms;
  let drop = Math.max(0, history.length - HISTORY_MAX);
  if (keepMs !== undefined) {
    while (drop < history.length - HISTORY_MIN && history[drop].asof < newestAsof - keepMs) drop++;
  }
  if (drop) history.splice(0, drop);
}

// The paint budget (lib/paint-budget.js): a free page asks for a frame as soon as it has
// something to paint, as before; a busy one waits for its slot (a timer), so that what arrives
// meanwhile is painted in the same frame. A span's slices paint their held batches in the same
// display frame as each other, and a replay paints on its own clock: neither waits for a slot.
let slotTimer = null, askedAt = 0, longFrames = 0;
if (typeof PerformanceObserver === "function" && (PerformanceObserver.supportedEntryTypes || []).includes("long-animation-frame")) {
  new PerformanceObserver((list) => { longFrames += list.getEntries().length; }).observe({ type: "long-animation-frame" });
}

export function requestFrame() {
  if (state.frameRequested) return;
  state.frameRequested = true;
  const now = performance.now();
  const at = state.span || state.replay ? now : askAt(state.budget, now);
  if (at <= now) { askFrame(now); return; }
  slotTimer = setTimeout(() => { slotTimer = null; askFrame(at); }, at - now);
}

function askFrame(at) {
  askedAt = at;
  requestAnimationFrame(paint);
}

// The page writes freshness or age lines outside a frame (a wake, the link's news): a frame
// waiting for its slot is asked for now, so the values it paints are not behind what those say.
function paintSoon() {
  if (slotTimer === null) return;
  clearTimeout(slotTimer);
  slotTimer = null;
  askFrame(performance.now());
}

export function isShown(tile) {
  return !tile.grid.hidden;
}

// Boxes found overflowing by the check queued for this task's start (fit.js) are re-fitted,
// each alone, in this frame. Called first in a frame or a wake, before anything is written.
function refitOverflowing() {
  overflowingBoxes().forEach((box) => {
    const tile = box.__opswallTile;
    if (tile) { box.__mustFit = true; state.dirty.add(tile); }
  });
}

function paint(frameTs) {
  state.frameRequested = false;
  state.budget = afterFrame(state.budget, askedAt, performance.now(), longFrames);
  longFrames = 0;
  state.frames++;
  refitOverflowing();
  dueIn(frameTs).forEach((batch) => { applyNow(batch.entries); });
  if (state.sync.held.length) requestFrame(); // every frame until the held batches fall due
  const now = serverNow(), dirty = state.dirty;
  state.dirty = new Set();
  dirty.forEach((tile) => {
    if (isShown(tile)) {
      callHook(tile, "render");
      // What it shows changed, so its next timed change may come sooner than it last said (a
      // map's new marker expires before the next instant its older ones asked for).
      tile.tickAt = 0;
      refreshTile(tile, now);
    }
    else state.dirty.add(tile); // painted when shown
  });
  refreshDue(now); // the other tiles' age lines due by now: in this frame, not a wake of their own
  // Measured after every tile has written: one layout for the frame, not one per tile.
  dirty.forEach((tile) => { if (isShown(tile)) fit(tile); });
  if (state.bench && state.pendingLatency.length) {
    const painted = performance.timeOrigin + performance.now();
    state.pendingLatency.forEach((sent) => { state.latencies.push(painted - sent); });
    state.pendingLatency = [];
  }
}

// Each tile's text takes the largest size that fits (fit.js): in full when the tile is first
// painted or resized, when the web font arrives; one box alone when it is resized and then
// overflows (a title narrows as its age line grows); else only when a box's content changed
// shape (fit.js needsFit).
const resized = new ResizeObserver((records) => {
  let refit = false;
  records.forEach((record) => {
    const tile = record.target.__opswallTile;
    if (!tile) return;
    // A box resized alone is only checked for overflow when the page next paints or wakes: it
    // asks for no frame of its own (an age line gaining a digit must not cost one).
    if (record.target !== tile.el) { checkOverflow(record.target); return; }
    tile.refit = true;
    state.dirty.add(tile);
    refit = true;
  });
  if (refit) requestFrame();
});
if (document.fonts) {
  document.fonts.ready.then(() => {
    state.tiles.forEach((tile) => { tile.refit = true; state.dirty.add(tile); });
    requestFrame();
  });
}

/** Watch a mounted tile's size (it re-fits when it changes). */
export function watchSize(tile) {
  tile.el.__opswallTile = tile;
  resized.observe(tile.el);
}

/** Stop watching the sizes of a replaced page's tiles and boxes. */
export function forgetSizes() {
  resized.disconnect();
}

function fit(tile) {
  const force = tile.refit !== false;
  tile.refit = false;
  runHook(tile, "fit", () => {
    fitTile(tile.el, force).forEach((box) => {
      if (box.__opswallTile !== tile) { box.__opswallTile = tile; resized.observe(box); }
    });
  }, tile, []);
}

function latestOf(feed) {
  const h = state.history[feed];
  return h && h.length ? h[h.length - 1] : null;
}

function staleMs(feed) {
  return (state.meta[feed] || {}).stale_ms;
}

/** Freshness of every shown tile (and its tick hook when due); sleeps until the next change. */
export function updateFreshness() {
  paintSoon();
  const now = serverNow();
  state.tiles.forEach((tile) => { if (isShown(tile)) refreshTile(tile, now); });
  schedule();
}

// Every shown tile whose text or freshness changes by time alone by `now`; then sleeps until
// the next such instant.
function refreshDue(now) {
  state.tiles.forEach((tile) => { if (isShown(tile) && changesAt(tile) <= now) refreshTile(tile, now); });
  schedule();
}

function refreshTile(tile, now) {
  if (typeof tile.tick === "function") tickTile(tile, now);
  updateTile(tile, now);
}

// A tile's tick hook runs when the instant it asked for has come (its return value; a hook
// that returns none is called every TICK_DEFAULT_MS). Keeps the next such instant.
function tickTile(tile, now) {
  if (tile.tickAt && tile.tickAt > now) return;
  let wish;
  runHook(tile, "tick", () => { wish = tile.tick(now); }, tile, []);
  tile.tickAt = typeof wish === "number" && wish > now ? wish : now + TICK_DEFAULT_MS;
}

// Until updateTile has judged a tile it has no such instants.
function changesAt(tile) {
  return Math.min(tile.ageAt ?? Infinity, tile.flipAt ?? Infinity, tile.tickAt || Infinity);
}

const gridUp = (ms) => Math.ceil(ms / WAKE_GRID_MS) * WAKE_GRID_MS;

// When the page must wake for a tile at the latest: a freshness change at its instant, a tick
// on the grid (a clock's whole second is on it), an age line up to AGE_SLACK_MS late.
function wakeFor(tile) {
  return Math.min(tile.flipAt ?? Infinity, gridUp(tile.tickAt || Infinity), gridUp((tile.ageAt ?? Infinity) + AGE_SLACK_MS));
}

let wakeAt = Infinity, wakeTimer = null;

// One timer, at the earliest instant a shown tile needs the page awake.
function schedule() {
  let due = Infinity;
  state.tiles.forEach((tile) => { if (isShown(tile)) due = Math.min(due, wakeFor(tile)); });
  // A figure stamped far in the future (a hostile asof) must not overflow setTimeout's 32-bit
  // delay, which would fire at once, again and again: the page sleeps at most MAX_SLEEP_MS.
  const at = isFinite(due) ? Math.min(due, serverNow() + MAX_SLEEP_MS) : Infinity;
  if (at === wakeAt && wakeTimer !== null) return;
  clearTimeout(wakeTimer);
  wakeTimer = null;
  wakeAt = at;
  if (!isFinite(at)) return; // nothing shown changes by time alone
  wakeTimer = setTimeout(() => {
    wakeTimer = null;
    paintSoon();
    refitOverflowing();
    // The wake acts at its instant even if the clock's estimate moved back a little since.
    refreshDue(Math.max(serverNow(), at));
    if (state.dirty.size) requestFrame(); // a box found overflowing
  }, Math.max(0, at - serverNow()));
}

// When what a tile shows next changes by time alone: its age line, and a feed turning stale.
function nextChangesOf(tile, fresh, asof, now) {
  tile.ageAt = tile.ageEl ? ageChangesAt(asof, now) : Infinity;
  tile.flipAt = Infinity;
  if (fresh !== "live") return;
  tile.feeds.forEach((feed) => {
    const entry = latestOf(feed);
    if (entry) tile.flipAt = Math.min(tile.flipAt, staleAt(entry.asof, staleMs(feed), now));
  });
}

/** A tile's data-fresh, data-asof, error tooltip and age line, touched only when they change;
 * keeps when they next change by time alone (tile.ageAt, tile.flipAt). */
export function updateTile(tile, now) {
  const failure = failureOf(tile);
  const up = state.linkUp || state.first; // first values: judged by their age (link.js)
  const link = { up, redisUp: state.redisUp, unreachable: state.unreachable };
  const fresh = freshness({ feeds: tile.feeds, latest: latestOf, staleMs, link, failed: !!failure }, now);
  const asof = oldestAsof(tile.feeds, latestOf);
  if (fresh !== tile.lastFresh) { tile.el.dataset.fresh = fresh; tile.lastFresh = fresh; }
  if (failure !== tile.lastFailure) {
    if (failure) tile.el.title = tile.ctx.msg("tile_error") + " · " + failure;
    else tile.el.removeAttribute("title");
    tile.lastFailure = failure;
  }
  if (asof !== tile.lastAsof) { tile.el.dataset.asof = isoOf(asof); tile.lastAsof = asof; }
  if (tile.ageEl) {
    const text = ageLine(tile.ctx, { fresh, asof, hasFeeds: tile.feeds.length > 0, linkUp: up }, now);
    if (tile.ageText !== text) { setText(tile.ageEl, text); tile.ageText = text; }
  }
  nextChangesOf(tile, fresh, asof, now);
}

// Feeds the gateway cannot read while Redis answers for the rest (a cluster node down): their
// tiles show as down, the others keep being judged by their age. True if the set changed.
export function setUnreachable(feeds) {
  const next = {};
  (feeds || []).forEach((feed) => { next[feed] = true; });
  const changed = Object.keys(next).sort().join() !== Object.keys(state.unreachable).sort().join();
  state.unreachable = next;
  return changed;
}
