"""The web UI: server-rendered pages over the same library calls as the API.

Pages are Jinja2 templates with autoescaping on; charts are inline SVG from
``blocwatch.web.svg``; article text goes through ``blocwatch.web.text``.
Each page reads through ``blocwatch.report`` and ``blocwatch.analysis``:
meetings and attendance, co-presence and overlap, facts with verdicts,
quotes, related articles. Sections render only when their data exists.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import jinja2
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from blocwatch import api, report
from blocwatch.errors import QueryError
from blocwatch.ingest.model import Format
from blocwatch.query.resolve import EntityRef
from blocwatch.reference.model import DEFAULT_STATUSES, MEMBERSHIP_STATUSES
from blocwatch.store.db import Store
from blocwatch.web import svg
from blocwatch.web.app import current_store, settings
from blocwatch.web.text import Highlight, article_html, safe_href

HERE = Path(__file__).resolve().parent
_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(HERE / "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.filters["safe_href"] = safe_href
templates = Jinja2Templates(env=_env)

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)


async def _store(request: Request) -> Store:
    return current_store(request)


StoreDep = Annotated[Store, Depends(_store)]


def _render(request: Request, name: str, status_code: int = 200,
            headers: dict[str, str] | None = None, **context: Any) -> Response:
    # Meetings, statements with verdicts, quotes, mentions: filled as the library stores them.
    context.setdefault("sections", {})
    return templates.TemplateResponse(request, name, context, status_code=status_code,
                                      headers=headers)


def error_page(request: Request, status: int, type_: str, message: str,
               headers: dict[str, str] | None = None) -> Response:
    return _render(request, "error.html", status_code=status, headers=headers,
                   status=status, type=type_, message=message, title=f"Error {status}")


def _label(ref: EntityRef) -> str:
    abbreviations = ref.details.get("abbreviations") or []
    return abbreviations[0] if abbreviations else ref.name


@router.get("/", name="home")
def home(request: Request, store: StoreDep) -> Response:
    latest = report.documents_json(store, limit=10)
    return _render(request, "home.html", title="blocwatch", q="", latest=latest["documents"],
                   total=latest["total"])


@router.get("/search", name="search_page")
def search_page(request: Request, store: StoreDep,
                q: Annotated[str, Query(max_length=200)] = "") -> Response:
    if not q.strip():
        return RedirectResponse(request.url_for("home"), status_code=303)
    match = api.resolve(store, q).match
    if match is not None:
        return RedirectResponse(request.url_for("entity_page", entity_id=match.id), status_code=303)
    results = report.search(store, q, limit=30)
    return _render(request, "search.html", title=f"Search: {q}", q=q, results=results)


def _membership_bars(request: Request, store: Store, rows: list[dict[str, Any]],
                     lane: str) -> list[svg.Bar]:
    bars = []
    for row in rows:
        if lane == "organisation":
            target = report.entity_by_id(store, row["organisation"])
            name = _label(target)
        else:
            target = report.entity_by_id(store, row["state"])
            name = target.name
        href = str(request.url_for("entity_page", entity_id=target.id))
        bars.append(svg.Bar(name, row["status"], row["start"], row["end"], href, row["note"]))
    return bars


@router.get("/entity/{entity_id}", name="entity_page")
def entity_page(request: Request, store: StoreDep, entity_id: str) -> Response:
    ref = report.entity_by_id(store, entity_id)
    hist = api.history(store, ref.id)
    context: dict[str, Any] = {
        "title": ref.name, "entity": ref, "history": hist,
        "parent": report.entity_by_id(store, ref.parent) if ref.parent else None,
    }
    sections: dict[str, Any] = {}
    context["sections"] = sections
    if ref.kind == "state":
        bars = _membership_bars(request, store, list(hist.memberships), lane="organisation")
        context["timeline"] = svg.timeline(bars, title=f"Memberships of {ref.name} over time")
        sections["facts"] = _facts(store, ref.id)
        sections["mentions"] = report.mentioning_documents(store, ref.id)
        return _render(request, "state.html", **context)
    if ref.kind == "organisation":
        bars = _membership_bars(request, store, list(hist.memberships), lane="state")
        context["timeline"] = svg.timeline(bars, title=f"Members of {_label(ref)} over time")
        context["matrix"] = report.membership_matrix(store, ref.id)
        context["bodies"] = report.children(store, ref.id, kind="body")
        context["offices"] = report.children(store, ref.id, kind="office")
        context["rules"] = report.rules_json(store, ref.id)
        context["label"] = _label(ref)
        context["copresence"] = _copresence_charts(store, ref.id)
        sections["meetings"] = report.meetings_json(
            store, bodies=[b.id for b in context["bodies"]])
        sections["meetings_caption"] = f"Meetings of the bodies of {_label(ref)}, newest first"
        sections["mentions"] = report.mentioning_documents(store, ref.id)
        return _render(request, "organisation.html", **context)
    if ref.kind == "person":
        found = _facts(store, ref.id)
        sections["meetings"] = report.meetings_json(store, person=ref.id)
        sections["meetings_caption"] = f"Meetings attended by {ref.name}, newest first"
        sections["quotes"] = [f for f in found if f["kind"] == "quote" and f["subject"] == ref.id]
        sections["facts"] = [f for f in found if f not in sections["quotes"]]
        sections["mentions"] = report.mentioning_documents(store, ref.id)
        return _render(request, "person.html", **context)
    context["offices"] = report.children(store, ref.id, kind="office")
    if ref.kind == "body":
        sections["meetings"] = report.meetings_json(store, bodies=[ref.id])
        sections["meetings_caption"] = f"Meetings of {ref.name}, newest first"
        context["copresence"] = [c for c in _copresence_charts(store, ref.parent or "")
                                 if c["body"].id == ref.id]
    sections["mentions"] = report.mentioning_documents(store, ref.id)
    return _render(request, "entity.html", **context)


def _facts(store: Store, entity_id: str) -> list[dict[str, Any]]:
    from blocwatch.analysis import facts

    return facts(store, entity_id).facts


def _copresence_charts(store: Store, organisation: str) -> list[dict[str, Any]]:
    """For each (organisation, body) pair with meetings on record: the yearly counts, charted."""
    from blocwatch.analysis import copresence

    charts = []
    for i, (org_id, body_id) in enumerate(report.copresence_pairs(store, organisation)):
        org, body = report.entity_by_id(store, org_id), report.entity_by_id(store, body_id)
        rows = copresence(store, org_id, at_body=body_id)
        dated = [svg.YearCount(r.year, r.meetings, r.with_presence, r.absent)
                 for r in rows if r.year is not None]
        where = (f"meetings{body.name[len('Meeting'):]}" if body.name.startswith("Meeting of ")
                 else f"meetings of {body.name}")
        title = f"{_label(org)} officials at {where}"
        charts.append({"org": org, "org_label": _label(org), "body": body, "rows": rows,
                       "title": title, "chart": svg.year_bars(dated, title=title, ident=f"cp{i}")})
    return charts


@router.get("/documents", name="documents_page")
def documents_page(request: Request, store: StoreDep,
                   offset: Annotated[int, Query(ge=0)] = 0,
                   limit: Annotated[int, Query(ge=1, le=200)] = 50) -> Response:
    page = report.documents_json(store, limit=limit, offset=offset)
    return _render(request, "documents.html", title="Documents", page=page)


@router.get("/documents/{document_id}", name="document_page")
def document_page(request: Request, store: StoreDep, document_id: int) -> Response:
    from blocwatch.analysis import related

    doc = report.document_detail_json(store, document_id)
    title = doc["title"] or f"Document {document_id}"
    return _render(request, "document.html", title=title, doc=doc,
                   **_document_view(request, doc, stored=True),
                   meetings=report.meetings_json(store, document=document_id),
                   related=related(store, document_id, limit=8))


VERDICTS = ("supported", "contradicted", "unknown")


def _document_view(request: Request, doc: dict[str, Any], *, stored: bool) -> dict[str, Any]:
    """The document's title, text and captions as HTML with their highlights, and a legend."""
    marks = _highlights(request, doc, stored=stored)
    captions = doc.get("metadata", {}).get("captions") or []
    counts: dict[str, int] = {}
    for h in (h for section in marks.values() for h in section):
        if h.verdict:
            counts[h.verdict] = counts.get(h.verdict, 0) + 1
    return {
        "title_html": article_html(doc["title"] or "", marks.get("title", [])),
        "text_html": article_html(doc["text"], marks.get("body", [])),
        "captions_html": [article_html(c, marks.get(f"caption:{i}", []))
                          for i, c in enumerate(captions) if isinstance(c, str)],
        "legend": [(v, counts.get(v, 0)) for v in (*VERDICTS, "mixed")
                   if v in VERDICTS or counts.get(v)],
        "entity_marks": sum(1 for section in marks.values() for h in section
                            if h.kind == "entity"),
        "claims": _claims(doc, captions),
    }


