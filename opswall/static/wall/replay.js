/* The replay source (issue 24): the wall page fed from /api/replay instead of the gateway's
 * socket. Each load is the set of frames the gateway would have sent at the instant (welcome,
 * view, data), applied by the live code (link.js `handleFrame`); entries already applied are
 * skipped by their ids as live, so playing forward only adds what arrived since. Going back, or
 * a view the page cannot show locally, loads the page again at the instant (never Redis). */
import { instantOf, pause, pausedAt, play, replayHref, SPEEDS, stampBoth, STEP_MS } from "../lib/replay-clock.js";
import { handleFrame } from "./link.js";
import { updateFreshness } from "./paint.js";
import { state } from "./state.js";

const LOAD_EVERY_MS = 1000; // playing: the screen is rebuilt at the replay's instant each second
const BANNER_EVERY_MS = 250;

function controlsEl(role) {
  return document.querySelector("[data-role=" + role + "]");
}

/** Start replaying (screen.js, once the page's tiles are mounted). */
export function startReplay() {
  const root = state.root, params = new URLSearchParams(location.search);
  state.replay = { clock: pausedAt(Number(root.dataset.replay)), loading: false, loadedAt: null };
  state.linkUp = true; state.redisUp = true; // judged by age alone: the link of then is not kept
  bindControls();
  load(state.replay.clock.at);
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
    .then((found) => {
      replay.loading = false;
      if (!found.frames) return;
      const welcome = found.frames[0];
      if (welcome.rev !== state.rev && replay.loadedAt !== null) { reopenHere(); return; } // a config change
      found.frames.forEach((frame) => { if (frame.type !== "welcome") handleFrame(frame); });
      replay.loadedAt = at;
      replay.last = found;
      markLimits(found.limits || {});
      updateFreshness();
    })
    .catch(() => { replay.loading = false; });
}

function reopenHere() {
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
    const [vi, en] = stampBoth(at, banner.dataset.tz).split(" · ");
    time.textContent = `${vi} (${banner.dataset.zoneVi}) · ${en} (${banner.dataset.zoneEn})`;
  }
  document.documentElement.dataset.replayAt = String(at);
  if (replay.clock.playing && !replay.loading && Date.now() - (replay.loadStarted || 0) >= LOAD_EVERY_MS) {
    replay.loadStarted = Date.now();
    load(at);
  }
  updateFreshness();
}

function start(speed) {
  state.replay.clock = play(state.replay.clock, Date.now(), speed);
  document.documentElement.dataset.replayPlaying = "1";
}

function stop() {
  state.replay.clock = pause(state.replay.clock, Date.now());
  delete document.documentElement.dataset.replayPlaying;
  load(state.replay.clock.at);
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
      const tz = controlsEl("replay-banner").dataset.tz;
      const first = document.createElement("option");
      first.value = ""; first.textContent = "—";
      select.replaceChildren(first);
      found.forEach((event) => {
        const option = document.createElement("option");
        option.value = String(event.at + 1); // the instant just after: the event in force
        option.dataset.kind = event.kind;
        option.textContent = stampBoth(event.at, tz).split(" · ")[0] + " · " +
          state.ctx.msg("event_" + event.kind) + " · " + event.what;
        select.appendChild(option);
      });
    })
    .catch(() => {});
}
