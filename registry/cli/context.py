"""What every command may need, loaded only when it needs it: settings, then the database.

``allmende validate`` works without any configuration and never loads SQLAlchemy (half a second
of start-up that maintainers' CI would pay per call); the catalogue commands ask for an engine,
which exits 2 with the reason when the database is unreachable or its schema is not current.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from ..config import ConfigError, Settings, load_settings

EXIT_USAGE = 2


class AppContext:
    def __init__(self, config_path: str | None):
        self.config_path = config_path
        self._settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            try:
                self._settings = load_settings(self.config_path)
            except ConfigError as exc:
                click.echo(f"allmende: configuration error: {exc}", err=True)
                sys.exit(EXIT_USAGE)
        return self._settings

    def engine(self) -> Any:
        """A connected engine whose schema is current; otherwise the reason and exit 2."""
        from .. import db

        try:
            return db.connect(self.settings.database_url)
        except (db.SchemaError, db.DatabaseError) as exc:
            click.echo(f"allmende: {exc}", err=True)
            sys.exit(EXIT_USAGE)


def current() -> AppContext:
    """The context of the running command (set up by the ``allmende`` group)."""
    return click.get_current_context().find_object(AppContext)
