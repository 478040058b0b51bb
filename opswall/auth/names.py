"""User names: one normal form, and no invisible or look-alike characters (issue 17, part 7).

A name is NFKC-normalised first (so a keyboard that sends "e" + combining circumflex + tilde
and one that sends "ễ" give the same name, and full-width or mathematical letters become plain
ones), then checked character by character against an allow-list: letters, ASCII digits and
`. _ - @`. Everything else (spaces, format and control characters, zero-width joiners,
combining marks left over, fillers that show nothing) is refused, and so are letters from two
scripts in one name ("аdmin" with a Cyrillic "а"), the usual way to make a look-alike of
another person's name. Vietnamese letters are Latin, so "nguyễn.văn" is one script.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

MAX_LENGTH = 64
PUNCTUATION = frozenset("._-@")
# Letters (category Lo) that draw nothing: Hangul fillers; after NFKC U+3164 becomes U+1160.
BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")
# Scripts that are written together in one name (Japanese; Korean with Hanja).
SCRIPT_FAMILIES = ({"CJK", "HIRAGANA", "KATAKANA"}, {"HANGUL", "CJK"})


@dataclass(frozen=True)
class NameProblem:
    """Why a user name is refused: which character (1-based), and what is wrong with it."""

    reason: str  # empty | long | invisible | script
    position: int = 0
    char: str = ""
    script: str = ""
    other: str = ""

    @property
    def code(self) -> str:
        name = unicodedata.name(self.char, "") if self.char else ""
        return f"U+{ord(self.char):04X} {name}".strip() if self.char else ""

    def __str__(self) -> str:
        return self.text("en")

    def text(self, locale: str) -> str:
        from opswall.i18n import MESSAGES

        return MESSAGES[f"username_{self.reason}"]["vi" if locale == "vi" else "en"].format(
            **self._fields()
        )

    def both(self) -> str:
        """The reason in Vietnamese and English (the forms show both)."""
        from opswall.i18n import both

        return both(f"username_{self.reason}", **self._fields())

    def _fields(self) -> dict[str, object]:
        return {
            "pos": self.position,
            "code": self.code,
            "script": self.script.title(),
            "other": self.other.title(),
            "max": MAX_LENGTH,
        }


def normalise(name: str) -> str:
    return unicodedata.normalize("NFKC", name)


def name_problem(name: str) -> NameProblem | None:
    """None for an acceptable (already normalised) name, else the first thing wrong with it."""
    if not name:
        return NameProblem("empty")
    if len(name) > MAX_LENGTH:
        return NameProblem("long")
    for position, char in enumerate(name, 1):
        if not _allowed(char):
            return NameProblem("invisible" if _invisible(char) else "character", position, char)
    return _mixed_scripts(name)


def _allowed(char: str) -> bool:
    if char in PUNCTUATION or "0" <= char <= "9":
        return True
    return unicodedata.category(char) in ("Ll", "Lu", "Lt", "Lo") and char not in BLANK_LETTERS


def _invisible(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] in "CZM" or char in BLANK_LETTERS


def script_of(char: str) -> str:
    """The script of a letter, from its Unicode name ("LATIN SMALL LETTER A" -> LATIN); the
    standard library has no Script property, and the name's first word is that for letters."""
    return unicodedata.name(char, "UNKNOWN").split(" ")[0]


def _mixed_scripts(name: str) -> NameProblem | None:
    letters = [
        (i, c, script_of(c)) for i, c in enumerate(name, 1) if unicodedata.category(c)[0] == "L"
    ]
    scripts = [s for _, _, s in letters]
    if len(set(scripts)) <= 1 or any(set(scripts) <= family for family in SCRIPT_FAMILIES):
        return None
    main = max(set(scripts), key=lambda s: (scripts.count(s), s == "LATIN"))
    position, char, script = next(item for item in letters if item[2] != main)
    return NameProblem("script", position, char, script, main)
