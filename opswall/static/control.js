/* opswall leader's panel: scenes, a live miniature of the wall, focus, province drill-down,
 * rotation and warnings. Touch only: every control is a button (>= 64 px), nothing on hover, no
 * drag. Actions go to POST /api/control; the panel shows the wall state the gateway pushes, so
 * two panels always show the same thing (the last action wins). */
import { SEVERITIES, activeAlerts, countBySeverity, distinct } from "./lib/alerts.js";
import { backoff } from "./lib/backoff.js";
import { gatewayUrl } from "./lib/gateway.js";
import { emptyBox, featurePath, provinceName, viewBox } from "./lib/geo.js";
import { replayBox } from "./panel-replay.js";

var root = document.getElementById("panel");
var model = JSON.parse(root.dataset.model);
var M = model.messages;
var st = { state: null, views: {}, target: model.displays.length ? model.displays[0].id : null,
           ws: null, attempt: 0, sent: 0 };
window.opswallPanel = st; // inspected by tests and the bench harness

function el(tag, attrs, children) {
  var node = document.createElement(tag);
  Object.keys(attrs || {}).forEach(function (key) {
    if (key === "text") node.textContent = attrs[key];
    else if (key === "on") node.addEventListener("click", attrs[key]);
    else node.setAttribute(key, attrs[key]);
  });
  (children || []).forEach(function (child) { if (child) node.appendChild(child); });
  return node;
}

function send(action) {
  st.sent++;
  return fetch("/api/control", {
    method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": root.dataset.csrf },
    body: JSON.stringify(action),
  }).then(function (r) {
    if (r.status === 401) location.href = "/login?next=/control";
    return r.json();
  });
}

// -- layout ------------------------------------------------------------------------------
var lang = model.locale === "vi" ? "en" : "vi";
var top = el("div", { class: "p-top" }, [
  el("span", { class: "p-link", "data-role": "link" }),
  el("h1", { class: "p-wall", text: model.wall }),
  el("span", { class: "p-spacer" }),
  el("span", { class: "p-user", text: model.user.name + " · " + model.user.role_name }),
  el("a", { class: "p-btn p-secondary", href: "/control?lang=" + lang, text: lang.toUpperCase(),
            "data-role": "lang" }),
  el("button", { class: "p-btn p-secondary", text: M.panel_logout,
                 on: function () { document.getElementById("logout").submit(); } }),
]);

var sceneButtons = model.scenes.map(function (scene) {
  return el("button", { class: "p-btn", "data-scene": scene.id, text: scene.title,
                        on: function () { send({ action: "scene", scene: scene.id }); } });
});
var pauseButton = el("button", { class: "p-btn p-secondary", "data-role": "pause",
  on: function () { send({ action: st.state && st.state.paused_at_ms ? "resume" : "pause" }); } });
var releaseButton = el("button", { class: "p-btn p-secondary", "data-role": "release",
  text: M.panel_release, on: function () { send({ action: "release" }); } });
// Bridge points of the session: which one is large, whose sound the room hears.
var siteButtons = [];
var sitesBox = model.conferences.map(function (conf) {
  function pick(name, value) { send({ action: "drill", var: name, value: value }); }
  var rows = conf.sites.map(function (site) {
    var large = el("button", { class: "p-btn p-site", "data-large": site.id, "data-var": conf.large_var,
      text: site.name, on: function () {
        var current = st.state && st.state.vars ? st.state.vars[conf.large_var] : null;
        pick(conf.large_var, current === site.id ? null : site.id);
      } });
    var audio = el("button", { class: "p-btn p-secondary p-audio", "data-audio": site.id, "data-var": conf.audio_var,
      "aria-label": M.panel_audio + " " + site.name, text: M.panel_audio, on: function () {
        var current = st.state && st.state.vars ? st.state.vars[conf.audio_var] : null;
        pick(conf.audio_var, current === site.id ? null : site.id);
      } });
    siteButtons.push(large, audio);
    return el("div", { class: "p-site-row" }, [large, audio]);
  });
  var auto = el("button", { class: "p-btn p-secondary", "data-role": "sites-auto", text: M.panel_auto,
                            on: function () { pick(conf.large_var, null); } });
  var mute = el("button", { class: "p-btn p-secondary", "data-role": "mute-all", text: M.panel_mute_all,
                            on: function () { pick(conf.audio_var, null); } });
  return el("div", { class: "p-sites" }, rows.concat([el("div", { class: "p-row" }, [auto, mute])]));
});
var left = el("div", { class: "p-col" }, [
  el("h2", { text: M.panel_scenes })].concat(sceneButtons).concat([
  el("h2", { text: M.panel_rotation }), releaseButton, pauseButton]).concat(
  sitesBox.length ? [el("h2", { text: M.panel_sites })].concat(sitesBox) : []));

