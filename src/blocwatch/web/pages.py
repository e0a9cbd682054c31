"""The web UI: server-rendered pages over the same library calls as the API.

Pages are Jinja2 templates with autoescaping on; charts are inline SVG from
``blocwatch.web.svg``; article text goes through ``blocwatch.web.text``.
Sections for facts the library does not store yet (meetings, statements with
verdicts, quotes, highlights) render only when their context key holds data,
so they appear as the extraction and checking stages land.
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
from blocwatch.query.resolve import EntityRef
from blocwatch.reference.model import DEFAULT_STATUSES, MEMBERSHIP_STATUSES
from blocwatch.store.db import Store
from blocwatch.web import svg
from blocwatch.web.app import settings
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


def _store(request: Request) -> Store:
    return settings(request).store


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
    if ref.kind == "state":
        bars = _membership_bars(request, store, list(hist.memberships), lane="organisation")
        context["timeline"] = svg.timeline(bars, title=f"Memberships of {ref.name} over time")
        return _render(request, "state.html", **context)
    if ref.kind == "organisation":
        bars = _membership_bars(request, store, list(hist.memberships), lane="state")
        context["timeline"] = svg.timeline(bars, title=f"Members of {_label(ref)} over time")
        context["matrix"] = report.membership_matrix(store, ref.id)
        context["bodies"] = report.children(store, ref.id, kind="body")
        context["offices"] = report.children(store, ref.id, kind="office")
        context["rules"] = report.rules_json(store, ref.id)
        context["label"] = _label(ref)
        return _render(request, "organisation.html", **context)
    if ref.kind == "person":
        return _render(request, "person.html", **context)
    context["offices"] = report.children(store, ref.id, kind="office")
    return _render(request, "entity.html", **context)


@router.get("/documents", name="documents_page")
def documents_page(request: Request, store: StoreDep,
                   offset: Annotated[int, Query(ge=0)] = 0,
                   limit: Annotated[int, Query(ge=1, le=200)] = 50) -> Response:
    page = report.documents_json(store, limit=limit, offset=offset)
    return _render(request, "documents.html", title="Documents", page=page)


@router.get("/documents/{document_id}", name="document_page")
def document_page(request: Request, store: StoreDep, document_id: int) -> Response:
    doc = report.document_detail_json(store, document_id)
    title = doc["title"] or f"Document {document_id}"
    return _render(request, "document.html", title=title, doc=doc,
                   text_html=article_html(doc["text"], _highlights(request, doc)))


def _highlights(request: Request, doc: dict[str, Any]) -> list[Highlight]:
    """The body's recognised names (linked) and statements (coloured by verdict, with the reason)."""
    text = doc["text"]
    out = []
    for entity in doc.get("entities", []):
        href = None if entity.get("learned") else str(
            request.url_for("entity_page", entity_id=entity["id"]))
        for mention in entity["mentions"]:
            start, end, said = mention[:3]
            if len(mention) == 3 and text[start:end] == said:  # body mentions only
                out.append(Highlight(start, end, "entity", f"{entity['name']} ({entity['kind']})",
                                     href))
    for st in doc.get("statements", []):
        start, end = st.get("span") or (None, None)
        if st.get("section") == "body" and start is not None and end is not None:
            out.append(Highlight(start, end, "statement", f"{st['verdict']}: {st['reason']}",
                                 verdict=st["verdict"]))
    return out


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
    result, problem = None, None
    if chosen:
        try:
            result = report.compare(store, chosen, at=at, statuses=statuses)
        except QueryError as exc:
            problem = str(exc)
    return _render(
        request, "compare.html", status_code=400 if problem else 200, title="Compare organisations",
        organisations=report.entities(store, kind="organisation"), chosen=chosen, at=at,
        statuses=statuses, all_statuses=MEMBERSHIP_STATUSES, result=result, problem=problem)
