/* opswall wall-screen client.
 *
 * One websocket per screen. Entries are applied in requestAnimationFrame straight to the tiles'
 * leaf elements: no server callback and no React re-render per update (Dash only renders the
 * layout). Tile types register in window.opswallTiles (see opswall/tiles/*.js).
 *
 * Guarantees: an entry is applied at most once (ids are compared per feed); after any disconnect
 * the client reconnects with backoff and jitter, forever, and resumes from the last ids it applied,
 * unless the gateway refuses the screen (close code 4403): then it says "not authorised" and stops.
 * A tile that throws is marked in error and never stops the others (issue 17).
 */
(function () {
  "use strict";

  var HEARTBEAT_TIMEOUT_MS = 7000;
  var BACKOFF_MIN_MS = 300;
  var BACKOFF_MAX_MS = 10000;
  var TICK_MS = 500;
  var RELOAD_AFTER_DOWN_MS = 10 * 60 * 1000;
  var REFUSED = 4403; // the gateway's close code for who it will not serve (token revoked, no access)
  var HISTORY_MAX = 4000;
  var HISTORY_MIN = 50;

  var state = {
    root: null, rev: null, screen: null, meta: {}, ctx: null,
    ws: null, attempt: 0, reconnectTimer: null, lastFrameAt: 0, downSince: Date.now(),
    linkUp: false, redisUp: true, unreachable: {}, skewMs: 0, refused: false,
    lastIds: {}, history: {}, tiles: [], tilesByFeed: {}, dirty: new Set(), frameRequested: false,
    view: null, alerts: [], relayoutAt: 0, relayouts: 0, trace: [],
    bench: /[?&]bench\b/.test(location.search), latencies: [], pendingLatency: [], applied: 0,
    redundant: 0, trail: {}, // bench: entries dropped as already applied; ids applied per feed
  };
  window.opswall = state; // inspected by tests and the bench harness
  var fleet = window.opswallFleetClient && window.opswallFleetClient(state, function (frame) { // fleet (issue 21)
    if (state.ws && state.ws.readyState === 1 && state.linkUp) state.ws.send(JSON.stringify(frame));
  }); // fleet (issue 21)
  var jsonCache = {};
  // Static JSON from the wall's own server (shapes, name tables), fetched once per page.
  state.fetchJson = function (url) {
    if (!jsonCache[url]) jsonCache[url] = fetch(url).then(function (r) { return r.json(); });
    return jsonCache[url];
  };

  // -- helpers -------------------------------------------------------------------------------
  function parseId(id) {
    var dash = id.indexOf("-");
    return dash < 0 ? [Number(id), 0] : [Number(id.slice(0, dash)), Number(id.slice(dash + 1))];
  }
  function isAfter(id, ref) {
    if (ref === undefined || ref === null) return true;
    var a = parseId(id), b = parseId(ref);
    return a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]);
  }
  function serverNow() { return Date.now() + state.skewMs; }

  // Formatting for the wall's locale, or for a tile that overrides it (data-locale). Every
  // formatter is total: a value it cannot show (a time out of range or not a date, NaN, text
  // where a number belongs) comes out as INVALID, never as an exception (issue 17).
  var INVALID = "—";
  var NUMERIC = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/; // the feed contract's numbers
  var MAX_TIME_MS = 8.64e15; // the range of a JavaScript Date
  function isTime(ms) { return typeof ms === "number" && Math.abs(ms) <= MAX_TIME_MS; }
  function numberOf(value) {
    var n = typeof value === "string" && NUMERIC.test(value) ? Number(value) : value;
    return typeof n === "number" && isFinite(n) ? n : null;
  }
  function isoOf(ms) { return isTime(ms) ? new Date(ms).toISOString() : ""; }

  function makeContext(root, override) {
    var tz = root.dataset.tz, locale = root.dataset.locale;
    var messages = JSON.parse(root.dataset.messages || "{}");
    var numberLocale = root.dataset.numberLocale || "en-US";
    var other = override && override !== locale ? JSON.parse(root.dataset.catalogs || "{}")[override] : null;
    if (other) { locale = override; messages = other.messages; numberLocale = other.number_locale; }
    var formats = {};
    var timeFmt = new Intl.DateTimeFormat(numberLocale, {
      timeZone: tz, hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
    });
    var dayFmt = new Intl.DateTimeFormat(numberLocale, { timeZone: tz, day: "2-digit", month: "2-digit", year: "numeric" });
    var whenFmt = new Intl.DateTimeFormat(numberLocale, {
      timeZone: tz, day: "2-digit", month: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    });
    // ICU writes vi-VN day and month as "06-10": a Vietnamese reader writes 06/10 (issue 18).
    function dayAndTime(ms) {
      if (locale !== "vi") return whenFmt.format(ms);
      var p = {};
      whenFmt.formatToParts(ms).forEach(function (part) { p[part.type] = part.value; });
      return p.hour + ":" + p.minute + " " + p.day + "/" + p.month;
    }
    var relative = new Intl.RelativeTimeFormat(numberLocale, { numeric: "always", style: "short" });
    function numberFormat(decimals) {
      var fixed = typeof decimals === "number" && decimals >= 0 && decimals <= 20 ? Math.floor(decimals) : null;
      var key = fixed === null ? "auto" : String(fixed);
      if (!formats[key]) {
        formats[key] = new Intl.NumberFormat(numberLocale, fixed === null
          ? { maximumFractionDigits: 2 }
          : { minimumFractionDigits: fixed, maximumFractionDigits: fixed });
      }
      return formats[key];
    }
    return {
      locale: locale, tz: tz, numberLocale: numberLocale, invalid: INVALID,
      msg: function (key) { return messages[key] || key; },
      number: function (value, decimals) {
        var n = numberOf(value);
        return n === null ? INVALID : numberFormat(decimals).format(n);
      },
      time: function (ms) { return isTime(ms) ? timeFmt.format(ms) : INVALID; },
      // A moment that may be days old (a report's submission): the time today, else the date too.
      when: function (ms) {
        if (!isTime(ms)) return INVALID;
        var today = dayFmt.format(serverNow()) === dayFmt.format(ms);
        return today ? timeFmt.format(ms) : dayAndTime(ms);
      },
      // Numeric-looking text (a CSV adapter's "21.5") as the number it writes, else null.
      toNumber: numberOf,
      age: function (ms) {
        if (typeof ms !== "number" || !isFinite(ms)) return INVALID;
        var s = Math.max(0, Math.round(ms / 1000));
        if (s < 60) return relative.format(-s, "second");
        if (s < 3600) return relative.format(-Math.floor(s / 60), "minute");
        if (s < 86400) return relative.format(-Math.floor(s / 3600), "hour");
        return relative.format(-Math.floor(s / 86400), "day");
      },
      now: serverNow,
    };
  }

  // -- tiles ---------------------------------------------------------------------------------
  // Dash re-renders a screen when its layout changes: remount in the same task as React's
  // commit (a MutationObserver runs before paint), so no tile ever shows a blank value.
  var pageObserver = new MutationObserver(checkLayout);
  var revObserver = new MutationObserver(checkLayout);
  var observedPage = null;
  function observePage() {
    var page = document.getElementById("page");
    if (page && page !== observedPage) {
      pageObserver.disconnect();
      pageObserver.observe(page, { childList: true });
      observedPage = page;
    }
  }

  // Timestamps of the view path (frame in, relayout asked, tiles mounted), for the benchmarks.
  function mark(what) {
    state.trace.push([what, performance.timeOrigin + performance.now()]);
    if (state.trace.length > 64) state.trace.shift();
  }

  function mountTiles(root) {
    mark("mount");
    revObserver.disconnect();
    revObserver.observe(root, { attributes: true, attributeFilter: ["data-rev"] });
    state.root = root;
    state.rev = root.dataset.rev;
    state.screen = root.dataset.screen;
    state.meta = JSON.parse(root.dataset.feeds || "{}");
    state.ctx = makeContext(root);
    // Tiles of the page being replaced let go of what they hold (video sessions).
    state.tiles.forEach(function (tile) { callHook(tile, "unmount"); });
    resized.disconnect(); // the replaced page's tiles and boxes
    state.tiles = [];
    state.tilesByFeed = {};
    state.mountedGrids = new Set();
    var shown = gridOf(root.dataset.layout);
    if (shown) mountGrid(shown);
    requestFrame();
  }

  function gridOf(layout) {
    var grids = state.root ? state.root.querySelectorAll(".wall-grid") : [];
    for (var i = 0; i < grids.length; i++) if (grids[i].dataset.layout === layout) return grids[i];
    return null;
  }

  // Tiles of a layout are mounted when it is first shown (charts need their real size).
  function mountGrid(grid) {
    if (state.mountedGrids.has(grid)) return;
    state.mountedGrids.add(grid);
    var registry = window.opswallTiles || {};
    grid.querySelectorAll("[data-tile]").forEach(function (el) {
      var impl = registry[el.dataset.tileType];
      if (!impl) { console.warn("opswall: no client for tile type", el.dataset.tileType); return; }
      var tile = mountTile(impl, el, grid);
      state.tiles.push(tile);
      tile.feeds.forEach(function (feed) {
        (state.tilesByFeed[feed] || (state.tilesByFeed[feed] = [])).push(tile);
      });
      // A re-rendered layout gets back everything already received: no live value is lost.
      tile.feeds.forEach(function (feed) {
        (state.history[feed] || []).forEach(function (entry) { callHook(tile, "push", [feed, entry]); });
      });
      state.dirty.add(tile);
      callHook(tile, "vars", [JSON.parse(state.root.dataset.vars || "{}")]);
      callHook(tile, "visible", [!grid.hidden]);
    });
  }

  // The tile contract: mount(el, options, ctx, guard) returns an object with push(feed, entry)
  // and render(), and optionally tick(now), visible(shown), vars(vars), follow(key), unmount().
  // Work a tile does later on its own (a timer, a promise, an observer) goes through
  // guard(name, fn), which isolates it as the core's calls are. A tile that breaks the contract,
  // or whose mount throws, stays on the page marked in error.
  var REQUIRED_HOOKS = ["push", "render"];
  function mountTile(impl, el, grid) {
    var options = JSON.parse(el.dataset.client || "{}");
    var tileCtx = el.dataset.locale ? makeContext(state.root, el.dataset.locale) : state.ctx;
    var made = null, failure = null, mounted = null;
    function guard(name, fn) {
      return function () { if (mounted) runHook(mounted, name, fn, this, arguments); else fn.apply(this, arguments); };
    }
    try { made = impl.mount(el, options, tileCtx, guard); } catch (err) { failure = err; }
    var missing = REQUIRED_HOOKS.filter(function (hook) { return !made || typeof made[hook] !== "function"; });
    if (!failure && missing.length) failure = new TypeError("tile contract: no " + missing.join(", "));
    var tile = failure ? {} : made;
    Object.assign(tile, {
      ctx: tileCtx, el: el, grid: grid, options: options, failures: {},
      feeds: Array.isArray(tile.feeds) ? tile.feeds : [],
      lastFresh: null, lastAsof: null, lastFailure: "", ageText: null,
      ageEl: el.querySelector("[data-role=age]"),
    });
    if (failure) tileFailed(tile, "mount", failure);
    mounted = tile;
    el.__opswallTile = tile;
    resized.observe(el);
    return tile;
  }

  // -- tile isolation ------------------------------------------------------------------------
  // One tile that cannot draw must never stop the screen (issue 17). The core calls every tile
  // hook through callHook: a throw is recorded on that tile (its freshness turns to "error", its
  // last good figure stays, the reason goes to its tooltip and to state.errors) and the caller
  // carries on with the next tile. A hook's failure lasts until that hook next succeeds: a tile
  // is live again once a later entry is pushed and rendered without a throw.
  var ERRORS_MAX = 100;
  state.errors = []; // newest last: {tile, hook, reason, at}; read by tests and from devtools

  function callHook(tile, hook, args) {
    if (typeof tile[hook] === "function") runHook(tile, hook, tile[hook], tile, args || []);
  }

  function runHook(tile, name, fn, self, args) {
    try {
      fn.apply(self, args);
    } catch (err) {
      tileFailed(tile, name, err);
      return;
    }
    if (tile.failures[name]) delete tile.failures[name];
  }

  function tileFailed(tile, hook, err) {
    var reason = describeError(err), id = tile.el.dataset.tile;
    if (!Object.keys(tile.failures).length) console.error("opswall: tile " + id + " " + hook + ": " + reason);
    tile.failures[hook] = reason;
    state.errors.push({ tile: id, hook: hook, reason: reason, at: Date.now() });
    if (state.errors.length > ERRORS_MAX) state.errors.splice(0, state.errors.length - ERRORS_MAX);
    updateTile(tile, serverNow()); // at once: not "live" until the next tick
  }

  function describeError(err) {
    try {
      var text = err instanceof Error ? err.name + ": " + err.message : "thrown: " + String(err);
      return text.slice(0, 300);
    } catch (unprintable) {
      return "an error that cannot be printed";
    }
  }

  function failureOf(tile) {
    var hook = Object.keys(tile.failures)[0];
    return hook ? hook + ": " + tile.failures[hook] : "";
  }

  function isShown(tile) { return !tile.grid.hidden; }

  function checkLayout() {
    if (state.refused) return;
    observePage();
    var root = document.getElementById("wall-screen");
    if (!root) return;
    if (root !== state.root || root.dataset.rev !== state.rev) {
      var first = state.root === null;
      var feedsBefore = JSON.stringify(Object.keys(state.meta).sort());
      mountTiles(root);
      showLink();
      if (first) connect();
      else if (JSON.stringify(Object.keys(state.meta).sort()) !== feedsBefore) subscribe();
      followView();
    }
  }

  // The page shows other tiles now: tell the gateway which feeds, and from where to resume.
  function subscribe() {
    if (!state.ws || state.ws.readyState !== 1 || !state.linkUp) return; // the next hello says it
    state.ws.send(JSON.stringify({ type: "sub", feeds: Object.keys(state.meta), last: lastIdsOfPage() }));
  }

  function lastIdsOfPage() {
    var last = {};
    Object.keys(state.meta).forEach(function (feed) {
      if (state.lastIds[feed]) last[feed] = state.lastIds[feed];
    });
    return last;
  }

  // The gateway says what this screen shows; re-render when the page shows something else.
  function followView() {
    var view = state.view;
    if (!view || !state.root) return;
    if (view.key === state.root.dataset.viewKey && view.rev === state.root.dataset.rev) return;
    var grid = gridOf(view.layout);
    if (grid && grid.dataset.rev === view.rev) { switchLocally(view, grid); return; }
    var now = Date.now();
    if (now - state.relayoutAt < 250) { setTimeout(followView, 260); return; } // one at a time
    state.relayoutAt = now;
    state.relayouts++;
    mark("relayout");
    relayout(view.key + ":" + view.rev + ":" + state.relayouts);
  }

  // The page already holds the layout: show it, focus, move highlights. No server round trip.
  function switchLocally(view, grid) {
    var root = state.root;
    root.querySelectorAll(".wall-grid").forEach(function (g) {
      if (g !== grid && !g.hidden) g.hidden = true;
      if (g.classList.contains("has-focus") && (g !== grid || !view.focus)) {
        g.classList.remove("has-focus");
        g.querySelectorAll(".is-focused").forEach(function (t) { t.classList.remove("is-focused"); });
      }
    });
    if (view.focus) {
      grid.classList.add("has-focus");
      grid.querySelectorAll("[data-tile]").forEach(function (t) {
        t.classList.toggle("is-focused", t.dataset.tile === view.focus);
      });
    }
    grid.hidden = false;
    mountGrid(grid);
    var scenes = JSON.parse(root.dataset.scenes || "{}");
    var badges = { "takeover-badge": !!view.takeover, "focus-badge": !!view.focus && !view.takeover,
                   "scene-badge": !!view.scene };
    Object.keys(badges).forEach(function (role) {
      var badge = root.querySelector("[data-role=" + role + "]");
      if (badge) badge.hidden = !badges[role];
    });
    var sceneBadge = root.querySelector("[data-role=scene-badge]");
    if (sceneBadge) sceneBadge.textContent = view.scene ? scenes[view.scene] || view.scene : "";
    root.classList.remove("wall-normal", "wall-focus", "wall-takeover");
    root.classList.add(view.takeover ? "wall-takeover" : view.focus ? "wall-focus" : "wall-normal");
    applyVars(view.vars || {});
    root.dataset.layout = view.layout;
    root.dataset.scene = view.scene || "";
    root.dataset.focus = view.focus || "";
    root.dataset.takeover = view.takeover || "";
    root.dataset.vars = JSON.stringify(view.vars || {});
    root.dataset.rev = view.rev;
    state.rev = view.rev;
    root.dataset.viewKey = view.key;
    mark("switched");
    state.tiles.forEach(function (tile) {
      if (tile.grid === grid) state.dirty.add(tile);
      callHook(tile, "visible", [!tile.grid.hidden]);
    });
    updateFreshness();
    requestFrame();
  }

  function applyVars(vars) {
    state.tiles.forEach(function (tile) {
      if (tile.vars) { callHook(tile, "vars", [vars]); return; }
      var name = tile.el.dataset.follows;
      if (!name || !tile.follow) return;
      var value = vars[name];
      var wanted = value === undefined || value === null ? tile.options.highlight_default : String(value);
      if (wanted !== tile.options.highlight) callHook(tile, "follow", [wanted]);
    });
  }

  function showAlerts() {
    var box = state.root && state.root.querySelector("[data-role=alert-banner]");
    if (!box) return;
    var ctx = state.ctx, locale = ctx.locale;
    var critical = state.alerts.filter(function (a) { return a && a.severity === "critical" && !a.acked_by; });
    box.hidden = critical.length === 0;
    box.dataset.alerts = critical.map(function (a) { return a.id; }).join(" ");
    box.textContent = critical.map(function (a) {
      var message = a.message || {};
      return "⚠ " + (message[locale] || message.vi || message.en || a.rule);
    }).join("   ·   ");
  }

  function applyEntries(entries) {
    for (var i = 0; i < entries.length; i++) {
      var e = entries[i], feed = e[0], entry = { id: e[1], asof: e[2], fields: e[3] };
      if (!isAfter(entry.id, state.lastIds[feed])) { state.redundant++; continue; } // already applied
      state.lastIds[feed] = entry.id;
      if (state.bench) (state.trail[feed] || (state.trail[feed] = [])).push(entry.id);
      var history = state.history[feed] || (state.history[feed] = []);
      history.push(entry);
      trimHistory(history, feed, entry.asof);
      state.applied++;
      var readers = state.tilesByFeed[feed] || [];
      for (var t = 0; t < readers.length; t++) { callHook(readers[t], "push", [feed, entry]); state.dirty.add(readers[t]); }
      if (state.bench && entry.fields.sent !== undefined) state.pendingLatency.push(entry.fields.sent);
    }
    requestFrame();
  }

  // A page keeps what its tiles look back at (keep_ms, the longest chart or sparkline window
  // on it), at least HISTORY_MIN entries and at most HISTORY_MAX: memory stays flat for weeks.
  function trimHistory(history, feed, newestAsof) {
    var keepMs = (state.meta[feed] || {}).keep_ms;
    var drop = Math.max(0, history.length - HISTORY_MAX);
    if (keepMs !== undefined) {
      while (drop < history.length - HISTORY_MIN && history[drop].asof < newestAsof - keepMs) drop++;
    }
    if (drop) history.splice(0, drop);
  }

  // Each tile's text takes the largest size that fits (fit.js): in full when the tile is first
  // painted or it or one of its fit boxes is resized (a title narrows as its age text grows),
  // else only when a box's content changed shape.
  var resized = new ResizeObserver(function (records) {
    records.forEach(function (record) {
      var tile = record.target.__opswallTile;
      if (tile) { tile.refit = true; state.dirty.add(tile); }
    });
    requestFrame();
  });
  function fit(tile) {
    var force = tile.refit !== false;
    tile.refit = false;
    runHook(tile, "fit", function () {
      window.opswallFit.fitTile(tile.el, force).forEach(function (box) {
        if (box.__opswallTile !== tile) { box.__opswallTile = tile; resized.observe(box); }
      });
    }, tile, []);
  }
  if (document.fonts) document.fonts.ready.then(function () {
    state.tiles.forEach(function (tile) { tile.refit = true; state.dirty.add(tile); });
    requestFrame();
  });

  function requestFrame() {
    if (state.frameRequested) return;
    state.frameRequested = true;
    requestAnimationFrame(paint);
  }

  function paint() {
    state.frameRequested = false;
    var now = serverNow();
    var dirty = state.dirty;
    state.dirty = new Set();
    dirty.forEach(function (tile) {
      if (isShown(tile)) { callHook(tile, "render"); updateTile(tile, now); }
      else state.dirty.add(tile); // painted when shown
    });
    // Measured after every tile has written: one layout for the frame, not one per tile.
    dirty.forEach(function (tile) { if (isShown(tile)) fit(tile); });
    if (state.bench && state.pendingLatency.length) {
      var painted = performance.timeOrigin + performance.now();
      state.pendingLatency.forEach(function (sent) { state.latencies.push(painted - sent); });
      state.pendingLatency = [];
    }
  }

  // -- freshness -----------------------------------------------------------------------------
  function latestOf(feed) {
    var h = state.history[feed];
    return h && h.length ? h[h.length - 1] : null;
  }

  function freshnessOf(tile, now) {
    if (!state.linkUp || !state.redisUp) return ["down", oldestAsof(tile)];
    var fresh = "live";
    for (var i = 0; i < tile.feeds.length; i++) {
      if (state.unreachable[tile.feeds[i]]) return ["down", oldestAsof(tile)];
      var latest = latestOf(tile.feeds[i]);
      var meta = state.meta[tile.feeds[i]] || {};
      if (!latest || now - latest.asof > meta.stale_ms) fresh = "stale";
    }
    return [fresh, oldestAsof(tile)];
  }

  function oldestAsof(tile) {
    var oldest = null;
    tile.feeds.forEach(function (feed) {
      var latest = latestOf(feed);
      if (latest && (oldest === null || latest.asof < oldest)) oldest = latest.asof;
    });
    return oldest;
  }

  // Freshness of every tile is refreshed on the tick; a painted tile's right away.
  function updateFreshness() {
    var now = serverNow();
    state.tiles.forEach(function (tile) {
      if (!isShown(tile)) return;
      callHook(tile, "tick", [now]);
      updateTile(tile, now);
    });
  }

  function updateTile(tile, now) {
    var ctx = tile.ctx;
    var result = freshnessOf(tile, now), fresh = result[0], asof = result[1];
    var failure = failureOf(tile);
    if (failure) fresh = "error"; // never "live" over figures the tile could not draw
    if (fresh !== tile.lastFresh) { tile.el.dataset.fresh = fresh; tile.lastFresh = fresh; }
    if (failure !== tile.lastFailure) {
      if (failure) tile.el.title = ctx.msg("tile_error") + " · " + failure;
      else tile.el.removeAttribute("title");
      tile.lastFailure = failure;
    }
    if (asof !== tile.lastAsof) { tile.el.dataset.asof = isoOf(asof); tile.lastAsof = asof; }
    if (!tile.ageEl) return;
    var text = ageText(tile, fresh, asof, now);
    if (tile.ageText !== text) { tile.ageEl.textContent = text; tile.ageText = text; }
  }

  function ageText(tile, fresh, asof, now) {
    var ctx = tile.ctx, age = asof === null ? "" : " · " + ctx.age(now - asof);
    if (fresh === "error") return "⚠ " + ctx.msg("tile_error") + age;
    if (tile.feeds.length && asof === null) return ctx.msg("no_data");
    if (asof === null) return "";
    if (fresh === "live") return ctx.age(now - asof);
    var why = fresh === "down" && state.linkUp ? "no_source" : "stale";
    return "⚠ " + ctx.msg(why) + age;
  }

  // Feeds the gateway cannot read while Redis answers for the rest (a cluster node down): their
  // tiles show as down, the others keep being judged by their age. True if the set changed.
  function setUnreachable(feeds) {
    var next = {};
    (feeds || []).forEach(function (feed) { next[feed] = true; });
    var changed = Object.keys(next).sort().join() !== Object.keys(state.unreachable).sort().join();
    state.unreachable = next;
    return changed;
  }

  function showLink() {
    if (!state.root) return;
    var link = state.linkUp ? (state.redisUp ? "up" : "source-down") : "down";
    state.root.dataset.link = link;
    var dot = state.root.querySelector("[data-role=link]");
    if (dot) dot.dataset.state = link;
    var banner = state.root.querySelector("[data-role=banner]");
    if (banner) {
      banner.hidden = link === "up";
      banner.textContent = link === "down" ? state.ctx.msg("link_down") : state.ctx.msg("source_down");
    }
    showAlerts();
    updateFreshness();
  }

  // -- socket --------------------------------------------------------------------------------
  function gatewayUrl() {
    var gw = state.root.dataset.gateway || "";
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var base = gw.charAt(0) === ":" ? scheme + location.hostname + gw : gw.replace(/\/$/, "");
    return base + "/ws/" + encodeURIComponent(state.screen);
  }

  function connect() {
    clearTimeout(state.reconnectTimer);
    if (state.refused) return;
    var ws;
    try { ws = new WebSocket(gatewayUrl()); } catch (err) { scheduleReconnect(); return; }
    state.ws = ws;
    ws.onopen = function () {
      credentials().then(function (cred) {
        if (ws !== state.ws || ws.readyState !== 1) return;
        var hello = { type: "hello", rev: state.rev, last: lastIdsOfPage(), feeds: Object.keys(state.meta) };
        ws.send(JSON.stringify(Object.assign(hello, cred)));
      }).catch(function () { ws.close(); });
    };
    ws.onmessage = function (event) {
      if (ws !== state.ws) return;
      state.lastFrameAt = Date.now();
      var message;
      try { message = JSON.parse(event.data); } catch (err) { return; }
      handle(message);
    };
    ws.onclose = function (event) {
      if (ws !== state.ws) return;
      if (event.code === REFUSED) refused(); else linkLost();
    };
    ws.onerror = function () { /* onclose follows */ };
  }

  // A wall screen presents its device token; a signed-in person a one-time ticket.
  function credentials() {
    if (state.root.dataset.token) return Promise.resolve({ token: state.root.dataset.token });
    return fetch("/api/ticket", { method: "POST", credentials: "same-origin",
                                  headers: { "X-CSRF-Token": state.root.dataset.csrf || "" } })
      .then(function (r) { if (!r.ok) throw new Error("ticket " + r.status); return r.json(); })
      .then(function (grant) { return { ticket: grant.ticket }; });
  }

  function handle(message) {
    if (message.now) state.skewMs = message.now - Date.now();
    if (fleet && fleet.handle(message)) return; // fleet (issue 21): identify, reload
    if (message.type === "welcome") {
      state.linkUp = true; state.attempt = 0; state.redisUp = message.redis;
      setUnreachable(message.unreachable);
      showLink();
    } else if (message.type === "data") {
      applyEntries(message.entries);
    } else if (message.type === "hb") {
      var reach = setUnreachable(message.unreachable);
      if (message.redis !== state.redisUp) { state.redisUp = message.redis; showLink(); }
      else if (reach) updateFreshness();
    } else if (message.type === "view") {
      mark("view");
      state.view = message.view;
      state.alerts = message.alerts || [];
      showAlerts();
      followView();
    }
  }

  function relayout(rev) {
    // Ask Dash to re-render the page; checkLayout() remounts the tiles when it lands.
    if (window.dash_clientside && window.dash_clientside.set_props) {
      window.dash_clientside.set_props("layout-rev", { data: rev });
    } else {
      location.reload();
    }
  }

  function linkLost() {
    if (state.linkUp) state.downSince = Date.now();
    state.linkUp = false;
    state.ws = null;
    showLink();
    scheduleReconnect();
  }

  function scheduleReconnect() {
    clearTimeout(state.reconnectTimer);
    var base = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * Math.pow(2, state.attempt));
    state.attempt++;
    state.reconnectTimer = setTimeout(connect, base * (0.5 + Math.random() * 0.5));
  }

  function reconnect(delay) {
    var ws = state.ws;
    state.ws = null;
    if (ws) { ws.onclose = null; ws.close(); }
    clearTimeout(state.reconnectTimer);
    state.reconnectTimer = setTimeout(connect, delay);
  }

  // The gateway refused this screen (its token revoked, or not valid for it): show what a first
  // load with that token shows (README: within 5 s), in the wall's language, and stop. Nothing
  // of the screen stays visible and no retry can help: a new device link can.
  function refused() {
    state.refused = true;
    state.ws = null;
    state.linkUp = false;
    clearTimeout(state.reconnectTimer);
    pageObserver.disconnect();
    revObserver.disconnect();
    state.tiles.forEach(function (tile) { callHook(tile, "unmount"); }); // video sessions end
    state.tiles = []; state.tilesByFeed = {}; state.history = {}; state.dirty = new Set();
    var box = document.createElement("div"), heading = document.createElement("h1");
    var text = document.createElement("p");
    box.className = "message";
    box.dataset.role = "message";
    box.lang = state.ctx.locale;
    heading.textContent = "403"; // as the server's own page says it
    text.textContent = state.ctx.msg("not_authorised");
    box.append(heading, text);
    document.body.appendChild(box);
    document.documentElement.classList.add("wall-refused");
  }

  function watchdog() {
    if (state.refused) return;
    checkLayout();
    if (!state.root) return;
    var now = Date.now();
    if (state.ws && state.linkUp && now - state.lastFrameAt > HEARTBEAT_TIMEOUT_MS) {
      // Heartbeats stopped: the link is dead even if the socket has not noticed yet.
      var ws = state.ws;
      state.ws = null;
      ws.onclose = null;
      try { ws.close(); } catch (err) { /* already closed */ }
      linkLost();
    }
    if (!state.linkUp && now - state.downSince > RELOAD_AFTER_DOWN_MS) {
      // Long outage: reload only once the web server answers, so no error page ever shows.
      fetch("/healthz", { cache: "no-store" }).then(function (r) {
        if (r.ok) location.reload();
      }).catch(function () {});
      state.downSince = now;
    }
    updateFreshness();
  }

  setInterval(watchdog, TICK_MS);
  document.addEventListener("DOMContentLoaded", checkLayout);
})();
