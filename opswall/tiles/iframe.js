/* iframe: the framed page updates itself (a framed wall screen opens its own socket). */
export function mount() { return { feeds: [], push: function () {}, render: function () {} }; }
