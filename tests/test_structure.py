"""The pipeline is the folder tree: packages by stage, no import circles, small modules.

Also the byte-identity contract of refactorings: the sample's print and screen files are
compared with the digests recorded in tests/data/sample-digests.txt (recorded for the library
versions named in its header; `BOOKLET_UPDATE_DIGESTS=1` records them anew, for a change that
is meant to change the output — say which in the commit).
"""

from __future__ import annotations

import ast
import hashlib
import importlib.metadata
import os
import statistics
from pathlib import Path

import pytest

from .conftest import ROOT

PACKAGE = ROOT / "src" / "booklet"
# The stages in pipeline order: a stage imports only itself and the ones before it.
STAGES = (
    "read",
    "language",
    "compose",
    "typeset",
    "prepress",
    "preflight",
    "impose",
    "output",
    "builder",
    "cli",
)
ROOT_MODULES = {"errors", "exports", "__init__", "__main__"}
MAX_LINES = 400
MAX_MEDIAN_FUNCTION = 10
VAGUE_NAMES = {"helper", "helpers", "beside", "parts", "art", "misc", "util", "utils", "common"}
DIGESTS = ROOT / "tests" / "data" / "sample-digests.txt"
PINNED = ("reportlab", "pikepdf", "fonttools", "qrcode", "pillow")


def _modules() -> dict[str, Path]:
    """Every module of the package by dotted name under booklet (`read.model`, `errors`)."""
    return {
        ".".join(p.relative_to(PACKAGE).with_suffix("").parts): p for p in PACKAGE.rglob("*.py")
    }


def _target(module: str, path: Path, node: ast.ImportFrom) -> str:
    """The booklet-relative module an import names (`..read.model` from `typeset.styles`)."""
    if not node.level:
        return (node.module or "").removeprefix("booklet").lstrip(".")
    package = module.split(".")[:-1] if path.name != "__init__.py" else module.split(".")[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(module: str, path: Path, known: set[str]) -> set[str]:
    """The booklet modules a module imports, at the top or inside functions alike."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (
            node.level or (node.module or "").startswith("booklet")
        ):
            target = _target(module, path, node)
            for alias in node.names:
                sub = f"{target}.{alias.name}" if target else alias.name
                found.add(sub if sub in known else target or "__init__")
        elif isinstance(node, ast.Import):
            found |= {
                a.name.removeprefix("booklet.") for a in node.names if a.name.startswith("booklet.")
            }
    return {_resolve(m, known) for m in found} - {module}


def _is_ours(module: str) -> bool:
    return module == "booklet" or module.startswith("booklet.")


def _resolve(name: str, known: set[str]) -> str:
    """A package stands for its __init__ module."""
    return name if name in known else f"{name}.__init__" if f"{name}.__init__" in known else name


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(name, path, known) & known for name, path in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), or a self-import."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _stage(module: str) -> int | None:
    head = module.split(".")[0]
    return STAGES.index(head) if head in STAGES else None


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_circles():
    assert _cycles(_graph()) == []


def test_each_stage_imports_only_the_stages_before_it():
    wrong = []
    for module, imported in _graph().items():
        mine = _stage(module)
        for other in imported:
            theirs = _stage(other)
            if mine is not None and theirs is not None and theirs > mine:
                wrong.append(f"{module} imports {other}")
    assert wrong == []


def test_the_root_holds_only_errors_and_the_entry_points():
    loose = {p.stem for p in PACKAGE.glob("*.py")}
    assert loose == ROOT_MODULES
    assert {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()} == set(STAGES)


def test_every_package_says_what_it_turns_into_what():
    for stage in STAGES:
        tree = ast.parse((PACKAGE / stage / "__init__.py").read_text(encoding="utf-8"))
        doc = ast.get_docstring(tree) or ""
        assert doc.startswith("Turn ") and "into" in doc.splitlines()[0], stage


def test_every_module_has_a_one_line_summary():
    for name, path in _modules().items():
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        assert doc and len(doc.splitlines()[0]) <= 100, name


def test_no_module_over_400_lines():
    sizes = {
        name: len(p.read_text(encoding="utf-8").splitlines()) for name, p in _modules().items()
    }
    assert {n: s for n, s in sizes.items() if s > MAX_LINES} == {}


def test_functions_stay_short():
    lengths = [
        node.end_lineno - node.lineno + 1
        for path in _modules().values()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    ]
    assert statistics.median(lengths) <= MAX_MEDIAN_FUNCTION


def test_file_names_say_what_the_file_does():
    assert {n for n in _modules() if n.split(".")[-1] in VAGUE_NAMES} == set()


# --- byte identity of the sample matrix ------------------------------------------------------


def _versions() -> str:
    return " ".join(f"{name}={importlib.metadata.version(name)}" for name in PINNED)


def _digests(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.pdf"))
    }


def _recorded() -> tuple[str, dict[str, str]]:
    lines = DIGESTS.read_text(encoding="utf-8").splitlines()
    versions = lines[0].removeprefix("# recorded with ")
    rows = dict(reversed(line.split("  ", 1)) for line in lines[1:] if line.strip())
    return versions, rows


def test_sample_matrix_is_byte_identical_to_the_recorded_digests(sample_out: Path):
    found = _digests(sample_out)
    if os.environ.get("BOOKLET_UPDATE_DIGESTS") == "1":
        rows = "".join(f"{digest}  {name}\n" for name, digest in found.items())
        DIGESTS.write_text(f"# recorded with {_versions()}\n{rows}", encoding="utf-8")
    versions, recorded = _recorded()
    if versions != _versions():
        pytest.skip(f"digests recorded with {versions}; these libraries are {_versions()}")
    changed = sorted(n for n in recorded.keys() | found.keys() if recorded.get(n) != found.get(n))
    assert changed == [], "files whose bytes changed (BOOKLET_UPDATE_DIGESTS=1 if intended)"
