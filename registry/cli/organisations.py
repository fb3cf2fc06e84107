"""``allmende organisations …``: organisations from the official municipality directory.

``import FILE`` reads a GV100AD file of the Federal Statistical Office whole before it writes
anything, then writes all of it in one transaction and links the catalogue where the match is
certain; ``link`` runs only the linking (after a harvest brought new publishers or usedBy
names). Exit 0 on success, 1 when the file cannot be read as a directory (the message names
the line; nothing was written), 2 on usage or configuration errors.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .context import AppContext

EXIT_PROBLEMS = 1


def register(main: click.Group) -> None:
    main.add_command(organisations)


@click.group()
def organisations() -> None:
    """Organisations from official data."""


@organisations.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--no-link", is_flag=True,
              help="Do not link catalogue publishers and usedBy names afterwards.")
@click.option("--update-names", is_flag=True,
              help="Give existing organisations the directory's name (overwrites names "
                   "people corrected).")
@click.pass_obj
def import_command(app: AppContext, file: Path, no_link: bool, update_names: bool) -> None:
    """Import the municipality directory (GV100AD, ISO-8859-1 or UTF-8)."""
    from ..db import session_scope
    from ..directory import DirectoryError, import_file
    from ..models import utcnow

    with session_scope(app.engine()) as session:
        try:
            report = import_file(session, file, now=utcnow(), link=not no_link,
                                 update_names=update_names)
        except DirectoryError as exc:
            click.echo(f"allmende: {file}: {exc}; nothing was imported", err=True)
            sys.exit(EXIT_PROBLEMS)
        session.commit()
    click.echo(f"{file.name} (Gebietsstand {report.as_of}): {report.records} records; "
               f"organisations: {report.created} new, {report.updated} updated, "
               f"{report.unchanged} unchanged, {report.adopted} matched to existing ones, "
               f"{report.not_in_file} no longer listed")
    skipped = sum(report.skipped_unknown_types.values())
    if skipped or report.skipped_unincorporated:
        types = ", ".join(f"{t}: {n}" for t, n in report.skipped_unknown_types.items())
        click.echo(f"skipped: {report.skipped_unincorporated} unincorporated areas, "
                   f"{skipped} lines of unknown record types" + (f" ({types})" if types else ""))
    if report.latin1_lines:
        click.echo(f"{report.latin1_lines} lines read as ISO-8859-1")
    if report.name_differs:
        click.echo(f"{report.name_differs} names differ from the directory and were kept "
                   "(--update-names applies the directory's):")
        for example in report.name_examples:
            click.echo(f"  {example}")
    if report.renamed:
        click.echo(f"{report.renamed} organisations renamed as in the directory")
    if report.links is not None:
        _echo_links(report.links)


@organisations.command("link")
@click.pass_obj
def link_command(app: AppContext) -> None:
    """Link catalogue publishers and usedBy names to official organisations (certain matches
    only) and fill publishers' regions."""
    from .. import audit
    from ..db import session_scope
    from ..directory import link_catalogue

    with session_scope(app.engine()) as session:
        links = link_catalogue(session)
        audit.record(session, actor_id=None, action="organisation.link",
                     subject_type="organisation", subject_id=None, publishers=links.publishers,
                     adoptions=links.adoptions, regions=links.regions,
                     ambiguous=links.ambiguous)
        session.commit()
    _echo_links(links)


def _echo_links(links) -> None:
    click.echo(f"linked: {links.publishers} publishers, {links.adoptions} usedBy names; "
               f"{links.regions} publisher regions filled; {links.ambiguous} names left "
               "unlinked as ambiguous")
