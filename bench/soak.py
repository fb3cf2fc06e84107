"""A soak: the served app under a long mixed load, for errors and for memory that keeps growing.

    .venv/bin/python bench/soak.py [--size 3000] [--clients 32] [--seconds 600] [--threads 8]
                                   [--work DIR]

A catalogue of ``--size`` solutions is built as bench/web.py builds it, ``allmende serve`` runs
as a subprocess, and ``--clients`` keep-alive clients (threads over four processes) request a
mix for ``--seconds``: search pages (repeated queries and never-seen ones), solution pages,
publishers, the home page, the JSON API (lists, searches, details) and sign-up attempts — a
session, a CSRF token from the form, then a POST that fails validation (passwords that differ,
crafted e-mail addresses such as the one that once stalled the server), so no account is made.

Reported: requests, errors (a 5xx, a dropped connection or a time-out; must be 0), the status
counts (422 and 429 are the expected answers to the sign-up attempts: validation and
throttling), latency p50/p95/max, and the server's resident memory sampled every 5 s.

Memory is judged from a warmed-up point, not from the start: the first ``--warm-up`` seconds
(120 of the 600) load the compound splitter's model and fill the caches that a steady load
keeps full (the search page cache, each pooled search service's opened index, term postings
and parsed words). Printed: RSS at the start, the median of the minute after the warm-up
(``warmed``), the median of the last minute (``plateau``) and the peak; the growth from warmed
to plateau; and the slope (least squares, MiB per minute) over the last five minutes and over
each half of them, so a warm-up that is still slowing down can be told from a steady climb.
"Flat" means the last minute is within 10 % of the warmed minute and the second half's slope is
level (at most 0.5 MiB/min) or clearly below the first half's (under three quarters of it): a
leak climbs steadily, a cache warming up slows down as it fills.

What grew after the warm-up until December 2026 (tracemalloc): bounded caches keyed by the
words of queries, kept once per pooled ``SearchService`` (one per server thread) — parsed
words, Whoosh's stemming caches, each index generation's snapshot with its term postings —
so every service filled its own copy. All of them are now kept once per process
(search/query.py, search/analysis.py ``SharedStemFilter``, search/service.py ``_SNAPSHOTS``)
and the soak's memory is flat after its warm-up (README, Performance).
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote, urlencode

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.search import percentile  # noqa: E402
from bench.web import build, free_port, query_paths, start_server, unique_paths  # noqa: E402

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
CRAFTED_EMAILS = ["a" * 76 + "!", "a" * 200 + "@" + "b" * 40, '"' + "\\\t" * 60 + "@x.de",
                  "x@" + "a-" * 100 + "!", "gut@beispiel.de"]


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def sign_up(conn: http.client.HTTPConnection, rng: random.Random) -> int:
    """One sign-up attempt that cannot succeed: the form's session and token, then a POST."""
    conn.request("GET", "/registrieren")
    response = conn.getresponse()
    page = response.read().decode("utf-8", "replace")
    cookie = (response.getheader("Set-Cookie") or "").split(";", 1)[0]
    token = CSRF.search(page)
    if response.status != 200 or token is None:
        return response.status
    body = urlencode({"csrf_token": token.group(1), "name": "Soak", "password": "x" * 16,
                      "password_again": "y" * 16, "email": rng.choice(CRAFTED_EMAILS)})
    conn.request("POST", "/registrieren", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie,
        "Referer": f"http://127.0.0.1:{conn.port}/registrieren"})
    response = conn.getresponse()
    response.read()
    return response.status


