// Scenes in the studio (issue 20, part 1): which layout each display shows in a scene, its
// title in Vietnamese and English, and its vars. The draft of them is compared with the
// file's as the tiles are (draft.js), into "show" and "scene" changes.

/** The vars that differ from `before` to `after` (a removed one as null), or null if none. */
export function varChanges(before, after) {
  const changed = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (before[key] !== after[key]) changed[key] = key in after ? after[key] : null;
  }
  return Object.keys(changed).length ? changed : null;
}

/** The changes from `before` to `after` (lists of {id, titles, show, vars}). */
export function sceneChanges(before, after) {
  const changes = [];
  for (const scene of after) {
    const old = before.find((s) => s.id === scene.id);
    if (!old) continue;
    for (const screen of new Set([...Object.keys(old.show), ...Object.keys(scene.show)])) {
      if (old.show[screen] !== scene.show[screen]) {
        changes.push({ op: "show", scene: scene.id, screen, layout: scene.show[screen] ?? null });
      }
    }
    const titles = old.titles || {};
    const title = scene.titles && (scene.titles.vi !== titles.vi || scene.titles.en !== titles.en)
      ? { ...scene.titles } : null;
    const vars = varChanges(old.vars || {}, scene.vars || {});
    if (title || vars) changes.push({ op: "scene", scene: scene.id, ...(title && { title }), ...(vars && { vars }) });
  }
  return changes;
}

export function copyScenes(scenes) {
  return scenes.map((scene) => ({
    ...scene, show: { ...scene.show }, titles: { ...scene.titles }, vars: { ...scene.vars } }));
}

/** A var's value as typed: a number where the file had a number and this reads as one. */
export function varValue(text, before) {
  return typeof before === "number" && text.trim() !== "" && Number.isFinite(Number(text)) ? Number(text) : text;
}

function option(value, text, chosen) {
  const element = document.createElement("option");
  element.value = value;
  element.textContent = text;
  element.selected = value === chosen;
  return element;
}

function labelled(text, control, dataset = {}) {
  const label = document.createElement("label");
  label.append(text, control);
  Object.assign(label.dataset, dataset);
  return label;
}

function input(value, placeholder) {
  const box = document.createElement("input");
  Object.assign(box, { value, placeholder, autocomplete: "off", spellcheck: false });
  return box;
}

function showRows(scene, layouts, words, onChange) {
  return layouts.filter((l) => l.display).map((display) => {
    const select = document.createElement("select");
    select.append(option("", words.studio_own_layout, scene.show[display.id] || ""));
    for (const layout of layouts) select.append(option(layout.id, `${layout.id} — ${layout.title}`, scene.show[display.id] || ""));
    select.addEventListener("change", () => {
      if (select.value) scene.show[display.id] = select.value;
      else delete scene.show[display.id];
      onChange();
    });
    return labelled(display.id, select, { screen: display.id });
  });
}

function titleRows(scene, words, onChange) {
  return ["vi", "en"].map((locale) => {
    const box = input(scene.titles[locale] || "", locale);
    box.addEventListener("change", () => {
      if (box.value.trim()) scene.titles[locale] = box.value.trim();
      onChange();
    });
    return labelled(`${words.studio_scene_title} (${locale})`, box, { title: locale });
  });
}

function varRows(scene, original, words, redraw, onChange) {
  const rows = Object.entries(scene.vars).map(([key, value]) => {
    const box = input(String(value), "");
    box.addEventListener("change", () => {
      scene.vars[key] = varValue(box.value, (original.vars || {})[key]);
      onChange();
    });
    const remove = document.createElement("button");
    Object.assign(remove, { type: "button", className: "btn-small", textContent: "✕", title: words.studio_var_remove });
    remove.setAttribute("aria-label", `${words.studio_var_remove}: ${key}`);
    remove.addEventListener("click", () => { delete scene.vars[key]; redraw(); onChange(); });
    const row = labelled(key, box, { var: key });
    row.className = "st-var";
    row.append(remove);
    return row;
  });
  const name = input("", words.studio_var_name);
  name.setAttribute("aria-label", words.studio_var_name);
  const add = document.createElement("button");
  Object.assign(add, { type: "button", className: "btn-small", textContent: words.studio_var_add });
  add.addEventListener("click", () => {
    const key = name.value.trim();
    if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(key) || key in scene.vars) {
      name.setAttribute("aria-invalid", "true");
      return;
    }
    scene.vars[key] = "";
    redraw();
    onChange();
  });
  const adder = document.createElement("div");
  adder.className = "st-var-add";
  adder.append(name, add);
  return [...rows, adder];
}

/** The scene picker and, for the picked scene: each display's layout, its titles and vars;
 * `onChange()` after an edit. `original()` is the file's scenes (a var's type is kept). */
export function setUpScenes(scenes, original, layouts, words, onChange) {
  const picker = document.getElementById("st-scene");
  const box = document.getElementById("st-scene-screens");
  const titles = document.getElementById("st-scene-titles");
  const vars = document.getElementById("st-scene-vars");
  const draw = () => {
    const scene = scenes().find((s) => s.id === picker.value);
    box.replaceChildren();
    titles.replaceChildren();
    vars.replaceChildren();
    if (!scene) return;
    const before = original().find((s) => s.id === scene.id) || {};
    box.append(...showRows(scene, layouts, words, onChange));
    titles.append(...titleRows(scene, words, onChange));
    vars.append(...varRows(scene, before, words, draw, onChange));
  };
  picker.replaceChildren(...scenes().map((s) => option(s.id, `${s.id} — ${s.title}`, "")));
  picker.addEventListener("change", draw);
  draw();
  return { draw };
}
