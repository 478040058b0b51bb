// The chart's scales (issue 22: drawn without Plotly): nice value ticks, time ticks on the wall
// zone's clock across changes of offset, labels that fit, locale numbers, and path data.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  areaPath, extent, fitCount, linePath, niceStep, plottable, timeLabels, timeStep, timeTicks,
  valueLabels, valueScale, zoneOffsets,
} from "../../opswall/static/lib/chart-scale.js";

test("hostile numbers are not plottable; ordinary ones, zero and the extremes kept, are", () => {
  for (const junk of [NaN, Infinity, -Infinity, 5e-324, 1e308, -1e308, "5", null, undefined]) {
    assert.equal(plottable(junk), false, String(junk));
  }
  for (const v of [0, -0, 1, -42230.5, 1e-300, 1e300]) assert.equal(plottable(v), true, String(v));
});

test("steps are 1, 2 or 5 times a power of ten", () => {
  assert.equal(niceStep(100, 5), 20);
  assert.equal(niceStep(120, 5), 50);
  assert.equal(niceStep(0.7, 7), 0.1);
  assert.equal(niceStep(0, 5), 1);
  assert.equal(niceStep(NaN, 5), 1);
});

test("the value domain is the data's, a little wider, with at most the labels that fit", () => {
  const s = valueScale(42230.5, 42350.5, 6, false);
  assert.deepEqual([s.lo, s.hi, s.step], [42224.5, 42356.5, 50]);
  assert.deepEqual(s.ticks, [42250, 42300, 42350]);
  for (let count = 2; count < 12; count++) {
    for (const [lo, hi] of [[0, 1], [3, 97], [-12.5, 7], [42230.5, 42350.5], [1e-300, 3e-300]]) {
      const scale = valueScale(lo, hi, count, false);
      assert.ok(scale.ticks.length <= count, `${lo}..${hi} in ${count}: ${scale.ticks.length}`);
      assert.ok(scale.lo < lo && scale.hi > hi);
      assert.ok(scale.ticks.every((t) => t >= scale.lo && t <= scale.hi));
    }
  }
});

test("a flat line, an area and a hostile range still give a scale", () => {
  const flat = valueScale(5, 5, 5, false);
  assert.ok(flat.lo < 5 && flat.hi > 5 && flat.ticks.includes(5));
  assert.ok(valueScale(0, 0, 5, false).hi > 0);
  const area = valueScale(40, 60, 5, true);
  assert.equal(area.lo, 0);
  assert.equal(valueScale(0, 60, 5, true).lo, 0); // the area's base is the plot's edge
  assert.deepEqual([valueScale(0, 0, 5, true).lo, valueScale(0, 0, 5, true).hi], [0, 1]);
  for (const [lo, hi] of [[NaN, 1], [-1e300, 1e300], [1e300, 1e300], [5, 1], [1e-300, 1e-300]]) {
    const s = valueScale(lo, hi, 6, false);
    assert.ok(isFinite(s.lo) && isFinite(s.hi) && s.hi > s.lo && s.ticks.length >= 1, `${lo}..${hi}`);
  }
});

test("as many labels as fit an em apart, at least two", () => {
  assert.equal(fitCount(1000, 80, 20), 10);
  assert.equal(fitCount(50, 80, 20), 2);
});

test("the time step is the smallest whose labels do not touch", () => {
  // 5 minutes on 1000 px: 3.33 px per second; labels 80 px wide plus an 18 px em need 30 s.
  assert.equal(timeStep(300_000, 1000, 80, 18), 30_000);
  assert.equal(timeStep(600_000, 1000, 80, 18), 60_000);
  assert.equal(timeStep(60_000, 4000, 80, 18), 2_000);
  assert.equal(timeStep(1e15, 10, 80, 18), 7 * 86_400_000); // never none
  // 10 minutes on 1000 px: "00:00:00" (80 px) needs 60 s; on whole minutes "00:00" (50 px) fits.
  const width = (step) => (step < 60_000 ? 80 : 50);
  assert.equal(timeStep(600_000, 1000, width, 18), 60_000);
  assert.equal(timeStep(300_000, 1000, width, 18), 30_000);
});

const hanoi = zoneOffsets("Asia/Ho_Chi_Minh");
const brussels = zoneOffsets("Europe/Brussels");
const kathmandu = zoneOffsets("Asia/Kathmandu");

test("zone offsets, including the quarter-hour zones and summer time", () => {
  assert.equal(hanoi(Date.UTC(2026, 5, 10, 5, 30)), 7 * 3_600_000);
  assert.equal(brussels(Date.UTC(2026, 0, 10)), 3_600_000);
  assert.equal(brussels(Date.UTC(2026, 6, 10)), 7_200_000);
  assert.equal(kathmandu(Date.UTC(2026, 5, 10)), 5.75 * 3_600_000);
});

