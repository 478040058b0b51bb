/* The active alerts a feed of alerts carries, as the wall's alerts tiles and the leader's panel
 * both read them (one model, so the panel lists exactly what the wall shows).
 *
 * A feed may send the whole active list in one field ({"alerts": [...]}) or one alert per entry
 * (raise, or `state: "cleared"`). Two alerts that say the same thing in the same place with
 * the same severity (a source re-raising one under a new id, minutes later) are one row, the
 * newest: never the same warning twice (issue 18). */
export const SEVERITIES = ["critical", "warning", "info"];
// A source that raises and never clears must not grow a page for days: the oldest go.
const ACTIVE_MAX = 500;

function normalise(raw, asof) {
  const severity = SEVERITIES.indexOf(raw.severity) >= 0 ? raw.severity : "info";
  const area = raw.area ? String(raw.area) : "", text = String(raw.text || "");
  // No id: the alert is what it says where (the same text in two areas is two alerts).
  return { id: raw.id !== undefined ? String(raw.id) : area + "\u0000" + text, severity,
           area, text, at: typeof raw.ts === "number" ? raw.ts : asof };
}

/** A feed's active alerts: push(fields, asof) each entry, list() what to show. */
export function activeAlerts(field) {
  let active = new Map(); // id -> alert, oldest raised first
  return {
    push(fields, asof) {
      const whole = fields[field];
      if (Array.isArray(whole)) {
        active = new Map();
        whole.forEach((raw) => {
          if (raw && typeof raw === "object") { const a = normalise(raw, asof); active.set(a.id, a); }
        });
      } else if (fields.text !== undefined || fields.state === "cleared") {
        const alert = normalise(fields, asof);
        active.delete(alert.id);
        if (fields.state !== "cleared") {
          active.set(alert.id, alert);
          if (active.size > ACTIVE_MAX) active.delete(active.keys().next().value);
        }
      }
    },
    /** Newest first, one row per (severity, area, text). */
    list() {
      return distinct(Array.from(active.values()).sort((a, b) => b.at - a.at));
    },
  };
}

/** Of alerts newest first, the first of each (severity, area, text): what a reader tells apart. */
export function distinct(alerts) {
  const seen = new Set();
  return alerts.filter((a) => {
    const key = [a.severity, a.area, a.text].join("\u0000");
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** How many of `alerts` each severity has, in SEVERITIES order. */
export function countBySeverity(alerts) {
  return SEVERITIES.map((s) => alerts.filter((a) => a.severity === s).length);
}
