"""The wall state as the core last read it, and what each screen and panel is told of it: each
screen its view (sent when it, the alerts or the layout changed), panels the whole state."""

from __future__ import annotations

import json
from typing import Any

from opswall.config.live import Snapshot
from opswall.config.models import WallConfig
from opswall.control.alert_rules import classified_rules
from opswall.control.state import WallState
from opswall.control.views import View, all_views, preview_rev
from opswall.gateway import protocol
from opswall.gateway.scope import redact_state
from opswall.gateway.screens import PANEL, L, Screens

Wires = dict[str, dict[str, Any]]


def view_wire(snapshot: Snapshot, view: View) -> dict[str, Any]:
    return {**view.wire(), "rev": preview_rev(snapshot.revisions.get(view.layout, ""), view)}


def alerts_of(state: WallState) -> list[dict[str, Any]]:
    """The warnings a view frame carries (live, and a replay's: `replay/core.py`)."""
    return [
        {
            "id": w.id,
            "rule": w.rule,
            "severity": w.severity,
            "message": w.message,
            "raised_ms": w.raised_ms,
            "acked_by": w.acked_by,
            "cleared": w.cleared,
        }
        for w in state.warnings
    ]


class Board:
    def __init__(self) -> None:
        self.state = WallState()
        self.views: dict[str, View] = {}
        self.wires: Wires = {}  # the views as last sent
        self.alerts_sig = ""
        self.panel_version = -1  # the wall-state version panels last got

    def accept(self, state: WallState) -> bool:
        """Take a newer state (or a reset one, version 0); False: an older one, ignored."""
        if state.version >= self.state.version or state.version == 0:
            self.state = state
            return True
        return False

    def alerts(self) -> list[dict[str, Any]]:
        return alerts_of(self.state)

    def refresh(self, snapshot: Snapshot, now: int, screens: Screens[L]) -> None:
        """Send each screen its view when it (or the alerts, or the layout) changed."""
        views = all_views(snapshot.config, self.state, now)
        alerts = self.alerts()
        alerts_sig = json.dumps(alerts, sort_keys=True)
        wires = {screen: view_wire(snapshot, view) for screen, view in views.items()}
        changed = {screen for screen, wire in wires.items() if self.wires.get(screen) != wire}
        alerts_changed = alerts_sig != self.alerts_sig
        state_changed = self.state.version != self.panel_version
        self.views, self.wires, self.alerts_sig = views, wires, alerts_sig
        self.panel_version = self.state.version
        for screen, peers in screens.peers.items():
            if screen == PANEL:
                if changed or alerts_changed or state_changed:
                    for cleared in (True, False):
                        group = [p for p in peers if p.principal.clearance == cleared]
                        if group:
                            frame = self.panel_frame(snapshot.config, wires, cleared, now)
                            screens.send(group, frame)
            elif screen in wires and (screen in changed or alerts_changed):
                screens.send(peers, protocol.view_frame(wires[screen], alerts))

    def panel_frame(self, config: WallConfig, wires: Wires, cleared: bool, now: int) -> str:
        """The wall state for panels; without clearance, classified rules' values removed."""
        state = json.loads(self.state.to_json())
        if not cleared:
            state = redact_state(state, classified_rules(config))
        return protocol.wall_frame(state, wires, now)

    def opening(self, snapshot: Snapshot, screen: str, cleared: bool, now: int) -> list[str]:
        """What a socket gets before any data: a panel the wall, a screen its view."""
        if screen == PANEL:
            wires = {s: view_wire(snapshot, v) for s, v in self.views.items()}
            return [self.panel_frame(snapshot.config, wires, cleared, now)]
        view = self.views.get(screen)
        return (
            [] if view is None else [protocol.view_frame(view_wire(snapshot, view), self.alerts())]
        )

    def view_keys(self) -> dict[str, str]:
        """What each screen should show now, by view key (what its page reports back)."""
        return {screen: view.key for screen, view in self.views.items()}

    def rev(self, snapshot: Snapshot, screen: str) -> str:
        view = self.views.get(screen)
        return str(view_wire(snapshot, view)["rev"]) if view else ""
