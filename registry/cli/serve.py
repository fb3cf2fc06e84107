"""``allmende serve``: the web front end and JSON API on waitress, a production WSGI server.

Why waitress: pure Python (nothing to compile on a municipal server), a thread pool that suits
our reads, and it runs the same on every platform. For development, ``flask --app web run``.
"""

from __future__ import annotations

import logging
import sys

import click

from . import context


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 for every interface (put a TLS proxy in front).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64),
              help="Requests handled at the same time.")
@click.option("--catch-up-every", default=300, show_default=True, metavar="SECONDS",
              type=click.IntRange(0, 86400),
              help="Compare the search index with the catalogue at start and then this often, "
                   "and bring it up to date (0: only at start).")
def serve_command(host: str, port: int, threads: int, catch_up_every: int) -> None:
    """Serve the catalogue: pages, JSON API, exports and feed.

    Exit status 2 when the configuration or the catalogue database cannot be used.
    """
    from waitress import serve

    from web import create_app, index_repair

    settings = context.current().settings
    context.current().engine().dispose()  # fail early, with the reason, if the schema is old
    # The whole settings, not just the database: [site] (links in mails, the contact address,
    # trusted proxies), [mail] and the SSRF switch live there.
    app = create_app({"DATABASE_URL": settings.database_url,
                      "INDEX_DIR": str(settings.index_dir), "SETTINGS": settings})
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s",
                        stream=sys.stderr)
    if catch_up_every:
        index_repair.keep_caught_up(app, catch_up_every)
    else:
        index_repair.catch_up(app)
    click.echo(f"Allmende is served on http://{host}:{port}/ (Ctrl+C stops it)", err=True)
    serve(app, host=host, port=port, threads=threads, ident="Allmende")


def register(group: click.Group) -> None:
    group.add_command(serve_command)
