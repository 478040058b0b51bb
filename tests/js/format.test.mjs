// Formatting: one locale per tile, and total: what cannot be shown reads as the invalid mark.
import assert from "node:assert/strict";
import { test } from "node:test";
import { INVALID, ageShown, isoOf, localeContext, numberOf } from "../../opswall/static/lib/format.js";

const NOW = Date.UTC(2026, 5, 10, 5, 30, 0); // 12:30 in Hanoi
const vi = localeContext({ tz: "Asia/Ho_Chi_Minh", locale: "vi", messages: { asof: "lúc" }, numberLocale: "vi-VN" }, () => NOW);
const en = localeContext({ tz: "Asia/Ho_Chi_Minh", locale: "en", messages: {}, numberLocale: "en-US" }, () => NOW);

test("numbers are grouped and pointed as the locale writes them", () => {
  assert.equal(en.number(43210.5), "43,210.5");
  assert.equal(vi.number(43210.5), "43.210,5");
  assert.equal(en.number(2, 2), "2.00");
  assert.equal(en.number(1.23456), "1.23"); // at most two decimals unless told
});

test("numbers sent as text are read as the numbers they write, nothing else is", () => {
  assert.equal(numberOf("21.5"), 21.5);
  assert.equal(numberOf("-1e3"), -1000);
  for (const junk of ["", "0x10", "1,5", " 1", "NaN", "Infinity", null, undefined, {}, NaN, Infinity]) {
    assert.equal(numberOf(junk), null, String(junk));
  }
});

test("what is not a number or not a time reads as the invalid mark", () => {
  assert.equal(en.number("lots"), INVALID);
  assert.equal(en.number(Number("1e400")), INVALID); // Infinity
  assert.equal(en.time(9e15), INVALID);
  assert.equal(en.time("12:00"), INVALID);
  assert.equal(en.when(undefined), INVALID);
  assert.equal(en.age(NaN), INVALID);
  assert.equal(isoOf(9e15), "");
});

test("times are on the wall's clock, 24 h", () => {
  assert.equal(en.time(NOW), "12:30:00");
  assert.equal(en.when(NOW - 60000), "12:29:00"); // today: the time alone
});

test("an older moment carries its date, written dd/mm in Vietnamese", () => {
  assert.equal(vi.when(NOW - 2 * 86400000), "12:30 08/06");
});

test("ages are relative and short", () => {
  assert.match(en.age(5000), /5 sec/);
  assert.match(en.age(3 * 3600 * 1000), /3 hr/);
  assert.equal(en.age(-5000), en.age(0)); // a clock a little ahead never reads as the future
});

test("an age is rounded down to its step: seconds under 10 s, 5 s under a minute, then units", () => {
  const shown = (ms) => ageShown(ms).seconds;
  assert.deepEqual([0, 999, 1000, 9999].map(shown), [0, 0, 1, 9]);
  assert.deepEqual([10000, 14999, 15000, 59999].map(shown), [10, 10, 15, 55]);
  assert.deepEqual([60000, 119999, 3599999, 3600000, 86399999].map(shown), [60, 60, 3540, 3600, 82800]);
  assert.equal(ageShown(86400000 * 3 + 5).count, 3);
  for (const ms of [0, 1234, 14999, 61000, 7300000, 9e10]) assert.ok(shown(ms) * 1000 <= ms, String(ms)); // never older than it is
  assert.equal(ageShown(NaN), null);
  assert.equal(ageShown(Infinity), null);
});

test("ages read in both languages, stepped", () => {
  assert.match(en.age(14999), /^10 sec\. ago$/);
  assert.match(vi.age(14999), /^10 giây trước$/);
  assert.match(en.age(19999), /^15 sec\. ago$/); // README: "15 sec. ago" for 15 to 20 s
  assert.match(vi.age(15000), /^15 giây trước$/);
  assert.match(en.age(59999), /^55 sec\. ago$/);
  assert.match(vi.age(125000), /^2 phút trước$/);
});

test("messages fall back to their key", () => {
  assert.equal(vi.msg("asof"), "lúc");
  assert.equal(vi.msg("unknown_key"), "unknown_key");
});
