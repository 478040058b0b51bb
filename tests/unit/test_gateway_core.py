"""The gateway core with no Redis and no sockets (issue 19): snapshot and live push, resume with
no gap and no duplicate, fan-out grouping, views and takeovers, panels, unreachable feeds,
bounds, dead letters and poison entries, rule transitions, all as Effects the core answers."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from opswall.auth.principals import Principal
from opswall.config.live import Snapshot, snapshot_of
from opswall.config.loader import load_config
from opswall.control.state import ActiveWarning, WallState
from opswall.feeds.contract import FeedEntry
from opswall.gateway.core import CACHE_ENTRIES, GatewayCore
from opswall.gateway.effects import Effects, Reply, dead_letter_fields
from opswall.gateway.protocol import Hello, Subscribe
from opswall.gateway.screens import DRAFT, PANEL, Peer
from opswall.keys import CMD_STREAM, SCREEN_CMD
from opswall.store.redis_client import ALL_SLOTS
from opswall.tiles import default_registry

FIXTURES = Path(__file__).parents[1] / "fixtures"
NOW = 1_795_000_000_000
VIEWER = Principal("device:wall", "viewer")
CLEARED_VIEWER = Principal("device:ops", "viewer", clearance=True)


def config(name: str = "minimal.yaml") -> Snapshot:
    return snapshot_of(load_config(FIXTURES / name, default_registry()))


def config_of(text: str) -> Snapshot:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "wall_config.yaml"
        path.write_text(text, encoding="utf-8")
        return snapshot_of(load_config(path, default_registry()))


@dataclass(eq=False)
class Link:
    """A socket stand-in: what the core had sent to it, decoded."""

    name: str
    frames: list[dict[str, Any]] = field(default_factory=list)

    def kinds(self) -> list[str]:
        return [f["type"] for f in self.frames]

    def entries(self, feed: str | None = None) -> list[tuple[str, str]]:
        """(feed, id) of every data entry received, in order; then forgotten."""
        got = [(e[0], e[1]) for f in self.frames if f["type"] == "data" for e in f["entries"]]
        self.frames.clear()
        return [e for e in got if feed is None or e[0] == feed]


def deliver(effects: Effects[Link]) -> Effects[Link]:
    """What the socket adapter does with the sends: one frame, its sockets."""
    for links, frame in effects.sends:
        for link in links:
            link.frames.append(json.loads(frame))
    return effects


def reply(key: str, entries: list[tuple[str, dict[Any, Any]]], slot: int = ALL_SLOTS) -> Reply:
    return Reply(slot, [[key.encode(), entries]], at=1.0)


def entry_id(offset_ms: int, seq: int = 0) -> str:
    return f"{NOW + offset_ms}-{seq}"


def started(snapshot: Snapshot | None = None, clustered: bool = False) -> GatewayCore[Link]:
    """A core as the reader leaves it after a start on an empty Redis."""
    core: GatewayCore[Link] = GatewayCore(snapshot or config(), clustered)
    deliver(core.seed_control(None, None, NOW, at=0.5))
    for feed in core.unseeded_feeds():
        core.seed_tail(feed, [], NOW)
        deliver(core.seeded(feed, []))
    deliver(core.take([Reply(slot, [], 1.0) for slot in core.read_groups()], NOW))
    return core


def live(core: GatewayCore[Link], feed: str, *ids: str, now: int = NOW) -> Effects[Link]:
    """Entries read from a feed's stream, values 1, 2, 3..."""
    fields = [(i, {"value": str(n)}) for n, i in enumerate(ids, 1)]
    return deliver(core.take([reply(core.stream_key(feed), fields)], now))


