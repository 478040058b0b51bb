"""Dependencies that earn their place: what opswall imports is declared, and what it declares
it imports (pyproject.toml against an AST walk of opswall/ and the root app.py)."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from tests.conftest import parse_python

ROOT = Path(__file__).parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(requirement: str) -> str:
    return normalise(re.split(r"[\[=<>!~; ]", requirement, maxsplit=1)[0])


def imported_modules(paths: list[Path], root: Path = ROOT) -> dict[str, set[str]]:
    """Top-level third-party modules imported anywhere in `paths` -> the files importing each."""
    found: dict[str, set[str]] = {}
    for path in paths:
        for node in ast.walk(parse_python(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for top in {name.split(".")[0] for name in names}:
                if top not in sys.stdlib_module_names and top not in ("opswall", "app"):
                    found.setdefault(top, set()).add(str(path.relative_to(root)))
    return found


def distributions_of(modules: dict[str, set[str]]) -> dict[str, set[str]]:
    """Installed distribution (normalised) -> the files importing it. A namespace package
    several distributions share (`ruamel`: ruamel.yaml and its optional C part ruamel.yaml.clib)
    counts as the one declared."""
    by_module = packages_distributions()
    found: dict[str, set[str]] = {}
    for module, files in modules.items():
        assert module in by_module, f"{module} (imported by {sorted(files)}) is not installed"
        shared = [d for d in by_module[module] if normalise(d) in DECLARED]
        for distribution in shared if len(by_module[module]) > 1 and shared else by_module[module]:
            found.setdefault(normalise(distribution), set()).update(files)
    return found


SOURCES = [*sorted((ROOT / "opswall").rglob("*.py")), ROOT / "app.py"]
CORE = {requirement_name(r) for r in PROJECT["dependencies"]}
EXTRAS = {
    requirement_name(r)
    for extra, requirements in PROJECT["optional-dependencies"].items()
    if extra != "test"
    for r in requirements
} - {"opswall"}
DECLARED = CORE | EXTRAS
IMPORTED = distributions_of(imported_modules(SOURCES))


def test_every_imported_package_is_declared() -> None:
    """numpy was imported (the demo's media server) and declared nowhere."""
    undeclared = {d: sorted(files) for d, files in IMPORTED.items() if d not in CORE | EXTRAS}
    assert not undeclared


def test_every_core_dependency_is_imported() -> None:
    """pandas and dash-bootstrap-components were declared and never imported; plotly was
    declared for the plotly.js the chart tile drew with, until the chart drew itself (issue 22):
    Dash brings it, as it brings its other requirements."""
    unused = CORE - set(IMPORTED)
    assert not unused


def test_the_walk_sees_imports_of_every_form(tmp_path: Path) -> None:
    """`import a.b`, `from a import b` and imports inside functions count; relative, standard
    library and opswall's own do not."""
    source = tmp_path / "probe.py"
    source.write_text(
        "import json, yaml.loader\nfrom pydantic import BaseModel\nfrom . import x\n"
        "from opswall import cli\ndef f():\n    import numpy as np\n",
        encoding="utf-8",
    )
    assert imported_modules([source], tmp_path) == {
        "yaml": {"probe.py"},
        "pydantic": {"probe.py"},
        "numpy": {"probe.py"},
    }


def test_license_is_an_spdx_expression_with_its_file() -> None:
    """A license table made setuptools print a deprecation box on every install."""
    assert isinstance(PROJECT["license"], str)
    assert all((ROOT / name).is_file() for name in PROJECT["license-files"])
