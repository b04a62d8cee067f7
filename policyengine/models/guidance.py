"""Policy guidance as data: the barriers a person meets, the design levers that address each,
and the rules that check each lever.

The mapping is written once (``rulesets/guidance/*.yaml``) and the guidance document is built
from it and from the assessments, so the guidance grows with the rules and the jurisdictions.
"""

from __future__ import annotations

from pydantic import Field, field_validator

from .common import Citation, StrictModel, check_slug


class Lever(StrictModel):
    """A design choice that lowers one or more barriers, and the rules that check it."""

    id: str = Field(description="lower-case slug, e.g. light-identity-tier")
    title: str
    description: str = Field(description="What the lever is, in plain words")
    rules: list[str] = Field(min_length=1, description="Ids of the rules that check the lever")

    _check_id = field_validator("id")(lambda cls, v: check_slug(v))


class Barrier(StrictModel):
    """Something that keeps a person from using a digital currency, with the figures that show
    how common it is in a jurisdiction and the levers that address it."""

    id: str = Field(description="lower-case slug, e.g. no-identity-document")
    title: str
    framing: str = Field(description="Why the barrier matters, paraphrasing the sources cited")
    citations: list[Citation] = Field(min_length=1, description="Where the framing comes from")
    facts: list[str] = Field(default_factory=list,
                             description="Jurisdiction fact paths whose recorded values show the barrier")
    levers: list[str] = Field(min_length=1, description="Ids of the levers (defined under `levers`) that address it")

    _check_id = field_validator("id")(lambda cls, v: check_slug(v))


class Guidance(StrictModel):
    """One policy guidance document: its barriers and levers."""

    id: str = Field(description="lower-case slug; the command reads it as `policyengine guidance <id>`")
    title: str
    summary: str
    citations: list[Citation] = Field(min_length=1)
    levers: list[Lever] = Field(min_length=1)
    barriers: list[Barrier] = Field(min_length=1)

    _check_id = field_validator("id")(lambda cls, v: check_slug(v))
