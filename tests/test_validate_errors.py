"""`policyengine validate` reports every bad input at once, as file:line: field: message,
exits 2, and never shows a traceback."""

from __future__ import annotations

from click.testing import CliRunner

from policyengine.cli import main

from .conftest import RULE_OFFLINE

BAD = {
    # YAML syntax error
    "rulesets/rules/aml/AML-BROKEN.yaml": "id: AML-BROKEN\ntitle: [unclosed\n",
    # duplicate key
    "rulesets/rules/aml/AML-DUP-KEY.yaml": RULE_OFFLINE.replace("id: AML-OFFLINE-CAP", "id: AML-DUP-KEY\nseverity: low"),
    # unsafe tag
    "rulesets/rules/aml/AML-TAG.yaml": "id: !!python/object/apply:os.system ['touch /tmp/pwned']\n",
    # alias bomb
    "rulesets/rules/aml/AML-BOMB.yaml": "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n",
    # wrong type, out of range, unknown field, fact without a source
    "jurisdictions/YY/profile.yaml": (
        "id: YY\nname: Badland\nregion: africa\ncurrency: YYY\n"
        "inclusion:\n"
        "  account_ownership_pct: {value: 150, source: yy-src}\n"
        "  mobile_phone_ownership_pct: {value: many, source: yy-src}\n"
        "  internet_use_pc: {value: 20, source: yy-src}\n"
        "legal:\n"
        "  data_protection_law: {value: true}\n"
        "sources:\n  - {id: yy-src, title: S, publisher: P, year: 2024, evidence: official}\n"),
    # a condition naming a field no model has; unknown principle; unknown derivation
    "rulesets/rules/aml/AML-TYPO.yaml": RULE_OFFLINE.replace("id: AML-OFFLINE-CAP", "id: AML-TYPO")
        .replace("principle: AML-1", "principle: AML-9")
        .replace('requires: "design.offline_limit <= $de_minimis_usd"', 'requires: "design.ofline_limit <= $de_minimis_usd"')
        .replace('applies_if: "design.offline in [limited, full]"', 'applies_if: "derived.low_acounts == true"'),
    # duplicate rule id
    "rulesets/rules/inclusion/AML-OFFLINE-CAP-COPY.yaml": RULE_OFFLINE,
    # a derivation cycle
    "rulesets/derivations/cycle_a.yaml": "id: cycle_a\ntitle: A\nwhen: \"derived.cycle_b == true\"\nrationale: r\ncitations: [{ref: pafi}]\n",
    "rulesets/derivations/cycle_b.yaml": "id: cycle_b\ntitle: B\nwhen: \"derived.cycle_a == true\"\nrationale: r\ncitations: [{ref: pafi}]\n",
    # a rule without a gap and a met example
    "rulesets/rules/inclusion/INCL-NO-EXAMPLES.yaml": (
        "id: INCL-NO-EXAMPLES\ntitle: t\nprinciple: INCL-1\nseverity: low\nrequires: \"design.fees_to_individuals == none\"\n"
        "finding: f\nrecommendation: r\nrationale: r\ncitations: [{ref: pafi}]\n"
        "examples:\n  - {name: only-met, facts: {design.fees_to_individuals: none}, expect: met}\n"),
}

EXPECTED = [
    "jurisdictions/YY/profile.yaml:6: inclusion.account_ownership_pct.value: Input should be less than or equal to 100 (found 150)",
    "jurisdictions/YY/profile.yaml:7: inclusion.mobile_phone_ownership_pct.value: Input should be a valid number, unable to parse string as a number (found 'many')",
    "jurisdictions/YY/profile.yaml:8: inclusion.internet_use_pc: unknown field 'internet_use_pc'; did you mean internet_use_pct?",
    "jurisdictions/YY/profile.yaml:10: legal.data_protection_law: this fact has no source: every fact needs `source` (a bibliography id)",
    "rulesets/derivations/cycle_b.yaml:3: when: derivations form a cycle: cycle_a -> cycle_b -> cycle_a",
    "rulesets/rules/aml/AML-BOMB.yaml:1: YAML aliases (*name) are not allowed: the value anchored here is reused; write it out",
    "rulesets/rules/aml/AML-BROKEN.yaml:3: YAML syntax: expected ',' or ']', but got '<stream end>'",
    "rulesets/rules/aml/AML-DUP-KEY.yaml:5: duplicate key 'severity' (first at line 2)",
    "rulesets/rules/aml/AML-TAG.yaml:1: the tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed: only plain data is read",
    "rulesets/rules/aml/AML-TYPO.yaml:3: principle: unknown principle 'AML-9'; did you mean AML-1?",
    "rulesets/rules/aml/AML-TYPO.yaml:5: applies_if: unknown derivation 'derived.low_acounts'; did you mean derived.low_accounts?",
    "rulesets/rules/aml/AML-TYPO.yaml:6: requires: no model has the field 'design.ofline_limit'; did you mean design.offline_limit, design.holding_limit, design.offline?",
    "rulesets/rules/inclusion/AML-OFFLINE-CAP-COPY.yaml:1: id: duplicate rule id 'AML-OFFLINE-CAP' (first in rulesets/rules/aml/AML-OFFLINE-CAP.yaml)",
    "rulesets/rules/inclusion/INCL-NO-EXAMPLES.yaml:10: examples: a rule needs at least one 'gap' and one 'met' example; missing: gap",
]


