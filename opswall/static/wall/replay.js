/* The replay source (issue 24): the wall page fed from /api/replay instead of the gateway's
 * socket. A load is the set of frames the gateway would have sent at the instant (welcome,
 * view, data), applied by the live code (link.js `handleFrame`). Playing, the frames of the
 * next seconds are read ahead (a span, each frame stamped with its instant) and each is applied
 * in the animation frame in which the replay clock passes it, as the gateway sent it then.
 * Going back, or a view the page cannot show locally, loads the page again at the instant. */
import { instantOf, pause, pausedAt, play, replayHref, SPEEDS, stampIn, STEP_MS } from "../lib/replay-clock.js";
import { handleFrame } from "./link.js";
import { updateFreshness } from "./paint.js";
import { state } from "./state.js";

const LEAD_MS = 3000; // playing: wall time read ahead (times the speed in replay time)
const BANNER_EVERY_MS = 250;

function controlsEl(role) {
  return document.querySelector("[data-role=" + role + "]");
}

/** Start replaying (screen.js, once the page's tiles are mounted). */
export function startReplay() {
  const root = state.root, params = new URLSearchParams(location.search);
  state.replay = {
    clock: pausedAt(Number(root.dataset.replay)), loading: false, loadedAt: null,
    horizon: null, pending: [], starting: null, looping: false,
  };
  state.linkUp = true; state.redisUp = true; // judged by age alone: the link of then is not kept
  bindControls();
  const frames = root.dataset.replayFrames;
  if (frames) apply({ frames: JSON.parse(frames), limits: JSON.parse(root.dataset.replayLimits || "{}") }, state.replay.clock.at);
  else load(state.replay.clock.at);
  loadEvents(state.replay.clock.at);
  if (params.get("play")) start(Number(params.get("speed")) || 1);
  setInterval(tick, BANNER_EVERY_MS);
}

/** The replay's instant now (state.js `serverNow` in a replay). */
export function replayNow() {
  return Math.round(instantOf(state.replay.clock, Date.now()));
}

/** Show the page at `at` by loading it anew (going back, or a view it does not hold). */
export function reopen(at, extra) {
  location.replace(replayHref(location, at, extra));
}

function load(at) {
  const replay = state.replay;
  replay.loading = true;
  const url = "/api/replay/" + encodeURIComponent(state.screen) + "?at=" + Math.round(at);
  return fetch(url, { credentials: "same-origin" })
    .then((r) => r.json())
    .then((found) => { replay.loading = false; apply(found, at); })
    .catch(() => { replay.loading = false; });
}

// The screen at `at`: the frames the gateway would have sent then.
function apply(found, at) {
  const replay = state.replay;
  if (!found.frames) return;
  const welcome = found.frames[0];
  if (welcome.rev !== state.rev && replay.loadedAt !== null) { reopenHere(); return; } // a config change
  // The welcome as the gateway's: the link up (its state then is not kept; see README).
  found.frames.forEach((frame) => { handleFrame(frame); });
  replay.loadedAt = at;
  markLimits(found.limits || {});
  updateFreshness();
}

/** This replay reloaded where it stands, still playing if it was (screen.js: a relayout). */
export function reopenHere() {
  const clock = state.replay.clock;
  reopen(replayNow(), clock.playing ? { play: 1, speed: clock.speed } : { play: null });
}

// A feed whose past is not kept says so on its tiles, never a value (README "Time machine").
function markLimits(limits) {
  state.tiles.forEach((tile) => {
    const why = tile.feeds.map((feed) => limits[feed]).find((w) => w);
    if ((tile.el.dataset.replayLimit || "") === (why || "")) return;
    if (why) tile.el.dataset.replayLimit = why; else delete tile.el.dataset.replayLimit;
    let label = tile.el.querySelector(".replay-limit");
    if (!why) { if (label) label.remove(); return; }
    if (!label) { label = document.createElement("span"); label.className = "replay-limit"; tile.el.appendChild(label); }
    label.textContent = state.ctx.msg("replay_" + why);
  });
}

function tick() {
  const replay = state.replay, at = replayNow();
  const time = controlsEl("replay-time");
  const banner = controlsEl("replay-banner");
  if (time && banner) {
    const { tz, locale, zone } = banner.dataset;
    time.textContent = `${stampIn(at, tz, locale)} (${zone})`;
  }
  document.documentElement.dataset.replayAt = String(at);
  const lead = LEAD_MS * replay.clock.speed;
  if (replay.clock.playing && !replay.loading && (replay.horizon === null || replay.horizon - at < lead / 2)) {
    loadAhead(at, lead);
  }
  updateFreshness();
}

