// A display's rotation in the studio: its steps (which scene, for how long), added, removed
// and reordered, dwells typed as the file writes them ("40s", "10m", "1h30m"). The draft's
// steps keep which step of the file they were (draft.js), so apply rewrites only their lines.

import { durationText } from "./options.js";

function element(tag, props = {}, children = []) {
  const { dataset = {}, ...rest } = props;
  const node = Object.assign(document.createElement(tag), rest);
  Object.assign(node.dataset, dataset);
  node.append(...children);
  return node;
}

/** A dwell as typed, tidied: a bare number of seconds is written in units ("600" -> "10m"). */
export const tidyDwell = durationText;

/** Move the step at `index` by `delta` places (a new array; out of range: unchanged). */
export function movedStep(steps, index, delta) {
  const to = index + delta;
  if (to < 0 || to >= steps.length) return steps;
  const copy = [...steps];
  [copy[index], copy[to]] = [copy[to], copy[index]];
  return copy;
}

function button(text, label, action) {
  const node = element("button", { type: "button", className: "btn-small st-step-button", textContent: text });
  node.setAttribute("aria-label", label);
  node.title = label;
  node.addEventListener("click", action);
  return node;
}

/**
 * The rotation box for `layout()` (a display; a layout-only one has none); `scenes()` are the
 * draft's scenes to pick from; `onChange()` after an edit. Returns { draw, markError }.
 */
export function setUpRotation(layout, scenes, words, onChange) {
  const list = document.getElementById("st-steps");
  const note = document.getElementById("st-rotation-note");
  const add = document.getElementById("st-step-add");
  const edited = (steps) => {
    layout().rotation = steps;
    draw();
    onChange();
  };

  function stepRow(step, index, steps) {
    const scene = element("select", {}, scenes().map((s) => element("option", {
      value: s.id, textContent: `${s.id} — ${s.title}`, selected: s.id === step.scene })));
    scene.setAttribute("aria-label", words.studio_step_scene);
    scene.addEventListener("change", () => { step.scene = scene.value; onChange(); });
    const dwell = element("input", { value: step.dwell, autocomplete: "off", spellcheck: false,
      className: "st-dwell", placeholder: "30s, 10m, 1h30m" });
    dwell.setAttribute("aria-label", words.studio_step_dwell);
    const problem = element("span", { className: "st-step-error error", role: "status" });
    dwell.addEventListener("change", () => {
      const tidy = tidyDwell(dwell.value);
      row.dataset.error = String(tidy === null);
      dwell.setAttribute("aria-invalid", String(tidy === null));
      problem.textContent = tidy === null ? words.studio_bad_duration : "";
      if (tidy !== null) dwell.value = tidy;
      step.dwell = tidy ?? dwell.value.trim(); // a bad one is kept: the loader locates it too
      onChange();
    });
    const number = element("span", { className: "st-step-number", textContent: `${index + 1}.` });
    const row = element("li", { className: "st-step", dataset: { step: String(index) } }, [
      number,
      element("label", { className: "st-step-scene" }, [element("span", { className: "muted", textContent: words.studio_step_scene }), scene]),
      element("label", { className: "st-step-dwell" }, [element("span", { className: "muted", textContent: words.studio_step_dwell }), dwell]),
      element("span", { className: "st-step-buttons" }, [
        button("↑", words.studio_step_up, () => edited(movedStep(steps, index, -1))),
        button("↓", words.studio_step_down, () => edited(movedStep(steps, index, 1))),
        button("✕", words.studio_step_remove, () => edited(steps.filter((_, i) => i !== index))),
      ]),
      problem,
    ]);
    return row;
  }

  function draw() {
    const shown = layout();
    const steps = shown.rotation || [];
    const display = Boolean(shown.display);
    add.disabled = !display || scenes().length === 0;
    note.textContent = !display ? words.studio_rotation_layout_only
      : scenes().length === 0 ? words.studio_rotation_no_scenes
        : steps.length === 0 ? words.studio_rotation_none : "";
    list.replaceChildren(...steps.map((step, index) => stepRow(step, index, steps)));
  }

  add.addEventListener("click", () => {
    const steps = layout().rotation || [];
    edited([...steps, { scene: scenes()[0].id, dwell: "1m", from: null }]);
    list.querySelector("li:last-child select")?.focus();
  });

  /** A located error of the loader shown on the step it concerns. */
  function markError(index, message) {
    const row = list.querySelector(`[data-step="${index}"]`);
    if (!row) return false;
    row.dataset.error = "true";
    row.querySelector(".st-step-error").textContent = message;
    return true;
  }
  return { draw, markError };
}
