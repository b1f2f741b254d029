"""``coproduce report``: the whole-programme PDF, rendered part by part outside any request."""

from __future__ import annotations

import resource
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _

from webapp.extensions import db


@click.command("report")
@with_appcontext
@click.argument("programme_id", type=int)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True),
              required=True, help="Where to write the PDF, e.g. programme-report.pdf.")
@click.option("--min-cell", type=int, default=None,
              help="The small-cell threshold k (at least 5; default: REPORT_MIN_CELL).")
def report(programme_id: int, output: str, min_cell: int | None):
    """Write the curriculum-review report of programme PROGRAMME_ID as one PDF: every module
    version across its cohorts, then every cohort across its modules."""
    from curriculum.aggregate import MIN_K
    from webapp.models import Programme
    from webapp.pdf import PdfUnavailable

    k = current_app.config.get("REPORT_MIN_CELL", MIN_K) if min_cell is None else min_cell
    if k < MIN_K:
        raise click.BadParameter(_("the threshold is at least %(min)d; %(k)d could expose people",
                                   min=MIN_K, k=k), param_hint="--min-cell")
    target = Path(output)
    if target.suffix.lower() != ".pdf":
        raise click.BadParameter(_("the output file must end in .pdf"), param_hint="--output")
    if not target.parent.is_dir():
        raise click.BadParameter(_("the folder %(folder)s does not exist", folder=target.parent),
                                 param_hint="--output")
    programme = db.session.get(Programme, programme_id) if 0 < programme_id < 2**31 else None
    if programme is None:
        raise click.BadParameter(_("there is no programme with id %(id)d", id=programme_id),
                                 param_hint="PROGRAMME_ID")
    from webapp.reports import whole

    started = time.perf_counter()

    def announce(number: int, count: int, title: str) -> None:
        click.echo(f"[{number}/{count}] {title}", err=True)

    try:
        pages, parts = whole.write(programme, k, target, announce=announce)
    except PdfUnavailable as exc:
        raise click.ClickException(_("PDF export is not available here: %(why)s",
                                       why=exc)) from exc
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    click.echo(_("Wrote %(file)s: %(pages)d pages, %(parts)d parts, %(seconds).1f s; peak memory "
                 "(process) %(mib).0f MiB.", file=target, pages=pages, parts=parts,
                 seconds=time.perf_counter() - started, mib=max_rss))
