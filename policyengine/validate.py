"""Cross-checks that no single model can do: references, paths, cycles, examples, sources.

Every check adds :class:`Problem` entries to the workspace with the file and line; nothing is
raised here, so one run reports every problem at once.
"""

from __future__ import annotations

from typing import Any, Iterator

from .consistency import check_rules
from .facts import RATE_PATH, example_value_problem
from .i18n import N_
from .i18n.deferred import L_, Items, Text
from .load import Origin, Workspace
from .models.condition import Compare, ForAll, ForAny, Op
from .models.rule import Lifecycle, Status
from .models.semantics import OPERATORS, quantified, walk
from .paths import PathInfo, base_catalogue, nearest
from .problems import Problem, relative

#: What each kind of fact (paths.PathInfo.kind) is called in a message; English keeps the kind's
#: own word (``enum``), as messages always have.
_KIND_NAMES = {
    "bool": N_("true or false"),
    "number": N_("number"),
    "money": N_("amount of money"),
    "text": N_("text"),
    "enum": N_("one of a set of values"),
    "list": N_("list of values"),
    "items": N_("list of records"),
}


def kind_name(kind: str) -> str:
    """The kind of a fact as a message (its own word in English)."""
    name = _KIND_NAMES.get(kind)
    return Text(name, english=kind) if name else kind


def owner_name(kind: str, ident: str) -> str:
    """``rule X`` or ``derivation Y``, as a message."""
    return L_("rule %(id)s", id=ident) if kind == "rule" else L_("derivation %(id)s", id=ident)


def _problem(ws: Workspace, origin: Origin, loc: tuple[Any, ...], field: str, message: str,
             level: str = "error") -> None:
    ws.problems.append(Problem(relative(origin.doc.file, ws.root), origin.line(*loc), field, message, level))


def check_condition(ws: Workspace, cond: Any, origin: Origin, loc: tuple[Any, ...], field: str,
                    derivations: set[str], owner: str = "") -> list[str]:
    """Check every path, operator and value of a condition; return the derivations it reads
    (``owner``: "rule X" or "derivation Y", named in warnings)."""
    catalogue = base_catalogue()
    used: list[str] = []
    for visit in walk(cond, loc):
        node, where = visit.node, visit.loc
        scope = catalogue.get(visit.scope) if visit.scope else None
        items = scope.items if scope is not None and scope.kind == "items" else ({} if visit.scope else None)
        if not isinstance(node, (Compare, ForAny, ForAll)):
            continue
        if isinstance(node, (ForAny, ForAll)):
            list_path = quantified(node)
            info = catalogue.get(list_path)
            if info is None or info.kind != "items":
                lists = [p for p, i in catalogue.items() if i.kind == "items"]
                _problem(ws, origin, where, field,
                         L_("%(path)s is not a list of records to quantify over; valid: %(valid)s",
                            path=repr(list_path), valid=Items(lists)))
            continue
        path = node.path
        head = path.split(".", 1)[0]
        if head == "item":
            if items is None:
                _problem(ws, origin, where, field, L_("%(path)s is only valid inside for_any / for_all", path=repr(path)))
                continue
            info = items.get(path)
            valid = list(items)
        elif head == "derived":
            name = path[len("derived."):]
            if name not in derivations:
                near = nearest(name, derivations)
                _problem(ws, origin, where, field,
                         L_("unknown derivation %(name)s; did you mean %(near)s?", name=repr(path),
                            near=Items("derived." + n for n in near)) if near
                         else L_("unknown derivation %(name)s", name=repr(path)))
                continue
            if node.op in (Op.exists, Op.missing):
                _problem(ws, origin, where, field,
                         L_("'%(op)s' cannot test a derived fact; compare it with true or false", op=node.op.value))
                continue
            used.append(name)
            info = PathInfo(path, "bool")
            valid = []
        else:
            info = catalogue.get(path)
            valid = list(catalogue)
        if info is None:
            _problem(ws, origin, where, field, _no_field(path, nearest(path, valid)))
            continue
        _check_value(ws, node, info, origin, where, field)
        if OPERATORS[node.op].presence and not info.unlimited:
            _check_presence(ws, node, origin, where, field, owner)
    return used


