/* image: static; nothing to update. */
export function mount() { return { feeds: [], push: function () {}, render: function () {} }; }
