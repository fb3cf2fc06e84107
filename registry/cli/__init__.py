"""The ``allmende`` command line: one click group, one module per area of commands.

Exit codes are part of the public interface (maintainers call ``allmende validate`` from their
own CI, operators run ``allmende harvest`` from cron) and are documented in docs/cli.md:
0 success, 1 the work found problems (invalid files, failed repositories), 2 usage or
configuration errors.
"""

from __future__ import annotations

import click

from . import catalogue, market, needs, organisations, search, serve, users, validate
from .context import AppContext


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
serve.register(main)
users.register(main)
market.register(main)
organisations.register(main)
needs.register(main)
