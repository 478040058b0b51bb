"""Preview before apply (issue 20, part 3): a `preview` action marks one display as showing a
studio draft; only that display's view (its key and announced revision) changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from opswall.config.live import snapshot_of
from opswall.config.loader import load_config
from opswall.config.models import WallConfig
from opswall.control.actions import LEADER_ACTIONS, ActionError, apply
from opswall.control.state import WallState
from opswall.control.views import all_views
from opswall.gateway.board import view_wire
from opswall.studio.preview import preview_snapshot
from opswall.tiles import default_registry

FIXTURES = Path(__file__).parents[1] / "fixtures"
T0 = 1_800_000_000_000
DRAFT = "0123456789abcdef"


@pytest.fixture(scope="module")
def config() -> WallConfig:
    return load_config(FIXTURES / "minimal.yaml", default_registry())


def preview(state: WallState, config: WallConfig, draft: str | None) -> WallState:
    return apply(state, {"action": "preview", "screen": "main", "draft": draft}, "op", config, T0)


def test_a_preview_changes_only_its_screens_view(config: WallConfig) -> None:
    before = all_views(config, WallState(), T0)
    state = preview(WallState(), config, DRAFT)
    after = all_views(config, state, T0)
    assert state.previews == {"main": DRAFT}
    assert after["main"].key != before["main"].key
    assert {s: v.key for s, v in after.items() if s != "main"} == {
        s: v.key for s, v in before.items() if s != "main"
    }
    snapshot = snapshot_of(config)
    assert view_wire(snapshot, after["main"])["rev"] == f"{snapshot.revisions['main']}~{DRAFT}"
    assert view_wire(snapshot, after["second"]) == view_wire(snapshot, before["second"])
    assert WallState.from_json(state.to_json()) == state


def test_cancel_restores_and_a_renewal_is_no_new_version(config: WallConfig) -> None:
    state = preview(WallState(), config, DRAFT)
    assert preview(state, config, DRAFT) is state  # the open studio renews it
    ended = preview(state, config, None)
    assert ended.previews == {}
    assert (
        all_views(config, ended, T0)["main"].key == all_views(config, WallState(), T0)["main"].key
    )


def test_previews_are_refused_for_unknown_screens_and_odd_drafts(config: WallConfig) -> None:
    with pytest.raises(ActionError, match="unknown screen"):
        apply(
            WallState(), {"action": "preview", "screen": "nope", "draft": DRAFT}, "op", config, T0
        )
    with pytest.raises(ActionError, match="draft"):
        preview(WallState(), config, "../../etc")
    assert "preview" not in LEADER_ACTIONS  # the studio sends it, not the panel


def test_a_lapsed_draft_renders_the_file_under_the_preview_revision(config: WallConfig) -> None:
    view = all_views(config, preview(WallState(), config, DRAFT), T0)["main"]
    snapshot = snapshot_of(config)
    shown = preview_snapshot(snapshot, view, None)
    assert shown.config is config
    assert shown.revisions["main"] == view_wire(snapshot, view)["rev"]
