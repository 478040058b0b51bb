/* Mounting tiles and calling their hooks, each isolated (docs/tiles.md). One tile that cannot
 * draw must never stop the screen (issue 17): every hook goes through callHook, and a throw is
 * recorded on that tile (its freshness turns to "error", its last good figure stays, the reason
 * goes to its tooltip and to state.errors) while the caller carries on with the next tile. A
 * hook's failure lasts until that hook next succeeds. */
import { localeContext } from "../lib/format.js";
import { moduleProblems, tileProblems } from "./contract.js";
import { updateTile } from "./paint.js";
import { serverNow, state } from "./state.js";

const ERRORS_MAX = 100;

/** The formatting context of the screen, or of one tile in the other language (data-locale). */
export function contextOf(root, override) {
  let locale = root.dataset.locale, messages = JSON.parse(root.dataset.messages || "{}");
  let numberLocale = root.dataset.numberLocale || "en-US";
  const other = override && override !== locale ? JSON.parse(root.dataset.catalogs || "{}")[override] : null;
  if (other) { locale = override; messages = other.messages; numberLocale = other.number_locale; }
  const ctx = localeContext({ tz: root.dataset.tz, locale, messages, numberLocale }, serverNow);
  ctx.inStep = () => state.span !== null; // on a span: paced work keeps to the gateway's clock
  return ctx;
}

/** Mounts one tile element with its type's module; a tile that breaks the contract, or whose
 * mount throws, stays on the page marked in error. */
export function mountTile(module, el, grid) {
  const options = JSON.parse(el.dataset.client || "{}");
  const tileCtx = el.dataset.locale ? contextOf(state.root, el.dataset.locale) : state.ctx;
  let made = null, failure = null, mounted = null;
  // Work a tile does later on its own (a timer, a promise, an observer) is isolated as the
  // core's calls are.
  function guard(name, fn) {
    return function () {
      if (mounted) runHook(mounted, name, fn, this, arguments); else fn.apply(this, arguments);
    };
  }
  let problems = moduleProblems(module);
  if (!problems.length) {
    try { made = module.mount(el, options, tileCtx, guard); } catch (err) { failure = err; }
    if (!failure) problems = tileProblems(made, options);
  }
  if (!failure && problems.length) failure = new TypeError("tile contract: " + problems.join(", "));
  const tile = failure ? {} : made;
  Object.assign(tile, {
    ctx: tileCtx, el, grid, options, failures: {},
    feeds: Array.isArray(tile.feeds) ? tile.feeds : [],
    lastFresh: null, lastAsof: null, lastFailure: "", ageText: null,
    ageEl: el.querySelector("[data-role=age]"),
  });
  if (failure) tileFailed(tile, "mount", failure);
  mounted = tile;
  return tile;
}

export function callHook(tile, hook, args) {
  if (typeof tile[hook] === "function") runHook(tile, hook, tile[hook], tile, args || []);
}

/** Runs `fn` as the tile's hook `name`: a throw marks the tile in error, never the caller. */
export function runHook(tile, name, fn, self, args) {
  try {
    fn.apply(self, args);
  } catch (err) {
    tileFailed(tile, name, err);
    return;
  }
  if (tile.failures[name]) delete tile.failures[name];
}

function tileFailed(tile, hook, err) {
  const reason = describeError(err), id = tile.el.dataset.tile;
  if (!Object.keys(tile.failures).length) console.error("opswall: tile " + id + " " + hook + ": " + reason);
  tile.failures[hook] = reason;
  state.errors.push({ tile: id, hook, reason, at: Date.now() });
  if (state.errors.length > ERRORS_MAX) state.errors.splice(0, state.errors.length - ERRORS_MAX);
  updateTile(tile, serverNow()); // at once: not "live" until the next tick
}

function describeError(err) {
  try {
    const text = err instanceof Error ? err.name + ": " + err.message : "thrown: " + String(err);
    return text.slice(0, 300);
  } catch {
    return "an error that cannot be printed";
  }
}

/** "hook: reason" of the tile's first failing hook, or "". */
export function failureOf(tile) {
  const hook = Object.keys(tile.failures)[0];
  return hook ? hook + ": " + tile.failures[hook] : "";
}
