/* The link to the gateway: one websocket per screen, the hello that resumes from the last ids
 * applied, the frames it sends, and reconnecting with backoff and jitter, forever, unless the
 * gateway refuses the screen (close code 4403): then it says "not authorised" and stops. */
import { backoff } from "../lib/backoff.js";
import { gatewayUrl } from "../lib/gateway.js";
import { startFleetClient } from "./fleet-client.js";
import { firstFrames, requestSentAt, skewOf } from "./first-frames.js";
import { applyEntries, setUnreachable, updateFreshness } from "./paint.js";
import { releaseAll, startPings, stopPings, takePong } from "./sync.js";
import { followView, showAlerts, showLink, stopObserving } from "./screen.js";
import { mark, state } from "./state.js";
import { callHook } from "./tile-host.js";

const HEARTBEAT_TIMEOUT_MS = 7000;
const RECONNECT = { minMs: 300, maxMs: 10000 };
const RELOAD_AFTER_DOWN_MS = 10 * 60 * 1000;
const REFUSED = 4403; // the gateway's close code for who it will not serve (token revoked, no access)

function lastIdsOfPage() {
  const last = {};
  Object.keys(state.meta).forEach((feed) => {
    if (state.lastIds[feed]) last[feed] = state.lastIds[feed];
  });
  return last;
}

// The page shows other tiles now: tell the gateway which feeds, and from where to resume.
export function subscribe() {
  if (!state.ws || state.ws.readyState !== 1 || !state.linkUp) return; // the next hello says it
  state.ws.send(JSON.stringify({ type: "sub", feeds: Object.keys(state.meta), last: lastIdsOfPage() }));
}

export function connect() {
  clearTimeout(state.reconnectTimer);
  if (state.refused) return;
  let ws;
  try { ws = new WebSocket(gatewayUrl(state.root.dataset.gateway, location, state.screen)); } catch { scheduleReconnect(); return; }
  state.ws = ws;
  ws.onopen = () => {
    credentials().then((cred) => {
      if (ws !== state.ws || ws.readyState !== 1) return;
      const hello = { type: "hello", rev: state.rev, last: lastIdsOfPage(), feeds: Object.keys(state.meta) };
      ws.send(JSON.stringify(Object.assign(hello, cred)));
    }).catch(() => { ws.close(); });
  };
  ws.onmessage = (event) => {
    if (ws !== state.ws) return;
    state.lastFrameAt = Date.now();
    armHeartbeat(ws);
    let message;
    try { message = JSON.parse(event.data); } catch { return; }
    handleFrame(message);
  };
  ws.onclose = (event) => {
    if (ws !== state.ws) return;
    if (event.code === REFUSED) refused(); else linkLost();
  };
  ws.onerror = () => { /* onclose follows */ };
}

// A wall screen presents its device token; a signed-in person a one-time ticket.
function credentials() {
  if (state.root.dataset.token) return Promise.resolve({ token: state.root.dataset.token });
  return fetch("/api/ticket", { method: "POST", credentials: "same-origin",
                                headers: { "X-CSRF-Token": state.root.dataset.csrf || "" } })
    .then((r) => { if (!r.ok) throw new Error("ticket " + r.status); return r.json(); })
    .then((grant) => ({ ticket: grant.ticket }));
}

// The page's part in the screen fleet (issue 21): reports over this socket, and the identify
// and reload frames it owns.
let fleet = null;

/** Start reporting this page to the fleet (main.js, once). */
export function startFleet() {
  fleet = startFleetClient(state, sendFrame);
  state.fleet = fleet;
}

/** One frame from the gateway (or from the replay source, replay.js). */
export function handleFrame(message) {
  if (fleet && fleet.handle(message)) return;
  if (message.now) state.skewMs = message.now - Date.now();
  if (message.type === "welcome") {
    state.linkUp = true; state.first = false; state.attempt = 0; state.redisUp = message.redis;
    setUnreachable(message.unreachable);
    showLink();
    startPings(sendFrame);
  } else if (message.type === "pong") {
    takePong(message);
  } else if (message.type === "data") {
    applyEntries(message.entries, message.at);
  } else if (message.type === "hb") {
    const reach = setUnreachable(message.unreachable);
    if (message.redis !== state.redisUp) { state.redisUp = message.redis; showLink(); }
    else if (reach) updateFreshness();
  } else if (message.type === "view") {
    mark("view");
    state.view = message.view;
    if (state.care) state.care();
    state.alerts = message.alerts || [];
    showAlerts();
    followView();
  }
}