def connect(
    core: GatewayCore[Link],
    screen: str = "main",
    principal: Principal = VIEWER,
    last: dict[str, str] | None = None,
    stream: dict[str, list[tuple[str, dict[Any, Any]]]] | None = None,
) -> tuple[Link, Peer[Link]]:
    """What the socket adapter does on a hello: join, read gaps, opening, then the backlog."""
    link = Link(screen)
    join = core.join(link, screen, principal, Hello("", last or {}), NOW)
    filled = {feed: (stream or {}).get(feed) for feed in join.gap_reads()}
    link.frames += [json.loads(f) for f in core.opening(join, filled, NOW)]
    while frames := core.backlog(join.peer):
        link.frames += [json.loads(f) for f in frames]
    return link, join.peer


def test_a_screen_gets_the_welcome_its_view_and_a_snapshot_then_live_entries() -> None:
    """A new screen gets welcome, view, the recent entries, then each entry read afterwards."""
    core = started()
    live(core, "power_load", entry_id(-2000), entry_id(-1000))
    link, _ = connect(core)
    assert link.kinds() == ["welcome", "view", "data"]
    welcome = link.frames[0]
    assert welcome["redis"] is True and welcome["now"] == NOW and len(welcome["rev"]) == 12
    assert link.entries() == [("power_load", entry_id(-2000)), ("power_load", entry_id(-1000))]
    live(core, "power_load", entry_id(1))
    assert link.entries() == [("power_load", entry_id(1))]


def test_a_batch_is_one_frame_per_group_encoded_once_for_all_its_sockets() -> None:
    """Every entry of one batch goes out in one data frame per distinct set of feeds, and that
    frame is one send naming every socket of the group."""
    core = started()
    a, _ = connect(core)
    b, _ = connect(core)
    second, _ = connect(core, "second")
    for link in (a, b, second):
        link.frames.clear()
    ids = [entry_id(n) for n in range(300)]
    effects = live(core, "power_load", *ids)
    assert effects.published
    assert len(effects.sends) == 2  # main's group and second's group
    assert sorted(len(links) for links, _ in effects.sends) == [1, 2]
    assert [i for _, i in a.entries()] == ids and [i for _, i in second.entries()] == ids
    assert len(b.frames) == 1


def test_each_screen_gets_only_its_feeds() -> None:
    """An entry for a feed shown only on 'second' reaches 'second' and not 'main'."""
    core = started()
    main, _ = connect(core, "main")
    second, _ = connect(core, "second")
    main.frames.clear()
    second.frames.clear()
    rows = json.dumps({"rows": [{"name": "Sông Hồng", "value": 9.1}]})
    deliver(core.take([reply("feed:rivers", [(entry_id(1), {"json": rows})])], NOW))
    assert second.entries() == [("rivers", entry_id(1))]
    assert main.frames == []


def test_resume_sends_exactly_the_missed_entries() -> None:
    """A screen reconnecting with its last id gets every later entry once, in order."""
    core = started()
    ids = [entry_id(n) for n in range(6)]
    live(core, "power_load", *ids)
    link, _ = connect(core, last={"power_load": ids[0]})
    assert [i for _, i in link.entries()] == ids[1:]
    live(core, "power_load", entry_id(10))
    assert link.entries() == [("power_load", entry_id(10))]


def test_entries_read_while_a_socket_opens_wait_for_it_and_come_once() -> None:
    """Between the join and the end of the opening (the gap read is awaited), entries read are
    held for the socket and follow its resume: no gap, no duplicate, in order."""
    core = started()
    live(core, "power_load", entry_id(0), entry_id(1))
    link = Link("main")
    join = core.join(link, "main", VIEWER, Hello("", {"power_load": entry_id(0)}), NOW)
    live(core, "power_load", entry_id(2), entry_id(3))  # read meanwhile: not sent yet
    assert link.frames == []
    opening = [json.loads(f) for f in core.opening(join, {}, NOW)]
    held = [json.loads(f) for f in core.backlog(join.peer)]
    assert core.backlog(join.peer) == [] and join.peer.ready
    got = [e[1] for f in [*opening, *held] if f["type"] == "data" for e in f["entries"]]
    assert got == [entry_id(1), entry_id(2), entry_id(3)]


