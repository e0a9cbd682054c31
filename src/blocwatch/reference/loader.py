"""Read and validate the reference data files.

Every problem is reported as ``file:line: problem``; loading collects all of
them and raises one ReferenceDataError that names the first and counts the
rest, so a data editor sees where to look without a traceback.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections import defaultdict
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import TypeVar

import pycountry

from blocwatch.dates import PartialDate, parse_date
from blocwatch.errors import BlocwatchError, ReferenceDataError
from blocwatch.reference.model import (
    MEMBERSHIP_STATUSES,
    Body,
    Group,
    GroupMember,
    Holding,
    Membership,
    Office,
    Organisation,
    Person,
    ReferenceBase,
    Rule,
    State,
    Where,
)

COLUMNS: dict[str, tuple[str, ...]] = {
    "states.csv": (
        "iso3", "iso2", "name", "official_name", "un_status", "aliases", "demonyms",
        "wikidata", "source",
    ),
    "organisations.csv": (
        "id", "name", "abbreviations", "aliases", "founded", "dissolved", "predecessor",
        "successor", "wikidata", "note", "source",
    ),
    "bodies.csv": ("id", "organisation", "name", "aliases", "wikidata", "source"),
    "groups.csv": ("id", "name", "aliases", "note", "source"),
    "group_members.csv": ("group", "state", "source"),
    "memberships.csv": (
        "state", "organisation", "status", "start", "end", "announced", "notified", "note",
        "source",
    ),
    "offices.csv": ("id", "name", "organisation", "state", "aliases", "wikidata", "source"),
    "persons.csv": ("id", "name", "aliases", "wikidata", "source"),
    "office_holders.csv": ("office", "person", "start", "end", "acting", "note", "source"),
    "rules.csv": ("organisation", "rule", "procedure", "detail", "source"),
}

_Dated = TypeVar("_Dated", Membership, Holding)
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_QID = re.compile(r"Q[1-9][0-9]*")
RULE_KINDS = ("admission", "withdrawal")
UN_STATUSES = ("member", "observer")


def bundled_data_dir() -> Path:
    return Path(str(resources.files("blocwatch.reference") / "data"))


class _Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, where: Where | str, message: str) -> None:
        self.items.append(f"{where}: {message}")


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split(";") if part.strip())


def _read(directory: Path, name: str, problems: _Problems) -> Iterator[tuple[Where, dict[str, str]]]:
    path = directory / name
    if not path.is_file():
        problems.add(name, "file is missing")
        return
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None:
                problems.add(f"{name}:1", "file is empty (expected a header line)")
                return
            header = [column.strip() for column in header]
            missing = [c for c in COLUMNS[name] if c not in header]
            if missing:
                problems.add(f"{name}:1", f"header lacks column(s) {', '.join(missing)}")
                return
            for row in reader:
                where = Where(name, reader.line_num)
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) != len(header):
                    problems.add(where, f"has {len(row)} cells, the header has {len(header)}")
                    continue
                record = {key: value.strip() for key, value in zip(header, row, strict=True)}
                if not record["source"]:
                    problems.add(where, "has no source")
                yield where, record
    except UnicodeDecodeError as exc:
        problems.add(name, f"is not valid UTF-8 ({exc.reason} at byte {exc.start})")


def _date(
    record: dict[str, str], column: str, where: Where, problems: _Problems
) -> PartialDate | None:
    text = record[column]
    if not text:
        return None
    try:
        return parse_date(text, what=column)
    except BlocwatchError as exc:
        problems.add(where, str(exc))
        return None


def _period(
    record: dict[str, str], where: Where, problems: _Problems
) -> tuple[PartialDate, PartialDate | None] | None:
    """The row's [start, end) period, or None (with the problem noted) if it has none."""
    start = _date(record, "start", where, problems)
    if start is None and not record["start"]:
        problems.add(where, "has no start date")
    end = _date(record, "end", where, problems)
    if start is None or (record["end"] and end is None):
        return None
    if end is not None and end.first <= start.first:
        problems.add(where, f"end {end} is not after start {start}")
        return None
    return start, end


def _overlapping(rows: list[_Dated]) -> Iterator[tuple[_Dated, _Dated]]:
    """Consecutive periods that certainly overlap (imprecise boundaries may touch)."""
    rows = sorted(rows, key=lambda r: r.start.first)
    for before, after in zip(rows, rows[1:]):
        if before.end is None or after.start.last < before.end.first:
            yield before, after


