"""``allmende db upgrade``, ``harvest``, ``reread`` and ``export``: the catalogue commands.

The database layer (SQLAlchemy, Alembic) is imported inside the commands, not at the top:
it costs half a second of start-up that ``allmende validate`` — run per file in maintainers'
CI pipelines — should not pay.
"""

from __future__ import annotations

import csv
import json
import logging
import sys

import click

from ..storage import disk_full, full_disk_message
from . import context, mail


@click.group("db")
def db_group() -> None:
    """Manage the catalogue database."""


@db_group.command("upgrade")
def db_upgrade() -> None:
    """Create or upgrade the catalogue schema to the newest migration."""
    from .. import db

    settings = context.current().settings
    try:
        db.upgrade(settings.database_url)
    except db.DatabaseError as exc:
        click.echo(f"allmende: {exc}", err=True)
        sys.exit(2)
    click.echo(f"catalogue schema is at revision {db.head_revision()}", err=True)


@click.command("harvest")
@click.option("--source", "names", multiple=True, metavar="NAME",
              help="Harvest only this source (repeatable). Default: every enabled source.")
@click.option("--full", is_flag=True,
              help="Fetch every repository again, even those unchanged since the last run.")
@click.option("--requested", is_flag=True,
              help="Only run the queued requests (webhooks, API, new registrations), then exit.")
def harvest_command(names: tuple[str, ...], full: bool, requested: bool) -> None:
    """Harvest the configured sources (and the built-in registered source) into the catalogue.

    Exit status: 0 when everything was harvested, 1 when a source or repository failed,
    2 on configuration errors, 3 when another harvest is already running.
    """
    from harvesters import harvester_for  # the harvesters are only loaded when harvesting
    from harvesters.lock import HarvestAlreadyRunning, harvest_lock
    from harvesters.progress import Progress
    from harvesters.registered import with_registered_source
    from harvesters.run import run_source

    from ..config import ConfigError

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s",
                        stream=sys.stderr)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    if requested:
        from harvesters.on_demand import drain

        engine = context.current().engine()
        count = drain(engine, context.current().settings)
        click.echo(f"harvest requests: {count} run")
        if count:
            mail.send_notifications(engine, context.current().settings)
        sys.exit(0)
    settings = with_registered_source(context.current().settings)
    try:
        sources = [settings.source(n) for n in names] or [
            s for s in settings.sources if s.enabled]
    except ConfigError as exc:
        click.echo(f"allmende: {exc}", err=True)
        sys.exit(2)
    if not sources:
        click.echo("allmende: no sources configured; see docs/configuration.md", err=True)
        sys.exit(2)
    engine = context.current().engine()
    failed = False
    try:
        with harvest_lock(settings.data_dir, engine):
            for source in sources:
                harvester = harvester_for(source, settings)
                try:
                    report = run_source(harvester, engine, full=full,
                                        workers=settings.harvest_workers,
                                        progress=Progress.for_source(source.name))
                except Exception as exc:
                    if not disk_full(exc):
                        raise
                    # the run's own bookkeeping could not be written: nothing more will be
                    click.echo(f"allmende: {full_disk_message('the catalogue')}", err=True)
                    sys.exit(1)
                click.echo(report.summary())
                failed |= report.failed
            _link_organisations(engine)
            if _update_index(engine, settings.index_dir):
                _update_matches(engine, settings.index_dir)
            else:
                failed = True
            mail.send_notifications(engine, settings)  # logs failures; exit code unchanged
    except HarvestAlreadyRunning as exc:
        click.echo(f"allmende: {exc}", err=True)
        sys.exit(3)
    sys.exit(1 if failed else 0)


