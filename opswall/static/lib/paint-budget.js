/* The paint budget (issue 22): how often a wall page may paint, adapted to how busy it is.
 *
 * In software rasterising a frame's fixed cost (commit, layout, paint, layerize: 2-2.5 ms) is most
 * of what an update costs, so a page painting every update in its own frame is what saturates a
 * shared machine. The budget is the least interval between two painted frames: one display frame
 * (1/60 s) while frames come when asked, so a free page paints each update in the next frame as
 * before; it widens when frames come late (the page's main thread, or the machine, is busy), so
 * updates arriving meanwhile share the next frame; it narrows back as frames come on time. It
 * never exceeds CAP_MS, and an update's frame is asked for when it arrives, at most an interval
 * after the last painted frame: a stream of updates, however dense, cannot push its frame later.
 *
 * Pure: the times are the page's (performance.now(), ms); paint.js keeps a budget and the timer. */

export const FRAME_MS = 1000 / 60;
/** The widest interval: a page never paints a pending update later than this after its last
 * painted frame (plus the display frame the frame itself waits for). */
export const CAP_MS = 100;
/** A frame is late when it begins more than this after the display frame it was asked for. */
export const LATE_MS = FRAME_MS / 2;
const WIDEN = 1.5; // a late frame widens the interval by half
const NARROW = 0.95; // a frame on time narrows it by a twentieth: from the cap to one frame in 35 frames

/** A page's budget before its first frame: one display frame, nothing painted yet. */
export function freshBudget() {
  return { interval: FRAME_MS, last: -Infinity };
}

/** When to ask for the frame that paints an update arriving at `now`: at once when the last
 * painted frame is an interval old (the frame itself comes up to one display frame later), else
 * so that it comes an interval after the last one. */
export function askAt(budget, now) {
  const interval = Math.min(CAP_MS, Math.max(FRAME_MS, budget.interval));
  const at = budget.last + interval - FRAME_MS;
  return Number.isFinite(at) && at > now ? at : now;
}

/** The budget after a frame asked for at `asked` began at `now`, `longFrames` long animation
 * frames (over 50 ms, the browser's Long Animation Frames API) having been seen since the last:
 * that frame is the last painted one, and whether the page was busy (a long frame, or this one
 * late) widens or narrows the interval, within [FRAME_MS, CAP_MS]. */
export function afterFrame(budget, asked, now, longFrames = 0) {
  const late = longFrames > 0 ? Infinity : now - asked - FRAME_MS;
  let interval = budget.interval;
  if (late > LATE_MS) interval = Math.min(CAP_MS, interval * WIDEN);
  else if (late <= LATE_MS) interval = Math.max(FRAME_MS, interval * NARROW);
  // (a non-number lateness leaves the interval as it was)
  return { interval, last: Number.isFinite(now) ? now : budget.last };
}
