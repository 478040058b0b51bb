"""`python -m tests.fuzz <target> [libFuzzer options] [corpus dirs]`: run one target under
atheris (coverage-guided, libFuzzer). Give a scratch directory first and the committed corpus
second, so that new inputs go to the scratch one: see docs/reliability.md."""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["opswall"]):
    from tests.fuzz.targets import TARGETS


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        raise SystemExit(f"usage: python -m tests.fuzz {{{','.join(TARGETS)}}} [libFuzzer args]")
    target = TARGETS[sys.argv[1]]
    atheris.Setup([sys.argv[0], *sys.argv[2:]], target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