@click.command("reread")
def reread_command() -> None:
    """Read every stored publiccode.yml again with the current reader, at once and offline.

    Grades, shown fields and reading notes are brought up to date (after an upgrade); the
    validator's verdict and findings stay as the last harvest stored them. The search index
    follows. The next harvest does the same by itself, fetching the files again.
    """
    from sqlmodel import select

    from .. import db
    from ..catalogue import reread_solution
    from ..models import Solution
    from ..publiccode import read_bytes

    engine = context.current().engine()
    with db.session_scope(engine) as session:
        ids = list(session.exec(select(Solution.id).where(
            Solution.status.in_(("valid", "invalid")), Solution.raw_text.is_not(None))))
    changed: list[int] = []
    for solution_id in ids:  # one short transaction each: a long run blocks no harvest
        with db.session_scope(engine) as session:
            solution = session.get(Solution, solution_id)
            if solution is None or solution.raw_text is None:
                continue
            if reread_solution(session, solution, read_bytes(solution.raw_text.encode())):
                changed.append(solution_id)
    click.echo(f"reread {len(ids)} stored files: {len(changed)} changed")
    sys.exit(0 if _update_index(engine, context.current().settings.index_dir) else 1)


def _update_index(engine, index_dir) -> bool:
    """The search index follows the catalogue by content version (whatever this run or a
    killed earlier one changed), or is built if there is none yet. A failure here never
    touches the catalogue; it is reported with the way to repair."""
    import search

    try:
        done = search.follow(engine, index_dir)
    except Exception as exc:  # noqa: BLE001 - the harvest itself succeeded; say how to repair
        if disk_full(exc):
            click.echo(f"allmende: {full_disk_message(f'the search index ({index_dir})')} The "
                       "next harvest catches the index up.", err=True)
            return False
        logging.getLogger(__name__).exception("search index update failed")
        click.echo(f"allmende: the search index could not be updated ({exc}); the catalogue is "
                   "fine. Run `allmende index rebuild`.", err=True)
        return False
    if done:
        click.echo(f"search index: {done}")
    return True


def _link_organisations(engine) -> None:
    """New publishers and usedBy names meet the official organisations (where the match is
    certain: registry.directory.linking) before the index is updated, so the region facet and
    the adopters' links are there at once. Nothing to do until a directory was imported."""
    from .. import db
    from ..directory import link_catalogue

    with db.session_scope(engine) as session:
        report = link_catalogue(session)
        session.commit()
    if report.publishers or report.adoptions or report.regions:
        click.echo(f"linked to official organisations: {report.publishers} publisher(s), "
                   f"{report.adoptions} usedBy name(s); {report.regions} region(s) filled")


def _update_matches(engine, index_dir) -> None:
    """The catalogue changed: match every open need again (new matches reach their owners in
    the digest the mail step sends). A failure is reported, not fatal: the harvest worked."""
    from market.recompute import recompute

    try:
        report = recompute(engine, index_dir)
    except Exception as exc:  # noqa: BLE001 - the catalogue and index are fine; say so
        logging.getLogger(__name__).exception("matching needs failed")
        click.echo(f"allmende: needs could not be matched again ({exc}); the next harvest "
                   "tries again", err=True)
        return
    if report.needs:
        click.echo(f"needs matched: {report.needs}, new matches: {len(report.new)}")


@click.command("export")
@click.option("--format", "output_format", type=click.Choice(["json", "csv", "text"]),
              default="json", show_default=True,
              help="json: an array of solutions; csv: one row each; text: a table for people.")
@click.option("--all", "include_all", is_flag=True,
              help="Also invalid, unlisted and removed entries, with their status.")
def export_command(output_format: str, include_all: bool) -> None:
    """Write the catalogue to stdout."""
    from .. import db
    from ..export import CSV_COLUMNS, csv_row, export_solutions

    engine = context.current().engine()
    with db.session_scope(engine) as session:
        rows = export_solutions(session, include_all=include_all)
    if output_format == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif output_format == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(csv_row(row) for row in rows)
    else:
        _print_table(rows)


def _print_table(rows: list[dict]) -> None:
    columns = ("name", "publisher", "development_status", "license", "status")
    cells = [[str(row.get(c) or "–") for c in columns] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    click.echo("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)))
    for row in cells:
        click.echo("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)))
    click.echo(f"{len(rows)} solution(s)", err=True)


def register(group: click.Group) -> None:
    group.add_command(db_group)
    group.add_command(harvest_command)
    group.add_command(reread_command)
    group.add_command(export_command)
    mail.register(group)
