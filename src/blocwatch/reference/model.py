"""The records of the reference base, as read from its data files."""

from __future__ import annotations

from dataclasses import dataclass, field

from blocwatch.dates import PartialDate

MEMBERSHIP_STATUSES = (
    "full",
    "associate",
    "observer",
    "partner",
    "suspended",
    # Documented extensions (docs/reference-data.md):
    "participant",  # took part without being a member under the charter (Ukraine, CIS)
    "frozen",  # the member froze its own participation; still a member in law
    "candidate",  # EU candidate status
    "dialogue-partner",  # SCO dialogue partner
)
DEFAULT_STATUSES = ("full", "associate")

ENTITY_KINDS = ("state", "organisation", "body", "group", "office", "person")


@dataclass(frozen=True)
class Where:
    """The file and line a record was read from, for error messages."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class State:
    iso3: str
    iso2: str
    name: str
    official_name: str
    un_status: str
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]
    wikidata: str
    source: str
    where: Where


@dataclass(frozen=True)
class Organisation:
    id: str
    name: str
    abbreviations: tuple[str, ...]
    aliases: tuple[str, ...]
    founded: PartialDate | None
    dissolved: PartialDate | None
    predecessor: str
    successor: str
    wikidata: str
    note: str
    source: str
    where: Where


@dataclass(frozen=True)
class Body:
    id: str
    organisation: str
    name: str
    aliases: tuple[str, ...]
    wikidata: str
    source: str
    where: Where


@dataclass(frozen=True)
class Group:
    id: str
    name: str
    aliases: tuple[str, ...]
    note: str
    source: str
    where: Where
    members: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class GroupMember:
    group: str
    state: str
    source: str
    where: Where


@dataclass(frozen=True)
class Membership:
    state: str
    organisation: str
    status: str
    start: PartialDate
    end: PartialDate | None
    announced: PartialDate | None
    notified: PartialDate | None
    note: str
    source: str
    where: Where


@dataclass(frozen=True)
class Office:
    id: str
    name: str
    organisation: str
    state: str
    aliases: tuple[str, ...]
    wikidata: str
    source: str
    where: Where


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    aliases: tuple[str, ...]
    wikidata: str
    source: str
    where: Where


@dataclass(frozen=True)
class Holding:
    office: str
    person: str
    start: PartialDate
    end: PartialDate | None
    acting: bool
    note: str
    source: str
    where: Where


@dataclass(frozen=True)
class Rule:
    organisation: str
    rule: str
    procedure: str
    detail: str
    source: str
    where: Where


@dataclass(frozen=True)
class ReferenceBase:
    """Everything in the bundled data files, validated."""

    states: dict[str, State]
    organisations: dict[str, Organisation]
    bodies: dict[str, Body]
    groups: dict[str, Group]
    group_members: tuple[GroupMember, ...]
    memberships: tuple[Membership, ...]
    offices: dict[str, Office]
    persons: dict[str, Person]
    holdings: tuple[Holding, ...]
    rules: tuple[Rule, ...]
    digest: str
