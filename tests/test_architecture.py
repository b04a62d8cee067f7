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


def test_models_import_no_other_layer() -> None:
    for path in (PACKAGE / "models").glob("*.py"):
        relative = {name for name in imports_of(path) if name.startswith("..")}
        assert relative == set(), f"{path.name} imports {relative}"


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
