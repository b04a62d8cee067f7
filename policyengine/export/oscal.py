"""OSCAL (NIST's Open Security Controls Assessment Language), JSON form, version 1.0.6.

- :func:`catalog`: the principles as an OSCAL *catalog*: one group per area, one control per
  principle (its statement, its citations as links to back-matter resources), and one
  ``assessment-objective`` part per active rule that checks it.
- :func:`assessment_results`: one assessment as OSCAL *assessment results*: an observation per
  finding (its evidence, each fact with its source), and an OSCAL finding for each rule that
  was decided (``gap`` -> ``not-satisfied``, ``met`` -> ``satisfied``) targeting the rule's
  objective in the catalog. A rule left ``unknown`` (facts missing) or ``not_applicable`` gets
  an observation only: OSCAL's objective status has no "undecided", and calling it
  "not-satisfied" would claim what was not checked. The result's props say how many rules were
  decided.

Version 1.0.6 is the last OSCAL release whose JSON Schemas NIST commits to its repository; the
tests validate both documents against those official schemas (``tests/data/``).

UUIDs are name-based (version 5), derived from the ruleset, jurisdiction, design and rule, so
exporting the same assessment twice gives the same identifiers; only timestamps differ.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from ..i18n import N_
from ..load import Workspace
from ..models import Assessment
from ..models.common import Citation
from ..models.rule import Area, Lifecycle, Status
from ..models.semantics import render as render_condition

OSCAL_VERSION = "1.0.6"
#: Namespace of the properties this tool defines (OSCAL asks for one on non-OSCAL names).
NS = "urn:policyengine:oscal"
_UUID_NS = uuid.uuid5(uuid.NAMESPACE_URL, "urn:policyengine:oscal")

AREA_TITLES = {
    Area.aml: "AML/CFT", Area.identity: "Identity", Area.privacy: "Privacy and data protection",
    Area.interoperability: "Interoperability", Area.inclusion: "Financial inclusion",
    Area.security: "Security and resilience", Area.governance: "Governance",
    Area.financial_stability: "Financial stability and monetary impact",
    Area.operational_resilience: "Operational resilience", Area.consumer_protection: "Consumer protection",
    Area.programmability: N_("Programmability and fungibility"),
    Area.competition: N_("Intermediaries and competition"), Area.telecommunications: N_("Telecommunications"),
}


def _uuid(*parts: str) -> str:
    return str(uuid.uuid5(_UUID_NS, "\x1f".join(parts)))


def _timestamp(now: datetime.datetime | None) -> str:
    moment = now or datetime.datetime.now(datetime.timezone.utc)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return moment.astimezone(datetime.timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _prop(name: str, value: str) -> dict[str, str]:
    return {"name": name, "ns": NS, "value": value}


def objective_id(principle_id: str, rule_id: str) -> str:
    """The id of a rule's ``assessment-objective`` part in the catalog (findings target it)."""
    return f"{principle_id}_obj.{rule_id}"


class _Resources:
    """Back-matter resources: one per cited source, referenced as ``#uuid``."""

    def __init__(self, ws: Workspace, jurisdiction: str | None = None) -> None:
        self.ws, self.jurisdiction = ws, jurisdiction
        self.items: dict[str, dict[str, Any]] = {}

    def href(self, ident: str) -> str:
        if ident not in self.items:
            entry = self.ws.source(ident, self.jurisdiction)
            res: dict[str, Any] = {"uuid": _uuid("source", ident), "title": entry.title if entry else ident,
                                   "props": [_prop("source-id", ident)]}
            if entry is not None:
                when = entry.date or str(entry.year)
                res["citation"] = {"text": f"{entry.publisher}, {entry.title}, {when}."}
                if entry.url:
                    res["rlinks"] = [{"href": entry.url}]
            else:
                res["description"] = "Not in the bibliography."
            self.items[ident] = res
        return "#" + self.items[ident]["uuid"]

    def link(self, citation: Citation) -> dict[str, str]:
        out = {"href": self.href(citation.ref), "rel": "reference"}
        if citation.section:
            out["text"] = citation.section
        return out

    def back_matter(self) -> dict[str, Any]:
        return {"resources": [self.items[k] for k in sorted(self.items)]} if self.items else {}


def _metadata(title: str, version: str, now: datetime.datetime | None, remarks: str) -> dict[str, Any]:
    return {"title": title, "last-modified": _timestamp(now), "version": version, "oscal-version": OSCAL_VERSION,
            "remarks": remarks}