def _check_id(value: str, where: Where, problems: _Problems, seen: dict[str, Where]) -> bool:
    if not _SLUG.fullmatch(value):
        problems.add(where, f"id {value!r} is not a lower-case slug (letters, digits, hyphens)")
        return False
    if value in seen:
        problems.add(where, f"id {value!r} is already defined at {seen[value]}")
        return False
    seen[value] = where
    return True


def _check_qid(value: str, where: Where, problems: _Problems) -> None:
    if value and not _QID.fullmatch(value):
        problems.add(where, f"wikidata {value!r} is not a Q-id like Q159")


def _digest(directory: Path) -> str:
    sha = hashlib.sha256()
    for name in sorted(COLUMNS):
        path = directory / name
        if path.is_file():
            sha.update(name.encode())
            sha.update(path.read_bytes())
    return sha.hexdigest()


def load_reference(directory: Path | None = None) -> ReferenceBase:
    """Read and validate the reference base; raise ReferenceDataError on any problem."""
    directory = directory or bundled_data_dir()
    problems = _Problems()
    ids: dict[str, Where] = {}

    states: dict[str, State] = {}
    for where, r in _read(directory, "states.csv", problems):
        iso3 = r["iso3"]
        country = pycountry.countries.get(alpha_3=iso3) if len(iso3) == 3 else None
        if country is None:
            problems.add(where, f"iso3 {iso3!r} is not an ISO 3166-1 alpha-3 code")
            continue
        if r["iso2"] != country.alpha_2:
            problems.add(where, f"iso2 {r['iso2']!r} does not match {iso3} (ISO: {country.alpha_2})")
        if r["un_status"] not in UN_STATUSES:
            problems.add(where, f"un_status {r['un_status']!r} is not one of {', '.join(UN_STATUSES)}")
        if not r["name"]:
            problems.add(where, "has no name")
        if iso3 in ids:
            problems.add(where, f"id {iso3!r} is already defined at {ids[iso3]}")
            continue
        ids[iso3] = where
        _check_qid(r["wikidata"], where, problems)
        states[iso3] = State(
            iso3, r["iso2"], r["name"], r["official_name"], r["un_status"],
            _split(r["aliases"]), _split(r["demonyms"]), r["wikidata"], r["source"], where,
        )

    organisations: dict[str, Organisation] = {}
    for where, r in _read(directory, "organisations.csv", problems):
        if not _check_id(r["id"], where, problems, ids):
            continue
        _check_qid(r["wikidata"], where, problems)
        founded = _date(r, "founded", where, problems)
        dissolved = _date(r, "dissolved", where, problems)
        if founded and dissolved and dissolved.first < founded.first:
            problems.add(where, f"dissolved {dissolved} is before founded {founded}")
        organisations[r["id"]] = Organisation(
            r["id"], r["name"], _split(r["abbreviations"]), _split(r["aliases"]), founded,
            dissolved, r["predecessor"], r["successor"], r["wikidata"], r["note"], r["source"],
            where,
        )
    for org in organisations.values():
        for column in ("predecessor", "successor"):
            target = getattr(org, column)
            if target and target not in organisations:
                problems.add(org.where, f"{column} {target!r} is not an organisation id")

    bodies: dict[str, Body] = {}
    for where, r in _read(directory, "bodies.csv", problems):
        if not _check_id(r["id"], where, problems, ids):
            continue
        if r["organisation"] not in organisations:
            problems.add(where, f"organisation {r['organisation']!r} is not an organisation id")
        bodies[r["id"]] = Body(
            r["id"], r["organisation"], r["name"], _split(r["aliases"]), r["wikidata"],
            r["source"], where,
        )

    groups: dict[str, Group] = {}
    for where, r in _read(directory, "groups.csv", problems):
        if not _check_id(r["id"], where, problems, ids):
            continue
        groups[r["id"]] = Group(r["id"], r["name"], _split(r["aliases"]), r["note"], r["source"], where)
    group_members: list[GroupMember] = []
    members_of: dict[str, list[str]] = defaultdict(list)
    for where, r in _read(directory, "group_members.csv", problems):
        if r["group"] not in groups:
            problems.add(where, f"group {r['group']!r} is not a group id")
            continue
        if r["state"] not in states:
            problems.add(where, f"state {r['state']!r} is not a state in states.csv")
            continue
        if r["state"] in members_of[r["group"]]:
            problems.add(where, f"state {r['state']} is listed twice in group {r['group']}")
            continue
        members_of[r["group"]].append(r["state"])
        group_members.append(GroupMember(r["group"], r["state"], r["source"], where))
    groups = {
        gid: Group(g.id, g.name, g.aliases, g.note, g.source, g.where, tuple(members_of[gid]))
        for gid, g in groups.items()
    }

    memberships: list[Membership] = []
    for where, r in _read(directory, "memberships.csv", problems):
        ok = True
        if r["state"] not in states:
            problems.add(where, f"state {r['state']!r} is not a state in states.csv")
            ok = False
        if r["organisation"] not in organisations:
            problems.add(where, f"organisation {r['organisation']!r} is not an organisation id")
            ok = False
        if r["status"] not in MEMBERSHIP_STATUSES:
            problems.add(
                where,
                f"status {r['status']!r} is not one of {', '.join(MEMBERSHIP_STATUSES)}",
            )
            ok = False
        period = _period(r, where, problems)
        announced = _date(r, "announced", where, problems)
        notified = _date(r, "notified", where, problems)
        if period is None or not ok:
            continue
        start, end = period
        memberships.append(
            Membership(
                r["state"], r["organisation"], r["status"], start, end, announced, notified,
                r["note"], r["source"], where,
            )
        )
    by_pair: dict[tuple[str, str], list[Membership]] = defaultdict(list)
    for m in memberships:
        by_pair[(m.state, m.organisation)].append(m)
    for (state, org), rows in by_pair.items():
        for before, after in _overlapping(rows):
            problems.add(
                after.where,
                f"{state} in {org}: period from {after.start} overlaps the period from "
                f"{before.start} at {before.where}",
            )

    offices: dict[str, Office] = {}
    for where, r in _read(directory, "offices.csv", problems):
        if not _check_id(r["id"], where, problems, ids):
            continue
        _check_qid(r["wikidata"], where, problems)
        if bool(r["organisation"]) == bool(r["state"]):
            problems.add(where, "needs exactly one of organisation or state")
        elif r["organisation"] and r["organisation"] not in organisations and r["organisation"] not in bodies:
            problems.add(where, f"organisation {r['organisation']!r} is not an organisation or body id")
        elif r["state"] and r["state"] not in states:
            problems.add(where, f"state {r['state']!r} is not a state in states.csv")
        offices[r["id"]] = Office(
            r["id"], r["name"], r["organisation"], r["state"], _split(r["aliases"]),
            r["wikidata"], r["source"], where,
        )

    persons: dict[str, Person] = {}
    for where, r in _read(directory, "persons.csv", problems):
        if not _check_id(r["id"], where, problems, ids):
            continue
        _check_qid(r["wikidata"], where, problems)
        persons[r["id"]] = Person(
            r["id"], r["name"], _split(r["aliases"]), r["wikidata"], r["source"], where
        )

    holdings: list[Holding] = []
    for where, r in _read(directory, "office_holders.csv", problems):
        ok = True
        if r["office"] not in offices:
            problems.add(where, f"office {r['office']!r} is not an office id")
            ok = False
        if r["person"] not in persons:
            problems.add(where, f"person {r['person']!r} is not a person id")
            ok = False
        if r["acting"] not in ("true", "false"):
            problems.add(where, f"acting {r['acting']!r} is not true or false")
            ok = False
        period = _period(r, where, problems)
        if period is None or not ok:
            continue
        start, end = period
        holdings.append(
            Holding(r["office"], r["person"], start, end, r["acting"] == "true", r["note"],
                    r["source"], where)
        )
    by_office: dict[str, list[Holding]] = defaultdict(list)
    for h in holdings:
        if not h.acting:
            by_office[h.office].append(h)
    for office, rows in by_office.items():
        for before, after in _overlapping(rows):
            problems.add(
                after.where,
                f"{office}: tenure of {after.person} from {after.start} overlaps the tenure "
                f"of {before.person} from {before.start} at {before.where} (neither acting)",
            )

    rules: list[Rule] = []
    for where, r in _read(directory, "rules.csv", problems):
        if r["organisation"] not in organisations:
            problems.add(where, f"organisation {r['organisation']!r} is not an organisation id")
            continue
        if r["rule"] not in RULE_KINDS:
            problems.add(where, f"rule {r['rule']!r} is not one of {', '.join(RULE_KINDS)}")
            continue
        if not r["procedure"]:
            problems.add(where, "has no procedure")
            continue
        rules.append(Rule(r["organisation"], r["rule"], r["procedure"], r["detail"], r["source"], where))

    if problems.items:
        first = problems.items[0]
        more = len(problems.items) - 1
        suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        raise ReferenceDataError(
            f"reference data {directory}/{first}{suffix}", tuple(problems.items)
        )

    return ReferenceBase(
        states=states,
        organisations=organisations,
        bodies=bodies,
        groups=groups,
        group_members=tuple(group_members),
        memberships=tuple(memberships),
        offices=offices,
        persons=persons,
        holdings=tuple(holdings),
        rules=tuple(rules),
        digest=_digest(directory),
    )
