"""``allmende index rebuild|check`` and ``allmende search``: the search index from the shell.

The search package (Whoosh) and the database layer are imported inside the commands, as in
the other command modules, so ``allmende validate`` does not pay for them at start-up.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from ..storage import disk_full, full_disk_message
from . import context

FACET_NAMES = ("category", "platform", "license", "development_status", "maintenance_type",
               "software_type", "publisher", "region", "quality")
SORT_NAMES = ("relevance", "updated", "adopted", "name")
SHOWN_DIFFERENCES = 20
INDEX_DAMAGED_EXIT = 4
"""The index files cannot be read: distinct from 1 (index and catalogue differ)."""


def _damaged(exc: Exception) -> None:
    click.echo(f"allmende: {exc}", err=True)
    sys.exit(INDEX_DAMAGED_EXIT)


@click.group("index")
def index_group() -> None:
    """Manage the search index (derived from the catalogue, always rebuildable)."""


@index_group.command("rebuild")
def index_rebuild() -> None:
    """Rebuild the search index from every solution the catalogue shows.

    Readers keep using the old index until the new one is committed. Exit 1 when the disk is
    full (the old index stays), 3 when another process is writing the index.
    """
    import search

    engine = context.current().engine()
    index_dir = context.current().settings.index_dir
    bar = None
    if sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(total=search.catalogue_size(engine), unit="solution", desc="index",
                   file=sys.stderr)
    try:
        count = search.rebuild(engine, index_dir, progress=bar.update if bar else None)
    except search.IndexBusy as exc:
        click.echo(f"allmende: {exc}", err=True)
        sys.exit(3)
    except OSError as exc:
        if not disk_full(exc):
            raise
        click.echo(f"allmende: {full_disk_message(f'the search index ({index_dir})')}",
                   err=True)
        sys.exit(1)
    finally:
        if bar is not None:
            bar.close()
    click.echo(f"indexed {count} solution(s) in {index_dir}", err=True)


@index_group.command("check")
def index_check() -> None:
    """Check that the index and the catalogue agree: the same solutions, each indexed from the
    catalogue's current content version.

    Exit 0 when they do, 1 when they differ (the differences are listed; `allmende index
    rebuild` repairs them), 4 when the index files cannot be read (rebuild repairs that too).
    """
    import search

    engine = context.current().engine()
    try:
        result = search.check(engine, context.current().settings.index_dir)
    except search.IndexDamaged as exc:
        _damaged(exc)
    click.echo(f"catalogue: {result.catalogue_count} solution(s) shown; "
               f"index: {result.index_count} document(s)")
    for label, ids in (("missing from the index", result.missing),
                       ("in the index but not shown in the catalogue", result.extra),
                       ("indexed from an older version of their catalogue entry",
                        result.stale),
                       ("indexed more than once", result.duplicates)):
        if ids:
            shown = ", ".join(str(i) for i in ids[:SHOWN_DIFFERENCES])
            more = f" (and {len(ids) - SHOWN_DIFFERENCES} more)" if len(ids) > SHOWN_DIFFERENCES \
                else ""
            click.echo(f"{len(ids)} {label}: {shown}{more}")
    if not result.ok:
        click.echo("allmende: index and catalogue differ; the next harvest catches the index "
                   "up, or run `allmende index rebuild`", err=True)
        sys.exit(1)
    click.echo("index and catalogue agree")


@click.command("search")
@click.argument("query", required=False, default="")
@click.option("--filter", "filters", multiple=True, metavar="FIELD=VALUE",
              help=f"Only solutions with this value (repeatable; OR within a field, AND across "
                   f"fields). Fields: {', '.join(FACET_NAMES)}.")
@click.option("--sort", type=click.Choice(SORT_NAMES), default=None,
              help="Default: relevance for a query, name without one.")
@click.option("--limit", type=click.IntRange(1, 100), default=20, show_default=True)
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
def search_command(query: str, filters: tuple[str, ...], sort: str | None, limit: int,
                   output_format: str) -> None:
    """Search the catalogue's index, as the web site does.

    Exit 0 (also when nothing is found), 2 on usage errors or when there is no index yet,
    4 when the index files cannot be read (`allmende index rebuild` repairs it).
    """
    from market.alternatives import SHOWN_WITH_SEARCH, alternatives_for
    from registry.alternatives import find_product
    from search import IndexDamaged, SearchRequest, SearchService

    parsed: dict[str, list[str]] = {}
    for item in filters:
        field, sep, value = item.partition("=")
        if not sep or field not in FACET_NAMES or not value:
            raise click.BadParameter(f"{item!r}: use FIELD=VALUE with FIELD one of "
                                     f"{', '.join(FACET_NAMES)}", param_hint="--filter")
        parsed.setdefault(field, []).append(value)
    service = SearchService(context.current().settings.index_dir)
    if not service.exists():
        click.echo(f"allmende: no search index in {service.index_dir}; "
                   "run `allmende index rebuild`", err=True)
        sys.exit(2)
    product = find_product(query) if query else None
    try:
        results = service.search(SearchRequest(text=query, filters=parsed, sort=sort,
                                               per_page=limit,
                                               highlight=output_format == "json"))
        alternatives = [] if product is None else alternatives_for(
            context.current().engine(), service, product, limit=SHOWN_WITH_SEARCH)
    except IndexDamaged as exc:
        _damaged(exc)
    if output_format == "json":
        click.echo(json.dumps({
            "product": None if product is None else {"id": product.id, "name": product.name,
                                                     "vendor": product.vendor},
            "alternatives": [alternative.to_json() for alternative in alternatives],
            "total": results.total,
            "results": [{"id": hit.id, "name": hit.name, "url": hit.url, "score": hit.score,
                         "highlights": hit.highlights,
                         "matched_via": [via.to_json() for via in hit.matched_via]}
                        for hit in results.hits],
            "facets": results.facets,
            "suggestion": results.suggestion,
            "relaxed": results.relaxed,
        }, ensure_ascii=False, indent=2))
        return
    if product is not None:
        _print_alternatives(product, alternatives)
    if results.relaxed:
        click.echo("Keine Lösung enthält alle Wörter; diese enthalten einige davon. "
                   "(No solution contains all the words; these contain some of them.)",
                   err=True)
    for hit in results.hits:
        click.echo(f"{hit.name}  {hit.url}")
        if hit.matched_via:
            click.echo("    gefunden über (found via): "
                       + "; ".join(f"{via} ({via.language})" for via in hit.matched_via))
    click.echo(f"{results.total} solution(s), sorted by {results.sort}", err=True)
    if results.suggestion:
        click.echo(f"Meinten Sie: {results.suggestion}", err=True)


def _print_alternatives(product: Any, alternatives: list[Any]) -> None:
    """The search page's block, in the page's words (German, from the web's catalogue)."""
    from flask_babel import gettext

    from web.community.need_words import reason_text
    from web.pages.language import speaking

    with speaking("de"):
        click.echo(gettext("Offene Alternativen zu %(product)s", product=product.name) + ":")
        if not alternatives:
            click.echo("  " + gettext("Der Katalog kennt noch keine offene Alternative dazu."))
        for alternative in alternatives:
            click.echo(f"  {alternative.name}  {alternative.url}")
            for reason in alternative.reasons:
                click.echo(f"      {reason_text(reason.to_json())}")
    click.echo("")


def register(group: click.Group) -> None:
    group.add_command(index_group)
    group.add_command(search_command)
