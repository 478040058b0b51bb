// Stream-id order: an entry is applied at most once because ids are compared per feed.
import assert from "node:assert/strict";
import { test } from "node:test";
import { isAfter, parseId } from "../../opswall/static/lib/stream-ids.js";

test("an id reads as milliseconds and sequence; a bare one has sequence 0", () => {
  assert.deepEqual(parseId("1700000000000-3"), [1700000000000, 3]);
  assert.deepEqual(parseId("42"), [42, 0]);
});

test("ids order by milliseconds, then by sequence, numerically", () => {
  assert.equal(isAfter("2-0", "1-9"), true);
  assert.equal(isAfter("1-10", "1-9"), true); // not compared as text
  assert.equal(isAfter("1-9", "1-10"), false);
  assert.equal(isAfter("10-0", "9-0"), true);
});

test("the same id is not after itself: a replayed entry is dropped", () => {
  assert.equal(isAfter("5-1", "5-1"), false);
});

test("anything comes after no reference", () => {
  assert.equal(isAfter("0-0", undefined), true);
  assert.equal(isAfter("0-0", null), true);
});
