// The pure halves of a span (issue 23): the gateway's clock from pings, the batches due in a
// frame, and the root's style for a slice or the whole canvas.
import { test } from "node:test";
import assert from "node:assert/strict";
import { addSample, bestOffset, dueBatches, sampleOf } from "../../opswall/static/lib/clock.js";
import { spanStyle } from "../../opswall/static/wall/span.js";

test("a ping's sample puts the gateway's reading halfway through the round trip", () => {
  assert.deepEqual(sampleOf(1000, 1010, 5005), { rtt: 10, offset: 4000 });
});

test("the offset is the one of the shortest round trip among the recent samples", () => {
  let samples = [];
  assert.equal(bestOffset(samples), null);
  samples = addSample(samples, { rtt: 30, offset: 90 });
  samples = addSample(samples, { rtt: 2, offset: 100 });
  samples = addSample(samples, { rtt: 8, offset: 96 });
  assert.equal(bestOffset(samples), 100);
  for (let i = 0; i < 16; i++) samples = addSample(samples, { rtt: 20, offset: 80 });
  assert.equal(samples.length, 16); // the old best has aged out
  assert.equal(bestOffset(samples), 80);
});

test("a batch is due in the first frame that begins at or after its instant", () => {
  const held = [{ at: 100, entries: [1] }, { at: 116, entries: [2] }, { at: 130, entries: [3] }];
  assert.deepEqual(dueBatches(held, 99.9).due, []);
  const { due, wait } = dueBatches(held, 116);
  assert.deepEqual(due.map((b) => b.entries[0]), [1, 2]);
  assert.deepEqual(wait.map((b) => b.entries[0]), [3]);
});

test("a slice's style moves the whole canvas by its offset, in one panel's units", () => {
  const wire = { w: 1290, h: 730, x: 650, y: 370, pw: 640, ph: 360 };
  const style = spanStyle(wire, false);
  assert.equal(style.width, "1290px");
  assert.equal(style.translate, "-650px -370px");
  assert.equal(style["--vh"], "3.6px");
  assert.equal(style["--vmin"], "3.6px");
  assert.equal(spanStyle(wire, true).translate, "0px 0px"); // ?canvas: the whole of it
  assert.equal(spanStyle(wire, false, { w: 640, h: 360 }).scale, undefined); // the panel's size
});

test("a viewport of another size gets the same picture scaled to fit", () => {
  const wire = { w: 1290, h: 730, x: 650, y: 370, pw: 640, ph: 360 };
  const half = spanStyle(wire, false, { w: 320, h: 200 }); // a miniature: scaled by 0.5
  assert.equal(half.scale, "0.5");
  assert.equal(half.translate, "-325px -185px");
  assert.equal(half["transform-origin"], "0 0");
  assert.equal(half["--vh"], "3.6px"); // laid out as on the panel, then scaled
  assert.equal(spanStyle(wire, true, { w: 645, h: 800 }).scale, "0.5"); // the whole canvas fits
});

test("a screen driving 2 x 2 panels as one desktop fills its window with its slice", () => {
  // Its slice is four panels (no gap inside it); its viewport units stay one panel's.
  const wire = { w: 1930, h: 1450, x: 650, y: 0, sw: 1280, sh: 720, pw: 640, ph: 360 };
  const own = spanStyle(wire, false, { w: 1280, h: 720 });
  assert.equal(own.scale, undefined); // drawn 1:1, not scaled up to fit one panel in it
  assert.equal(own.translate, "-650px 0px");
  assert.equal(own["--vw"], "6.4px");
  assert.equal(spanStyle(wire, false, { w: 640, h: 360 }).scale, "0.5"); // its miniature
});
