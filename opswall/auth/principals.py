"""Roles and who is asking: a person (leader, operator, admin) or a wall screen (viewer)."""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("viewer", "leader", "operator", "admin")  # each role may do what the ones before may


def role_at_least(role: str, wanted: str) -> bool:
    return role in ROLES and ROLES.index(role) >= ROLES.index(wanted)


@dataclass(frozen=True)
class Principal:
    name: str  # a user name, or "device:<id>" for a wall screen
    role: str
    clearance: bool = False
    screen: str = "*"  # the screen a device token is for ("*": any)

    def may(self, wanted: str) -> bool:
        return role_at_least(self.role, wanted)

    def may_show(self, screen: str) -> bool:
        return self.screen in ("*", screen)