def _claims(doc: dict[str, Any], captions: list[Any]) -> dict[int, str]:
    """Each statement's own words: the text its span covers in its section."""
    texts = {"body": doc["text"], "title": doc["title"] or ""}
    texts.update((f"caption:{i}", c) for i, c in enumerate(captions) if isinstance(c, str))
    out = {}
    for st in doc.get("statements", []):
        start, end = st.get("span") or (None, None)
        text = texts.get(st.get("section") or "")
        if text and start is not None and end is not None and 0 <= start < end <= len(text):
            out[st["id"]] = text[start:end]
    return out


def _highlights(request: Request, doc: dict[str, Any], *,
                stored: bool = True) -> dict[str, list[Highlight]]:
    """Per section (body, title, caption:N): recognised names (linked) and statements.

    Statements over the same or overlapping spans are one highlight (marks
    cannot cross, and every statement must stay visible and focusable):
    coloured by their verdict (mixed when they differ), each verdict with its
    reason, links to the entities they are about and, for stored documents,
    to their explanation.
    """
    texts = {"body": doc["text"], "title": doc["title"] or ""}
    for i, caption in enumerate(doc.get("metadata", {}).get("captions") or []):
        texts[f"caption:{i}"] = caption if isinstance(caption, str) else ""
    out: dict[str, list[Highlight]] = {}
    for entity in doc.get("entities", []):
        href = None if entity.get("learned") else str(
            request.url_for("entity_page", entity_id=entity["id"]))
        for mention in entity["mentions"]:
            start, end, said = mention[:3]
            section = mention[3] if len(mention) > 3 else "body"
            if texts.get(section, "")[start:end] == said:
                out.setdefault(section, []).append(Highlight(
                    start, end, "entity", f"{entity['name']} ({entity['kind']})", href))
    known = {e["id"]: e for e in doc.get("entities", []) if not e.get("learned")}
    for section, start, end, group in _statement_groups(doc.get("statements", []), texts):
        verdicts = {st["verdict"] for st in group}
        verdict = verdicts.pop() if len(verdicts) == 1 else "mixed"
        label = "\n".join(f"{st['verdict']}: {st['reason']}" for st in group)
        links: dict[str, str] = {}
        for st in group:
            for eid in (st.get("subject"), st.get("object")):
                if eid in known:
                    links.setdefault(known[eid]["name"],
                                     str(request.url_for("entity_page", entity_id=eid)))
        if stored:
            for st in group:
                links[f"why? statement {st['id']}"] = str(
                    request.url_for("statement_page", statement_id=st["id"]))
        out.setdefault(section, []).append(Highlight(
            start, end, "statement", label, verdict=verdict, links=tuple(links.items())))
    return out


