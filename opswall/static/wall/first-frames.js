/* The page's first values, carried by its own HTML (issue 22, part 4; web/first_values.py): the
 * gateway's welcome and first data frame as the web process read them when it rendered the
 * page. Painted at once, before the socket is up; the hello then names the ids they hold, so
 * the gateway sends only what came after. Read defensively: a root without them, or with
 * anything but the expected shape, gives null and the page waits for its socket as before. */

function isEntry(e) {
  return Array.isArray(e) && e.length === 4 && typeof e[0] === "string" && typeof e[1] === "string" &&
    Number.isFinite(e[2]) && e[3] !== null && typeof e[3] === "object" && !Array.isArray(e[3]);
}

/** {now, entries} of the root's `data-first`, or null. */
export function firstFrames(root) {
  let frames;
  try { frames = JSON.parse(root.dataset.first || "null"); } catch { return null; }
  if (!Array.isArray(frames) || frames.length !== 2) return null;
  const [welcome, data] = frames;
  if (!welcome || welcome.type !== "welcome" || !Number.isFinite(welcome.now)) return null;
  if (!data || data.type !== "data" || !Array.isArray(data.entries)) return null;
  return { now: welcome.now, entries: data.entries.filter(isEntry) };
}

/** The server's clock minus the page's, erring towards the server being ahead: `now` was stamped
 * after the request that brought it left the page (`sentAt`, the page's clock), so an age
 * judged with this offset is never younger than the truth (an old value never looks fresh). */
export function skewOf(now, sentAt) {
  return now - sentAt;
}

/** When (the page's epoch ms) the request that brought the first frames left: the newest page
 * callback's, else the navigation's. */
export function requestSentAt(perf) {
  const calls = perf.getEntriesByType("resource").filter((r) => r.name.includes("/_dash-update-component"));
  const last = calls.length ? calls[calls.length - 1] : perf.getEntriesByType("navigation")[0];
  return perf.timeOrigin + (last ? last.startTime : 0);
}