def test_resume_from_before_the_cache_reads_the_stream_without_a_gap() -> None:
    """The cache holds CACHE_ENTRIES; an older resume point asks for the stream; if that read
    fails, what the cache holds after the point is sent."""
    core = started()
    ids = [entry_id(n) for n in range(CACHE_ENTRIES + 600)]
    live(core, "power_load", *ids)
    assert len(core.caches["power_load"]) == CACHE_ENTRIES  # bounded
    join = core.join(Link("main"), "main", VIEWER, Hello("", {"power_load": ids[99]}), NOW)
    assert join.gap_reads() == {"power_load": ("feed:power_load", ids[99])}
    stream = [(i, {"value": "1"}) for i in ids[100:]]
    opening = json.loads(core.opening(join, {"power_load": stream}, NOW)[-1])
    assert [e[1] for e in opening["entries"]] == ids[100:]
    failed = core.join(Link("main"), "main", VIEWER, Hello("", {"power_load": ids[99]}), NOW)
    fallback = json.loads(core.opening(failed, {"power_load": None}, NOW)[-1])
    assert [e[1] for e in fallback["entries"]] == ids[600:]


def test_a_seeded_tail_as_long_as_the_cache_is_partial() -> None:
    """A stream tail of CACHE_ENTRIES may have had more: a resume from before it is read from
    the stream; reads go on from the tail's newest id."""
    core: GatewayCore[Link] = GatewayCore(config())
    tail = [(entry_id(n), {"value": "1"}) for n in range(CACHE_ENTRIES)][::-1]  # newest first
    core.seed_tail("power_load", tail, NOW)
    reads = core.read_from(ALL_SLOTS)  # reads go on after the newest, and from 0-0 elsewhere
    newest = entry_id(CACHE_ENTRIES - 1)
    assert reads == {
        "feed:power_load": newest,
        "feed:rivers": "0-0",
        CMD_STREAM: "0-0",
        SCREEN_CMD: "0-0",
    }
    assert core.read_from(12345) == {}  # a group a reload emptied: its reader ends
    assert core.caches["power_load"].after(entry_id(-1)) is None  # maybe more before
    assert len(core.caches["power_load"].after(entry_id(0)) or []) == CACHE_ENTRIES - 1


def test_seeding_asks_the_history_for_what_the_stream_lost_and_judges_standing_rules() -> None:
    """A feed whose stream holds too little is completed from the history database; the rules
    judge its newest data on start."""
    snapshot = config("session.yaml")
    core: GatewayCore[Link] = GatewayCore(snapshot)
    want = core.seed_tail("wind", [(entry_id(0), {"value": "95"})], NOW)
    assert want is not None and want.feed == "wind" and want.before == entry_id(0)
    assert want.since_ms == NOW - core.history_ms["wind"]
    effects = core.seeded("wind", [FeedEntry(entry_id(-5000), NOW - 5000, {"value": 80.0})])
    assert [e.id for e in core.caches["wind"].entries] == [entry_id(-5000), entry_id(0)]
    assert [(t.rule.id, t.kind) for t in effects.transitions] == [("storm", "raise")]
    assert "wind" not in core.unseeded_feeds()


