// The active-alerts model the alerts tile and the leader's panel share.
import assert from "node:assert/strict";
import { test } from "node:test";
import { activeAlerts, countBySeverity } from "../../opswall/static/lib/alerts.js";

test("a whole list replaces the active alerts, newest first", () => {
  const alerts = activeAlerts("alerts");
  alerts.push({ alerts: [{ id: "a", severity: "warning", area: "Huế", text: "Mưa", ts: 1000 }] }, 0);
  alerts.push({ alerts: [{ id: "b", severity: "critical", area: "Lào Cai", text: "Lũ", ts: 2000 },
                         { id: "c", severity: "bogus", text: "x", ts: 3000 }] }, 0);
  assert.deepEqual(alerts.list().map((a) => [a.id, a.severity]), [["c", "info"], ["b", "critical"]]);
});

test("one alert per entry: raised, then cleared", () => {
  const alerts = activeAlerts("alerts");
  alerts.push({ id: "1", text: "Sạt lở", area: "Yên Bái", severity: "critical" }, 5);
  assert.equal(alerts.list().length, 1);
  alerts.push({ id: "1", state: "cleared" }, 6);
  assert.equal(alerts.list().length, 0);
});

test("alerts that read the same are one row, the newest, even minutes apart; two areas stay two", () => {
  const alerts = activeAlerts("alerts");
  const same = { severity: "warning", area: "Nghệ An", text: "Sông Cả vượt báo động I", ts: 60000 };
  alerts.push({ alerts: [{ id: "x1", ...same }, { id: "x2", ...same, ts: 300000 },
                         { id: "x3", ...same, area: "Hà Tĩnh" }] }, 0);
  const shown = alerts.list();
  assert.deepEqual(shown.map((a) => a.id), ["x2", "x3"]);
  assert.deepEqual(countBySeverity(shown), [0, 2, 0]);
});
