"""The command line: a thin front on the library. Every command takes --json."""

from __future__ import annotations

import json
import logging
import sys
from typing import Any

import click

from blocwatch import api
from blocwatch.cli import render
from blocwatch.errors import BlocwatchError, QueryError
from blocwatch.store.db import Store


class _Group(click.Group):
    """Turns blocwatch's own errors into one line on stderr: exit 2 for a bad query, else 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except QueryError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(2)
        except BlocwatchError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(1)
        except KeyboardInterrupt:
            click.echo("Error: interrupted", err=True)
            ctx.exit(130)


def _emit(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def _store(ctx: click.Context) -> Store:
    """The database named by --db (or BLOCWATCH_DB, or the default), reference base loaded."""
    obj = ctx.find_root().obj
    if obj.get("store") is None:
        store, result = api.connect(obj.get("db"))
        if result is not None and result.action == "loaded":
            click.echo(f"Initialised {store.location}", err=True)
        obj["store"] = store
        ctx.call_on_close(store.close)
    return obj["store"]


json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for machines.")
at_option = click.option(
    "--at", "at", required=True, metavar="DATE", help="YYYY, YYYY-MM or YYYY-MM-DD."
)


@click.group(cls=_Group)
@click.option(
    "--db", envvar="BLOCWATCH_DB", metavar="PATH|URL",
    help="Database file or URL (default: BLOCWATCH_DB, else the user data folder).",
)
@click.option("-v", "--verbose", is_flag=True, help="Log what blocwatch does.")
@click.version_option(package_name="blocwatch")
@click.pass_context
def main(ctx: click.Context, db: str | None, verbose: bool) -> None:
    """blocwatch: who belongs to which bloc, who holds which office, since when — sourced.

    Example: blocwatch members "CIS - CSTO" --at 2018-11-21
    """
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    ctx.ensure_object(dict)
    ctx.obj["db"] = db


@main.command()
@click.option("--reload", is_flag=True, help="Replace the reference rows (never touches learned rows).")
@json_option
@click.pass_context
def init(ctx: click.Context, reload: bool, as_json: bool) -> None:
    """Create the database and load the bundled reference base.

    Running it again changes nothing; --reload replaces the reference rows.

    Example: blocwatch --db bloc.sqlite init
    """
    store, result = api.init(ctx.find_root().obj.get("db"), reload=reload)
    ctx.call_on_close(store.close)
    if as_json:
        _emit({"database": store.location, "action": result.action, "counts": result.counts,
               "kept": result.kept, "message": result.message})
    else:
        click.echo(f"{store.location}: {result.message}")
        for kept in result.kept:
            click.echo(f"kept {kept}: no longer in the reference data, but other rows use it")


@main.command()
@click.argument("expr")
@at_option
@click.option("--status", "status", default="full,associate", show_default=True,
              help="Comma-separated statuses that count as belonging.")
@json_option
@click.pass_context
def members(ctx: click.Context, expr: str, at: str, status: str, as_json: bool) -> None:
    """States in EXPR on a date.

    EXPR combines organisations, groups (and states) with | (union),
    & (intersection), - (difference) and parentheses.

    Example: blocwatch members "post-soviet - (CIS | CSTO)" --at 2018-11-21
    """
    from blocwatch.report import members_json

    result = api.members(_store(ctx), expr, at=at, statuses=status)
    if as_json:
        _emit(members_json(result))
    else:
        render.members(result)


@main.command()
@click.argument("office")
@at_option
@json_option
@click.pass_context
def holder(ctx: click.Context, office: str, at: str, as_json: bool) -> None:
    """Who held OFFICE on a date (an id or a name as people write it).

    Example: blocwatch holder "NATO Secretary General" --at 2025-01-01
    """
    result = api.holder(_store(ctx), office, at=at)
    if as_json:
        _emit(result.to_json())
    else:
        render.holder(result)


@main.command()
@click.argument("entity")
@json_option
@click.pass_context
def history(ctx: click.Context, entity: str, as_json: bool) -> None:
    """The membership and office timeline of a state, organisation, group or person.

    Example: blocwatch history Uzbekistan
    """
    result = api.history(_store(ctx), entity)
    if as_json:
        _emit(result.to_json())
    else:
        render.history(result)


@main.command()
@click.argument("name")
@json_option
@click.pass_context
def entity(ctx: click.Context, name: str, as_json: bool) -> None:
    """Resolve a name, alias or abbreviation to an entity, with candidates when ambiguous.

    Example: blocwatch entity ODKB
    """
    from blocwatch.report import resolution_json

    store = _store(ctx)
    if as_json:
        _emit(resolution_json(store, name))
        return
    result = api.resolve(store, name)
    if not result.candidates:
        raise QueryError(f"unknown entity {name!r}: no name, alias or abbreviation matches")
    render.resolution(result)


format_option = click.option(
    "--format", "fmt", type=click.Choice(["text", "html", "warc", "jsonl"]),
    help="Input format (default: detected from the content).",
)
near_option = click.option(
    "--near-threshold", type=float, default=0.8, show_default=True,
    help="Similarity (0.5-1.0) at which two texts count as one document.",
)


def _progress():  # type: ignore[no-untyped-def]
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    return Progress(
        SpinnerColumn(), TextColumn("{task.completed} input(s)"), TextColumn("{task.description}"),
        TimeElapsedColumn(), transient=True, disable=not sys.stderr.isatty(),
        console=render.Console(stderr=True),
    )


def page_inputs(command: Any) -> Any:
    """The options every command that reads pages takes: PATHS, --format, --near-threshold, --json."""
    for option in (json_option, near_option, format_option,
                   click.argument("paths", nargs=-1, required=True)):
        command = option(command)
    return command


@main.command()
@page_inputs
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[str, ...], fmt: str | None, near_threshold: float,
           as_json: bool) -> None:
    """Store pages from files, directories (recursive) or - (stdin).

    Each page is stored with the documents found in it, one transaction per
    page; the same page again changes nothing. Exit 1 if some input failed
    (the others are still stored).

    Example: blocwatch ingest pages/ archive.warc.gz
    """
    from blocwatch.ingest.pipeline import IngestOptions

    options = IngestOptions(format=fmt, near_threshold=near_threshold)  # type: ignore[arg-type]
    store = _store(ctx)
    with _progress() as progress:
        task = progress.add_task("", total=None)
        summary = api.ingest(store, list(paths), options=options, stdin=sys.stdin.buffer,
                             progress=lambda path: progress.update(task, advance=1, description=path))
    if as_json:
        _emit(summary.to_json())
    else:
        render.ingest_summary(summary)
    if summary.failures:
        ctx.exit(1)


@main.command()
@page_inputs
@click.pass_context
def analyze(ctx: click.Context, paths: tuple[str, ...], fmt: str | None, near_threshold: float,
            as_json: bool) -> None:
    """Show what blocwatch makes of pages, without touching any database.

    With --json and one page: one JSON object; with several: JSON Lines.

    Example: blocwatch analyze page.txt --json
    """
    from blocwatch.ingest.pipeline import IngestOptions

    options = IngestOptions(format=fmt, near_threshold=near_threshold)  # type: ignore[arg-type]
    results = list(api.analyze(list(paths), options=options, stdin=sys.stdin.buffer))
    failed = any("error" in r for r in results)
    if as_json:
        if len(results) == 1:
            _emit(results[0])
        else:
            for result in results:
                click.echo(json.dumps(result, ensure_ascii=False, default=str))
    else:
        for result in results:
            render.page(result)
    if failed:
        ctx.exit(1)


@main.command()
@click.argument("state")
@click.argument("organisation")
@click.option("--at", "at", metavar="DATE", help="Judge the stances on record up to DATE (default today).")
@json_option
@click.pass_context
def accession(ctx: click.Context, state: str, organisation: str, at: str | None, as_json: bool) -> None:
    """Could STATE join ORGANISATION? Applies its admission rule to the stances on record.

    Example: blocwatch accession Azerbaijan CSTO --at 2019-01-01
    """
    from blocwatch.analysis import accession as run

    result = run(_store(ctx), state, organisation, at=at)
    if as_json:
        _emit(result.to_json())
    else:
        render.accession(result)


@main.command()
@click.argument("organisation")
@click.option("--at-body", "at_body", required=True, metavar="BODY",
              help="The body whose meetings are counted (id or name).")
@json_option
@click.pass_context
def copresence(ctx: click.Context, organisation: str, at_body: str, as_json: bool) -> None:
    """Per year: meetings of BODY on record and how many had an official of ORGANISATION.

    Example: blocwatch copresence CSTO --at-body "CIS security council secretaries"
    """
    from blocwatch.analysis import copresence as run

    rows = run(_store(ctx), organisation, at_body=at_body)
    if as_json:
        _emit([r.to_json() for r in rows])
    else:
        render.copresence(rows, organisation, at_body)


@main.command()
@click.argument("first")
@click.argument("second")
@click.option("--from", "start", type=int, default=1992, show_default=True, help="First year.")
@click.option("--to", "end", type=int, help="Last year (default: this year).")
@json_option
@click.pass_context
def overlap(ctx: click.Context, first: str, second: str, start: int, end: int | None,
            as_json: bool) -> None:
    """How two organisations' memberships overlap year by year, and joint meetings on record.

    Example: blocwatch overlap CIS CSTO --from 2000
    """
    from blocwatch.analysis import overlap as run

    rows = run(_store(ctx), first, second, first=start, last=end)
    if as_json:
        _emit([r.to_json() for r in rows])
    else:
        render.overlap(rows, first, second)


@main.command()
@click.argument("document", type=int)
@click.option("--limit", type=int, default=10, show_default=True)
@json_option
@click.pass_context
def related(ctx: click.Context, document: int, limit: int, as_json: bool) -> None:
    """Documents ranked by the entities and events they share with DOCUMENT (an id).

    Example: blocwatch related 1
    """
    from blocwatch.analysis import related as run

    rows = run(_store(ctx), document, limit=limit)
    if as_json:
        _emit([r.to_json() for r in rows])
    else:
        render.related(rows)


@main.command()
@click.argument("entity")
@json_option
@click.pass_context
def facts(ctx: click.Context, entity: str, as_json: bool) -> None:
    """What articles say about ENTITY, newest first, with verdicts; disagreements side by side.

    Example: blocwatch facts Azerbaijan
    """
    from blocwatch.analysis import facts as run

    result = run(_store(ctx), entity)
    if as_json:
        _emit(result.to_json())
    else:
        render.facts(result)


@main.command()
@click.argument("statement", type=int)
@json_option
@click.pass_context
def explain(ctx: click.Context, statement: int, as_json: bool) -> None:
    """The chain from sentence to extracted fact to verdict and its sources.

    Example: blocwatch explain 12
    """
    from blocwatch.analysis import explain as run

    result = run(_store(ctx), statement)
    if as_json:
        _emit(result)
    else:
        render.explain(result)


@main.command()
@click.option("--format", "fmt", required=True, type=click.Choice(["csv", "jsonld", "graphml", "parquet"]))
@click.option("--out", "out", default="blocwatch-export", show_default=True, metavar="DIR",
              help="Folder to write into (created if needed).")
@click.pass_context
def export(ctx: click.Context, fmt: str, out: str) -> None:
    """Export the store: CSV, JSON-LD (Wikidata Q-ids), GraphML (Gephi) or Parquet.

    Example: blocwatch export --format graphml --out export/
    """
    from blocwatch.export import export as run

    for path in run(_store(ctx), fmt, out):
        click.echo(str(path))


@main.group(name="import")
def import_() -> None:
    """Import an external dataset into the store."""


@import_.command(name="cow-igo")
@click.argument("file", type=click.Path(dir_okay=False))
@json_option
@click.pass_context
def import_cow(ctx: click.Context, file: str, as_json: bool) -> None:
    """Load the Correlates of War IGO v3 state-year CSV (plain or .gz).

    Curated rows win where both speak of the same state and organisation.
    Importing the same file again changes nothing.

    Example: blocwatch import cow-igo state_year_format3.csv.gz
    """
    result = api.import_cow_igo(_store(ctx), file)
    if as_json:
        _emit(result.to_json())
    else:
        click.echo(result.message)


@main.command()
@click.option("--serve", "then_serve", is_flag=True, help="Then serve the web UI on the same database.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.pass_context
def demo(ctx: click.Context, then_serve: bool, port: int) -> None:
    """Load the reference base and the bundled sample articles, then answer questions from them.

    Example: blocwatch demo --serve
    """
    store = _store(ctx)
    summary = api.load_samples(store)
    click.echo(f"Database: {store.location}")
    click.echo(f"Sample articles: {summary.pages} page(s), {summary.pages_new} new\n")
    render.tour(store)
    if then_serve:
        from blocwatch.cli.serve import serve_command

        ctx.find_root().obj["db"] = store.location
        click.echo(f"\nOpen http://127.0.0.1:{port}/ in a browser (Ctrl+C stops).")
        ctx.invoke(serve_command, host="127.0.0.1", port=port)


def _register() -> None:
    """Commands that live in their own modules."""
    from blocwatch.cli.doctor import doctor_command
    from blocwatch.cli.scale import load_command, spark_ingest_command
    from blocwatch.cli.serve import serve_command

    main.add_command(serve_command)
    main.add_command(doctor_command)
    main.add_command(spark_ingest_command)
    main.add_command(load_command)


_register()
