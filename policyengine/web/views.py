"""The data each page shows, built from the server's state (no request object here).

Each function returns plain dictionaries and models for one template of ``templates/web/`` and
for the JSON API, so the two always say the same thing.
"""

from __future__ import annotations

import re
from typing import Any

from ..explain import WhyNode
from ..i18n import N_, _
from ..models import Assessment, Design
from ..models.jurisdiction import Region
from ..render import documents as docs
from ..render.documents import label_of
from ..render.region import is_hypothetical, is_private
from .state import Server
from .whatif import Choices, choices_of

#: How a profile's cbdc_status reads on the index.
CBDC_STATUS_LABELS = {
    "launched": N_("launched"), "pilot": N_("pilot"), "research": N_("research"),
    "decided_not_to_issue": N_("decided not to issue"), "discontinued": N_("discontinued"),
    "prohibited": N_("prohibited"),
}


#: The words of a why-tree (the engine writes them in English, as the CLI's ``explain`` prints them).
CONNECTIVES = {"all of": N_("all of"), "any of": N_("any of"), "not": N_("not")}
TRUTH = {"true": N_("holds"), "false": N_("does not hold"), "unknown": N_("unknown")}
_ITEM = re.compile(r"^item (\d+): (.*)$", re.S)


def why_view(node: WhyNode | None) -> dict[str, Any] | None:
    """A why-tree in the page's language: connectives and truth values translated, a condition
    kept as the expression it is (shown as code) beside the label of the fact it reads."""
    if node is None:
        return None
    label, item = node.label, None
    found = _ITEM.match(label)
    if found:
        item, label = found.group(1), found.group(2)
    words = CONNECTIVES.get(label)
    fact = node.fact
    display = None
    if fact is not None:
        display = _("(missing)") if fact.display == "(missing)" else fact.display
    return {"item": item, "words": _(words) if words else None, "code": None if words else label,
            "value": node.value, "truth": _(TRUTH.get(node.value, node.value)), "fact": fact,
            "fact_label": label_of(fact.path) if fact is not None else None, "display": display,
            "children": [why_view(c) for c in node.children]}


def truth(value: str) -> str:
    return _(TRUTH[value]) if value in TRUTH else value


def amount_text(value: float | str | None) -> str:
    """An amount as the editor shows it: ``120000``, ``0.5``; ``none`` when there is no such
    limit; empty when not recorded."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def region_title(region: str) -> str:
    return _(docs.REGION_TITLES.get(region, region))


def jurisdictions_by_region(server: Server) -> list[dict[str, Any]]:
    """Every region with its jurisdictions: id, name, CBDC status (with its date), own designs."""
    out = []
    for region in Region:
        rows = []
        for jid in docs.region_members(server.ws, region.value):
            p = server.profile(jid)  # its name as the page's language writes it (CLDR)
            status = p.cbdc_status.value.value if p.cbdc_status else None
            rows.append({"id": jid, "name": p.name, "kind": p.kind.value,
                         "cbdc_status": status,
                         "cbdc_status_label": _(CBDC_STATUS_LABELS[status]) if status else _("not recorded"),
                         "cbdc_status_as_of": p.cbdc_status.as_of if p.cbdc_status else None,
                         "designs": server.design_ids(jid)[0]})
        out.append({"id": region.value, "title": region_title(region.value), "jurisdictions": rows})
    return out


def counts(findings: list[Any]) -> docs.Counts:
    """Counts, score with its data coverage, the range it could take, and the sentence."""
    return docs._counts(findings)


def summary(server: Server, assessment: Assessment) -> dict[str, Any]:
    """The honest summary the documents give: counts, the score beside its data coverage and
    range, and the same by area."""
    areas = docs._areas_of(server.ws)
    return {"overall": counts(list(assessment.findings)),
            "areas": docs._area_counts(assessment, areas)}


def findings_by_area(assessment: Assessment) -> list[dict[str, Any]]:
    groups: dict[str, list[Any]] = {}
    for f in assessment.findings:
        groups.setdefault(f.area.value, []).append(f)
    return [{"area": area, "title": _(docs.AREA_TITLES.get(area, area)), "findings": fs,
             "counts": counts(fs)} for area, fs in groups.items()]


def design_view(server: Server, jurisdiction_id: str, design: Design) -> dict[str, Any]:
    profile = server.profile(jurisdiction_id)
    return {"id": design.id, "name": design.name, "summary": design.summary, "kind": design.kind.value,
            "status": design.status.value, "archetype": design.jurisdiction is None,
            "ended": design.ended.value if design.ended is not None else None,
            "currency": server.currency(jurisdiction_id, design),
            "jurisdiction": {"id": profile.id, "name": profile.name},
            # the same judgement as the toolkit's: a design the country really runs, or a private
            # stablecoin, is not assessed "as a hypothetical"
            "not_planned": docs._cbdc_status_line(profile, not is_hypothetical(profile, design), is_private(design))}


def compare_designs(server: Server, jurisdiction_id: str, design_ids: list[str]) -> dict[str, Any]:
    """Two or more designs of one jurisdiction side by side: their summaries, and each rule's
    status under each design (rules whose status differs first)."""
    assessments = [server.assess(jurisdiction_id, d) for d in design_ids]
    by_rule: dict[str, dict[str, Any]] = {}
    for i, a in enumerate(assessments):
        for f in a.findings:
            row = by_rule.setdefault(f.rule_id, {"rule_id": f.rule_id, "title": f.rule_title, "area": f.area.value,
                                                 "severity": f.severity.value,
                                                 "statuses": ["not_checked"] * len(assessments)})
            row["statuses"][i] = f.status.value
    rows = sorted(by_rule.values(), key=lambda r: (len(set(r["statuses"])) == 1, r["area"], r["rule_id"]))
    return {"designs": [{"id": d, "name": a.design_name, "overall": counts(list(a.findings)),
                         "areas": docs._area_counts(a, docs._areas_of(server.ws))}
                        for d, a in zip(design_ids, assessments, strict=True)],
            "rows": rows, "differing": sum(1 for r in rows if len(set(r["statuses"])) > 1)}


def recorded_choices(design: Design) -> Choices:
    return choices_of(design)