def test_malformed_and_poison_entries_are_dead_lettered_and_good_ones_still_flow() -> None:
    """Entries that once crashed the gateway are set aside with their reasons and counted; the
    next good entry reaches the screen, and a later snapshot holds only good entries."""
    core = started()
    link, _ = connect(core)
    link.frames.clear()
    poison: list[tuple[str, dict[Any, Any]]] = [
        (entry_id(1), {"json": "{not json"}),
        (entry_id(2), {"json": '{"a":' * 3000 + "1" + "}" * 3000}),
        (entry_id(3), {"json": '{"name": "\\ud800"}'}),
        (entry_id(4), {b"value": b"\xff\xfe\xed"}),
        (entry_id(5), {"value": "4\x002"}),
        (entry_id(6), {"v" * 5000: "1"}),
        (entry_id(7), {"value": "1", "json": '{"note": "\\udfff"}'}),
        (entry_id(8), {"value": "7"}),
    ]
    effects = deliver(core.take([reply("feed:power_load", poison)], NOW))
    assert link.entries() == [("power_load", entry_id(8))]
    assert [d.entry.id for d in effects.dead_letters] == [entry_id(n) for n in range(1, 8)]
    assert [d.entry.reason for d in effects.dead_letters][1:6] == [
        "json field nests deeper than 32 levels",
        "json.name: lone surrogate U+D800 at char 0",
        "field 'value' is not UTF-8 text (byte 0xff at 0)",
        "field 'value': control character U+0000 at char 1",
        f"field name '{'v' * 40}…' is longer than 128 characters",
    ]
    letter = effects.dead_letters[3]
    assert letter.stream == "feed:power_load"
    assert json.loads(letter.fields()["entry"]) == {"value": "\\xff\\xfe\\xed"}
    assert core.status()["rejected"] == {"power_load": 7} and core.status()["failures"] == 0
    again, _ = connect(core)
    assert [i for _, i in again.entries()][-1] == entry_id(8)


def test_dead_letter_fields_are_bounded() -> None:
    """A dead letter keeps at most 64 fields, names cut at 200 and values at 2000 characters."""
    from opswall.feeds.contract import Rejected

    raw = {f"{'k' * 300}{n}": "v" * 5000 for n in range(100)}
    fields = dead_letter_fields("feed:x", Rejected("1-0", "why"), raw)
    kept = json.loads(fields["entry"])
    assert len(kept) == 1 and len(next(iter(kept))) == 200  # the names cut alike: one left
    assert len(next(iter(kept.values()))) == 2000
    assert fields["reason"] == "why" and fields["stream"] == "feed:x"


def test_an_unforeseen_failure_on_one_entry_is_isolated_and_counted() -> None:
    """An entry the cache cannot take is dead-lettered as unexpected; one the rules fail on
    still reaches the cache and the screens; the others go on; both are counted."""
    core = started()
    cache = core.caches["power_load"]
    add, observe = cache.add, core.rules.observe

    def fragile_add(entry: FeedEntry) -> None:
        if entry.fields.get("value") == 666:
            raise RuntimeError("a bug nobody foresaw")
        add(entry)

    def fragile_observe(feed_id: str, entry: FeedEntry) -> Any:
        if entry.fields.get("value") == 777:
            raise RuntimeError("another one")
        return observe(feed_id, entry)

    cache.add = fragile_add  # type: ignore[method-assign]
    core.rules.observe = fragile_observe  # type: ignore[method-assign]
    link, _ = connect(core)
    link.frames.clear()
    ids = [entry_id(n) for n in range(4)]
    values = [{"value": v} for v in ("1", "666", "777", "4")]
    effects = deliver(
        core.take([reply("feed:power_load", list(zip(ids, values, strict=True)))], NOW)
    )
    assert [e.id for e in cache.entries] == [ids[0], ids[2], ids[3]]
    assert [i for _, i in link.entries()] == [ids[0], ids[2], ids[3]]
    [dead] = effects.dead_letters
    assert dead.entry.id == ids[1]
    assert dead.entry.reason == "unexpected RuntimeError handling the entry"
    assert core.status()["failures"] == 2 and core.status()["rejected"] == {"power_load": 1}


