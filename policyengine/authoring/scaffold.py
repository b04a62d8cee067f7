"""Scaffold new content files: a rule, a jurisdiction profile, a design.

Each scaffold holds every field, in the fixed order, and validates as written, so an author
starts from a file that ``policyengine validate`` accepts and only has to replace the
placeholders.

Placeholders are obvious on purpose: text fields start with ``TODO``, and a new rule's
condition is ``design.id == TODO-write-the-requirement`` (a valid comparison that no real design
can satisfy). The scaffolded rule is a ``draft``, so it is never in a published toolkit, and
its example stubs have no facts, so **``policyengine test`` fails on them until they are
filled**: a stub that passed would tell the author their rule is tested when it is not. Once
the condition and the examples are written, ``test`` passes; ``policyengine lint`` warnings
(and ``validate``) keep pointing at any ``TODO`` left behind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..i18n import N_, _
from ..load import Workspace, is_installed_content, load_workspace
from ..models.common import check_slug
from ..models.design import DesignKind, DesignStatus, Issuer
from ..models.jurisdiction import JurisdictionKind, Region
from ..models.rule import RULE_ID, Severity
from ..paths import PathInfo, base_catalogue, nearest
from ..problems import PolicyEngineError, relative
from ..schemas import schema_header
from . import countries
from .countries import CountryFacts

TODO = "TODO"
PLACEHOLDER_REQUIRES = "design.id == TODO-write-the-requirement"
PLACEHOLDER_SCOPE = "design.id != TODO-write-the-scope-or-delete-this-line"
PLACEHOLDER_SOURCE = "TODO-source-id"


class ScaffoldError(PolicyEngineError):
    """The file cannot be scaffolded (bad id, unknown principle, file exists)."""


def _q(text: str) -> str:
    """A double-quoted YAML scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _schema_line(path: Path, ws: Workspace) -> str:
    """The first line of a new file: it names the file's schema to editors (YAML language server)."""
    return schema_header(path.resolve().relative_to(ws.root.resolve()).as_posix())


def _refuse_existing(path: Path, ws: Workspace) -> None:
    if path.exists():
        raise ScaffoldError(f"{relative(path, ws.root)} already exists; edit it instead")


def _own_dir(ws: Workspace, kind: str) -> Path:
    """The workspace's own rulesets/ or jurisdictions/ (never the shipped one for a private
    workspace, whose files would land in the project checkout or the installed package).

    A missing jurisdictions/ is created: it overlays the shipped one, so nothing is lost. A
    missing rulesets/ is not: it would replace the shipped rules whole (ADR 0003)."""
    if is_installed_content(ws.root):
        raise ScaffoldError("no workspace named: the shipped content of the installed package is read-only; "
                            "give your folder with --workspace DIR (or POLICYENGINE_WORKSPACE), e.g. -w .")
    root = ws.root.resolve()
    own = root / kind
    if kind == "jurisdictions":
        own.mkdir(parents=True, exist_ok=True)
        return own
    if ws.rulesets_dir.resolve() != own:
        raise ScaffoldError(
            f"the workspace {ws.root} has no {kind}/ folder of its own; create it first "
            f"(mkdir {ws.root / kind}, or copy the shipped one) so the new file lands in your workspace")
    return own


# -- rule ------------------------------------------------------------------------------------