function sendFrame(frame) {
  if (state.ws && state.ws.readyState === 1 && state.linkUp) state.ws.send(JSON.stringify(frame));
}

function linkLost() {
  if (state.linkUp) { state.downSince = Date.now(); watchOutage(); }
  state.linkUp = false; state.first = false;
  state.ws = null;
  stopPings();
  releaseAll().forEach((batch) => { applyEntries(batch.entries); }); // received: shown now
  showLink();
  scheduleReconnect();
}

function scheduleReconnect() {
  clearTimeout(state.reconnectTimer);
  state.reconnectTimer = setTimeout(connect, backoff(state.attempt++, RECONNECT));
}

// The gateway refused this screen (its token revoked, or not valid for it): show what a first
// load with that token shows (README: within 5 s), in the wall's language, and stop. Nothing
// of the screen stays visible and no retry can help: a new device link can.
function refused() {
  state.refused = true;
  state.ws = null;
  state.linkUp = false; state.first = false;
  clearTimeout(state.reconnectTimer);
  clearTimeout(state.heartbeatTimer);
  clearTimeout(state.outageTimer);
  stopObserving();
  state.tiles.forEach((tile) => { callHook(tile, "unmount"); }); // video sessions end
  state.tiles = []; state.tilesByFeed = {}; state.history = {}; state.dirty = new Set();
  const box = document.createElement("div"), heading = document.createElement("h1");
  const text = document.createElement("p");
  box.className = "message";
  box.dataset.role = "message";
  box.lang = state.ctx.locale;
  heading.textContent = "403"; // as the server's own page says it
  text.textContent = state.ctx.msg("not_authorised");
  box.append(heading, text);
  document.body.appendChild(box);
  document.documentElement.classList.add("wall-refused");
}

// A link whose heartbeats stopped is dead even if the socket has not noticed yet. The timer is
// re-armed by every frame, so a healthy page never runs it (issue 22: nothing runs per second
// that changes nothing).
function armHeartbeat(ws) {
  clearTimeout(state.heartbeatTimer);
  state.heartbeatTimer = setTimeout(() => {
    if (ws !== state.ws || !state.linkUp) return;
    state.ws = null;
    ws.onclose = null;
    try { ws.close(); } catch { /* already closed */ }
    linkLost();
  }, HEARTBEAT_TIMEOUT_MS);
}

/** Open the link of a page just mounted: its first values painted at once (first-frames.js),
 * then the socket, whose welcome takes over. Until then the link reads "first" (data-link): not
 * up, but the tiles are judged by their age, as after a heartbeat. */
export function openLink(root) {
  const first = firstFrames(root);
  if (first) {
    state.skewMs = skewOf(first.now, requestSentAt(performance));
    applyEntries(first.entries);
    state.first = true; state.redisUp = true;
    showLink();
    // No welcome within a heartbeat's timeout and the link shows down. The socket under way is
    // left to finish (a busy PC may take that long to open it): its welcome brings the link up,
    // its failure reconnects as usual.
    clearTimeout(state.heartbeatTimer);
    state.heartbeatTimer = setTimeout(firstValuesExpired, HEARTBEAT_TIMEOUT_MS);
  }
  connect();
}

function firstValuesExpired() {
  if (!state.first) return;
  state.first = false;
  showLink();
}

// Long outage: reload only once the web server answers, so no error page ever shows. Checked
// once per RELOAD_AFTER_DOWN_MS while the link stays down.
function watchOutage() {
  clearTimeout(state.outageTimer);
  state.outageTimer = setTimeout(() => {
    if (state.linkUp || state.refused) return;
    fetch("/healthz", { cache: "no-store" }).then((r) => {
      if (r.ok) location.reload();
    }).catch(() => {});
    state.downSince = Date.now();
    watchOutage();
  }, Math.max(0, state.downSince + RELOAD_AFTER_DOWN_MS - Date.now()));
}

/** Start following the page: the first layout Dash renders, then the link. */
export function startLink() {
  watchOutage(); // down since the page loaded, until the first welcome
}
