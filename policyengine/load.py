"""Load a workspace: YAML files into models, every problem collected with its file and line.

A workspace is a folder with any of ``rulesets/``, ``jurisdictions/`` and ``templates/`` (and an
optional ``workspace.yaml``). How it combines with the shipped content (ADR 0003):

- ``rulesets/``: a workspace's own folder **replaces** the shipped rulesets whole (a ruleset is
  one versioned unit: its rules, principles, parameters and bibliography cite each other).
- ``jurisdictions/``: **overlays** the shipped one file by file. The team's own profiles and
  designs sit beside the shipped ones; a file at the same path (same jurisdiction code, same
  design id) overrides the shipped file and ``validate`` says so in a note. The shipped layer
  (the peers and the archetypes) is there whenever the workspace uses the shipped rulesets,
  whose bibliography it cites; ``workspace.yaml`` can turn it off (``shipped_jurisdictions:
  false``, a private run) or on beside a workspace's own rulesets (``true``).
- ``templates/``: overlays the shipped templates file by file (see ``render.environment``).

The shipped content lives in the installed package (``policyengine/_content``, read through
:mod:`importlib.resources`); in a source checkout it is the checkout's own top-level folders.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import orjson
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from . import cache, input_errors
from .i18n import N_
from .i18n.deferred import L_, Items, Text, from_data, to_data
from .models import (
    BibliographyEntry,
    Derivation,
    Design,
    JurisdictionProfile,
    Parameter,
    Principle,
    Rule,
    RulesetInfo,
)
from .models.guidance import Guidance
from .models.rule import Lifecycle
from .problems import WHOLE_FILE, InvalidWorkspace, PolicyEngineError, Problem, relative
from .yamlio import Document, YamlError, read_yaml

M = TypeVar("M", bound=BaseModel)

ENV_WORKSPACE = "POLICYENGINE_WORKSPACE"
#: The folders of shipped content; the wheel carries them as ``policyengine/_content/<name>``.
CONTENT_FOLDERS = ("rulesets", "jurisdictions", "templates", "schemas")
SETTINGS_FILE = "workspace.yaml"


class NoContent(PolicyEngineError):
    """There is nothing to work with: no principles, no rules or no templates were found."""


def packaged_content() -> Path | None:
    """The content folder inside the installed package, if the package carries one."""
    # A wheel is always installed unpacked, so the package's resources are a real folder on
    # disk beside this module (what importlib.resources.files would return, without its imports).
    folder = Path(__file__).resolve().parent / "_content"
    if (folder / "rulesets").is_dir():
        return folder
    return None


def checkout_root() -> Path:
    """The top folder of a source checkout (where ``rulesets/`` sits beside ``policyengine/``)."""
    return Path(__file__).resolve().parent.parent


def shipped_root() -> Path:
    """The folder holding the shipped content: the installed package's ``_content`` folder,
    else the source checkout the package runs from."""
    return packaged_content() or checkout_root()


def is_installed_content(path: Path) -> bool:
    """True for the content inside an installed package, which no command may write into."""
    packaged = packaged_content()
    return packaged is not None and path.resolve() == packaged.resolve()


def resolve_workspace(workspace: str | Path | None = None) -> Path:
    if workspace is None:
        workspace = os.environ.get(ENV_WORKSPACE) or shipped_root()
    return Path(workspace).resolve()


@dataclass(frozen=True)
class Origin:
    """Where a model came from: its file, and its location inside the file."""

    doc: Document
    loc: tuple[Any, ...] = ()

    def line(self, *sub: Any) -> int:
        return self.doc.line_of(self.loc + tuple(sub))


@dataclass
class Workspace:
    """Everything a workspace holds, validated field by field."""

    root: Path
    rulesets_dir: Path
    jurisdictions_dir: Path  # the workspace's own folder if it has one, else the shipped one
    templates_dir: Path
    #: the folders whose files make up the jurisdictions, lowest first (shipped, then own)
    jurisdiction_layers: list[Path] = field(default_factory=list)
    shipped_dir: Path | None = None
    info: RulesetInfo | None = None
    bibliography: dict[str, BibliographyEntry] = field(default_factory=dict)
    parameters: dict[str, Parameter] = field(default_factory=dict)
    principles: dict[str, Principle] = field(default_factory=dict)
    rules: dict[str, Rule] = field(default_factory=dict)
    derivations: dict[str, Derivation] = field(default_factory=dict)
    profiles: dict[str, JurisdictionProfile] = field(default_factory=dict)
    designs: dict[str, dict[str, Design]] = field(default_factory=dict)  # jurisdiction -> id -> design
    archetypes: dict[str, Design] = field(default_factory=dict)
    guidance: dict[str, Guidance] = field(default_factory=dict)  # policy guidance (rulesets/guidance/)
    documents: dict[str, "Origin"] = field(default_factory=dict)  # "rule:ID" etc. -> where it is
    problems: list[Problem] = field(default_factory=list)
    compiled: dict[Any, Any] = field(default_factory=dict, repr=False)  # CompiledRuleset cache (api)
    #: the folders a file of this workspace may resolve into (see yamlio.read_yaml), resolved
    read_within: tuple[Path, ...] = field(default=(), repr=False)
    #: every file read, with the hash of its bytes (the key of the validation cache)
    read_files: list[tuple[str, str]] = field(default_factory=list, repr=False)

    def origin(self, kind: str, ident: str) -> "Origin | None":
        return self.documents.get(f"{kind}:{ident}")

    def active_rules(self, include_drafts: bool = False) -> list[Rule]:
        keep = {Lifecycle.active} | ({Lifecycle.draft} if include_drafts else set())
        return [r for r in self.rules.values() if r.status in keep]

    def rule_by_id_or_alias(self, ident: str) -> Rule | None:
        if ident in self.rules:
            return self.rules[ident]
        for rule in self.rules.values():
            if ident in rule.aliases:
                return rule
        return None

    def design(self, jurisdiction: str, design_id: str) -> Design | None:
        return self.designs.get(jurisdiction, {}).get(design_id) or self.archetypes.get(design_id)

    def source_ids(self, jurisdiction: str | None) -> set[str]:
        ids = set(self.bibliography)
        if jurisdiction and jurisdiction in self.profiles:
            ids |= {s.id for s in self.profiles[jurisdiction].sources}
        return ids

    def source(self, ident: str, jurisdiction: str | None = None) -> BibliographyEntry | None:
        if jurisdiction and jurisdiction in self.profiles:
            for s in self.profiles[jurisdiction].sources:
                if s.id == ident:
                    return s
        return self.bibliography.get(ident)

    @property
    def ruleset_version(self) -> str:
        return self.info.version if self.info else "0"

    @property
    def ruleset_name(self) -> str:
        return self.info.name if self.info else "unnamed"


_ALL_FIELD_NAMES: set[str] = set()


def _field_names(model: type[BaseModel]) -> set[str]:
    names: set[str] = set()
    for name, f in model.model_fields.items():
        names.add(f.alias or name)
    return names


def _known_fields() -> set[str]:
    if not _ALL_FIELD_NAMES:
        from .models import common, condition, design, jurisdiction, rule

        for module in (common, condition, design, jurisdiction, rule):
            for obj in vars(module).values():
                if isinstance(obj, type) and issubclass(obj, BaseModel):
                    _ALL_FIELD_NAMES.update(_field_names(obj))
        _ALL_FIELD_NAMES.update(_field_names(WorkspaceSettings))
    return _ALL_FIELD_NAMES


_TAGS = {"compare", "all", "any", "not", "for_any", "for_all"}


def _clean_loc(loc: tuple[Any, ...], doc: Document) -> tuple[Any, ...]:
    """Drop the parts of a pydantic location that are not in the file (union tags, generics)."""
    out: tuple[Any, ...] = ()
    for item in loc:
        if out + (item,) in doc.lines:
            out = out + (item,)
    return out


def _message(err: Any, doc: Document) -> tuple[tuple[Any, ...], str]:
    """Where a pydantic error is, and its message (translated where it is shown: input_errors)."""
    loc = tuple(err["loc"])
    kind = err["type"]
    if kind == "extra_forbidden":
        name = str(loc[-1])
        import difflib

        known = _known_fields()
        if name in known:  # a real field in the wrong place (most often an indentation slip)
            from .paths import base_catalogue

            homes = sorted(p for p in base_catalogue() if p.rsplit(".", 1)[-1] == name)[:3]
            if homes:
                return loc, L_("field %(name)s does not belong here: it is recorded at %(paths)s (check its indentation)",
                               name=repr(name), paths=Items(homes))
            return loc, L_("field %(name)s does not belong here (check its indentation)", name=repr(name))
        near = difflib.get_close_matches(name, sorted(known), n=3, cutoff=0.6)
        if near:
            return loc, L_("unknown field %(name)s; did you mean %(near)s?", name=repr(name), near=Items(near))
        return loc, L_("unknown field %(name)s", name=repr(name))
    if kind == "missing":
        name = str(loc[-1])
        if name == "source":
            return loc[:-1], L_("this fact has no source: every fact needs `source` (a bibliography id)")
        return loc[:-1], L_("required field %(name)s is missing", name=repr(name))
    msg = input_errors.message(err)
    given = err.get("input")
    if kind not in ("condition",) and not isinstance(given, (dict, list)) and given is not None and repr(given) not in msg:
        msg = input_errors.with_found(msg, given)
    return loc, msg


def validation_problems(exc: ValidationError, doc: Document, root: Path, prefix: tuple[Any, ...] = ()) -> list[Problem]:
    problems = []
    seen = set()
    for err in _limit_errors(exc.errors(include_url=False)):
        loc, msg = _message(err, doc)
        full = prefix + loc
        line = doc.line_of(full)
        shown = ".".join(str(p) for p in _clean_loc(full, doc) if p != "<key>") or WHOLE_FILE
        if kind_is_extra(err):
            line = doc.lines.get(_clean_loc(full, doc), line)
        key = (line, shown, msg)
        if key in seen:
            continue
        seen.add(key)
        problems.append(Problem(relative(doc.file, root), line, shown, msg))
    return problems


_NONE_BRANCH = "literal['none']"


def _limit_errors(errors: list[Any]) -> list[Any]:
    """A limit (an amount or ``none``, models.common.Limit) refused: one error, not one per
    branch. The ``none`` branch's "Input should be 'none'" is dropped; a value that is neither a
    mapping nor ``none`` says both are allowed."""
    limits = {tuple(e["loc"][:-1]) for e in errors if e["loc"] and e["loc"][-1] == _NONE_BRANCH}
    out = []
    for err in errors:
        loc = tuple(err["loc"])
        if loc and loc[-1] == _NONE_BRANCH:
            continue
        if loc[:-1] in limits and err["type"] == "model_type":
            err = {**err, "type": input_errors.AMOUNT_OR_NONE,
                   "msg": "Input should be an amount {amount, currency}, or none (the source says there is "
                          "no such limit)"}
        out.append(err)
    return out


def kind_is_extra(err: Any) -> bool:
    return err["type"] == "extra_forbidden"


def _model(cls: type[M], data: Any, doc: Document, ws: Workspace, prefix: tuple[Any, ...] = ()) -> M | None:
    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        ws.problems.extend(validation_problems(exc, doc, ws.root, prefix))
        return None


def _read(path: Path, ws: Workspace) -> Document | None:
    if not ws.read_within:  # resolved once per workspace, not once per file
        ws.read_within = tuple(p.resolve() for p in (ws.root, *(shipped_root() / d for d in ("rulesets", "jurisdictions"))))
    try:
        doc = read_yaml(path, within=ws.read_within, resolved=True)
        ws.read_files.append((str(path), doc.digest or ""))
        return doc
    except YamlError as exc:
        ws.problems.append(Problem(relative(exc.file, ws.root), exc.line, "", exc.message))
        return None


def _list_of(cls: type[M], path: Path, ws: Workspace) -> list[tuple[M, Document, int]]:
    doc = _read(path, ws)
    if doc is None:
        return []
    if doc.data is None:
        return []
    if not isinstance(doc.data, list):
        ws.problems.append(Problem(relative(path, ws.root), 1, "",
                                   L_("expected a list of %(model)s entries", model=cls.__name__)))
        return []
    out = []
    for i, item in enumerate(doc.data):
        model = _model(cls, item, doc, ws, (i,))
        if model is not None:
            out.append((model, doc, i))
    return out


def _one(cls: type[M], path: Path, ws: Workspace) -> tuple[M, Document] | None:
    doc = _read(path, ws)
    if doc is None:
        return None
    if not isinstance(doc.data, dict):
        ws.problems.append(Problem(relative(path, ws.root), 1, "",
                                   L_("expected a mapping describing one %(model)s", model=cls.__name__)))
        return None
    model = _model(cls, doc.data, doc, ws)
    return (model, doc) if model is not None else None


#: The duplicate-id message of each kind of entry (its first place known, or not), whole
#: sentences so that every language can put the kind in its own grammatical form.
_DUPLICATES: dict[str, tuple[str, str]] = {
    "bibliography": (N_("duplicate bibliography id %(id)s (first in %(file)s)"), N_("duplicate bibliography id %(id)s")),
    "parameter": (N_("duplicate parameter id %(id)s (first in %(file)s)"), N_("duplicate parameter id %(id)s")),
    "principle": (N_("duplicate principle id %(id)s (first in %(file)s)"), N_("duplicate principle id %(id)s")),
    "rule": (N_("duplicate rule id %(id)s (first in %(file)s)"), N_("duplicate rule id %(id)s")),
    "derivation": (N_("duplicate derivation id %(id)s (first in %(file)s)"), N_("duplicate derivation id %(id)s")),
    "guidance": (N_("duplicate guidance id %(id)s (first in %(file)s)"), N_("duplicate guidance id %(id)s")),
    "archetype": (N_("duplicate archetype id %(id)s (first in %(file)s)"), N_("duplicate archetype id %(id)s")),
}


def _duplicate(ws: Workspace, doc: Document, loc: tuple[Any, ...], what: str, ident: str, first: "Origin | None") -> None:
    with_first, alone = _DUPLICATES[what]
    if first:
        message = Text(with_first, {"id": repr(ident), "file": relative(first.doc.file, ws.root)})
    else:
        message = Text(alone, {"id": repr(ident)})
    ws.problems.append(Problem(relative(doc.file, ws.root), doc.line_of(loc + ("id",)), "id", message))


def _yaml_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


class WorkspaceSettings(BaseModel):
    """``workspace.yaml``: how a workspace combines with the shipped content."""

    model_config = ConfigDict(extra="forbid")

    shipped_jurisdictions: bool | None = Field(
        default=None,
        description="Keep the shipped jurisdictions and archetypes beside the workspace's own (true), drop them "
                    "for a private run (false). Left out: kept when the workspace uses the shipped rulesets, "
                    "dropped when it has rulesets/ of its own (the shipped profiles cite the shipped bibliography).")


def load_workspace(workspace: str | Path | None = None) -> Workspace:
    """Read every file of a workspace. Problems are collected in ``ws.problems``; nothing
    raises for bad input (see :func:`load_valid_workspace`), except :class:`NoContent` when
    there are no principles, no rules or no templates at all."""
    root = resolve_workspace(workspace)
    shipped = shipped_root()

    def pick(name: str) -> Path:
        own = root / name
        return own if own.is_dir() else shipped / name

    ws = Workspace(root=root, rulesets_dir=pick("rulesets"), jurisdictions_dir=pick("jurisdictions"),
                   templates_dir=pick("templates"), shipped_dir=shipped)
    if not root.is_dir():
        ws.problems.append(Problem(str(root), 1, "", L_("the workspace folder does not exist")))
        return ws
    _require_content(ws)
    settings = _settings(ws)
    own_rulesets = ws.rulesets_dir.resolve() != (shipped / "rulesets").resolve()
    keep_shipped = settings.shipped_jurisdictions
    if keep_shipped is None:
        keep_shipped = not own_rulesets
    layers = [shipped / "jurisdictions"] if keep_shipped and (shipped / "jurisdictions").is_dir() else []
    own_jurisdictions = root / "jurisdictions"
    if own_jurisdictions.is_dir() and own_jurisdictions.resolve() not in {p.resolve() for p in layers}:
        layers.append(own_jurisdictions)
    ws.jurisdiction_layers = layers
    _load_rulesets(ws)
    _load_jurisdictions(ws)
    return ws


def _require_content(ws: Workspace) -> None:
    """A run with no principles, no rules or no templates is an error, never an empty success."""
    rs = ws.rulesets_dir
    missing = [what for what, sub in (("principles", "principles"), ("rules", "rules")) if not _yaml_files(rs / sub)]
    if missing:
        own = ws.rulesets_dir.resolve() == (ws.root / "rulesets").resolve() and ws.root.resolve() != (
            ws.shipped_dir or ws.root).resolve()
        if missing == ["principles"]:
            what = L_("no principles in %(folder)s", folder=str(rs))
        elif missing == ["rules"]:
            what = L_("no rules in %(folder)s", folder=str(rs))
        else:
            what = L_("no principles and no rules in %(folder)s", folder=str(rs))
        if own:
            raise NoContent(L_("%(what)s; the workspace's own rulesets/ replaces the shipped one whole: remove "
                               "%(folder)s to use the shipped rules, or copy them into it", what=what, folder=str(rs)))
        raise NoContent(L_("%(what)s; the shipped content is missing: reinstall the package "
                           "(pip install --force-reinstall policyengine-dcgi)", what=what))
    template_dirs = [d for d in {ws.templates_dir, (ws.shipped_dir or ws.root) / "templates"} if d.is_dir()]
    if not any(p.is_file() and not p.name.startswith(".") for d in template_dirs for p in d.rglob("*")):
        raise NoContent(L_("no templates in %(folder)s: the shipped content is missing; reinstall the package",
                           folder=str(ws.templates_dir)))


def _settings(ws: Workspace) -> WorkspaceSettings:
    path = ws.root / SETTINGS_FILE
    if path.is_file():
        got = _one(WorkspaceSettings, path, ws)
        if got:
            return got[0]
    return WorkspaceSettings()


def _load_rulesets(ws: Workspace) -> None:
    rs = ws.rulesets_dir
    info_file = rs / "ruleset.yaml"
    if info_file.is_file():
        got = _one(RulesetInfo, info_file, ws)
        if got:
            ws.info = got[0]
    for path in _yaml_files(rs / "bibliography"):
        for entry, doc, i in _list_of(BibliographyEntry, path, ws):
            _register(ws, "source", "bibliography", ws.bibliography, entry.id, entry, doc, (i,))
    param_files = ([rs / "parameters.yaml"] if (rs / "parameters.yaml").is_file() else []) + _yaml_files(rs / "parameters")
    for path in param_files:
        for param, doc, i in _list_of(Parameter, path, ws):
            _register(ws, "parameter", "parameter", ws.parameters, param.id, param, doc, (i,))
    for path in _yaml_files(rs / "principles"):
        for principle, doc, i in _list_of(Principle, path, ws):
            _register(ws, "principle", "principle", ws.principles, principle.id, principle, doc, (i,))
    for path in _yaml_files(rs / "rules"):
        got_r = _one(Rule, path, ws)
        if got_r:
            _register(ws, "rule", "rule", ws.rules, got_r[0].id, got_r[0], got_r[1], ())
    for path in _yaml_files(rs / "derivations"):
        got_d = _one(Derivation, path, ws)
        if got_d:
            _register(ws, "derivation", "derivation", ws.derivations, got_d[0].id, got_d[0], got_d[1], ())
    for path in _yaml_files(rs / "guidance"):
        got_g = _one(Guidance, path, ws)
        if got_g:
            _register(ws, "guidance", "guidance", ws.guidance, got_g[0].id, got_g[0], got_g[1], ())


def _register(ws: Workspace, kind: str, label: str, store: dict[str, Any], ident: str, model: Any,
              doc: Document, loc: tuple[Any, ...]) -> None:
    """Keep a loaded model under its id, or report the id as a duplicate of the first one."""
    key = f"{kind}:{ident}"
    if ident in store:
        _duplicate(ws, doc, loc, label, ident, ws.documents.get(key))
        return
    store[ident] = model
    ws.documents[key] = Origin(doc, loc)


def _layered_files(layers: list[Path]) -> tuple[dict[str, Path], dict[str, Path], dict[str, Path]]:
    """The YAML files of all layers by their path inside ``jurisdictions/`` (a later layer's file
    wins), the files they override, and every top-level folder (from the top-most layer)."""
    files: dict[str, Path] = {}
    overridden: dict[str, Path] = {}
    folders: dict[str, Path] = {}
    for layer in layers:
        for folder in (p for p in layer.iterdir() if p.is_dir() and not p.is_symlink()):
            folders[folder.name] = folder
        for path in _yaml_files(layer):
            rel = path.relative_to(layer).as_posix()
            if rel in files:
                overridden[rel] = files[rel]
            files[rel] = path
    return files, overridden, folders


def _linked_folders(layer: Path) -> list[tuple[Path, Path]]:
    """Folders of a layer that are symbolic links resolving outside it: never followed."""
    root = layer.resolve()
    out = []
    for path in layer.rglob("*"):
        if path.is_symlink() and path.is_dir():
            real = path.resolve()
            if real != root and root not in real.parents:
                out.append((path, real))
    return out


def _load_jurisdictions(ws: Workspace) -> None:
    files, overridden, folders = _layered_files(ws.jurisdiction_layers)
    for layer in ws.jurisdiction_layers:
        for path, real in _linked_folders(layer):
            ws.problems.append(Problem(relative(path, ws.root), 1, "",
                                       L_("refusing the folder: it is a link to %(target)s, outside the workspace",
                                          target=str(real))))
    for rel in sorted(overridden):
        shipped_path = "jurisdictions/" + rel
        ws.problems.append(Problem(relative(files[rel], ws.root), 1, "",
                                   L_("overrides the shipped %(path)s", path=shipped_path), level="note"))

    def under(prefix: str) -> list[Path]:
        return [files[rel] for rel in sorted(files) if rel.startswith(prefix)]

    for name, folder in sorted(folders.items()):
        if name == "archetypes":
            for path in under("archetypes/"):
                got = _one(Design, path, ws)
                if got:
                    design, doc = got
                    if design.jurisdiction is not None:
                        ws.problems.append(Problem(relative(path, ws.root), doc.line_of(("jurisdiction",)), "jurisdiction",
                                                   L_("an archetype belongs to no jurisdiction: remove this field")))
                    if design.id in ws.archetypes:
                        _duplicate(ws, doc, (), "archetype", design.id, ws.documents.get(f"design:/{design.id}"))
                        continue
                    ws.archetypes[design.id] = design
                    ws.documents[f"design:/{design.id}"] = Origin(doc, ())
            continue
        profile_file = files.get(f"{name}/profile.yaml")
        if profile_file is None:
            ws.problems.append(Problem(relative(folder, ws.root), 1, "", L_("a jurisdiction folder needs a profile.yaml")))
            continue
        got_profile = _one(JurisdictionProfile, profile_file, ws)
        if got_profile:
            profile, doc = got_profile
            if profile.id != name:
                ws.problems.append(Problem(relative(profile_file, ws.root), doc.line_of(("id",)), "id",
                                           L_("the id %(id)s must match its folder name %(folder)s",
                                              id=repr(profile.id), folder=repr(name))))
            else:
                ws.profiles[profile.id] = profile
                ws.documents[f"profile:{profile.id}"] = Origin(doc, ())
        for path in under(f"{name}/designs/"):
            got = _one(Design, path, ws)
            if not got:
                continue
            design, doc = got
            if design.jurisdiction != name:
                ws.problems.append(Problem(relative(path, ws.root), doc.line_of(("jurisdiction",)), "jurisdiction",
                                           L_("must be %(folder)s, the folder it is in (found %(found)s)",
                                              folder=repr(name), found=repr(design.jurisdiction))))
                continue
            if design.id != path.stem:
                ws.problems.append(Problem(relative(path, ws.root), doc.line_of(("id",)), "id",
                                           L_("the id %(id)s must match the file name %(file)s",
                                              id=repr(design.id), file=repr(path.stem))))
                continue
            ws.designs.setdefault(name, {})[design.id] = design
            ws.documents[f"design:{name}/{design.id}"] = Origin(doc, ())


def load_valid_workspace(workspace: str | Path | None = None) -> Workspace:
    """Load and validate; raise :class:`InvalidWorkspace` listing every error.

    A workspace whose files (paths and bytes) passed every check before, under the same code,
    is not checked again: the validation cache gives back the warnings it had."""
    ws = load_workspace(workspace)
    name = _validation_key(ws)
    found = _problems_from(cache.get("valid", name)) if name is not None else None
    if found is not None:  # these very files passed every check before; the same warnings
        ws.problems.extend(found)
        return ws
    from .validate import validate_workspace

    loaded = len(ws.problems)
    validate_workspace(ws)
    if any(p.level == "error" for p in ws.problems):
        raise InvalidWorkspace(ws.problems)
    if name is not None:
        # the message as its id and variables, so a run in another language shows it in its own
        cache.put("valid", name, [[p.file, p.line, p.field, to_data(p.message), p.level] for p in ws.problems[loaded:]])
    return ws


def _problems_from(entry: Any) -> list[Problem] | None:
    if not isinstance(entry, list):
        return None
    out = []
    for item in entry:
        if not (isinstance(item, list) and len(item) == 5 and isinstance(item[1], int)
                and all(isinstance(v, str) for i, v in enumerate(item) if i not in (1, 3)) and item[4] != "error"):
            return None
        try:
            message = from_data(item[3])
        except ValueError:
            return None
        if not isinstance(message, str):
            return None
        out.append(Problem(item[0], item[1], item[2], message, item[4]))
    return out


def _validation_key(ws: Workspace) -> str | None:
    """The validation cache's name for a workspace that loaded without error: a hash of its
    folders and of every file read (path and bytes). ``None`` when loading found errors, which
    are then reported, and the checks run, every time."""
    if any(p.level == "error" for p in ws.problems) or not ws.read_files or any(not d for _, d in ws.read_files):
        return None
    folders = [str(ws.root), str(ws.rulesets_dir), str(ws.jurisdictions_dir), str(ws.templates_dir),
               *(str(p) for p in ws.jurisdiction_layers)]
    return cache.key("valid", orjson.dumps([folders, ws.read_files]))
