"""The Python API: every CLI command is a thin wrapper over one function here.

Functions take a workspace path (or an already loaded :class:`Workspace`) and return models;
they raise :class:`~policyengine.problems.PolicyEngineError` subclasses for bad input.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from . import facts as facts_mod
from . import i18n
from .engine import CompiledRuleset
from .engine.compile import CapacityError
from .evidence import kinds_of
from .explain import Explanation
from .explain import explain as explain_rule
from .load import Workspace, load_valid_workspace, load_workspace
from .models import Assessment, Design, JurisdictionProfile
from .models.rule import Lifecycle, Status
from .paths import nearest
from .problems import InvalidWorkspace, NotFound, PolicyEngineError, Problem, check_date_option, message_of, relative

if TYPE_CHECKING:
    from .publications.models import GuidancePublication, PrinciplesPublication
    from .questionnaire.answers import ImportResult
    from .questionnaire.build import Questionnaire

WorkspaceLike = str | Path | Workspace | None


def workspace(ws: WorkspaceLike = None) -> Workspace:
    """A loaded, valid workspace (raises :class:`InvalidWorkspace` listing every error)."""
    if isinstance(ws, Workspace):
        return ws
    return load_valid_workspace(ws)


def validate(ws: str | Path | None = None, *, lint: bool = True, max_age_years: float = 5,
             today: "datetime.date | None" = None) -> list[Problem]:
    """Every problem (errors, and lint warnings unless ``lint`` is false) of a workspace,
    sorted by file and line."""
    from .authoring.lint import lint as lint_workspace
    from .validate import validate_workspace

    loaded = load_workspace(ws)
    validate_workspace(loaded)
    if lint:
        loaded.problems.extend(lint_workspace(loaded, max_age_years=max_age_years, today=today))
    if not any(p.level == "error" for p in loaded.problems):
        # Compile what assess and explain would (drafts included), so whatever the engine
        # cannot hold is refused here, naming the rule's file and line, never at assess.
        try:
            compile_ruleset(loaded, include_drafts=True).compile_engine()
        except CapacityError as exc:
            origin = loaded.origin(exc.kind, exc.ident) if exc.kind and exc.ident else None
            if origin is not None:
                field = "when" if exc.kind == "derivation" else "requires"
                loaded.problems.append(Problem(relative(origin.doc.file, loaded.root), origin.line(field), field,
                                               message_of(exc)))
            else:
                loaded.problems.append(Problem("rulesets", 1, "", message_of(exc)))
    return sorted(set(p for p in loaded.problems if not _shipped_warning(loaded, p)))


def _shipped_warning(ws: Workspace, problem: Problem) -> bool:
    """A lint warning on a shipped file seen from a separate workspace: the maintainers' to
    fix, not the team's (errors in shipped files are always reported)."""
    shipped = ws.shipped_dir
    if problem.level != "warning" or shipped is None or ws.root.resolve() == shipped.resolve():
        return False
    return Path(problem.file).is_absolute() and Path(problem.file).resolve().is_relative_to(shipped.resolve())


def params_at(ws: Workspace, date: str | None = None) -> dict[str, float]:
    return {pid: p.value_at(date).value for pid, p in ws.parameters.items()}


def longest_tier_list(ws: Workspace) -> int:
    """The most wallet tiers any design of the workspace lists."""
    designs = [d for by_id in ws.designs.values() for d in by_id.values()] + list(ws.archetypes.values())
    return max([len(d.kyc_tiers.value) for d in designs if d.kyc_tiers is not None] or [0])


def compile_ruleset(ws: WorkspaceLike = None, *, include_drafts: bool = False, date: str | None = None,
                    list_slots: int | None = None) -> CompiledRuleset:
    """Compile the workspace's active rules (and drafts if asked) once; cached per workspace.

    ``date``: the thresholds in force then (the latest without one). Two dates with the same
    thresholds share one compiled ruleset. Quantifiers over wallet tiers cover the longest list
    in the workspace (at least 6), or ``list_slots`` when a caller brings a longer one (a
    what-if, an example)."""
    check_date_option(date)
    loaded = workspace(ws)
    slots = max(6, longest_tier_list(loaded), list_slots or 0)
    params = params_at(loaded, date)
    cache_key = (include_drafts, tuple(sorted(params.items())), slots)
    if cache_key not in loaded.compiled:
        loaded.compiled[cache_key] = CompiledRuleset(
            loaded.active_rules(include_drafts), loaded.derivations, params,
            ruleset_name=loaded.ruleset_name, ruleset_version=loaded.ruleset_version,
            principles=loaded.principles, list_slots=slots)
    return loaded.compiled[cache_key]


