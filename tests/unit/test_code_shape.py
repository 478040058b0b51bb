"""The Python package keeps the shape issue 19 asked for: no module over 400 lines and no function
over 60 (measured with `ast`, decorators and docstrings included, as a reader meets them)."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import parse_python

PACKAGE = Path(__file__).parents[2] / "opswall"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def function_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
    return (node.end_lineno or node.lineno) - first + 1


def oversized(name: str, source: str) -> list[str]:
    """Each place in one module's source that breaks a limit, named `path:line what (n lines)`."""
    found = []
    lines = len(source.splitlines())
    if lines > MAX_MODULE_LINES:
        found.append(f"{name}: module ({lines} lines)")
    for node in ast.walk(parse_python(source, filename=name)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = function_lines(node)
            if length > MAX_FUNCTION_LINES:
                found.append(f"{name}:{node.lineno} {node.name} ({length} lines)")
    return found


def test_no_module_or_function_in_the_package_is_oversized() -> None:
    """Every module of opswall/ is at most 400 lines and every function in it at most 60."""
    modules = sorted(PACKAGE.rglob("*.py"))
    assert len(modules) > 50  # the walk really found the package
    found = [
        place
        for path in modules
        for place in oversized(str(path.relative_to(PACKAGE.parent)), path.read_text("utf-8"))
    ]
    assert found == []


def test_the_measure_catches_a_long_module_and_a_long_function() -> None:
    """A synthetic module over both limits is reported twice; one at the limits is not."""
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES - 1))
    at_limit = f"def fits():\n{body}\n"
    assert oversized("fits.py", at_limit) == []
    too_long = f"@decorated\nasync def grows():\n{body}\n"  # the decorator line counts
    padding = "\n" * (MAX_MODULE_LINES - too_long.count("\n") + 1)
    assert oversized("big.py", too_long + padding) == [
        f"big.py: module ({MAX_MODULE_LINES + 1} lines)",
        f"big.py:2 grows ({MAX_FUNCTION_LINES + 1} lines)",
    ]


def test_a_nested_function_and_a_method_are_measured_too() -> None:
    """A long method inside a class, or a function inside a function, is not hidden by nesting."""
    body = "\n".join(f"            y{i} = {i}" for i in range(MAX_FUNCTION_LINES))
    source = f"class Holder:\n    def method(self):\n        def inner():\n{body}\n"
    assert [p.split(" ")[1] for p in oversized("nested.py", source)] == ["method", "inner"]
