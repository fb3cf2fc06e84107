"""Harvest cost on a local GitLab API with per-response latency: time and requests per run.

    .venv/bin/python bench/harvest.py [--repos 2000] [--latency 0.02] [--workers 8] [--repeat 1]

A fake GitLab (tests/harvesters/forges, real HTTP on 127.0.0.1) answers every request after
``--latency`` seconds. It holds ``--repos`` public projects: 60 % with a valid publiccode.yml
(variations of examples/*/publiccode.yml), 10 % with an invalid one, 30 % without one (a
README only); all last active 3 h+ ago, so GitLab's change marker applies (harvesters.gitlab).
Git activity is off (``activity=False``): cloning is a separate cost, not measured here.

1. full harvest into an empty SQLite catalogue: wall time T against the concurrency-bound
   ideal ``latency × (P + F / workers)`` — P listing pages (sequential), F file requests;
2. no-change run: requests R2 against the listing pages P2 (target: at most 2 % above);
3. 1 % of the projects touched (new ``last_activity_at``, still 3 h+ ago): exactly those
   are fetched again.

Medians of ``--repeat`` runs (each on a fresh catalogue); request counts are the maximum.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from harvesters.gitlab import GitLabHarvester  # noqa: E402
from harvesters.run import RunReport, run_source  # noqa: E402
from registry import db  # noqa: E402
from registry.config import Settings, SourceConfig  # noqa: E402
from tests.harvesters.forges import FakeGitLab, SeenRequest  # noqa: E402

TARGET_OVERHEAD = 0.02
EXAMPLES = sorted((REPO / "examples").glob("*/publiccode.yml"))
INVALID = b"publiccodeYmlVersion: '0.4'\nname: Unfertig\n"
LISTING = "/api/v4/projects"
FILES = re.compile(r"/api/v4/projects/(\d+)/repository/files/")


def publiccode(n: int, web_url: str) -> bytes:
    """Example ``n % 5`` renamed and pointed at the project: every file differs."""
    text = EXAMPLES[n % len(EXAMPLES)].read_text(encoding="utf-8")
    text = re.sub(r"(?m)^name: (.*)$", rf"name: \1 {n:04d}", text, count=1)
    return re.sub(r"(?m)^url: .*$", f'url: "{web_url}"', text, count=1).encode()


def fill(server: FakeGitLab, count: int, now: datetime) -> dict[int, int]:
    """``count`` public projects; returns project id → file requests its fetch costs."""
    cost = {}
    for n in range(count):
        path = f"kommune-{n // 100:02d}/projekt-{n:04d}"
        kind = n % 10  # 0-5 valid, 6 invalid, 7-9 without publiccode.yml
        if kind <= 5:
            files = {"publiccode.yml": publiccode(n, f"{server.url}/{path}")}
        elif kind == 6:
            files = {"publiccode.yml": INVALID}
        else:
            files = {"README.md": b"# Projekt\n"}
        when = now - timedelta(hours=3, minutes=n % 600)
        project = server.model.add(path, files=files, updated_at=when, pushed_at=when)
        cost[project.id] = 1 if "publiccode.yml" in files else 2  # .yml, then .yaml
    return cost


def harvest(server: FakeGitLab, engine, settings: Settings, source: SourceConfig,
            workers: int) -> tuple[float, RunReport, list[SeenRequest], int]:
    """One run: seconds, report, the requests the server saw, the client's own count."""
    start = len(server.log)
    harvester = GitLabHarvester(source, settings)
    began = time.perf_counter()
    report = run_source(harvester, engine, workers=workers)
    seconds = time.perf_counter() - began
    return seconds, report, server.log[start:], harvester.client.request_count


def split(seen: list[SeenRequest]) -> tuple[int, list[int], list[SeenRequest]]:
    """(listing pages, project ids of file requests, any other request)."""
    listing = [r for r in seen if r.path == LISTING]
    fetched = [int(m[1]) for r in seen if (m := FILES.match(r.path))]
    other = [r for r in seen if r.path != LISTING and not FILES.match(r.path)]
    return len(listing), fetched, other