def _check_presence(ws: Workspace, node: Compare, origin: Origin, where: tuple[Any, ...], field: str,
                    owner: str) -> None:
    """``exists``/``missing`` on a fact that cannot be recorded as none is decided one way only
    (models.semantics: a fact not recorded is unknown, not absent)."""
    if node.op == Op.exists:
        message = L_("%(owner)s: '%(condition)s' can never be false: %(path)s cannot be recorded as none (no limit), "
                     "and a fact not recorded is unknown, not absent; compare its value instead",
                     owner=owner or L_("this condition"), condition=str(node), path=node.path)
    else:
        message = L_("%(owner)s: '%(condition)s' can never be true: %(path)s cannot be recorded as none (no limit), "
                     "and a fact not recorded is unknown, not absent; compare its value instead",
                     owner=owner or L_("this condition"), condition=str(node), path=node.path)
    _problem(ws, origin, where, field, message, "warning")


def _check_value(ws: Workspace, node: Compare, info: PathInfo, origin: Origin, where: tuple[Any, ...], field: str) -> None:
    op, value = node.op, node.value
    spec = OPERATORS[op]
    if spec.arity == "unary":
        return
    values = value if isinstance(value, list) else [value]
    for v in values:
        if isinstance(v, str) and v.startswith("$"):
            if v[1:] not in ws.parameters:
                near = nearest(v[1:], ws.parameters)
                _problem(ws, origin, where, field,
                         L_("unknown parameter %(name)s; did you mean %(near)s?", name=repr(v),
                            near=Items("$" + n for n in near)) if near
                         else L_("unknown parameter %(name)s", name=repr(v)))
            elif info.kind not in ("number", "money"):
                _problem(ws, origin, where, field,
                         L_("%(path)s is %(kind)s, a parameter is a number", path=node.path, kind=kind_name(info.kind)))
            return
    if info.kind not in spec.accepts:
        _problem(ws, origin, where, field, L_(spec.refuses, op=op.value, path=node.path, kind=kind_name(info.kind)))
        return
    if info.kind == "list":  # contains / not contains: the value is one item of the list
        if value not in info.values:
            _problem(ws, origin, where, field, L_("%(value)s is not a valid item of %(path)s; valid: %(valid)s",
                                                  value=repr(value), path=node.path, valid=Items(info.values)))
        return
    for v in values:
        if info.kind in ("number", "money") and (isinstance(v, bool) or not isinstance(v, (int, float))):
            unit = "USD" if info.kind == "money" else kind_name(info.kind)
            _problem(ws, origin, where, field,
                     L_("%(path)s is a number (%(unit)s); found %(found)s", path=node.path, unit=unit, found=repr(v)))
        elif info.kind == "bool" and not isinstance(v, bool):
            _problem(ws, origin, where, field,
                     L_("%(path)s is true or false; found %(found)s", path=node.path, found=repr(v)))
        elif info.kind == "enum" and v not in info.values:
            near = nearest(str(v), info.values)
            _problem(ws, origin, where, field,
                     L_("%(value)s is not a value of %(path)s (valid: %(valid)s); did you mean %(near)s?", value=repr(v),
                        path=node.path, valid=Items(info.values), near=Items(near)) if near
                     else L_("%(value)s is not a value of %(path)s (valid: %(valid)s)", value=repr(v), path=node.path,
                             valid=Items(info.values)))
        if info.percent and isinstance(v, (int, float)) and not 0 <= v <= 100:
            _problem(ws, origin, where, field,
                     L_("%(path)s is a percentage (0 to 100); found %(found)s", path=node.path, found=repr(v)))


def _check_example_facts(ws: Workspace, facts: dict[str, Any], origin: Origin, loc: tuple[Any, ...]) -> None:
    catalogue = base_catalogue()
    for path in facts:
        if path.startswith("derived."):
            _problem(ws, origin, loc + ("facts", path), "facts",
                     L_("%(path)s: derived facts are concluded by derivations, not given in examples", path=repr(path)))
        elif path not in catalogue:
            _problem(ws, origin, loc + ("facts", path), "facts", _no_field(path, nearest(path, catalogue)))
        elif (wrong := example_value_problem(path, facts[path])) is not None:
            _problem(ws, origin, loc + ("facts", path), "facts", wrong)


def _derivation_cycles(ws: Workspace, reads: dict[str, list[str]]) -> None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(name: str) -> None:
        state[name] = 1
        stack.append(name)
        for nxt in reads.get(name, []):
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt):] + [nxt]
                origin = ws.origin("derivation", name)
                if origin:
                    _problem(ws, origin, ("when",), "when",
                             L_("derivations form a cycle: %(cycle)s", cycle=" -> ".join(cycle)))
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[name] = 2

    for name in sorted(reads):
        if name not in state:
            visit(name)


