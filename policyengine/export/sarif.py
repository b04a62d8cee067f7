"""Validation problems as SARIF 2.1.0 (OASIS Static Analysis Results Interchange Format), so a
rule repository gets each problem annotated on its line in code review (GitHub code scanning,
GitLab, Azure DevOps and most IDE SARIF viewers read it).

Errors are ``error`` results of the rule ``policyengine/invalid``; lint warnings are ``warning``
results of ``policyengine/lint``. Paths are relative to the workspace (``uriBaseId``
``WORKSPACE``), which is what code-scanning services expect for files of the repository.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any, Iterable
from urllib.parse import quote

from ..problems import Problem

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SARIF_VERSION = "2.1.0"

RULES = [
    {"id": "policyengine/invalid", "name": "InvalidContent",
     "shortDescription": {"text": "A file does not load or does not validate"},
     "fullDescription": {"text": "The file breaks the workspace's format: bad YAML, an unknown or missing field, a "
                                 "value of the wrong kind, a reference to something that does not exist. Nothing is "
                                 "assessed while such a problem remains."},
     "defaultConfiguration": {"level": "error"}},
    {"id": "policyengine/lint", "name": "ContentWarning",
     "shortDescription": {"text": "A file validates but something in it needs a look"},
     "fullDescription": {"text": "Stale figures, citations without a section, high severity without a recommendation, "
                                 "placeholders left in, amounts that cannot be converted."},
     "defaultConfiguration": {"level": "warning"}},
]
_RULE_INDEX = {"error": 0, "warning": 1}


def _uri(file: str) -> tuple[str, bool]:
    """The artifact URI of a problem's file, and whether it is relative to the workspace."""
    path = Path(file)
    if path.is_absolute():
        return path.as_uri(), False
    return quote(PurePosixPath(*path.parts).as_posix(), safe="/"), True


def _result(p: Problem) -> dict[str, Any]:
    level = "error" if p.level == "error" else "warning"
    shown = "note" if p.level == "note" else level  # a note (a workspace file overriding a shipped one) informs only
    uri, relative = _uri(p.file)
    location: dict[str, Any] = {"uri": uri}
    if relative:
        location["uriBaseId"] = "WORKSPACE"
    text = f"{p.field}: {p.message}" if p.field else p.message
    return {
        "ruleId": RULES[_RULE_INDEX[level]]["id"], "ruleIndex": _RULE_INDEX[level], "level": shown,
        "message": {"text": text},
        "locations": [{"physicalLocation": {"artifactLocation": location, "region": {"startLine": max(1, p.line)}}}],
    }


def problems_sarif(problems: Iterable[Problem], *, tool_version: str, workspace: Path | None = None) -> dict[str, Any]:
    """A SARIF log with one run of ``policyengine validate`` and one result per problem.

    ``workspace``, when given, is recorded as the base of the relative paths (an absolute
    ``file:`` URI); leave it out to keep machine paths out of a shared report."""
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "policyengine", "version": tool_version, "semanticVersion": tool_version,
                            "rules": RULES}},
        "columnKind": "unicodeCodePoints",
        "results": [_result(p) for p in problems],
    }
    if workspace is not None:
        run["originalUriBaseIds"] = {"WORKSPACE": {"uri": workspace.resolve().as_uri() + "/"}}
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}
