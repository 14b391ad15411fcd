"""The import graph of a package folder (lib/), read from the source with `ast`, and its cycles.

Every import counts, also one inside a function or under `if TYPE_CHECKING:`: an import moved
into a function hides a cycle from Python at start-up, not from a reader. A package imports
another when any of its modules does; a module `lib/x.py` is a package of its own (`lib.x`).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

Graph = dict[str, set[str]]


def modules(folder: Path) -> dict[str, Path]:
    """Dotted module name → file, for every .py file under `folder` (named from its parent)."""
    found = {}
    for path in sorted(folder.rglob("*.py")):
        parts = path.relative_to(folder.parent).with_suffix("").parts
        name = ".".join(parts).removesuffix(".__init__")
        found[name] = path
    return found


def _imported_names(tree: ast.AST, package: str) -> Iterable[str]:
    """Every dotted name the module imports; for `from a import b`, both `a.b` and `a`."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: count up from the module's own package
                parts = package.split(".")
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def module_graph(folder: Path) -> Graph:
    """Module → the modules of `folder` it imports (outside imports are left out)."""
    found = modules(folder)

    def resolve(name: str) -> str | None:
        while name and name not in found:
            name = name.rpartition(".")[0]
        return name or None

    graph: Graph = {}
    for name, path in found.items():
        is_package = path.name == "__init__.py"
        package = name if is_package else name.rpartition(".")[0]
        targets = set()
        for imported in _imported_names(ast.parse(path.read_text(encoding="utf-8")), package):
            target = resolve(imported)
            # A package's __init__ importing its own modules is how it shows its face.
            if target and target != name and not (is_package and target.startswith(name + ".")):
                targets.add(target)
        graph[name] = targets
    return graph


def package_graph(graph: Graph, depth: int = 2) -> Graph:
    """The graph between packages `depth` names deep (lib.client, lib.ui, lib.api …)."""
    top: Graph = {}
    for name, targets in graph.items():
        source = ".".join(name.split(".")[:depth])
        top.setdefault(source, set())
        for target in targets:
            target = ".".join(target.split(".")[:depth])
            if target != source:
                top[source].add(target)
    return top


def cycles(graph: Graph) -> list[list[str]]:
    """Strongly connected parts of more than one node (Tarjan, without recursion), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, ()))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, edges = work[-1]
            step = next(edges, None)
            if step is not None:
                if step not in index:
                    index[step] = low[step] = len(index)
                    stack.append(step)
                    on_stack.add(step)
                    work.append((step, iter(sorted(graph.get(step, ())))))
                elif step in on_stack:
                    low[node] = min(low[node], index[step])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                part = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    part.append(member)
                    if member == node:
                        break
                if len(part) > 1:
                    found.append(sorted(part))
    return sorted(found)