def test_redis_lost_and_back_is_told_to_every_screen() -> None:
    """Every reader failing turns the screens' source down (and the wall state is read again);
    the next reply turns it up. A failure from before the recovery is ignored."""
    core = started()
    link, _ = connect(core)
    link.frames.clear()
    deliver(core.take([Reply(ALL_SLOTS, ConnectionError("gone"), at=2.0)], NOW + 1))
    down = {"type": "hb", "now": NOW + 1, "redis": False}
    assert link.frames == [down, {**down, "unreachable": ["power_load"]}]  # what it shows
    assert core.status()["unreachable"] == ["power_load", "rivers"]
    assert not core.control_seeded and core.status()["redis"] is False
    deliver(core.seed_control(None, None, NOW + 2, at=3.0))
    deliver(core.take([Reply(ALL_SLOTS, ConnectionError("old"), at=2.5)], NOW + 3))
    assert core.status()["redis"] is False  # not told again; the old failure is ignored
    live(core, "power_load", entry_id(5), now=NOW + 4)
    assert [f["type"] for f in link.frames] == ["hb", "hb", "hb", "hb", "data"]
    assert link.frames[3] == {"type": "hb", "now": NOW + 4, "redis": True}
    assert core.status()["unreachable"] == []
    link.frames.clear()
    deliver(core.lost(OSError("writes fail"), NOW + 5))
    assert link.frames == [{"type": "hb", "now": NOW + 5, "redis": False}]


def test_a_failing_slot_group_marks_only_its_feeds_unreachable() -> None:
    """On a cluster, one slot group failing while others read: Redis is up, and each screen is
    told only of the unreachable feeds it may see; they read again: cleared."""
    core = started(clustered=True)
    groups = core.read_groups()
    [rivers_slot] = [s for s, keys in groups.items() if "feed:rivers" in keys]
    assert len(groups) > 1 and groups[rivers_slot] == ["feed:rivers"]
    main, _ = connect(core, "main")
    second, _ = connect(core, "second")
    main.frames.clear()
    second.frames.clear()
    deliver(core.take([Reply(rivers_slot, ConnectionError("node down"), at=2.0)], NOW))
    assert core.status()["redis"] is True and core.status()["unreachable"] == ["rivers"]
    assert main.frames == [{"type": "hb", "now": NOW, "redis": True}]
    assert second.frames == [{"type": "hb", "now": NOW, "redis": True, "unreachable": ["rivers"]}]
    late, _ = connect(core, "second")
    assert late.frames[0]["unreachable"] == ["rivers"]  # in its welcome
    deliver(core.take([Reply(rivers_slot, [], at=3.0)], NOW + 1))
    assert core.status()["unreachable"] == [] and main.frames[-1] == second.frames[-1]


def takeover_state(version: int, until_ms: int | None, acked_by: str | None = None) -> str:
    warning = ActiveWarning(
        "storm-1", "storm", "critical", {"en": "Storm"}, NOW, 95.0, acked_by, False,
        "disaster", ("main",), until_ms,
    )  # fmt: skip
    return WallState(version=version, warnings=(warning,)).to_json()


def control(core: GatewayCore[Link], state: str, now: int = NOW) -> Effects[Link]:
    return deliver(core.take([reply(CMD_STREAM, [(entry_id(9), {"state": state})])], now))


def test_a_takeover_changes_the_view_of_its_screens_until_it_times_out() -> None:
    """A warning's takeover puts its scene on the screens it names (with the alert), leaves
    the others' views alone, and ends with the clock."""
    core = started(config("session.yaml"))
    main, _ = connect(core, "main")
    left, _ = connect(core, "left")
    assert main.frames[1]["view"]["layout"] == "main"
    main.frames.clear()
    left.frames.clear()
    control(core, takeover_state(1, until_ms=NOW + 1000))
    [view] = main.frames
    assert view["view"]["layout"] == "disaster-layout" and view["alerts"][0]["id"] == "storm-1"
    assert [f["view"]["layout"] for f in left.frames] == ["left"]  # the alerts changed only
    main.frames.clear()
    deliver(core.refresh_views(NOW + 500))
    assert main.frames == []  # nothing changed: nothing sent
    deliver(core.refresh_views(NOW + 1000))
    assert [f["view"]["layout"] for f in main.frames] == ["main"]


def test_an_older_or_unreadable_wall_state_is_ignored() -> None:
    """A state older than the one held, or an entry that does not parse, changes nothing."""
    core = started(config("session.yaml"))
    control(core, takeover_state(5, until_ms=None))
    assert core.status()["wall_version"] == 5
    control(core, takeover_state(4, until_ms=None, acked_by="lead"))
    control(core, "{not json")
    assert core.status()["wall_version"] == 5 and core.last_read[CMD_STREAM] == entry_id(9)


