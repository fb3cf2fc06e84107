"""Faults on the served app: no request may stall the server, no index may lie (issue 11).

    .venv/bin/python bench/faults.py [--runs 20] [--seed 1] [--repos 36]
                                     [--only kill,index,disk,postgres] [--work DIR]

Four scenarios, each against real processes (``allmende harvest``, ``allmende serve``) on a
source of real local Git repositories with publiccode.yml files (``type = "git"``, file://
URLs), seeded so that a run can be repeated:

1. **kill** — ``--runs`` times: rename a few solutions (new ``name:``, committed), start
   ``allmende harvest``, SIGKILL it at a seeded point: after a random delay spread over a
   calibrated harvest's duration, or (every third run) right after the harvest printed its
   report — the catalogue is written, the index not yet. Then harvest again to completion and
   check: ``allmende index check`` exits 0, SQLite's ``PRAGMA integrity_check`` is ok,
   ``allmende export`` works and shows every new name, ``allmende search --format json``
   finds each new name and not the old one.
2. **index** — ``allmende serve`` on the catalogue while client threads search; a ``.seg``
   file of the index is truncated, later one is deleted. The server must stay alive, searches
   answer 200 or a 503 problem (with Retry-After), ``/healthz`` reports 503 and then ``ok``
   once the server rebuilt the index itself, and ``allmende index check`` exits 0 afterwards.
3. **disk** — the data directory on an 8 MiB tmpfs (a loop-mounted ext4 image when tmpfs
   cannot be mounted), filled with ballast up to a few KiB: a harvest of renamed solutions
   must fail with a clear message (no bare traceback), the catalogue stays intact, a server on
   it keeps answering; without the ballast the next harvest succeeds and the index agrees.
4. **postgres** — a private PostgreSQL (``initdb`` into a temporary directory, a free port,
   its socket in that directory; the machine's own server is never touched) holds the
   catalogue; while clients request pages and the API, it is stopped with ``pg_ctl stop -m
   immediate``: requests must get a 503 with a clear body (not a 500, not a hang), and once
   it is started again the same server process answers normally.

Each scenario prints one line of figures (runs, kills, requests by status, failures, server
deaths, time to recovery); the exit status is 1 when any scenario failed. Needs root for the
mount (scenario 3) and PostgreSQL's binaries under /usr/lib/postgresql (scenario 4).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ALLMENDE = Path(sys.executable).with_name("allmende")
EXAMPLES = sorted((REPO / "examples").glob("*/publiccode.yml"))
GIT_ENV = {"GIT_AUTHOR_NAME": "Faults", "GIT_AUTHOR_EMAIL": "faults@example.org",
           "GIT_COMMITTER_NAME": "Faults", "GIT_COMMITTER_EMAIL": "faults@example.org",
           "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_SYSTEM": "/dev/null"}
SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
REQUEST_TIMEOUT = 30.0
SHOWN_FAILURES = 12


# --- results ---------------------------------------------------------------------------------

@dataclass
class Outcome:
    """What one scenario measured; ``failures`` says each failure in a line."""

    name: str
    figures: dict[str, object] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    skipped: str | None = None

    def fail(self, message: str) -> None:
        self.failures.append(message)
        if len(self.failures) <= SHOWN_FAILURES:
            print(f"  FAIL {self.name}: {message}", file=sys.stderr, flush=True)
        elif len(self.failures) == SHOWN_FAILURES + 1:
            print(f"  FAIL {self.name}: (further failures counted, not shown)",
                  file=sys.stderr, flush=True)

    def line(self) -> str:
        if self.skipped:
            return f"{self.name}: NOT RUN ({self.skipped})"
        figures = ", ".join(f"{k} {v}" for k, v in self.figures.items())
        verdict = "ok" if not self.failures else f"FAILED ({len(self.failures)})"
        return f"{self.name}: {figures}, failures {len(self.failures)} -> {verdict}"


def note(message: str) -> None:
    print(f"  {message}", file=sys.stderr, flush=True)


# --- the source: real Git repositories --------------------------------------------------------

def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                            env={**os.environ, **GIT_ENV}, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} in {cwd}: {result.stderr.strip()}")
    return result.stdout


class Words:
    """Made-up words, unique in a run, one per name: what a search for a name looks for."""

    def __init__(self, rng: random.Random):
        self.rng, self.used = rng, set()

    def __call__(self) -> str:
        while True:
            word = "".join(self.rng.choice(SYLLABLES) for _ in range(4))
            if word not in self.used:
                self.used.add(word)
                return word


class Source:
    """``count`` Git repositories, each a variation of an example with a made-up name."""

    def __init__(self, root: Path, count: int, words: Words):
        self.root, self.words = root, words
        self.repos = [root / f"loesung-{n:02d}" for n in range(count)]
        self.names: dict[Path, str] = {}
        for n, repo in enumerate(self.repos):
            repo.mkdir(parents=True)
            git(repo, "init", "--quiet", "--initial-branch=main")
            text = EXAMPLES[n % len(EXAMPLES)].read_text(encoding="utf-8")
            text = re.sub(r'(?m)^url: .*$', f'url: "{self.url(repo)}"', text, count=1)
            (repo / "publiccode.yml").write_text(text, encoding="utf-8")
            self.rename(repo, message="Erste Fassung")

    @staticmethod
    def url(repo: Path) -> str:
        return f"file://{repo}"

    def rename(self, repo: Path, message: str = "Neuer Name") -> tuple[str | None, str]:
        """A new made-up name, committed; returns (old, new)."""
        old, new = self.names.get(repo), f"Fehlerprobe {self.words()}"
        path = repo / "publiccode.yml"
        path.write_text(re.sub(r"(?m)^name: .*$", f"name: {new}", path.read_text("utf-8"),
                               count=1), encoding="utf-8")
        git(repo, "add", "publiccode.yml")
        git(repo, "commit", "--quiet", "-m", message)
        self.names[repo] = new
        return old, new

    def config(self, data_dir: Path, path: Path, extra: str = "") -> Path:
        urls = ", ".join(f'"{self.url(r)}"' for r in self.repos)
        path.write_text(f'data_dir = "{data_dir}"\n{extra}'
                        f'[[sources]]\nname = "faults"\ntype = "git"\nrepositories = [{urls}]\n',
                        encoding="utf-8")
        return path


# --- allmende as a user runs it ---------------------------------------------------------------

class Allmende:
    """The ``allmende`` command with one configuration (and database URL, when given)."""

    def __init__(self, config: Path, data_dir: Path, database_url: str | None = None):
        self.config, self.data_dir = config, data_dir
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("ALLMENDE_")}
        # the tree as it is, also packages the editable install does not list yet
        path = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
        self.env.update(ALLMENDE_CONFIG=str(config), PYTHONUNBUFFERED="1", PYTHONPATH=path,
                        ALLMENDE_SECRET_KEY="faults-bench-secret-key-0123456789")
        if database_url:
            self.env["ALLMENDE_DATABASE_URL"] = database_url

    def run(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
        return subprocess.run([str(ALLMENDE), *args], env=self.env, capture_output=True,
                              text=True, timeout=timeout, check=False)

    def start(self, *args: str, **kwargs) -> subprocess.Popen:
        return subprocess.Popen([str(ALLMENDE), *args], env=self.env, text=True, **kwargs)

    def search(self, word: str) -> list[dict]:
        result = self.run("search", "--format", "json", "--limit", "100", word)
        if result.returncode != 0:
            raise RuntimeError(f"allmende search exited {result.returncode}: "
                               f"{last_line(result.stderr)}")
        return json.loads(result.stdout)["results"]

    def export(self) -> list[dict]:
        result = self.run("export", "--format", "json")
        if result.returncode != 0:
            raise RuntimeError(f"allmende export exited {result.returncode}: "
                               f"{last_line(result.stderr)}")
        return json.loads(result.stdout)


def last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else "(no output)"


def integrity(database: Path) -> str:
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30)
    try:
        return ";".join(row[0] for row in connection.execute("PRAGMA integrity_check"))
    finally:
        connection.close()


def check_catalogue(allmende: Allmende, expected: dict[str, tuple[str | None, str]],
                    database: Path | None) -> list[str]:
    """What is wrong with catalogue and index (empty: nothing): ``expected`` maps a repository
    URL to (old name, new name)."""
    problems = []
    if database is not None and (verdict := integrity(database)) != "ok":
        problems.append(f"integrity_check: {verdict}")
    check = allmende.run("index", "check")
    if check.returncode != 0:
        problems.append(f"index check exited {check.returncode}: {last_line(check.stdout)}")
    try:
        shown = {s.get("url"): s.get("name") for s in allmende.export()}
    except (RuntimeError, ValueError) as exc:
        return [*problems, f"export: {exc}"]
    for url, (old, new) in expected.items():
        if shown.get(url) != new:
            problems.append(f"catalogue has {shown.get(url)!r} for {url}, not {new!r}")
        try:
            if url not in {hit["url"] for hit in allmende.search(new.split()[-1])}:
                problems.append(f"search misses the new name {new!r}")
            if old and url in {hit["url"] for hit in allmende.search(old.split()[-1])}:
                problems.append(f"search still finds the old name {old!r} ({url})")
        except (RuntimeError, ValueError) as exc:
            problems.append(f"search: {exc}")
    return problems


# --- a served app and its clients -------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port: int, path: str, timeout: float = REQUEST_TIMEOUT) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


class Server:
    """``allmende serve`` on a free loopback port, its output in a log file."""

    def __init__(self, allmende: Allmende, log: Path, threads: int = 8):
        self.port, self.log = free_port(), log
        self.process = allmende.start("serve", "--host", "127.0.0.1", "--port", str(self.port),
                                      "--threads", str(threads), stdout=log.open("w"),
                                      stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while True:  # until /healthz answers; bounded
            if self.process.poll() is not None:
                raise RuntimeError(f"allmende serve exited: {last_line(log.read_text())}")
            with contextlib.suppress(OSError):
                if get(self.port, "/healthz", timeout=5)[0] == 200:
                    return
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("allmende serve did not answer /healthz within 120 s")
            time.sleep(0.05)

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)


@dataclass
class Answer:
    at: float
    path: str
    status: int  # 0: no answer (connection error or time-out)
    seconds: float
    problem: str = ""


class Clients:
    """``count`` threads requesting ``paths`` (drawn by a seeded generator) until stopped;
    every answer is kept with its time, and whether an error answer explained itself."""

    def __init__(self, port: int, paths: list[str], count: int, seed: int,
                 check: Callable[[int, dict, bytes, str], str]):
        self.port, self.paths, self.check = port, paths, check
        self.answers: list[Answer] = []
        self._lock, self._stop = threading.Lock(), threading.Event()
        self.threads = [threading.Thread(target=self._loop, args=(random.Random(seed + n),),
                                         daemon=True) for n in range(count)]
        for thread in self.threads:
            thread.start()

    def _loop(self, rng: random.Random) -> None:
        while not self._stop.is_set():
            path = rng.choice(self.paths)
            started = time.monotonic()
            try:
                status, headers, body = get(self.port, path)
                problem = self.check(status, headers, body, path)
            except (OSError, http.client.HTTPException) as exc:
                status, problem = 0, f"no answer: {type(exc).__name__}: {exc}"
            with self._lock:
                self.answers.append(Answer(started, path, status, time.monotonic() - started,
                                           problem))
            self._stop.wait(0.01)  # a little air between requests: clients, not a flood

    def stop(self) -> list[Answer]:
        self._stop.set()
        for thread in self.threads:
            thread.join(timeout=REQUEST_TIMEOUT + 5)
        with self._lock:
            return list(self.answers)


def statuses(answers: list[Answer]) -> str:
    counts = Counter(a.status for a in answers)
    return "{" + ", ".join(f"{k or 'none'}: {v}" for k, v in sorted(counts.items())) + "}"


def explained_503(status: int, headers: dict, body: bytes, path: str) -> str:
    """'' when an answer is fine: 2xx/3xx/404, or a 503 that says why and when to come back."""
    if status < 400 or status == 404:
        return ""
    if status != 503:
        return f"{status} for {path}"
    kind = headers.get("Content-Type", "")
    if "Retry-After" not in headers:
        return f"503 without Retry-After for {path}"
    if path.startswith("/api/"):
        if "application/problem+json" not in kind:
            return f"503 for {path} is {kind}, not problem+json"
        if not json.loads(body).get("detail"):
            return f"503 problem for {path} without a detail"
    elif "text/html" not in kind or b"Traceback" in body:
        return f"503 for {path} is not a page that says what happened"
    return ""


def wait_for(predicate: Callable[[], bool], timeout: float, step: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


# --- 1: kill -9 during a harvest --------------------------------------------------------------

class Harvest:
    """``allmende harvest`` in the background, its output lines read as they come."""

    def __init__(self, allmende: Allmende):
        self.lines: list[str] = []
        self.process = allmende.start("harvest", stdout=subprocess.PIPE,
                                      stderr=subprocess.DEVNULL)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def saw(self, prefix: str) -> bool:
        return any(line.startswith(prefix) for line in list(self.lines))

    def phase(self) -> str:
        if self.saw("search index:") or self.saw("notifications:"):
            return "after the index write"
        if self.saw("faults:"):
            return "after catalogue writes, before the index write"
        return "while fetching and writing the catalogue"

    def kill(self) -> str:
        """SIGKILL; returns the phase it hit ('finished' when the harvest had ended)."""
        if self.process.poll() is not None:
            self.reader.join(timeout=5)
            return "finished"
        phase = self.phase()
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)
        self.reader.join(timeout=5)
        return phase


def scenario_kill(work: Path, runs: int, repos: int, seed: int) -> Outcome:
    outcome = Outcome("1 kill -9 during harvest")
    rng = random.Random(seed)
    source = Source(work / "git", repos, Words(rng))
    data = work / "data"
    allmende = Allmende(source.config(data, work / "allmende.toml"), data)
    database = data / "allmende.db"
    for step in (("db", "upgrade"), ("harvest",)):
        result = allmende.run(*step)
        if result.returncode != 0:
            outcome.fail(f"setup: allmende {' '.join(step)} exited {result.returncode}: "
                         f"{last_line(result.stderr)}")
            return outcome
    # calibration: how long a harvest with renamed solutions takes, to spread the kills over
    for repo in rng.sample(source.repos, 3):
        source.rename(repo)
    started = time.monotonic()
    calibration = allmende.run("harvest")
    duration = time.monotonic() - started
    if calibration.returncode != 0:
        outcome.fail(f"calibration harvest exited {calibration.returncode}")
    note(f"kill: {repos} repositories, a harvest of renames takes {duration:.1f} s")
    phases: Counter = Counter()
    kills = behind = failed_runs = 0
    recoveries: list[float] = []
    for run in range(runs):
        renamed = {source.url(repo): source.rename(repo)
                   for repo in rng.sample(source.repos, rng.randint(1, 3))}
        harvest = Harvest(allmende)
        if run % 3 == 2:  # catalogue written, index not yet: the window an index can lie in
            wait_for(lambda h=harvest: h.saw("registered:") or h.process.poll() is not None,
                     duration * 4, step=0.005)
            time.sleep(rng.uniform(0, 0.02))
        else:
            time.sleep(rng.uniform(0.02, 1.0) * duration)
        phase = harvest.kill()
        phases[phase] += 1
        kills += phase != "finished"
        if allmende.run("index", "check").returncode != 0:
            behind += 1  # what the kill left; the next harvest must catch it up
        began = time.monotonic()
        completing = allmende.run("harvest")
        recoveries.append(time.monotonic() - began)
        problems = [] if completing.returncode == 0 else [
            f"the completing harvest exited {completing.returncode}: "
            f"{last_line(completing.stderr)}"]
        problems += check_catalogue(allmende, renamed, database)
        if problems:
            failed_runs += 1
            for problem in problems:
                outcome.fail(f"run {run + 1} (killed {phase}): {problem}")
        note(f"run {run + 1}/{runs}: killed {phase}; "
             f"{'ok' if not problems else f'{len(problems)} problem(s)'}")
    outcome.figures = {"runs": runs, "kills": kills,
                       "by phase": "{" + ", ".join(f"{k}: {v}" for k, v in
                                                   sorted(phases.items())) + "}",
                       "index behind after the kill": behind, "failed runs": failed_runs,
                       "server deaths": 0,
                       "recovery (completing harvest) median":
                           f"{sorted(recoveries)[len(recoveries) // 2]:.1f} s" if recoveries
                           else "n/a"}
    return outcome


# --- 2: index files truncated and deleted while serving ---------------------------------------

class HealthWatch:
    """/healthz polled every 0.1 s: (time, status) pairs."""

    def __init__(self, port: int):
        self.port, self.seen = port, []
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                status = get(self.port, "/healthz", timeout=10)[0]
            except (OSError, http.client.HTTPException):
                status = 0
            self.seen.append((time.monotonic(), status))
            self._stop.wait(0.1)

    def recovered_after(self, since: float) -> float | None:
        """Seconds from ``since`` to the first ``ok`` after a 503 (None: not yet)."""
        unhealthy = False
        for at, status in list(self.seen):
            if at < since:
                continue
            unhealthy |= status == 503
            if unhealthy and status == 200:
                return at - since
        return None

    def stop(self) -> None:
        self._stop.set()
        self.thread.join(timeout=15)


def damage(outcome: Outcome, server: Server, watch: HealthWatch, what: str,
           act: Callable[[], str], probe: str, timeout: float = 60) -> float | None:
    """Damage the index with ``act`` while serving; wait until /healthz went 503 and back to
    ok and ``probe`` (a search) answers 200. Returns the seconds to recovery."""
    since = time.monotonic()
    target = act()
    note(f"index: {what} {target}")

    def recovered() -> bool:
        if not server.alive or watch.recovered_after(since) is None:
            return False
        with contextlib.suppress(OSError, http.client.HTTPException):
            return get(server.port, probe)[0] == 200
        return False

    if not wait_for(recovered, timeout, step=0.2):
        if not any(status == 503 for at, status in watch.seen if at >= since):
            outcome.fail(f"{what}: /healthz never reported the damage within {timeout:.0f} s")
        else:
            outcome.fail(f"{what}: not recovered within {timeout:.0f} s")
        return None
    return time.monotonic() - since


def segments(index_dir: Path) -> list[Path]:
    return sorted(index_dir.glob("*.seg"), key=lambda p: (-p.stat().st_size, p.name))


def scenario_index(work: Path, repos: int, seed: int) -> Outcome:
    outcome = Outcome("2 index files damaged while serving")
    rng = random.Random(seed)
    source = Source(work / "git", repos, Words(rng))
    data = work / "data"
    allmende = Allmende(source.config(data, work / "allmende.toml"), data)
    for step in (("db", "upgrade"), ("harvest",)):
        result = allmende.run(*step)
        if result.returncode != 0:
            outcome.fail(f"setup: allmende {' '.join(step)} exited {result.returncode}")
            return outcome
    words = [name.split()[-1] for name in source.names.values()]
    paths = ([f"/api/v1/solutions?q={w}" for w in words] + [f"/suche?q={w}" for w in words]
             + [f"/api/v1/solutions?q={w}&sort=name" for w in words])
    server = Server(allmende, work / "server.log")
    watch = HealthWatch(server.port)
    clients = Clients(server.port, paths, 4, seed, explained_503)
    index_dir = data / "index"
    recoveries: list[float | None] = []
    try:
        # the baseline: searches answer 200 (the first ones open the index, slowly)
        if not wait_for(lambda: sum(a.status == 200 for a in clients.answers) >= 20, 120):
            outcome.fail("no search answered 200 before the damage")

        def truncate() -> str:
            victim = segments(index_dir)[0]
            with victim.open("r+b") as handle:
                handle.truncate(victim.stat().st_size // 2)
            return victim.name

        def delete() -> str:
            victim = rng.choice(segments(index_dir))
            victim.unlink()
            return victim.name

        probe = f"/api/v1/solutions?q={words[0]}"
        recoveries.append(damage(outcome, server, watch, "truncated", truncate, probe))
        time.sleep(2)
        recoveries.append(damage(outcome, server, watch, "deleted", delete, probe))
        time.sleep(2)
    finally:
        answers = clients.stop()
        watch.stop()
        alive = server.alive
        server.stop()
    if not alive:
        outcome.fail(f"the server died: {last_line(server.log.read_text())}")
    for answer in answers:
        if answer.problem:
            outcome.fail(f"at +{answer.at - answers[0].at:.1f} s: {answer.problem}")
    for problem in check_catalogue(allmende, {source.url(r): (None, n)
                                              for r, n in list(source.names.items())[:3]},
                                   data / "allmende.db"):
        outcome.fail(f"afterwards: {problem}")
    healthz = Counter(status for _, status in watch.seen)
    outcome.figures = {
        "damages": 2, "requests": len(answers), "by status": statuses(answers),
        "healthz": "{" + ", ".join(f"{k or 'none'}: {v}" for k, v in sorted(healthz.items()))
                   + "}",
        "bad answers": sum(1 for a in answers if a.problem),
        "slowest": f"{max((a.seconds for a in answers), default=0):.2f} s",
        "server deaths": int(not alive),
        "recovery": "/".join("never" if r is None else f"{r:.1f} s" for r in recoveries)}
    return outcome


# --- 3: a full disk under the data directory --------------------------------------------------

@contextlib.contextmanager
def small_disk(mountpoint: Path, work: Path, mebibytes: int) -> Iterator[str]:
    """A small file system at ``mountpoint``: tmpfs, else a loop-mounted ext4 image; unmounted
    at the end, always. Yields what it is; raises OSError when neither can be mounted."""
    mountpoint.mkdir(parents=True, exist_ok=True)
    attempts = [("tmpfs", ["mount", "-t", "tmpfs", "-o", f"size={mebibytes}m", "tmpfs",
                           str(mountpoint)])]
    image = work / "disk.img"
    attempts.append(("ext4 image", ["sh", "-c", f"truncate -s {mebibytes}M {image} && "
                                    f"mkfs.ext4 -q -F {image} && "
                                    f"mount -o loop {image} {mountpoint}"]))
    reasons = []
    for kind, command in attempts:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode == 0:
            break
        reasons.append(f"{kind}: {last_line(result.stderr)}")
    else:
        raise OSError("; ".join(reasons))
    try:
        yield kind
    finally:
        result = subprocess.run(["umount", str(mountpoint)], capture_output=True, text=True,
                                check=False)
        if result.returncode != 0:  # something still holds it: detach it lazily
            subprocess.run(["umount", "-l", str(mountpoint)], check=False)


def fill(path: Path, leave: int) -> int:
    """Write ``path`` until the disk is full, then give back ``leave`` bytes; its size."""
    chunk = b"\0" * (1 << 16)
    with path.open("wb", buffering=0) as handle:
        try:
            while True:
                handle.write(chunk)
        except OSError:
            pass
        size = max(handle.tell() - leave, 0)
        handle.truncate(size)
        os.fsync(handle.fileno())
    return size


TRACEBACK_LINE = re.compile(r"^(Traceback |\s|During handling|[\w.]+(Error|Exception)\b)")
FULL_WORDS = re.compile(r"no space left|disk is full|disk full|not enough space", re.I)


def clear_message(output: str) -> str | None:
    """A line of ``output`` that is not part of a traceback and says the disk is full."""
    for line in output.splitlines():
        text = re.sub(r"^\S+ \S+ (INFO|WARNING|ERROR|CRITICAL) ", "", line)
        if FULL_WORDS.search(text) and not TRACEBACK_LINE.match(text):
            return text.strip()
    return None


def scenario_disk(work: Path, repos: int, seed: int) -> Outcome:
    outcome = Outcome("3 full disk under the data directory")
    rng = random.Random(seed)
    source = Source(work / "git", repos, Words(rng))
    mountpoint = work / "disk"
    data = mountpoint / "data"
    allmende = Allmende(source.config(data, work / "allmende.toml"), data)
    database = data / "allmende.db"
    server = clients = None
    answers: list[Answer] = []
    failed_harvests = clear = 0
    recovery = None
    alive = True
    try:
        with small_disk(mountpoint, work, 8) as kind:
            for step in (("db", "upgrade"), ("harvest",)):
                result = allmende.run(*step)
                if result.returncode != 0:
                    outcome.fail(f"setup: allmende {' '.join(step)} exited "
                                 f"{result.returncode}: {last_line(result.stderr)}")
                    return outcome
            before = {s["url"]: s["name"] for s in allmende.export()}
            used = shutil.disk_usage(mountpoint).used
            note(f"disk: {kind}, 8 MiB, {used / 2**20:.1f} MiB used by {len(before)} solutions")
            server = Server(allmende, work / "server.log")
            words = [name.split()[-1] for name in before.values()]
            paths = ([f"/api/v1/solutions?q={w}" for w in words] + ["/", "/herausgeber",
                     "/api/v1/solutions", "/quellen"] + [f"/suche?q={w}" for w in words])
            clients = Clients(server.port, paths, 3, seed, explained_503)
            ballast = mountpoint / "ballast"
            size = fill(ballast, leave=16 * 1024)
            note(f"disk: ballast of {size / 2**20:.1f} MiB, "
                 f"{shutil.disk_usage(mountpoint).free // 1024} KiB left")
            renamed = {source.url(repo): source.rename(repo)
                       for repo in rng.sample(source.repos, 4)}
            for attempt in (("harvest",), ("harvest", "--full"), ("index", "rebuild")):
                result = allmende.run(*attempt)
                output = result.stdout + result.stderr
                message = clear_message(output)
                (work / f"full-disk-{'-'.join(attempt)}.log").write_text(output)
                note(f"disk full: allmende {' '.join(attempt)} exited {result.returncode}: "
                     f"{message or last_line(output)}")
                if result.returncode == 0:
                    continue  # nothing needed the space this time
                failed_harvests += 1
                if message is None:
                    outcome.fail(f"allmende {' '.join(attempt)} on a full disk: no clear "
                                 f"message; last line: {last_line(output)}")
                else:
                    clear += 1
                if (verdict := integrity(database)) != "ok":
                    outcome.fail(f"integrity_check after {' '.join(attempt)}: {verdict}")
            if failed_harvests == 0:
                outcome.fail("nothing failed on the full disk: the ballast left too much room")
            try:
                after = {s["url"] for s in allmende.export()}
                if missing := set(before) - after:
                    outcome.fail(f"{len(missing)} earlier solutions gone from the catalogue")
            except RuntimeError as exc:
                outcome.fail(f"export on a full disk: {exc}")
            freed = time.monotonic()
            ballast.unlink()
            result = allmende.run("harvest")
            if result.returncode != 0:
                outcome.fail(f"the harvest after freeing the disk exited {result.returncode}: "
                             f"{last_line(result.stderr)}")
            for problem in check_catalogue(allmende, renamed, database):
                outcome.fail(f"after freeing the disk: {problem}")
            recovery = time.monotonic() - freed
            answers = clients.stop()
            clients = None
            alive = server.alive
    except OSError as exc:
        outcome.skipped = f"no small file system could be mounted: {exc}"
        return outcome
    finally:
        if clients is not None:
            answers = clients.stop()
        if server is not None:
            alive = alive and server.alive
            server.stop()
    if not alive:
        outcome.fail(f"the server died: {last_line(server.log.read_text())}")
    for answer in answers:
        if answer.problem:
            outcome.fail(answer.problem)
    outcome.figures = {"failed commands on the full disk": failed_harvests,
                       "with a clear message": clear, "requests": len(answers),
                       "by status": statuses(answers),
                       "bad answers": sum(1 for a in answers if a.problem),
                       "server deaths": int(not alive),
                       "recovery (harvest + checks after freeing)":
                           "never" if recovery is None else f"{recovery:.1f} s"}
    return outcome


# --- 4: PostgreSQL stopped mid-request --------------------------------------------------------

class PrivatePostgres:
    """A PostgreSQL of our own: initdb into a temporary directory owned by ``postgres`` (initdb
    refuses root), a free port on 127.0.0.1, the socket in that directory."""

    def __init__(self, root: Path):
        found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
        if not found:
            raise OSError("no initdb under /usr/lib/postgresql/*/bin")
        self.bin, self.root = found[-1].parent, root
        self.data, self.port = root / "pgdata", free_port()
        root.mkdir(parents=True, exist_ok=True)
        self.user = "postgres" if os.geteuid() == 0 else None
        if self.user:
            shutil.chown(root, self.user, self.user)
        self._as_user(["initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres",
                       "--no-sync", "-E", "UTF8"])
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/allmende"

    def _as_user(self, command: list[str]) -> subprocess.CompletedProcess:
        tool = command[0]
        command = [str(self.bin / tool), *command[1:]]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, check=False,
                                cwd=self.root, timeout=120)
        if result.returncode != 0:
            raise OSError(f"{tool}: {last_line(result.stderr or result.stdout)}")
        return result

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off")
        self._as_user(["pg_ctl", "start", "-D", str(self.data), "-w", "-t", "60",
                       "-l", str(self.root / "postgres.log"), "-o", options])

    def stop(self, mode: str = "fast") -> None:
        self._as_user(["pg_ctl", "stop", "-D", str(self.data), "-m", mode, "-w"])

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def create_database(self) -> None:
        self._as_user(["createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                       "allmende"])


def scenario_postgres(work: Path, repos: int, seed: int) -> Outcome:
    outcome = Outcome("4 PostgreSQL stopped mid-request")
    rng = random.Random(seed)
    try:
        postgres = PrivatePostgres(work / "pg")
        postgres.start()
    except (OSError, subprocess.TimeoutExpired) as exc:
        outcome.skipped = f"no private PostgreSQL: {exc}"
        return outcome
    server = clients = None
    answers: list[Answer] = []
    alive, recovery, outage = True, None, (0.0, 0.0)
    try:
        postgres.create_database()
        source = Source(work / "git", repos, Words(rng))
        data = work / "data"
        allmende = Allmende(source.config(data, work / "allmende.toml"), data, postgres.url)
        for step in (("db", "upgrade"), ("harvest",)):
            result = allmende.run(*step)
            if result.returncode != 0:
                outcome.fail(f"setup: allmende {' '.join(step)} exited {result.returncode}: "
                             f"{last_line(result.stderr)}")
                return outcome
        shown = allmende.export()
        ids = [s["id"] for s in shown]
        words = [s["name"].split()[-1] for s in shown]
        paths = ([f"/api/v1/solutions/{i}" for i in ids] + [f"/loesungen/{i}" for i in ids]
                 + ["/api/v1/solutions", "/herausgeber", "/api/v1/publishers", "/"]
                 + [f"/api/v1/solutions?q={w}" for w in words])
        server = Server(allmende, work / "server.log")
        clients = Clients(server.port, paths, 4, seed, explained_503)
        if not wait_for(lambda: sum(a.status == 200 for a in clients.answers) >= 20, 120):
            outcome.fail("no request answered 200 before the outage")
        stopped = time.monotonic()
        postgres.stop("immediate")
        note("postgres: stopped (immediate) while clients request pages and the API")
        time.sleep(rng.uniform(3, 6))
        health = get(server.port, "/healthz")
        if health[0] != 503:
            outcome.fail(f"/healthz during the outage answered {health[0]}: {health[2][:80]!r}")
        postgres.start()
        started = time.monotonic()
        outage = (stopped, started)
        note(f"postgres: started again after {started - stopped:.1f} s")

        def answers_again() -> bool:
            try:
                return (get(server.port, f"/api/v1/solutions/{ids[0]}")[0] == 200
                        and get(server.port, "/healthz")[0] == 200)
            except (OSError, http.client.HTTPException):
                return False

        if wait_for(answers_again, 60, step=0.1):
            recovery = time.monotonic() - started
        else:
            outcome.fail("the server did not answer normally within 60 s of the database's "
                         "return")
        time.sleep(2)
        answers = clients.stop()
        clients = None
        alive = server.alive
        late = [a for a in answers if a.at > started + (recovery or 0) + 1 and a.status != 200]
        if late:
            outcome.fail(f"{len(late)} requests failed after the recovery, e.g. "
                         f"{late[0].status} for {late[0].path}")
    except (OSError, RuntimeError, subprocess.TimeoutExpired) as exc:
        outcome.fail(f"{type(exc).__name__}: {exc}")
    finally:
        if clients is not None:
            answers = clients.stop()
        if server is not None:
            alive = alive and server.alive
            server.stop()
        if postgres.running():
            with contextlib.suppress(OSError, subprocess.TimeoutExpired):
                postgres.stop("immediate")
    if not alive:
        outcome.fail(f"the server died: {last_line(server.log.read_text())}")
    for answer in answers:
        if answer.problem:
            outcome.fail(answer.problem)
    during = [a for a in answers if outage[0] <= a.at <= outage[1]]
    outcome.figures = {"outages": 1, "requests": len(answers), "by status": statuses(answers),
                       "during the outage": statuses(during),
                       "bad answers": sum(1 for a in answers if a.problem),
                       "slowest": f"{max((a.seconds for a in answers), default=0):.2f} s",
                       "server deaths": int(not alive),
                       "recovery": "never" if recovery is None else f"{recovery:.1f} s"}
    return outcome


# --- the run ----------------------------------------------------------------------------------

SCENARIOS = ("kill", "index", "disk", "postgres")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="kill -9 runs (scenario 1)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repos", type=int, default=36, help="repositories in the source")
    parser.add_argument("--only", default=",".join(SCENARIOS),
                        help=f"comma-separated scenarios of {', '.join(SCENARIOS)}")
    parser.add_argument("--work", type=Path, default=None, help="keep everything here")
    args = parser.parse_args()
    chosen = [name.strip() for name in args.only.split(",") if name.strip()]
    if unknown := set(chosen) - set(SCENARIOS):
        parser.error(f"unknown scenario(s): {', '.join(sorted(unknown))}")
    work = args.work or Path(tempfile.mkdtemp(prefix="allmende-faults-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"faults: seed {args.seed}, {args.repos} repositories, work in {work}",
          file=sys.stderr)
    runners = {"kill": lambda w: scenario_kill(w, args.runs, args.repos, args.seed),
               "index": lambda w: scenario_index(w, args.repos, args.seed),
               "disk": lambda w: scenario_disk(w, min(args.repos, 12), args.seed),
               "postgres": lambda w: scenario_postgres(w, min(args.repos, 12), args.seed)}
    outcomes = []
    began = time.monotonic()
    for name in chosen:
        folder = work / name
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        started = time.monotonic()
        try:
            outcome = runners[name](folder)
        except Exception as exc:  # noqa: BLE001 - a scenario that broke is a failed scenario
            outcome = Outcome(name)
            outcome.fail(f"the scenario itself broke: {type(exc).__name__}: {exc}")
        outcome.figures["time"] = f"{time.monotonic() - started:.0f} s"
        outcomes.append(outcome)
        print(outcome.line(), flush=True)
    failed = [o for o in outcomes if o.failures]
    skipped = [o for o in outcomes if o.skipped]
    print(f"summary: {len(outcomes)} scenarios, {len(outcomes) - len(failed) - len(skipped)} "
          f"ok, {len(failed)} failed, {len(skipped)} not run; "
          f"{sum(len(o.failures) for o in outcomes)} failures in all; seed {args.seed}; "
          f"{time.monotonic() - began:.0f} s", flush=True)
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
