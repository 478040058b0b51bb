// A clip in step across a span (issue 23): the gateway's clock mapped to the clip's time, the
// nudge that closes a small offset, the seek for a large one, and hostile durations.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  correction, DEADBAND_S, LIVE_DELAY_SEGMENTS, LIVE_TARGET_MAX_S, liveCorrection, liveDelay, nudgeRate, offsetOf, RATE_SPAN, SEEK_BEYOND_S, SEEK_LEAD_MAX_S, seekPoint,
  shouldSeek, targetTime,
} from "../../opswall/static/lib/media-sync.js";

const near = (a, b) => Math.abs(a - b) < 1e-9;
const NOW = Date.UTC(2026, 10, 29, 19, 30, 0, 250); // a gateway instant, ms

test("the target is the gateway's time since the epoch, round the clip", () => {
  assert.equal(targetTime(10_250, 4), 2.25);
  assert.equal(targetTime(4_000, 4), 0);
  assert.equal(targetTime(10_250, 4, 10_000), 0.25); // another epoch
  assert.equal(targetTime(9_000, 4, 10_000), 3); // before the epoch: still round the loop
  const t = targetTime(NOW, 4);
  assert.ok(t >= 0 && t < 4);
  assert.ok(Math.abs(targetTime(NOW + 17, 4) - t - 0.017) < 1e-6); // a frame later, 17 ms on
});

test("every slice derives the same target from the same instant", () => {
  const slices = [0, 1, 2, 3].map(() => targetTime(NOW, 7.3));
  assert.equal(new Set(slices).size, 1);
});

test("hostile durations and clocks give no target", () => {
  for (const d of [0, -4, NaN, Infinity, -Infinity, undefined, null, "4", 5e-324 * 0]) {
    assert.equal(targetTime(NOW, d), null, String(d));
  }
  for (const now of [NaN, Infinity, undefined, "1"]) assert.equal(targetTime(now, 4), null);
  assert.equal(targetTime(NOW, 4, NaN), null);
  const huge = targetTime(NOW, 1e308); // a duration beyond any clock: the time since the epoch
  assert.ok(Math.abs(huge - NOW / 1000) < 1e-3);
  const tiny = targetTime(NOW, 5e-324); // no crash, within the clip
  assert.ok(tiny >= 0 && tiny <= 5e-324);
});

test("the offset goes the shorter way round the loop", () => {
  assert.ok(Math.abs(offsetOf(2.1, 2, 4) - 0.1) < 1e-9);
  assert.ok(Math.abs(offsetOf(1.9, 2, 4) + 0.1) < 1e-9);
  assert.ok(Math.abs(offsetOf(3.99, 0.01, 4) + 0.02) < 1e-9); // just before the wrap: behind
  assert.ok(Math.abs(offsetOf(0.01, 3.99, 4) - 0.02) < 1e-9); // just after it: ahead
  assert.ok(Math.abs(offsetOf(6, 1, 4) - 1) < 1e-9); // a position past the end (looped media)
  assert.equal(offsetOf(NaN, 1, 4), null);
  assert.equal(offsetOf(1, 1, Infinity), null);
  assert.equal(offsetOf(1, 1, 0), null);
});

test("a small offset is closed by a nudge within 0.97-1.03, none inside the deadband", () => {
  assert.equal(nudgeRate(0), 1);
  assert.equal(nudgeRate(DEADBAND_S * 0.9), 1);
  assert.equal(nudgeRate(-DEADBAND_S * 0.9), 1);
  assert.equal(nudgeRate(0.005), 0.99); // ahead: slower
  assert.equal(nudgeRate(-0.005), 1.01); // behind: faster
  assert.equal(nudgeRate(0.4), 1 - RATE_SPAN);
  assert.equal(nudgeRate(-0.4), 1 + RATE_SPAN);
  assert.equal(nudgeRate(NaN), 1);
  assert.equal(nudgeRate(Infinity), 1);
});

test("only an offset beyond the threshold seeks", () => {
  assert.equal(shouldSeek(SEEK_BEYOND_S), false);
  assert.equal(shouldSeek(SEEK_BEYOND_S + 0.001), true);
  assert.equal(shouldSeek(-2), true);
  assert.equal(shouldSeek(NaN), false);
});

test("a seek aims where the clip should be when the seek ends, the lead bounded", () => {
  assert.ok(near(seekPoint(10_000, 4, 0.1), 2.1));
  assert.equal(seekPoint(10_000, 4, 50), targetTime(10_000 + SEEK_LEAD_MAX_S * 1000, 4));
  assert.equal(seekPoint(10_000, 4, -3), 2);
  assert.equal(seekPoint(10_000, 4, NaN), 2);
  assert.ok(near(seekPoint(11_950, 4, 0.1), 0.05)); // round the loop
});

