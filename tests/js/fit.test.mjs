// The pure half of fit.js: the bisection for the largest size that fits, and the re-fit rule
// that keeps text from jumping on every update.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fittingFrom, largestFitting, shouldMove } from "../../opswall/static/wall/fit.js";

test("the largest size that fits, within half a pixel", () => {
  const size = largestFitting(12, 80, (s) => s <= 37.3);
  assert.ok(size <= 37.3 && size > 36.8, String(size));
});

test("the ceiling when everything fits, the floor when nothing does", () => {
  assert.equal(largestFitting(12, 80, () => true), 80);
  assert.equal(largestFitting(12, 80, () => false), 12);
  assert.equal(largestFitting(20, 12, () => true), 20); // a floor above the ceiling wins
});

test("a re-fit always shrinks, and grows only past the step", () => {
  assert.equal(shouldMove(null, 30), true);
  assert.equal(shouldMove(30, 29.5), true);
  assert.equal(shouldMove(30, 31), false);
  assert.equal(shouldMove(30, 33), true);
});

test("an update never measures: a new shape is checked later, a much shorter one re-fitted", async () => {
  const { needsFit } = await import("../../opswall/static/wall/fit.js");
  const last = { shape: "0:20", fitted: "0:20" };
  assert.deepEqual(needsFit(null, "0:5"), { fit: true, check: false }); // never fitted
  assert.deepEqual(needsFit(last, "0:20"), { fit: false, check: false }); // same shape
  assert.deepEqual(needsFit(last, "0:21"), { fit: false, check: true }); // checked next frame
  assert.deepEqual(needsFit(last, "0:10"), { fit: true, check: true }); // much shorter: may grow
});

test("an overflowing figure re-fits from how far it overflowed, in one or two layouts", () => {
  // A one-line figure 1.25 x too wide at 60 px: it fits up to 48 px.
  let tries = 0;
  const fits = (s) => { tries++; return s <= 48; };
  const size = fittingFrom(60, 0.8, 12, 80, fits);
  assert.ok(size <= 48 && size >= 46, String(size));
  assert.equal(tries, 1);
  tries = 0;
  largestFitting(12, 80, fits); // what it cost before: a bisection from the ceiling
  assert.ok(tries >= 7, String(tries));
});

test("a re-fit whose estimate still overflows (text that wraps) bisects below it", () => {
  const size = fittingFrom(60, 0.8, 12, 80, (s) => s <= 30); // no better than before, no worse
  assert.ok(size <= 30 && size > 29, String(size));
});

test("a hostile or useless ratio falls back to the full bisection", () => {
  for (const ratio of [NaN, 0, 1, 1.5, -2, Infinity]) {
    assert.ok(Math.abs(fittingFrom(60, ratio, 12, 80, (s) => s <= 37.3) - 37.3) <= 0.5, String(ratio));
  }
  assert.equal(fittingFrom(60, 0.05, 12, 80, () => false), 12); // never under the floor
});
