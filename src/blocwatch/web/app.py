"""The ASGI app: ``create_app()`` builds the JSON API under /api/v1 and the web UI.

Both fronts call the library and hold no logic of their own. What this
module adds is HTTP: one JSON error shape for every error, a request size
limit, read-only by default (writes need ``Authorization: Bearer <token>``,
the token from BLOCWATCH_TOKEN), and security headers on HTML pages.

Error shape, for every error the API answers::

    {"error": {"status": 400, "type": "ExpressionError", "message": "..."}}
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
from http import HTTPStatus
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from blocwatch import api
from blocwatch.errors import BlocwatchError, QueryError
from blocwatch.report import NotFoundError
from blocwatch.store.db import Store

log = logging.getLogger(__name__)

TOKEN_ENV = "BLOCWATCH_TOKEN"
API_PREFIX = "/api/v1"
MAX_BODY_BYTES = 5 * 1024 * 1024
HERE = Path(__file__).resolve().parent

# HTML pages load nothing from elsewhere and run only the package's own script.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


class Settings:
    """What one app serves: which database, which token, and the store, opened on first use."""

    def __init__(self, db: str | None, token: str | None, max_body: int) -> None:
        self.db = db
        self.token = token or None
        self.max_body = max_body
        self._store: Store | None = None
        self._lock = threading.Lock()

    @property
    def store(self) -> Store:
        if self._store is None:
            with self._lock:
                if self._store is None:
                    self._store, _ = api.connect(self.db)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def check_write(self, request: Request) -> None:
        """Refuse a write: 401 without a bearer token, 403 with a wrong one or when writes are off."""
        header = request.headers.get("authorization", "")
        scheme, _, given = header.partition(" ")
        if self.token is None:
            raise HTTPException(403, f"writes are disabled on this server (start it with {TOKEN_ENV} set)")
        if scheme.lower() != "bearer" or not given.strip():
            raise HTTPException(401, "this request writes to the database: send "
                                     "'Authorization: Bearer <token>'",
                                headers={"WWW-Authenticate": "Bearer"})
        if not secrets.compare_digest(given.strip().encode(), self.token.encode()):
            raise HTTPException(403, "the bearer token is not valid")

    def token_refusal(self, given: str) -> tuple[int, str] | None:
        """Why a write with GIVEN (a token typed into a form) is refused, as (status, reason)."""
        if self.token is None:
            return 403, f"writes are disabled on this server (start it with {TOKEN_ENV} set)"
        if not given.strip():
            return 401, "storing writes to the database and needs the server's bearer token"
        if not secrets.compare_digest(given.strip().encode(), self.token.encode()):
            return 403, "the bearer token is not valid"
        return None


def settings(request: Request) -> Settings:
    return request.app.state.blocwatch  # type: ignore[no-any-return]


def current_store(request: Request) -> Store:
    """The app's store, already synced for this request by ``AnswerCache``."""
    return settings(request).store


def error_body(status: int, type_: str, message: str) -> dict[str, Any]:
    """The one shape of every error the API answers."""
    return {"error": {"status": status, "type": type_, "message": message}}


# Fixed names, so the error type does not change with Python's HTTPStatus phrases.
HTTP_TYPES = {
    400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound",
    405: "MethodNotAllowed", 413: "ContentTooLarge", 415: "UnsupportedMediaType",
    422: "ValidationError", 500: "InternalServerError",
}


def _http_type(status: int) -> str:
    if status in HTTP_TYPES:
        return HTTP_TYPES[status]
    try:
        return HTTPStatus(status).phrase.replace(" ", "").replace("-", "")
    except ValueError:
        return "HTTPError"


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith(API_PREFIX) and not request.url.path.startswith("/static")


def _error_response(request: Request, status: int, type_: str, message: str,
                    headers: dict[str, str] | None = None) -> Response:
    if _wants_html(request):
        from blocwatch.web.pages import error_page

        return error_page(request, status, type_, message, headers=headers)
    return JSONResponse(error_body(status, type_, message), status_code=status, headers=headers)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "body", "path"))
        loc = err.get("loc", ("",))[0]
        parts.append(f"{loc} parameter {where!r}: {err.get('msg', 'invalid')}" if where
                     else str(err.get("msg", "invalid")))
    return "; ".join(parts) or "invalid request"


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        detail = exc.detail if isinstance(exc.detail, str) else _http_type(exc.status_code)
        return _error_response(request, exc.status_code, _http_type(exc.status_code), detail,
                               headers=dict(exc.headers) if exc.headers else None)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        return _error_response(request, 422, "ValidationError", _validation_message(exc))

    @app.exception_handler(BlocwatchError)
    async def blocwatch_error(request: Request, exc: BlocwatchError) -> Response:
        if isinstance(exc, NotFoundError):
            status = 404
        elif isinstance(exc, QueryError):
            status = 400
        else:
            status = 500
            log.error("%s: %s", type(exc).__name__, exc)
        return _error_response(request, status, type(exc).__name__, str(exc))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return _error_response(request, 500, "InternalServerError", "internal server error")


