"""The import contract: only `tui/reader/` imports Textual; the model never imports the reader or
the command line; no module imports itself back through others (no cycles).

Read from the source with `ast`, so a lazy import inside a function counts too; imports under
`if TYPE_CHECKING:` do not (they never run).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "tui"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_only(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(path: Path) -> set[str]:
    """Every module `path` imports (absolute names; `from tui import x` gives `tui.x`)."""
    found: set[str] = set()
    package = module_name(path).rsplit(".", 1)[0] if path.name != "__init__.py" else module_name(path)

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _type_checking_only(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return found


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
IMPORTS = {name: imports_of(path) for name, path in MODULES.items()}
READER = {name for name in MODULES if name == "tui.reader" or name.startswith("tui.reader.")}
FRONT = READER | {"tui.cli", "tui.__main__"}
MODEL = set(MODULES) - FRONT


def test_the_scan_sees_the_package() -> None:
    assert {"tui.cli", "tui.store", "tui.reader.app", "tui.reader.screens.reader", "tui.keys"} <= set(MODULES)
    assert "textual.app" in IMPORTS["tui.reader.app"] and "tui.listing" in IMPORTS["tui.reader.screens.reader"]


def test_only_the_reader_imports_textual() -> None:
    offenders = {m for m in set(MODULES) - READER if any(i == "textual" or i.startswith("textual.") for i in IMPORTS[m])}
    assert not offenders, f"Textual imported outside tui/reader/: {sorted(offenders)}"


def test_the_model_never_imports_the_reader_or_the_cli() -> None:
    offenders = {
        (m, i) for m in MODEL for i in IMPORTS[m]
        if i in FRONT or i.startswith("tui.reader.")
    }
    assert not offenders, sorted(offenders)


def test_no_import_cycles() -> None:
    graph = {m: {i for i in IMPORTS[m] if i in MODULES and i != m} for m in MODULES}
    # A package's __init__ is imported on the way to its modules; that edge is not a cycle.
    graph = {m: {i for i in deps if not m.startswith(i + ".")} for m, deps in graph.items()}
    state: dict[str, int] = {}
    path: list[str] = []

    def walk(m: str) -> None:
        state[m] = 1
        path.append(m)
        for dep in sorted(graph[m]):
            if state.get(dep) == 1:
                raise AssertionError("import cycle: " + " -> ".join(path[path.index(dep):] + [dep]))
            if dep not in state:
                walk(dep)
        path.pop()
        state[m] = 2

    for module in sorted(graph):
        if module not in state:
            walk(module)
