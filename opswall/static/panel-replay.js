/* The panel's "replay the last session on this preview" (issue 24): the recent events of the
 * wall, newest first, one finger-sized button each; a tap opens the screen chosen in the
 * panel's miniature (`source()`) replayed at that event, in a new view, so the panel itself
 * keeps driving the live wall. The replay page is the time machine's own (/wall/<s>?at=). */

const SHOWN = 6; // events listed: the panel is a touch screen, not a log
const LAST_MS = 10 * 60 * 1000; // "the last 10 minutes", played at 10x
const REFRESH_MS = 30000;

/** The replay box: a heading, "the last 10 minutes", and the newest events. */
export function replayBox(el, M, model, source) {
  const list = el("div", { class: "p-replay", "data-role": "replay-list" });
  let earliest = 0; // the oldest event known: a replay before the wall's first config is refused
  const open = (at, extra) => {
    const params = new URLSearchParams({ at: String(Math.round(at)), ...(extra || {}) });
    window.open("/wall/" + encodeURIComponent(source()) + "?" + params.toString(), "_blank");
  };
  const fmt = new Intl.DateTimeFormat(model.locale === "vi" ? "vi-VN" : "en-GB",
    { timeZone: model.tz, hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });
  const load = () => fetch("/api/replay/events?at=" + Date.now(), { credentials: "same-origin" })
    .then((r) => (r.ok ? r.json() : []))
    .then((found) => {
      if (found.length) earliest = found[0].at + 1;
      const newest = found.filter((e) => e.at <= Date.now()).slice(-SHOWN).reverse();
      list.replaceChildren(...(newest.length ? newest.map((event) => el("button", {
        class: "p-btn p-secondary", "data-role": "replay-event", "data-kind": event.kind,
        "data-at": String(event.at),
        text: fmt.format(event.at) + " · " + (M["event_" + event.kind] || event.kind) + " · " + event.what,
        on: () => open(event.at + 1), // just after it: the event in force
      })) : [el("div", { class: "p-empty", text: M.panel_replay_none })]));
    })
    .catch(() => {});
  load();
  setInterval(load, REFRESH_MS);
  return [
    el("h2", { text: M.panel_replay }),
    el("button", { class: "p-btn p-secondary", "data-role": "replay-last", text: M.panel_replay_last,
                   on: () => open(Math.max(Date.now() - LAST_MS, earliest), { play: "1", speed: "10" }) }),
    list,
  ];
}
