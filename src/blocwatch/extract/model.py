"""What extraction finds in a document. Every fact keeps its section, span and sentence."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc

from blocwatch.dates import PartialDate
from blocwatch.extract.gazetteer import Gazetteer


@dataclass
class Section:
    """One stretch of a document's text read on its own: the title, the body, a caption.

    Offsets of facts are relative to ``text``; ``page_offset`` is where
    ``text`` starts in the page when known, so a span maps back to the page.
    """

    name: str  # "title", "body", "caption:0", ...
    text: str
    doc: Doc
    page_offset: int | None = None


@dataclass
class Mention:
    section: str
    start: int
    end: int
    text: str
    entity_id: str | None  # None when ambiguous: see candidates
    kind: str  # state, organisation, body, group, office, person, place
    how: str = "alias"  # alias, role, fuzzy, new, coreference
    candidates: tuple[str, ...] = ()
    role: str | None = None  # for persons named by role: the role as written
    office: str | None = None  # the office id that role maps to, when known
    represents: str | None = None  # the state or organisation the role belongs to
    role_span: tuple[int, int] | None = None  # where the role is written in the section text


@dataclass
class DateMention:
    section: str
    start: int
    end: int
    text: str
    date: PartialDate | None  # resolved, or None when it cannot be
    basis: str  # explicit, document-date, weekday+year-in-text, weekday+office-tenures, ...
    candidates: tuple[str, ...] = ()  # years considered, when inferred


@dataclass
class Participant:
    person: str | None  # person id (or new:Name)
    name: str
    role: str | None
    represents: str | None  # state iso3, organisation or body id


@dataclass
class Meeting:
    body: str | None
    ordinal: int | None
    date: str | None
    date_basis: str | None
    place: str | None
    host: str | None
    topic: str | None
    participants: list[Participant]
    section: str
    span: tuple[int, int]
    sentence: str
    absent: list[str] = field(default_factory=list)  # state/organisation/person ids stated absent


@dataclass
class Statement:
    kind: str  # membership, office, event, quote, quantity
    subject: str | None
    predicate: str
    object: str | None = None
    negated: bool = False
    quantifier: str | None = None
    value: Any = None
    plover: str | None = None
    cameo: str | None = None
    date: str | None = None
    section: str = "body"
    span: tuple[int, int] = (0, 0)
    sentence: str = ""
    extra: dict[str, Any] = field(default_factory=dict)  # about, mode, unit, approx, period, ...


@dataclass
class Context:
    """What the components of one document share."""

    gazetteer: Gazetteer
    published: PartialDate | None
    sections: list[Section]
    mentions: list[Mention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    date_range: tuple[dt.date | None, dt.date | None] = (None, None)
    # why date_range is what it is: the tenures used, contradictions dropped, checks
    date_range_basis: list[str] = field(default_factory=list)

    def section_mentions(self, name: str) -> list[Mention]:
        return [m for m in self.mentions if m.section == name]


@dataclass
class Extraction:
    mentions: list[Mention]
    dates: list[DateMention]
    meetings: list[Meeting]
    statements: list[Statement]
    date_range: tuple[dt.date | None, dt.date | None]
    document_date: PartialDate | None = None  # published, else the event date the text pins
    document_date_basis: str = "unknown"