def _statement_groups(statements: list[dict[str, Any]], texts: dict[str, str],
                      ) -> list[tuple[str, int, int, list[dict[str, Any]]]]:
    """Statements per section, those whose spans overlap merged into one span."""
    spans: dict[str, list[tuple[int, int, dict[str, Any]]]] = {}
    for st in statements:
        start, end = st.get("span") or (None, None)
        if st.get("section") in texts and start is not None and end is not None and end > start:
            spans.setdefault(st["section"], []).append((start, end, st))
    out: list[tuple[str, int, int, list[dict[str, Any]]]] = []
    for section, items in spans.items():
        items.sort(key=lambda item: (item[0], -item[1]))
        current: tuple[str, int, int, list[dict[str, Any]]] | None = None
        for start, end, st in items:
            if current is not None and start < current[2]:
                current = (section, current[1], max(current[2], end), [*current[3], st])
                out[-1] = current
            else:
                current = (section, start, end, [st])
                out.append(current)
    return out


@router.get("/meeting/{meeting_id}", name="meeting_page")
def meeting_page(request: Request, store: StoreDep, meeting_id: int) -> Response:
    meeting = report.meeting_json(store, meeting_id)
    return _render(request, "meeting.html", title=meeting["title"], meeting=meeting)


@router.get("/statement/{statement_id}", name="statement_page")
def statement_page(request: Request, store: StoreDep, statement_id: int) -> Response:
    """From sentence to fact to verdict and sources (`blocwatch explain STATEMENT`)."""
    from blocwatch.analysis import explain

    try:
        chain = explain(store, statement_id)
    except QueryError as exc:
        raise report.NotFoundError(f"no statement has the id {statement_id}") from exc
    names = {}
    for key in ("subject", "object"):
        eid = chain["fact"].get(key)
        if isinstance(eid, str):
            try:
                names[key] = report.entity_by_id(store, eid)
            except report.NotFoundError:
                pass
    return _render(request, "statement.html", title=f"Statement {statement_id}", chain=chain,
                   names=names)


