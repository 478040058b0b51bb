/* A clip in step across a span (issue 23), as a wall controller keeps it: the gateway's clock is
 * the master, and every slice maps it to the same media time,
 *     position = (gateway time - EPOCH) mod duration,
 * with the same EPOCH everywhere (the clock's own zero, 1970), so the slices agree with nothing
 * exchanged but the clock. A slice off by a little plays a little faster or slower (never more
 * than RATE_SPAN from 1, which a viewer does not notice on a muted picture) until it is back;
 * one off by more than SEEK_BEYOND_S jumps. Pure: the wall's video-panes.js reads the clip and
 * the clock and applies what this says. Times in seconds, the clock in milliseconds. */

export const EPOCH_MS = 0;
export const DEADBAND_S = 0.002; // closer than this: play at 1 (a frame at 60 Hz is 16.7 ms)
export const GAIN_PER_S = 2; // a rate that would close the gap in about half a second ...
export const RATE_SPAN = 0.03; // ... kept within 0.97-1.03
export const SEEK_BEYOND_S = 0.5; // farther than this: a nudge would take over 16 s; seek
export const SEEK_LEAD_MAX_S = 1; // a measured seek time above this is not trusted

function finitePositive(x) {
  return typeof x === "number" && Number.isFinite(x) && x > 0;
}

/** Where a clip of `durationS` should be at gateway instant `nowMs`; null when the clip has no
 * finite positive duration (a live stream, metadata not loaded, a hostile value) or the clock is
 * not a number. */
export function targetTime(nowMs, durationS, epochMs = EPOCH_MS) {
  if (!finitePositive(durationS) || !Number.isFinite(nowMs) || !Number.isFinite(epochMs)) return null;
  let within = ((nowMs - epochMs) / 1000) % durationS;
  if (within < 0) within += durationS; // before the epoch: still round the loop
  return Math.min(within, durationS);
}

/** How far `positionS` is ahead of `targetS` (negative: behind), the shorter way round the loop:
 * 3.99 s against 0.01 s of a 4 s clip is 0.02 s behind, not 3.98 s ahead. */
export function offsetOf(positionS, targetS, durationS) {
  if (!Number.isFinite(positionS) || !Number.isFinite(targetS) || !finitePositive(durationS)) return null;
  let off = (positionS - targetS) % durationS;
  if (off > durationS / 2) off -= durationS;
  else if (off <= -durationS / 2) off += durationS;
  return off;
}

/** The playback rate that closes an offset of `offsetS` (ahead: slower), within the span. */
export function nudgeRate(offsetS) {
  if (!Number.isFinite(offsetS) || Math.abs(offsetS) < DEADBAND_S) return 1;
  const rate = 1 - offsetS * GAIN_PER_S;
  const bounded = Math.min(1 + RATE_SPAN, Math.max(1 - RATE_SPAN, rate));
  return Math.round(bounded * 1000) / 1000; // steps of 0.1%: no new rate every tick for noise
}

/** Whether an offset is too far for a nudge. */
export function shouldSeek(offsetS) {
  return Number.isFinite(offsetS) && Math.abs(offsetS) > SEEK_BEYOND_S;
}

/** Where to seek so that the clip is at the target when the seek ends: `leadS` (the last seek's
 * measured time, bounded) ahead of the target now, round the loop. */
export function seekPoint(nowMs, durationS, leadS, epochMs = EPOCH_MS) {
  const lead = Number.isFinite(leadS) ? Math.min(SEEK_LEAD_MAX_S, Math.max(0, leadS)) : 0;
  return targetTime(nowMs + lead * 1000, durationS, epochMs);
}

/** What a slice does now: { offset, seek (a media time, or null), rate }. With no target (no
 * clock, no finite duration) it plays at 1 on its own: never stalled, never steered blind. */
export function correction({ positionS, durationS, nowMs, leadS = 0, epochMs = EPOCH_MS }) {
  const target = nowMs === null || nowMs === undefined ? null : targetTime(nowMs, durationS, epochMs);
  const offset = target === null ? null : offsetOf(positionS, target, durationS);
  if (offset === null) return { offset: null, seek: null, rate: 1 };
  if (shouldSeek(offset)) return { offset, seek: seekPoint(nowMs, durationS, leadS, epochMs), rate: 1 };
  return { offset, seek: null, rate: nudgeRate(offset) };
}

/* A live stream (issue 23) has no loop to map the clock onto, but a live HLS playlist can date
 * its segments (#EXT-X-PROGRAM-DATE-TIME): the player then knows the program time, the wall-clock
 * instant its picture was taken, and every slice can show the same one,
 *     program time = gateway time - LIVE_DELAY_SEGMENTS target durations,
 * with the clip's nudge and seek. The delay is the same on every slice (one playlist, one
 * target duration) and each slice has it buffered: a segment is published once complete (up to
 * one target duration after its start) and a slice reloads the playlist about once a target
 * duration, so the newest segment a slice knows ends at most about two target durations before
 * now; four leave it two segments ahead of the picture, one behind hls.js's own start (three
 * from the end of the playlist, RFC 8216 6.3.3). The dates must come from a clock that agrees
 * with the gateway's to well within a target duration (an encoder on NTP). */
export const LIVE_DELAY_SEGMENTS = 4;
export const LIVE_TARGET_MAX_S = 30; // a longer target duration is not a live camera's

/** The program time's lag behind the gateway's clock, s: null for a hostile target duration. */
export function liveDelay(targetDurationS) {
  if (!finitePositive(targetDurationS) || targetDurationS > LIVE_TARGET_MAX_S) return null;
  return LIVE_DELAY_SEGMENTS * targetDurationS;
}

/** What a live slice does now: { offset (program time ahead of its target, s), seek (a media
 * time, or null), rate }. `programMs` is the program time of `positionS`. With no program time
 * (an undated stream) or no clock it plays at 1 on its own. A slice behind whose seek point is
 * not loaded yet (past `bufferedEndS`, the end of what it holds from `positionS` on) does not
 * seek into the gap, which would stall it until the segment came: it plays at the top rate
 * while its player loads ahead, and seeks once the point is held (a slice starting on a busy
 * machine, whose player has one segment in hand when it first plays). */
export function liveCorrection({ positionS, programMs, targetDurationS, nowMs, leadS = 0, bufferedEndS = Infinity }) {
  const delay = liveDelay(targetDurationS);
  const known = [positionS, programMs, nowMs].every((x) => typeof x === "number" && Number.isFinite(x));
  if (delay === null || !known) return { offset: null, seek: null, rate: 1 };
  const offset = (programMs - nowMs) / 1000 + delay;
  if (!shouldSeek(offset)) return { offset, seek: null, rate: nudgeRate(offset) };
  const lead = Number.isFinite(leadS) ? Math.min(SEEK_LEAD_MAX_S, Math.max(0, leadS)) : 0;
  const point = Math.max(0, positionS - offset + lead);
  if (offset < 0 && !(point <= bufferedEndS - SEEK_BEYOND_S)) return { offset, seek: null, rate: nudgeRate(offset) };
  return { offset, seek: point, rate: 1 };
}
