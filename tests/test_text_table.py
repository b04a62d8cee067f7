"""The terminal table of `assess`: every row's columns line up under the header, whatever the
length of the area names (financial_stability, operational_resilience pushed them out before)."""

from __future__ import annotations

from policyengine import api
from policyengine.render.text import assessment_table


def test_the_area_table_columns_line_up() -> None:
    text = assessment_table(api.assess("NG", "enaira"), verbose=False)
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("area "))
    table = lines[start:]
    table = table[:next(i for i, line in enumerate(table) if not line.strip())]
    assert len(table) > 10 and table[-1].startswith("all areas")
    header = table[0]
    # The right edge of each right-aligned column ("gap" ... "decided") is the same on every row.
    for column in ("gap", "met", "unknown", "n/a", "high gaps", "score", "decided"):
        edge = header.index(column) + len(column)
        for row in table[1:]:
            assert row[edge - 1] != " " and (edge == len(row) or row[edge] == " "), (column, row)
