"""Policy guidance organised by the barrier a person meets, built from the barrier -> figures
and lever -> rules mapping of ``rulesets/guidance/<id>.yaml`` and from the assessments of the
shipped designs: for each barrier, the recorded figures of every jurisdiction (with source and
date, or "not recorded"), the levers that address it, the rules that check each lever and the
designs that use it."""

from __future__ import annotations

from ..facts import display_value, plain
from ..load import Workspace
from ..models import Assessment, JurisdictionProfile
from ..models.common import Fact
from ..models.guidance import Guidance, Lever
from ..models.rule import SEVERITY_ORDER, Status
from ..paths import base_catalogue, nearest
from ..problems import NotFound
from ..render.documents import Meta, label_of
from .common import Sources, cite_as, design_ref, shipped_assessments
from .models import (
    BarrierView,
    Check,
    FigureCell,
    FigureRow,
    GuidancePublication,
    LeverUse,
    LeverView,
)


def figure_label(path: str) -> str:
    """A column heading for a figure (the fact's label, with acronyms the label lacks)."""
    return label_of(path).replace(" gdp ", " GDP ")


def find_guidance(ws: Workspace, guidance_id: str) -> Guidance:
    if guidance_id not in ws.guidance:
        near = nearest(guidance_id, ws.guidance)
        known = ", ".join(sorted(ws.guidance)) or "none"
        hint = f"; did you mean {', '.join(near)}?" if near else f"; known: {known}"
        raise NotFound(f"no guidance {guidance_id!r} in rulesets/guidance/{hint}")
    return ws.guidance[guidance_id]


def _figure(profile: JurisdictionProfile, path: str, sources: Sources) -> FigureCell:
    obj: object = profile
    for part in path.split(".")[1:]:
        obj = getattr(obj, part, None)
        if obj is None:
            return FigureCell(path=path, value=None)
    info = base_catalogue().get(path)
    if isinstance(obj, Fact):
        value = display_value(plain(obj.value), bool(info and info.percent))
        return FigureCell(path=path, value=value, source=obj.source_ref,
                          source_title=sources.title(obj.source_ref, profile.id), locator=obj.locator,
                          as_of=obj.as_of)
    return FigureCell(path=path, value=None)  # an unsourced value is not shown as a figure


def _uses(lever: Lever, assessments: list[Assessment], status: Status) -> list[LeverUse]:
    out = []
    for a in assessments:
        hit = [f.rule_id for f in a.findings if f.rule_id in lever.rules and f.status == status]
        if hit:
            out.append(LeverUse(design=design_ref(a), rules=sorted(hit, key=lever.rules.index)))
    return out


def _lever_view(ws: Workspace, lever: Lever, assessments: list[Assessment]) -> LeverView:
    active = {r.id: r for r in ws.active_rules()}
    rules = [active[rid] for rid in lever.rules if rid in active]
    checks = [Check(rule_id=r.id, title=r.title, severity=r.severity.value, met=" ".join(r.met.split()) if r.met else None)
              for r in sorted(rules, key=lambda r: (SEVERITY_ORDER[r.severity], lever.rules.index(r.id)))]
    return LeverView(id=lever.id, title=lever.title, description=" ".join(lever.description.split()), checks=checks,
                     used_by=_uses(lever, assessments, Status.met), gaps=_uses(lever, assessments, Status.gap))


def build_guidance(ws: Workspace, guidance_id: str = "inclusion", *, date: str | None = None,
                   lang: str = "en") -> GuidancePublication:
    """The guidance ``guidance_id`` (``rulesets/guidance/<id>.yaml``) as a publication."""
    guide = find_guidance(ws, guidance_id)
    assessments = shipped_assessments(ws)
    sources = Sources(ws)
    levers = {lv.id: _lever_view(ws, lv, assessments) for lv in guide.levers}
    profiles = [ws.profiles[j] for j in sorted(ws.profiles)]  # the data of every jurisdiction, with a design or not
    barriers = []
    for b in guide.barriers:
        rows = [FigureRow(jurisdiction_id=p.id, jurisdiction_name=p.name,
                          cells=[_figure(p, path, sources) for path in b.facts]) for p in profiles]
        recorded = sum(1 for row in rows for c in row.cells if c.value is not None)
        barriers.append(BarrierView(
            id=b.id, title=b.title, framing=" ".join(b.framing.split()),
            standards=[sources.standard(c) for c in b.citations], figures=[figure_label(p) for p in b.facts],
            figure_paths=list(b.facts), data=rows if b.facts else [], recorded=recorded,
            possible=len(rows) * len(b.facts), levers=[levers[lid] for lid in b.levers]))
    return GuidancePublication(
        meta=Meta(ruleset_name=ws.ruleset_name, ruleset_version=ws.ruleset_version, date=date, lang=lang),
        id=guide.id, title=guide.title, summary=" ".join(guide.summary.split()), cite_as=cite_as(guide.title, ws, date),
        standards=[sources.standard(c) for c in guide.citations], designs=[design_ref(a) for a in assessments],
        barriers=barriers, sources=sources.entries())
