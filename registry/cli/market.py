"""``allmende match "TEXT"``: the solutions and organisations a need with this text is matched
to, ranked and explained exactly as the web shows a need's matches (market.match_solutions,
market.organisations_for_need).

The market package (and with it the search) is imported inside the command, as the other
command modules do, so ``allmende validate`` does not pay for it at start-up.
"""

from __future__ import annotations

import json
import sys

import click

from registry.needs.vocabulary import FIELDS_OF_ACTION

from . import context

NO_INDEX_EXIT = 2
INDEX_DAMAGED_EXIT = 4


@click.command("match")
@click.argument("text")
@click.option("--field", "field_of_action", type=click.Choice(sorted(FIELDS_OF_ACTION)),
              default=None, help="The need's field of action (Handlungsfeld).")
@click.option("--limit", type=click.IntRange(1, 50), default=10, show_default=True)
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--lang", "language", type=click.Choice(["de", "en"]), default="de",
              show_default=True, help="The language of the reasons (text format), as the "
              "web pages say them.")
def match_command(text: str, field_of_action: str | None, limit: int, output_format: str,
                  language: str) -> None:
    """Match a need described by TEXT to solutions and organisations, with the reasons.

    Exit 0 (also when nothing matches), 2 on usage errors or when there is no index yet,
    4 when the index files cannot be read (`allmende index rebuild` repairs it).
    """
    from flask_babel import gettext
    from sqlmodel import Session

    from market import match_solutions, organisations_for_need
    from registry.models import Need
    from search import IndexDamaged, SearchService
    from web.community.need_words import reason_text
    from web.pages.language import speaking

    if not text.strip():
        raise click.BadParameter("describe the need in a few words", param_hint="TEXT")
    service = SearchService(context.current().settings.index_dir)
    if not service.exists():
        click.echo(f"allmende: no search index in {service.index_dir}; "
                   "run `allmende index rebuild`", err=True)
        sys.exit(NO_INDEX_EXIT)
    need = Need(title=text, description="", field_of_action=field_of_action or "")
    with Session(context.current().engine()) as session:
        try:
            solutions = match_solutions(session, service, need, limit=limit)
        except IndexDamaged as exc:
            click.echo(f"allmende: {exc}", err=True)
            sys.exit(INDEX_DAMAGED_EXIT)
        organisations = organisations_for_need(session, need, solutions, limit=limit)
    if output_format == "json":
        click.echo(json.dumps({"results": [match.to_json() for match in solutions],
                               "organisations": [match.to_json() for match in organisations]},
                              ensure_ascii=False, indent=2))
        return
    with speaking(language):
        if solutions:
            click.echo(gettext("Passende Lösungen") + ":")
        for rank, match in enumerate(solutions, 1):
            click.echo(f"{rank}. {match.name}  {match.url}  ({match.score:.2f})")
            for reason in match.reasons:
                click.echo(f"     {reason_text(reason.to_json())}")
        if organisations:
            click.echo(gettext("Kommunen mit ähnlichem Bedarf oder passender Erfahrung") + ":")
            for match in organisations:
                click.echo(f"   {match.name}: " + "; ".join(
                    reason_text(reason.to_json()) for reason in match.reasons))
    click.echo(f"{len(solutions)} solution(s), {len(organisations)} organisation(s)", err=True)


def register(group: click.Group) -> None:
    group.add_command(match_command)