def test_panels_get_the_wall_and_each_change_as_one_frame_per_clearance() -> None:
    """A panel's opening is the welcome and the whole wall (every screen's view); a change
    reaches cleared and uncleared panels as one frame each; an open rule's value reaches both."""
    core = started(config("session.yaml"))
    cleared, _ = connect(core, PANEL, Principal("admin", "admin", clearance=True))
    uncleared, _ = connect(core, PANEL, Principal("lead", "leader"))
    assert cleared.kinds() == ["welcome", "wall", "data"]  # data: the alert feeds (none here)
    assert set(cleared.frames[1]["views"]) == {"main", "left", "side"}
    cleared.frames.clear()
    uncleared.frames.clear()
    effects = control(core, takeover_state(1, until_ms=None))
    assert sum(1 for _, frame in effects.sends if '"type":"wall"' in frame) == 2
    [mine], [theirs] = cleared.frames, uncleared.frames
    assert mine["state"]["version"] == theirs["state"]["version"] == 1
    assert theirs["state"]["warnings"][0]["value"] == 95.0  # storm watches wind: open
    assert theirs["views"]["main"]["layout"] == "disaster-layout"


def test_panels_get_the_alerts_the_walls_alert_tiles_show_and_nothing_else() -> None:
    """A panel lists what is alerting on the wall (issue 18): it gets the entries of every feed
    an alerts tile reads (minimal.yaml: rivers), past and live, and no other feed's data."""
    core = started()
    live(core, "rivers", entry_id(-1000))
    panel, _ = connect(core, PANEL, Principal("lead", "leader"))
    assert panel.kinds() == ["welcome", "wall", "data"]
    assert panel.entries() == [("rivers", entry_id(-1000))]
    live(core, "power_load", entry_id(1))
    live(core, "rivers", entry_id(2))
    assert panel.entries() == [("rivers", entry_id(2))]


def test_an_uncleared_panel_gets_no_classified_alert_feed() -> None:
    snapshot = config_of(
        (FIXTURES / "minimal.yaml")
        .read_text(encoding="utf-8")
        .replace("id: rivers\n", "id: rivers\n    classified: true\n", 1)
    )
    core = started(snapshot)
    cleared, _ = connect(core, PANEL, Principal("admin", "admin", clearance=True))
    uncleared, _ = connect(core, PANEL, Principal("lead", "leader"))
    for link in (cleared, uncleared):
        link.frames.clear()
    live(core, "rivers", entry_id(1))
    assert cleared.entries() == [("rivers", entry_id(1))]
    assert uncleared.entries() == []


def test_a_classified_rules_value_is_redacted_for_uncleared_panels() -> None:
    """With a rule on the classified feed, its value reaches cleared panels only."""
    text = (FIXTURES / "session.yaml").read_text(encoding="utf-8")
    text += "  - {id: secret-high, feed: secret_ops, above: 5, message: {vi: X, en: X}}\n"
    core = started(config_of(text))
    cleared, _ = connect(core, PANEL, Principal("admin", "admin", clearance=True))
    uncleared, _ = connect(core, PANEL, Principal("lead", "leader"))
    cleared.frames.clear()
    uncleared.frames.clear()
    warning = ActiveWarning("s-1", "secret-high", "warning", {"en": "X"}, NOW, 987654.25)
    control(core, WallState(version=1, warnings=(warning,)).to_json())
    assert cleared.frames[0]["state"]["warnings"][0]["value"] == 987654.25
    assert uncleared.frames[0]["state"]["warnings"][0]["value"] is None


