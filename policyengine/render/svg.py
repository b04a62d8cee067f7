"""The regional heat-map of gaps (area x country) as inline SVG, built by hand.

Why hand-built rather than matplotlib or plotly: the chart is a grid of coloured cells with
labels, which is a few dozen lines of SVG; a plotting library would add a heavy dependency
(matplotlib pulls in numpy, fonts and a backend) for no gain, and its SVG output embeds
generator versions, random clip-path ids and font-dependent glyph paths, which breaks the
byte-identical output the golden tests rely on. Building the SVG here needs no network, gives
the same bytes on every machine, and lets every label be escaped like any other text.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from ..i18n import _
from .documents import HandoutSet, HeatCell, HeatRow

CELL_W = 104
CELL_H = 30
LABEL_W = 270
HEAD_H = 46

#: Fill colours: gaps get darker with their number; unknown is grey; met is green.
GAP_FILLS = ("#f6c3b5", "#ee9479", "#dd5f43", "#b8321f")
FILLS = {"met": "#cfe8cf", "unknown": "#dcdcdc", "not_applicable": "#ffffff", "not_checked": "#ffffff"}

#: Every colour a cell can take, with what it means (the text in a cell adds "(N high)" for
#: high-severity gaps and "+N?" for rules that lack data).
LEGEND: tuple[tuple[str, str], ...] = (
          (GAP_FILLS[0], "1 gap"), (GAP_FILLS[1], "2 gaps"), (GAP_FILLS[2], "3 gaps"), (GAP_FILLS[3], "4 or more gaps"),
          (FILLS["met"], "no gap; most rules decided"), (FILLS["unknown"], "no gap; most rules lack data (?)"),
          (FILLS["not_applicable"], "n/a: out of scope; -: not checked"))
LEGEND_NOTE = "In a cell: (N high) = high-severity gaps; +N? = N more rules lack data."
#: A cell whose area had fewer than this share of its applicable rules decided is hatched: its
#: count rests on little data and may hide gaps (the share is in the cell's tooltip).
LOW_COVERAGE = 0.5
HATCH_ID = "hatch-low-coverage"
HATCH = f"url(#{HATCH_ID})"
LEGEND = LEGEND + ((HATCH, "hatched: under half decided"),)


def _low_coverage(cell: HeatCell) -> bool:
    return cell.coverage is not None and cell.coverage < LOW_COVERAGE
LEGEND_ROW_H = 20
CHAR_W = 7  # a generous width per character of 12 px Helvetica, to lay out labels without measuring


def _fill(cell: HeatCell) -> str:
    if cell.gaps:
        return GAP_FILLS[min(cell.gaps, len(GAP_FILLS)) - 1]
    if cell.status == "unknown" and cell.met and cell.met >= cell.unknown:
        return FILLS["met"]
    return FILLS[cell.status]


def _text(cell: HeatCell) -> str:
    """``2 (1 high)`` for gaps; ``0`` when no gap; ``+3?`` counts the rules left unknown."""
    unknown = f" +{cell.unknown}?" if cell.unknown else ""
    if cell.gaps:
        return (f"{cell.gaps} ({cell.high_gaps} high)" if cell.high_gaps else str(cell.gaps)) + unknown
    if cell.status in ("met", "unknown"):
        return ("0" + unknown) if cell.met else "?" + (f" ({cell.unknown})" if cell.unknown else "")
    return {"not_applicable": "n/a", "not_checked": "-"}[cell.status]


def _ink(cell: HeatCell) -> str:
    return "#ffffff" if cell.gaps >= 3 else "#1a1a1a"


def _legend_w(label: str) -> int:
    return 36 + CHAR_W * len(label)


def _legend_rows(width: int) -> list[list[tuple[str, str]]]:
    """The legend's entries in rows that fit ``width``."""
    rows: list[list[tuple[str, str]]] = [[]]
    used = 4
    for entry in LEGEND:
        w = _legend_w(entry[1])
        if rows[-1] and used + w > width:
            rows.append([])
            used = 4
        rows[-1].append(entry)
        used += w
    return rows