def validate_workspace(ws: Workspace) -> list[Problem]:
    """Run every cross-check; problems are added to ``ws.problems`` and returned."""
    derivations = set(ws.derivations)
    bib = set(ws.bibliography)
    # rulesets: principles, rules, derivations
    for pid, principle in ws.principles.items():
        origin = ws.origin("principle", pid)
        for i, c in enumerate(principle.citations):
            if c.ref not in bib and origin:
                _cite(ws, origin, ("citations", i, "ref"), c.ref, bib)
    reads: dict[str, list[str]] = {}
    for name, derivation in ws.derivations.items():
        origin = ws.origin("derivation", name)
        assert origin is not None
        reads[name] = check_condition(ws, derivation.when, origin, ("when",), "when", derivations,
                                      owner_name("derivation", name))
        for i, c in enumerate(derivation.citations):
            if c.ref not in bib:
                _cite(ws, origin, ("citations", i, "ref"), c.ref, bib)
        for i, dex in enumerate(derivation.examples):
            _check_example_facts(ws, dex.facts, origin, ("examples", i))
    _derivation_cycles(ws, reads)
    aliases: dict[str, str] = {}
    for rid, rule in ws.rules.items():
        origin = ws.origin("rule", rid)
        assert origin is not None
        if rule.principle not in ws.principles:
            near = nearest(rule.principle, ws.principles)
            _problem(ws, origin, ("principle",), "principle",
                     L_("unknown principle %(name)s; did you mean %(near)s?", name=repr(rule.principle), near=Items(near))
                     if near else L_("unknown principle %(name)s", name=repr(rule.principle)))
        for i, p in enumerate(rule.also_serves):
            if p not in ws.principles:
                _problem(ws, origin, ("also_serves", i), "also_serves", L_("unknown principle %(name)s", name=repr(p)))
        if rule.applies_if is not None:
            check_condition(ws, rule.applies_if, origin, ("applies_if",), "applies_if", derivations,
                            owner_name("rule", rule.id))
        check_condition(ws, rule.requires, origin, ("requires",), "requires", derivations, owner_name("rule", rule.id))
        for i, c in enumerate(rule.citations):
            if c.ref not in bib:
                _cite(ws, origin, ("citations", i, "ref"), c.ref, bib)
        expected = {ex.expect for ex in rule.examples}
        lacking = [s.value for s in (Status.gap, Status.met) if s not in expected]
        if lacking:
            _problem(ws, origin, ("examples",) if rule.examples else ("id",), "examples",
                     L_("a rule needs at least one 'gap' and one 'met' example; missing: %(missing)s",
                        missing=Items(lacking)))
        for i, ex in enumerate(rule.examples):
            _check_example_facts(ws, ex.facts, origin, ("examples", i))
            if ex.expect == Status.unknown and not ex.missing:
                _problem(ws, origin, ("examples", i, "expect"), "examples",
                         L_("example %(name)s expects unknown: list the facts it lacks under `missing`", name=repr(ex.name)))
        for i, alias in enumerate(rule.aliases):
            retired = ws.rules.get(alias)
            if retired is not None and retired.status == Lifecycle.deprecated and rule.status != Lifecycle.deprecated:
                aliases[alias] = rid  # the duplicate this rule replaces, kept deprecated so old reports stay explainable
                continue
            if alias in ws.rules or alias in aliases:
                _problem(ws, origin, ("aliases", i), "aliases", L_("alias %(alias)s is already a rule id or alias",
                                                                   alias=repr(alias)))
            aliases[alias] = rid
    # jurisdictions and designs: every fact's source must resolve
    for jid in ws.profiles:
        origin = ws.origin("profile", jid)
        assert origin is not None
        known = ws.source_ids(jid)
        for loc, ref in _fact_sources(origin.doc.data, ()):
            if ref not in known:
                _cite(ws, origin, loc, ref, known)
    for jid, designs in ws.designs.items():
        if jid not in ws.profiles:
            continue
        known = ws.source_ids(jid)
        for did in designs:
            origin = ws.origin("design", f"{jid}/{did}")
            assert origin is not None
            for loc, ref in _fact_sources(origin.doc.data, ()):
                if ref not in known:
                    _cite(ws, origin, loc, ref, known)
    for did in ws.archetypes:
        origin = ws.origin("design", f"/{did}")
        assert origin is not None
        for loc, ref in _fact_sources(origin.doc.data, ()):
            if ref not in bib:
                _cite(ws, origin, loc, ref, bib)
    _check_currencies(ws)
    _check_rule_evidence(ws)
    _check_parameter_dates(ws)
    _check_guidance(ws)
    if not any(p.level == "error" for p in ws.problems):  # consistency needs rules that load and check
        ws.problems.extend(check_rules(ws, {pid: p.value_at(None).value for pid, p in ws.parameters.items()}))
    return ws.problems