def test_a_socket_gets_only_feeds_its_screen_can_show_within_its_clearance() -> None:
    """A screen asking for feeds it cannot show under any scene gets none of them; classified
    feeds need clearance; a screen that names none gets its view's layout."""
    core = started()
    link = Link("third")
    asked = Hello("", {}, feeds=("rivers", "power_load", "nope"))
    assert core.join(link, "third", VIEWER, asked, NOW).peer.feeds == {"rivers"}
    assert core.join(link, "main", VIEWER, Hello("", {}), NOW).peer.feeds == {"power_load"}
    session = started(config("session.yaml"))
    asked = Hello("", {}, feeds=("wind", "secret_ops"))
    assert session.join(link, "left", VIEWER, asked, NOW).peer.feeds == {"wind"}
    assert session.join(link, "left", CLEARED_VIEWER, asked, NOW).peer.feeds == {
        "wind",
        "secret_ops",
    }
    rotating = session.join(link, "side", VIEWER, Hello("", {}, feeds=("wind",)), NOW).peer
    assert rotating.feeds == {"wind"}  # its rotation shows the disaster layout


def test_a_subscription_sends_what_the_added_feeds_need_then_keeps_them_live() -> None:
    """A page that now shows other tiles gets the added feeds' snapshot (or resume) at once,
    nothing again for the feeds it had, and then their live entries."""
    core = started()
    live(core, "rivers", entry_id(0))
    link, peer = connect(core, "second", last={"rivers": entry_id(0)})
    link.entries()
    peer.feeds = frozenset({"rivers"})
    live(core, "power_load", entry_id(1), entry_id(2))
    assert link.entries() == []
    join = core.resubscribe(peer, Subscribe(("rivers", "power_load"), {}), NOW)
    assert join is not None
    deliver(core.subscribed(join, {}))
    assert link.entries() == [("power_load", entry_id(1)), ("power_load", entry_id(2))]
    assert core.resubscribe(peer, Subscribe(("rivers", "power_load"), {}), NOW) is None
    live(core, "power_load", entry_id(3))
    assert link.entries() == [("power_load", entry_id(3))]


def test_a_config_edit_announces_the_new_layout_to_the_screens_it_changed() -> None:
    """After a reload, `main` (moved tile) gets a view with a new revision; `second` nothing."""
    core = started()
    main, _ = connect(core, "main")
    second, _ = connect(core, "second")
    rev = main.frames[0]["rev"]
    main.frames.clear()
    second.frames.clear()
    text = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
    moved = text.replace("{col: 10, row: 1, w: 3, h: 2}}", "{col: 10, row: 4, w: 3, h: 2}}")
    core.configure(config_of(moved))
    deliver(core.refresh_views(NOW))
    [view] = main.frames
    assert view["view"]["rev"] != rev and second.frames == []


def test_a_feed_added_by_a_reload_is_seeded_read_and_may_be_subscribed() -> None:
    """A new feed gets a cache to seed and a stream to read; a screen showing it may ask."""
    core = started()
    text = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "screens:\n",
        "  - id: aqi\n    label: AQI\n    cadence: 1s\n    source: {kind: redis}\nscreens:\n",
        1,
    ).replace(
        "      - {id: clock, type: clock, at: {col: 10, row: 1, w: 3, h: 2}}\n",
        "      - {id: clock, type: clock, at: {col: 10, row: 1, w: 3, h: 2}}\n"
        "      - {id: aqi, type: kpi, at: {col: 1, row: 5, w: 3, h: 2}, feed: aqi}\n",
        1,
    )
    link, peer = connect(core, "main")
    core.configure(config_of(text))
    assert core.unseeded_feeds() == ["aqi"] and "feed:aqi" in core.read_groups()[ALL_SLOTS]
    join = core.resubscribe(peer, Subscribe(("power_load", "aqi"), {}), NOW)
    assert join is not None and peer.feeds == {"power_load", "aqi"}
    link.frames.clear()
    live(core, "aqi", entry_id(1))
    assert link.entries() == [("aqi", entry_id(1))]


