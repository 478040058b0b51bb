/* alerts: keeps the active warnings (a whole list, or raise/clear events) and lists them,
 * newest first; severity is shown by shape and word as well as colour. */
import { SEVERITIES, activeAlerts, countBySeverity } from "../static/lib/alerts.js";

export function mount(el, options, ctx) {
  var list = el.querySelector("[data-role=list]");
  var countEls = SEVERITIES.map(function (s) { return el.querySelector("[data-role=count-" + s + "]"); });
  var active = activeAlerts(options.field);
  function minute(ms) { return ctx.time(ms).slice(0, 5); }
  function item(alert) {
    var li = document.createElement("li");
    li.className = "alert-item severity-" + alert.severity;
    li.dataset.severity = alert.severity;
    li.dataset.alertId = alert.id;
    var icon = document.createElement("span"); icon.className = "alert-icon";
    var area = document.createElement("span"); area.className = "alert-area"; area.textContent = alert.area;
    var text = document.createElement("span"); text.className = "alert-text"; text.textContent = alert.text;
    var time = document.createElement("span"); time.className = "alert-time"; time.textContent = minute(alert.at);
    li.append(icon, area, text, time);
    return li;
  }
  return {
    feeds: [options.feed],
    push: function (feed, entry) { active.push(entry.fields, entry.asof); },
    render: function () {
      var alerts = active.list(), counts = countBySeverity(alerts);
      countEls.forEach(function (countEl, i) { countEl.textContent = String(counts[i]); });
      var fragment = document.createDocumentFragment();
      alerts.slice(0, options.max_items).forEach(function (a) { fragment.appendChild(item(a)); });
      list.replaceChildren(fragment);
      el.dataset.alerts = String(alerts.length);
    },
  };
}
