"""The import graph of our packages, read statically from the source.

Relative imports are resolved to absolute module names, imports inside functions and under
``TYPE_CHECKING`` count too (a lazy import is still a dependency), and ``from pkg import name``
points at ``pkg.name`` when that is a module of ours.  An edge under ``if TYPE_CHECKING:`` is
marked ``typing_only``: it counts for the layer rules (a view naming a store type is still
coupled to the store) but not as a circle (nothing is imported at run time; it is how a helper
such as ui/duty.py names the type of the window that owns it).  tests/test_layering.py checks the
layer rules and the absence of import circles on this graph; it takes the root and the
package names as arguments so a test can run it over a planted tree and see it fail.
"""
from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    line: int
    typing_only: bool = False


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _modules(root: Path, packages: Iterable[str]) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for pkg in packages:
        for path in sorted((root / pkg).rglob("*.py")):
            found[module_name(path, root)] = path
    return found


def _resolve(node: ast.ImportFrom, mod: str, is_package: bool) -> str:
    """The absolute module a ``from … import`` names (``from ..store import x`` in ui.y)."""
    if not node.level:
        return node.module or ""
    base = mod.split(".") if is_package else mod.split(".")[:-1]
    drop = node.level - 1
    if drop > len(base) - 1:
        raise ValueError(f"{mod}: relative import beyond the top-level package "
                         f"(line {node.lineno})")
    base = base[:len(base) - drop]
    return ".".join(base + ([node.module] if node.module else []))


def imports_of(path: Path, mod: str, known: Mapping[str, Path] | Iterable[str]) -> list[Edge]:
    """Every module ``mod`` (the file at ``path``) imports, resolved to absolute names."""
    known = set(known)
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    typing_only = {id(n) for block in ast.walk(tree) if _is_type_checking_block(block)
                   for stmt in block.body for n in ast.walk(stmt)}
    edges: list[Edge] = []
    for node in ast.walk(tree):
        hint = id(node) in typing_only
        if isinstance(node, ast.Import):
            edges.extend(Edge(mod, alias.name, node.lineno, hint) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(node, mod, is_package)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                edges.append(Edge(mod, sub if sub in known else base, node.lineno, hint))
    return edges


def _is_type_checking_block(node: ast.AST) -> bool:
    if not isinstance(node, ast.If):
        return False
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def import_graph(root: Path, packages: Iterable[str]) -> list[Edge]:
    modules = _modules(root, packages)
    edges: list[Edge] = []
    for mod, path in modules.items():
        edges.extend(e for e in imports_of(path, mod, modules) if e.target != mod)
    return edges


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def layer_violations(edges: Iterable[Edge],
                     forbidden: Mapping[str, tuple[str, ...]],
                     allowed: Iterable[tuple[str, str]] = ()) -> list[str]:
    """``source imports target`` for every edge a rule forbids.

    ``forbidden`` maps a module prefix to the prefixes it must never import; ``allowed`` lists
    exact (source, target) edges that are written-down exceptions."""
    allowed = set(allowed)
    out = []
    for e in edges:
        if (e.source, e.target) in allowed:
            continue
        for prefix, bad in forbidden.items():
            if _within(e.source, prefix) and any(_within(e.target, b) for b in bad):
                out.append(f"{e.source} imports {e.target} (line {e.line})")
                break
    return sorted(set(out))


def cycles(edges: Iterable[Edge], modules: Iterable[str] | None = None) -> list[list[str]]:
    """Every import circle among our modules (strongly connected components of two or more)."""
    graph: dict[str, set[str]] = {}
    edges = list(edges)
    ours = set(modules) if modules is not None else {e.source for e in edges}
    for e in edges:
        if e.source in ours and e.target in ours and not e.typing_only:
            graph.setdefault(e.source, set()).add(e.target)
            graph.setdefault(e.target, set())
    # Tarjan's algorithm, iterative (no recursion limit on deep graphs).
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return sorted(found)
