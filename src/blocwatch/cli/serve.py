"""`blocwatch serve`: the HTTP API and web UI on uvicorn. Registered by the CLI's main group."""

from __future__ import annotations

import os

import click


@click.command(name="serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="TCP port to listen on.")
@click.pass_context
def serve_command(ctx: click.Context, host: str, port: int) -> None:
    """Serve the JSON API (/api/v1) and the web UI on the root --db.

    Read-only unless BLOCWATCH_TOKEN is set; then writes (POST
    /api/v1/analyze?store=true) need 'Authorization: Bearer <token>'.

    Example: blocwatch --db bloc.sqlite serve --port 8000
    """
    import uvicorn

    from blocwatch.web import create_app
    from blocwatch.web.app import TOKEN_ENV

    obj = ctx.find_root().obj or {}
    app = create_app(db=obj.get("db"))
    mode = "writes need the bearer token" if os.environ.get(TOKEN_ENV) else (
        f"read-only (set {TOKEN_ENV} to allow writes)")
    click.echo(f"Serving blocwatch on http://{host}:{port}/ — API at /api/v1, {mode}", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
