"""`${VAR}` and `${VAR:-default}` in config values (hosts, URLs, secrets): expanded from the
environment where the value is used, never stored expanded in the parsed config.

Checks of such a value run on what it becomes, not on its text (issue 17, part 6): at load, on
each `${VAR:-default}` at its default and on the environment the loader sees; where the value is
used, on its expansion there.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping

VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


class UnsetVariable(ValueError):
    """A `${VAR}` with no value in the environment and no default."""

    def __init__(self, name: str) -> None:
        super().__init__(f"environment variable {name} is not set")
        self.name = name


def expand(text: str, env: Mapping[str, str] | None = None) -> str:
    """`text` with every variable expanded from `env` (default: the process environment)."""
    values = os.environ if env is None else env

    def value(match: re.Match[str]) -> str:
        name, default = match.group(1), match.group(2)
        found = values.get(name)
        if found:
            return found
        if default is not None:
            return default
        raise UnsetVariable(name)

    return VAR.sub(value, text)


def load_time_forms(text: str) -> list[str]:
    """What `text` can be known to become at load: every default taken, and the environment
    the loader has (a variable unset here may be set where the value is used: skipped)."""
    forms = []
    environments: tuple[Mapping[str, str], ...] = ({}, os.environ)
    for env in environments:
        try:
            forms.append(expand(text, env))
        except UnsetVariable:
            continue
    return forms


def checked_forms(text: str, problem: Callable[[str], str | None]) -> str | None:
    """The first problem of any load-time form of `text`, naming which form it is."""
    for form in dict.fromkeys(load_time_forms(text)):
        found = problem(form)
        if found:
            return found if form == text else f"after ${{VAR}} expansion, {found}"
    return None