def ratio(measured: float, ideal: float) -> str:
    return f"{measured / ideal:.2f}×" if ideal > 0 else "n/a"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repos", type=int, default=2000)
    parser.add_argument("--latency", type=float, default=0.02, help="seconds per response")
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=1, help="fresh catalogues to median over")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    lat, workers = args.latency, args.workers
    full_t, full_r, full_p, full_f, same_t, same_r, same_p, extra = [], [], [], [], [], [], [], []
    with FakeGitLab() as server, tempfile.TemporaryDirectory(prefix="bench-harvest-") as tmp:
        server.faults.latency = lat
        cost = fill(server, args.repos, datetime.now(UTC))
        source = SourceConfig(name="bench-gitlab", type="gitlab", url=server.url, activity=False)
        for run in range(args.repeat):
            data = Path(tmp) / f"run{run}"
            url = f"sqlite:///{data / 'allmende.db'}"
            db.upgrade(url)
            engine = db.connect(url)
            settings = Settings(data_dir=data, database_url=url, sources=(source,))
            seconds, report, seen, client_count = harvest(server, engine, settings, source,
                                                          workers)
            pages, fetched, other = split(seen)
            assert client_count == len(seen), (client_count, len(seen))
            assert report.status == "ok" and report.counts["seen"] == args.repos, report.summary()
            full_t.append(seconds)
            full_r.append(len(seen))
            full_p.append(pages)
            full_f.append(len(fetched))
            first_report = report.summary()
            seconds, report, seen, _ = harvest(server, engine, settings, source, workers)
            pages, fetched, other = split(seen)
            assert report.counts["unchanged"] == args.repos, report.summary()
            same_t.append(seconds)
            same_r.append(len(seen))
            same_p.append(pages)
            extra += [f"{r.method} {r.path}" for r in seen if r.path != LISTING]
            if run < args.repeat - 1:
                engine.dispose()
        # 3: touch 1 % (a mix of kinds) and harvest again on the last catalogue
        projects = server.model.projects()
        touched = random.Random(4711).sample(projects, max(1, len(projects) // 100))
        for project in touched:
            project.pushed_at = project.last_activity_at + timedelta(minutes=7)
        touch_t, report, seen, _ = harvest(server, engine, settings, source, workers)
        touch_pages, fetched, other = split(seen)
        touched_ids = {p.id for p in touched}
        exact = set(fetched) == touched_ids and not other
        touch_expected = touch_pages + sum(cost[i] for i in touched_ids)
        engine.dispose()

    t1, t2 = statistics.median(full_t), statistics.median(same_t)
    p1, f1, r1 = max(full_p), max(full_f), max(full_r)
    ideal1 = lat * (p1 + f1 / workers)
    p2, r2 = max(same_p), max(same_r)
    overhead = (r2 - p2) / p2
    per_page = 100
    full_pages = -(-args.repos // per_page)
    verdict = "meets" if overhead <= TARGET_OVERHEAD else "MISSES"
    runs = "1 run" if args.repeat == 1 else f"median of {args.repeat} runs"
    print(f"{args.repos} repositories, {lat * 1000:.0f} ms per response, {workers} workers, "
          f"{runs}; git activity off (clones not measured)")
    print(f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.system()} {platform.machine()}; fake GitLab and harvester in one process")
    print(f"full run: {first_report}")
    print()
    print("| run | wall time | requests | reference | ratio |")
    print("|---|---:|---:|---|---:|")
    print(f"| full harvest | {t1:.1f} s | {r1} | ideal {ideal1:.1f} s = {lat:g} s × "
          f"({p1} pages + {f1} file requests / {workers}) | {ratio(t1, ideal1)} |")
    print(f"| no change | {t2:.2f} s | {r2} | {p2} listing pages ({lat * p2:.2f} s) | "
          f"+{overhead:.1%} |")
    print(f"| 1 % touched ({len(touched)}) | {touch_t:.2f} s | {len(seen)} | {touch_pages} pages"
          f" + {touch_expected - touch_pages} file requests of the touched | "
          f"{len(seen) / touch_expected:.2f}× |")
    print()
    print(f"no-change run {verdict} the target of ≤{TARGET_OVERHEAD:.0%} requests above the "
          f"listing pages: {r2} requests for {p2} pages (+{overhead:.1%})")
    if p2 > full_pages:
        print(f"note: {p2} listing pages for {args.repos} projects, not {full_pages}: keyset "
              f"pagination links a next page after every full page, so a listing that ends on "
              f"a page boundary ends with an empty page (as on GitLab)")
    if extra:
        print(f"requests beyond the listing in no-change runs: {sorted(set(extra))[:10]}")
    print(f"1 % touched: {'exactly the touched projects were fetched' if exact else 'MISMATCH'}"
          f" ({len(set(fetched))} fetched, {len(touched_ids)} touched, {len(other)} other)")
    return 0 if verdict == "meets" and exact else 1


if __name__ == "__main__":
    raise SystemExit(main())
