// A wall page's first values, read from its own root (static/wall/first-frames.js).
import assert from "node:assert/strict";
import { test } from "node:test";
import { firstFrames, requestSentAt, skewOf } from "../../opswall/static/wall/first-frames.js";

const root = (first) => ({ dataset: first === undefined ? {} : { first } });
const welcome = { type: "welcome", rev: "r", now: 5000, redis: true };

test("the welcome's clock and the data frame's well-formed entries", () => {
  const entries = [["load", "1-0", 900, { value: 1 }], ["load", 2, 900, {}], ["x", "2-0", "900", {}],
                   ["x", "3-0", 900, null], ["x", "4-0", 900, [1]], "junk", ["rivers", "5-0", 950, { rows: [] }]];
  const first = firstFrames(root(JSON.stringify([welcome, { type: "data", entries }])));
  assert.deepEqual(first, { now: 5000, entries: [entries[0], entries[6]] });
});

test("no first values, or not the expected shape: null, the page waits for its socket", () => {
  for (const text of [undefined, "", "{", "null", "[]", "{}", JSON.stringify([welcome]),
                      JSON.stringify([{ ...welcome, now: "5000" }, { type: "data", entries: [] }]),
                      JSON.stringify([welcome, { type: "data", entries: {} }]),
                      JSON.stringify([{ type: "data", entries: [] }, welcome]), "[".repeat(100000)]) {
    assert.equal(firstFrames(root(text)), null, String(text).slice(0, 40));
  }
});

test("the offset errs towards the server being ahead: ages are never judged younger", () => {
  // Stamped at 10 000 on the server; the request left at 9 000 on the page's clock: whatever
  // the true offset, the server's clock then was at most 10 000 - 9 000 ahead.
  assert.equal(skewOf(10000, 9000), 1000);
});

test("the request that brought the page: the newest page callback, else the navigation", () => {
  const perf = (resources) => ({
    timeOrigin: 1000,
    getEntriesByType: (kind) => (kind === "resource" ? resources : [{ startTime: 0 }]),
  });
  const call = (startTime) => ({ name: "http://w/_dash-update-component", startTime });
  assert.equal(requestSentAt(perf([call(50), { name: "http://w/x.js", startTime: 80 }, call(70)])), 1070);
  assert.equal(requestSentAt(perf([])), 1000);
});
