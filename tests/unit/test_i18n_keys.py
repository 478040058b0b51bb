"""The wall's browser code asks for its words by key: every key it names exists in both languages."""

from __future__ import annotations

import re
from pathlib import Path

from opswall.i18n import MESSAGES

PACKAGE = Path(__file__).parents[2] / "opswall"
MSG_CALL = re.compile(r"""\bmsg\(\s*["']([a-z0-9_]+)["']\s*\)""")


def keys_named_in_wall_scripts() -> dict[str, str]:
    """Each literal key passed to ctx.msg(...) in the wall's scripts, with a file naming it."""
    found: dict[str, str] = {}
    scripts = [*PACKAGE.glob("static/wall/*.js"), *PACKAGE.glob("static/lib/*.js")]
    for script in sorted([*scripts, *PACKAGE.glob("tiles/*.js")]):
        for key in MSG_CALL.findall(script.read_text(encoding="utf-8")):
            found.setdefault(key, script.name)
    return found


def test_every_key_the_wall_scripts_name_has_both_languages() -> None:
    """A key a script names but i18n.py lacks would show its raw name on the wall."""
    named = keys_named_in_wall_scripts()
    assert {"tile_error", "not_authorised", "no_data"} <= named.keys()  # the scan finds them
    missing = {
        f"{script}: {key}"
        for key, script in named.items()
        if set(MESSAGES.get(key, {})) != {"vi", "en"} or not all(MESSAGES[key].values())
    }
    assert missing == set()
