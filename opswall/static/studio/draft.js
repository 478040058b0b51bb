// A draft: the layouts as the page opened them and as the operator has changed them. Pure.
// `changesOf` turns the difference into the changes the server applies to the YAML text
// (opswall/studio/drafts.py reads them): delete, move (with the whole `at`), grid, set (a
// tile's options), rotation (the display's steps), and add for a tile the palette made.

import { sameAt } from "./geometry.js";

/** A deep copy of the layouts, to edit. */
export function copyLayouts(layouts) {
  return layouts.map((layout) => ({
    ...layout,
    grid: { ...layout.grid },
    // Each step remembers which step of the file it is (`from`), so the server keeps its text.
    rotation: (layout.rotation || []).map((step, index) => ({ scene: step.scene, dwell: step.dwell, from: index })),
    tiles: layout.tiles.map((tile) => ({ ...tile, at: { ...tile.at }, options: { ...tile.options } })),
  }));
}

/** The changes from `original` to `draft`, layout by layout, in the original's order. */
export function changesOf(original, draft) {
  const changes = [];
  for (const before of original) {
    const after = draft.find((layout) => layout.id === before.id);
    if (!after) continue;
    if (before.grid.cols !== after.grid.cols || before.grid.rows !== after.grid.rows) {
      changes.push({ op: "grid", screen: before.id, grid: { ...after.grid } });
    }
    if (rotationChanged(before.rotation || [], after.rotation || [])) {
      const steps = after.rotation.map(({ scene, dwell, from }) => ({ scene, dwell, from: from ?? null }));
      changes.push({ op: "rotation", screen: before.id, steps });
    }
    for (const tile of before.tiles) {
      const now = after.tiles.find((t) => t.id === tile.id);
      if (!now) changes.push({ op: "delete", screen: before.id, tile: tile.id });
      else {
        if (!sameAt(tile.at, now.at)) {
          changes.push({ op: "move", screen: before.id, tile: tile.id, at: { ...now.at } });
        }
        const options = optionChanges(tile.options || {}, now.options || {});
        if (options) changes.push({ op: "set", screen: before.id, tile: tile.id, options });
      }
    }
    for (const tile of after.tiles.filter((t) => !before.tiles.some((b) => b.id === t.id))) {
      const added = { id: tile.id, type: tile.type, at: { ...tile.at }, ...tile.options };
      changes.push({ op: "add", screen: before.id, tile: added });
    }
  }
  return changes;
}

/** Does the draft's rotation differ from the file's (a step's scene, dwell, place or count)? */
export function rotationChanged(before, after) {
  return before.length !== after.length || after.some((step, index) => step.from !== index
    || step.scene !== before[index].scene || step.dwell !== before[index].dwell);
}

/** The options that differ (a removed one as null), or null when none does. */
export function optionChanges(before, after) {
  const changed = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      changed[key] = key in after ? after[key] : null;
    }
  }
  return Object.keys(changed).length ? changed : null;
}

/** The rotation step a located issue concerns: `screens[i].rotation[j]...`, or null. */
export function issueStep(path, draft) {
  const match = /^screens\[(\d+)\]\.rotation\[(\d+)\]/.exec(path || "");
  const layout = match ? draft[Number(match[1])] : undefined;
  return layout ? { screen: layout.id, step: Number(match[2]) } : null;
}

/** The tile a located issue concerns: `screens[i].tiles[j]...` in the draft's order. */
export function issueTile(path, draft) {
  const match = /^screens\[(\d+)\]\.tiles\[(\d+)\]/.exec(path || "");
  if (!match) return null;
  const layout = draft[Number(match[1])];
  const tile = layout ? layout.tiles[Number(match[2])] : undefined;
  return layout && tile ? { screen: layout.id, tile: tile.id } : null;
}
