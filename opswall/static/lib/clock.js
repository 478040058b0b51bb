/* The gateway's clock as a page estimates it, and when held entries fall due (issue 23): the
 * slices of a span apply each live entry in the first frame at or after the instant the gateway
 * stamped on it (`at`, its own clock), so every browser of the span shows it in the same frame.
 * Pure: the wall's sync.js feeds it pings and frames. */

const SAMPLES = 16;

/** A ping's round trip: { rtt, offset } where offset = gateway clock - page clock, taking the
 * gateway's reading to lie halfway through the round trip. */
export function sampleOf(sentMs, receivedMs, gatewayMs) {
  const rtt = Math.max(0, receivedMs - sentMs);
  return { rtt, offset: gatewayMs - (sentMs + rtt / 2) };
}

/** The recent samples with `sample` added, at most SAMPLES. */
export function addSample(samples, sample) {
  const next = samples.concat([sample]);
  return next.length > SAMPLES ? next.slice(next.length - SAMPLES) : next;
}

/** The offset of the sample with the shortest round trip: the least queueing, so the least
 * error (at most half its round trip); null before any. */
export function bestOffset(samples) {
  let best = null;
  for (const s of samples) if (best === null || s.rtt < best.rtt) best = s;
  return best === null ? null : best.offset;
}

/** Splits held batches ({at, entries}) into those due in a frame that began at `frameMs` (on the
 * gateway's clock) and those still to wait, in the order they came. */
export function dueBatches(held, frameMs) {
  const due = [], wait = [];
  for (const batch of held) (batch.at <= frameMs ? due : wait).push(batch);
  return { due, wait };
}
