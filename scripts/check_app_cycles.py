#!/usr/bin/env python3
"""Fail on a new import cycle between the Django apps of src/cchc (part of `make lint`).

Reads every module of every app (src/cchc/<app>/ with an apps.py; its tests/ left out: tests may reach across apps)
with Python's ast, imports inside functions (and under `if TYPE_CHECKING:`) included, and draws an edge app A → app B
for each module of A that imports from B. The rules:

- no cycle between apps;
- `core` is the bottom layer: it imports no other app (they register what core must call: `core/hooks.py`);
- an import of another app sits at the top of the module, where the layers can be seen: inside a function only in
  `AppConfig.ready()` (where Django wants hook and signal registrations);
- another app's private names (`_name`) are never imported (ask that app for a public function);
- a module is imported under its own name (`from cchc.scoring import criteria`, not `criteria as rules`); the one
  alias is another app's `services` or `queries` under that app's name (`from cchc.review import services as review`).

The edges listed in scripts/app-cycles-allowed.txt are today's exceptions (issue 16: to be removed); a new cycle or a
new import of an app by core is printed with the imports that make it.

    python scripts/check_app_cycles.py            # exit 1 on a new cycle
    python scripts/check_app_cycles.py --graph    # every edge A -> B with its number of imports
"""

import argparse
import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "cchc"
ALLOWED = Path(__file__).with_name("app-cycles-allowed.txt")
BOTTOM = "core"  # imports no other app


def apps() -> set[str]:
    return {path.parent.name for path in PACKAGE.glob("*/apps.py")}


def modules(app: str):
    for path in sorted((PACKAGE / app).rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if "tests" in parts or path.name == "conftest.py":
            continue
        yield path, ["cchc", *parts[:-1], *([] if path.name == "__init__.py" else [path.stem])]


def imported(tree: ast.AST, module: list[str], is_package: bool):
    """Absolute dotted names this module imports, with their line numbers (relative imports resolved)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module if is_package else module[:-1]
                base = base[: len(base) - (node.level - 1)]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            for alias in node.names:  # `from cchc import plans` imports the app plans
                yield f"{prefix}.{alias.name}", node.lineno


def in_functions(tree: ast.AST):
    """(import node, name of the innermost function holding it) for every import inside a function."""

    def visit(node, function):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                yield from visit(child, child.name)
            elif isinstance(child, ast.Import | ast.ImportFrom):
                if function:
                    yield child, function
            else:
                yield from visit(child, function)

    yield from visit(tree, None)


def is_module(dotted: str) -> bool:
    path = PACKAGE.parent.joinpath(*dotted.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def shape_problems() -> list[str]:
    """Function-level imports of another app, imports of its private names, modules under another name."""
    names = apps()
    problems = []
    for app in sorted(names):
        for path, module in modules(app):
            tree = ast.parse(path.read_text("utf-8"), str(path))
            where = path.relative_to(ROOT)
            is_package = path.name == "__init__.py"
            nested = {id(node): function for node, function in in_functions(tree)}
            for node in ast.walk(tree):
                if not isinstance(node, ast.Import | ast.ImportFrom):
                    continue
                for name, line in imported(ast.Module(body=[node], type_ignores=[]), module, is_package):
                    parts = name.split(".")
                    if len(parts) < 2 or parts[0] != "cchc":
                        continue
                    other = parts[1] in names and parts[1] != app
                    if other and id(node) in nested and nested[id(node)] != "ready":
                        problems.append(
                            f"{where}:{line}: imports {name} inside {nested[id(node)]}(): move it to the top of the "
                            "module (the layers allow it), or let the app register on a hook (cchc/core/hooks.py)"
                        )
                    if other and parts[-1].startswith("_") and not parts[-1].startswith("__"):
                        problems.append(f"{where}:{line}: imports {name}, a private name of {parts[1]}")
                for alias in node.names:
                    if not alias.asname:
                        continue
                    full = f"{name.rsplit('.', 1)[0]}.{alias.name}" if isinstance(node, ast.ImportFrom) else alias.name
                    full_parts = full.split(".")
                    if not is_module(full) or alias.asname == full_parts[-1]:
                        continue
                    app_alias = full_parts[-1] in ("services", "queries") and alias.asname == full_parts[1] != app
                    if not app_alias:
                        problems.append(
                            f"{where}:{node.lineno}: imports {full} as {alias.asname}: import a module under its own "
                            "name (another app's services or queries may take that app's name)"
                        )
    return problems


def graph() -> dict[tuple[str, str], list[str]]:
    """(A, B) → ["path:line", ...] for every import of app B in app A."""
    names = apps()
    edges = defaultdict(list)
    for app in sorted(names):
        for path, module in modules(app):
            tree = ast.parse(path.read_text("utf-8"), str(path))
            for name, line in imported(tree, module, path.name == "__init__.py"):
                parts = name.split(".")
                if len(parts) > 1 and parts[0] == "cchc" and parts[1] in names and parts[1] != app:
                    edges[(app, parts[1])].append(f"{path.relative_to(ROOT)}:{line}")
    return {edge: list(dict.fromkeys(places)) for edge, places in edges.items()}


def allowed() -> set[tuple[str, str]]:
    edges = set()
    for line in ALLOWED.read_text("utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            source, target = (part.strip() for part in line.split("->"))
            edges.add((source, target))
    return edges


def find_cycle(edges) -> list[str] | None:
    """One cycle of the directed graph as [a, b, ..., a], or None."""
    successors = defaultdict(set)
    for source, target in edges:
        successors[source].add(target)
    state = {}  # 1: on the current path, 2: done

    def visit(node, path):
        state[node] = 1
        path.append(node)
        for nxt in sorted(successors[node]):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (cycle := visit(nxt, path)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(successors):
        if node not in state and (cycle := visit(node, [])):
            return cycle
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graph", action="store_true", help="print every edge between apps and exit")
    args = parser.parse_args()
    edges = graph()
    if args.graph:
        for (source, target), places in sorted(edges.items()):
            print(f"{source} -> {target}  ({len(places)})")
        return 0
    problems = shape_problems()
    for problem in problems:
        print(problem, file=sys.stderr)
    allow = allowed()
    cycle = find_cycle([edge for edge in edges if edge not in allow])
    for edge in sorted(allow - set(edges)):
        print(f"note: {edge[0]} -> {edge[1]} is allowed in {ALLOWED.name} but no longer imported: remove the line")
    upward = sorted(edge for edge in edges if edge[0] == BOTTOM and edge not in allow)
    for source, target in upward:
        places = edges[(source, target)]
        print(
            f"{source} imports {target} ({', '.join(places[:5])}{' …' if len(places) > 5 else ''}): {BOTTOM} is the "
            "bottom layer and imports no other app; move the code up (cchc.home) or let the app register it "
            "(cchc/core/hooks.py)",
            file=sys.stderr,
        )
    if cycle is None:
        return 1 if upward or problems else 0
    print("Import cycle between apps: " + " -> ".join(cycle), file=sys.stderr)
    for source, target in zip(cycle, cycle[1:], strict=False):
        places = edges[(source, target)]
        print(f"  {source} -> {target}: {', '.join(places[:5])}{' …' if len(places) > 5 else ''}", file=sys.stderr)
    print(
        "Move the shared code down to the lower app (or pass it in) instead of importing upwards; see the README "
        '"Development" section.',
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