def judged_at(design: Design, date: str | None = None) -> str | None:
    """The date a design is judged at: ``date`` when one is asked for, else the end of a
    discontinued design (its thresholds are those in force when it ran, as its facts are the
    country's as it was: :func:`policyengine.facts.build`), else today (``None``)."""
    if date is not None:
        return date
    return design.ended.value if design.ended is not None else None


def ruleset_for(ws: Workspace, design: Design, *, include_drafts: bool = False, date: str | None = None,
                list_slots: int | None = None) -> CompiledRuleset:
    """The compiled ruleset a design is judged with (:func:`judged_at`)."""
    return compile_ruleset(ws, include_drafts=include_drafts, date=judged_at(design, date), list_slots=list_slots)


def find_region(region: str) -> str:
    """The ITU region id a user means: ``arab-states``, ``Arab States`` and ``arab_states`` are
    one region; anything else is refused with the list (and the nearest, if one is near)."""
    from .models.jurisdiction import Region

    ids = [r.value for r in Region]
    wanted = "_".join(region.strip().lower().replace("-", " ").split())
    if wanted in ids:
        return wanted
    near = nearest(wanted, ids)
    hint = f"; did you mean {', '.join(near)}?" if near else ""
    raise NotFound(f"no region {region[:40]!r}{hint}; use one of {', '.join(ids)}")


def find_profile(ws: Workspace, jurisdiction_id: str) -> JurisdictionProfile:
    if jurisdiction_id not in ws.profiles:
        near = nearest(jurisdiction_id.upper(), ws.profiles)
        hint = f"; did you mean {', '.join(near)}?" if near else f"; known: {', '.join(sorted(ws.profiles))}"
        raise NotFound(f"no jurisdiction {jurisdiction_id!r}{hint}")
    return ws.profiles[jurisdiction_id]


def _design_choices(ws: Workspace, jurisdiction_id: str) -> str:
    """The designs a jurisdiction may be assessed with: its own, then the archetypes, by name."""
    own = sorted(ws.designs.get(jurisdiction_id, {}))
    archetypes = sorted(ws.archetypes)
    parts = [f"its own: {', '.join(own)}"] if own else [f"{jurisdiction_id} has no design of its own yet"]
    if archetypes:
        parts.append(f"archetypes: {', '.join(archetypes)}")
    else:
        parts.append("and no archetypes are loaded (workspace.yaml turns the shipped jurisdictions off?)")
    return "; ".join(parts)


def find_design(ws: Workspace, jurisdiction_id: str, design_id: str | None) -> Design:
    """One of the jurisdiction's own designs, or an archetype (any jurisdiction may use one)."""
    own = ws.designs.get(jurisdiction_id, {})
    if design_id is None:
        if len(own) == 1:
            return next(iter(own.values()))
        raise NotFound(f"name a design with --design; {_design_choices(ws, jurisdiction_id)}")
    design = ws.design(jurisdiction_id, design_id)
    if design is None:
        near = nearest(design_id, sorted(own) + sorted(ws.archetypes))
        hint = f"; did you mean {', '.join(near)}?" if near else ""
        raise NotFound(f"no design {design_id!r} for {jurisdiction_id}{hint}; {_design_choices(ws, jurisdiction_id)}")
    return design