def test_every_bad_input_is_reported_with_file_line_field(make_ws) -> None:
    root = make_ws(BAD)
    result = CliRunner().invoke(main, ["validate", "--workspace", str(root)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.endswith(")") or ":" in line]
    for expected in EXPECTED:
        assert expected in lines, f"missing: {expected}\n--- got:\n{result.output}"
    assert f"{len(EXPECTED)} error(s)" in result.output
    assert not (root / "tmp-pwned").exists()


def test_a_clean_workspace_validates(make_ws) -> None:
    result = CliRunner().invoke(main, ["validate", "--workspace", str(make_ws())])
    assert result.exit_code == 0, result.output
    assert "2 rules, 1 derivations, 1 jurisdictions, 1 designs" in result.output


def test_condition_syntax_and_value_errors(make_ws) -> None:
    bad_rule = RULE_OFFLINE.replace('requires: "design.offline_limit <= $de_minimis_usd"',
                                    'requires:\n  all:\n    - "design.offline_limit = 5"\n    - "design.offline == sometimes"\n'
                                    '    - "design.offline_limit <= $de_minimis"\n    - "item.identity == none"')
    root = make_ws({"rulesets/rules/aml/AML-OFFLINE-CAP.yaml": bad_rule})
    result = CliRunner().invoke(main, ["validate", "--workspace", str(root)])
    assert result.exit_code == 2
    assert ("rulesets/rules/aml/AML-OFFLINE-CAP.yaml:8: requires.all.0: cannot read condition 'design.offline_limit = 5': "
            "write 'path operator value'") in result.output
    # the file fails to load at the first error, so the other parts are checked once it is fixed
    fixed = bad_rule.replace('"design.offline_limit = 5"', '"design.offline_limit <= 5"')
    root = make_ws({"rulesets/rules/aml/AML-OFFLINE-CAP.yaml": fixed})
    out = CliRunner().invoke(main, ["validate", "--workspace", str(root)]).output
    assert ("AML-OFFLINE-CAP.yaml:9: requires: 'sometimes' is not a value of design.offline "
            "(valid: none, limited, full)") in out
    assert "AML-OFFLINE-CAP.yaml:10: requires: unknown parameter '$de_minimis'; did you mean $de_minimis_usd?" in out
    assert "AML-OFFLINE-CAP.yaml:11: requires: 'item.identity' is only valid inside for_any / for_all" in out


def test_a_field_in_the_wrong_section_names_where_it_belongs(make_ws) -> None:
    """A real field indented under the wrong section is not 'unknown': the message says where it
    is recorded (a non-programmer's most common slip), and never suggests the same name back."""
    profile = (
        "id: YY\nname: Badland\nregion: africa\ncurrency: YYY\n"
        "legal:\n"
        "  internet_use_pct: {value: 20, source: yy-src}\n"
        "sources:\n  - {id: yy-src, title: S, publisher: P, year: 2024, evidence: official}\n")
    root = make_ws({"jurisdictions/YY/profile.yaml": profile})
    result = CliRunner().invoke(main, ["validate", "--workspace", str(root)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert ("jurisdictions/YY/profile.yaml:6: legal.internet_use_pct: field 'internet_use_pct' does not belong here: "
            "it is recorded at jurisdiction.inclusion.internet_use_pct (check its indentation)") in result.output
    assert "did you mean internet_use_pct" not in result.output
