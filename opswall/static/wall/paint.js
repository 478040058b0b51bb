/* Entries in, pixels out: entries are applied to the tiles reading their feed, and tiles are
 * painted in one requestAnimationFrame, only the dirty ones, only those shown. Freshness and age
 * lines are refreshed at once for a painted tile, and otherwise only when one of the texts a
 * shown tile displays would change (issue 22: an idle page sleeps): the next such instant is
 * computed, and one timer wakes the page then, on a grid so that changes due together are
 * written in the same task and painted in the same frame. */
import { setText } from "../lib/dom.js";
import { isoOf } from "../lib/format.js";
import { ageChangesAt, ageLine, freshness, oldestAsof, staleAt } from "../lib/freshness.js";
import { isAfter } from "../lib/stream-ids.js";
import { serverNow, state } from "./state.js";
import { checkOverflow, fitTile, overflowingBoxes } from "./fit.js";
import { dueIn, hold } from "./sync.js";
import { callHook, failureOf, runHook } from "./tile-host.js";

const HISTORY_MAX = 4000;
const HISTORY_MIN = 50;
const WAKE_GRID_MS = 500; // an age shows at most this late; changes due together are batched
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

export function requestFrame() {
  if (state.frameRequested) return;
  state.frameRequested = true;
  requestAnimationFrame(paint);
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
  refitOverflowing();
  dueIn(frameTs).forEach((batch) => { applyNow(batch.entries); });
  if (state.sync.held.length) requestFrame(); // every frame until the held batches fall due
  const now = serverNow(), dirty = state.dirty;
  let due = Infinity;
  state.dirty = new Set();
  dirty.forEach((tile) => {
    if (isShown(tile)) {
      callHook(tile, "render");
      // What it shows changed, so its next timed change may come sooner than it last said (a
      // map's new marker expires before the next instant its older ones asked for).
      if (typeof tile.tick === "function") { tile.tickAt = 0; due = Math.min(due, tickTile(tile, now)); }
      due = Math.min(due, updateTile(tile, now));
    }
    else state.dirty.add(tile); // painted when shown
  });
  wake(due);
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
  const now = serverNow();
  let due = Infinity;
  state.tiles.forEach((tile) => {
    if (!isShown(tile)) return;
    if (typeof tile.tick === "function") due = Math.min(due, tickTile(tile, now));
    due = Math.min(due, updateTile(tile, now));
  });
  wake(due);
}

// A tile's tick hook runs when the instant it asked for has come (its return value; a hook
// that returns none is called every TICK_DEFAULT_MS). Returns the next such instant.
function tickTile(tile, now) {
  if (tile.tickAt && tile.tickAt > now) return tile.tickAt;
  let wish;
  runHook(tile, "tick", () => { wish = tile.tick(now); }, tile, []);
  tile.tickAt = typeof wish === "number" && wish > now ? wish : now + TICK_DEFAULT_MS;
  return tile.tickAt;
}

let wakeAt = 0, wakeTimer = null;

/** Wake the page at `due` (the server's clock), rounded up to the grid, unless it wakes sooner. */
export function wake(due) {
  if (!isFinite(due)) return;
  // A figure stamped far in the future (a hostile asof) must not overflow setTimeout's 32-bit
  // delay, which would fire at once, again and again: the page sleeps at most MAX_SLEEP_MS.
  const at = Math.min(Math.ceil(due / WAKE_GRID_MS) * WAKE_GRID_MS, serverNow() + MAX_SLEEP_MS);
  if (wakeTimer !== null && wakeAt <= at) return;
  clearTimeout(wakeTimer);
  wakeAt = at;
  wakeTimer = setTimeout(() => {
    wakeTimer = null;
    refitOverflowing();
    updateFreshness();
    if (state.dirty.size) requestFrame(); // a box found overflowing
  }, Math.max(0, at - serverNow()));
}

// When what a tile shows next changes by time alone: its age line, or a feed turning stale.
function nextChangeOf(tile, fresh, asof, now) {
  let due = tile.ageEl ? ageChangesAt(asof, now) : Infinity;
  if (fresh === "live") {
    tile.feeds.forEach((feed) => {
      const entry = latestOf(feed);
      if (entry) due = Math.min(due, staleAt(entry.asof, staleMs(feed), now));
    });
  }
  return due;
}

/** A tile's data-fresh, data-asof, error tooltip and age line, touched only when they change;
 * returns when they next change by time alone. */
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
  return nextChangeOf(tile, fresh, asof, now);
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
