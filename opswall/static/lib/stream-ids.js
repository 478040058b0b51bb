/* Redis stream ids ("1700000000000-3"): which of two comes later. An entry is applied at most
 * once because ids are compared per feed (issue 17). */

/** "ms-seq" -> [ms, seq]; a bare "ms" has sequence 0. */
export function parseId(id) {
  const dash = id.indexOf("-");
  return dash < 0 ? [Number(id), 0] : [Number(id.slice(0, dash)), Number(id.slice(dash + 1))];
}

/** True if `id` comes after `ref` (anything comes after no reference). */
export function isAfter(id, ref) {
  if (ref === undefined || ref === null) return true;
  const a = parseId(id), b = parseId(ref);
  return a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]);
}