class BodyLimit:
    """ASGI middleware: refuse a request body over MAX bytes with 413, declared or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        message = f"request body is larger than {self.max_bytes} bytes"
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = 0
                if declared > self.max_bytes:
                    response = JSONResponse(error_body(413, "ContentTooLarge", message), 413)
                    await response(scope, receive, send)
                    return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > self.max_bytes:
                    raise HTTPException(413, message)
            return msg

        await self.app(scope, limited, send)


class SecurityHeaders:
    """ASGI middleware: nosniff everywhere; a strict CSP on the UI's HTML pages."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        ui = not scope["path"].startswith(API_PREFIX + "/docs")

        async def with_headers(msg: Message) -> None:
            if msg["type"] == "http.response.start":
                headers = list(msg.get("headers", []))
                headers.append((b"x-content-type-options", b"nosniff"))
                headers.append((b"referrer-policy", b"same-origin"))
                content_type = dict(headers).get(b"content-type", b"")
                if ui and content_type.startswith(b"text/html"):
                    headers.append((b"content-security-policy", CSP.encode()))
                msg = {**msg, "headers": headers}
            await send(msg)

        await self.app(scope, receive, with_headers)


class AnswerCache:
    """ASGI middleware: sync the store once per request, then answer a repeated GET of a
    cached path from memory.

    The sync (``Store.sync``) makes a reload or import run by another process show
    at once, on every page and route; doing it here, once, spares each route its own
    read of the store's revision. Only paths whose answers depend on the reference snapshot alone (PATHS) are
    kept, keyed by path and query string, and only 200 answers. They live in the
    store's cache, which ``Store.sync()`` empties when any process changes
    entities or memberships, so a kept answer is never older than the data.
    """

    PATHS = frozenset({API_PREFIX + "/members"})
    MAX_KEPT = 4096

    def __init__(self, app: ASGIApp, config: Settings) -> None:
        self.app = app
        self.config = config

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/static/"):
            await self.app(scope, receive, send)
            return
        try:
            store = self.config.store
            store.sync()
        except BlocwatchError:  # answered by the app, in the one error shape
            await self.app(scope, receive, send)
            return
        if scope["method"] != "GET" or scope["path"] not in self.PATHS:
            await self.app(scope, receive, send)
            return
        kept = store.cache.setdefault("http_answers", {})
        assert isinstance(kept, dict)
        key = (scope["path"], scope["query_string"])
        answer = kept.get(key)
        if answer is not None:
            start, body = answer
            await send(start)
            await send({"type": "http.response.body", "body": body})
            return
        parts: list[Message] = []

        async def keep(msg: Message) -> None:
            parts.append(msg)
            await send(msg)

        await self.app(scope, receive, keep)
        if (len(parts) == 2 and parts[0]["type"] == "http.response.start"
                and parts[0]["status"] == 200 and not parts[1].get("more_body")):
            if len(kept) >= self.MAX_KEPT:
                kept.pop(next(iter(kept)), None)
            kept[key] = (parts[0], parts[1].get("body", b""))


def create_app(*, db: str | None = None, token: str | None = None,
               max_body: int = MAX_BODY_BYTES) -> FastAPI:
    """The blocwatch web app on database DB (like the CLI's --db); writes need TOKEN.

    TOKEN defaults to the BLOCWATCH_TOKEN environment variable; without one the
    app is read-only. The database is opened on the first request.
    """
    from contextlib import asynccontextmanager

    from blocwatch.web import pages, routes

    config = Settings(db, token if token is not None else os.environ.get(TOKEN_ENV), max_body)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):  # type: ignore[no-untyped-def]
        try:
            yield
        finally:
            config.close()

    app = FastAPI(
        title="blocwatch",
        summary="Who belongs to which bloc, who holds which office, since when — sourced.",
        version=_version(),
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.blocwatch = config
    _install_error_handlers(app)
    app.include_router(routes.router, prefix=API_PREFIX)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.add_middleware(AnswerCache, config=config)
    app.add_middleware(BodyLimit, max_bytes=max_body)
    app.add_middleware(SecurityHeaders)
    return app


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("blocwatch")
    except PackageNotFoundError:
        return "0"