def rule_text(rule_id: str, principle: str, ref: str, since: str, severity: str = "medium") -> str:
    """The YAML of a new draft rule with every field and example stubs."""
    return f"""\
# A new rule, scaffolded by `policyengine new rule`. Replace every TODO, then run:
#   policyengine validate
#   policyengine test {rule_id}        (fails until the examples and the condition are written)
#   policyengine diff --base HEAD --drafts
#   policyengine docs
# It stays a draft (never in a published toolkit) until you set `status: active`.
# Fact paths you may use: `policyengine paths`; the condition language is explained in
# CONTRIBUTING.md ("How to add a rule").
id: {rule_id}
title: {_q("TODO: a short title, e.g. Offline payments are capped")}
principle: {principle}
also_serves: []   # other principle ids this rule checks, if any
status: draft     # draft | active | deprecated
severity: {severity}  # high | medium | low
# applies_if: the scope (which designs the rule is about). Delete the line to apply everywhere.
applies_if: {_q(PLACEHOLDER_SCOPE)}
# requires: what a design must have to meet the rule, e.g. "design.offline_limit <= $fatf_wire_de_minimis_usd"
requires: {_q(PLACEHOLDER_REQUIRES)}
finding: {_q("TODO: what the gap means, in one or two plain sentences for a policymaker.")}
met: {_q("TODO: the sentence shown when the requirement is met.")}
recommendation: {_q("TODO: a concrete action that closes the gap.")}
rationale: {_q("TODO: why it matters, in your own words (paraphrase; never copy FATF or ITU text).")}
citations:
  - ref: {ref}
    section: {_q("TODO: section, recommendation or page")}
examples:
  # Each example is a partial jurisdiction and design (only the facts the rule reads; money in
  # USD) and the status the rule must reach. `policyengine test` runs them.
  - name: todo-gap
    description: {_q("TODO: a design that falls short")}
    facts: {{}}   # TODO, e.g. design.kind: retail_cbdc
    expect: gap
  - name: todo-met
    description: {_q("TODO: a design that meets the rule")}
    facts: {{}}
    expect: met
  - name: todo-unknown
    description: {_q("TODO: a fact the rule needs is missing")}
    facts: {{}}
    expect: unknown
    missing: [todo.the-fact-this-example-lacks]
  - name: todo-not-applicable
    description: {_q("TODO: a design outside the scope (delete if the rule applies everywhere)")}
    facts: {{}}
    expect: not_applicable
since: {_q(since)}
aliases: []   # former ids of this rule, if it replaces a renamed one
"""


def new_rule(workspace: str | Path | None, principle: str, rule_id: str, severity: str = "medium") -> Path:
    """Write ``rulesets/rules/<area>/<RULE-ID>.yaml`` for a new draft rule; return its path."""
    ws = load_workspace(workspace)
    if not RULE_ID.match(rule_id):
        raise ScaffoldError(f"{rule_id!r} is not a rule id: upper-case words joined by '-', e.g. AML-OFFLINE-LIMIT")
    if principle not in ws.principles:
        near = nearest(principle.upper(), ws.principles)
        hint = f"; did you mean {', '.join(near)}?" if near else ""
        raise ScaffoldError(f"no principle {principle!r}{hint}")
    existing = ws.rule_by_id_or_alias(rule_id)
    if existing is not None:
        what = "a rule" if existing.id == rule_id else f"an alias of {existing.id}"
        raise ScaffoldError(f"{rule_id} is already {what}: ids are never reused")
    if severity not in Severity.__members__:
        raise ScaffoldError(f"severity is one of {', '.join(Severity.__members__)}")
    p = ws.principles[principle]
    folder = _own_dir(ws, "rulesets") / "rules" / p.area.value
    path = folder / f"{rule_id}.yaml"
    _refuse_existing(path, ws)
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(_schema_line(path, ws) + rule_text(rule_id, principle, p.citations[0].ref, ws.ruleset_version, severity),
                    encoding="utf-8")
    return path


# -- jurisdictions and designs ---------------------------------------------------------------

def _sample(info: PathInfo, currency: str) -> str:
    if info.kind == "bool":
        return "true"
    if info.kind == "number":
        return "0"
    if info.kind == "enum":
        return info.values[0]
    if info.kind == "list":
        return f"[{info.values[0]}]"
    if info.kind == "money":
        return f"{{amount: 0, currency: {currency}}}"
    return _q(TODO)


def _what(info: PathInfo) -> str:
    kinds = {"bool": "true/false", "number": "a number", "text": "text", "money": "an amount",
             "enum": " | ".join(info.values), "list": "a list of: " + ", ".join(info.values)}
    what = kinds.get(info.kind, info.kind)
    if info.percent:
        what = "a percentage, 0 to 100"
    return what + (f". {info.description}" if info.description else "")


def _fact_lines(prefix: str, skip: set[str], currency: str) -> list[str]:
    """Commented-out facts of one model, grouped by section, generated from the catalogue."""
    sections: dict[str, list[tuple[str, PathInfo]]] = {}
    for path, info in base_catalogue().items():
        if not path.startswith(prefix + ".") or path in skip:
            continue
        rest = path[len(prefix) + 1:]
        section, _, name = rest.rpartition(".")
        sections.setdefault(section, []).append((name, info))
    lines: list[str] = []
    for section, fields in sections.items():
        pad = "#   " if section else "# "
        if section:
            lines.append(f"# {section}:")
        for name, info in fields:
            if info.kind == "items":
                lines.append(f"{pad}{name}:   # a list of tiers; each: " + ", ".join(
                    k.split(".", 1)[1] for k in info.items))
                lines.append(f"{pad}  value:")
                lines.append(f"{pad}    - {{id: basic, identity: phone_number, "
                             f"balance_limit: {{amount: 0, currency: {currency}}}}}")
                lines.append(f"{pad}  source: {PLACEHOLDER_SOURCE}")
                lines.append(f"{pad}  as_of: \"YYYY-MM-DD\"")
                continue
            lines.append(f"{pad}{name}: {{value: {_sample(info, currency)}, source: {PLACEHOLDER_SOURCE}, "
                         f"as_of: \"YYYY-MM-DD\"}}   # {_what(info)}")
    return lines


