/* Retry delays with exponential backoff and jitter (as the websockets client does): many wall
 * PCs that lost the same server do not all come back in the same instant. */

/** The wait before retry number `attempt` (0 first): min * 2^attempt, capped at max, then
 * scaled by a random factor within `spread`. */
export function backoff(attempt, { minMs, maxMs, spread = [0.5, 1] }, random = Math.random) {
  const base = Math.min(maxMs, minMs * Math.pow(2, attempt));
  return base * (spread[0] + random() * (spread[1] - spread[0]));
}