def client_process(job: tuple) -> tuple[list[float], Counter, int]:
    port, paths, threads, seconds, seed = job
    latencies: list[float] = []
    statuses: Counter = Counter()
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(n: int) -> None:
        rng = random.Random(seed * 1000 + n)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine: list[float] = []
        seen: Counter = Counter()
        failed = 0
        while time.monotonic() < deadline:
            kind, choices = rng.choice(paths)
            started = time.perf_counter()
            try:
                if kind == "sign-up":
                    status = sign_up(conn, rng)
                else:
                    conn.request("GET", rng.choice(choices))
                    response = conn.getresponse()
                    response.read()
                    status = response.status
            except (OSError, http.client.HTTPException):
                failed += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                continue
            mine.append(time.perf_counter() - started)
            seen[f"{kind} {status}"] += 1
            failed += status >= 500
        conn.close()
        with lock:
            latencies.extend(mine)
            statuses.update(seen)
            errors[0] += failed

    workers = [threading.Thread(target=client, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return latencies, statuses, errors[0]


def slope(samples: list[tuple[float, int]], start: float, end: float) -> float:
    """Least-squares slope of RSS over ``start`` … ``end`` seconds, in MiB per minute."""
    points = [(at, kib / 1024) for at, kib in samples if start <= at <= end]
    if len(points) < 2:
        return 0.0
    mean_t = statistics.fmean(at for at, _ in points)
    mean_m = statistics.fmean(mib for _, mib in points)
    spread = sum((at - mean_t) ** 2 for at, _ in points)
    if spread == 0:
        return 0.0
    return 60 * sum((at - mean_t) * (mib - mean_m) for at, mib in points) / spread


def memory_report(samples: list[tuple[float, int]], warm_up: float) -> tuple[str, bool]:
    """The RSS lines and whether memory is flat (see the module's docstring)."""
    end = samples[-1][0]
    warm_up = min(warm_up, max(end - 120, 0))  # a short run still has a warmed minute
    warmed = [kib for at, kib in samples if warm_up <= at <= warm_up + 60] or [samples[0][1]]
    last = [kib for at, kib in samples if at >= end - 60]
    growth = statistics.median(last) / max(statistics.median(warmed), 1) - 1
    window = min(300.0, end - warm_up)
    middle = end - window / 2
    whole = slope(samples, end - window, end)
    before, after = slope(samples, end - window, middle), slope(samples, middle, end)
    flat = growth <= 0.10 and (after <= 0.5 or after < 0.75 * before)
    lines = [
        f"server RSS: start {samples[0][1] / 1024:.0f} MiB, warmed (minute after {warm_up:.0f} s)"
        f" {statistics.median(warmed) / 1024:.0f} MiB, plateau (last minute) "
        f"{statistics.median(last) / 1024:.0f} MiB ({growth:+.1%} from warmed), peak "
        f"{max(kib for _, kib in samples) / 1024:.0f} MiB",
        f"slope over the last {window / 60:.1f} min: {whole:+.1f} MiB/min (first half "
        f"{before:+.1f}, second half {after:+.1f}) -> {'flat' if flat else 'GROWING'}",
    ]
    return "\n".join(lines), flat


def mix(port: int) -> list[tuple[str, list[str]]]:
    """The request mix, as (kind, paths) pairs drawn with equal weight."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", "/api/v1/solutions?per_page=100")
    listing = json.loads(conn.getresponse().read())
    conn.close()
    ids = [item["id"] for item in listing.get("items") or []]
    unique = unique_paths()
    return [
        ("search", query_paths("/suche")),
        ("search-unique", [f"/suche?q={quote(text)}" for text in unique]),
        ("solution", [f"/loesungen/{i}" for i in ids] or ["/"]),
        ("api", query_paths("/api/v1/solutions") + [f"/api/v1/solutions/{i}" for i in ids]),
        ("pages", ["/", "/herausgeber", "/quellen", "/ueber", "/feeds/solutions.atom"]),
        ("sign-up", []),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=600)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--warm-up", type=int, default=120,
                        help="seconds of load before memory is measured (part of --seconds)")
    parser.add_argument("--work", type=Path, default=None)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="allmende-soak-"))
    work.mkdir(parents=True, exist_ok=True)
    build(work, args.size)
    port = free_port()
    server = start_server(work, port, args.threads)
    try:
        paths = mix(port)
        processes = 4
        jobs = [(port, paths, args.clients // processes, args.seconds, seed)
                for seed in range(processes)]
        samples: list[tuple[float, int]] = []
        started = time.monotonic()
        with multiprocessing.Pool(processes) as pool:
            pending = pool.map_async(client_process, jobs)
            while not pending.ready():
                samples.append((time.monotonic() - started, rss_kib(server.pid)))
                pending.wait(5)
            results = pending.get()
        alive = server.poll() is None
    finally:
        server.terminate()
        server.wait(timeout=30)
    latencies = [t for result in results for t in result[0]]
    statuses = sum((result[1] for result in results), Counter())
    errors = sum(result[2] for result in results)
    memory, flat = memory_report(samples, args.warm_up)
    print(f"soak: {args.clients} clients, {args.seconds} s ({args.warm_up} s warm-up), "
          f"{args.size:,} solutions, server alive at the end: {alive}")
    print(f"requests: {len(latencies):,}, errors (5xx, dropped, time-outs): {errors}")
    print(f"latency p50 {percentile(latencies, 50) * 1000:.0f} ms, "
          f"p95 {percentile(latencies, 95) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms")
    print("statuses: " + ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items())))
    minutes = {int(at // 60): kib for at, kib in reversed(samples)}  # each minute's first
    print("RSS at each minute (MiB): " + " ".join(
        f"{minutes[m] / 1024:.0f}" for m in sorted(minutes)))
    print(memory)
    return 0 if errors == 0 and alive and flat else 1


if __name__ == "__main__":
    sys.exit(main())
