"""The web server under load: search page and API next to a trivial route, same server, same run.

    .venv/bin/python bench/web.py [--size 10000] [--clients 16] [--seconds 10] [--repeat 3]
                                  [--threads 8] [--processes 4] [--work DIR]

A catalogue of ``--size`` solutions is built the way bench/search.py builds it (variations of
the real corpus through ``registry.catalogue.record_solution``, then ``search.rebuild``). The
real server runs as a subprocess (``allmende serve``, waitress, ``--threads``), and
``--clients`` keep-alive HTTP clients (``http.client``) spread over ``--processes`` processes,
so the clients' GIL does not cap the server, request one target each for ``--seconds``:

- ``/healthz``: the trivial route (no database, no index) — the baseline;
- ``/suche?q=…``, *repeated*: the search page, cycling bench/search.py's German and English
  queries (some with facet filters), 20 hits with snippets, all facets, rendered by Jinja.
  Repeated anonymous searches are answered from the page cache (web/pages/response_cache.py):
  after the first request of each query, every one is a hit;
- ``/suche?q=…``, *unique*: the search page with a query string no client asked for before in
  the run (two neighbouring words of one corpus description, in a shuffled order, each once;
  every client takes its own stride), so the cache cannot help: what a page costs uncached;
- ``/api/v1/solutions?q=…``: the JSON API with the repeated queries (never cached).

After a warm-up, every round runs each target once (the order rotates per round). Reported per
target: requests/s (median of the rounds), the ratio to ``/healthz`` (median of the rounds'
ratios), p50 and p95 latency over every request, the server's CPU time per request (Linux) and
the errors (anything but 200; must be 0) and the share of ``X-Allmende-Cache: hit`` answers.
Target: the search page ≥ 50 % of ``/healthz``'s requests/s — met or missed is said for the
repeated queries, with the unique queries' figure beside it. Client and server share the
machine's cores: the figures are for the pair. A reused ``--work`` catalogue is migrated to the
newest schema (``db.upgrade``) before the server starts.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import platform
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.search import CORPUS, QUERIES, base_documents, fill, percentile  # noqa: E402

ALLMENDE = Path(sys.executable).with_name("allmende")
TARGET_RATIO = 0.5


def query_paths(prefix: str) -> list[str]:
    paths = []
    for text, filters in QUERIES:
        args = ([("q", text)] if text else []) + [(f, v) for f, vs in filters.items() for v in vs]
        paths.append(f"{prefix}?{urlencode(args)}" if args else prefix)
    return paths


def unique_paths() -> list[str]:
    """Search pages no one asked for before: two neighbouring words (5+ letters) of one corpus
    description, so every query finds that solution's variants; shuffled, then the same pairs
    sorted by name (another page, the same work)."""
    pairs: set[str] = set()
    for document in base_documents():
        for text in (document.get("description") or {}).values():
            for field in ("shortDescription", "longDescription"):
                words = re.findall(r"[^\W\d_]{5,}", text.get(field) or "")
                pairs.update(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))
    ordered = sorted(pairs)
    random.Random(0).shuffle(ordered)
    return ([f"/suche?{urlencode([('q', q)])}" for q in ordered]
            + [f"/suche?{urlencode([('q', q), ('sort', 'name')])}" for q in ordered])


HEALTHZ, REPEATED, UNIQUE = ("/healthz (trivial)", "search page /suche, repeated queries",
                             "search page /suche, unique queries")
TARGETS = {HEALTHZ: ["/healthz"], REPEATED: query_paths("/suche"),
           UNIQUE: [],  # unique_paths(), made in run()
           "API /api/v1/solutions": query_paths("/api/v1/solutions")}
PRECHECKED_UNIQUE = 5


# --- the catalogue and the server -----------------------------------------------------------

def build(work: Path, size: int) -> None:
    """Catalogue and index in ``work`` (reused when a previous run left them for ``size``)."""
    from registry import db
    from search import rebuild

    marker = work / f"built-{size}"
    if marker.exists():
        print(f"reusing the catalogue of {size:,} in {work}", file=sys.stderr)
        db.upgrade(f"sqlite:///{work / 'allmende.db'}")  # a schema newer than the last run
        return
    for stale in ("allmende.db", "index"):
        path = work / stale
        shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)
    for old in work.glob("built-*"):
        old.unlink()
    url = f"sqlite:///{work / 'allmende.db'}"
    started = time.perf_counter()
    db.upgrade(url)
    engine = db.connect(url)
    fill(engine, size)
    print(f"  catalogue of {size:,}: {time.perf_counter() - started:.0f} s", file=sys.stderr)
    started = time.perf_counter()
    rebuild(engine, work / "index")
    engine.dispose()
    print(f"  index: {time.perf_counter() - started:.0f} s", file=sys.stderr)
    marker.touch()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(work: Path, port: int, threads: int) -> subprocess.Popen:
    config = work / "bench.toml"
    config.write_text(f'data_dir = "{work}"\n', encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALLMENDE_")}
    env["ALLMENDE_CONFIG"] = str(config)
    log = (work / "server.log").open("wb")
    server = subprocess.Popen([ALLMENDE, "serve", "--host", "127.0.0.1", "--port", str(port),
                               "--threads", str(threads)], env=env, stdout=log,
                              stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while True:  # until /healthz answers; bounded, no guessed delay
        if server.poll() is not None:
            raise SystemExit(f"allmende serve exited:\n{(work / 'server.log').read_text()}")
        try:
            status, _ = fetch_once(port, "/healthz")
            if status == 200:
                return server
        except OSError:
            pass
        if time.monotonic() > deadline:
            server.kill()
            raise SystemExit("allmende serve did not answer /healthz within 120 s")
        time.sleep(0.05)


def fetch_once(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def load_average() -> str:
    try:
        return "/".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process (Linux /proc), None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# --- the load -------------------------------------------------------------------------------

def client_process(job: tuple) -> tuple[list[float], Counter, int, Counter, int]:
    """``threads`` keep-alive clients from ``start_at`` (wall clock) for ``seconds``.

    Client ``n`` of ``clients`` cycles the paths from its own offset; with ``unique``, it takes
    every ``clients``-th path from ``base + n`` instead and never wraps (an error if it must)."""
    port, paths, threads, first, start_at, seconds, unique, base, clients = job
    latencies: list[float] = []
    errors: Counter = Counter()
    caching: Counter = Counter()
    sizes = [0]
    last = [base - 1]
    lock = threading.Lock()

    def client(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine: list[float] = []
        failed: Counter = Counter()
        cached: Counter = Counter()
        got = 0
        # repeated: spread the clients over the query list; unique: a stride of its own
        i, step = (base + first + n, clients) if unique else ((first + n) * 7, 1)
        while time.time() < start_at:
            time.sleep(0.001)
        end = start_at + seconds
        while True:
            if unique and i >= len(paths):
                failed["unique queries exhausted (lower --seconds or --repeat)"] += 1
            path = paths[i % len(paths)]
            used = i
            i += step
            began = time.perf_counter()
            cache = None
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                body = response.read()
                status = response.status
                cache = response.getheader("X-Allmende-Cache")
            except (OSError, http.client.HTTPException) as exc:
                status, body = f"{type(exc).__name__} {path}", b""
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            took = time.perf_counter() - began
            if time.time() > end:  # finished after the window: not counted
                break
            if status == 200:
                mine.append(took)
                got += len(body)
                cached[cache or "none"] += 1
            else:
                failed[f"{status} {path}"] += 1
        conn.close()
        with lock:
            latencies.extend(mine)
            errors.update(failed)
            caching.update(cached)
            sizes[0] += got
            last[0] = max(last[0], used)

    workers = [threading.Thread(target=client, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return latencies, errors, sizes[0], caching, last[0]


class Load:
    """Runs the clients against one target; for unique paths, remembers where the next run
    starts, so no path is asked twice in the whole run."""

    def __init__(self, pool, port: int, clients: int, processes: int):
        self.pool, self.port, self.clients, self.processes = pool, port, clients, processes
        self.next_unique = PRECHECKED_UNIQUE  # those were fetched (and cached) by the check

    def __call__(self, name: str, seconds: float) -> tuple[list[float], Counter, int, Counter]:
        clients, processes = self.clients, self.processes
        shares = [clients // processes + (1 if p < clients % processes else 0)
                  for p in range(processes)]
        start_at = time.time() + 0.3
        unique = name == UNIQUE
        jobs = [(self.port, TARGETS[name], share, sum(shares[:p]), start_at, seconds, unique,
                 self.next_unique, clients) for p, share in enumerate(shares) if share]
        latencies: list[float] = []
        errors: Counter = Counter()
        caching: Counter = Counter()
        size = 0
        for part, failed, got, cached, last in self.pool.map(client_process, jobs):
            latencies.extend(part)
            errors.update(failed)
            caching.update(cached)
            size += got
            if unique:
                self.next_unique = max(self.next_unique, last + 1)
        return latencies, errors, size, caching


# --- the run --------------------------------------------------------------------------------

def run(args: argparse.Namespace, work: Path) -> int:
    build(work, args.size)
    TARGETS[UNIQUE] = unique_paths()
    port = free_port()
    server = start_server(work, port, args.threads)
    processes = min(args.processes, args.clients)
    args.load_before = load_average()
    results = {name: {"rps": [], "lat": [], "errors": Counter(), "bytes": 0, "cpu": 0.0,
                      "cache": Counter()} for name in TARGETS}
    try:
        for name, paths in TARGETS.items():  # every URL answers before anything is timed
            for path in paths[:PRECHECKED_UNIQUE] if name == UNIQUE else paths:
                status, body = fetch_once(port, path)
                if status != 200:
                    print(f"{path}: {status}\n{body[:500]!r}", file=sys.stderr)
                    return 1
        with multiprocessing.Pool(processes) as pool:
            load = Load(pool, port, args.clients, processes)
            for name in TARGETS:
                load(name, args.warmup)
            names = list(TARGETS)
            for round_ in range(args.repeat):
                order = names[round_ % len(names):] + names[:round_ % len(names)]
                for name in order:
                    before = cpu_seconds(server.pid)
                    latencies, errors, size, caching = load(name, args.seconds)
                    after = cpu_seconds(server.pid)
                    r = results[name]
                    r["rps"].append(len(latencies) / args.seconds)
                    r["lat"].extend(latencies)
                    r["errors"].update(errors)
                    r["cache"].update(caching)
                    r["bytes"] += size
                    r["cpu"] += (after - before) if before is not None else float("nan")
                    print(f"  round {round_ + 1} {name}: {len(latencies) / args.seconds:,.0f} "
                          f"req/s", file=sys.stderr)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    args.load_after = load_average()
    args.unique_used = load.next_unique
    report(args, results, processes)
    return 1 if any(r["errors"] for r in results.values()) else 0


def report(args: argparse.Namespace, results: dict, processes: int) -> None:
    baseline = results[HEALTHZ]["rps"]
    cores = os.cpu_count() or 0
    print(f"{args.size:,} solutions; {args.clients} keep-alive clients in {processes} processes; "
          f"allmende serve (waitress) with {args.threads} threads; {args.repeat} rounds of "
          f"{args.seconds:g} s per target after {args.warmup:g} s warm-up")
    print(f"machine: {cores} cores, Python {platform.python_version()}; client and server "
          f"share the cores; load average (1/5/15 min) {args.load_before} before, "
          f"{args.load_after} after; {args.unique_used:,} of {len(TARGETS[UNIQUE]):,} unique "
          "search pages used\n")
    print("| target | requests/s | vs /healthz | p50 ms | p95 ms | server CPU ms/req "
          "| KiB/resp | cache hits | errors |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    ratios = {}
    for name, r in results.items():
        count = len(r["lat"])
        ratios[name] = statistics.median(rps / base for rps, base in zip(r["rps"], baseline,
                                                                         strict=True))
        lat = [t * 1000 for t in r["lat"]] or [float("nan")]
        cpu = r["cpu"] / count * 1000 if count else float("nan")
        kib = r["bytes"] / count / 1024 if count else float("nan")
        hits = f"{r['cache']['hit'] / count:.0%}" if count and "none" not in r["cache"] else "–"
        print(f"| {name} | {statistics.median(r['rps']):,.0f} | {ratios[name]:.1%} "
              f"| {percentile(lat, 50):.1f} | {percentile(lat, 95):.1f} | {cpu:.2f} "
              f"| {kib:.1f} | {hits} | {sum(r['errors'].values())} |")
    print()
    for name, r in results.items():
        for what, n in r["errors"].most_common(10):
            print(f"errors, {name}: {n}× {what}")
    ratio, uncached = ratios[REPEATED], ratios[UNIQUE]
    print(f"search page / trivial route, repeated queries: {ratio:.1%} of the requests/s "
          f"(target ≥ {TARGET_RATIO:.0%}): {'met' if ratio >= TARGET_RATIO else 'MISSED'}; "
          f"unique queries (no cache can help): {uncached:.1%}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", type=int, default=8, help="the server's threads")
    parser.add_argument("--processes", type=int, default=4, help="client processes")
    parser.add_argument("--work", type=Path,
                        help="keep the catalogue and index here and reuse them next time")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"no corpus at {CORPUS}", file=sys.stderr)
        return 2
    if args.work:
        args.work.mkdir(parents=True, exist_ok=True)
        return run(args, args.work.resolve())
    with tempfile.TemporaryDirectory(prefix="allmende-bench-web-") as work:
        return run(args, Path(work))


if __name__ == "__main__":
    sys.exit(main())