_FACT_HELP = """\
# Every fact below is optional. A fact left out is *unknown*, never false: the rules that need
# it say so. To add one, uncomment it (with its section line), give its value, its source (the
# id of an entry under `sources`, or {ref: id, locator: "page 4"}) and the date it was true.
"""


def jurisdiction_text(code: str, name: str, region: str, currency: str, kind: str = "country") -> str:
    skip = {f"jurisdiction.{f}" for f in ("id", "kind", "region", "currency")}
    return "\n".join([
        "# A new jurisdiction profile, scaffolded by `policyengine new jurisdiction`.",
        "# Then run: policyengine validate",
        f"id: {code}",
        f"name: {_q(name)}",
        f"kind: {kind}   # " + " | ".join(k.value for k in JurisdictionKind),
        f"region: {region}   # " + " | ".join(r.value for r in Region),
        f"currency: {currency}",
        "# members: [TODO]   # currency unions only: the member states",
        f"# central_bank: {_q('TODO: name of the central bank')}",
        _FACT_HELP.rstrip(),
        *_fact_lines("jurisdiction", skip, currency),
        "sources: []",
        "# sources:   # the documents this profile and its designs cite",
        f"#   - id: {code.lower()}-TODO",
        f"#     title: {_q('TODO: title of the document')}",
        f"#     publisher: {_q('TODO')}",
        "#     year: 2025",
        "#     url: https://TODO",
        "#     evidence: official   # law | official | international | academic | press (docs/adr/0005)",
        "",
    ])


@dataclass(frozen=True)
class Missing:
    """An option ``new jurisdiction`` still needs, with what to ask and the accepted values."""

    option: str
    question: str
    choices: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"--{self.option}" + (f" ({' | '.join(self.choices)})" if self.choices else "")


def jurisdiction_defaults(code: str, kind: str = "country") -> CountryFacts:
    """The name and currencies the standards give for ``code`` (nothing for a currency union)."""
    if kind not in JurisdictionKind.__members__:
        raise ScaffoldError(f"kind is one of {', '.join(JurisdictionKind.__members__)}")
    if not re.fullmatch(r"[A-Z0-9_]+", code):
        raise ScaffoldError(f"{code!r}: a jurisdiction id is upper-case letters and digits, e.g. NG or ECCU")
    if kind != "country":
        return CountryFacts(code, None, ())
    try:
        return countries.country(code)
    except countries.CountryError as exc:
        raise ScaffoldError(str(exc)) from None


def missing_for_jurisdiction(code: str, name: str | None, region: str | None, currency: str | None,
                             kind: str = "country") -> list[Missing]:
    """What neither the options nor the standards give (the ITU region is always the team's)."""
    facts = jurisdiction_defaults(code, kind)
    missing = []
    if not name and not facts.name:
        missing.append(Missing("name", _("Name of the jurisdiction")))
    if not region:
        missing.append(Missing("region", _("ITU region"), tuple(Region.__members__)))
    if not currency and len(facts.currencies) != 1:
        missing.append(Missing("currency", _("Currency (ISO 4217 code)"), facts.currencies))
    return missing


def new_jurisdiction(workspace: str | Path | None, code: str, name: str | None = None, region: str | None = None,
                     currency: str | None = None, kind: str = "country") -> Path:
    """Write ``jurisdictions/<CODE>/profile.yaml`` (creating the folders); return its path.

    The code is checked against ISO 3166-1 (a country), the currency against ISO 4217, the region
    against the six ITU regions; the name and the currency are filled from the standards when not
    given. Raises :class:`ScaffoldError` naming every option still missing."""
    code = code.upper()
    facts = jurisdiction_defaults(code, kind)
    missing = missing_for_jurisdiction(code, name, region, currency, kind)
    if missing:
        many = f"; {code} uses {' and '.join(facts.currencies)} today: choose one" if len(facts.currencies) > 1 else ""
        raise ScaffoldError(f"missing {', '.join(str(m) for m in missing)} for {code}{many}")
    assert region is not None
    try:
        countries.check_region(region)
        currency = countries.check_currency(currency or facts.currencies[0])
    except countries.CountryError as exc:
        raise ScaffoldError(str(exc)) from None
    ws = load_workspace(workspace)
    folder = _own_dir(ws, "jurisdictions") / code
    path = folder / "profile.yaml"
    _refuse_existing(path, ws)
    (folder / "designs").mkdir(parents=True, exist_ok=True)
    path.write_text(_schema_line(path, ws) + jurisdiction_text(code, name or facts.name or code, region, currency, kind),
                    encoding="utf-8")
    return path


