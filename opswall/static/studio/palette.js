// The palette: pick a registered tile type, fill the options form made from its options model
// (labels in Vietnamese and English side by side), and add the tile at the first free place of
// the layout; it is then moved and resized like any other, and validated with the draft.

import { firstFree } from "./geometry.js";
import { freshId, optionsOf } from "./options.js";

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
  return row;
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

/** Wire the palette: `layout()` is the layout shown, `added(tile)` after a tile is added. */
export function setUpPalette(root, types, words, layout, added) {
  const kind = root.querySelector("#st-type");
  const fields = root.querySelector("#st-fields");
  const problem = root.querySelector("#st-palette-error");
  kind.replaceChildren(...types.map((t) => element("option", { value: t.type, textContent: t.type, title: t.doc })));
  const show = () => {
    const type = types.find((t) => t.type === kind.value);
    fields.replaceChildren(...type.fields.map((f) => fieldRow(f, words)));
  };
  kind.addEventListener("change", show);
  show();
  root.querySelector("#st-add").addEventListener("click", () => {
    const id = root.querySelector("#st-new-id").value.trim();
    const at = firstFree(layout().tiles, layout().grid, 3, 2);
    problem.textContent = !freshId(id, layout()) ? words.studio_bad_id : at ? "" : words.studio_no_room;
    if (problem.textContent) return;
    const type = types.find((t) => t.type === kind.value);
    added({ id, type: type.type, title: id, at, options: optionsOf(type.fields, raws(fields)) });
  });
}
