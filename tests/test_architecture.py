"""The import graph follows the data flow: durable-rules stays behind one module, and the
models know nothing of the layers built on them."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "policyengine"


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.add(("." * node.level) + (node.module or ""))
    return found


def test_only_the_engine_adapter_imports_durable_rules() -> None:
    users = sorted(str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
                   if any(name.split(".")[0] in ("durable", "durable_rules_engine") for name in imports_of(p)))
    assert users == ["engine/durable_host.py"]


#: What the models may import of the package: the translation markers, which import nothing of
#: the package themselves (a model's own check raises ``ValueError(L_(...))``, translated where
#: the problem is shown).
MARKERS = {"..i18n", "..i18n.deferred"}


def test_models_import_no_other_layer() -> None:
    for path in (PACKAGE / "models").glob("*.py"):
        relative = {name for name in imports_of(path) if name.startswith("..")}
        assert relative <= MARKERS, f"{path.name} imports {relative - MARKERS}"


def test_the_translation_markers_import_nothing_of_the_package_at_load() -> None:
    """The markers the models use stand below every layer: at module level they import nothing
    of the package (the catalogues and Babel are imported when a message is shown)."""
    for path in (PACKAGE / "i18n" / "__init__.py", PACKAGE / "i18n" / "deferred.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
        assert not [n for n in top if isinstance(n, ast.ImportFrom) and (n.level or (n.module or "").startswith(
            "policyengine"))], path.name


def test_the_command_line_starts_without_importing_the_models_or_the_engine() -> None:
    """--help and completion must start fast (issue 8: under 200 ms): what a command needs is
    imported when it runs."""
    import subprocess
    import sys

    code = ("import sys, policyengine.cli; "
            "print(sorted(m for m in sys.modules if m.startswith(('policyengine.models', 'policyengine.engine', "
            "'policyengine.api', 'pydantic', 'durable', 'jinja2'))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
