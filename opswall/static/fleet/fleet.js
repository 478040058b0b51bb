/* /admin/screens, kept live (issue 21): the fleet's JSON every few seconds, rendered into the
 * table. The first render uses the JSON the page came with (data-fleet), so nothing waits for a
 * request. Times are written on the wall's clock (data-tz) in the page's language. A module
 * file, not an inline script: the pages' Content-Security-Policy allows this server's files only.
 */
import { syncMiniatures } from "./miniatures.js";

const TREND_MARKS = { rising: "↗", flat: "→", falling: "↘" };
const table = document.getElementById("fleet");
const words = JSON.parse(table.dataset.words);
const locale = table.dataset.locale === "vi" ? "vi-VN" : "en-GB";
const clock = new Intl.DateTimeFormat(locale, {
  timeZone: table.dataset.tz, dateStyle: "short", timeStyle: "medium",
});
const numbers = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });

function el(tag, text, attrs = {}) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  return node;
}

export function ageSeconds(now, at) {
  return at ? Math.max(0, Math.round((now - at) / 1000)) : null;
}

function stateBadge(state) {
  return el("span", words["fleet_" + state] || state, { class: "state fleet-" + state });
}

function button(screen, command) {
  const form = el("form", null, { method: "post", action: "/admin/screens", class: "inline" });
  form.append(
    el("input", null, { type: "hidden", name: "csrf_token", value: table.dataset.csrf }),
    el("input", null, { type: "hidden", name: "screen", value: screen }),
  );
  const submit = el("button", words["fleet_" + command], {
    name: "command", value: command, class: "btn-small", "aria-label": words["fleet_" + command] + " " + screen,
  });
  submit.dataset.command = command;
  form.append(submit);
  return form;
}

function lines(devices, describe) {
  const cell = el("td");
  for (const device of devices) {
    const line = el("div", describe(device));
    line.dataset.device = device.device;
    cell.append(line);
  }
  return cell;
}

// The heap now and where it goes over the last reports (the fleet's `heap_trend`).
export function heap(device) {
  const bytes = (device.report || {}).heap;
  if (!bytes) return "–";
  const trend = device.heap_trend;
  const mb = numbers.format(bytes / 1048576) + " MB";
  return trend ? `${mb} ${TREND_MARKS[trend]} ${words["fleet_" + trend]}` : mb;
}

// A device's video panes in short: how many in each state, naming those not live.
export function panes(list) {
  const counts = new Map();
  for (const pane of list) counts.set(pane.state, (counts.get(pane.state) || 0) + 1);
  const parts = [...counts].map(([state, n]) => `${n} ${words["pane_" + state] || state}`);
  const down = list.filter((p) => p.state !== "live").map((p) => p.site || p.tile);
  return parts.length ? parts.join(", ") + (down.length ? ` (${down.join(", ")})` : "") : "–";
}

function row(screen, now) {
  const tr = el("tr", null, { "data-screen": screen.screen, "data-state": screen.state });
  const devices = screen.devices;
  const report = (d) => d.report || {};
  const title = el("td");
  title.append(el("b", screen.screen), el("br"), el("span", screen.title, { class: "muted" }));
  const state = el("td");
  state.append(stateBadge(screen.state));
  const meant = screen.view || {};
  if (meant.source) {
    const why = words["fleet_source_" + meant.source] || meant.source;
    const dark = meant.dim === 0 ? words.fleet_dark : meant.dim < 1 ? words.fleet_dimmed : "";
    state.append(el("br"), el("span", [meant.scene, why, dark].filter(Boolean).join(" · "), {
      class: "muted", "data-role": "source", "data-source": meant.source,
    }));
  }
  const device = el("td");
  for (const d of devices) {
    const line = el("div", d.label + " ", { "data-device": d.device, "data-state": d.state });
    line.append(stateBadge(d.state));
    device.append(line);
  }
  tr.append(
    title, state, el("td", clock.format(new Date(screen.since))), device,
    lines(devices, (d) => {
      const age = ageSeconds(now, report(d).paint_at);
      return age === null ? "–" : words.ago.replace("{n}", numbers.format(age));
    }),
    lines(devices, (d) => [report(d).layout, report(d).rev].filter(Boolean).join(" · ") || "–"),
    lines(devices, (d) => {
      const r = report(d);
      return r.viewport ? `${r.viewport[0]}×${r.viewport[1]} @${numbers.format(r.dpr)}` : "–";
    }),
    lines(devices, (d) => numbers.format(report(d).errors || 0)),
    lines(devices, heap),
    lines(devices, (d) => {
      const r = report(d);
      return r.long_tasks ? `${numbers.format(r.long_tasks)} (${numbers.format(r.long_task_ms)} ms)` : "0";
    }),
    lines(devices, (d) => panes(report(d).panes || [])),
  );
  const actions = el("td");
  actions.append(button(screen.screen, "identify"), button(screen.screen, "reload"));
  tr.append(actions);
  return tr;
}

export function render(fleet) {
  const body = table.tBodies[0];
  body.replaceChildren(...fleet.screens.map((screen) => row(screen, fleet.now)));
  table.dataset.now = String(fleet.now);
  syncMiniatures(document.getElementById("miniatures"), fleet, words, stateBadge);
}

async function poll() {
  try {
    const response = await fetch("/admin/screens.json", { cache: "no-store", credentials: "same-origin" });
    if (response.ok) render(await response.json());
  } catch {
    /* the next poll tries again; the table keeps what it last showed */
  }
}

render(JSON.parse(table.dataset.fleet));
setInterval(poll, Number(table.dataset.pollMs) || 2000);