function loadAhead(at, lead) {
  const replay = state.replay;
  const from = replay.horizon === null ? Math.max(at, replay.loadedAt || at) : replay.horizon;
  const to = Math.round(at + lead);
  replay.loading = true;
  fetch("/api/replay/" + encodeURIComponent(state.screen) + "?since=" + Math.round(from) + "&at=" + to,
    { credentials: "same-origin" })
    .then((r) => r.json())
    .then((found) => {
      replay.loading = false;
      if (!found.frames || !replay.clock.playing) return;
      replay.pending = replay.pending.concat(found.frames).sort((a, b) => a.at - b.at);
      replay.horizon = found.at;
    })
    .catch(() => { replay.loading = false; });
}

// Each animation frame while playing: what the clock has passed is applied, in order.
function release() {
  const replay = state.replay;
  if (!replay.clock.playing) { replay.looping = false; return; }
  const now = replayNow();
  let entries = [], released = false;
  const flush = () => { if (entries.length) handleFrame({ type: "data", entries }); entries = []; };
  while (replay.pending.length && replay.pending[0].at <= now) {
    const frame = replay.pending.shift();
    released = true;
    if (frame.type === "data") entries = entries.concat(frame.entries);
    // A config revision took effect: its layout is rendered anew then, still playing.
    else if (frame.type === "config") { flush(); reopenHere(); return; }
    else { flush(); handleFrame(frame); }
  }
  flush();
  if (released) updateFreshness();
  requestAnimationFrame(release);
}

// Play (or a new speed): the clock holds where it stands until the first read-ahead from there
// has arrived, then runs; so no frame it passes is missing from the page (at 60x, a second of
// waiting for the server would be a minute of replay shown late). A later press wins.
function start(speed) {
  const replay = state.replay, token = {};
  replay.clock = pause(replay.clock, Date.now());
  replay.starting = token;
  replay.pending = []; replay.horizon = null; replay.loading = true;
  const from = Math.round(replay.clock.at);
  const to = Math.round(from + LEAD_MS * (SPEEDS.includes(speed) ? speed : 1));
  const go = (found) => {
    if (replay.starting !== token) return;
    replay.starting = null; replay.loading = false;
    replay.clock = play(replay.clock, Date.now(), speed);
    replay.pending = found && found.frames ? found.frames.slice().sort((a, b) => a.at - b.at) : [];
    replay.horizon = found && found.frames ? found.at : from;
    document.documentElement.dataset.replayPlaying = "1";
    if (!replay.looping) { replay.looping = true; requestAnimationFrame(release); }
    tick();
  };
  fetch("/api/replay/" + encodeURIComponent(state.screen) + "?since=" + from + "&at=" + to,
    { credentials: "same-origin" })
    .then((r) => r.json())
    .then(go)
    .catch(() => { go(null); });
}

function stop() {
  const replay = state.replay;
  replay.starting = null; // a play still waiting for its read-ahead does not start
  replay.clock = pause(replay.clock, Date.now());
  replay.pending = []; replay.horizon = null;
  delete document.documentElement.dataset.replayPlaying;
  load(replay.clock.at);
}

function bindControls() {
  const on = (role, fn) => { const el = controlsEl(role); if (el) el.addEventListener("click", fn); };
  const speedEl = controlsEl("replay-speed");
  const speed = () => Number(speedEl ? speedEl.value : 1) || 1;
  on("replay-play", () => start(speed()));
  on("replay-pause", stop);
  on("replay-step", () => { reopen(replayNow() + STEP_MS * speed(), { play: null }); });
  on("replay-back", () => { reopen(replayNow() - STEP_MS * speed(), { play: null }); });
  if (speedEl) speedEl.addEventListener("change", () => {
    if (state.replay.clock.playing) start(SPEEDS.includes(speed()) ? speed() : 1);
  });
  const events = controlsEl("replay-events");
  if (events) events.addEventListener("change", () => { if (events.value) reopen(Number(events.value), { play: null }); });
}

function loadEvents(at) {
  const select = controlsEl("replay-events");
  if (!select) return;
  fetch("/api/replay/events?at=" + Math.round(at), { credentials: "same-origin" })
    .then((r) => r.json())
    .then((found) => {
      const { tz, locale } = controlsEl("replay-banner").dataset;
      const first = document.createElement("option");
      first.value = ""; first.textContent = "—";
      select.replaceChildren(first);
      found.forEach((event) => {
        const option = document.createElement("option");
        option.value = String(event.at + 1); // the instant just after: the event in force
        option.dataset.kind = event.kind;
        option.textContent = stampIn(event.at, tz, locale) + " · " +
          state.ctx.msg("event_" + event.kind) + " · " + event.what;
        select.appendChild(option);
      });
    })
    .catch(() => {});
}
