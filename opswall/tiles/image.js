/* image: static; nothing to update. */
(window.opswallTiles = window.opswallTiles || {}).image = {
  mount: function () { return { feeds: [], push: function () {}, render: function () {} }; },
};
