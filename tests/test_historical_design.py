"""A discontinued design is judged against the country as it was: a jurisdiction fact dated after
the design ended is shown, flagged, and not used (issue 10: Uruguay's 2017 e-Peso pilot was 'met'
on a remote-identity service that exists since 2022)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from policyengine import api
from policyengine.models.common import dated_after
from policyengine.models.design import Design
from policyengine.models.rule import Status
from policyengine.render.text import why_lines


@pytest.mark.parametrize(("as_of", "ended", "after"), [
    ("2019", "2018", True), ("2018-06", "2018", False), ("2018-12-31", "2018", False),
    ("2018-05-04", "2018-05-03", True), ("2018-05", "2018-05-03", False), ("2017", "2018-05-03", False),
    ("2018-06", "2018-05", True), ("2022-12-23", "2018-05-03", True),
])
def test_a_date_is_after_the_end_only_when_it_wholly_follows_it(as_of: str, ended: str, after: bool) -> None:
    assert dated_after(as_of, ended) is after


def test_only_a_discontinued_design_has_an_end_date() -> None:
    base = dict(id="x", name="X", kind="retail_cbdc", issuer="central_bank",
                ended={"value": "2018", "source": "xx-cb", "as_of": "2021"})
    ended = Design.model_validate({**base, "status": "discontinued"}).ended
    assert ended is not None and ended.value == "2018" and ended.source_ref == "xx-cb"
    with pytest.raises(ValidationError, match="only a discontinued design has an end date"):
        Design.model_validate({**base, "status": "pilot"})


def test_facts_dated_after_the_pilot_are_flagged_and_not_used() -> None:
    # Ecuador records today's instant payment system (2025) and no value of Dinero Electronico's
    # period (2014-2018): the design cannot read it.
    ws = api.workspace()
    profile, design, table = api.fact_table(ws, "EC", "dinero-electronico")
    assert design.ended is not None and design.ended.value == "2018"
    recorded = profile.payments.instant_payment_system
    assert recorded is not None and recorded.value is True and (recorded.as_of or "") > "2018" and not recorded.earlier
    fv = table.get("jurisdiction.payments.instant_payment_system")
    assert fv is not None and fv.value is None and fv.display == "yes"
    assert fv.held_back == "not used: dated after the design ended (2018)"
    # the context facts stay: today's stance on a CBDC, the exchange rate
    assert table.value("jurisdiction.cbdc_status") is not None
    # the finding that rested on it is unknown, and says which fact it lacks
    a = api.assess("EC", "dinero-electronico", ws)
    f = next(f for f in a.findings if f.rule_id == "INTEROP-INSTANT-WITH-FPS")
    assert f.status == Status.unknown
    text = "\n".join(why_lines(api.explain("INTEROP-INSTANT-WITH-FPS", "EC", "dinero-electronico", ws)))
    assert "jurisdiction.payments.instant_payment_system = yes" in text
    assert "not used: dated after the design ended (2018)" in text


def test_a_running_design_uses_every_fact() -> None:
    _, design, table = api.fact_table(api.workspace(), "NG", "enaira")
    assert design.ended is None
    assert not [p for p, f in table.facts.items() if f.held_back]


def test_a_discontinued_design_describes_a_system_that_ran_so_nothing_of_it_goes_stale() -> None:
    ws = api.workspace()
    _, design, table = api.fact_table(ws, "UY", "e-peso-pilot")
    channels = table.get("design.channels")
    assert channels is not None and channels.as_of is not None and channels.as_of < "2019"
    assert channels.stale is None  # a 2017 channel of a pilot that ended in 2018 is history, not stale
    warnings = [p for p in api.validate() if "goes stale" in p.message]
    assert not [p for p in warnings if "e-peso-pilot" in p.file or "dinero-electronico" in p.file]
    # a running design's operational statuses still do
    assert any("designs/" in p.file for p in warnings)
