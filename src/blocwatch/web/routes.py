"""The JSON API under /api/v1: one route per library call, parameters named as the CLI's options.

Each answer is what the matching CLI command prints with --json.
"""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from blocwatch import api, report
from blocwatch.ingest.dedup import CANDIDATE_SIMILARITY
from blocwatch.ingest.pipeline import IngestOptions
from blocwatch.store.db import Store
from blocwatch.web.app import Settings, current_store, error_body, settings

router = APIRouter(tags=["blocwatch"])

DATE_HELP = "YYYY, YYYY-MM or YYYY-MM-DD."
TEXT_TYPES = ("text/plain", "text/html", "application/xhtml+xml", "application/octet-stream",
              "application/x-ndjson", "application/jsonl", "application/warc", "application/gzip")


class JSON(JSONResponse):
    """JSON as the CLI's --json prints it (values it cannot encode become strings), compact."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, allow_nan=False, default=str,
                          separators=(",", ":")).encode("utf-8")


async def _store(request: Request) -> Store:
    # Resolved on the event loop: a thread-pool hop per request would cost more than this.
    return current_store(request)


StoreDep = Annotated[Store, Depends(_store)]

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"description": text, "content": {"application/json": {"example": error_body(code, kind, text)}}}
    for code, kind, text in (
        (400, "ExpressionError", "a bad query: the message names the input and the problem"),
        (422, "ValidationError", "a parameter is missing or malformed"),
        (500, "StoreError", "the database cannot be read"),
    )
}


@router.get("/members", responses=ERRORS, response_model=list[dict[str, Any]])
async def members(
    store: StoreDep,
    expr: Annotated[str, Query(description="Organisations, groups and states combined with "
                                           "| & - and parentheses, e.g. 'CIS - CSTO'.")],
    at: Annotated[str, Query(description=DATE_HELP)],
    status: Annotated[str, Query(description="Comma-separated statuses that count.")] = "full,associate",
) -> Response:
    """States in EXPR on a date (`blocwatch members EXPR --at AT --status STATUS --json`).

    Answered on the event loop: the query takes about a millisecond, less than a hop to
    the thread pool and back, and it is the call dashboards repeat most; ``AnswerCache``
    keeps its encoded answers until the store changes.
    """
    return JSON(report.members_json(api.members(store, expr, at=at, statuses=status)))


@router.get("/holder", responses=ERRORS, response_model=dict[str, Any])
def holder(
    store: StoreDep,
    office: Annotated[str, Query(description="An office id or a name as people write it.")],
    at: Annotated[str, Query(description=DATE_HELP)],
) -> Response:
    """Who held OFFICE on a date (`blocwatch holder OFFICE --at AT --json`)."""
    return JSON(api.holder(store, office, at=at).to_json())


@router.get("/entity", responses=ERRORS, response_model=dict[str, Any])
def entity(
    store: StoreDep,
    name: Annotated[str, Query(description="A name, alias, abbreviation or id.")],
) -> Response:
    """What a name resolves to, with candidates (`blocwatch entity NAME --json`)."""
    return JSON(report.resolution_json(store, name))


@router.get("/history", responses=ERRORS, response_model=dict[str, Any])
def history(
    store: StoreDep,
    entity: Annotated[str, Query(description="A state, organisation, group, office or person.")],
) -> Response:
    """Memberships and offices of an entity, oldest first (`blocwatch history ENTITY --json`)."""
    return JSON(api.history(store, entity).to_json())


@router.get("/accession", responses=ERRORS, response_model=dict[str, Any])
def accession(
    store: StoreDep,
    state: Annotated[str, Query(description="The state that would join.")],
    organisation: Annotated[str, Query(description="The organisation it would join.")],
    at: Annotated[str | None, Query(description=DATE_HELP + " Default: today.")] = None,
) -> Response:
    """Could STATE join ORGANISATION (`blocwatch accession STATE ORG --at AT --json`)."""
    from blocwatch.analysis import accession as run

    return JSON(run(store, state, organisation, at=at).to_json())


@router.get("/copresence", responses=ERRORS, response_model=list[dict[str, Any]])
def copresence(
    store: StoreDep,
    organisation: Annotated[str, Query(description="Whose officials are counted.")],
    at_body: Annotated[str, Query(description="The body whose meetings are counted.")],
) -> Response:
    """Per year: meetings of AT_BODY and how many had an official of ORGANISATION present
    (`blocwatch copresence ORG --at-body BODY --json`)."""
    from blocwatch.analysis import copresence as run

    return JSON([r.to_json() for r in run(store, organisation, at_body=at_body)])


@router.get("/overlap", responses=ERRORS, response_model=list[dict[str, Any]])
def overlap(
    store: StoreDep,
    first: Annotated[str, Query(description="An organisation.")],
    second: Annotated[str, Query(description="Another organisation.")],
    start: Annotated[int, Query(alias="from", ge=1900, le=2100)] = 1992,
    end: Annotated[int | None, Query(alias="to", ge=1900, le=2100)] = None,
) -> Response:
    """Yearly membership overlap of two organisations (`blocwatch overlap A B --json`)."""
    from blocwatch.analysis import overlap as run

    return JSON([r.to_json() for r in run(store, first, second, first=start, last=end)])


@router.get("/related", responses=ERRORS, response_model=list[dict[str, Any]])
def related(
    store: StoreDep,
    document: Annotated[int, Query(description="A document id.")],
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> Response:
    """Documents sharing entities and events with DOCUMENT (`blocwatch related DOC --json`)."""
    from blocwatch.analysis import related as run

    return JSON([r.to_json() for r in run(store, document, limit=limit)])


@router.get("/facts", responses=ERRORS, response_model=dict[str, Any])
def facts(
    store: StoreDep,
    entity: Annotated[str, Query(description="A state, organisation, person...")],
) -> Response:
    """What articles say about ENTITY, with verdicts (`blocwatch facts ENTITY --json`)."""
    from blocwatch.analysis import facts as run

    return JSON(run(store, entity).to_json())


@router.get("/explain", responses=ERRORS, response_model=dict[str, Any])
def explain(
    store: StoreDep,
    statement: Annotated[int, Query(description="A statement id.")],
) -> Response:
    """From sentence to fact to verdict and sources (`blocwatch explain STATEMENT --json`)."""
    from blocwatch.analysis import explain as run

    return JSON(run(store, statement))


@router.get("/search", responses=ERRORS, response_model=list[dict[str, Any]])
def search(
    store: StoreDep,
    q: Annotated[str, Query(description="Part of a name, alias or abbreviation; typos allowed.",
                            max_length=200)],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Response:
    """Entities matching Q: exact, then containing it, then fuzzy."""
    return JSON(report.search(store, q, limit=limit))


@router.get("/documents", responses=ERRORS, response_model=dict[str, Any])
def documents(
    store: StoreDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    """The latest stored documents, newest first, without their text."""
    return JSON(report.documents_json(store, limit=limit, offset=offset))


@router.get("/documents/{document_id}", response_model=dict[str, Any],
            responses={**ERRORS, 404: {"description": "no document has this id"}})
def document(store: StoreDep, document_id: int) -> Response:
    """One stored document with its text, links, and every page it was seen on."""
    return JSON(report.document_detail_json(store, document_id))


EXPORT_TYPES = {"jsonld": "application/ld+json", "graphml": "application/graphml+xml",
                "csv": "application/zip", "parquet": "application/zip"}


@router.get("/export", responses={**ERRORS, 200: {
    "description": "JSON-LD and GraphML as the one file; CSV and Parquet as a zip of one file "
                   "per table",
    "content": {media: {} for media in dict.fromkeys(EXPORT_TYPES.values())}}},
    response_class=Response)
def export(
    store: StoreDep,
    format: Annotated[Literal["csv", "jsonld", "graphml", "parquet"], Query(
        description="csv (spreadsheets), jsonld (linked data, Wikidata Q-ids), graphml (Gephi) "
                    "or parquet (pandas, DuckDB).")],
) -> Response:
    """The whole store for other tools (`blocwatch export --format FORMAT`)."""
    from blocwatch.export import export as run

    with tempfile.TemporaryDirectory(prefix="blocwatch-export-") as folder:
        files = run(store, format, folder)
        if len(files) == 1 and format in ("jsonld", "graphml"):
            body, name = files[0].read_bytes(), files[0].name
        else:
            body, name = _zip(files), f"blocwatch-{format}.zip"
    return Response(body, media_type=EXPORT_TYPES[format],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _zip(files: list[Path]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            archive.write(path, arcname=path.name)
    return buffer.getvalue()


ANALYZE_BODY = {
    "requestBody": {
        "required": True,
        "description": "A page: plain text as scraped, HTML, a WARC archive or JSON Lines; "
                       "or a multipart form with a `file` (or `text`) field.",
        "content": {
            "text/plain": {"schema": {"type": "string"}},
            "text/html": {"schema": {"type": "string"}},
            "multipart/form-data": {"schema": {"type": "object", "properties": {
                "file": {"type": "string", "format": "binary"}, "text": {"type": "string"}}}},
        },
    },
}


async def _page_bytes(request: Request) -> bytes:
    content_type = request.headers.get("content-type", "text/plain").split(";")[0].strip().lower()
    if content_type == "multipart/form-data":
        async with request.form(max_files=1, max_fields=4) as form:
            upload = form.get("file")
            if upload is not None and not isinstance(upload, str):
                return await upload.read()
            text = form.get("text")
            if isinstance(text, str):
                return text.encode("utf-8")
        raise HTTPException(422, "the form has neither a 'file' nor a 'text' field")
    if content_type not in TEXT_TYPES:
        raise HTTPException(415, f"cannot analyze {content_type!r}: send text/plain, text/html "
                                 "or multipart/form-data")
    return await request.body()


@router.post("/analyze", openapi_extra=ANALYZE_BODY, responses={
    **ERRORS, 401: {"description": "store=true without a bearer token"},
    403: {"description": "store=true with a wrong token, or writes disabled"},
    413: {"description": "the page is larger than the size limit"}})
async def analyze(
    request: Request,
    config: Annotated[Settings, Depends(settings)],
    format: Annotated[Literal["text", "html", "warc", "jsonl"] | None,
                      Query(description="Input format (default: detected from the content).")] = None,
    near_threshold: Annotated[float, Query(ge=CANDIDATE_SIMILARITY, le=1.0, description=(
        "Similarity at which two texts count as one document."))] = 0.8,
    store: Annotated[bool, Query(description="Also store the page (needs the bearer token).")] = False,
) -> dict[str, Any]:
    """What blocwatch makes of a page (`blocwatch analyze - --json`); with store=true, ingest it.

    One page answers as `analyze --json` prints it; an archive of several
    pages as `{"pages": [...]}`. With store=true the answer also holds
    `stored`, the ingest summary, and document ids are the database's.
    """
    if store:
        config.check_write(request)
    data = await _page_bytes(request)
    options = IngestOptions(format=format, near_threshold=near_threshold)
    if store:
        results, stored = await run_in_threadpool(_ingest, config.store, data, options)
    else:
        results, stored = await run_in_threadpool(_analyze, data, options), None
    if all("error" in r for r in results):
        raise HTTPException(422, f"cannot read the page: {results[0]['error']}")
    # One page answers as `analyze --json` prints it; an archive of several, as a list.
    out: dict[str, Any] = dict(results[0]) if len(results) == 1 else {"pages": results}
    if stored is not None:
        out["stored"] = stored
    return out


def _analyze(data: bytes, options: IngestOptions) -> list[dict[str, Any]]:
    return list(api.analyze(["-"], options=options, stdin=io.BytesIO(data)))


def _ingest(store: Store, data: bytes,
            options: IngestOptions) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    summary = api.ingest(store, ["-"], options=options, stdin=io.BytesIO(data))
    results = [report.page_json(store, o.page_id, o.path, o.duplicates_removed)
               for o in summary.outcomes]
    results += [{"path": f.path, "error": f.reason} for f in summary.failures]
    return results, summary.to_json()
