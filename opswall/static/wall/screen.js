/* The screen's layout: tiles mounted when Dash renders a layout, and the view the gateway says
 * this screen shows (a scene, a focus, a takeover) followed, locally when the page holds it. */
import { openLink, subscribe } from "./link.js";
import { applyEntries, forgetSizes, requestFrame, updateFreshness, watchSize } from "./paint.js";
import { reopenHere, startReplay } from "./replay.js";
import { mark, state } from "./state.js";
import { applySpan } from "./span.js";
import { followSpan, releaseAll } from "./sync.js";
import { callHook, contextOf, mountTile } from "./tile-host.js";

// Dash re-renders a screen when its layout changes: remount in the same task as React's
// commit (a MutationObserver runs before paint), so no tile ever shows a blank value.
const pageObserver = new MutationObserver(checkLayout);
const revObserver = new MutationObserver(checkLayout);
// Until the first layout is mounted, any node added to the document may be it (Dash renders
// after the page loads); then pageObserver and revObserver follow it.
const bootObserver = new MutationObserver(checkLayout);
let observedPage = null;

/** Mount the first layout as soon as Dash renders it. */
export function watchForFirstLayout() {
  if (!state.root) bootObserver.observe(document.documentElement, { childList: true, subtree: true });
}

function observePage() {
  const page = document.getElementById("page");
  if (page && page !== observedPage) {
    pageObserver.disconnect();
    pageObserver.observe(page, { childList: true });
    observedPage = page;
  }
}

/** Stop following the page (the screen was refused). */
export function stopObserving() {
  bootObserver.disconnect();
  pageObserver.disconnect();
  revObserver.disconnect();
}

function feedsOf(meta) {
  return JSON.stringify(Object.keys(meta).sort());
}

export function checkLayout() {
  if (state.refused) return;
  observePage();
  const root = document.getElementById("wall-screen");
  if (!root) return;
  if (root !== state.root || root.dataset.rev !== state.rev) {
    const first = state.root === null, feedsBefore = feedsOf(state.meta);
    mountTiles(root);
    showLink();
    if (first && root.dataset.replay) startReplay(); // issue 24: never the gateway
    else if (first) openLink(root);
    else if (feedsOf(state.meta) !== feedsBefore) subscribe();
    followView();
  }
}

function mountTiles(root) {
  mark("mount");
  bootObserver.disconnect();
  revObserver.disconnect();
  revObserver.observe(root, { attributes: true, attributeFilter: ["data-rev"] });
  state.root = root;
  state.rev = root.dataset.rev;
  state.screen = root.dataset.screen;
  state.meta = JSON.parse(root.dataset.feeds || "{}");
  state.ctx = contextOf(root);
  // Tiles of the page being replaced let go of what they hold (video sessions).
  state.tiles.forEach((tile) => { callHook(tile, "unmount"); });
  forgetSizes(); // the replaced page's tiles and boxes
  state.tiles = [];
  state.tilesByFeed = {};
  state.mountedGrids = new Set();
  const shown = gridOf(root.dataset.layout);
  state.span = applySpan(root, shown);
  followSpan();
  if (shown) mountGrid(shown);
  if (state.care) state.care(); // a new root carries no burn-in shift yet
  requestFrame();
}

function gridOf(layout) {
  const grids = state.root ? state.root.querySelectorAll(".wall-grid") : [];
  for (const grid of grids) if (grid.dataset.layout === layout) return grid;
  return null;
}

// Tiles of a layout are mounted when it is first shown (charts need their real size).
function mountGrid(grid) {
  if (state.mountedGrids.has(grid)) return;
  state.mountedGrids.add(grid);
  grid.querySelectorAll("[data-tile]").forEach((el) => {
    const module = state.tileTypes[el.dataset.tileType];
    if (!module) { console.warn("opswall: no client for tile type", el.dataset.tileType); return; }
    const tile = mountTile(module, el, grid);
    watchSize(tile);
    state.tiles.push(tile);
    tile.feeds.forEach((feed) => {
      (state.tilesByFeed[feed] || (state.tilesByFeed[feed] = [])).push(tile);
    });
    // A re-rendered layout gets back everything already received: no live value is lost.
    tile.feeds.forEach((feed) => {
      (state.history[feed] || []).forEach((entry) => { callHook(tile, "push", [feed, entry]); });
    });
    state.dirty.add(tile);
    callHook(tile, "vars", [JSON.parse(state.root.dataset.vars || "{}")]);
    callHook(tile, "visible", [!grid.hidden]);
  });
}

