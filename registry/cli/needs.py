"""``allmende needs import FILE.toml``: needs collected elsewhere (a network meeting, the demo).

The file is checked whole before anything is written (registry.needs.imports); importing it
again changes nothing. The next harvest, or ``allmende match``, shows their matches. Exit 0 on
success, 1 when the file cannot be imported (the message names the need; nothing was written),
2 on usage or configuration errors.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import context

EXIT_PROBLEMS = 1


@click.group("needs")
def needs_group() -> None:
    """Needs (Bedarfe) of organisations."""


@needs_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(file: Path) -> None:
    """Import needs from a TOML file of [[needs]] tables (see docs/needs.md)."""
    from ..db import session_scope
    from ..models import utcnow
    from ..needs.imports import NeedsFileError, import_needs

    with session_scope(context.current().engine()) as session:
        try:
            report = import_needs(session, file, now=utcnow())
        except NeedsFileError as exc:
            click.echo(f"allmende: {file}: {exc}; nothing was imported", err=True)
            sys.exit(EXIT_PROBLEMS)
        session.commit()
    click.echo(f"{file.name}: {report.created} need(s) imported, {report.unchanged} already "
               "there")


def register(group: click.Group) -> None:
    group.add_command(needs_group)