def _params_of(cond: Any) -> set[str]:
    return {name for v in walk(cond) if isinstance(v.node, Compare) for name in v.node.parameters()}


def _check_parameter_dates(ws: Workspace) -> None:
    """A discontinued design is judged with the thresholds in force when it ended; where a
    parameter read by a rule in the design's scope (or by a derivation) took its first value
    only later, that later value is used, and the reader should know: record the value in force
    then, with its source. Parameters marked ``timeless`` (a judgement of the ruleset, a unit of
    measurement) hold at any date."""
    from .engine import CompiledRuleset
    from .engine.logic import evaluate
    from .evidence import kinds_of
    from .facts import build
    from .models.common import period_end

    ended = [(jid, did, design, design.ended.value) for jid, designs in sorted(ws.designs.items()) if jid in ws.profiles
             for did, design in sorted(designs.items()) if design.ended is not None]
    if not ended:
        return
    params = {pid: p.value_at(None).value for pid, p in ws.parameters.items()}
    dated = {pid for pid, p in ws.parameters.items() if not p.timeless}
    reference = CompiledRuleset(ws.active_rules(True), ws.derivations, params, ruleset_name=ws.ruleset_name,
                                ruleset_version=ws.ruleset_version, principles=ws.principles)
    for jid, did, design, end_value in ended:
        origin = ws.origin("design", f"{jid}/{did}")
        if origin is None:
            continue
        # The rules whose scope the design's recorded facts do not already rule out.
        table = build(ws.profiles[jid], design, kinds_of(ws, jid))
        who = table.with_derived(reference.derive_python(table)[0])
        read: set[str] = set()
        for rule in ws.rules.values():
            if rule.status == Lifecycle.deprecated:
                continue
            if rule.applies_if is not None and evaluate(rule.applies_if, who, params).value is False:
                continue
            read |= _params_of(rule.requires) | (_params_of(rule.applies_if) if rule.applies_if else set())
        for derivation in ws.derivations.values():
            read |= _params_of(derivation.when)
        end = period_end(end_value)
        for pid in sorted(read & dated):
            first = min(v.since for v in ws.parameters[pid].values)
            if first > end:
                _problem(ws, origin, ("ended",), "ended", L_(
                    "judged at %(end)s, when the design ended, but parameter %(param)s has no value before "
                    "%(since)s: that later value is used (add the value in force then, with its source)",
                    end=end_value, param=pid, since=first), level="warning")


def _check_rule_evidence(ws: Workspace) -> None:
    """A rule's evidence requirement must name a path the rule (or a derivation it uses) reads."""
    catalogue = base_catalogue()
    for rid, rule in ws.rules.items():
        origin = ws.origin("rule", rid)
        if origin is None:
            continue
        for path in rule.evidence:
            if path not in catalogue:
                _problem(ws, origin, ("evidence", path), "evidence", _no_field(path, nearest(path, catalogue)))


