"""Imports run one way between the apps, from the bottom layer up:

    core <- legislators / accounts <- campaigns <- sharing <- actions / supporters / bills
         <- pages / dashboard

Every module under urge/ is parsed (management commands, migrations and template tags too),
and every import counts, a lazy one inside a function as much as one at the top, and so
does a module named by a string to include(), import_module() or __import__(). An app may
import itself and the apps on lower layers; never an app on its own layer or above. The
modules that wire the apps together (urge/settings.py, urls.py, wsgi.py, cli.py) may import
any app, and no app may import them.

`python -m tests.test_import_direction` prints which app imports which.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

URGE = Path(__file__).resolve().parent.parent / "urge"

# Lowest first. An app may import only the apps on the layers below its own.
LAYERS: list[set[str]] = [
    {"core"},
    {"legislators", "accounts"},
    {"campaigns"},
    {"sharing"},  # referrals and sharing, which actions and supporters both count
    {"actions", "supporters", "bills"},
    {"pages", "dashboard"},
]
LAYER = {app: number for number, apps in enumerate(LAYERS) for app in apps}

# Modules outside the apps that import the apps.
WIRING = [["urge", name] for name in ("settings", "urls", "wsgi", "cli")]

# Callables whose first argument, a string, names a module to import.
IMPORTING_CALLS = {"include", "import_module", "__import__"}


@dataclass(frozen=True, order=True)
class Import:
    path: str  # relative to the repository, e.g. urge/pages/views.py
    line: int
    module: str  # the module imported, e.g. urge.actions.recording

    def __str__(self) -> str:
        return f"{self.path}:{self.line} imports {self.module}"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(URGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _absolute(node: ast.ImportFrom, path: Path) -> str:
    """The module an ImportFrom reads from, with relative imports resolved."""
    if not node.level:
        return node.module or ""
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package.pop()
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def _imported(node: ast.AST, path: Path) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        base = _absolute(node, path)
        # `from urge import campaigns` imports urge.campaigns; `from urge.x import y` reads urge.x.
        return [f"{base}.{alias.name}" for alias in node.names] if base == "urge" else [base]
    if isinstance(node, ast.Call) and node.args:
        name = node.func.attr if isinstance(node.func, ast.Attribute) else ""
        name = node.func.id if isinstance(node.func, ast.Name) else name
        first = node.args[0]
        if (
            name in IMPORTING_CALLS
            and isinstance(first, ast.Constant)
            and isinstance(first.value, str)
        ):
            return [first.value]
    return []


def urge_imports() -> list[Import]:
    """Every import of an urge module by a module under urge/, in file and line order."""
    found = []
    for path in sorted(URGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        relative = str(path.relative_to(URGE.parent))
        for node in ast.walk(tree):
            for module in _imported(node, path):
                if module == "urge" or module.startswith("urge."):
                    found.append(Import(relative, getattr(node, "lineno", 0), module))
    return sorted(found)


def app_of(dotted: str) -> str | None:
    """The app a module (urge.x.y) or file (urge/x/y.py) belongs to; None outside the apps."""
    parts = dotted.removesuffix(".py").replace("/", ".").split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYER else None


def offending(imports: list[Import]) -> list[Import]:
    wrong = []
    for found in imports:
        importer = app_of(found.path)
        imported = app_of(found.module)
        if importer is None or importer == imported:
            continue
        if imported is None:
            # The project's wiring imports every app: no app may import it.
            if found.module.split(".")[:2] in WIRING:
                wrong.append(found)
        elif LAYER[imported] >= LAYER[importer]:
            wrong.append(found)
    return wrong


def app_graph(imports: list[Import]) -> dict[str, set[str]]:
    """Which apps each app imports (not counting itself)."""
    graph: dict[str, set[str]] = {app: set() for app in LAYER}
    for found in imports:
        importer, imported = app_of(found.path), app_of(found.module)
        if importer is not None and imported is not None and importer != imported:
            graph[importer].add(imported)
    return graph


def test_every_app_is_on_a_layer() -> None:
    apps = {path.parent.name for path in URGE.glob("*/apps.py")}
    assert apps == set(LAYER), f"apps without a layer: {sorted(apps - set(LAYER))}"


def test_imports_run_one_way() -> None:
    wrong = offending(urge_imports())
    listing = "\n".join(f"  {found}" for found in wrong)
    assert not wrong, f"{len(wrong)} import(s) against the direction of the layers:\n{listing}"


def test_the_check_sees_lazy_relative_and_string_imports() -> None:
    source = (
        "from . import models\n"
        "from ..supporters import views\n"
        "def later():\n"
        "    import urge.pages.views\n"
        "    include('urge.dashboard.urls')\n"
        "from urge import core, legislators, settings\n"
    )
    path = URGE / "campaigns" / "example.py"  # never written: only its name is used
    modules = [module for node in ast.walk(ast.parse(source)) for module in _imported(node, path)]
    assert sorted(modules) == [
        "urge.campaigns",
        "urge.core",
        "urge.dashboard.urls",
        "urge.legislators",
        "urge.pages.views",
        "urge.settings",
        "urge.supporters",
    ]
    imports = [Import("urge/campaigns/example.py", 1, module) for module in modules]
    assert sorted(found.module for found in offending(imports)) == [
        "urge.dashboard.urls",
        "urge.pages.views",
        "urge.settings",
        "urge.supporters",
    ]


if __name__ == "__main__":
    for app, imported in app_graph(urge_imports()).items():
        print(f"{app}: {', '.join(sorted(imported, key=LAYER.__getitem__)) or '-'}")
