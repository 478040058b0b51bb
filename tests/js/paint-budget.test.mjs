// The paint budget (issue 22): one display frame while frames come on time, wider (up to a cap)
// while they come late, and no stream of updates can push a pending frame later.
import assert from "node:assert/strict";
import { test } from "node:test";
import { CAP_MS, FRAME_MS, LATE_MS, afterFrame, askAt, freshBudget } from "../../opswall/static/lib/paint-budget.js";

// Frames that each begin `lateBy` ms after the display frame they were asked for.
function frames(budget, count, lateBy, from = 0) {
  let b = budget, t = from;
  for (let i = 0; i < count; i++) {
    const asked = askAt(b, t);
    t = asked + FRAME_MS + lateBy;
    b = afterFrame(b, asked, t);
  }
  return b;
}

test("a free page asks for every update's frame at once", () => {
  let b = freshBudget();
  assert.equal(askAt(b, 5), 5);
  b = frames(b, 100, 0);
  assert.equal(b.interval, FRAME_MS);
  assert.equal(askAt(b, b.last), b.last); // right after a frame: the next display frame
  assert.equal(askAt(b, b.last + 3), b.last + 3);
});

test("frames late by less than LATE_MS leave the interval at one display frame", () => {
  const b = frames(freshBudget(), 200, LATE_MS - 0.5);
  assert.equal(b.interval, FRAME_MS);
});

test("late frames widen the interval up to the cap, never past it", () => {
  const b1 = frames(freshBudget(), 1, LATE_MS + 1);
  assert.ok(b1.interval > FRAME_MS, b1.interval);
  const b = frames(freshBudget(), 50, 200);
  assert.equal(b.interval, CAP_MS);
});

test("a wide interval makes the next update wait for its slot, coalescing what arrives meanwhile", () => {
  const b = { interval: 60, last: 1000 };
  // Any update arriving before the slot gets the same slot: one frame for all of them.
  const slots = [1001, 1010, 1030].map((now) => askAt(b, now));
  assert.deepEqual(slots, [1000 + 60 - FRAME_MS, 1000 + 60 - FRAME_MS, 1000 + 60 - FRAME_MS]);
  assert.equal(askAt(b, 1100), 1100); // after it: at once
});

test("frames on time narrow it back to one display frame", () => {
  const wide = frames(freshBudget(), 50, 200);
  const back = frames(wide, 40, 0, wide.last);
  assert.equal(back.interval, FRAME_MS);
});

test("no update waits past the cap after the last painted frame, whatever the budget says", () => {
  const hostile = [
    { interval: 1e308, last: 0 }, { interval: Infinity, last: 0 }, { interval: NaN, last: 0 },
    { interval: -5, last: 0 }, { interval: 50, last: NaN }, { interval: 50, last: -Infinity },
  ];
  for (const b of hostile) {
    for (const now of [0, 1, 50, 99, 1e6]) {
      const at = askAt(b, now);
      assert.ok(at >= now && at <= Math.max(now, CAP_MS - FRAME_MS), `${JSON.stringify(b)} ${now}: ${at}`);
    }
  }
});

test("a burst of updates, one every millisecond, is painted at least every CAP_MS", () => {
  let b = frames(freshBudget(), 50, 200); // a saturated page
  const start = b.last;
  let pending = null, painted = [start];
  for (let t = start; t < start + 2000; t += 1) {
    if (pending === null) pending = askAt(b, t); // the frame for the first update not painted
    if (t >= pending + FRAME_MS) { b = afterFrame(b, pending, t); painted.push(t); pending = null; }
  }
  const gaps = painted.slice(1).map((t, i) => t - painted[i]);
  assert.ok(gaps.length > 10, gaps);
  assert.ok(Math.max(...gaps) <= CAP_MS + 1, gaps);
});

test("a lateness that is not a number leaves the interval as it was", () => {
  const b = { interval: 40, last: 100 };
  assert.equal(afterFrame(b, NaN, 200).interval, 40);
  assert.equal(afterFrame(b, 150, NaN).last, 100);
});

test("a long animation frame seen since the last frame widens it, even if this one came on time", () => {
  const b = afterFrame(freshBudget(), 0, FRAME_MS, 1);
  assert.ok(b.interval > FRAME_MS, b.interval);
  assert.equal(afterFrame(b, 100, 100 + FRAME_MS, 0).interval < b.interval, true);
});
