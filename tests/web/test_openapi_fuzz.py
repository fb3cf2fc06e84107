"""The API behaves as its OpenAPI document says, for generated requests (schemathesis).

Every operation of ``/api/v1/openapi.json`` gets a bounded number of generated requests —
valid and invalid parameters, bodies and headers — through the real app (WSGI, in process),
with a token of an account that may use the write routes. Each answer must be documented:
its status, content type and body schema; no answer may be a server error. So the document
and the behaviour cannot drift apart again (issue 11: 429 was undocumented on registrations,
``cursor`` had no format, ``url`` was not restricted to https).

Generated repository URLs are replaced by a closed port on loopback before the call: the
registration check fetches what it is given, and a test's traffic stays on this machine.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from registry.accounts import tokens
from registry.db import session_scope

CLOSED_LOOPBACK = "https://127.0.0.1:9/stadt/termine"
"""Port 9 (discard) is closed here: the fetch fails at once, and never leaves the machine."""
EXAMPLES_PER_OPERATION = 12


@pytest.fixture
def api_schema(app):
    app.config["BACKGROUND_HARVEST_MANUAL"] = True  # "harvest now" only queues
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


@pytest.fixture
def bearer(engine, people) -> dict[str, str]:
    with session_scope(engine) as session:
        _stored, plain = tokens.create_token(session, people.admin, "schemathesis")
        session.commit()
    return {"Authorization": f"Bearer {plain}"}


def test_every_answer_is_documented(api_schema, bearer):
    # schemathesis' own pytest integration does not run on pytest 9 yet, so each operation
    # gets its hypothesis test here, from the operation's case strategy.
    failures = {}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:

        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True,
                  suppress_health_check=list(HealthCheck), database=None)
        @given(case=operation.as_strategy())
        def check(case):
            if isinstance(case.body, dict) and "url" in case.body:
                case.body["url"] = CLOSED_LOOPBACK
            case.call_and_validate(headers={**(case.headers or {}), **bearer})

        try:
            check()
        except (Exception, BaseExceptionGroup) as failure:  # noqa: BLE001 - all reported
            failures[operation.label] = str(failure)[:2000]
    assert not failures, "\n\n".join(f"{label}:\n{text}" for label, text in failures.items())


def test_the_cursor_pattern_allows_exactly_the_pages_served():
    import re

    from web.api import params

    pattern = re.compile(params.CURSOR_PATTERN)
    assert pattern.match(params.encode_cursor(1)) and pattern.match(
        params.encode_cursor(params.MAX_PAGE))
    assert not pattern.match(params.encode_cursor(params.MAX_PAGE + 1))
    assert not pattern.match("p0") and not pattern.match("p01")
