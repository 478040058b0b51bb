/* The replay's clock and addresses (issue 24), pure: where a replay stands at a moment of wall
 * time, playing or paused at a speed, and the address of the same replay at another instant. */

export const SPEEDS = [1, 2, 5, 10, 30, 60];
export const STEP_MS = 10000; // what one step moves the replay, at 1x (times the speed)

/** A clock paused at `at` (ms since the epoch). */
export function pausedAt(at) {
  return { at, playing: false, speed: 1, wallAt: 0 };
}

/** The replay instant when the wall clock reads `wallNow`. */
export function instantOf(clock, wallNow) {
  return clock.playing ? clock.at + (wallNow - clock.wallAt) * clock.speed : clock.at;
}

/** Playing from where it stands at `wallNow`, at `speed` (clamped to the offered speeds). */
export function play(clock, wallNow, speed) {
  const s = SPEEDS.includes(speed) ? speed : 1;
  return { at: instantOf(clock, wallNow), playing: true, speed: s, wallAt: wallNow };
}

/** Paused where it stands at `wallNow`. */
export function pause(clock, wallNow) {
  return { at: instantOf(clock, wallNow), playing: false, speed: clock.speed, wallAt: wallNow };
}

/** The address of this replay at `at` (whole ms), keeping the other parameters. */
export function replayHref(location, at, extra) {
  const params = new URLSearchParams(location.search);
  params.set("at", String(Math.round(at)));
  Object.keys(extra || {}).forEach((key) => {
    if (extra[key] === null) params.delete(key); else params.set(key, String(extra[key]));
  });
  return location.pathname + "?" + params.toString();
}

/** An instant on the wall's clock as the wall's pages write it (web/pages.py STAMP):
 * 29/11/2026 15:30:05 in Vietnamese, 2026-11-29 15:30:05 in English. */
export function stampIn(ms, timeZone, locale) {
  const p = {};
  new Intl.DateTimeFormat("en-GB", {
    timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit",
    minute: "2-digit", second: "2-digit", hourCycle: "h23",
  }).formatToParts(new Date(ms)).forEach((part) => { p[part.type] = part.value; });
  const time = `${p.hour}:${p.minute}:${p.second}`;
  return locale === "en" ? `${p.year}-${p.month}-${p.day} ${time}` : `${p.day}/${p.month}/${p.year} ${time}`;
}