var targetButtons = model.displays.map(function (d) {
  return el("button", { class: "p-btn p-secondary p-target", "data-target": d.id, text: d.title,
                        on: function () { st.target = st.source = d.id; render(); } });
});
// Which screen's tiles are listed: a tap on a screen's card picks it (its own screen is the
// usual target; another one enlarges its tile elsewhere).
st.source = st.target;
var screensBox = el("div", { class: "p-screens" });
var tilesHead = el("h2", {});
var tilesBox = el("div", { class: "p-tiles" });
var center = el("div", { class: "p-col" }, [
  el("h2", { text: M.panel_wall }), screensBox,
  el("h2", { text: M.panel_focus_on }), el("div", { class: "p-targets" }, targetButtons),
  tilesHead, tilesBox,
  el("div", { class: "p-empty", text: M.panel_focus_hint }),
].concat(replayBox(el, M, model, function () { return st.source; })));

var mapBox = el("div", { class: "p-map", "data-role": "map" });
var provinceLabel = el("div", { class: "p-province", "data-role": "province" });
var provincesBox = el("div", { class: "p-provinces" }), provinceButtons = [];
var alertsBox = el("div", { class: "p-alerts", "data-role": "alerts" });
// What is alerting, told apart: the rules' warnings (a leader acknowledges them), then what the
// wall's alerts tiles show (the gateway sends the panel those feeds; lib/alerts.js reads them
// as the tiles do, so both lists say the same).
var wallAlertsHead = el("h2", { "data-role": "wall-alerts-head" });
var wallAlertsBox = el("div", { class: "p-alerts", "data-role": "wall-alerts" });
var wallAlerts = {};
Object.keys(model.alert_feeds).forEach(function (feed) { wallAlerts[feed] = activeAlerts(model.alert_feeds[feed]); });
var minuteFmt = new Intl.DateTimeFormat(model.locale === "vi" ? "vi-VN" : "en-GB",
  { timeZone: model.tz, hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
function minute(ms) { return minuteFmt.format(ms); }
// Warnings first: they ask for an answer; the province list below them is long.
var right = el("div", { class: "p-col" }, [
  el("h2", { text: M.panel_alerts }), alertsBox,
  wallAlertsHead, wallAlertsBox,
  el("h2", { text: M.panel_provinces }), mapBox, provinceLabel,
  el("button", { class: "p-btn p-secondary", "data-role": "clear-province", text: M.panel_clear_province,
                 on: function () { send({ action: "drill", var: model.drill_var, value: null }); } }),
  provincesBox,
]);
root.appendChild(top);
root.appendChild(el("div", { class: "p-main" }, [left, center, right]));

// -- the province map --------------------------------------------------------------------
var names = {}, paths = {};
fetch(model.shapes).then(function (r) { return r.json(); }).then(function (geo) {
  var box = emptyBox();
  var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  geo.features.forEach(function (f) {
    var code = String(f.id);
    names[code] = provinceName(f, model.locale);
    var path = document.createElementNS("http://www.w3.org/2000/svg", "path");
    path.setAttribute("d", featurePath(f, box));
    path.setAttribute("data-code", code);
    paths[code] = path;
    svg.appendChild(path);
  });
  svg.setAttribute("viewBox", viewBox(box));
  svg.setAttribute("aria-hidden", "true");
  mapBox.appendChild(svg);
  // The map shows where; the buttons pick (most provinces are far smaller than a finger).
  Object.keys(names).sort(function (a, b) { return names[a].localeCompare(names[b], model.locale); })
    .forEach(function (code) {
      provinceButtons.push(el("button", { class: "p-btn p-secondary p-pick", "data-province": code,
        text: names[code], on: function () {
          send({ action: "drill", var: model.drill_var, value: String(province()) === code ? null : code });
        } }));
    });
  provincesBox.replaceChildren.apply(provincesBox, provinceButtons);
  render();
});

// -- render the wall state ---------------------------------------------------------------
function viewOf(display) {
  return st.views[display.id] || { layout: display.id, source: "own", key: "" };
}

function layoutOf(view) {
  return model.layouts[view.layout] || { grid: { cols: 1, rows: 1 }, tiles: [], title: view.layout };
}

function focusOnTarget() {
  return st.state && st.state.focus ? st.state.focus[st.target] : null;
}

// A picture of what a screen shows: its tiles as shapes, the enlarged one lit. Not a control:
// at tablet size its cells are far smaller than a finger (the tiles are listed as buttons).
function picture(view, screen) {
  var layout = layoutOf(view), tiles = layout.tiles, grid = layout.grid;
  var slice = layout.span && screen ? layout.span.slices[screen] : null;
  if (view.focus) {
    tiles = tiles.filter(function (t) { return t.id === view.focus; });
    grid = { cols: 1, rows: 1 };
  }
  var mini = el("span", { class: "p-mini", "aria-hidden": "true" });
  mini.style.gridTemplateColumns = "repeat(" + grid.cols + ", minmax(0, 1fr))";
  mini.style.gridTemplateRows = "repeat(" + grid.rows + ", minmax(0, 1fr))";
  tiles.forEach(function (tile) {
    var cell = el("span", { class: "p-cell", "data-cell": tile.id });
    if (!view.focus) {
      cell.style.gridColumn = tile.at.col + " / span " + tile.at.w;
      cell.style.gridRow = tile.at.row + " / span " + tile.at.h;
    }
    mini.appendChild(cell);
  });
  return slice ? spanSlice(mini, layout.span, slice) : mini;
}

// A span's card (issue 23): the whole canvas's picture, moved and cut to this screen's slice.
function spanSlice(mini, span, slice) {
  var clip = el("span", { class: "p-mini p-mini-slice", "aria-hidden": "true", "data-span": "1" });
  mini.classList.add("p-mini-canvas");
  mini.style.width = (100 * span.w / slice[2]) + "%";
  mini.style.height = (100 * span.h / slice[3]) + "%";
  mini.style.left = (-100 * slice[0] / slice[2]) + "%";
  mini.style.top = (-100 * slice[1] / slice[3]) + "%";
  clip.appendChild(mini);
  return clip;
}

function screenCard(display) {
  var view = viewOf(display), layout = layoutOf(view);
  var scene = model.scenes.filter(function (s) { return s.id === view.scene; })[0];
  var label = view.source === "takeover" ? "⚠ " : view.source === "focus" ? M.focused + " · " : "";
  if (view.source === "schedule") label = M.scheduled + " · "; // issue 21: a schedule's scene
  var dim = view.care ? view.care.dim : 1;
  if (dim < 1) label = (dim === 0 ? M.dark : M.dimmed) + " · " + label; // its dim or off window
  // What it shows, when that is not simply its own layout: a scene, a takeover, a focus.
  var shows = scene ? scene.title : view.layout !== display.id ? layout.title : "";
  return el("button", { class: "p-screen", "data-screen": display.id, "data-source": view.source,
                        "data-dim": String(dim),
                        "data-layout": view.layout, "data-view-key": view.key,
                        "aria-pressed": String(display.id === st.source),
                        on: function () { st.source = display.id; render(); } }, [
    el("span", { class: "p-screen-name", text: display.title }),
    el("span", { class: "p-screen-scene", text: label + shows }),
    picture(view, display.id),
  ]);
}

// The tiles of the chosen screen's view, one finger-sized button each: tap to enlarge it on
// the target screen, tap the enlarged one to return.
function tileButtons() {
  var display = model.displays.filter(function (d) { return d.id === st.source; })[0];
  if (!display) return [];
  var view = viewOf(display), focus = focusOnTarget();
  var tiles = layoutOf(view).tiles.filter(function (t) { return !view.focus || t.id === view.focus; });
  tilesBox.dataset.screen = display.id;
  tilesHead.textContent = M.panel_tiles_of + " " + display.title;
  return tiles.map(function (tile) {
    var pressed = view.focus === tile.id ||
      !!(focus && focus.layout === view.layout && focus.tile === tile.id);
    return el("button", { class: "p-btn p-secondary p-tile", "data-tile": tile.id,
      "aria-pressed": String(pressed), text: tile.title, on: function () {
        if (view.focus) send({ action: "unfocus", screen: display.id });
        else if (pressed) send({ action: "unfocus", screen: st.target });
        else send({ action: "focus", screen: st.target, layout: view.layout, tile: tile.id });
      } });
  });
}

// The province the wall highlights: a leader's drill-down, else what the scene on the target
// screen sets (views carry both merged).
function province() {
  var view = st.views[st.target];
  if (view && view.vars && model.drill_var in view.vars) return view.vars[model.drill_var];
  return st.state && st.state.vars ? st.state.vars[model.drill_var] : null;
}

function alertCard(alert) {
  var text = alert.message[model.locale] || alert.message.vi || alert.message.en || alert.rule;
  var time = new Date(alert.raised_ms).toLocaleTimeString(model.locale === "vi" ? "vi-VN" : "en-US",
                                                          { timeZone: model.tz, hourCycle: "h23" });
  var children = [el("div", { class: "p-alert-msg", text: text }),
                  el("div", { class: "p-alert-meta", text: time + (alert.cleared ? " · ✓" : "") })];
  if (alert.acked_by) {
    children.push(el("div", { class: "p-alert-meta", text: M.panel_acked_by + " " + alert.acked_by }));
  } else {
    children.push(el("button", { class: "p-btn", "data-ack": alert.id, text: M.panel_ack,
      on: function () { send({ action: "ack", warning: alert.id }); } }));
  }
  return el("div", { class: "p-alert", "data-alert": alert.id, "data-severity": alert.severity }, children);
}

function wallAlertCard(alert) {
  var where = alert.area ? alert.area + " – " : "";
  return el("div", { class: "p-alert p-wall-alert", "data-severity": alert.severity }, [
    el("div", { class: "p-alert-msg" }, [el("span", { class: "p-sev", "aria-hidden": "true" }),
                                          document.createTextNode(where + alert.text)]),
    el("div", { class: "p-alert-meta", text: M["severity_" + alert.severity] + " · " + minute(alert.at) }),
  ]);
}

function renderWallAlerts() {
  var all = [];
  Object.keys(wallAlerts).forEach(function (feed) { all = all.concat(wallAlerts[feed].list()); });
  var alerts = distinct(all.sort(function (a, b) { return b.at - a.at; }));
  alerts.sort(function (a, b) { return SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || b.at - a.at; });
  var counts = countBySeverity(alerts).map(function (n, i) { return n ? n + " " + M["severity_" + SEVERITIES[i]] : ""; });
  wallAlertsHead.textContent = M.panel_wall_alerts + (alerts.length ? " · " + counts.filter(Boolean).join(", ") : "");
  wallAlertsBox.dataset.count = String(alerts.length);
  wallAlertsBox.replaceChildren.apply(wallAlertsBox, alerts.length ? alerts.map(wallAlertCard)
    : [el("div", { class: "p-empty", text: M.panel_no_wall_alerts })]);
}

function render() {
  var state = st.state || {};
  sceneButtons.forEach(function (b) { b.setAttribute("aria-pressed", String(state.scene === b.dataset.scene)); });
  pauseButton.textContent = state.paused_at_ms ? M.panel_resume : M.panel_pause;
  pauseButton.setAttribute("aria-pressed", String(!!state.paused_at_ms));
  targetButtons.forEach(function (b) { b.setAttribute("aria-pressed", String(b.dataset.target === st.target)); });
  screensBox.replaceChildren.apply(screensBox, model.displays.map(screenCard));
  tilesBox.replaceChildren.apply(tilesBox, tileButtons());
  var vars = state.vars || {};
  siteButtons.forEach(function (b) {
    var site = b.dataset.large || b.dataset.audio;
    b.setAttribute("aria-pressed", String(vars[b.dataset.var] === site));
  });
  var shown = province(), chosen = shown !== null && shown !== undefined ? String(shown) : null;
  Object.keys(paths).forEach(function (code) {
    paths[code].classList.toggle("chosen", chosen === code);
  });
  provinceButtons.forEach(function (b) { b.setAttribute("aria-pressed", String(b.dataset.province === chosen)); });
  provinceLabel.textContent = chosen !== null ? (names[chosen] || chosen) : "";
  var alerts = (state.warnings || []).filter(function (w) { return !(w.acked_by && w.cleared); });
  alertsBox.replaceChildren.apply(alertsBox, alerts.length ? alerts.map(alertCard)
    : [el("div", { class: "p-empty", text: M.panel_no_alerts })]);
  renderWallAlerts();
}

// -- the gateway socket ------------------------------------------------------------------
function connect() {
  fetch("/api/ticket", { method: "POST", credentials: "same-origin",
                         headers: { "X-CSRF-Token": root.dataset.csrf } })
    .then(function (r) {
      if (r.status === 401) { location.href = "/login?next=/control"; throw new Error("signed out"); }
      if (!r.ok) throw new Error("ticket " + r.status);
      return r.json();
    })
    .then(function (grant) {
      var ws = new WebSocket(gatewayUrl(root.dataset.gateway, location, "_panel"));
      st.ws = ws;
      ws.onopen = function () { ws.send(JSON.stringify({ type: "hello", ticket: grant.ticket, last: {} })); };
      ws.onmessage = function (event) {
        var message = JSON.parse(event.data);
        if (message.type === "welcome") { st.attempt = 0; root.dataset.link = "up"; }
        if (message.type === "wall") { st.state = message.state; st.views = message.views; render(); }
        if (message.type === "data") {
          (message.entries || []).forEach(function (e) {
            if (wallAlerts[e[0]] && e[3] && typeof e[3] === "object") wallAlerts[e[0]].push(e[3], e[2]);
          });
          renderWallAlerts();
        }
      };
      ws.onclose = function (event) {
        root.dataset.link = "down";
        // 4403: this person's session ended (signed out here or elsewhere, or by an admin).
        if (event.code === 4403) location.href = "/login?next=/control"; else retry();
      };
    })
    .catch(retry);
}

function retry() {
  setTimeout(connect, backoff(st.attempt++, { minMs: 300, maxMs: 10000 }));
}

render();
connect();
