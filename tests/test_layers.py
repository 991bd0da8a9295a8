"""The pure core imports no I/O library: checks and model run without openpyxl, xlsxwriter, docx, typer or rich."""

from __future__ import annotations

import subprocess
import sys


def test_core_imports_no_adapter_library():
    code = (
        "import sys, gkxl.formats, gkxl.model, gkxl.rules, gkxl.findings, gkxl.values;"
        "bad = [m for m in ('openpyxl','xlsxwriter','docx','typer','rich','lxml') if m in sys.modules];"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""


def _imports_of_package() -> dict[str, set[str]]:
    """Every gkxl module and the gkxl modules it imports anywhere (top level, inside functions, under TYPE_CHECKING)."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "gkxl"
    graph: dict[str, set[str]] = {}
    names = {}
    for path in root.rglob("*.py"):
        parts = path.relative_to(root.parent).with_suffix("").parts
        mod = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        names[mod] = path
    for mod, path in names.items():
        package = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = package.split(".")
                if node.level:
                    base = base[: len(base) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                for alias in node.names:
                    full = f"{target}.{alias.name}"
                    deps.add(full if full in names else target)
            elif isinstance(node, ast.Import):
                deps.update(a.name for a in node.names)
        graph[mod] = {d for d in deps if d in names and d != mod and not mod.startswith(d + ".")}
    return graph


def test_no_import_circles():
    graph = _imports_of_package()
    cycles = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for d in sorted(graph[m]):
            if state.get(d) == 1:
                cycles.append(" → ".join(stack[stack.index(d):] + [d]))
            elif d not in state:
                visit(d)
        stack.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)
    assert cycles == []