def fact_table(ws: Workspace, jurisdiction_id: str,
               design_id: str | None) -> tuple[JurisdictionProfile, Design, facts_mod.FactTable]:
    profile = find_profile(ws, jurisdiction_id)
    design = find_design(ws, jurisdiction_id, design_id)
    kinds = kinds_of(ws, profile.id)
    today = datetime.date.today()
    # The last table is kept (a toolkit asks for the same one six times): the models are
    # frozen, so the same objects, the same source kinds and the same day give the same table.
    # Each caller gets its own copy of it.
    last = ws.compiled.get("last-fact-table")
    if last is not None and last[0] is profile and last[1] is design and last[2] == kinds and last[3] == today:
        return profile, design, facts_mod.FactTable(dict(last[4].facts))
    table = facts_mod.build(profile, design, kinds, today=today)
    ws.compiled["last-fact-table"] = (profile, design, kinds, today, facts_mod.FactTable(dict(table.facts)))
    return profile, design, table


def assess(jurisdiction_id: str, design_id: str | None = None, ws: WorkspaceLike = None, *,
           include_drafts: bool = False, date: str | None = None) -> Assessment:
    """Assess one design of one jurisdiction against the ruleset."""
    loaded = workspace(ws)
    profile, design, table = fact_table(loaded, jurisdiction_id, design_id)
    compiled = ruleset_for(loaded, design, include_drafts=include_drafts, date=date)
    names = ((profile.id, profile.name), (design.id, design.name))
    # The last assessment is kept: a toolkit, its questionnaire and its explanations ask for
    # the same one in turn. It is reused only for the same compiled ruleset, an equal fact
    # table and the same language (its evidence shows values formatted for a reader of it),
    # so an edited workspace is assessed anew.
    when = judged_at(design, date)
    key = (names, i18n.language(), when)
    last = loaded.compiled.get("last-assessment")
    if last is not None and last[0] is compiled and last[1] == key and last[2] == table:
        return last[3]
    result = compiled.assess(table, jurisdiction=names[0], design=names[1]).model_copy(update={"judged_at": when})
    loaded.compiled["last-assessment"] = (compiled, key, table, result)
    return result


def assess_design(jurisdiction_id: str, design: Design, ws: WorkspaceLike = None, *, include_drafts: bool = False,
                  date: str | None = None, list_slots: int | None = None) -> Assessment:
    """Assess a design given as a model (a what-if edited in ``policyengine serve``, a design
    built by another tool) for one jurisdiction, with the same compiled ruleset as :func:`assess`.

    ``list_slots``: compile for this many wallet tiers at least, so a caller assessing many
    edited designs (the web server: :data:`~policyengine.models.design.MAX_TIERS`) compiles once."""
    loaded = workspace(ws)
    profile = find_profile(loaded, jurisdiction_id)
    table = facts_mod.build(profile, design, kinds_of(loaded, profile.id))
    compiled = ruleset_for(loaded, design, include_drafts=include_drafts, date=date, list_slots=list_slots)
    result = compiled.assess(table, jurisdiction=(profile.id, profile.name), design=(design.id, design.name))
    return result.model_copy(update={"judged_at": judged_at(design, date)})


@dataclass(frozen=True)
class Pair:
    jurisdiction_id: str
    design_id: str


def shipped_pairs(ws: Workspace) -> list[Pair]:
    """Every (jurisdiction, own design) pair of the workspace, in a stable order."""
    return [Pair(j, d) for j in sorted(ws.designs) if j in ws.profiles for d in sorted(ws.designs[j])]


def assess_all(ws: WorkspaceLike = None, pairs: Iterable[Pair] | None = None) -> list[Assessment]:
    loaded = workspace(ws)
    return [assess(p.jurisdiction_id, p.design_id, loaded) for p in (pairs or shipped_pairs(loaded))]


def explain(rule_id: str, jurisdiction_id: str, design_id: str | None = None, ws: WorkspaceLike = None,
            *, date: str | None = None) -> Explanation:
    """Why a rule reached its status for one jurisdiction and design, and what would close a gap."""
    loaded = workspace(ws)
    rule = loaded.rule_by_id_or_alias(rule_id)
    if rule is None:
        near = nearest(rule_id.upper(), loaded.rules)
        hint = f"; did you mean {', '.join(near)}?" if near else ""
        raise NotFound(f"no rule {rule_id!r}{hint}")
    if rule.status == Lifecycle.deprecated:  # explained by the rule that replaced it, if any
        successor = next((r for r in loaded.rules.values()
                          if rule.id in r.aliases and r.status != Lifecycle.deprecated), None)
        if successor is None:
            raise NotFound(f"rule {rule.id!r} is deprecated: it is skipped in assessments")
        rule = successor
    profile, design, table = fact_table(loaded, jurisdiction_id, design_id)
    compiled = ruleset_for(loaded, design, include_drafts=True, date=date)
    return explain_rule(compiled, rule.id, table, profile.id, design.id)