test("time ticks fall where the wall zone's clock reads whole steps", () => {
  const en = timeLabels("en-US", "Asia/Kathmandu", false);
  const t0 = Date.UTC(2026, 5, 10, 5, 1);
  const ticks = timeTicks(t0, t0 + 3_600_000, 15 * 60_000, kathmandu);
  assert.deepEqual(ticks.map((t) => en(t, 900_000)), ["11:00", "11:15", "11:30", "11:45"]);
  const hourly = timeTicks(t0, t0 + 3 * 3_600_000, 3_600_000, kathmandu);
  assert.deepEqual(hourly.map((t) => en(t, 3_600_000)), ["11:00", "12:00", "13:00"]);
});

test("across the night summer time ends, the ticks follow the clock: 02:00-03:00 shows twice", () => {
  const labels = timeLabels("en-GB", "Europe/Brussels", false);
  const start = Date.UTC(2026, 9, 24, 23, 10); // 01:10 summer time, 25 October
  const ticks = timeTicks(start, start + 3 * 3_600_000, 30 * 60_000, brussels);
  assert.deepEqual(ticks.map((t) => labels(t, 1_800_000)),
    ["01:30", "02:00", "02:30", "02:00", "02:30", "03:00"]);
  ticks.slice(1).forEach((t, i) => assert.equal(t - ticks[i], 1_800_000)); // evenly spaced
});

test("across the night summer time starts, 02:00-03:00 never is", () => {
  const labels = timeLabels("en-GB", "Europe/Brussels", false);
  const start = Date.UTC(2026, 2, 29, 0, 10); // 01:10 winter time, 29 March
  const ticks = timeTicks(start, start + 2 * 3_600_000, 30 * 60_000, brussels);
  assert.deepEqual(ticks.map((t) => labels(t, 1_800_000)), ["01:30", "03:00", "03:30", "04:00"]);
});

test("time labels read 24 h in the locale, with seconds when asked, the day for daily steps", () => {
  const t = Date.UTC(2026, 5, 10, 6, 32, 5); // 13:32:05 in Hanoi
  assert.equal(timeLabels("vi-VN", "Asia/Ho_Chi_Minh", true)(t, 5000), "13:32:05");
  assert.equal(timeLabels("vi-VN", "Asia/Ho_Chi_Minh", true)(t - 5000, 60_000), "13:32"); // whole minutes
  assert.equal(timeLabels("en-US", "Asia/Ho_Chi_Minh", false)(t, 60_000), "13:32");
  assert.equal(timeLabels("vi-VN", "Asia/Ho_Chi_Minh", false)(t, 86_400_000), "10/06");
});

test("time ticks are bounded and total", () => {
  assert.deepEqual(timeTicks(10, 0, 1000, hanoi), []);
  assert.deepEqual(timeTicks(0, 1000, 0, hanoi), []);
  assert.ok(timeTicks(0, 8.64e15, 1000, () => 0).length <= 60);
});

test("value labels group digits as the locale does, with the step's decimals", () => {
  const vi = valueLabels("vi-VN", 0.5, 42300), en = valueLabels("en-US", 0.5, 42300);
  assert.deepEqual([vi(42230.5), vi(42230), en(42230.5)], ["42.230,5", "42.230", "42,230.5"]);
  assert.equal(valueLabels("en-US", 0.1, 1)(0.30000000000000004), "0.3");
  assert.equal(valueLabels("en-US", 0.1, 1)(-1e-17), "0"); // not -0
  assert.equal(valueLabels("en-US", 1e14, 9e14)(9e14), "900,000,000,000,000");
});

test("beyond 1e15, or finer than 10 decimals, an exponent: not 301 digits", () => {
  assert.equal(valueLabels("en-US", 5e299, 1e300)(1.5e300), "1.5E300");
  assert.equal(valueLabels("vi-VN", 5e299, 1e300)(1.5e300), "1,5E300");
  assert.equal(valueLabels("en-US", 1e-301, 3e-300)(2e-300), "2E-300");
  const big = valueLabels("en-US", 1e15, 5e15);
  assert.notEqual(big(2e15), big(3e15));
});

const x = (t) => t / 10, y = (v) => 100 - v;

test("a path runs through the window's points, one decimal, bounded to the plot's reach", () => {
  assert.equal(linePath([0, 10, 20], [1, 2, 3], x, y), "M0.0 99.0L1.0 98.0L2.0 97.0");
  assert.equal(linePath([], [], x, y), "");
  assert.equal(linePath([0], [5], x, y), "M0.0 95.0h0.1"); // one point still shows
  assert.equal(linePath([1e20], [5], x, y), "M1000000.0 95.0h0.1");
  assert.equal(linePath([0, NaN], [1, 2], x, y), "M0.0 99.0h0.1");
});

test("an area closes its line along the zero line", () => {
  assert.equal(areaPath("M0.0 99.0L2.0 97.0", 100), "M0.0 99.0L2.0 97.0L2.0 100.0L0.0 100.0Z");
  assert.equal(areaPath("", 100), "");
});

test("the data range spans every series, and is null without data", () => {
  assert.deepEqual(extent([[3, 1], [7]]), [1, 7]);
  assert.equal(extent([[], []]), null);
});
