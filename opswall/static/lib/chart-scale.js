/* The chart tile's arithmetic (issue 22: a chart drawn as SVG, without Plotly): "nice" value
 * ticks, time ticks on the wall zone's clock, how many labels fit, locale number labels and the
 * lines' path data. Pure: no DOM, so `node --test tests/js/chart-scale.test.mjs` checks it. */

// Beyond these magnitudes the scale's arithmetic (a span of 5e-324 next to 0, a step that
// overflows) cannot place a point: such a point is left out, never thrown on (issue 17).
const TINY = 1e-300, HUGE = 1e300;
const MAX_TICKS = 60; // a bound on every tick loop, whatever the numbers
const GROUPED_BELOW = 1e15; // digits grouped up to here (42.230,5); beyond, 1,5E300
const PX_BOUND = 1e6; // a point far off the plot (a time from the far future) is drawn at its edge

/** Whether a value can be drawn: a finite number of a magnitude the scale can place. */
export function plottable(v) {
  if (typeof v !== "number" || !isFinite(v)) return false;
  const size = Math.abs(v);
  return size === 0 || (size >= TINY && size <= HUGE);
}

/** The smallest step of 1, 2 or 5 x 10^k that cuts `span` into at most `count` intervals. */
export function niceStep(span, count) {
  const raw = span / Math.max(1, count);
  if (!(raw > 0) || !isFinite(raw)) return 1;
  let step = Math.pow(10, Math.floor(Math.log10(raw)));
  for (const m of [1, 2, 5, 10]) {
    if (step * m >= raw * (1 - 1e-12)) return step * m;
  }
  return step * 10;
}

/** The value axis for data from `lo` to `hi` with room for `count` labels: the domain is the
 * data's, 5 % wider each side (the line uses the plot's height, as Plotly drew it), and the
 * ticks are the step's multiples inside it. `zero` puts 0 in the domain (an area filled down to
 * zero) as its edge. */
export function valueScale(lo, hi, count, zero) {
  if (!plottable(lo) || !plottable(hi) || lo > hi) { lo = 0; hi = 1; }
  const above = lo >= 0, below = hi <= 0;
  const pad = lo === hi ? (lo === 0 ? 1 : Math.abs(lo) / 10) : (hi - lo) / 20;
  lo -= pad; hi += pad;
  if (zero) { // the area's base, zero, is the plot's edge on the data's side
    lo = above ? 0 : Math.min(lo, 0);
    hi = below ? 0 : Math.max(hi, 0);
    if (hi <= lo) hi = lo + 1; // all zeros
  }
  const step = niceStep(hi - lo, Math.max(1, count - 1));
  const ticks = [];
  for (let k = Math.ceil(lo / step); k * step <= hi && ticks.length < MAX_TICKS; k++) ticks.push(k * step);
  return { lo, hi, step, ticks };
}

/** How many labels `size` px wide fit side by side in `length` px, an em apart (at least 2). */
export function fitCount(length, size, em) {
  return Math.max(2, Math.floor(length / (size + em)));
}

const SECOND = 1000, MINUTE = 60 * SECOND, HOUR = 60 * MINUTE, DAY = 24 * HOUR;
export const TIME_STEPS = [SECOND, 2 * SECOND, 5 * SECOND, 10 * SECOND, 15 * SECOND, 30 * SECOND,
  MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE,
  HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY];

/** The smallest time step whose labels (`label` px wide, or `label(step)` for labels that lose
 * their seconds on whole minutes) stay an em apart on a `width` px axis showing `spanMs`: labels
 * are level and never overlap (issue 18). */
export function timeStep(spanMs, width, label, em) {
  const perMs = width / Math.max(1, spanMs);
  const size = typeof label === "function" ? label : () => label;
  return TIME_STEPS.find((step) => step * perMs >= size(step) + em) || TIME_STEPS[TIME_STEPS.length - 1];
}

/** A zone's offset from UTC (ms) at an instant, looked up once per quarter hour of UTC: every
 * zone's changes of offset fall on a quarter hour. */
export function zoneOffsets(tz) {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: tz, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric",
    hour: "numeric", minute: "numeric", second: "numeric",
  });
  const known = new Map();
  return function offsetOf(ms) {
    const quarter = Math.floor(ms / (15 * MINUTE));
    if (!known.has(quarter)) {
      if (known.size > 512) known.clear();
      const at = quarter * 15 * MINUTE, v = {};
      parts.formatToParts(new Date(at)).forEach((p) => { v[p.type] = Number(p.value); });
      known.set(quarter, Date.UTC(v.year, v.month - 1, v.day, v.hour, v.minute, v.second) - at);
    }
    return known.get(quarter);
  };
}

