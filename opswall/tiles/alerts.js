/* alerts: keeps the active warnings (a whole list, or raise/clear events) and lists them,
 * newest first; severity is shown by shape and word as well as colour. */
const SEVERITIES = ["critical", "warning", "info"];

export function mount(el, options, ctx) {
  var severities = SEVERITIES;
  var list = el.querySelector("[data-role=list]");
  var countEls = severities.map(function (s) { return el.querySelector("[data-role=count-" + s + "]"); });
  var active = new Map(); // id -> alert, oldest raised first
  // A source that raises and never clears must not grow the page for days: the oldest go.
  var ACTIVE_MAX = 500;
  function normalise(raw, asof) {
    var severity = severities.indexOf(raw.severity) >= 0 ? raw.severity : "info";
    var area = raw.area ? String(raw.area) : "", text = String(raw.text || "");
    // No id: the alert is what it says where (the same text in two areas is two alerts).
    return { id: raw.id !== undefined ? String(raw.id) : area + "\u0000" + text, severity: severity,
             area: area, text: text, at: typeof raw.ts === "number" ? raw.ts : asof };
  }
  // What a row shows: two alerts that would read the same (a source re-raising one under a
  // new id) are one row, never the same warning twice (issue 18).
  function shown(alert) {
    return [alert.severity, alert.area, alert.text, ctx.time(alert.at).slice(0, 5)].join("\u0000");
  }
  function distinct(alerts) {
    var seen = new Set();
    return alerts.filter(function (a) {
      var key = shown(a);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }
  function item(alert) {
    var li = document.createElement("li");
    li.className = "alert-item severity-" + alert.severity;
    li.dataset.severity = alert.severity;
    li.dataset.alertId = alert.id;
    var icon = document.createElement("span"); icon.className = "alert-icon";
    var area = document.createElement("span"); area.className = "alert-area"; area.textContent = alert.area;
    var text = document.createElement("span"); text.className = "alert-text"; text.textContent = alert.text;
    var time = document.createElement("span"); time.className = "alert-time"; time.textContent = ctx.time(alert.at).slice(0, 5);
    li.append(icon, area, text, time);
    return li;
  }
  return {
    feeds: [options.feed],
    push: function (feed, entry) {
      var whole = entry.fields[options.field];
      if (Array.isArray(whole)) {
        active = new Map();
        whole.forEach(function (raw) {
          if (raw && typeof raw === "object") { var a = normalise(raw, entry.asof); active.set(a.id, a); }
        });
      } else if (entry.fields.text !== undefined || entry.fields.state === "cleared") {
        var alert = normalise(entry.fields, entry.asof);
        if (entry.fields.state === "cleared") active.delete(alert.id);
        else {
          active.delete(alert.id);
          active.set(alert.id, alert);
          if (active.size > ACTIVE_MAX) active.delete(active.keys().next().value);
        }
      }
    },
    render: function () {
      var alerts = distinct(Array.from(active.values()).sort(function (a, b) { return b.at - a.at; }));
      severities.forEach(function (s, i) {
        countEls[i].textContent = String(alerts.filter(function (a) { return a.severity === s; }).length);
      });
      var fragment = document.createDocumentFragment();
      alerts.slice(0, options.max_items).forEach(function (a) { fragment.appendChild(item(a)); });
      list.replaceChildren(fragment);
      el.dataset.alerts = String(alerts.length);
    },
  };
}