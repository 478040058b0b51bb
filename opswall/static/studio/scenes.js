// Scenes in the studio: which layout each display shows in a scene (issue 20, part 1). The
// draft of them is compared with the file's as the tiles are (draft.js), into "show" changes.

/** The "show" changes from `before` to `after` (lists of {id, show: {screen: layout}}). */
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
  }
  return changes;
}

export function copyScenes(scenes) {
  return scenes.map((scene) => ({ ...scene, show: { ...scene.show } }));
}

function option(value, text, chosen) {
  const element = document.createElement("option");
  element.value = value;
  element.textContent = text;
  element.selected = value === chosen;
  return element;
}

/** The scene picker and, for each display, a choice of layout; `onChange()` after an edit. */
export function setUpScenes(scenes, layouts, words, onChange) {
  const picker = document.getElementById("st-scene");
  const box = document.getElementById("st-scene-screens");
  const draw = () => {
    const scene = scenes().find((s) => s.id === picker.value);
    box.replaceChildren();
    if (!scene) return;
    for (const display of layouts.filter((l) => l.display)) {
      const label = document.createElement("label");
      label.textContent = display.id;
      label.dataset.screen = display.id;
      const select = document.createElement("select");
      select.append(option("", words.studio_own_layout, scene.show[display.id] || ""));
      for (const layout of layouts) select.append(option(layout.id, `${layout.id} — ${layout.title}`, scene.show[display.id] || ""));
      select.addEventListener("change", () => {
        if (select.value) scene.show[display.id] = select.value;
        else delete scene.show[display.id];
        onChange();
      });
      label.append(select);
      box.append(label);
    }
  };
  picker.replaceChildren(...scenes().map((s) => option(s.id, `${s.id} — ${s.title}`, "")));
  picker.addEventListener("change", draw);
  draw();
  return { draw };
}