def test_rule_transitions_are_asked_once_per_rule_and_judged_again_if_not_written() -> None:
    """Entries over a threshold ask for one raise; a failed write makes the rule judge the next
    entry afresh; silence is judged with the clock."""
    core = started(config("session.yaml"))
    effects = deliver(
        core.take(
            [reply("feed:wind", [(entry_id(1), {"value": "95"}), (entry_id(2), {"value": "99"})])],
            NOW,
        )
    )
    assert [(t.rule.id, t.kind) for t in effects.transitions] == [("storm", "raise")]
    assert [t.kind for t in live(core, "wind", entry_id(3)).transitions] == ["clear"]
    assert live(core, "wind", entry_id(4)).transitions == []  # still clear: nothing to write
    core.transition_failed("storm")  # the clear was not written
    assert [t.kind for t in live(core, "wind", entry_id(5)).transitions] == ["clear"]
    assert deliver(core.check_silence(NOW + 10)).transitions == []


def test_a_socket_that_leaves_is_sent_nothing_more() -> None:
    """After `leave`, live entries no longer name the socket and /healthz stops counting it."""
    core = started()
    link, peer = connect(core)
    assert core.status()["screens"] == {"main": 1}
    core.leave(peer, NOW)
    link.frames.clear()
    live(core, "power_load", entry_id(1))
    assert link.frames == [] and core.status()["screens"] == {}


def test_is_screen_names_displays_and_the_panel_only() -> None:
    """Unknown screens are refused before any hello; non-display layouts are not screens."""
    core = started(config("session.yaml"))
    assert core.is_screen("main") and core.is_screen(PANEL)
    assert not core.is_screen("nope") and not core.is_screen("economy-layout")


def test_a_heartbeat_is_one_frame_for_every_socket_with_the_time_given() -> None:
    """A heart-beat is encoded once (one send per screen, the same frame) and carries the time
    the core was told."""
    core = started()
    a, _ = connect(core, "main")
    b, _ = connect(core, "second")
    a.frames.clear()
    b.frames.clear()
    effects = deliver(core.heartbeat(NOW + 7))
    assert len({frame for _, frame in effects.sends}) == 1
    assert a.frames == b.frames == [{"type": "hb", "now": NOW + 7, "redis": True}]


def test_effects_gathered_over_several_inputs_keep_one_transition_per_rule() -> None:
    """The reader gathers seeding effects feed by feed: sends and dead letters add up, and only
    where each rule ends up is written."""
    core = started(config("session.yaml"))
    first = live(core, "wind", entry_id(1)).transitions  # value 1: a clear (first judgement)
    assert [t.kind for t in first] == ["clear"]
    gathered: Effects[Link] = Effects(transitions=first)
    gathered += deliver(core.take([reply("feed:wind", [(entry_id(2), {"value": "95"})])], NOW))
    gathered += Effects(sends=[([Link("x")], "{}")], published=False)
    assert [t.kind for t in gathered.transitions] == ["raise"]
    assert gathered.published and len(gathered.sends) == 1


def test_a_draft_preview_socket_gets_the_feeds_its_page_names_and_never_a_view() -> None:
    """The studio's preview window (`_draft`): the feeds its page names within the person's
    clearance, live; no view, even
    when a held scene changes every display's; it is no device of the fleet."""
    core = started(config("session.yaml"))
    assert core.is_screen(DRAFT)
    link, hello = Link(DRAFT), Hello("", {}, ("wind", "secret_ops", "x"))
    join = core.join(link, DRAFT, Principal("lead", "leader"), hello, NOW)  # no clearance
    link.frames += [json.loads(f) for f in core.opening(join, {}, NOW)]
    assert core.backlog(join.peer) == []  # ready
    assert link.kinds() == ["welcome", "data"] and join.peer.feeds == {"wind"}
    screen, _ = connect(core, "main")
    control(core, WallState(version=1, scene="economy").to_json())
    assert screen.kinds()[-1] == "view" and screen.frames[-1]["view"]["scene"] == "economy"
    live(core, "wind", entry_id(2))
    assert link.kinds() == ["welcome", "data", "data"]
    assert link.entries() == [("wind", entry_id(2))]
    assert core.fleet.fleet.devices(NOW) == []
