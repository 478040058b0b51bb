// Durations as the config file writes them ("30s", "10m", "1h30m", "500ms"), read and written
// the way opswall/config/primitives.py does (parse_duration, format_duration). Pure.

const UNITS = [["d", 86400000], ["h", 3600000], ["m", 60000], ["s", 1000], ["ms", 1]];
const SIZE = Object.fromEntries(UNITS);
const NUMBER = /^\s*(\d+(?:\.\d+)?)\s*$/;
const PARTS = /^\s*(?:\d+(?:\.\d+)?\s*(?:ms|s|m|h|d)\s*)+$/;
const PART = /(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)/g;

/** Seconds from "1h30m" (units largest first, each once) or a plain number; null if not one. */
export function parseDuration(text) {
  const raw = String(text ?? "");
  const number = NUMBER.exec(raw);
  if (number) return Number(number[1]);
  if (!PARTS.test(raw)) return null;
  let millis = 0;
  let last = Infinity;
  for (const [, amount, unit] of raw.matchAll(PART)) {
    if (SIZE[unit] >= last) return null; // "30m1h", "1h1h": largest first, each once
    last = SIZE[unit];
    millis += Number(amount) * SIZE[unit];
  }
  return millis / 1000;
}

/** Seconds written as the file writes them: 600 -> "10m", 5400 -> "1h30m", 0.5 -> "500ms". */
export function formatDuration(seconds) {
  let millis = Math.round(seconds * 1000);
  if (!Number.isFinite(seconds) || millis <= 0 || Math.abs(millis - seconds * 1000) > 1e-6 * Math.max(1, seconds)) {
    return String(seconds);
  }
  let text = "";
  for (const [unit, size] of UNITS) {
    const count = Math.floor(millis / size);
    millis -= count * size;
    if (count) text += `${count}${unit}`;
  }
  return text;
}

/** A duration typed into a form: its tidy text, or null when it is not a positive duration. */
export function typedDuration(text) {
  const seconds = parseDuration(text);
  return seconds === null || seconds <= 0 ? null : String(text).replace(/\s+/g, "");
}
