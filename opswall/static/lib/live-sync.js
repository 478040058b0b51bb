/* A live WebRTC picture in step across a span (issue 23). Each slice has its own peer connection,
 * and nothing in one says when the other will show a frame; what they share is the sender. A
 * sender that stamps its packets with abs-capture-time (the sender's wall clock, NTP) lets each
 * slice know when a frame it presents was captured: the receiver's latest synchronisation source
 * pairs a capture time with an RTP timestamp, and RTP timestamps run at 90 kHz. A slice's delay
 * is then its frame's display time on the gateway's clock minus its capture time on the sender's
 * clock; every slice holds that to the same DELAY_MS by moving its receiver's jitterBufferTarget,
 * so every slice shows a frame DELAY_MS after it was captured: the same frame at the same time.
 * The two clocks may differ (NTP keeps servers within milliseconds): that shifts every slice's
 * delay alike and keeps them in step. Pure: wall/video-sync.js reads the frames and applies it. */

export const DELAY_MS = 400; // capture to display, above what a slice needs on a LAN and a quiet PC
export const RTP_CLOCK_HZ = 90000; // video RTP timestamps (RFC 3551)
export const NTP_UNIX_MS = 2208988800000; // 1900 to 1970
// A receiver moves to a new target at about 100 ms a second (libwebrtc's timing), so a step is
// small and the next one waits for a window of frames shown after it: a controller that stepped
// again before its last step was seen would wind up and swing.
export const WINDOW = 15; // half a second of frames (30 fps) after the last step decides the next
export const DEADBAND_MS = 8; // closer: leave it (display times come in 16.7 ms refreshes)
export const GAIN = 0.8; // a step closes this share of the error ...
export const STEP_MAX_MS = 30; // ... by at most this much: done in 0.3 s, seen within the window
export const TARGET_MAX_MS = 4000; // the most a receiver accepts (webrtc-extensions)

const finite = (x) => typeof x === "number" && Number.isFinite(x);

/** The capture time (Unix ms, sender's clock) of the frame with RTP timestamp `rtp`, from a
 * synchronisation source `source` ({rtpTimestamp, captureTimestamp: NTP ms}); null when the
 * source has no capture time (the sender does not stamp it) or a value is not a number. The RTP
 * clock wraps at 2^32: the nearer way round is taken. */
export function captureOf(rtp, source) {
  if (!source || !finite(rtp) || !finite(source.rtpTimestamp) || !finite(source.captureTimestamp)) return null;
  let ticks = (rtp - source.rtpTimestamp) % 2 ** 32;
  if (ticks >= 2 ** 31) ticks -= 2 ** 32;
  else if (ticks < -(2 ** 31)) ticks += 2 ** 32;
  return source.captureTimestamp - NTP_UNIX_MS + (ticks * 1000) / RTP_CLOCK_HZ;
}

/** Keep the last WINDOW delays (ms) with `delay` added; a non-number is dropped. */
export function addDelay(delays, delay) {
  if (!finite(delay)) return delays;
  const next = delays.concat([delay]);
  return next.length > WINDOW ? next.slice(next.length - WINDOW) : next;
}

function median(values) {
  const s = values.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The receiver's next jitterBufferTarget (ms) from the `delays` (ms) of the frames shown since
 * its last step, its `current` target (null: none asked yet, taken as 0), and the `delayMs` every
 * slice holds; `error` is how much later than the common delay the slice shows its frames (null:
 * fewer than WINDOW frames since the last step). The caller starts a new window on a step. */
export function delayStep({ delays, current, delayMs = DELAY_MS }) {
  const base = finite(current) ? current : 0;
  if (!Array.isArray(delays) || delays.length < WINDOW) return { target: base, error: null };
  const error = median(delays) - delayMs;
  if (Math.abs(error) < DEADBAND_MS) return { target: base, error };
  const step = Math.max(-STEP_MAX_MS, Math.min(STEP_MAX_MS, -GAIN * error));
  return { target: Math.round(Math.max(0, Math.min(TARGET_MAX_MS, base + step))), error };
}
