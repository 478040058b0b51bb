/* The gateway's websocket URL as a page dials it: `data-gateway` is either a whole URL (a public
 * gateway behind a proxy) or ":port" on the page's own host. */

/** `gateway` from the page, `where` its location ({protocol, hostname}), `path` after /ws/. */
export function gatewayUrl(gateway, where, path) {
  const gw = gateway || "";
  const scheme = where.protocol === "https:" ? "wss://" : "ws://";
  const base = gw.charAt(0) === ":" ? scheme + where.hostname + gw : gw.replace(/\/$/, "");
  return base + "/ws/" + encodeURIComponent(path);
}
