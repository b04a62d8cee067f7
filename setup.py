"""Build hook: carry the shipped content inside the package.

The content folders stay at the top of the repository, where the people who write rules and
profiles find them (``rulesets/``, ``jurisdictions/``, ``templates/``, ``schemas/``). A build
copies them into ``policyengine/_content/`` of the wheel, where :mod:`policyengine.load` reads
them through ``importlib.resources``. An editable install copies nothing: the package then
reads the folders of the checkout itself. Everything else is in ``pyproject.toml``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
CONTENT = ("rulesets", "jurisdictions", "templates", "schemas")
SKIP = shutil.ignore_patterns("__pycache__", "*.py[co]", ".*")


class BuildWithContent(build_py):
    """build_py that also copies the content folders into policyengine/_content/."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the .po files themselves (compiled in memory)
        compile_catalogues(Path(self.build_lib) / "policyengine" / "locale")
        target = Path(self.build_lib) / "policyengine" / "_content"
        if target.exists():
            shutil.rmtree(target)
        for name in CONTENT:
            source = HERE / name
            if not source.is_dir():
                raise SystemExit(f"cannot build: the content folder {source} is missing")
            shutil.copytree(source, target / name, ignore=SKIP)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:  # type: ignore[override]
        outputs = list(super().get_outputs(include_bytecode))
        if not getattr(self, "editable_mode", False):
            locale = Path(self.build_lib) / "policyengine" / "locale"
            outputs += [str(p) for p in locale.rglob("*.mo")] if locale.is_dir() else []
            target = Path(self.build_lib) / "policyengine" / "_content"
            outputs += [str(p) for p in target.rglob("*") if p.is_file()] if target.is_dir() else []
        return outputs


def compile_catalogues(locale: Path) -> None:
    """Compile every ``<lang>/LC_MESSAGES/*.po`` under ``locale`` into its ``.mo``: fuzzy entries
    left out, the number of unreviewed translations in the header (as ``policyengine i18n compile``,
    whose module is loaded from the source tree by path: the build environment has only Babel)."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("_policyengine_i18n_mo", HERE / "policyengine" / "i18n" / "mo.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    for po in sorted(locale.glob("*/LC_MESSAGES/*.po")):
        po.with_suffix(".mo").write_bytes(module.compile_bytes(po))


setup(cmdclass={"build_py": BuildWithContent})