/** The instants from `t0` to `t1` at which the zone's clock reads a whole `step` (every 30 s,
 * every 5 min...: 13:30, 13:35). Walked in real time, so across a change of offset the clock
 * is followed (an hour put back shows its labels twice, as the clock read them). */
export function timeTicks(t0, t1, step, offsetOf) {
  const ticks = [];
  if (!(t1 >= t0) || !(step > 0)) return ticks;
  const align = (t) => Math.ceil((t + offsetOf(t)) / step) * step - offsetOf(t);
  let t = align(t0);
  while (t <= t1 && ticks.length < MAX_TICKS) {
    if (t >= t0) ticks.push(t);
    let next = t + step;
    if ((next + offsetOf(next)) % step !== 0) next = align(next); // the offset changed on the way
    t = next > t ? next : t + step;
  }
  return ticks;
}

/** Time labels in the wall's zone and locale, 24 h: with seconds (when asked, and the step is
 * under a minute), without, or the day. */
export function timeLabels(numberLocale, tz, seconds) {
  const base = { timeZone: tz, hourCycle: "h23" };
  const withSeconds = new Intl.DateTimeFormat(numberLocale, { ...base, hour: "2-digit", minute: "2-digit", second: "2-digit" });
  const clock = new Intl.DateTimeFormat(numberLocale, { ...base, hour: "2-digit", minute: "2-digit" });
  const day = new Intl.DateTimeFormat(numberLocale, { ...base, day: "2-digit", month: "2-digit" });
  return function label(ms, step) {
    if (step >= DAY) {
      const p = {};
      day.formatToParts(ms).forEach((part) => { p[part.type] = part.value; });
      return p.day + "/" + p.month; // ICU writes vi-VN as "06-10": a reader writes 06/10
    }
    return (seconds && step < MINUTE ? withSeconds : clock).format(ms);
  };
}

/** Value labels as the locale writes them, for ticks `step` apart up to `maxAbs`: grouped digits
 * and as many decimals as the step needs (trailing zeros dropped), or an exponent where grouped
 * digits would be unreadable (from 1e15, or more than 10 decimals). */
export function valueLabels(numberLocale, step, maxAbs) {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  if (maxAbs < GROUPED_BELOW && decimals <= 10) {
    const fmt = new Intl.NumberFormat(numberLocale, { maximumFractionDigits: decimals });
    return (v) => fmt.format(Math.abs(v) < step / 2 ? 0 : v); // 0, not -0 or 1e-17
  }
  const digits = Math.floor(Math.log10(Math.max(maxAbs, step))) - Math.floor(Math.log10(step));
  const fmt = new Intl.NumberFormat(numberLocale, {
    notation: "scientific", maximumFractionDigits: Math.max(0, Math.min(16, digits)),
  });
  return (v) => fmt.format(Math.abs(v) < step / 2 ? 0 : v);
}

function bounded(px) {
  return Math.max(-PX_BOUND, Math.min(PX_BOUND, px)).toFixed(1);
}

/** SVG path data through the points (`ts`, `ys`) of a rolling window, in px of a plot where
 * `x(t)` and `y(v)` place them; "" when there is nothing to draw. */
export function linePath(ts, ys, x, y) {
  const parts = [];
  for (let i = 0; i < ts.length; i++) {
    const px = x(ts[i]), py = y(ys[i]);
    if (!isFinite(px) || !isFinite(py)) continue;
    parts.push((parts.length ? "L" : "M") + bounded(px) + " " + bounded(py));
  }
  return parts.length === 1 ? parts[0] + "h0.1" : parts.join("");
}

/** The area under a line down to `base` px (the zero line): the line closed along the base. */
export function areaPath(line, base) {
  if (!line) return "";
  const first = /^M(-?[\d.]+)/.exec(line), last = /(-?[\d.]+) -?[\d.]+(h0\.1)?$/.exec(line);
  if (!first || !last) return "";
  return line + "L" + last[1] + " " + bounded(base) + "L" + first[1] + " " + bounded(base) + "Z";
}

/** The smallest and largest of the series' values (the value axis' data range), or null. */
export function extent(series) {
  let lo = Infinity, hi = -Infinity;
  series.forEach((ys) => ys.forEach((v) => {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }));
  return lo <= hi ? [lo, hi] : null;
}