@router.get("/compare", name="compare_page")
def compare_page(
    request: Request, store: StoreDep,
    org: Annotated[list[str], Query()] = [],  # noqa: B006 - FastAPI reads the default, never mutates it
    at: Annotated[str, Query(max_length=10)] = "",
    status: Annotated[list[str], Query()] = [],  # noqa: B006
) -> Response:
    chosen = [o for o in org if o]
    statuses = [s for s in status if s] or list(DEFAULT_STATUSES)
    at = at.strip() or dt.date.today().isoformat()
    result, problem, overlaps = None, None, []
    if chosen:
        try:
            result = report.compare(store, chosen, at=at, statuses=statuses)
            overlaps = _overlaps(store, [o.id for o in result.sets], ",".join(statuses))
        except QueryError as exc:
            problem = str(exc)
    chart = svg.year_lines(
        [svg.Series(o["label"], tuple((r.year, r.index) for r in o["rows"])) for o in overlaps],
        title="Membership overlap index by year (members of both / members of either, on 1 July)",
        ident="ov", y_label="overlap index from 0 (none) to 1 (the same members)")
    return _render(
        request, "compare.html", status_code=400 if problem else 200, title="Compare organisations",
        organisations=report.entities(store, kind="organisation"), chosen=chosen, at=at,
        statuses=statuses, all_statuses=MEMBERSHIP_STATUSES, result=result, problem=problem,
        overlaps=overlaps, overlap_chart=chart, max_pairs=MAX_OVERLAP_PAIRS)


MAX_OVERLAP_PAIRS = 3
OVERLAP_FIRST_YEAR = 1992


def _overlaps(store: Store, ids: list[str], statuses: str) -> list[dict[str, Any]]:
    """The yearly overlap of each pair of organisations, the first MAX_OVERLAP_PAIRS pairs."""
    from itertools import combinations

    from blocwatch.analysis import overlap

    out = []
    for a, b in list(combinations(dict.fromkeys(ids), 2))[:MAX_OVERLAP_PAIRS]:
        ra, rb = report.entity_by_id(store, a), report.entity_by_id(store, b)
        out.append({"a": ra, "b": rb, "label": f"{_label(ra)} & {_label(rb)}",
                    "rows": overlap(store, a, b, first=OVERLAP_FIRST_YEAR, statuses=statuses)})
    return out


# --- Paste or upload a page: its analysis, optionally stored ----------------------------------

ANALYZE_FORMATS: tuple[Format, ...] = ("text", "html", "warc", "jsonl")


@router.get("/analyze", name="analyze_page")
def analyze_page(request: Request) -> Response:
    return _render(request, "analyze.html", title="Analyze a page", form={}, results=None,
                   problem=None, stored=None, formats=ANALYZE_FORMATS)


@router.post("/analyze", name="analyze_submit")
async def analyze_submit(request: Request) -> Response:
    """The form's page, analysed by the same library call as POST /api/v1/analyze.

    Storing needs the server's bearer token in the form's token field; without
    it the page is refused with the reason and nothing is analysed or stored.
    """
    from starlette.concurrency import run_in_threadpool

    from blocwatch.ingest.pipeline import IngestOptions
    from blocwatch.web.routes import _analyze, _ingest

    config = settings(request)
    async with request.form(max_files=1, max_fields=8) as form:
        text = form.get("text")
        upload = form.get("file")
        fields = {"text": text if isinstance(text, str) else "",
                  "format": str(form.get("format") or ""),
                  "store": form.get("store") == "yes"}
        token = str(form.get("token") or "")
        data = b""
        if upload is not None and not isinstance(upload, str) and upload.filename:
            data = await upload.read()
            fields["filename"] = upload.filename
    if not data:
        data = fields["text"].encode("utf-8")

    def again(status: int, problem: str, **extra: Any) -> Response:
        return _render(request, "analyze.html", status_code=status, title="Analyze a page",
                       form=fields, results=None, problem=problem, stored=None,
                       formats=ANALYZE_FORMATS, **extra)

    if not data.strip():
        return again(422, "Paste the text of a page or choose a file to analyze.")
    if fields["store"]:
        refusal = config.token_refusal(token)
        if refusal is not None:
            status, message = refusal
            return again(status, f"Not stored and not analysed: {message}")
    fmt = next((f for f in ANALYZE_FORMATS if f == fields["format"]), None)
    options = IngestOptions(format=fmt)
    if fields["store"]:
        results, stored = await run_in_threadpool(_ingest, config.store, data, options)
    else:
        results, stored = await run_in_threadpool(_analyze, data, options), None
    if all("error" in r for r in results):
        return again(422, f"Cannot read the page: {results[0]['error']}")
    pages = []
    for result in results:
        if "error" in result:
            pages.append({"error": result["error"], "path": result.get("path"), "documents": []})
            continue
        docs = [{"doc": doc, **_document_view(request, doc, stored=fields["store"])}
                for doc in result["documents"]]
        pages.append({"error": None, "documents": docs,
                      "duplicates_removed": result.get("duplicates_removed", 0)})
    return _render(request, "analyze.html", title="Analysis", form=fields, results=pages,
                   problem=None, stored=stored, formats=ANALYZE_FORMATS)