def _check_guidance(ws: Workspace) -> None:
    """Every lever, rule, fact path and source a guidance file names must exist."""
    catalogue = base_catalogue()
    facts = [p for p in catalogue if p.startswith("jurisdiction.")]
    for gid, guide in ws.guidance.items():
        origin = ws.origin("guidance", gid)
        assert origin is not None
        for i, c in enumerate(guide.citations):
            if c.ref not in ws.bibliography:
                _cite(ws, origin, ("citations", i, "ref"), c.ref, set(ws.bibliography))
        levers: set[str] = set()
        for i, lever in enumerate(guide.levers):
            if lever.id in levers:
                _problem(ws, origin, ("levers", i, "id"), "levers", L_("duplicate lever id %(id)s", id=repr(lever.id)))
            levers.add(lever.id)
            for k, rid in enumerate(lever.rules):
                rule = ws.rules.get(rid)
                if rule is None:
                    near = nearest(rid, ws.rules)
                    _problem(ws, origin, ("levers", i, "rules", k), "rules",
                             L_("unknown rule %(name)s; did you mean %(near)s?", name=repr(rid), near=Items(near))
                             if near else L_("unknown rule %(name)s", name=repr(rid)))
                elif rule.status.value == "deprecated":
                    _problem(ws, origin, ("levers", i, "rules", k), "rules",
                             L_("rule %(name)s is deprecated: name the rule that replaces it", name=repr(rid)), "warning")
        barriers: set[str] = set()
        for i, barrier in enumerate(guide.barriers):
            if barrier.id in barriers:
                _problem(ws, origin, ("barriers", i, "id"), "barriers",
                         L_("duplicate barrier id %(id)s", id=repr(barrier.id)))
            barriers.add(barrier.id)
            for k, c in enumerate(barrier.citations):
                if c.ref not in ws.bibliography:
                    _cite(ws, origin, ("barriers", i, "citations", k, "ref"), c.ref, set(ws.bibliography))
            for k, path in enumerate(barrier.facts):
                info = catalogue.get(path)
                if info is None or not path.startswith("jurisdiction.") or info.kind == "items":
                    near = nearest(path, facts)
                    _problem(ws, origin, ("barriers", i, "facts", k), "facts",
                             L_("%(path)s is not a jurisdiction fact; did you mean %(near)s?", path=repr(path),
                                near=Items(near)) if near
                             else L_("%(path)s is not a jurisdiction fact", path=repr(path)))
            for k, lid in enumerate(barrier.levers):
                if lid not in levers:
                    near = nearest(lid, [lv.id for lv in guide.levers])
                    _problem(ws, origin, ("barriers", i, "levers", k), "levers",
                             L_("unknown lever %(name)s; did you mean %(near)s?", name=repr(lid), near=Items(near))
                             if near else L_("unknown lever %(name)s", name=repr(lid)))


def _check_currencies(ws: Workspace) -> None:
    """Warn where a design's limits cannot be converted to USD (see RATE_PATH)."""
    for jid, designs in ws.designs.items():
        profile = ws.profiles.get(jid)
        if profile is None:
            continue
        for did, design in designs.items():
            currency = design.currency or profile.currency
            origin = ws.origin("design", f"{jid}/{did}")
            has_money = any(
                getattr(design, f) is not None for f in ("holding_limit", "offline_limit", "kyc_tiers"))
            if origin and has_money and currency != "USD" and profile.exchange_rate_per_usd is None:
                _problem(ws, origin, ("currency",) if design.currency else ("id",), "currency",
                         L_("limits in %(currency)s cannot be compared with USD thresholds: the profile has no "
                            "%(field)s, so rules on amounts will report unknown", currency=currency,
                            field=RATE_PATH.split(".", 1)[1]), "warning")
            if origin and currency not in ("USD", profile.currency) and has_money:
                _problem(ws, origin, ("currency",), "currency",
                         L_("limits in %(currency)s but the jurisdiction's rate is for %(rate_currency)s",
                            currency=currency, rate_currency=profile.currency), "warning")


def fact_mappings(data: Any, loc: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], dict[str, Any]]]:
    """Every fact mapping (one with ``value`` and ``source``) of a loaded YAML document."""
    if isinstance(data, dict):
        if "value" in data and "source" in data:
            yield loc, data
            return
        for k, v in data.items():
            if k != "sources":
                yield from fact_mappings(v, loc + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from fact_mappings(v, loc + (i,))


def _ref(source: Any) -> str | None:
    ref = source.get("ref") if isinstance(source, dict) else source
    return ref if isinstance(ref, str) else None


def _fact_sources(data: Any, loc: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], str]]:
    """The source id of every fact, and of every conflicting or earlier value it records."""
    for where, fact in fact_mappings(data, loc):
        if (ref := _ref(fact["source"])) is not None:
            yield where + ("source",), ref
        for key in ("conflicts", "earlier"):
            for i, c in enumerate(fact.get(key) or []):
                if isinstance(c, dict) and (r := _ref(c.get("source"))) is not None:
                    yield where + (key, i, "source"), r


def _cite(ws: Workspace, origin: Origin, loc: tuple[Any, ...], ref: str, known: set[str]) -> None:
    near = nearest(ref, known)
    _problem(ws, origin, loc, ".".join(str(p) for p in loc),
             L_("unknown source %(name)s: add it to the bibliography; did you mean %(near)s?", name=repr(ref),
                near=Items(near)) if near
             else L_("unknown source %(name)s: add it to the bibliography", name=repr(ref)))


def _no_field(path: str, near: list[str]) -> str:
    if near:
        return L_("no model has the field %(path)s; did you mean %(near)s?", path=repr(path), near=Items(near))
    return L_("no model has the field %(path)s", path=repr(path))