def _row_label(row: HeatRow) -> str:
    """``Nigeria · eNaira``; an archetype row is named as one (its long name is in the tooltip), and
    the row of a country that does not plan a retail CBDC says it is hypothetical."""
    if row.hypothetical:
        return _("%(jurisdiction)s \u00b7 if it were to issue (archetype)") % dict(jurisdiction=row.jurisdiction_name)
    if row.archetype:
        return _("%(jurisdiction)s \u00b7 archetype") % dict(jurisdiction=row.jurisdiction_name)
    return f"{row.jurisdiction_name} \u00b7 {row.design_name}"


def heatmap_svg(doc: HandoutSet) -> Markup:
    """The heat-map as an ``<svg>`` element (escaped text, integer coordinates: stable bytes)."""
    cols = len(doc.areas)
    rows = len(doc.heatmap)
    names = [_row_label(row) for row in doc.heatmap]
    label_w = max([LABEL_W] + [8 + CHAR_W * len(n) for n in names])  # row labels are never cut
    width = label_w + cols * CELL_W + 2
    legend_rows = _legend_rows(width)
    height = HEAD_H + rows * CELL_H + 14 + LEGEND_ROW_H * (len(legend_rows) + 1)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="heatmap" role="img" aria-labelledby="heatmap-title" '
           f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
           f'font-family="Helvetica, Arial, sans-serif" font-size="12">',
           f'<title id="heatmap-title">Gaps by area and country, {escape(doc.region_title)}</title>',
           f'<defs><pattern id="{HATCH_ID}" patternUnits="userSpaceOnUse" width="6" height="6" '
           f'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="#7a7a7a" '
           f'stroke-width="1.5" stroke-opacity="0.55"/></pattern></defs>']
    for i, title in enumerate(doc.area_titles):
        x = label_w + i * CELL_W + CELL_W // 2
        words = title.split(" ")
        cut = 1 if len(words) == 2 and len(title) > 13 else 2
        first, second = (" ".join(words[:cut]), " ".join(words[cut:])) if len(words) > cut else (title, "")
        out.append(f'<text x="{x}" y="{HEAD_H - (22 if second else 8)}" text-anchor="middle" '
                   f'font-weight="bold">{escape(first)}</text>')
        if second:
            out.append(f'<text x="{x}" y="{HEAD_H - 8}" text-anchor="middle" font-weight="bold">{escape(second)}</text>')
    for r, row in enumerate(doc.heatmap):
        y = HEAD_H + r * CELL_H
        out.append(f'<text x="4" y="{y + CELL_H // 2 + 4}">{escape(names[r])}</text>')
        for c, cell in enumerate(row.cells):
            x = label_w + c * CELL_W
            tip = (f"{row.jurisdiction_name}, {row.design_name}, {doc.area_titles[c]}: "
                   f"{cell.gaps} gaps ({cell.high_gaps} high), {cell.met} met, {cell.unknown} unknown"
                   + (f"; {cell.coverage:.0%} of the applicable rules decided" if cell.coverage is not None else ""))
            hatch = (f'<rect x="{x + 1}" y="{y + 1}" width="{CELL_W - 2}" height="{CELL_H - 2}" fill="{HATCH}"/>'
                     if _low_coverage(cell) else "")
            out.append(f'<g><title>{escape(tip)}</title>'
                       f'<rect x="{x + 1}" y="{y + 1}" width="{CELL_W - 2}" height="{CELL_H - 2}" '
                       f'fill="{_fill(cell)}" stroke="#888888" stroke-width="1"/>{hatch}'
                       f'<text x="{x + CELL_W // 2}" y="{y + CELL_H // 2 + 4}" text-anchor="middle" '
                       f'fill="{_ink(cell)}">{escape(_text(cell))}</text></g>')
    ly = HEAD_H + rows * CELL_H + 14
    for line in legend_rows:
        x = 4
        for fill, label in line:
            out.append(f'<rect x="{x}" y="{ly}" width="14" height="14" fill="{fill}" stroke="#888888" stroke-width="1"/>'
                       f'<text x="{x + 20}" y="{ly + 11}">{escape(label)}</text>')
            x += _legend_w(label)
        ly += LEGEND_ROW_H
    out.append(f'<text x="4" y="{ly + 11}">{escape(LEGEND_NOTE)}</text>')
    out.append("</svg>")
    return Markup("\n".join(out))
