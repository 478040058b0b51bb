/* A video pane in step across a span (issue 23): the thin half of lib/media-sync.js. While a
 * pane of a file or HLS clip is shown on a span, it is steered four times a second: its clip's
 * position against where the gateway's clock says it should be, then a small playbackRate nudge,
 * or a seek when it is far off. The picture is never paused for it. A WebRTC (WHEP) stream has
 * no time the slices share (each peer connection numbers its frames from its own random
 * origin): the best a slice can do is hold the same playout delay as the others, so every slice
 * asks its receivers for LIVE_DELAY_MS. A live HLS stream with dated segments is steered like a
 * clip, to the program time the gateway's clock says (liveCorrection); an undated one
 * (data-sync="free"), MJPEG (no timestamps, no buffer) and a framed room (another site's page)
 * are left as they play. A pane on a single screen is never steered: it plays as it always did. */
import { correction, liveCorrection } from "../lib/media-sync.js";
import { gatewayNow } from "./sync.js";

const STEER_EVERY_MS = 250;
const STEERED_KINDS = ["file", "hls"];
export const LIVE_DELAY_MS = 200; // above a LAN's jitter, so every slice can keep to it

const steered = new Set();
let timer = null;

/** Steer `pane` from now on if its page shows a span; a no-op otherwise. */
export function followClock(pane) {
  if (!pane.ctx.inStep || !pane.ctx.inStep()) return;
  pane.steering = pane.steering || { offset: null, rate: 1, seeks: 0, lead: 0, at: null };
  steered.add(pane);
  if (timer === null) timer = setInterval(steerAll, STEER_EVERY_MS);
}

/** Stop steering `pane` (stopped, destroyed); its clip plays at its own rate again. */
export function leaveClock(pane) {
  steered.delete(pane);
  if (pane.video && pane.video.playbackRate !== 1) pane.video.playbackRate = 1;
  holdDelay(pane.session, null);
  if (!steered.size && timer !== null) { clearInterval(timer); timer = null; }
}

function steerAll() {
  steered.forEach((pane) => {
    if (!pane.ctx.inStep()) { leaveClock(pane); return; }
    if (STEERED_KINDS.includes(pane.source.kind)) steer(pane, pane.video, pane.steering, pane.session);
    else if (pane.source.kind === "whep") holdDelay(pane.session, LIVE_DELAY_MS);
  });
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
