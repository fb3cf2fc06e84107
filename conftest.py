"""Test-run policy, kept apart from the fixtures in tests/conftest.py.

In CI (``ALLMENDE_FAIL_ON_SKIP=1``, set by .ci/run) a skipped test fails the run: a skip there
means something CI promised to provide — PostgreSQL, the shared corpus, Chromium — is missing,
and a green run would hide it. Locally, skips stay skips with their reason shown (``-ra``).
"""

from __future__ import annotations

import os

import pytest


def _failing_on_skip() -> bool:
    return os.environ.get("ALLMENDE_FAIL_ON_SKIP") == "1"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if _failing_on_skip() and reporter and reporter.stats.get("skipped"):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    skipped = len(terminalreporter.stats.get("skipped", []))
    if _failing_on_skip() and skipped:
        terminalreporter.write_line(
            f"ALLMENDE_FAIL_ON_SKIP: {skipped} test(s) skipped in CI, so the run fails: a skip "
            "here means a promised service or file is missing.", red=True)
