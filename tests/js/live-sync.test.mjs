// A live WebRTC picture in step across a span (issue 23): a frame's capture time from the
// receiver's synchronisation source, the window of delays, and the step of the jitter target.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  addDelay, captureOf, DEADBAND_MS, DELAY_MS, delayStep, NTP_UNIX_MS, STEP_MAX_MS, TARGET_MAX_MS, WINDOW,
} from "../../opswall/static/lib/live-sync.js";

const UNIX = Date.UTC(2026, 10, 29, 22, 0, 0); // a capture instant, ms
const source = { rtpTimestamp: 1_000_000, captureTimestamp: UNIX + NTP_UNIX_MS };

test("a frame's capture time follows the 90 kHz RTP clock from the source's", () => {
  assert.equal(captureOf(1_000_000, source), UNIX);
  assert.equal(captureOf(1_003_000, source), UNIX + 1000 / 30); // the next frame at 30 fps
  assert.equal(captureOf(997_000, source), UNIX - 1000 / 30); // one already shown
});

test("the RTP clock wraps at 2^32: the nearer way round", () => {
  const late = { rtpTimestamp: 2 ** 32 - 1500, captureTimestamp: UNIX + NTP_UNIX_MS };
  assert.equal(captureOf(1500, late), UNIX + 3000 / 90); // past the wrap: after, not 13 h before
  const early = { rtpTimestamp: 1500, captureTimestamp: UNIX + NTP_UNIX_MS };
  assert.equal(captureOf(2 ** 32 - 1500, early), UNIX - 3000 / 90);
});

test("no capture time without a stamped source or with hostile values", () => {
  assert.equal(captureOf(1, null), null);
  assert.equal(captureOf(1, { rtpTimestamp: 1 }), null); // a sender without abs-capture-time
  assert.equal(captureOf(NaN, source), null);
  assert.equal(captureOf(1, { rtpTimestamp: 1, captureTimestamp: Infinity }), null);
  assert.equal(captureOf("1", source), null);
});

test("the window keeps the last frames' delays and drops non-numbers", () => {
  let delays = [];
  for (let i = 0; i < WINDOW + 5; i++) delays = addDelay(delays, i);
  assert.equal(delays.length, WINDOW);
  assert.equal(delays[0], 5);
  assert.deepEqual(addDelay([1], NaN), [1]);
  assert.deepEqual(addDelay([1], null), [1]);
});

const steady = (delay) => Array(WINDOW).fill(delay);

test("a slice showing frames later than the common delay asks its receiver for less", () => {
  const { target, error } = delayStep({ delays: steady(DELAY_MS + 50), current: 300 });
  assert.equal(error, 50);
  assert.ok(target < 300 && target >= 300 - STEP_MAX_MS);
});

test("a slice showing frames earlier asks for more, by at most a step", () => {
  assert.ok(delayStep({ delays: steady(DELAY_MS - 40), current: 100 }).target > 100);
  assert.equal(delayStep({ delays: steady(DELAY_MS - 1000), current: 100 }).target, 100 + STEP_MAX_MS);
});

test("within the deadband, or before a window of frames since the last step, the target stays", () => {
  assert.equal(delayStep({ delays: steady(DELAY_MS + DEADBAND_MS / 2), current: 250 }).target, 250);
  const few = delayStep({ delays: steady(DELAY_MS + 300).slice(1), current: 250 });
  assert.deepEqual(few, { target: 250, error: null });
  assert.equal(delayStep({ delays: undefined, current: 250 }).target, 250);
});

test("the median decides: one late frame does not move the receiver", () => {
  const delays = steady(DELAY_MS);
  delays[3] = DELAY_MS + 900;
  assert.equal(delayStep({ delays, current: 200 }).target, 200);
});

test("the target stays within what a receiver accepts", () => {
  assert.equal(delayStep({ delays: steady(DELAY_MS + 500), current: 20 }).target, 0);
  assert.equal(delayStep({ delays: steady(DELAY_MS - 500), current: TARGET_MAX_MS }).target, TARGET_MAX_MS);
  assert.ok(delayStep({ delays: steady(DELAY_MS - 100), current: null }).target > 0); // none asked yet
});

// Slices whose receivers need `own` ms besides the target they are asked, slewing to a new
// target at 100 ms a second, 30 frames a second; a step starts a new window.
function run(slices, seconds) {
  for (let frame = 0; frame < seconds * 30; frame++) {
    slices.forEach((s) => {
      s.shown += Math.max(-100 / 30, Math.min(100 / 30, s.own + s.target - s.shown));
      s.delays = addDelay(s.delays || [], s.shown);
      const { target } = delayStep({ delays: s.delays, current: s.target });
      if (target !== s.target) { s.target = target; s.delays = []; }
      s.worst = frame > 10 * 30 ? Math.max(s.worst || 0, Math.abs(s.shown - DELAY_MS)) : 0;
    });
  }
}

test("two slices with different delays converge on the same one, and stay", () => {
  const slices = [{ own: 40, target: 200, shown: 240 }, { own: 310, target: 200, shown: 510 }];
  run(slices, 20);
  slices.forEach((s) => assert.ok(s.worst < DEADBAND_MS + 2, JSON.stringify(s)));
});

test("no swing: a slice a long way off comes back without overshooting far", () => {
  const s = { own: 0, target: 200, shown: 200 };
  let lowest = Infinity, highest = -Infinity;
  for (let second = 0; second < 15; second++) {
    run([s], 1);
    lowest = Math.min(lowest, s.shown);
    highest = Math.max(highest, s.shown);
  }
  assert.ok(highest < DELAY_MS + 15, `overshoot to ${highest}`);
  assert.ok(Math.abs(s.shown - DELAY_MS) < DEADBAND_MS + 2);
  assert.ok(lowest >= 200);
});
