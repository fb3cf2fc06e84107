"""The ``allmende`` command line: one click group, one module per area of commands.

Exit codes are part of the public interface (maintainers call ``allmende validate`` from their
own CI, operators run ``allmende harvest`` from cron) and are documented in docs/cli.md:
0 success, 1 the work found problems (invalid files, failed repositories), 2 usage or
configuration errors.
"""

from __future__ import annotations

import click

from ..config import ConfigError, Settings, load_settings
from . import catalogue, search, validate

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class AppContext:
    """Lazily loads the configuration so `allmende validate` works without any config file."""

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
                raise SystemExit(EXIT_USAGE) from None
        return self._settings


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
              help="Configuration file (default: $ALLMENDE_CONFIG, else ./config.toml).")
@click.version_option(package_name="allmende")
@click.pass_context
def main(ctx: click.Context, config_path: str | None) -> None:
    """Allmende: the open-source solution registry for municipalities."""
    ctx.obj = AppContext(config_path)


validate.register(main)
catalogue.register(main)
search.register(main)
