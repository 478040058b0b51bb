/* Formatting for the wall's locale, or for a tile that overrides it (data-locale). Every
 * formatter is total: a value it cannot show (a time out of range or not a date, NaN, text where
 * a number belongs) comes out as INVALID, never as an exception (issue 17). */

export const INVALID = "—";
const NUMERIC = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/; // the feed contract's numbers
const MAX_TIME_MS = 8.64e15; // the range of a JavaScript Date

export function isTime(ms) {
  return typeof ms === "number" && Math.abs(ms) <= MAX_TIME_MS;
}

/** A number, or numeric-looking text (a CSV adapter's "21.5") as the number it writes; else null. */
export function numberOf(value) {
  const n = typeof value === "string" && NUMERIC.test(value) ? Number(value) : value;
  return typeof n === "number" && isFinite(n) ? n : null;
}

/** An ISO time for a data attribute, "" for what is no time. */
export function isoOf(ms) {
  return isTime(ms) ? new Date(ms).toISOString() : "";
}

// The steps an age is shown in (issue 22): [below (s), step (s), unit, unit (s)]. A wall is read
// from metres away, by someone asking "is this current, and roughly how old": to the second
// while young, then in steps that change the text (and cost a frame) less often.
const AGE_STEPS = [
  [10, 1, "second", 1], [60, 5, "second", 1], [3600, 60, "minute", 60],
  [86400, 3600, "hour", 3600], [Infinity, 86400, "day", 86400],
];

/** The age shown for `ms`: whole seconds rounded DOWN to their step (a lower bound, as a clock
 * reads: "15 sec. ago" is 15 to 20 s), with that step's unit; null for what is no age. */
export function ageShown(ms) {
  if (typeof ms !== "number" || !isFinite(ms)) return null;
  const s = Math.max(0, Math.floor(ms / 1000)); // a clock a little ahead never reads as the future
  const [, step, unit, unitS] = AGE_STEPS.find(([below]) => s < below);
  const shown = s - (s % step);
  return { seconds: shown, step, unit, count: Math.floor(shown / unitS) };
}

/** How long ago, `ms` old, in the relative format's words ("15 sec. ago"), as ageShown steps it. */
export function ageOf(relative, ms) {
  const age = ageShown(ms);
  return age === null ? INVALID : relative.format(-age.count, age.unit);
}

function numberFormats(numberLocale) {
  const formats = {};
  return function numberFormat(decimals) {
    const fixed = typeof decimals === "number" && decimals >= 0 && decimals <= 20 ? Math.floor(decimals) : null;
    const key = fixed === null ? "auto" : String(fixed);
    if (!formats[key]) {
      formats[key] = new Intl.NumberFormat(numberLocale, fixed === null
        ? { maximumFractionDigits: 2 }
        : { minimumFractionDigits: fixed, maximumFractionDigits: fixed });
    }
    return formats[key];
  };
}

// ICU writes vi-VN day and month as "06-10": a Vietnamese reader writes 06/10 (issue 18).
function dayAndTime(whenFmt, locale, ms) {
  if (locale !== "vi") return whenFmt.format(ms);
  const p = {};
  whenFmt.formatToParts(ms).forEach((part) => { p[part.type] = part.value; });
  return p.hour + ":" + p.minute + " " + p.day + "/" + p.month;
}

/** The formatting context a tile is mounted with (see docs/tiles.md): `now` is the server's
 * clock as this page knows it. */
export function localeContext({ tz, locale, messages, numberLocale }, now) {
  const timeFmt = new Intl.DateTimeFormat(numberLocale, {
    timeZone: tz, hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
  });
  const dayFmt = new Intl.DateTimeFormat(numberLocale, { timeZone: tz, day: "2-digit", month: "2-digit", year: "numeric" });
  const whenFmt = new Intl.DateTimeFormat(numberLocale, {
    timeZone: tz, day: "2-digit", month: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  });
  const relative = new Intl.RelativeTimeFormat(numberLocale, { numeric: "always", style: "short" });
  const numberFormat = numberFormats(numberLocale);
  return {
    locale, tz, numberLocale, invalid: INVALID,
    msg: (key) => messages[key] || key,
    number(value, decimals) {
      const n = numberOf(value);
      return n === null ? INVALID : numberFormat(decimals).format(n);
    },
    time: (ms) => (isTime(ms) ? timeFmt.format(ms) : INVALID),
    // A moment that may be days old (a report's submission): the time today, else the date too.
    when(ms) {
      if (!isTime(ms)) return INVALID;
      const today = dayFmt.format(now()) === dayFmt.format(ms);
      return today ? timeFmt.format(ms) : dayAndTime(whenFmt, locale, ms);
    },
    toNumber: numberOf,
    age: (ms) => ageOf(relative, ms),
    now,
  };
}
