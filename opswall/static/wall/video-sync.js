/* A video pane in step across a span (issue 23): the thin half of lib/media-sync.js and
 * lib/live-sync.js. While a pane of a file or HLS clip is shown on a span, it is steered four
 * times a second: its clip's position against where the gateway's clock says it should be, then
 * a small playbackRate nudge, or a seek when it is far off. The picture is never paused for it.
 * A WebRTC (WHEP) stream has no position to steer: each slice has its own peer connection. When
 * the sender stamps its frames with abs-capture-time (the demo's media server does; the pane asks
 * for it), every presented frame's delay from capture to display is measured (its display time on
 * the gateway's clock, its capture time on the sender's) and the receiver's jitterBufferTarget is
 * moved until that delay is live-sync.js's DELAY_MS on every slice: the slices show the same frame
 * at the same time, measured (tests/browser/test_span_live_video.py, frame numbers in the picture)
 * a median under 1 ms apart, p95 one or two 30 fps frames; a slice whose own delay exceeds
 * DELAY_MS (a starved PC) cannot be held to it. A sender without the extension leaves a slice to
 * ask LIVE_DELAY_MS of its receiver, as the others do, and hope. A live HLS stream with dated
 * segments is steered like a clip, to the program time the gateway's clock says
 * (liveCorrection); an undated one (data-sync="free"), MJPEG (no timestamps, no buffer) and a
 * framed room (another site's page) are left as they play. A pane on a single screen is never
 * steered: it plays as it always did. */
import { addDelay, captureOf, delayStep } from "../lib/live-sync.js";
import { correction, liveCorrection } from "../lib/media-sync.js";
import { gatewayNow } from "./sync.js";

const STEER_EVERY_MS = 250;
const STEERED_KINDS = ["file", "hls"];
export const LIVE_DELAY_MS = 200; // a sender with no capture times: above a LAN's jitter

const steered = new Set();
let timer = null;

/** Steer `pane` from now on if its page shows a span; a no-op otherwise. */
export function followClock(pane) {
  if (!pane.ctx.inStep || !pane.ctx.inStep()) return;
  pane.steering = pane.steering || { offset: null, rate: 1, seeks: 0, lead: 0, at: null, live: null };
  steered.add(pane);
  if (timer === null) timer = setInterval(steerAll, STEER_EVERY_MS);
}

/** Stop steering `pane` (stopped, destroyed); its clip plays at its own rate again. */
export function leaveClock(pane) {
  steered.delete(pane);
  if (pane.steering) pane.steering.live = null; // its frame watcher stops at its next frame
  if (pane.video && pane.video.playbackRate !== 1) pane.video.playbackRate = 1;
  holdDelay(pane.session, null);
  if (!steered.size && timer !== null) { clearInterval(timer); timer = null; }
}

function steerAll() {
  steered.forEach((pane) => {
    if (!pane.ctx.inStep()) { leaveClock(pane); return; }
    if (STEERED_KINDS.includes(pane.source.kind)) steer(pane, pane.video, pane.steering, pane.session);
    else if (pane.source.kind === "whep") steerLive(pane, pane.steering);
  });
}

function videoReceiver(pc) {
  return pc.getReceivers().find((r) => r.track && r.track.kind === "video") || null;
}

// A new picture (another session, a reconnect) gets a new watcher; with capture times the
// receiver is steered to the common delay, without them it holds LIVE_DELAY_MS.
function steerLive(pane, steering) {
  const session = pane.session, video = pane.video;
  if (!session || !session.pc || !video) return;
  if (!steering.live || steering.live.video !== video) steering.live = watchFrames(steering, video, session.pc);
  const live = steering.live, receiver = videoReceiver(session.pc);
  if (!receiver || !live.stamped) { holdDelay(session, LIVE_DELAY_MS); return; }
  const step = delayStep({ delays: live.delays, current: receiver.jitterBufferTarget });
  live.error = step.error;
  if (receiver.jitterBufferTarget !== step.target) {
    receiver.jitterBufferTarget = step.target;
    live.delays = []; // the next step waits for frames shown after this one
  }
  if (pane.el.dataset.sync !== "steered") pane.el.dataset.sync = "steered";
}

// Each presented frame: its capture time (sender's clock) from the receiver's latest
// synchronisation source and the frame's RTP timestamp; its display time on the gateway's clock.
function watchFrames(steering, video, pc) {
  const live = { video, delays: [], stamped: false, error: null };
  const onFrame = (now, meta) => {
    if (steering.live !== live) return; // left the span, or another picture
    const receiver = videoReceiver(pc), gateway = gatewayNow();
    const source = receiver ? receiver.getSynchronizationSources()[0] : null;
    const capture = captureOf(meta.rtpTimestamp, source);
    if (capture !== null && gateway !== null) {
      live.stamped = true;
      live.delays = addDelay(live.delays, gateway + meta.expectedDisplayTime - performance.now() - capture);
    }
    video.requestVideoFrameCallback(onFrame);
  };
  if (video.requestVideoFrameCallback) video.requestVideoFrameCallback(onFrame);
  return live;
}

// jitterBufferTarget (WebRTC): the playout delay the receiver keeps at least; null: its own.
function holdDelay(session, delayMs) {
  if (!session || !session.pc) return;
  session.pc.getReceivers().forEach((receiver) => {
    if ("jitterBufferTarget" in receiver && receiver.jitterBufferTarget !== delayMs) {
      receiver.jitterBufferTarget = delayMs;
    }
  });
}

function steer(pane, video, steering, session) {
  if (!video || video.readyState < 2 || video.seeking || video.paused) return;
  const nowMs = gatewayNow();
  const live = session && session.live ? session.live() : null;
  const step = live
    ? liveCorrection({ positionS: video.currentTime, ...live, nowMs, leadS: steering.lead, bufferedEndS: heldUntil(video) })
    : correction({ positionS: video.currentTime, durationS: video.duration, nowMs, leadS: steering.lead });
  Object.assign(steering, { offset: step.offset, rate: step.rate, at: nowMs });
  if (step.seek !== null) { seek(video, step.seek, steering); return; }
  if (video.playbackRate !== step.rate) video.playbackRate = step.rate;
  const mode = step.offset === null ? "free" : "steered";
  if (pane.el.dataset.sync !== mode) pane.el.dataset.sync = mode;
}

// The end of the buffered range the picture is in (its position if none).
function heldUntil(video) {
  const ranges = video.buffered, at = video.currentTime;
  for (let i = 0; i < ranges.length; i++) {
    if (ranges.start(i) <= at + 0.1 && at <= ranges.end(i)) return ranges.end(i);
  }
  return at;
}

// A seek takes time (tens of ms for a local file, more for a fetched segment): it is measured,
// and the next one aims that far ahead.
function seek(video, to, steering) {
  const started = performance.now();
  video.addEventListener("seeked", () => { steering.lead = (performance.now() - started) / 1000; }, { once: true });
  steering.seeks++;
  video.playbackRate = 1;
  video.currentTime = to;
}