def explain_design(rule_id: str, jurisdiction_id: str, design: Design, ws: WorkspaceLike = None, *,
                   date: str | None = None, list_slots: int | None = None) -> Explanation:
    """:func:`explain` for a design given as a model (a what-if)."""
    loaded = workspace(ws)
    rule = loaded.rule_by_id_or_alias(rule_id)
    if rule is None or rule.status == Lifecycle.deprecated:
        raise NotFound(f"no rule {rule_id!r}")
    profile = find_profile(loaded, jurisdiction_id)
    table = facts_mod.build(profile, design, kinds_of(loaded, profile.id))
    compiled = ruleset_for(loaded, design, include_drafts=True, date=date, list_slots=list_slots)
    return explain_rule(compiled, rule.id, table, profile.id, design.id)


def questionnaire(jurisdiction_id: str, design_id: str | None = None, ws: WorkspaceLike = None, *,
                  date: str | None = None) -> "Questionnaire":
    """The facts this design's assessment lacks, as questions ranked by how much each answer
    would change the findings, grouped by the authority that holds the answer."""
    from .questionnaire.build import build

    return build(workspace(ws), jurisdiction_id, design_id, date=date)


def write_questionnaire(jurisdiction_id: str, design_id: str | None, out: Path, formats: Iterable[str],
                        ws: WorkspaceLike = None, *, date: str | None = None, lang: str = "en") -> list[Path]:
    """Build the questionnaire and write it as HTML, xlsx and/or YAML into ``out`` (in ``lang``:
    the questions and the HTML form; the answer keys of the xlsx and YAML stay as they are)."""
    from .i18n.localise import localise, rendering
    from .questionnaire import forms

    with rendering(lang):
        loaded = localise(workspace(ws))
        q = questionnaire(jurisdiction_id, design_id, loaded, date=date)
        return forms.write(loaded, q, Path(out), list(formats), lang=lang)


def import_answers(file: str | Path, workspace_root: str | Path, *, partial: bool = False) -> "ImportResult":
    """Validate a filled questionnaire (xlsx or YAML) and write its answers, with their
    provenance, into the workspace's own profile and design files."""
    from .questionnaire.answers import import_answers as run

    return run(Path(file), Path(workspace_root), partial=partial)


def principles_publication(ws: WorkspaceLike = None, *, date: str | None = None,
                           since: str | None = None) -> "PrinciplesPublication":
    """The high-level principles as a publication (``since``: a git revision, a version tag
    or a rulesets folder to list the changes from)."""
    from .publications.principles import build_principles

    return build_principles(workspace(ws), date=date, since=since)


def guidance_publication(guidance_id: str = "inclusion", ws: WorkspaceLike = None, *,
                         date: str | None = None) -> "GuidancePublication":
    """The policy guidance ``rulesets/guidance/<guidance_id>.yaml`` as a publication."""
    from .publications.guidance import build_guidance

    return build_guidance(workspace(ws), guidance_id, date=date)


def fails(assessment: Assessment, fail_on: str | None) -> bool:
    """True when ``--fail-on`` names a status (or 'high' gaps) present in the assessment."""
    if not fail_on:
        return False
    if fail_on == "high":
        return any(f.status == Status.gap and f.severity.value == "high" for f in assessment.findings)
    return any(f.status.value == fail_on for f in assessment.findings)


__all__ = [
    "InvalidWorkspace", "NotFound", "PolicyEngineError", "assess", "assess_all", "assess_design", "compile_ruleset",
    "explain_design",
    "explain", "fact_table", "fails", "import_answers", "questionnaire", "shipped_pairs", "validate", "workspace",
    "write_questionnaire",
    "explain", "fact_table", "fails", "guidance_publication", "principles_publication", "shipped_pairs",
    "validate", "workspace",
]