def design_text(jurisdiction: str, design_id: str, name: str, kind: str, issuer: str, status: str,
                currency: str) -> str:
    skip = {f"design.{f}" for f in ("id", "jurisdiction", "kind", "issuer", "status", "currency")}
    return "\n".join([
        "# A new design, scaffolded by `policyengine new design`.",
        f"# Then run: policyengine validate && policyengine assess {jurisdiction} --design {design_id}",
        f"id: {design_id}",
        f"name: {_q(name)}",
        f"jurisdiction: {jurisdiction}",
        f"kind: {kind}   # " + " | ".join(k.value for k in DesignKind),
        f"issuer: {issuer}   # " + " | ".join(i.value for i in Issuer),
        f"status: {status}   # " + " | ".join(s.value for s in DesignStatus),
        f"# currency: {currency}   # currency of the limits, if not the jurisdiction's",
        f"# summary: {_q('TODO: two or three sentences on the design')}",
        _FACT_HELP.rstrip(),
        *_fact_lines("design", skip, currency),
        "",
    ])


def new_design(workspace: str | Path | None, jurisdiction: str, design_id: str, name: str | None = None,
               kind: str = "retail_cbdc", issuer: str = "central_bank", status: str = "research") -> Path:
    """Write ``jurisdictions/<XX>/designs/<design-id>.yaml``; return its path."""
    ws = load_workspace(workspace)
    try:
        check_slug(design_id)
    except ValueError as exc:
        raise ScaffoldError(f"{design_id!r}: a design id uses {exc}") from None
    folder = _own_dir(ws, "jurisdictions") / jurisdiction
    if not (folder / "profile.yaml").is_file() and jurisdiction not in ws.profiles:
        near = nearest(jurisdiction.upper(), ws.profiles)
        hint = (f"; did you mean {', '.join(near)}?" if near
                else f"; create it with `policyengine new jurisdiction {jurisdiction}`")
        raise ScaffoldError(f"no jurisdiction {jurisdiction!r}{hint}")
    for value, enum in ((kind, DesignKind), (issuer, Issuer), (status, DesignStatus)):
        if value not in [m.value for m in enum]:
            raise ScaffoldError(f"{value!r} is not one of {', '.join(m.value for m in enum)}")
    profile = ws.profiles.get(jurisdiction)
    currency = profile.currency if profile else "USD"
    path = folder / "designs" / f"{design_id}.yaml"
    _refuse_existing(path, ws)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_schema_line(path, ws) + design_text(jurisdiction, design_id, name or f"TODO: name of the {design_id} design",
                                kind, issuer, status, currency), encoding="utf-8")
    return path


#: The kinds of fact as ``paths`` names them, in the terminal's language.
_KINDS = {"bool": N_("true/false"), "number": N_("a number"), "text": N_("text"), "money": N_("an amount"),
          "items": N_("a list of records")}


def _what_read(info: PathInfo, path: str | None) -> str:
    """:func:`_what` in the terminal's language (the meaning from the content catalogue)."""
    from ..i18n import content

    if info.percent:
        what = _("a percentage, 0 to 100")
    elif info.kind == "enum":
        what = " | ".join(info.values)
    elif info.kind == "list":
        what = _("a list of: %(values)s", values=", ".join(info.values))
    else:
        what = _(_KINDS[info.kind]) if info.kind in _KINDS else info.kind
    if not info.description:
        return what
    meaning = content.text("fact", path, "description", info.description) if path else info.description
    # Translators: `policyengine paths`: what a fact holds, then what it means ("a number. Units of ...").
    return _("%(kind)s. %(meaning)s", kind=what, meaning=meaning)


def paths_listing() -> list[tuple[str, str]]:
    """Every fact path a rule may read, with what it holds (for authors), in the terminal's language."""
    out: list[tuple[str, str]] = []
    for path, info in base_catalogue().items():
        if path in ("jurisdiction.id", "design.id", "design.jurisdiction"):
            continue
        out.append((path, _what_read(info, path)))
        for item, sub in info.items.items():
            out.append((f"  {item}", _what_read(sub, None)))
    return out
