// The pure parts tile modules export: the text tile's safe markdown, the KPI's threshold level.
import assert from "node:assert/strict";
import { test } from "node:test";
import { thresholdLevel } from "../../opswall/tiles/kpi.js";
import { markdown } from "../../opswall/tiles/text.js";

test("a feed's text is escaped before its markdown is read: no markup of its own", () => {
  assert.equal(markdown('<img src=x onerror="alert(1)">'), "<p>&lt;img src=x onerror=&quot;alert(1)&quot;&gt;</p>");
  assert.equal(markdown("**<b>**"), "<p><strong>&lt;b&gt;</strong></p>");
});

test("bold, italics, paragraphs and lists", () => {
  assert.equal(markdown("**Lũ** *sớm*\n\n- một\n- hai\nhết"),
    "<p><strong>Lũ</strong> <em>sớm</em></p><ul><li>một</li><li>hai</li></ul><p>hết</p>");
});

test("levels follow the direction that is good for the figure", () => {
  const higher = { direction: "higher_is_better", warning: 50, critical: 20 };
  assert.deepEqual([60, 50, 30, 20, 10].map((v) => thresholdLevel(v, higher)),
    ["good", "good", "warning", "warning", "critical"]);
  const lower = { direction: "lower_is_better", warning: 5, critical: 8 };
  assert.deepEqual([4, 6, 9].map((v) => thresholdLevel(v, lower)), ["good", "warning", "critical"]);
  assert.equal(thresholdLevel(1, null), null);
});
