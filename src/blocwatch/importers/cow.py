"""Import the Correlates of War IGO v3 state-year data as year-precision memberships.

Each run of consecutive years with the same COW value (1 full, 2 associate,
3 observer) becomes one membership row from its first year to the year after
its last, both at year precision; a run reaching 2014, the data's last year,
ends at 2015 with a note, since the source says nothing later. States map to
ISO 3166 codes through ``cow_states.csv``, organisations we curate through
``cow_organisations.csv``; other organisations become entities ``cow-<abbr>``.

Curated rows win: for any (state, organisation) pair that the reference base
covers, COW's rows are left out and counted as superseded. Importing the same
file again changes nothing; a different file replaces the earlier import.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from blocwatch.dates import parse_date
from blocwatch.errors import DatasetImportError
from blocwatch.names import normalise
from blocwatch.store import schema
from blocwatch.store.db import Store, set_meta
from blocwatch.store.reference import dated

ORIGIN = "cow"
SOURCE = (
    "Correlates of War IGO v3 (Pevehouse, Nordstrom, McManus & Jamison, Journal of Peace "
    "Research 57(3), 2020), state-year file"
)
STATUS = {"1": "full", "2": "associate", "3": "observer"}
LAST_YEAR = 2014
DIGEST_KEY = "cow_igo_digest"
MAX_BYTES = 200 * 1024 * 1024


@dataclass
class CowImportResult:
    action: str  # "imported", "unchanged"
    file: str
    organisations: int = 0
    organisations_new: int = 0
    memberships: int = 0
    superseded_pairs: int = 0
    skipped_states: dict[str, int] = field(default_factory=dict)

    @property
    def message(self) -> str:
        if self.action == "unchanged":
            return f"{self.file}: already imported; nothing changed"
        skipped = sum(self.skipped_states.values())
        return (
            f"{self.file}: imported {self.memberships} memberships in {self.organisations} "
            f"organisations ({self.organisations_new} new to the store); "
            f"{self.superseded_pairs} state-organisation pairs left to curated rows; "
            f"{skipped} state-years of {len(self.skipped_states)} states with no ISO code skipped"
        )

    def to_json(self) -> dict[str, Any]:
        return {**self.__dict__, "message": self.message}


def _data(name: str) -> list[dict[str, str]]:
    text = (resources.files("blocwatch.importers") / name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _read_bytes(path: Path) -> bytes:
    if not path.is_file():
        raise DatasetImportError(f"cow-igo {path}: no such file")
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(raw)) as handle:
                data = handle.read(MAX_BYTES + 1)
        except (OSError, EOFError) as exc:
            raise DatasetImportError(f"cow-igo {path}: not a readable gzip file ({exc})") from exc
        if len(data) > MAX_BYTES:
            raise DatasetImportError(f"cow-igo {path}: unpacks to more than {MAX_BYTES} bytes")
        return data
    return raw


def _organisation_names(path: Path) -> dict[str, str]:
    """Full names from the sibling organisation-year file, when it is there."""
    for candidate in (path.parent / "igo_year_format3.csv.gz", path.parent / "igo_year_format3.csv"):
        if candidate.is_file():
            try:
                text = _read_bytes(candidate).decode("utf-8", errors="replace")
            except DatasetImportError:
                return {}
            reader = csv.DictReader(io.StringIO(text))
            return {row["ioname"].lower(): row["orgname"] for row in reader if row.get("ioname")}
    return {}


def import_cow_igo(store: Store, path: Path) -> CowImportResult:
    raw = _read_bytes(path)
    digest = hashlib.sha256(raw).hexdigest()
    if store.get_meta(DIGEST_KEY) == digest:
        return CowImportResult("unchanged", str(path))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DatasetImportError(f"cow-igo {path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header or header[:3] != ["ccode", "year", "state"]:
        raise DatasetImportError(
            f"cow-igo {path}: not the COW IGO state-year file (expected columns ccode,year,state first)"
        )
    orgs = [c.strip().lower() for c in header[3:]]
    states = {r["ccode"]: r["iso3"] for r in _data("cow_states.csv")}
    mapped = {r["cow"]: r["organisation"] for r in _data("cow_organisations.csv")}

    # (iso3, cow org) -> {year: status}
    years: dict[tuple[str, str], dict[int, str]] = {}
    skipped: dict[str, int] = {}
    for line_no, row in enumerate(reader, start=2):
        if not row:
            continue
        if len(row) != len(header):
            raise DatasetImportError(f"cow-igo {path}:{line_no}: has {len(row)} cells, the header has {len(header)}")
        ccode, year_text = row[0].strip(), row[1].strip()
        if not year_text.isdigit():
            raise DatasetImportError(f"cow-igo {path}:{line_no}: year {year_text!r} is not a year")
        iso3 = states.get(ccode)
        if not iso3:
            skipped[row[2]] = skipped.get(row[2], 0) + 1
            continue
        year = int(year_text)
        for org, value in zip(orgs, row[3:], strict=True):
            status = STATUS.get(value.strip())
            if status:
                years.setdefault((iso3, org), {})[year] = status

    with store.write() as conn:
        known_states = set(conn.execute(
            sa.select(schema.entity.c.id).where(schema.entity.c.kind == "state")).scalars())
        curated_pairs = {(r.state, r.organisation) for r in conn.execute(
            sa.select(schema.membership.c.state, schema.membership.c.organisation)
            .where(schema.membership.c.origin != ORIGIN))}
        existing = set(conn.execute(sa.select(schema.entity.c.id)).scalars())
        names = _organisation_names(path)
        conn.execute(sa.delete(schema.membership).where(schema.membership.c.origin == ORIGIN))

        rows: list[dict[str, Any]] = []
        used_orgs: set[str] = set()
        superseded = 0
        for (iso3, org), by_year in sorted(years.items()):
            if iso3 not in known_states:
                skipped[iso3] = skipped.get(iso3, 0) + len(by_year)
                continue
            target = mapped.get(org, f"cow-{org}")
            if (iso3, target) in curated_pairs:
                superseded += 1
                continue
            used_orgs.add(org)
            for first, last, status in _runs(by_year):
                end = None if last >= LAST_YEAR else parse_date(str(last + 1))
                note = f"COW IGO v3: {status} {first}–{last}"
                if last >= LAST_YEAR:
                    end = parse_date(str(LAST_YEAR + 1))
                    note += f"; the data end in {LAST_YEAR}, later years are not covered"
                rows.append({
                    "state": iso3, "organisation": target, "status": status,
                    **dated("start", parse_date(str(first))), **dated("end", end),
                    "announced": None, "notified": None, "note": note, "origin": ORIGIN,
                    "source": SOURCE,
                })
        new_entities, new_aliases = [], []
        for org in sorted(used_orgs):
            target = mapped.get(org, f"cow-{org}")
            if target in existing:
                continue
            name = names.get(org, org.upper())
            new_entities.append({
                "id": target, "kind": "organisation", "name": name, "parent": None,
                "wikidata": None, "details": {"abbreviations": [org.upper()], "cow": org},
                "origin": ORIGIN, "source": SOURCE,
            })
            for alias, kind in ((target, "id"), (name, "name"), (org.upper(), "abbreviation")):
                new_aliases.append({"entity_id": target, "alias": alias, "norm": normalise(alias),
                                    "kind": kind, "origin": ORIGIN})
        if new_entities:
            conn.execute(sa.insert(schema.entity), new_entities)
            conn.execute(sa.insert(schema.alias), _unique_aliases(new_aliases))
        if rows:
            conn.execute(sa.insert(schema.membership), rows)
        set_meta(conn, DIGEST_KEY, digest)
    return CowImportResult(
        "imported", str(path), organisations=len(used_orgs), organisations_new=len(new_entities),
        memberships=len(rows), superseded_pairs=superseded, skipped_states=skipped,
    )


def _unique_aliases(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    seen, out = set(), []
    for row in rows:
        key = (row["entity_id"], row["norm"], row["kind"])
        if row["norm"] and key not in seen:
            seen.add(key)
            out.append(row)
    return out


def _runs(by_year: dict[int, str]) -> list[tuple[int, int, str]]:
    """Consecutive years with one status, as (first, last, status)."""
    runs: list[tuple[int, int, str]] = []
    for year in sorted(by_year):
        status = by_year[year]
        if runs and runs[-1][1] == year - 1 and runs[-1][2] == status:
            runs[-1] = (runs[-1][0], year, status)
        else:
            runs.append((year, year, status))
    return runs
