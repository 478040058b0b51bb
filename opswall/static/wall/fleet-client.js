/* The wall page's part in the screen fleet (issue 21): it reports itself over its socket every
 * few seconds, shows the identify overlay, and reloads when the gateway asks (at once for an
 * operator; at a quiet moment for a new page build).
 *
 * Self-contained: `startFleetClient(state, send)` takes the page's state object
 * (window.opswall: root, screen, rev, applied, view, dirty, linkUp) and a function that sends
 * one frame over the socket when it is up, and answers `{ handle(message) }`: true for the
 * frames it owns. link.js starts it and hands it the frames it receives.
 *
 * Cheap by design: one timer every REPORT_EVERY_MS, whose report is sent from the next animation
 * frame (the proof that the page still paints: paint_age is then about 0); if
 * no frame came by the next tick, the report goes from the timer with the age since the last
 * one. No DOM reads beyond a few data attributes, and nothing that runs without sending
 * (issue 22). A framed page (a mirror, an iframe tile) is not a device and never reports.
 */
const REPORT_EVERY_MS = 5000; // the gateway's fleet expects one per 5 s (control/fleet.py)
const QUIET_CHECK_MS = 1000;
const QUIET_GIVE_UP_MS = 5 * 60 * 1000; // a page never quiet reloads anyway after this
const MAX_PANES = 32; // the gateway refuses a report naming more (protocol.REPORT_PANES)

// Tasks over 50 ms (the Long Tasks API, Chromium): counted and summed between reports; a
// browser without it reports none.
function watchLongTasks() {
  var seen = { count: 0, ms: 0 };
  var types = (window.PerformanceObserver && PerformanceObserver.supportedEntryTypes) || [];
  if (types.indexOf("longtask") < 0) return seen;
  new PerformanceObserver(function (list) {
    list.getEntries().forEach(function (entry) { seen.count++; seen.ms += entry.duration; });
  }).observe({ type: "longtask" });
  return seen;
}

// The page's video panes (video-panes.js publishes its list on window; a page with no pane
// never loads that module), as the report names them.
export function paneStates(video) {
  if (!video) return [];
  return video.panes().slice(0, MAX_PANES).map(function (pane) {
    return {
      tile: String((pane.owner && pane.owner.tile) || "").slice(0, 100),
      site: String(pane.source.site || "").slice(0, 100),
      state: pane.state,
    };
  });
}

export function startFleetClient(state, send) {
  var paintedAt = Date.now(), frames = 0, errors = 0, applied = state.applied || 0;
  var overlay = null, overlayTimer = null, reloading = false, longTasks = watchLongTasks();

  window.addEventListener("error", function () { errors++; });
  window.addEventListener("unhandledrejection", function () { errors++; });

  var asked = 0; // when the pending frame was asked for (0: none pending)

  function tick() {
    if (!state.root || !state.linkUp) { asked = 0; return; } // nothing to send it over
    if (asked) { report(); asked = 0; } // no frame since the last tick: the page does not paint
    asked = Date.now();
    requestAnimationFrame(function () {
      if (!asked) return;
      paintedAt = Date.now(); frames++; asked = 0;
      report();
    });
  }

  function report() {
    var root = state.root;
    if (!root || !state.linkUp) return;
    var memory = performance.memory; // Chromium only
    send({
      type: "report",
      screen: state.screen || root.dataset.screen || "",
      view: root.dataset.viewKey || "",
      layout: root.dataset.layout || "",
      rev: state.rev || "",
      paint_age: Math.max(0, Date.now() - paintedAt),
      frames: frames,
      updates: Math.max(0, (state.applied || 0) - applied),
      errors: errors,
      heap: memory ? memory.usedJSHeapSize : null,
      viewport: [window.innerWidth, window.innerHeight],
      dpr: window.devicePixelRatio || 1,
      build: root.dataset.build || "",
      link: root.dataset.link || "",
      long_tasks: longTasks.count,
      long_task_ms: Math.round(longTasks.ms),
      panes: paneStates(window.opswallVideo),
    });
    frames = 0;
    longTasks.count = 0;
    longTasks.ms = 0;
    applied = state.applied || 0;
  }

  function identify(message) {
    if (overlay) overlay.remove();
    clearTimeout(overlayTimer);
    overlay = document.createElement("div");
    overlay.dataset.role = "identify";
    overlay.setAttribute("role", "status");
    overlay.style.cssText = "position:fixed;inset:0;z-index:9999;display:flex;flex-direction:column;" +
      "align-items:center;justify-content:center;background:rgba(0,0,0,.85);color:#fff;" +
      "font:700 12vmin/1.1 sans-serif;text-align:center";
    var id = document.createElement("div"), label = document.createElement("div");
    id.textContent = message.screen;
    label.textContent = message.device;
    label.style.fontSize = "6vmin";
    overlay.append(id, label);
    document.body.appendChild(overlay);
    overlayTimer = setTimeout(function () { overlay.remove(); overlay = null; }, message.for_ms);
  }

  // A new build waits for a moment nobody would miss: no alert takeover on the screen and
  // nothing waiting to be painted.
  function quiet() {
    var view = state.view || {};
    return !view.takeover && (!state.dirty || state.dirty.size === 0);
  }

  function reloadWhenQuiet(asked) {
    if (quiet() || Date.now() - asked > QUIET_GIVE_UP_MS) { location.reload(); return; }
    setTimeout(function () { reloadWhenQuiet(asked); }, QUIET_CHECK_MS);
  }

  function handle(message) {
    if (message.type === "identify") { identify(message); return true; }
    if (message.type !== "reload") return false;
    if (reloading) return true;
    reloading = true;
    if (message.reason === "build") reloadWhenQuiet(Date.now());
    else location.reload();
    return true;
  }

  // A page framed in another (a mirror, an iframe tile) is not a device of its own.
  if (window.top === window) setInterval(tick, REPORT_EVERY_MS);
  return { handle: handle, report: report };
}
