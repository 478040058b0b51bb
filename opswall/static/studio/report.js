// What the studio tells the operator: the draft's changes, and the server's verdict (valid,
// the located errors by tile, or the diff of what someone else changed in the file).

function line(text, className) {
  const item = document.createElement("li");
  item.textContent = text;
  if (className) item.className = className;
  return item;
}

/** The pending changes as a list ("move main/clock → col 1, row 2, 3×2"). */
export function showChanges(list, changes, words) {
  list.replaceChildren();
  if (changes.length === 0) list.append(line(words.studio_no_changes, "muted"));
  for (const change of changes) {
    const where = `${change.screen}${change.tile ? `/${change.tile}` : ""}`;
    const what = change.at ? `col ${change.at.col}, row ${change.at.row}, ${change.at.w}×${change.at.h}`
      : change.grid ? `${change.grid.cols}×${change.grid.rows}` : "";
    list.append(line(`${change.op} ${where} ${what}`.trim()));
  }
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
  if (answer.diff && located.length === 0 && status < 400) box.append(diffBlock(answer.diff));
}
