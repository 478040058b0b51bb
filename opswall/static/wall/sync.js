/* In step across a span (issue 23): the page times the gateway's clock over its socket (ping,
 * pong; the sample with the shortest round trip wins), and while it shows a span it holds each
 * live batch until the first animation frame that begins at or after the batch's `at` on that
 * clock. Every slice of the span does the same with the same `at`, so an entry appears on all of
 * them in the same display frame. A page showing no span applies at once, as before. */
import { addSample, bestOffset, dueBatches, sampleOf } from "../lib/clock.js";
import { state } from "./state.js";

const PING_EVERY_MS = 2000;
const FIRST_PINGS = 5;
const APPLIED_MAX = 200;

function pageNow() {
  return performance.timeOrigin + performance.now();
}

/** Now on the gateway's clock as the pings timed it (ms), or null before the first pong. A page
 * whose link is down keeps its last offset: its clock runs on (a video on a span keeps playing
 * in step, on its own, until the link is back). */
export function gatewayNow() {
  return state.sync.offset === null ? null : pageNow() + state.sync.offset;
}

let sendPing = null; // the socket's send, from its welcome; null while the link is down

/** A socket said welcome: samples restart (another gateway, a replica, may keep another clock),
 * and the page times the clock if it shows a span. */
export function startPings(send) {
  sendPing = send;
  stopPings();
  state.sync.samples = [];
  state.sync.offset = null;
  if (state.span) beginPings();
}

/** The page mounted a layout: it times the clock only while it shows a span (issue 22: an idle
 * page that shows no span sends nothing and runs no timer for it). */
export function followSpan() {
  if (!state.span) stopPings();
  else if (state.sync.timer === null && sendPing && state.linkUp) beginPings();
}

/** The link is gone: no pings until the next welcome. */
export function stopPings() {
  clearInterval(state.sync.timer);
  clearInterval(state.sync.burst);
  state.sync.timer = null;
  state.sync.burst = null;
}

function beginPings() {
  const ping = () => { sendPing({ type: "ping", t: pageNow() }); };
  let first = FIRST_PINGS;
  ping();
  state.sync.burst = setInterval(() => {
    if (--first <= 0) { clearInterval(state.sync.burst); state.sync.burst = null; } else ping();
  }, 100);
  state.sync.timer = setInterval(ping, PING_EVERY_MS);
}

export function takePong(message) {
  const sample = sampleOf(message.t, pageNow(), message.now);
  state.sync.samples = addSample(state.sync.samples, sample);
  state.sync.offset = bestOffset(state.sync.samples);
}

/** Whether this batch waits for its frame (held) rather than being applied now. */
export function hold(entries, at) {
  if (!state.span || at === undefined || state.sync.offset === null) return false;
  state.sync.held.push({ entries, at, arrived: pageNow() + state.sync.offset });
  return true;
}

/** The batches due in the frame that began at `frameTs` (rAF's timestamp), each recorded:
 * its `at`, the frame's start on the gateway's clock, and whether it came too late for it. */
export function dueIn(frameTs) {
  if (!state.sync.held.length) return [];
  const frame = performance.timeOrigin + frameTs + state.sync.offset;
  const { due, wait } = dueBatches(state.sync.held, frame);
  state.sync.held = wait;
  const prev = state.sync.lastFrame;
  state.sync.lastFrame = frame;
  due.forEach((batch) => {
    state.sync.applied.push({ at: batch.at, frame, prev, late: batch.arrived > batch.at, arrived: batch.arrived,
                              ids: batch.entries.map((e) => e[1]) });
  });
  if (state.sync.applied.length > APPLIED_MAX) state.sync.applied.splice(0, state.sync.applied.length - APPLIED_MAX);
  return due;
}

/** The link is gone or the page left its span: what was held is applied at once. */
export function releaseAll() {
  const held = state.sync.held;
  state.sync.held = [];
  return held;
}
