"""What a device token is for, typed: one kind and its target (issue 17, part 4).

| kind       | target                      | stored scope      | used by                      |
|------------|-----------------------------|-------------------|------------------------------|
| `screen`   | a screen id, or `*` (any)   | `main`, `*`       | wall PCs (`/wall/<screen>`)  |
| `producer` | a feed with an http_push    | `push:<feed>`     | `POST /api/feeds/<feed>/...` |
| `agency`   | an agency of the catalogue  | `agency:<code>`   | `POST /api/reports`          |
| `metrics`  | none                        | `metrics`         | `GET /metrics`               |

The kind is kept in a column of its own (migration 0003), so a screen that happens to be
called "metrics" can never be read as a scrape token. Who may mint which kind is decided here
too (`may_mint`), for the web form and its POST alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from opswall.errors import OpswallError

ANY_SCREEN = "*"


class TokenKind(StrEnum):
    SCREEN = "screen"
    PRODUCER = "producer"
    AGENCY = "agency"
    METRICS = "metrics"


PREFIX = {TokenKind.PRODUCER: "push:", TokenKind.AGENCY: "agency:"}
# An operator looks after the wall's screens; tokens that write official figures, push feed
# entries or read the metrics are an admin's to give (or made with the CLI on the server).
MINTABLE = {
    "operator": (TokenKind.SCREEN,),
    "admin": tuple(TokenKind),
}


class ScopeError(OpswallError):
    """A token scope that cannot be made (a form answered 400, the CLI exits 1)."""

    def __init__(self, text: str, i18n: str = "", **fields: str) -> None:
        super().__init__(text)
        self.i18n, self.fields = i18n, fields  # the i18n key and its fields, for the form


class NotOffered(ScopeError):
    """A form field whose value is not one of those the form offered."""

    def __init__(self, field: str, value: str, offered: tuple[str, ...]) -> None:
        listed = ", ".join(offered)
        text = f"field '{field}': {value!r} is not one of {listed}"
        super().__init__(text, "token_not_offered", field=field, value=value, offered=listed)


class MintRefused(ScopeError):
    """A kind of token this role may not create (answered 403)."""

    def __init__(self, role: str, kind: str) -> None:
        text = f"a {role} may not create {kind} tokens"
        super().__init__(text, "token_not_mintable", role=role, kind=kind)


@dataclass(frozen=True)
class TokenScope:
    kind: TokenKind
    target: str = ""

    def __str__(self) -> str:
        """The stored scope (the `screen` column, as producers and older code read it)."""
        if self.kind is TokenKind.METRICS:
            return "metrics"
        return PREFIX.get(self.kind, "") + self.target

    @classmethod
    def read(cls, kind: str, stored: str) -> TokenScope:
        """From the two stored columns; an unknown kind is a screen token for nothing."""
        try:
            typed = TokenKind(kind)
        except ValueError:
            return cls(TokenKind.SCREEN, "")
        if typed is TokenKind.METRICS:
            return cls(typed)
        return cls(typed, stored.removeprefix(PREFIX.get(typed, "")))

    @classmethod
    def parse(cls, stored: str) -> TokenScope:
        """From a scope string alone (CLI flags, rows written before the kind column)."""
        if stored == "metrics":
            return cls(TokenKind.METRICS)
        for kind, prefix in PREFIX.items():
            if stored.startswith(prefix):
                return cls(kind, stored.removeprefix(prefix))
        return cls(TokenKind.SCREEN, stored)

    def shows(self, screen: str) -> bool:
        return self.kind is TokenKind.SCREEN and self.target in (ANY_SCREEN, screen)


@dataclass(frozen=True)
class Choices:
    """What the live config offers to mint a token for."""

    screens: tuple[str, ...]
    feeds: tuple[str, ...]  # feeds that take pushed entries
    agencies: tuple[str, ...]  # the catalogue's agencies


def may_mint(role: str, kind: TokenKind) -> bool:
    return kind in MINTABLE.get(role, ())


def requested_scope(role: str, form: dict[str, str], choices: Choices) -> TokenScope:
    """The scope a token form asks for, checked against the role and the lists the form
    offered; raises ScopeError (a refusal with its reason) for anything else."""
    kind = _kind(form.get("kind") or TokenKind.SCREEN)
    if not may_mint(role, kind):
        raise MintRefused(role, kind.value)
    # The screen form offers "*" (any screen) and every screen the config has.
    field, offered = {
        TokenKind.SCREEN: ("screen", (ANY_SCREEN, *choices.screens)),
        TokenKind.PRODUCER: ("feed", choices.feeds),
        TokenKind.AGENCY: ("agency", choices.agencies),
        TokenKind.METRICS: ("", ("",)),
    }[kind]
    target = form.get(field, ANY_SCREEN if kind is TokenKind.SCREEN else "") if field else ""
    if target not in offered:
        raise NotOffered(field, target, offered)
    return TokenScope(kind, target)


def _kind(value: str) -> TokenKind:
    try:
        return TokenKind(value)
    except ValueError:
        raise NotOffered("kind", value, tuple(TokenKind)) from None
