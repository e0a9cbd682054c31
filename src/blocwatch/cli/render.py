"""Readable tables for people (rich). Machines get --json instead."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from blocwatch.query import HistoryResult, HolderResult, MembersResult, Resolution
from blocwatch.store.db import Store

console = Console(highlight=False)


def members(result: MembersResult) -> None:
    orgs = [s for s in result.sets if s.kind == "organisation"]
    table = Table(title=f"{result.expr} on {result.at} ({', '.join(result.statuses)})")
    table.add_column("ISO3")
    table.add_column("State")
    for org in orgs:
        abbr = (org.details.get("abbreviations") or [org.id])[0]
        table.add_column(abbr)
    table.add_column("Certain")
    for row in result.members:
        table.add_row(row.iso3, row.name, *((row.status.get(o.id) or "—") for o in orgs),
                      "yes" if row.certain else "no: " + "; ".join(row.doubts))
    console.print(table)
    console.print(f"{len(result.members)} state(s)")
    for warning in result.warnings:
        console.print(f"Note: {warning}")


def holder(result: HolderResult) -> None:
    if not result.tenures:
        console.print(f"No holder of {result.office.name} on record for {result.at}.")
        return
    for i, t in enumerate(result.tenures):
        lead = "" if i == 0 else "also: "
        acting = " (acting)" if t.acting else ""
        span = f"{t.start} – {t.end or 'today'}"
        doubt = "" if t.certain else f" [not certain on {result.at}]"
        console.print(f"{lead}{t.person.name}{acting}, {result.office.name}, {span}{doubt}")
        console.print(f"  source: {t.source}")


def history(result: HistoryResult) -> None:
    e = result.entity
    console.print(f"[bold]{e.name}[/bold] ({e.kind} {e.id})  source: {e.source}")
    if result.members:
        console.print("Members: " + ", ".join(f"{m['name']} ({m['iso3']})" for m in result.members))
    if result.memberships:
        table = Table(title="Memberships")
        for col in ("State", "Organisation", "Status", "From", "To", "Origin", "Note"):
            table.add_column(col)
        for m in result.memberships:
            table.add_row(m["state_name"], m["organisation_name"], m["status"], m["start"],
                          m["end"] or "", m["origin"], m["note"])
        console.print(table)
    if result.tenures:
        table = Table(title="Offices")
        for col in ("Office", "Person", "From", "To", "Acting"):
            table.add_column(col)
        for t in result.tenures:
            table.add_row(t.office.name, t.person.name, t.start, t.end or "",
                          "yes" if t.acting else "")
        console.print(table)


def resolution(result: Resolution) -> None:
    if result.match is not None:
        e = result.match
        console.print(f"{result.query!r} is {e.name} ({e.kind} {e.id}, wikidata {e.wikidata or '—'})")
        others = [c for c in result.candidates if c.entity.id != e.id]
    else:
        console.print(f"{result.query!r} may be:")
        others = list(result.candidates)
    for c in others:
        console.print(f"  {c.entity.id}  {c.entity.name} ({c.entity.kind}; {c.how} match on {c.alias!r})")


def tour(store: Store) -> None:
    from blocwatch import api

    console.rule("Which CIS members were not in the CSTO on 21 November 2018?")
    members(api.members(store, "CIS - CSTO", at="2018-11-21"))
    console.rule("Which former Soviet republics were in neither?")
    members(api.members(store, "post-soviet - (CIS | CSTO)", at="2018-11-21"))
    console.rule("Who led the CSTO Secretariat on 21 November 2018?")
    holder(api.holder(store, "CSTO Secretary General", at="2018-11-21"))
    console.rule("Who is NATO Secretary General?")
    holder(api.holder(store, "NATO Secretary General", at="2025-06-01"))


def ingest_summary(summary) -> None:  # type: ignore[no-untyped-def]
    console.print(
        f"{summary.pages} page(s) read: {summary.pages_new} new, {summary.pages_unchanged} "
        f"already stored; {summary.documents_stored} document(s) stored, "
        f"{summary.duplicates} duplicate(s); {len(summary.failures)} failure(s)"
    )
    for failure in summary.failures:
        console.print(f"  failed: {failure.path}: {failure.reason}", markup=False)


def page(result: dict) -> None:
    if "error" in result:
        console.print(f"{result['path']}: failed: {result['error']}", markup=False)
        return
    console.rule(result["path"])
    for doc in result["documents"]:
        date = doc["published"] or "no date"
        console.print(f"[bold]{doc['role']}[/bold]: {doc['title'] or '(no title)'} — {date}, "
                      f"{doc['outlet'] or 'unknown outlet'}")
        text = doc["text"]
        console.print("  " + (text[:300] + "…" if len(text) > 300 else text), markup=False)
        for link in doc["links"]:
            console.print(f"  link: {link['title']} {link.get('url') or ''}", markup=False)
    console.print(f"{result['duplicates_removed']} duplicate(s) removed")
