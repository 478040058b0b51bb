"""Pure rules of who may sign in and what a token is for: user names, token scopes, sign-in
limits (issue 17, parts 4, 5 and 7)."""

from __future__ import annotations

import hashlib
import unicodedata

import pytest

from opswall.auth import throttle
from opswall.auth.names import name_problem, normalise
from opswall.auth.scopes import (
    Choices,
    MintRefused,
    ScopeError,
    TokenKind,
    TokenScope,
    may_mint,
    requested_scope,
)

OFFERED = Choices(screens=("main", "left"), feeds=("pushed",), agencies=("MOIT", "NSO"))


@pytest.mark.parametrize(
    ("stored", "kind", "target"),
    [
        ("main", TokenKind.SCREEN, "main"),
        ("*", TokenKind.SCREEN, "*"),
        ("push:pushed", TokenKind.PRODUCER, "pushed"),
        ("agency:MOIT", TokenKind.AGENCY, "MOIT"),
        ("metrics", TokenKind.METRICS, ""),
    ],
)
def test_a_stored_scope_reads_back_as_the_same_typed_scope(
    stored: str, kind: TokenKind, target: str
) -> None:
    """Each kind's stored form parses to its kind and target, and prints back unchanged."""
    scope = TokenScope.parse(stored)
    assert (scope.kind, scope.target) == (kind, target) and str(scope) == stored
    assert TokenScope.read(kind.value, stored) == scope


def test_the_kind_column_decides_not_the_string() -> None:
    """A screen token for a screen that happens to be called "metrics" stays a screen token;
    an unknown kind shows nothing."""
    assert TokenScope.read("screen", "metrics") == TokenScope(TokenKind.SCREEN, "metrics")
    assert not TokenScope.read("wizard", "main").shows("main")
    assert not TokenScope(TokenKind.AGENCY, "MOIT").shows("main")
    assert TokenScope(TokenKind.SCREEN, "*").shows("main")


def test_an_operator_may_mint_screen_tokens_only() -> None:
    """Operators: screens; admins: every kind; nobody else: nothing."""
    assert [k for k in TokenKind if may_mint("operator", k)] == [TokenKind.SCREEN]
    assert [k for k in TokenKind if may_mint("admin", k)] == list(TokenKind)
    assert not any(may_mint(role, k) for role in ("leader", "viewer") for k in TokenKind)


@pytest.mark.parametrize(
    "form",
    [
        {"kind": "agency", "agency": "MOIT"},
        {"kind": "producer", "feed": "pushed"},
        {"kind": "metrics"},
    ],
)
def test_an_operators_form_for_another_kind_is_refused(form: dict[str, str]) -> None:
    """The POST is re-checked whatever the form offered."""
    with pytest.raises(MintRefused, match="a operator may not create"):
        requested_scope("operator", form, OFFERED)


@pytest.mark.parametrize(
    ("form", "reason"),
    [
        ({"screen": "agency:MOIT"}, "field 'screen': 'agency:MOIT' is not one of \\*, main"),
        ({"kind": "agency", "agency": "XX"}, "field 'agency': 'XX' is not one of MOIT, NSO"),
        ({"kind": "producer", "feed": "power"}, "field 'feed': 'power' is not one of pushed"),
        ({"kind": "root"}, "field 'kind': 'root' is not one of screen, producer, agency"),
    ],
)
def test_a_target_not_offered_is_refused_with_its_field(form: dict[str, str], reason: str) -> None:
    """Targets come from the lists the form offers (screens, push feeds, agencies)."""
    with pytest.raises(ScopeError, match=reason):
        requested_scope("admin", form, OFFERED)


def test_admins_get_exactly_the_scope_they_chose() -> None:
    """Each allowed choice becomes its typed scope."""
    assert requested_scope("operator", {}, OFFERED) == TokenScope(TokenKind.SCREEN, "*")
    assert requested_scope("admin", {"kind": "agency", "agency": "NSO"}, OFFERED) == TokenScope(
        TokenKind.AGENCY, "NSO"
    )
    assert requested_scope("admin", {"kind": "metrics"}, OFFERED) == TokenScope(TokenKind.METRICS)


@pytest.mark.parametrize(
    "name",
    ["admin", "nguyễn.văn.an", "trần_thị-bích@mpi", "đỗ", "山田たろう", "김민준", "иван", "op7"],
)
def test_names_in_one_script_are_allowed(name: str) -> None:
    """Vietnamese (Latin with diacritics), other single scripts, Japanese kana with kanji."""
    assert name_problem(normalise(name)) is None


@pytest.mark.parametrize(
    ("name", "reason", "position"),
    [
        ("ad\u200dmin", "invisible", 3),  # zero-width joiner
        ("\u202eadmin", "invisible", 1),  # right-to-left override
        ("admin\x00", "invisible", 6),
        ("ad\ufe0fmin", "invisible", 3),  # variation selector
        ("a\u0301\u0301", "invisible", 2),  # a second accent NFKC cannot compose onto "á"
        ("pаypal", "script", 2),  # Cyrillic a
        ("ΑΒΓadmin", "script", 1),  # more Latin than Greek: the Greek is the odd one
        ("x<y", "character", 2),
        ("", "empty", 0),
        ("a" * 65, "long", 0),
    ],
)
def test_invisible_or_mixed_names_are_refused_at_their_character(
    name: str, reason: str, position: int
) -> None:
    """The refusal names its reason and the 1-based character, in both languages."""
    problem = name_problem(normalise(name))
    assert problem is not None and (problem.reason, problem.position) == (reason, position)
    if position:
        assert f"ký tự thứ {position}" in problem.both() and f"character {position}" in str(problem)


def test_nfkc_folds_compatibility_forms() -> None:
    """Full-width and mathematical letters become the plain ones (one name, one spelling)."""
    assert normalise("ａｄｍｉｎ") == "admin" == normalise("𝐚𝐝𝐦𝐢𝐧")
    assert normalise("nguye\u0302\u0303n") == unicodedata.normalize("NFC", "nguyễn")


def test_one_address_alone_never_makes_the_person_do_work() -> None:
    """The pair locks before the name's free tries run out."""
    assert throttle.PAIR_LIMIT < throttle.USER_FREE
    assert throttle.judge(throttle.Counts(pair=8, address=8, user=8)).blocked == "pair"
    assert throttle.judge(throttle.Counts(pair=0, address=0, user=9)) == throttle.Verdict()
    assert throttle.judge(throttle.Counts(address=30)).blocked == "address"


def test_work_grows_with_failures_and_is_capped() -> None:
    """One more bit (twice the work) per failure past the free ones, up to MAX_BITS."""
    bits = [throttle.work_bits(n) for n in range(9, 40)]
    assert bits[:3] == [0, throttle.FIRST_BITS, throttle.FIRST_BITS + 1]
    assert bits == sorted(bits) and max(bits) == throttle.MAX_BITS


def test_a_solution_must_have_the_zero_bits_and_be_digits() -> None:
    """Checking work is one hash; anything but a short decimal counter is refused."""
    nonce, bits = "n0nce", 10
    answer = next(
        str(c)
        for c in range(1 << 20)
        if int.from_bytes(hashlib.sha256(f"{nonce}:{c}".encode()).digest(), "big") >> 246 == 0
    )
    assert throttle.solved(nonce, answer, bits)
    for bad in ("", "-1", "1e9", "１２", "9" * 13):
        assert not throttle.solved(nonce, bad, 0)
