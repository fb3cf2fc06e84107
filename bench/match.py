"""Matching latency for 1k needs over 10k solutions, beside a plain search of the same text,
and the time to recompute every need's matches after a harvest.

    .venv/bin/python bench/match.py [--size 10000] [--needs 1000] [--cold 200] [--work DIR]

The catalogue is bench/search.py's (variations of the real corpus, filled through the
validator and ``registry.catalogue.record_solution``); with ``--work DIR`` an existing
``catalogue-SIZE.db`` and ``index-SIZE`` there are reused. The needs are German: the judged
needs' titles (tests/market/judged_needs.toml) with descriptions made of two to four judged
descriptions and three invented compounds (most unknown to the index, as a town's own words
often are), a tenth of them about 5,000 characters long.

Figures, each p50 / p95 per need:

- ``match, words unseen``: ``market.match_solutions`` with matching's per-generation cache of
  unit hits emptied before each need (the first need after a harvest, or one of rare words);
- ``match, in a run``: the same over all needs in one go, the cache filling as it goes (what a
  recompute or a busy site sees);
- ``baseline search``: ``SearchService.search`` of the need's title and description as typed
  (cut to the search's 500 characters), first page with facets, as the search page would;
- ``recompute``: ``market.recompute`` of every need (solutions and organisations, stored),
  from an empty cache, as after a harvest. Target: match p95 ≤ 50 ms per need.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import sys
import tempfile
import time
import tomllib
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlmodel import Session, select  # noqa: E402

from market import match_solutions, recompute  # noqa: E402
from market import matching as matching_module  # noqa: E402
from registry import db  # noqa: E402
from registry.models import Need, Organisation  # noqa: E402
from search import MAX_TEXT_CHARS, SearchRequest, SearchService, rebuild  # noqa: E402

JUDGED = REPO / "tests" / "market" / "judged_needs.toml"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
HEADS = ["Straßen", "Wasser", "Schul", "Sport", "Kinder", "Rats", "Bau", "Grün", "Abfall",
         "Bürger", "Friedhofs", "Feuerwehr", "Park", "Energie", "Wald", "Daten", "Kultur",
         "Markt", "Hafen", "Brücken", "Lärm", "Licht", "Wahl", "Steuer", "Hunde", "Jugend"]
TAILS = ["verwaltung", "kataster", "meldung", "planung", "register", "portal", "kalender",
         "abrechnung", "zählung", "karte", "antrag", "beratung", "prüfung", "messung",
         "verzeichnis", "statistik", "aufsicht", "reinigung", "vergabe", "förderung"]


def bench_search():
    """bench/search.py as a module (its file name would shadow the ``search`` package)."""
    spec = importlib.util.spec_from_file_location("bench_search", REPO / "bench" / "search.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def make_needs(count: int) -> list[tuple[str, str, str]]:
    judged = tomllib.loads(JUDGED.read_text(encoding="utf-8"))["need"]
    rng = random.Random(count)
    needs = []
    for i in range(count):
        base = judged[i % len(judged)]
        parts = [base["description"], *(rng.choice(judged)["description"]
                                        for _ in range(rng.randint(1, 3)))]
        words = [rng.choice(HEADS) + rng.choice(TAILS) for _ in range(3)]
        parts.append(f"Dazu gehören {words[0]}, {words[1]} und {words[2]}.")
        description = " ".join(parts)
        if i % 10 == 9:
            description = (description + " ") * (5000 // len(description))
        needs.append((base["title"], description[:5000], base["field"]))
    return needs


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def figures(label: str, values: list[float]) -> str:
    return (f"{label:<24} p50 {percentile(values, 50):7.1f} ms   "
            f"p95 {percentile(values, 95):7.1f} ms   (n={len(values)})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--needs", type=int, default=1000)
    parser.add_argument("--cold", type=int, default=200,
                        help="needs measured with every word unseen (each costs more)")
    parser.add_argument("--work", type=Path, default=None)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="allmende-bench-match-"))
    work.mkdir(parents=True, exist_ok=True)
    database, index_dir = work / f"catalogue-{args.size}.db", work / f"index-{args.size}"
    url = f"sqlite:///{database}"
    reuse = database.exists() and index_dir.is_dir()
    db.upgrade(url)
    engine = db.connect(url)
    if reuse:
        print(f"reusing {database} and {index_dir}", file=sys.stderr)
    else:
        started = time.perf_counter()
        bench_search().fill(engine, args.size)
        rebuild(engine, index_dir)
        print(f"catalogue and index of {args.size}: {time.perf_counter() - started:.0f} s",
              file=sys.stderr)
    service = SearchService(index_dir)
    needs = make_needs(args.needs)
    with Session(engine) as session:
        session.exec(Need.__table__.delete())  # a reused catalogue: this run's needs only
        town = session.exec(select(Organisation).where(
            Organisation.slug == "stadt-benchheim")).first()
        if town is None:
            town = Organisation(name="Stadt Benchheim", slug="stadt-benchheim",
                                kind="municipality", state="Hessen", created_at=T0)
            session.add(town)
            session.flush()
        rows = [Need(organisation_id=town.id, title=title, description=description,
                     field_of_action=field, created_at=T0, updated_at=T0,
                     last_activity_at=T0) for title, description, field in needs]
        session.add_all(rows)
        session.commit()
        stored = [session.get(Need, row.id) for row in rows]

        match_solutions(session, service, stored[0])  # load the compound model and caches
        unseen, in_run, baseline = [], [], []
        for need in stored[:args.cold]:
            matching_module._UNITS.clear()
            started = time.perf_counter()
            match_solutions(session, service, need)
            unseen.append((time.perf_counter() - started) * 1000)
        matching_module._UNITS.clear()
        for need in stored:
            started = time.perf_counter()
            match_solutions(session, service, need)
            in_run.append((time.perf_counter() - started) * 1000)
        for need in stored[:args.cold]:
            text = f"{need.title} {need.description}"[:MAX_TEXT_CHARS]
            started = time.perf_counter()
            service.search(SearchRequest(text=text))
            baseline.append((time.perf_counter() - started) * 1000)

    matching_module._UNITS.clear()
    started = time.perf_counter()
    report = recompute(engine, index_dir, now=T0)
    seconds = time.perf_counter() - started
    print(f"{args.needs} needs over {len(service.doc_ids())} solutions:")
    print(figures("match, words unseen", unseen))
    print(figures("match, in a run", in_run))
    print(figures("baseline search", baseline))
    print(f"{'recompute':<24} {report.needs} needs in {seconds:.1f} s "
          f"({seconds / max(report.needs, 1) * 1000:.1f} ms per need; "
          f"{len(report.new)} matches stored)")
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
