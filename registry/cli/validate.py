"""``allmende validate``: the publiccode.yml check maintainers run in their own CI."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from urllib.parse import urlsplit

import click

from ..fetch import FetchError, SafeFetcher, fetch_publiccode
from ..publiccode import FILE_NAMES, ValidationResult, validate_bytes
from ..publiccode.findings import error, note
from ..publiccode.loader import MAX_BYTES, oversize


@click.command("validate")
@click.option("--offline", is_flag=True,
              help="Skip network checks (url reachable, landingURL …); "
                   "local files are still checked.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text: compiler-style lines; json: one array for all inputs.")
@click.argument("inputs", nargs=-1, required=True, metavar="PATH_OR_URL...")
@click.pass_obj
def validate_command(app, offline: bool, output_format: str, inputs: tuple[str, ...]) -> None:
    """Validate publiccode.yml files (paths, directories holding one, or http(s) URLs).

    Exit status: 0 when every input is valid (warnings allowed), 1 when any is invalid,
    2 on usage errors, including a path that does not exist.
    """
    # One fetcher for every URL the inputs name; the SSRF guard stays on unless the operator
    # configured allow_private_addresses (tests, closed networks).
    needs_fetcher = not offline or any(_is_url(given) for given in inputs)
    fetcher = (SafeFetcher(allow_private=app.settings.allow_private_addresses)
               if needs_fetcher else None)
    reports: list[tuple[str, ValidationResult]] = []
    missing = False
    for given in inputs:
        shown, result, found = _validate_one(given, offline=offline, fetcher=fetcher)
        missing |= not found
        reports.append((shown, result))

    if output_format == "json":
        payload = [{"path": path, "valid": result.valid, "readable": result.readable,
                    "errors": [f.to_dict() for f in result.errors],
                    "warnings": [f.to_dict() for f in result.warnings],
                    "notes": [f.to_dict() for f in result.notes]}
                   for path, result in reports]
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        for path, result in reports:
            for finding in (*result.findings, *result.notes):
                click.echo(finding.format(path))
            if not result.readable and result.reading is not None:
                hidden = note("", f"not shown in the catalogue: {result.unreadable_reason}")
                click.echo(hidden.format(path))
    invalid = sum(not result.valid for _, result in reports)
    if output_format == "text" or sys.stderr.isatty():
        click.echo(f"{len(reports)} checked: {len(reports) - invalid} valid, {invalid} invalid",
                   err=True)
    sys.exit(2 if missing else 1 if invalid else 0)


def _validate_one(given: str, *, offline: bool,
                  fetcher: SafeFetcher | None) -> tuple[str, ValidationResult, bool]:
    """Validate one input: the path to show, the result, and whether the input existed."""
    if _is_url(given):
        assert fetcher is not None
        try:
            data = fetch_publiccode(given, fetcher)
        except FetchError as exc:
            return given, ValidationResult(findings=[error("", str(exc))]), True
        return given, validate_bytes(data, base_url=given, network=not offline,
                                     fetcher=fetcher), True

    path = Path(given)
    if path.is_dir():
        path = next((path / name for name in FILE_NAMES if (path / name).is_file()), path)
    if not path.is_file():
        reason = "no publiccode.yml in this directory" if path.is_dir() else "no such file"
        unreadable = error("", f"cannot read {given}: {reason}")
        return given, ValidationResult(findings=[unreadable]), False
    size = path.stat().st_size
    if size > MAX_BYTES:  # refuse before reading: a huge file never enters memory
        return str(path), ValidationResult(findings=[oversize(size)]), True
    result = validate_bytes(path.read_bytes(), base_dir=path.parent, network=not offline,
                            fetcher=fetcher)
    return str(path), result, True


def _is_url(given: str) -> bool:
    return urlsplit(given).scheme in ("http", "https")


def register(group: click.Group) -> None:
    group.add_command(validate_command)
