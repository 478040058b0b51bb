/* Static JSON from the wall's own server (shapes, name tables), fetched once per page however
 * many tiles ask for it. */
const cache = new Map();

export function fetchJson(url) {
  if (!cache.has(url)) cache.set(url, fetch(url).then((r) => r.json()));
  return cache.get(url);
}
