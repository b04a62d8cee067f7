"""Plain-text and Markdown views of assessments and explanations, for the terminal.

Every word is in the terminal's language (:func:`policyengine.i18n.using`, set by the CLI);
columns are lined up by display width, so Chinese (two cells a character) and Arabic (marks
that take no cell) stay under their headers. The condition trees of ``explain`` are the rule
language (fact paths, operators, ``all of`` / ``any of``), printed as written, like code.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from ..explain import Explanation, WhyNode
from ..i18n import N_, _, language
from ..i18n.format import colon
from ..models import AreaSummary, Assessment
from ..models.rule import Status

MARK = {"gap": N_("GAP"), "met": N_("met"), "unknown": N_("unknown"), "not_applicable": N_("n/a"),
        "true": "true", "false": "false"}


def width(text: str) -> int:
    """The number of terminal cells ``text`` takes: East Asian wide and full-width characters
    two, combining marks and format characters (Arabic vowel marks, bidi controls) none."""
    cells = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        cells += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return cells


def ljust(text: str, cells: int) -> str:
    return text + " " * max(0, cells - width(text))


def rjust(text: object, cells: int) -> str:
    text = str(text)
    return " " * max(0, cells - width(text)) + text


def _mark(status: str) -> str:
    return _(MARK[status]) if status in MARK else status


def _flag(flag: str) -> str:
    if language() == "en":
        return flag
    from .documents import flag_text

    return flag_text(flag)


def _tree(node: WhyNode, depth: int = 0) -> list[str]:
    pad = "  " * depth
    line = f"{pad}[{node.value}] {node.label}"
    if node.fact is not None:
        f = node.fact
        where = "".join(f", {part}" for part in (f.locator, f.as_of) if part)
        source = f"{f.source}{where}"
        src = " " + _("(source: %(source)s)", source=source) if f.source else ""
        flags = f" [{'; '.join(_flag(x) for x in f.flags)}]" if f.flags else ""
        line += f"  <- {f.path} = {f.display}{src}{flags}"
    out = [line]
    for child in node.children:
        out.extend(_tree(child, depth + 1))
    return out


def why_lines(exp: Explanation) -> list[str]:
    out = [_("%(rule)s (%(title)s) for %(jurisdiction)s / %(design)s: %(status)s", rule=exp.rule_id,
             title=exp.rule_title, jurisdiction=exp.jurisdiction_id, design=exp.design_id,
             status=_status_word(exp.status.value))]
    if exp.applies_if is not None:
        out.append(_("scope (applies_if):"))
        out.extend(_tree(exp.applies_if, 1))
    else:
        out.append(_("scope: always applies"))
    out.append(_("requirement (requires):"))
    out.extend(_tree(exp.requires, 1))
    for d in exp.derivations:
        out.append(_("derivation derived.%(name)s (%(title)s) = %(value)s:", name=d.name, title=d.title, value=d.value))
        out.extend(_tree(d.why, 1))
    if exp.missing:
        out.append(_("missing facts: %(paths)s", paths=", ".join(exp.missing)))
    if exp.closing_change:
        if exp.closing_change_confirmed is True:
            out.append(_("smallest change that closes the gap (confirmed: re-evaluated as met):"))
        elif exp.closing_change_confirmed is False:
            out.append(_("smallest change that closes the gap (not confirmed by re-evaluation):"))
        else:
            out.append(_("smallest change that closes the gap:"))
        for c in exp.closing_change:
            out.append(f"  {c.path}: {c.current} -> {c.proposed}")
    elif exp.status == Status.gap:
        out.append(_("no closing change could be computed from the condition"))
    return out


def _status_word(status: str) -> str:
    """A status as ``explain`` has always printed it in English (``not_applicable``), else translated."""
    if language() == "en":
        return status
    from .titles import STATUS_LABELS

    return _(STATUS_LABELS[status]) if status in STATUS_LABELS else status


def _pct(x: float | None) -> str:
    if x is None:
        return "-"
    if language() == "en":
        return f"{x:.0%}"
    from ..i18n.format import percent

    return percent(x)


def _range(low: float | None, high: float | None) -> str:
    return "-" if low is None or high is None else f"{_pct(low)}\u2013{_pct(high)}"


def _area(area: Any) -> str:
    from .titles import AREA_TITLES

    return _(AREA_TITLES[area.value]) if area.value in AREA_TITLES else str(area.value)


def assessment_table(a: Assessment, verbose: bool = True) -> str:
    lines = [_("%(jurisdiction)s (%(code)s) / %(design)s — ruleset %(ruleset)s %(version)s",
               jurisdiction=a.jurisdiction_name, code=a.jurisdiction_id, design=a.design_name,
               ruleset=a.ruleset_name, version=a.ruleset_version), ""]
    if a.judged_at:
        lines[1:1] = [_("judged as at %(date)s (thresholds in force then)", date=a.judged_at)]
    rows: list[Any] = list(a.summary) + ([a.overall] if a.overall is not None else [])
    names = [_area(s.area) if isinstance(s, AreaSummary) else _("all areas") for s in rows]
    # Translators: the columns of the `assess` table; keep them short (a terminal is 80 cells wide).
    head = [_("gap"), _("met"), _("unknown"), _("n/a"), _("high gaps"), _("score"), _("decided")]
    # each column as wide as its header or its widest value, plus one space before it
    values = [[str(s.gap), str(s.met), str(s.unknown), str(s.not_applicable), str(s.high_gaps), _pct(s.score),
               _pct(s.coverage)] for s in rows]
    cells = [max([width(h), *(width(v[i]) for v in values)]) + 1 for i, h in enumerate(head)]
    cells = [max(c, base) for c, base in zip(cells, (5, 5, 9, 5, 11, 7, 9), strict=True)]
    area_head = _("area")
    w = max([width(area_head), *map(width, names)]) + 1  # the longest area name sets the first column
    lines.append(ljust(area_head, w) + "".join(rjust(h, c) for h, c in zip(head, cells, strict=True))
                 + "  " + _("could range"))
    for name, s, row in zip(names, rows, values, strict=True):
        lines.append(ljust(name, w) + "".join(rjust(v, c) for v, c in zip(row, cells, strict=True))
                     + "  " + _range(s.score_min, s.score_max))
    if a.overall is not None:
        lines += ["", _("score: %(label)s", label=score_label(a.overall))]
    current = None
    marks = {k: _mark(k) for k in MARK}
    mark_cells = max(7, *(width(m) for m in marks.values()))
    severities = {sev: _severity(sev) for sev in ("high", "medium", "low")}
    sev_cells = max(6, *(width(v) for v in severities.values()))
    indent = " " * (mark_cells + 3)
    for f in a.findings:
        if f.status == Status.not_applicable and not verbose:
            continue
        if f.area != current:
            current = f.area
            lines += ["", f"== {_area(current).upper()} =="]
        severity = severities.get(f.severity.value, f.severity.value)
        lines.append(f"[{rjust(marks[f.status.value], mark_cells)}] {ljust(severity, sev_cells)} "
                     f"{f.rule_id}{colon()}{f.rule_title}")
        if f.status == Status.gap:
            lines.append(f"{indent}{f.text}")
        for e in f.evidence:
            # Translators: the source of a fact the engine concluded itself (not a document)
            source = _("derived") if e.source == "derived" else e.source
            src = f" [{source}{', ' + e.as_of if e.as_of else ''}]" if e.source else ""
            lines.append(f"{indent}- {e.path} = {e.display}{src}")
        if f.missing:
            lines.append(indent + _("missing: %(paths)s", paths=", ".join(f.missing)))
        if f.status == Status.gap and f.recommendation:
            lines.append(indent + _("recommendation: %(text)s", text=f.recommendation))
        if f.citations and f.status != Status.not_applicable:
            lines.append(indent + _("cites: %(citations)s", citations="; ".join(
                c.ref + (f" {c.section}" if c.section else "") for c in f.citations)))
    return "\n".join(lines)


def score_label(s: Any) -> str:
    """The score of a summary in words, with its coverage, in the terminal's language."""
    if language() == "en":
        return str(s.label)
    from .documents import score_text

    return score_text(s.met, s.gap, s.unknown)


def _severity(value: str) -> str:
    if language() == "en":
        return value
    from .documents import term

    return term(value)


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
