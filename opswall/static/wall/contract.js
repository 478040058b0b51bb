/* The tile client contract (docs/tiles.md): what a tile module exports and what its mount
 * returns. Checked when a tile mounts; a tile that breaks it is marked in error, like one that
 * throws, and the rest of the screen carries on. */

// Hooks the core calls on every tile, and those it calls when a tile has them.
export const REQUIRED_HOOKS = ["push", "render"];
export const OPTIONAL_HOOKS = ["tick", "visible", "vars", "follow", "unmount"];

/** What is wrong with a tile module (its exports): [] when it can be mounted. */
export function moduleProblems(module) {
  return module && typeof module.mount === "function" ? [] : ["no mount(el, options, ctx, guard)"];
}

/** What is wrong with what a tile's mount returned, given the options it was mounted with. */
export function tileProblems(made, options) {
  if (!made || typeof made !== "object") return ["mount returned no tile"];
  const problems = REQUIRED_HOOKS.filter((hook) => typeof made[hook] !== "function").map((hook) => "no " + hook);
  OPTIONAL_HOOKS.forEach((hook) => {
    if (made[hook] !== undefined && typeof made[hook] !== "function") problems.push(hook + " is not a function");
  });
  const feeds = made.feeds;
  if (!Array.isArray(feeds) || !feeds.every((feed) => typeof feed === "string")) problems.push("feeds is not a list of feed ids");
  // The core compares a followed value with the tile's highlight and falls back to its default.
  ["highlight", "highlight_default"].forEach((name) => {
    if (made.follow && !(options && name in options)) problems.push("follow without options." + name);
  });
  return problems;
}
