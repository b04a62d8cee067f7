"""The regional heat-map of gaps (area x country) as inline SVG, built by hand.

Why hand-built rather than matplotlib or plotly: the chart is a grid of coloured cells with
labels, which is a few dozen lines of SVG; a plotting library would add a heavy dependency
(matplotlib pulls in numpy, fonts and a backend) for no gain, and its SVG output embeds
generator versions, random clip-path ids and font-dependent glyph paths, which breaks the
byte-identical output the golden tests rely on. Building the SVG here needs no network, gives
the same bytes on every machine, and lets every label be escaped like any other text.
"""

from __future__ import annotations

import unicodedata

from markupsafe import Markup, escape

from ..i18n import N_, _, language, ngettext
from ..i18n.catalogues import RTL
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
#: (The first three are counted: "1 gap", "2 gaps", "3 gaps", in the document's language.)
LEGEND: tuple[tuple[str, str], ...] = (
          (GAP_FILLS[0], "1"), (GAP_FILLS[1], "2"), (GAP_FILLS[2], "3"), (GAP_FILLS[3], N_("4 or more gaps")),
          (FILLS["met"], N_("no gap; most rules decided")), (FILLS["unknown"], N_("no gap; most rules lack data (?)")),
          (FILLS["not_applicable"], N_("n/a: out of scope; -: not checked")))
LEGEND_NOTE = N_("In a cell: (N high) = high-severity gaps; +N? = N more rules lack data.")
#: A cell whose area had fewer than this share of its applicable rules decided is hatched: its
#: count rests on little data and may hide gaps (the share is in the cell's tooltip).
LOW_COVERAGE = 0.5
HATCH_ID = "hatch-low-coverage"
HATCH = f"url(#{HATCH_ID})"
LEGEND = LEGEND + ((HATCH, N_("hatched: under half decided")),)


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
        return (_("%(gaps)s (%(high)s high)", gaps=cell.gaps, high=cell.high_gaps) if cell.high_gaps
                else str(cell.gaps)) + unknown
    if cell.status in ("met", "unknown"):
        return ("0" + unknown) if cell.met else "?" + (f" ({cell.unknown})" if cell.unknown else "")
    return _("n/a") if cell.status == "not_applicable" else "-"


def _anchor(start: str) -> str:
    """The text-anchor attribute of text that starts a line (none in left-to-right: the default)."""
    return "" if start == "start" else f' text-anchor="{start}"'


def _pct(share: float | None) -> str:
    from ..i18n.format import percent

    return "-" if share is None else percent(share, language())


def _ink(cell: HeatCell) -> str:
    return "#ffffff" if cell.gaps >= 3 else "#1a1a1a"


def _label(label: str) -> str:
    """A legend entry in the document's language."""
    return ngettext("%(num)s gap", "%(num)s gaps", int(label), num=int(label)) if label.isdigit() else _(label)


def _chars_w(text: str) -> int:
    """The width of ``text`` at 12 px: a Chinese (wide) character takes about 12 px."""
    return sum(12 if unicodedata.east_asian_width(ch) in ("W", "F") else CHAR_W for ch in text)


def _legend_w(label: str) -> int:
    return 36 + _chars_w(_label(label))


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


def _head_lines(title: str) -> tuple[str, str]:
    """A column title on at most two lines, split where the longer line is shortest."""
    words = title.split(" ")
    if len(words) == 1 or len(title) * CHAR_W <= CELL_W - 8:
        return title, ""
    splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
    return min(splits, key=lambda s: (max(len(s[0]), len(s[1])), len(s[0])))


def _row_label(row: HeatRow) -> str:
    """``Nigeria · eNaira``; an archetype row is named as one (its long name is in the tooltip), and
    the row of a country that does not plan a retail CBDC says it is hypothetical."""
    if row.hypothetical:
        return _("%(jurisdiction)s \u00b7 if it were to issue (archetype)") % dict(jurisdiction=row.jurisdiction_name)
    if row.archetype:
        return _("%(jurisdiction)s \u00b7 archetype") % dict(jurisdiction=row.jurisdiction_name)
    return f"{row.jurisdiction_name} \u00b7 {row.design_name}"


