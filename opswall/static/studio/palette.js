// The palette: pick a registered tile type, fill the options form made from its options model
// (labels in Vietnamese and English side by side), and add the tile at the first free place of
// the layout; it is then moved and resized like any other, and validated with the draft.
// The same form edits a tile's options: it opens filled with what the file sets.

import { firstFree } from "./geometry.js";
import { durationText, edited, freshId, optionsOf, shown } from "./options.js";

function element(tag, props = {}, children = []) {
  const { dataset = {}, ...rest } = props; // dataset is read-only: filled key by key
  const node = Object.assign(document.createElement(tag), rest);
  Object.assign(node.dataset, dataset);
  node.append(...children);
  return node;
}

function bothLabels(label) {
  const text = label.vi === label.en ? label.vi : `${label.vi} · ${label.en}`;
  return element("span", { className: "st-field-name", textContent: text });
}

function select(choices, chosen) {
  const options = [element("option", { value: "", textContent: "–" })];
  for (const choice of choices) {
    options.push(element("option", { value: String(choice), textContent: String(choice),
      selected: choice === chosen }));
  }
  return element("select", {}, options);
}

function input(field) {
  const placeholder = field.default === null || field.default === undefined ? "" : String(field.default);
  switch (field.kind) {
    case "enum":
    case "feed":
      return [select(field.choices, field.default)];
    case "bool":
      return [element("input", { type: "checkbox", checked: Boolean(field.default) })];
    case "text":
      return [element("input", { placeholder: "vi", dataset: { part: "vi" } }),
        element("input", { placeholder: "en", dataset: { part: "en" } })];
    case "int":
    case "number":
      return [element("input", { type: "number", placeholder, step: field.kind === "int" ? "1" : "any" })];
    default:
      return [element("input", { type: "text", placeholder })];
  }
}

function fieldRow(field, words) {
  const row = element("label", { className: `st-field st-kind-${field.kind}` }, [bothLabels(field.label)]);
  row.dataset.field = field.name;
  row.title = field.description;
  if (field.required) row.dataset.required = "true";
  if (field.kind === "file") row.append(element("span", { className: "muted", textContent: words.studio_in_file }));
  else row.append(element("span", { className: "st-inputs" }, input(field)));
  if (field.kind === "duration") checkDuration(row, words);
  return row;
}

/** A duration box says at once when its text is not a duration ("30s", "10m", "1h30m"). */
function checkDuration(row, words) {
  const box = row.querySelector("input");
  const problem = element("span", { className: "st-field-error error", role: "status" });
  row.append(problem);
  box.addEventListener("change", () => {
    const tidy = box.value.trim() === "" ? "" : durationText(box.value);
    box.setAttribute("aria-invalid", String(tidy === null));
    problem.textContent = tidy === null ? words.studio_bad_duration : "";
    if (tidy) box.value = tidy;
  });
}

function raws(form) {
  const found = {};
  for (const row of form.querySelectorAll("[data-field]")) {
    const box = row.querySelector("input, select");
    const parts = Object.fromEntries([...row.querySelectorAll("[data-part]")].map((i) => [i.dataset.part, i.value]));
    found[row.dataset.field] = { value: box ? box.value : "", checked: box ? box.checked : false, ...parts };
  }
  return found;
}

function fill(form, fields, options) {
  for (const field of fields) {
    const row = form.querySelector(`[data-field="${CSS.escape(field.name)}"]`);
    const values = shown(field, options[field.name]);
    const box = row && row.querySelector("input, select");
    if (!box) continue;
    if ("checked" in values) box.checked = values.checked;
    else if ("value" in values) box.value = values.value;
    for (const part of row.querySelectorAll("[data-part]")) part.value = values[part.dataset.part];
  }
}

/** Wire the palette: `layout()` is the layout shown, `added(tile)` after a tile is added,
 * `saved(tile)` after a tile's options were edited. Returns `edit(tile)`. */
export function setUpPalette(root, types, words, layout, { added, saved }) {
  const kind = root.querySelector("#st-type");
  const id = root.querySelector("#st-new-id");
  const fields = root.querySelector("#st-fields");
  const problem = root.querySelector("#st-palette-error");
  let editing = null;
  kind.replaceChildren(...types.map((t) => element("option", { value: t.type, textContent: t.type, title: t.doc })));
  const typeOf = () => types.find((t) => t.type === kind.value);
  const show = () => fields.replaceChildren(...typeOf().fields.map((f) => fieldRow(f, words)));
  const mode = (tile) => {
    editing = tile;
    kind.disabled = id.disabled = tile !== null;
    root.querySelector("#st-add").hidden = tile !== null;
    root.querySelector("#st-save").hidden = tile === null;
  };
  kind.addEventListener("change", show);
  show();
  root.querySelector("#st-add").addEventListener("click", () => {
    const at = firstFree(layout().tiles, layout().grid, 3, 2);
    problem.textContent = !freshId(id.value.trim(), layout()) ? words.studio_bad_id : at ? "" : words.studio_no_room;
    if (problem.textContent) return;
    const options = optionsOf(typeOf().fields, raws(fields));
    added({ id: id.value.trim(), type: kind.value, title: id.value.trim(), at, options });
  });
  root.querySelector("#st-save").addEventListener("click", () => {
    editing.options = edited(typeOf().fields, raws(fields), editing.options || {});
    saved(editing);
  });
  return {
    edit(tile) {
      root.open = true;
      kind.value = tile.type;
      id.value = tile.id;
      show();
      fill(fields, typeOf().fields, tile.options || {});
      mode(tile);
    },
    reset() {
      id.value = "";
      mode(null);
    },
  };
}
