// The layout studio page (/admin/layout): boots from the model the server put on #studio,
// keeps the draft, and talks to the JSON endpoints (check, apply) with the session's CSRF
// token. Debug handle for tests: none; the page's state is read from the DOM.

import { drawBoard, showValues } from "./board.js";
import { changesOf, copyLayouts, issueStep, issueTile } from "./draft.js";
import { setUpPalette } from "./palette.js";
import { setUpPreview, setUpWindow } from "./preview.js";
import { setUpRotation } from "./rotation.js";
import { copyScenes, sceneChanges, setUpScenes } from "./scenes.js";
import { showChanges, showResult } from "./report.js";

const root = document.getElementById("studio");
const model = JSON.parse(root.dataset.model);
const csrf = root.dataset.csrf;
const board = document.getElementById("st-board");
const picker = document.getElementById("st-layout");
let draft = copyLayouts(model.layouts);
let sceneDraft = copyScenes(model.scenes);
let current = model.screen;
let selected = null;
let values = {}; // feed id -> its latest value in a few words (/admin/layout/values)

function layout() {
  return draft.find((l) => l.id === current);
}

function redraw() {
  drawBoard(board, layout(), { onChange: changed, onSelect: select });
  showValues(board, values);
  document.getElementById("st-cols").value = String(layout().grid.cols);
  document.getElementById("st-rows").value = String(layout().grid.rows);
  select(selected);
  rotation.draw();
}

/** Every pending change: the layouts' and the scenes'. */
function allChanges() {
  return [...changesOf(model.layouts, draft), ...sceneChanges(model.scenes, sceneDraft)];
}

function changed() {
  const changes = allChanges();
  showChanges(document.getElementById("st-changes"), changes, model.words);
  document.getElementById("st-apply").disabled = !model.mayApply || changes.length === 0;
  document.getElementById("st-result").replaceChildren();
  for (const element of board.querySelectorAll("[data-small]")) delete element.dataset.small;
  for (const element of board.querySelectorAll("[data-error]")) {
    delete element.dataset.error;
    element.querySelector(".st-tile-error")?.remove();
  }
  previewWindow.changed();
}

/** A located error shown on the tile it concerns, as well as in the list under the board. */
function markError(element, message) {
  element.dataset.error = "true";
  const note = document.createElement("span");
  note.className = "st-tile-error";
  note.textContent = message;
  element.querySelector(".st-tile-error")?.remove();
  element.insertBefore(note, element.querySelector(".st-handle"));
}

function select(tileId) {
  selected = layout().tiles.some((t) => t.id === tileId) ? tileId : null;
  for (const element of board.querySelectorAll(".st-tile")) {
    element.setAttribute("aria-pressed", String(element.dataset.tile === selected));
  }
  document.getElementById("st-selected").textContent = selected || "–";
  document.getElementById("st-delete").disabled = selected === null;
  document.getElementById("st-edit").disabled = selected === null;
}

async function post(path, body) {
  const reply = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
    body: JSON.stringify(body),
    keepalive: true, // an ended preview is sent even as the page is left
  });
  return [reply, await reply.json().catch(() => ({ error: `HTTP ${reply.status}` }))];
}

/** The draft sent to `path` (with `extra`), the answer shown (`quiet`: only a refusal); the
 * answer, or null if refused. */
async function send(path, extra = {}, quiet = false) {
  const [reply, answer] = await post(path, { ...extra, base: model.base, changes: allChanges() });
  if (quiet && reply.ok) return answer;
  if (reply.ok && answer.revision !== undefined) {
    model.base = answer.base; // the applied text is the next draft's base
    model.layouts = copyLayouts(draft);
    draft = copyLayouts(model.layouts); // its rotation steps numbered as the file now has them
    model.scenes = copyScenes(sceneDraft);
    redraw();
    changed();
    preview.end(); // the screen previewing shows the file again, which now holds the draft
  }
  const located = (answer.issues || []).map((issue) => ({ ...issue, at: issueTile(issue.path, draft) }));
  for (const issue of located) {
    const element = issue.at && issue.at.screen === current
      ? board.querySelector(`[data-tile="${CSS.escape(issue.at.tile)}"]`) : null;
    if (element) markError(element, issue.message);
    const step = issueStep(issue.path, draft);
    if (step && step.screen === current) rotation.markError(step.step, issue.message);
  }
  for (const warning of [...(answer.warnings || []), ...(answer.bezels || [])]) { // marked, not refused
    const at = issueTile(warning.path, draft);
    const element = at && at.screen === current ? board.querySelector(`[data-tile="${CSS.escape(at.tile)}"]`) : null;
    if (element) element.dataset.small = "true";
  }
  const result = document.getElementById("st-result");
  showResult(result, reply.status, answer, located, model.words);
  result.scrollIntoView({ block: "nearest" }); // under the board, often below the fold
  return reply.ok ? answer : null;
}
const preview = setUpPreview({
  start: (screen) => send("/admin/layout/preview", { screen }),
  end: (screen) => post("/admin/layout/preview/cancel", { screen }),
}, model.words);

const previewWindow = setUpWindow({
  keep: async () => (await send("/admin/layout/preview/window", {}, true))?.draft,
}, () => current, model.words);

picker.addEventListener("change", () => {
  current = picker.value;
  palette.reset();
  selected = null;
  redraw();
  previewWindow.changed();
});
document.getElementById("st-grid").addEventListener("change", () => {
  const cols = Number(document.getElementById("st-cols").value);
  const rows = Number(document.getElementById("st-rows").value);
  if (Number.isInteger(cols) && Number.isInteger(rows) && cols > 0 && rows > 0) {
    layout().grid = { cols, rows };
    redraw();
    changed();
  }
});
document.getElementById("st-delete").addEventListener("click", () => {
  layout().tiles = layout().tiles.filter((t) => t.id !== selected);
  selected = null;
  redraw();
  changed();
});
document.getElementById("st-reset").addEventListener("click", () => {
  draft = copyLayouts(model.layouts);
  sceneDraft = copyScenes(model.scenes);
  sceneBox.draw();
  palette.reset();
  redraw();
  changed();
});
document.getElementById("st-check").addEventListener("click", () => send("/admin/layout/check"));
document.getElementById("st-apply").addEventListener("click", () => send("/admin/layout/apply"));
const palette = setUpPalette(document.getElementById("st-palette"), model.palette, model.words, layout, {
  added(tile) {
    layout().tiles.push(tile);
    selected = tile.id;
    redraw();
    changed();
  },
  saved() {
    palette.reset();
    changed();
  },
});
document.getElementById("st-edit").addEventListener("click", () => {
  palette.edit(layout().tiles.find((t) => t.id === selected));
});
const VALUES_MS = 5000; // the studio shows live values, not a live wall: every few seconds
async function pollValues() {
  const reply = await fetch("/admin/layout/values").catch(() => null);
  const answer = reply && reply.ok ? await reply.json().catch(() => null) : null;
  if (answer && answer.values) values = answer.values;
  showValues(board, values);
  setTimeout(pollValues, VALUES_MS);
}

const sceneBox = setUpScenes(() => sceneDraft, () => model.scenes, model.layouts, model.words, changed);
const rotation = setUpRotation(layout, () => sceneDraft, model.words, changed);
redraw();
changed();
pollValues();
