"""`blocwatch doctor`: is the database whole? Registered by the CLI's main group."""

from __future__ import annotations

import json

import click

from blocwatch.doctor import DoctorReport, check
from blocwatch.store.db import default_db_location


@click.command(name="doctor")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for machines.")
@click.pass_context
def doctor_command(ctx: click.Context, as_json: bool) -> None:
    """Check the database: integrity, schema version, reference data, orphaned rows.

    Only reads. Prints what it holds and every problem found; exit 1 when
    something is wrong.

    Example: blocwatch --db bloc.sqlite doctor --json
    """
    obj = ctx.find_root().obj or {}
    report = check(obj.get("db") or default_db_location())
    if as_json:
        click.echo(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        _print(report)
    if not report.ok:
        ctx.exit(1)


def _print(report: DoctorReport) -> None:
    click.echo(f"{report.location}: {'ok' if report.ok else f'{len(report.problems)} problem(s)'}")
    if report.schema:
        click.echo(f"schema: {', '.join(report.schema)}")
    if report.counts:
        click.echo("counts: " + ", ".join(f"{n} {name}" for name, n in report.counts.items()))
    for problem in report.problems:
        click.echo(f"problem: {problem}")
