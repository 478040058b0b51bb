/* Entries in, pixels out: entries are applied to the tiles reading their feed, and tiles are
 * painted in one requestAnimationFrame, only the dirty ones, only those shown. Freshness and age
 * lines are refreshed on the tick, and at once for a painted tile. */
import { isoOf } from "../lib/format.js";
import { ageLine, freshness, oldestAsof } from "../lib/freshness.js";
import { isAfter } from "../lib/stream-ids.js";
import { serverNow, state } from "./state.js";
import { fitTile } from "./fit.js";
import { dueIn, hold } from "./sync.js";
import { callHook, failureOf, runHook } from "./tile-host.js";

const HISTORY_MAX = 4000;
const HISTORY_MIN = 50;

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

function paint(frameTs) {
  state.frameRequested = false;
  dueIn(frameTs).forEach((batch) => { applyNow(batch.entries); });
  if (state.sync.held.length) requestFrame(); // every frame until the held batches fall due
  const now = serverNow(), dirty = state.dirty;
  state.dirty = new Set();
  dirty.forEach((tile) => {
    if (isShown(tile)) { callHook(tile, "render"); updateTile(tile, now); }
    else state.dirty.add(tile); // painted when shown
  });
  // Measured after every tile has written: one layout for the frame, not one per tile.
  dirty.forEach((tile) => { if (isShown(tile)) fit(tile); });
  if (state.bench && state.pendingLatency.length) {
    const painted = performance.timeOrigin + performance.now();
    state.pendingLatency.forEach((sent) => { state.latencies.push(painted - sent); });
    state.pendingLatency = [];
  }
}

// Each tile's text takes the largest size that fits (fit.js): in full when the tile is first
// painted or it or one of its fit boxes is resized (a title narrows as its age line grows),
// when the web font arrives, else only when a box's content changed shape.
const resized = new ResizeObserver((records) => {
  records.forEach((record) => {
    const tile = record.target.__opswallTile;
    if (tile) { tile.refit = true; state.dirty.add(tile); }
  });
  requestFrame();
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

/** Freshness of every shown tile, on the tick (and its tick hook). */
export function updateFreshness() {
  const now = serverNow();
  state.tiles.forEach((tile) => {
    if (!isShown(tile)) return;
    callHook(tile, "tick", [now]);
    updateTile(tile, now);
  });
}

/** A tile's data-fresh, data-asof, error tooltip and age line, touched only when they change. */
export function updateTile(tile, now) {
  const failure = failureOf(tile);
  const link = { up: state.linkUp, redisUp: state.redisUp, unreachable: state.unreachable };
  const fresh = freshness({ feeds: tile.feeds, latest: latestOf, staleMs, link, failed: !!failure }, now);
  const asof = oldestAsof(tile.feeds, latestOf);
  if (fresh !== tile.lastFresh) { tile.el.dataset.fresh = fresh; tile.lastFresh = fresh; }
  if (failure !== tile.lastFailure) {
    if (failure) tile.el.title = tile.ctx.msg("tile_error") + " · " + failure;
    else tile.el.removeAttribute("title");
    tile.lastFailure = failure;
  }
  if (asof !== tile.lastAsof) { tile.el.dataset.asof = isoOf(asof); tile.lastAsof = asof; }
  if (!tile.ageEl) return;
  const text = ageLine(tile.ctx, { fresh, asof, hasFeeds: tile.feeds.length > 0, linkUp: state.linkUp }, now);
  if (tile.ageText !== text) { tile.ageEl.textContent = text; tile.ageText = text; }
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
