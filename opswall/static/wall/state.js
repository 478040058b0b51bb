/* The wall screen's one state object. It is also the page's one debug handle,
 * `window.opswall`, which the browser tests and the bench harness read (docs/tiles.md). */
import { freshBudget } from "../lib/paint-budget.js";
import { instantOf } from "../lib/replay-clock.js";

export const state = {
  root: null, rev: null, screen: null, meta: {}, ctx: null,
  ws: null, attempt: 0, reconnectTimer: null, lastFrameAt: 0, downSince: Date.now(),
  linkUp: false, redisUp: true, unreachable: {}, skewMs: 0, refused: false,
  first: false, // showing the first values the page's HTML carried, no welcome yet (link.js)
  lastIds: {}, history: {}, tiles: [], tilesByFeed: {}, dirty: new Set(), frameRequested: false,
  mountedGrids: new Set(), tileTypes: {},
  replay: null, // a replay (issue 24): {clock, loading, loadedAt}; null on a live page
  view: null, alerts: [], relayoutAt: 0, relayouts: 0, trace: [],
  span: null, // the shown layout's canvas and this screen's slice (span.js), or null
  // sync.js: the gateway's clock (offset from ping samples), batches held for their frame, and
  // the last applied ones ({at, frame, prev, late, ids}), read by tests/browser/test_spans.py
  sync: { offset: null, samples: [], held: [], applied: [], timer: null, burst: null, lastFrame: null },
  // paint.js: the paint budget (lib/paint-budget.js) and the frames painted, read by tests
  budget: freshBudget(), frames: 0,
  errors: [], // newest last: {tile, hook, reason, at}; read by tests and from devtools
  bench: /[?&]bench\b/.test(location.search), latencies: [], pendingLatency: [], applied: 0,
  redundant: 0, trail: {}, // bench: entries dropped as already applied; ids applied per feed
};
window.opswall = state;


/** Now on the gateway's clock: timed by pings (sync.js), else from its frames' `now`; in a
 * replay, the replay's instant. */
export function serverNow() {
  if (state.replay) return Math.round(instantOf(state.replay.clock, Date.now()));
  return Date.now() + (state.sync.offset === null ? state.skewMs : state.sync.offset);
}

// Timestamps of the view path (frame in, relayout asked, tiles mounted), for the benchmarks.
export function mark(what) {
  state.trace.push([what, performance.timeOrigin + performance.now()]);
  if (state.trace.length > 64) state.trace.shift();
}
