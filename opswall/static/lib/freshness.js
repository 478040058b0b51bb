/* How current a tile's figures are: "live", "stale" (older than the feed's staleness window),
 * "down" (the gateway, Redis or the feed's source is unreachable) or "error" (the tile could not
 * draw them). What a tile shows for it in its age line. */
import { ageShown } from "./format.js";

/** The asof of the oldest latest entry among `feeds` (latest(feed) -> entry or null), or null. */
export function oldestAsof(feeds, latest) {
  let oldest = null;
  feeds.forEach((feed) => {
    const entry = latest(feed);
    if (entry && (oldest === null || entry.asof < oldest)) oldest = entry.asof;
  });
  return oldest;
}

/** The freshness of a tile reading `feeds` at `now`. `link` = {up, redisUp, unreachable}; `staleMs`
 * (feed) is the feed's window; `failed` says the tile is in error. */
export function freshness({ feeds, latest, staleMs, link, failed }, now) {
  if (failed) return "error"; // never "live" over figures the tile could not draw
  if (!link.up || !link.redisUp) return "down";
  let fresh = "live";
  for (const feed of feeds) {
    if (link.unreachable[feed]) return "down";
    const entry = latest(feed);
    if (!entry || now - entry.asof > staleMs(feed)) fresh = "stale";
  }
  return fresh;
}

/** The age line of a tile: how old its figures are, and why they are not live. */
export function ageLine(ctx, { fresh, asof, hasFeeds, linkUp }, now) {
  const age = asof === null ? "" : " · " + ctx.age(now - asof);
  if (fresh === "error") return "⚠ " + ctx.msg("tile_error") + age;
  if (hasFeeds && asof === null) return ctx.msg("no_data");
  if (asof === null) return "";
  if (fresh === "live") return ctx.age(now - asof);
  const why = fresh === "down" && linkUp ? "no_source" : "stale";
  return "⚠ " + ctx.msg(why) + age;
}

/** When the age line of figures as of `asof` next reads differently (ageShown's steps), after
 * `now`; Infinity with no figures. Lets an idle page sleep until a text it shows changes (issue
 * 22). The shown age is rounded down, so this is the instant the true age reaches the next step. */
export function ageChangesAt(asof, now) {
  if (typeof asof !== "number" || !isFinite(asof)) return Infinity;
  const age = ageShown(now - asof);
  return asof + (age.seconds + age.step) * 1000;
}

/** When the freshness of figures as of `asof` with a window of `staleMs` next changes by age
 * alone (live turns stale), after `now`; Infinity if it will not. */
export function staleAt(asof, staleMs, now) {
  if (typeof asof !== "number" || !isFinite(asof) || !(staleMs >= 0)) return Infinity;
  const at = asof + staleMs + 1;
  return at > now ? at : Infinity;
}
