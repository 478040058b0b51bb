// What the studio tells the operator: the draft's changes, and the server's verdict (valid,
// the located errors by tile, or the diff of what someone else changed in the file).

function line(text, className) {
  const item = document.createElement("li");
  item.textContent = text;
  if (className) item.className = className;
  return item;
}

function filled(template, values) {
  return template.replace(/\{(\w+)\}/g, (all, name) => (name in values ? String(values[name]) : all));
}

/** One pending change in the page's language: "move main/clock col 1, row 2, 3×2". */
export function changeLine(change, words) {
  if (change.op === "rotation") {
    const steps = change.steps.map((step) => `${step.scene} ${step.dwell}`).join(" → ");
    return `${words.studio_op_rotation} ${change.screen}: ${steps || "–"}`;
  }
  if (change.op === "scene") {
    const title = change.title ? ` “${change.title.vi} / ${change.title.en}”` : "";
    const vars = Object.entries(change.vars || {}).map(([k, v]) => `${k}=${v ?? "–"}`).join(", ");
    return `${words.studio_op_scene} ${change.scene}:${title}${vars ? ` ${vars}` : ""}`;
  }
  if (change.op === "show") {
    return `${words.studio_op_show} ${change.scene}: ${change.screen} → ${change.layout || words.studio_own_layout}`;
  }
  const tile = change.tile && typeof change.tile === "object" ? change.tile : { id: change.tile };
  const at = change.at || tile.at;
  const where = `${change.screen}${tile.id ? `/${tile.id}` : ""}`;
  const what = at ? filled(words.studio_op_at, at)
    : change.grid ? `${change.grid.cols}×${change.grid.rows}` : "";
  return `${words[`studio_op_${change.op}`] || change.op} ${where} ${what}`.trim();
}

/** The pending changes as a list. */
export function showChanges(list, changes, words) {
  list.replaceChildren();
  if (changes.length === 0) list.append(line(words.studio_no_changes, "muted"));
  for (const change of changes) list.append(line(changeLine(change, words)));
}

function diffBlock(text) {
  const pre = document.createElement("pre");
  pre.className = "st-diff";
  pre.textContent = text;
  return pre;
}

function heading(text, className) {
  const p = document.createElement("p");
  p.className = className;
  p.textContent = text;
  return p;
}

/** The server's answer to check or apply, in `box`. */
export function showResult(box, status, answer, located, words) {
  box.replaceChildren();
  box.dataset.status = String(status);
  if (status === 409 && answer.changed !== undefined) {
    box.append(heading(words.studio_changed_on_disk, "error"), diffBlock(answer.changed));
  } else if (located.length > 0) {
    const list = document.createElement("ul");
    list.className = "st-issues";
    for (const issue of located) {
      const who = issue.at ? `${issue.at.tile}: ` : "";
      list.append(line(`${who}${issue.text}`, "error"));
    }
    box.append(heading(words.studio_invalid, "error"), list);
  } else if (answer.error) {
    box.append(heading(answer.error, "error"));
  } else if (answer.revision !== undefined) {
    box.append(heading(words.studio_applied.replace("{n}", String(answer.revision)), "ok"));
  } else if (answer.ok) {
    box.append(heading(words.studio_ok, "ok"));
  }
  // Warnings do not refuse apply: tiles too small to read, text a bezel would cut (issue 23).
  for (const [warnings, title] of [[answer.warnings, words.studio_small], [answer.bezels, words.studio_bezel]]) {
    if (!warnings || warnings.length === 0) continue;
    const list = document.createElement("ul");
    list.className = "st-warnings";
    for (const warning of warnings) list.append(line(`${warning.line}:${warning.column}: ${warning.message}`, "warning"));
    box.append(heading(title, "warning"), list);
  }
  if (answer.diff && located.length === 0 && status < 400) box.append(diffBlock(answer.diff));
}