def catalog(ws: Workspace, *, now: datetime.datetime | None = None) -> dict[str, Any]:
    """The principles of the workspace's ruleset as an OSCAL catalog (a JSON-ready dict)."""
    resources = _Resources(ws)
    rules_of: dict[str, list[Any]] = {}
    for rule in sorted(ws.rules.values(), key=lambda r: r.id):
        if rule.status == Lifecycle.active:
            rules_of.setdefault(rule.principle, []).append(rule)
    groups = []
    for area in Area:
        controls = []
        for p in sorted((p for p in ws.principles.values() if p.area == area), key=lambda p: _principle_key(p.id)):
            parts: list[dict[str, Any]] = [{"id": f"{p.id}_smt", "name": "statement", "prose": p.statement}]
            for rule in rules_of.get(p.id, []):
                prose = (rule.met or rule.title) + "\n\nChecked by: " + " ".join(render_condition(rule.requires).split())
                parts.append({"id": objective_id(p.id, rule.id), "name": "assessment-objective", "title": rule.title,
                              "props": [_prop("rule-id", rule.id), _prop("severity", rule.severity.value)],
                              "prose": prose,
                              "links": [resources.link(c) for c in rule.citations]})
            control: dict[str, Any] = {
                "id": p.id, "class": "principle", "title": p.title,
                "props": [_prop("coverage", p.coverage.value)],
                "links": [resources.link(c) for c in p.citations], "parts": parts}
            if p.coverage_note:
                parts.append({"id": f"{p.id}_gdn", "name": "guidance",
                              "prose": "Not checked by any rule yet: " + p.coverage_note})
            controls.append(control)
        if controls:
            groups.append({"id": area.value, "class": "area", "title": AREA_TITLES[area], "controls": controls})
    name, version = ws.ruleset_name, ws.ruleset_version
    title = ws.info.title if ws.info else name
    body: dict[str, Any] = {
        "uuid": _uuid("catalog", name, version),
        "metadata": _metadata(title, version, now, "Principles in the ruleset's own words, each with the standards it "
                              "draws on; each assessment objective is one rule of the ruleset. Generated by policyengine."),
        "groups": groups}
    back = resources.back_matter()
    if back:
        body["back-matter"] = back
    return {"catalog": body}


def _principle_key(pid: str) -> tuple[str, int]:
    area, _, number = pid.rpartition("-")
    return (area, int(number) if number.isdigit() else 0)


def assessment_results(assessment: Assessment, ws: Workspace, *,
                       now: datetime.datetime | None = None) -> dict[str, Any]:
    """One assessment as OSCAL assessment results (a JSON-ready dict)."""
    a = assessment
    stamp = _timestamp(now)
    resources = _Resources(ws, a.jurisdiction_id)
    key = (a.ruleset_name, a.ruleset_version, a.jurisdiction_id, a.design_id)
    observations, findings = [], []
    for f in a.findings:
        obs_uuid = _uuid("observation", *key, f.rule_id)
        evidence = [{"description": f"{e.path} = {e.display}" + (f" (as of {e.as_of})" if e.as_of else "")
                     + (f"; {e.locator}" if e.locator else "")}
                    | ({"href": resources.href(e.source)} if e.source and e.source != "derived" else {})
                    for e in f.evidence]
        obs: dict[str, Any] = {
            "uuid": obs_uuid, "title": f"{f.rule_id}: {f.status.value}",
            "description": f.text,
            "props": [_prop("rule-id", f.rule_id), _prop("status", f.status.value),
                      _prop("severity", f.severity.value), _prop("area", f.area.value)],
            "methods": ["EXAMINE"], "collected": stamp}
        if evidence:
            obs["relevant-evidence"] = evidence
        if f.missing:
            obs["remarks"] = "Undecided: these facts are missing: " + ", ".join(f.missing)
        observations.append(obs)
        if f.status not in (Status.gap, Status.met):
            continue
        finding: dict[str, Any] = {
            "uuid": _uuid("finding", *key, f.rule_id), "title": f.rule_title, "description": f.text,
            "props": [_prop("severity", f.severity.value)],
            "target": {"type": "objective-id", "target-id": objective_id(f.principle_id, f.rule_id),
                       "status": {"state": "satisfied" if f.status == Status.met else "not-satisfied",
                                  "reason": "pass" if f.status == Status.met else "fail"}},
            "related-observations": [{"observation-uuid": obs_uuid}],
            "links": [resources.link(c) for c in f.citations] or None}
        if f.recommendation and f.status == Status.gap:
            finding["remarks"] = "Recommendation: " + f.recommendation
        if finding["links"] is None:
            del finding["links"]
        findings.append(finding)
    decided = sum(1 for f in a.findings if f.status in (Status.gap, Status.met))
    applicable = sum(1 for f in a.findings if f.status != Status.not_applicable)
    controls = sorted({f.principle_id for f in a.findings}, key=_principle_key)
    result: dict[str, Any] = {
        "uuid": _uuid("result", *key),
        "title": f"{a.jurisdiction_name}: {a.design_name}",
        "description": (f"Design {a.design_id} of {a.jurisdiction_id} assessed against ruleset {a.ruleset_name} "
                        f"{a.ruleset_version}. {decided} of {applicable} applicable rules could be decided from "
                        "the facts on file; the others lack facts and have observations only."),
        "start": stamp, "end": stamp,
        "props": [_prop("jurisdiction", a.jurisdiction_id), _prop("design", a.design_id),
                  _prop("rules-applicable", str(applicable)), _prop("rules-decided", str(decided))],
        "reviewed-controls": {"control-selections": [
            {"include-controls": [{"control-id": c} for c in controls]} if controls else {"include-all": {}}]},
    }
    if observations:
        result["observations"] = observations
    if findings:
        result["findings"] = findings
    plan_uuid = _uuid("plan", a.ruleset_name, a.ruleset_version)
    back = resources.back_matter()
    back.setdefault("resources", []).append({
        "uuid": plan_uuid, "title": f"Ruleset {a.ruleset_name} {a.ruleset_version}",
        "description": "There is no separate OSCAL assessment plan: the ruleset is the plan. Its principles are "
                       "the controls of the catalog given by `policyengine catalogue --format oscal`."})
    body = {
        "uuid": _uuid("assessment-results", *key),
        "metadata": _metadata(f"Assessment of {a.design_name} ({a.jurisdiction_name})", a.ruleset_version, now,
                              "Generated by policyengine from the facts on file, each with its source."),
        "import-ap": {"href": "#" + plan_uuid,
                      "remarks": "The ruleset stands in for an assessment plan; see the back-matter resource."},
        "results": [result],
        "back-matter": back}
    return {"assessment-results": body}