def heatmap_svg(doc: HandoutSet) -> Markup:
    """The heat-map as an ``<svg>`` element (escaped text, integer coordinates: stable bytes).

    In a right-to-left language (Arabic) the chart is mirrored: the country labels on the right,
    the first area next to them, the legend read from the right."""
    rows = len(doc.heatmap)
    rtl = language() in RTL
    names = [_row_label(row) for row in doc.heatmap]
    label_w = max([LABEL_W] + [8 + _chars_w(n) for n in names])  # row labels are never cut
    heads = [_head_lines(t) for t in doc.area_titles]
    # A column is as wide as its title needs (a long word such as "Telecommunications"), never narrower
    # than a cell: titles never run into their neighbours.
    col_w = [max(CELL_W, 8 + max(_chars_w(a), _chars_w(b))) for a, b in heads]
    col_x = [label_w + sum(col_w[:i]) for i in range(len(col_w))]
    width = label_w + sum(col_w) + 2

    def at(x: int, w: int = 0) -> int:
        """``x`` (of a box ``w`` wide) in the chart's reading direction."""
        return width - x - w if rtl else x

    # With direction="rtl", text-anchor "start" is the text's right end, so a label placed at
    # at(4) runs leftwards inside the chart ("end" pushed Arabic labels past the right edge).
    start = "start"
    direction = ' direction="rtl"' if rtl else ""
    legend_rows = _legend_rows(width)
    height = HEAD_H + rows * CELL_H + 14 + LEGEND_ROW_H * (len(legend_rows) + 1)
    title = _("Gaps by area and country, %(region)s", region=doc.region_title)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="heatmap" role="img" aria-labelledby="heatmap-title" '
           f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
           f'font-family="Helvetica, Arial, sans-serif" font-size="12"{direction}>',
           f'<title id="heatmap-title">{escape(title)}</title>',
           f'<defs><pattern id="{HATCH_ID}" patternUnits="userSpaceOnUse" width="6" height="6" '
           f'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="#7a7a7a" '
           f'stroke-width="1.5" stroke-opacity="0.55"/></pattern></defs>']
    for i, (first, second) in enumerate(heads):
        x = at(col_x[i] + col_w[i] // 2)
        out.append(f'<text x="{x}" y="{HEAD_H - (22 if second else 8)}" text-anchor="middle" '
                   f'font-weight="bold">{escape(first)}</text>')
        if second:
            out.append(f'<text x="{x}" y="{HEAD_H - 8}" text-anchor="middle" font-weight="bold">{escape(second)}</text>')
    for r, row in enumerate(doc.heatmap):
        y = HEAD_H + r * CELL_H
        out.append(f'<text x="{at(4)}" y="{y + CELL_H // 2 + 4}"{_anchor(start)}>{escape(names[r])}</text>')
        for c, cell in enumerate(row.cells):
            cw = col_w[c]
            x = at(col_x[c], cw)
            counts = dict(jurisdiction=row.jurisdiction_name, design=row.design_name, area=doc.area_titles[c],
                          gaps=cell.gaps, high=cell.high_gaps, met=cell.met, unknown=cell.unknown)
            tip = (ngettext("%(jurisdiction)s, %(design)s, %(area)s: %(gaps)s gap (%(high)s high), %(met)s met, "
                            "%(unknown)s unknown; %(coverage)s of the applicable rules decided",
                            "%(jurisdiction)s, %(design)s, %(area)s: %(gaps)s gaps (%(high)s high), %(met)s met, "
                            "%(unknown)s unknown; %(coverage)s of the applicable rules decided", cell.gaps,
                            coverage=_pct(cell.coverage), **counts)
                   if cell.coverage is not None else
                   ngettext("%(jurisdiction)s, %(design)s, %(area)s: %(gaps)s gap (%(high)s high), %(met)s met, "
                            "%(unknown)s unknown",
                            "%(jurisdiction)s, %(design)s, %(area)s: %(gaps)s gaps (%(high)s high), %(met)s met, "
                            "%(unknown)s unknown", cell.gaps, **counts))
            hatch = (f'<rect x="{x + 1}" y="{y + 1}" width="{cw - 2}" height="{CELL_H - 2}" fill="{HATCH}"/>'
                     if _low_coverage(cell) else "")
            out.append(f'<g><title>{escape(tip)}</title>'
                       f'<rect x="{x + 1}" y="{y + 1}" width="{cw - 2}" height="{CELL_H - 2}" '
                       f'fill="{_fill(cell)}" stroke="#888888" stroke-width="1"/>{hatch}'
                       f'<text x="{x + cw // 2}" y="{y + CELL_H // 2 + 4}" text-anchor="middle" '
                       f'fill="{_ink(cell)}">{escape(_text(cell))}</text></g>')
    ly = HEAD_H + rows * CELL_H + 14
    for line in legend_rows:
        x = 4
        for fill, label in line:
            out.append(f'<rect x="{at(x, 14)}" y="{ly}" width="14" height="14" fill="{fill}" stroke="#888888" '
                       f'stroke-width="1"/><text x="{at(x + 20)}" y="{ly + 11}"{_anchor(start)}>{escape(_label(label))}</text>')
            x += _legend_w(label)
        ly += LEGEND_ROW_H
    out.append(f'<text x="{at(4)}" y="{ly + 11}"{_anchor(start)}>{escape(_(LEGEND_NOTE))}</text>')
    out.append("</svg>")
    return Markup("\n".join(out))
