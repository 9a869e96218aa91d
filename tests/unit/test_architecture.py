"""The shape of src/kaartgen: no import cycles, no module reaching into another's private names,
no function longer than 60 lines. Read from the source with ast, nothing is imported."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
PACKAGE = SRC / "kaartgen"
MAX_LINES = 60

# Known and owned, to be fixed by their owners; the tests fail when one is fixed, so the list only shrinks.
KNOWN_CYCLES: set = set()
KNOWN_LONG: set = set()


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
TREES = {name: ast.parse(path.read_text(encoding="utf-8"), str(path)) for name, path in MODULES.items()}


def absolute(module: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module.split(".") if MODULES[module].name == "__init__.py" else module.split(".")[:-1]
    base = package[:len(package) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def imports(module: str):
    """(imported module, name or None, line) for every kaartgen import of `module`."""
    for node in ast.walk(TREES[module]):
        if isinstance(node, ast.Import):
            yield from ((a.name, None, node.lineno) for a in node.names if a.name.startswith("kaartgen"))
        elif isinstance(node, ast.ImportFrom):
            target = absolute(module, node)
            if target.startswith("kaartgen"):
                for alias in node.names:
                    sub = f"{target}.{alias.name}"
                    yield (sub, None, node.lineno) if sub in MODULES else (target, alias.name, node.lineno)


def graph() -> dict[str, set[str]]:
    return {module: {target for target, _, _ in imports(module) if target in MODULES and target != module}
            for module in MODULES}


def cycles(edges: dict[str, set[str]]) -> list[frozenset[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(frozenset(component))
    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_the_import_graph_is_read_from_every_module():
    edges = graph()
    assert {"kaartgen.build", "kaartgen.impose", "kaartgen.writers", "kaartgen.project"} <= set(edges)
    assert "kaartgen.impose" in edges["kaartgen.writers"] and "kaartgen.writers" in edges["kaartgen.build"]


def test_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [frozenset("abc")]


def test_no_import_cycles():
    assert set(cycles(graph())) == KNOWN_CYCLES


def private_uses(module: str) -> list[str]:
    """`from kaartgen.x import _y`, and `x._y` on a kaartgen module imported as `x`."""
    out, aliases = [], {}
    for node in ast.walk(TREES[module]):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                target = alias.name if isinstance(node, ast.Import) else f"{absolute(module, node)}.{alias.name}"
                if target in MODULES and target != module:
                    aliases[alias.asname or alias.name.split(".")[-1]] = target
    for target, name, line in imports(module):
        if name and name.startswith("_") and target != module:
            out.append(f"{module}:{line} imports {target}.{name}")
    for node in ast.walk(TREES[module]):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases
                and node.attr.startswith("_") and not node.attr.startswith("__")):
            out.append(f"{module}:{node.lineno} uses {aliases[node.value.id]}.{node.attr}")
    return out


def test_no_module_uses_another_modules_private_names():
    assert [use for module in MODULES for use in private_uses(module)] == []


def long_functions() -> dict[str, int]:
    out = {}
    for module, tree in TREES.items():
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_LINES:
                    out[f"{module}.{node.name}"] = lines
    return out


def test_no_function_is_longer_than_60_lines():
    assert set(long_functions()) == KNOWN_LONG, long_functions()


@pytest.mark.parametrize("module", sorted(MODULES))
def test_every_module_says_what_it_is_for(module):
    assert ast.get_docstring(TREES[module]), f"{module} has no docstring"
