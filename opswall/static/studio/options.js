// A new tile's options from its form: each field's typed value, by the field's kind as the
// server's palette describes it (opswall/studio/palette.py). Pure; an empty box is left out,
// so the options model's default applies.

import { formatDuration, parseDuration, typedDuration } from "./durations.js";

const IDENTIFIER = /^[a-z0-9][a-z0-9_-]*$/;

/** A duration box's text as the file writes it ("600" -> "10m"), or null when it is not one. */
export function durationText(text) {
  const typed = typedDuration(text);
  if (typed === null) return null;
  return /^\d+(\.\d+)?$/.test(typed) ? formatDuration(parseDuration(typed)) : typed;
}

/** May `id` name a new tile in `layout`? */
export function freshId(id, layout) {
  return IDENTIFIER.test(id) && id.length <= 64 && !layout.tiles.some((tile) => tile.id === id);
}

/** One field's value from its raw inputs ({value} or {vi, en} or {checked}); undefined: none. */
export function optionValue(field, raw) {
  switch (field.kind) {
    case "bool":
      return raw.checked === Boolean(field.default) ? undefined : raw.checked;
    case "int":
    case "number": {
      if (raw.value === "") return undefined;
      const number = Number(raw.value);
      return Number.isFinite(number) ? number : raw.value; // the loader names a bad one
    }
    case "text": {
      const text = {};
      if (raw.vi) text.vi = raw.vi;
      if (raw.en) text.en = raw.en;
      return Object.keys(text).length ? text : undefined;
    }
    case "file":
      return undefined;
    case "duration":
      if (raw.value === "") return undefined;
      return durationText(raw.value) ?? raw.value; // the loader names a bad one, located
    default:
      return raw.value === "" ? undefined : raw.value;
  }
}

/** The options object of a new tile from every field's raw inputs. */
export function optionsOf(fields, raws) {
  const options = {};
  for (const field of fields) {
    const value = optionValue(field, raws[field.name] || {});
    if (value !== undefined) options[field.name] = value;
  }
  return options;
}

/** What a field's inputs show for `value` (the same shape `raws` reads back). */
export function shown(field, value) {
  if (field.kind === "bool") return { checked: value === undefined ? Boolean(field.default) : Boolean(value) };
  if (field.kind === "text") {
    const text = value && typeof value === "object" ? value : {};
    return { vi: text.vi || "", en: text.en || "" };
  }
  return { value: value === undefined || value === null ? "" : String(value) };
}

/** An edited tile's options: a field left as it was shown keeps its value exactly as the file
 * had it (a duration stays "10m"); fields the form does not hold (kind "file") are kept. */
export function edited(fields, raws, original) {
  const options = { ...original };
  for (const field of fields) {
    if (field.kind === "file") continue;
    const raw = raws[field.name] || {};
    const before = shown(field, original[field.name]);
    if (Object.keys(before).every((key) => (raw[key] ?? "") === before[key])) continue;
    const value = optionValue(field, raw);
    if (value === undefined) delete options[field.name];
    else options[field.name] = value;
  }
  return options;
}
