"""Plain-text and Markdown views of assessments and explanations, for the terminal."""

from __future__ import annotations

from typing import Any

from ..explain import Explanation, WhyNode
from ..models import AreaSummary, Assessment
from ..models.rule import Status

MARK = {"gap": "GAP", "met": "met", "unknown": "unknown", "not_applicable": "n/a",
        "true": "true", "false": "false"}


def _tree(node: WhyNode, depth: int = 0) -> list[str]:
    pad = "  " * depth
    line = f"{pad}[{node.value}] {node.label}"
    if node.fact is not None:
        f = node.fact
        where = "".join(f", {part}" for part in (f.locator, f.as_of) if part)
        src = f" (source: {f.source}{where})" if f.source else ""
        flags = f" [{'; '.join(f.flags)}]" if f.flags else ""
        line += f"  <- {f.path} = {f.display}{src}{flags}"
    out = [line]
    for child in node.children:
        out.extend(_tree(child, depth + 1))
    return out


def why_lines(exp: Explanation) -> list[str]:
    out = [f"{exp.rule_id} ({exp.rule_title}) for {exp.jurisdiction_id} / {exp.design_id}: {exp.status.value}"]
    if exp.applies_if is not None:
        out.append("scope (applies_if):")
        out.extend(_tree(exp.applies_if, 1))
    else:
        out.append("scope: always applies")
    out.append("requirement (requires):")
    out.extend(_tree(exp.requires, 1))
    for d in exp.derivations:
        out.append(f"derivation derived.{d.name} ({d.title}) = {d.value}:")
        out.extend(_tree(d.why, 1))
    if exp.missing:
        out.append("missing facts: " + ", ".join(exp.missing))
    if exp.closing_change:
        state = {True: "confirmed: re-evaluated as met", False: "not confirmed by re-evaluation",
                 None: ""}[exp.closing_change_confirmed]
        out.append(f"smallest change that closes the gap ({state}):")
        for c in exp.closing_change:
            out.append(f"  {c.path}: {c.current} -> {c.proposed}")
    elif exp.status == Status.gap:
        out.append("no closing change could be computed from the condition")
    return out


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{x:.0%}"


def _range(low: float | None, high: float | None) -> str:
    return "-" if low is None or high is None else f"{low:.0%}\u2013{high:.0%}"


def assessment_table(a: Assessment, verbose: bool = True) -> str:
    lines = [f"{a.jurisdiction_name} ({a.jurisdiction_id}) / {a.design_name} — ruleset {a.ruleset_name} {a.ruleset_version}", ""]
    rows: list[Any] = list(a.summary) + ([a.overall] if a.overall is not None else [])
    names = [s.area.value if isinstance(s, AreaSummary) else "all areas" for s in rows]
    w = max([len("area"), *map(len, names)]) + 1  # the longest area name sets the first column
    lines.append(f"{'area':<{w}}{'gap':>5}{'met':>5}{'unknown':>9}{'n/a':>5}{'high gaps':>11}{'score':>7}"
                 f"{'decided':>9}  could range")
    for name, s in zip(names, rows, strict=True):
        lines.append(f"{name:<{w}}{s.gap:>5}{s.met:>5}{s.unknown:>9}{s.not_applicable:>5}{s.high_gaps:>11}"
                     f"{_pct(s.score):>7}{_pct(s.coverage):>9}  {_range(s.score_min, s.score_max)}")
    if a.overall is not None:
        lines += ["", f"score: {a.overall.label}"]
    current = None
    for f in a.findings:
        if f.status == Status.not_applicable and not verbose:
            continue
        if f.area != current:
            current = f.area
            lines += ["", f"== {current.value.upper()} =="]
        lines.append(f"[{MARK[f.status.value]:>7}] {f.severity.value:<6} {f.rule_id}: {f.rule_title}")
        if f.status in (Status.gap, Status.unknown):
            lines.append(f"          {f.text}")
        for e in f.evidence:
            src = f" [{e.source}{', ' + e.as_of if e.as_of else ''}]" if e.source else ""
            lines.append(f"          - {e.path} = {e.display}{src}")
        if f.missing:
            lines.append(f"          missing: {', '.join(f.missing)}")
        if f.status == Status.gap and f.recommendation:
            lines.append(f"          recommendation: {f.recommendation}")
        if f.citations and f.status != Status.not_applicable:
            lines.append("          cites: " + "; ".join(c.ref + (f" {c.section}" if c.section else "") for c in f.citations))
    return "\n".join(lines)


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def assessment_markdown(a: Assessment) -> str:
    out = [f"# {_md(a.jurisdiction_name)} — {_md(a.design_name)}", "",
           f"Ruleset {a.ruleset_name} {a.ruleset_version}.", "",
           "| Area | Gap | Met | Unknown | N/A | High gaps | Score | Decided | Could range |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for s in a.summary:
        out.append(f"| {s.area.value} | {s.gap} | {s.met} | {s.unknown} | {s.not_applicable} | {s.high_gaps} | "
                   f"{_pct(s.score)} | {_pct(s.coverage)} | {_range(s.score_min, s.score_max)} |")
    if a.overall is not None:
        out += ["", f"Score: {_md(a.overall.label)}."]
    current = None
    for f in a.findings:
        if f.area != current:
            current = f.area
            out += ["", f"## {current.value}", "", "| Status | Severity | Rule | Finding | Evidence |", "|---|---|---|---|---|"]
        ev = "; ".join(f"`{e.path}` = {_md(e.display)}" for e in f.evidence)
        ev = ev or ("missing: " + ", ".join(f.missing) if f.missing else "")
        out.append(f"| {f.status.value} | {f.severity.value} | {f.rule_id} | {_md(f.text)} | {ev} |")
    return "\n".join(out) + "\n"
