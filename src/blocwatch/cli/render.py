"""Readable tables for people (rich). Machines get --json instead."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
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
    console.print(f"[bold]{escape(e.name)}[/bold] ({e.kind} {escape(e.id)})  source: {escape(e.source)}")
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
    from blocwatch.analysis import accession as run_accession
    from blocwatch.analysis import copresence as run_copresence
    from blocwatch.analysis import facts as run_facts

    console.rule("Which CIS members were not in the CSTO on 21 November 2018?")
    members(api.members(store, "CIS - CSTO", at="2018-11-21"))
    console.rule("Which former Soviet republics were in neither?")
    members(api.members(store, "post-soviet - (CIS | CSTO)", at="2018-11-21"))
    console.rule("Who led the CSTO Secretariat on 21 November 2018?")
    holder(api.holder(store, "CSTO Secretary General", at="2018-11-21"))
    console.rule("Did CSTO officials attend the CIS security council secretaries' meetings?")
    copresence(run_copresence(store, "CSTO", at_body="cis-security-council-secretaries"),
               "CSTO", "CIS security council secretaries")
    console.rule("What do the sample articles claim about Azerbaijan, and is it true?")
    result = run_facts(store, "Azerbaijan")
    for f in result.facts[:4]:
        console.print(f"- [{f['verdict']}] {f['sentence']}", markup=False)
        console.print(f"    {f['reason']}", markup=False)
    console.rule("Could Azerbaijan join the CSTO at the start of 2019?")
    accession(run_accession(store, "Azerbaijan", "CSTO", at="2019-01-01"))


def ingest_summary(summary) -> None:  # type: ignore[no-untyped-def]
    console.print(
        f"{summary.pages} page(s) read: {summary.pages_new} new, {summary.pages_unchanged} "
        f"already stored; {summary.documents_stored} document(s) stored, "
        f"{summary.duplicates} duplicate(s); {len(summary.failures)} failure(s)", soft_wrap=True
    )
    for failure in summary.failures:
        # One line per failure, however narrow the terminal: scripts grep these.
        console.print(f"  failed: {failure.path}: {failure.reason}", markup=False, soft_wrap=True)


def page(result: dict) -> None:
    if "error" in result:
        console.print(f"{result['path']}: failed: {result['error']}", markup=False)
        return
    console.rule(result["path"])
    colour = {"supported": "green", "contradicted": "red", "unknown": "yellow"}
    for doc in result["documents"]:
        date = doc["published"] or (f"about {doc['document_date']}" if doc.get("document_date")
                                    else "no date")
        # Article text is data, never markup: "[/b]" in a title must not crash or style the output.
        console.print(f"[bold]{doc['role']}[/bold] {doc['id']}: {escape(doc['title'] or '(no title)')} — "
                      f"{escape(date)}, {escape(doc['outlet'] or 'unknown outlet')}", highlight=False)
        for link in doc["links"]:
            console.print(f"  link: {link['title']} {link.get('url') or ''}", markup=False)
        names = ", ".join(e["name"] for e in doc.get("entities", [])[:12])
        if names:
            console.print(f"  names: {names}", markup=False)
        for m in doc.get("meetings", []):
            who = ", ".join(f"{p['name']} ({p['represents'] or '?'})" for p in m["participants"])
            console.print(f"  meeting: {m['body'] or '?'} #{m['ordinal'] or '?'} {m['date'] or ''} "
                          f"{m['place'] or ''} — {who or 'no participants listed'}", markup=False)
        for st in doc.get("statements", []):
            if st["kind"] in ("quote", "quantity"):
                continue
            tag = colour.get(st["verdict"], "white")
            console.print(f"  [{tag}]{st['verdict']:>12}[/{tag}] {escape(st['sentence'][:110])}",
                          highlight=False)
            console.print(f"               {st['reason']}", markup=False)
    console.print(f"{result['duplicates_removed']} duplicate(s) removed")


def accession(result) -> None:  # type: ignore[no-untyped-def]
    console.print(result.message, markup=False)
    if result.rule_detail:
        console.print(f"  rule: {result.rule_detail}", markup=False)
    for item in result.evidence:
        console.print(f"  evidence: document {item['document']}, statement {item['statement']}: "
                      f"“{item['sentence']}”", markup=False)
    for item in result.withdrawn:
        console.print(f"  withdrawn: document {item['evidence']['document']}", markup=False)


def copresence(rows, organisation: str, body: str) -> None:  # type: ignore[no-untyped-def]
    table = Table(title=f"{organisation} officials at meetings of {body}")
    for col in ("Year", "Meetings", "With presence", "Stated absent", "Officials"):
        table.add_column(col)
    for r in rows:
        table.add_row(str(r.year or "undated"), str(r.meetings), str(r.with_presence),
                      str(r.absent), ", ".join(r.officials))
    console.print(table)
    if not rows:
        console.print("No meetings of that body on record: ingest articles that report them.")


def overlap(rows, first: str, second: str) -> None:  # type: ignore[no-untyped-def]
    table = Table(title=f"{first} and {second}: members on 1 July each year")
    for col in ("Year", first, second, "Both", "Overlap", "Joint meetings"):
        table.add_column(col)
    for r in rows:
        bar = "█" * round(r.index * 20)
        table.add_row(str(r.year), str(r.a), str(r.b), str(r.both), f"{r.index:.2f} {bar}",
                      str(r.joint_meetings))
    console.print(table)


def related(rows) -> None:  # type: ignore[no-untyped-def]
    if not rows:
        console.print("No related documents on record.")
    for r in rows:
        shared = ", ".join(s["name"] for s in r.shared[:6])
        console.print(f"{r.score:6.2f}  document {r.document}: {r.title or '(no title)'} — {shared}",
                      markup=False)


def facts(result) -> None:  # type: ignore[no-untyped-def]
    console.print(f"[bold]{escape(result.entity.name)}[/bold]: {len(result.facts)} statement(s) in articles")
    for f in result.facts:
        doc = f["document"]
        console.print(f"- [{f['verdict']}] {f['sentence']}", markup=False)
        console.print(f"    document {doc['id']} ({doc['date'] or 'undated'}): {f['reason']}",
                      markup=False)
    for d in result.disagreements:
        c = d["claim"]
        console.rule(f"Articles disagree: {c['subject']} {c['predicate']} {c['object']}")
        for side in d["sides"]:
            docs = ", ".join(str(x["document"]["id"]) for x in side["documents"])
            console.print(f"  says {side['says']}: document(s) {docs}", markup=False)


def explain(result: dict) -> None:
    doc = result["document"]
    console.print(f"Document {doc['id']}: {doc['title'] or '(no title)'} "
                  f"({doc['outlet'] or 'unknown outlet'}; published {doc['published'] or 'unknown'})",
                  markup=False)
    console.print(f"Sentence ({result['section']} {result['span'][0]}–{result['span'][1]}): "
                  f"“{result['sentence']}”", markup=False)
    fact = {k: v for k, v in result["fact"].items() if v not in (None, False)}
    console.print(f"Fact: {fact}", markup=False)
    console.print(f"Judged at: {result['judged_at'] or 'no date'}", markup=False)
    console.print(f"Verdict: {result['verdict']} ({result['basis']}): {result['reason']}", markup=False)
    for src in result["sources"]:
        console.print(f"  source: {src.get('source') or src.get('sentence')} [{src.get('origin')}]",
                      markup=False)
