/* Operator pages that show live health (/admin/feeds) reload themselves every 10 s, unless the
 * operator is typing or has selected text there (a reload would throw that away). A file, not an
 * inline script (the pages' Content-Security-Policy allows scripts from this server only), and
 * not <meta http-equiv=refresh>, which screen-reader users cannot stop. */
(function () {
  "use strict";
  var EVERY_MS = 10000;
  function busy() {
    var active = document.activeElement;
    var typing = active && /^(INPUT|SELECT|TEXTAREA)$/.test(active.tagName);
    return typing || String(window.getSelection()) !== "";
  }
  setInterval(function () { if (!busy()) location.reload(); }, EVERY_MS);
})();
