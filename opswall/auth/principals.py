"""Roles and who is asking: a person (leader, operator, admin) or a wall screen (viewer)."""

from __future__ import annotations

from dataclasses import dataclass, field

from opswall.auth.scopes import TokenScope

ROLES = ("viewer", "leader", "operator", "admin")  # each role may do what the ones before may


def role_at_least(role: str, wanted: str) -> bool:
    return role in ROLES and ROLES.index(role) >= ROLES.index(wanted)


@dataclass(frozen=True)
class Principal:
    name: str  # a user name, or "device:<id>" for a wall screen
    role: str
    clearance: bool = False
    screen: str = "*"  # a device token's stored scope: the screen it is for ("*": any) ...
    # ... and, typed, what the token is for (None for a person).
    scope: TokenScope | None = field(default=None, compare=False)

    def may(self, wanted: str) -> bool:
        return role_at_least(self.role, wanted)

    def may_show(self, screen: str) -> bool:
        if self.scope is not None:
            return self.scope.shows(screen)  # a producer's or agency's token shows no screen
        return self.screen in ("*", screen)

    def holds(self, scope: TokenScope) -> bool:
        """Whether this is a device token for exactly `scope` (a feed, an agency, metrics)."""
        return self.scope == scope
