"""What one running server holds: the loaded workspace, its compiled ruleset, the sessions.

The workspace is loaded and validated once at start, and the ruleset compiled once (for the
longest wallet-tier list a what-if may have, :data:`~policyengine.models.design.MAX_TIERS`), so
a request only assesses. Every call into the engine or the document renderer holds one lock:
the compiled durable-rules networks and the renderer's process-wide memory budget are not
meant for concurrent use, and an assessment takes about 20 ms.

Every page is in one language (:mod:`policyengine.web.language` sets it for the request): the
ruleset texts a page shows (rule titles, findings, recommendations, principles, derivations)
come from the workspace localised into that language (:func:`policyengine.i18n.localise.localise`,
as the documents do), each with its own compiled ruleset, made on the first request in that
language. Assessments are cached by language, jurisdiction and design.

Request values never name files: a jurisdiction, design, rule or region is looked up among the
loaded ones (:meth:`Server.profile`, :meth:`Server.design`, ...) and refused with
:class:`~policyengine.problems.NotFound` otherwise.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import api, facts, i18n
from ..evidence import kinds_of
from ..explain import Explanation
from ..facts import FactTable
from ..i18n import _
from ..i18n.localise import localise
from ..load import Workspace
from ..models import Assessment, Design, JurisdictionProfile
from ..models.design import MAX_TIERS
from ..models.jurisdiction import Region
from ..problems import NotFound
from .sessions import SessionStore


class Server:
    """The state of one ``policyengine serve``."""

    def __init__(self, workspace: api.WorkspaceLike = None, *, writable: bool = False,
                 sessions: SessionStore | None = None) -> None:
        self.ws: Workspace = api.workspace(workspace)
        self.writable = writable
        self.sessions = sessions or SessionStore()
        self.lock = threading.RLock()
        self.list_slots = MAX_TIERS
        with self.lock:  # compile now, not on the first request
            api.compile_ruleset(self.ws, list_slots=self.list_slots).compile_engine()
        self._assess_cached = lru_cache(maxsize=512)(self._assess_recorded)
        self._heatmaps: dict[tuple[str, str], Any] = {}
        self._recorded_table = lru_cache(maxsize=128)(self._table)

    # -- the workspace in the language of the request ---------------------------------------
    def localised(self) -> Workspace:
        """The workspace with its ruleset texts in the current language (``self.ws`` in English),
        its ruleset compiled for what-ifs (once per language)."""
        if i18n.language() == "en":
            return self.ws
        with self.lock:
            loaded: Workspace = localise(self.ws)
            api.compile_ruleset(loaded, list_slots=self.list_slots).compile_engine()
            return loaded

    # -- ids from requests, checked against what is loaded ---------------------------------
    def profile(self, jurisdiction_id: str) -> JurisdictionProfile:
        """The jurisdiction's profile (its name as the current language writes it)."""
        profile = self.localised().profiles.get(jurisdiction_id)
        if profile is None:
            raise NotFound(_("no jurisdiction %(id)r") % {"id": jurisdiction_id[:40]})
        return profile

    def design_ids(self, jurisdiction_id: str) -> tuple[list[str], list[str]]:
        """The jurisdiction's own designs and the archetypes, by id."""
        return sorted(self.ws.designs.get(jurisdiction_id, {})), sorted(self.ws.archetypes)

    def design(self, jurisdiction_id: str, design_id: str) -> Design:
        self.profile(jurisdiction_id)
        design = self.ws.design(jurisdiction_id, design_id)
        if design is None:
            raise NotFound(_("no design %(design)r for %(jid)s") % {"design": design_id[:60], "jid": jurisdiction_id})
        return design

    def rule_id(self, rule_id: str) -> str:
        rule = self.ws.rule_by_id_or_alias(rule_id)
        if rule is None:
            raise NotFound(_("no rule %(id)r") % {"id": rule_id[:60]})
        return rule.id

    def region(self, region: str) -> str:
        if region not in {r.value for r in Region}:  # a URL names the id exactly (no spelling variants)
            raise NotFound(_("no region %(id)r") % {"id": region[:40]})
        return region

    def currency(self, jurisdiction_id: str, design: Design) -> str:
        return design.currency or self.profile(jurisdiction_id).currency

    # -- assessments -----------------------------------------------------------------------
    def _assess_recorded(self, lang: str, jurisdiction_id: str, design_id: str) -> Assessment:
        return self.assess_design(jurisdiction_id, self.design(jurisdiction_id, design_id))

    def assess(self, jurisdiction_id: str, design_id: str) -> Assessment:
        """The recorded design's assessment in the current language (cached: the workspace does
        not change while serving)."""
        self.design(jurisdiction_id, design_id)
        return self._assess_cached(i18n.language(), jurisdiction_id, design_id)

    def assess_design(self, jurisdiction_id: str, design: Design) -> Assessment:
        with self.lock:
            return api.assess_design(jurisdiction_id, design, self.localised(), list_slots=self.list_slots)

    def fact_tables(self, jurisdiction_id: str, *designs: Design) -> tuple[FactTable, ...]:
        """The fact tables of designs for a jurisdiction (what a what-if's comparison reads)."""
        profile = self.profile(jurisdiction_id)
        kinds = kinds_of(self.ws, profile.id)
        return tuple(self._recorded_table(i18n.language(), jurisdiction_id, d.id) if self.ws.design(jurisdiction_id, d.id) is d
                     else facts.build(profile, d, kinds) for d in designs)

    def _table(self, lang: str, jurisdiction_id: str, design_id: str) -> FactTable:
        profile = self.profile(jurisdiction_id)
        return facts.build(profile, self.design(jurisdiction_id, design_id), kinds_of(self.ws, profile.id))

    def explain(self, rule_id: str, jurisdiction_id: str, design: Design) -> Explanation:
        with self.lock:
            return api.explain_design(rule_id, jurisdiction_id, design, self.localised(), list_slots=self.list_slots)

    def heatmap(self, region: str) -> Any:
        """The region's handout set (heat-map rows), built once per region."""
        from ..render.documents import build_handout_set

        self.region(region)
        key = (i18n.language(), region)
        if key not in self._heatmaps:
            with self.lock:
                self._heatmaps[key] = build_handout_set(self.localised(), region, lang=i18n.language())[0]
        return self._heatmaps[key]

    def reload(self) -> None:
        """Load the workspace again (after answers were imported into it) and forget every
        assessment made from the old one."""
        with self.lock:
            self.ws = api.workspace(self.ws.root)
            api.compile_ruleset(self.ws, list_slots=self.list_slots).compile_engine()
            self._assess_cached.cache_clear()
            self._recorded_table.cache_clear()
            self._heatmaps.clear()

    def whatif_folder(self) -> Path:
        """Where ``--writable`` saves what-ifs: ``whatifs/`` of the workspace, a folder the loader
        does not read, so a saved proposal never changes the workspace's findings by itself."""
        return self.ws.root / "whatifs"