test("a slice seeks when far, nudges when near, and plays on alone with no target", () => {
  const far = correction({ positionS: 0.5, durationS: 4, nowMs: 10_000, leadS: 0.05 });
  assert.equal(far.offset, -1.5);
  assert.ok(near(far.seek, 2.05));
  assert.equal(far.rate, 1);
  const close = correction({ positionS: 2.005, durationS: 4, nowMs: 10_000 });
  assert.equal(close.seek, null);
  assert.equal(close.rate, 0.99);
  for (const durationS of [0, NaN, Infinity]) { // metadata not loaded, a live stream
    assert.deepEqual(correction({ positionS: 1, durationS, nowMs: 10_000 }), { offset: null, seek: null, rate: 1 });
  }
  assert.deepEqual(correction({ positionS: 1, durationS: 4, nowMs: null }), { offset: null, seek: null, rate: 1 });
});

// A live HLS stream with dated segments: program time = gateway time - four target durations.
test("the live delay is four target durations, none for a hostile one", () => {
  assert.equal(LIVE_DELAY_SEGMENTS, 4);
  assert.equal(liveDelay(2), 8);
  assert.equal(liveDelay(6), 24);
  assert.equal(liveDelay(LIVE_TARGET_MAX_S), 4 * LIVE_TARGET_MAX_S);
  for (const d of [0, -2, NaN, Infinity, LIVE_TARGET_MAX_S + 1, 1e308, undefined, null, "2"]) {
    assert.equal(liveDelay(d), null, String(d));
  }
});

test("every live slice aims at the same program time, whatever its own media timeline", () => {
  // Two players that started at different moments: their media times differ, their dates agree.
  const a = liveCorrection({ positionS: 12.3, programMs: NOW - 8000, targetDurationS: 2, nowMs: NOW });
  const b = liveCorrection({ positionS: 431.9, programMs: NOW - 8000, targetDurationS: 2, nowMs: NOW });
  assert.deepEqual(a, { offset: 0, seek: null, rate: 1 });
  assert.deepEqual(b, a);
});

test("a live slice a little off is nudged, one far off seeks by its offset plus its lead", () => {
  const ahead = liveCorrection({ positionS: 50, programMs: NOW - 7995, targetDurationS: 2, nowMs: NOW });
  assert.ok(near(ahead.offset, 0.005));
  assert.equal(ahead.rate, 0.99);
  assert.equal(ahead.seek, null);
  const behind = liveCorrection({ positionS: 50, programMs: NOW - 8010, targetDurationS: 2, nowMs: NOW });
  assert.equal(behind.rate, 1.02);
  // A whole segment behind (hls.js's own start is a segment nearer the edge: ahead).
  const start = liveCorrection({ positionS: 50, programMs: NOW - 6000, targetDurationS: 2, nowMs: NOW, leadS: 0.1 });
  assert.ok(near(start.offset, 2));
  assert.ok(near(start.seek, 48.1));
  assert.equal(start.rate, 1);
  const late = liveCorrection({ positionS: 50, programMs: NOW - 11000, targetDurationS: 2, nowMs: NOW, leadS: 9 });
  assert.ok(near(late.seek, 50 + 3 + SEEK_LEAD_MAX_S)); // the lead bounded
  const early = liveCorrection({ positionS: 1, programMs: NOW, targetDurationS: 2, nowMs: NOW });
  assert.equal(early.seek, 0); // never before the media's start
});

test("an undated stream, no clock or a hostile value: the live slice plays on alone", () => {
  const free = { offset: null, seek: null, rate: 1 };
  const base = { positionS: 50, programMs: NOW - 8000, targetDurationS: 2, nowMs: NOW };
  for (const change of [{ programMs: null }, { programMs: NaN }, { nowMs: null }, { nowMs: undefined },
    { targetDurationS: 0 }, { targetDurationS: Infinity }, { positionS: NaN }, { programMs: "1" }]) {
    assert.deepEqual(liveCorrection({ ...base, ...change }), free, JSON.stringify(change));
  }
});

test("a live slice behind does not seek past what it holds: it hurries while its player loads", () => {
  const behind = { positionS: 5.85, programMs: NOW - 12_000, targetDurationS: 2, nowMs: NOW };
  const waiting = liveCorrection({ ...behind, bufferedEndS: 6 }); // one segment in hand
  assert.ok(near(waiting.offset, -4));
  assert.equal(waiting.seek, null);
  assert.equal(waiting.rate, 1 + RATE_SPAN);
  assert.equal(liveCorrection({ ...behind, bufferedEndS: 10.3 }).seek, null); // not with a margin
  assert.ok(near(liveCorrection({ ...behind, bufferedEndS: 10.35 }).seek, 9.85));
  assert.equal(liveCorrection({ ...behind, bufferedEndS: NaN }).seek, null); // unknown: wait
  assert.ok(near(liveCorrection(behind).seek, 9.85)); // no buffer given: seek
  // A slice ahead seeks back whatever it holds (the player keeps a back buffer).
  const ahead = liveCorrection({ positionS: 20, programMs: NOW - 5_000, targetDurationS: 2, nowMs: NOW, bufferedEndS: 20.1 });
  assert.ok(near(ahead.seek, 17));
});
