/* iframe: the framed page updates itself (a framed wall screen opens its own socket). */
(window.opswallTiles = window.opswallTiles || {}).iframe = {
  mount: function () { return { feeds: [], push: function () {}, render: function () {} }; },
};
