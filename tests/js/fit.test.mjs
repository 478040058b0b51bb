// The pure half of fit.js: the bisection for the largest size that fits, and the re-fit rule
// that keeps text from jumping on every update.
import { test } from "node:test";
import assert from "node:assert/strict";
import { largestFitting, shouldMove } from "../../opswall/static/wall/fit.js";

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