// The gateway says what this screen shows; re-render when the page shows something else.
export function followView() {
  const view = state.view;
  if (!view || !state.root) return;
  if (view.key === state.root.dataset.viewKey && view.rev === state.root.dataset.rev) return;
  const grid = gridOf(view.layout);
  if (grid && grid.dataset.rev === view.rev) { switchLocally(view, grid); return; }
  const now = Date.now();
  if (now - state.relayoutAt < 250) { setTimeout(followView, 260); return; } // one at a time
  state.relayoutAt = now;
  state.relayouts++;
  mark("relayout");
  relayout(view.key + ":" + view.rev + ":" + state.relayouts);
}

function relayout(rev) {
  if (state.replay) { reopenHere(); return; } // the view of then, rendered anew
  // Ask Dash to re-render the page; checkLayout() remounts the tiles when it lands.
  if (window.dash_clientside && window.dash_clientside.set_props) {
    window.dash_clientside.set_props("layout-rev", { data: rev });
  } else {
    location.reload();
  }
}

function showGrid(root, grid, focus) {
  root.querySelectorAll(".wall-grid").forEach((g) => {
    if (g !== grid && !g.hidden) g.hidden = true;
    if (g.classList.contains("has-focus") && (g !== grid || !focus)) {
      g.classList.remove("has-focus");
      g.querySelectorAll(".is-focused").forEach((t) => { t.classList.remove("is-focused"); });
    }
  });
  if (focus) {
    grid.classList.add("has-focus");
    grid.querySelectorAll("[data-tile]").forEach((t) => { t.classList.toggle("is-focused", t.dataset.tile === focus); });
  }
  grid.hidden = false;
}

function showBadges(root, view) {
  const scenes = JSON.parse(root.dataset.scenes || "{}");
  // How a view is presented (its mode, its badges) is decided once, on the server
  // (control/views.py), and carried by the view frame.
  const badges = view.badges || {};
  Object.keys(badges).forEach((role) => {
    const badge = root.querySelector("[data-role=" + role + "]");
    if (badge) badge.hidden = !badges[role];
  });
  const sceneBadge = root.querySelector("[data-role=scene-badge]");
  if (sceneBadge) sceneBadge.textContent = view.scene ? scenes[view.scene] || view.scene : "";
  root.classList.remove("wall-normal", "wall-focus", "wall-takeover");
  root.classList.add("wall-" + (view.mode || "normal"));
}

// The page already holds the layout: show it, focus, move highlights. No server round trip.
function switchLocally(view, grid) {
  const root = state.root;
  showGrid(root, grid, view.focus);
  state.span = applySpan(root, grid);
  followSpan();
  if (!state.span) releaseAll().forEach((batch) => { applyEntries(batch.entries); });
  mountGrid(grid);
  showBadges(root, view);
  applyVars(view.vars || {});
  Object.assign(root.dataset, {
    layout: view.layout, scene: view.scene || "", focus: view.focus || "",
    takeover: view.takeover || "", vars: JSON.stringify(view.vars || {}), rev: view.rev,
  });
  state.rev = view.rev;
  root.dataset.viewKey = view.key;
  mark("switched");
  state.tiles.forEach((tile) => {
    if (tile.grid === grid) state.dirty.add(tile);
    callHook(tile, "visible", [!tile.grid.hidden]);
  });
  updateFreshness();
  requestFrame();
}

function applyVars(vars) {
  state.tiles.forEach((tile) => {
    if (tile.vars) { callHook(tile, "vars", [vars]); return; }
    const name = tile.el.dataset.follows;
    if (!name || !tile.follow) return;
    const value = vars[name];
    const wanted = value === undefined || value === null ? tile.options.highlight_default : String(value);
    if (wanted !== tile.options.highlight) callHook(tile, "follow", [wanted]);
  });
}

export function showAlerts() {
  const box = state.root && state.root.querySelector("[data-role=alert-banner]");
  if (!box) return;
  const locale = state.ctx.locale;
  const critical = state.alerts.filter((a) => a && a.severity === "critical" && !a.acked_by);
  box.hidden = critical.length === 0;
  box.dataset.alerts = critical.map((a) => a.id).join(" ");
  box.textContent = critical.map((a) => {
    const message = a.message || {};
    return "⚠ " + (message[locale] || message.vi || message.en || a.rule);
  }).join("   ·   ");
}

export function showLink() {
  if (!state.root) return;
  const link = state.linkUp ? (state.redisUp ? "up" : "source-down") : state.first ? "first" : "down";
  state.root.dataset.link = link;
  const dot = state.root.querySelector("[data-role=link]");
  if (dot) dot.dataset.state = link;
  const banner = state.root.querySelector("[data-role=banner]");
  if (banner) {
    banner.hidden = link === "up" || link === "first";
    banner.textContent = link === "down" ? state.ctx.msg("link_down") : state.ctx.msg("source_down");
  }
  showAlerts();
  updateFreshness();
}
