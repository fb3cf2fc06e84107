"""Ids beyond what the database holds are unknown ids (404), on every route, never a 500."""

from __future__ import annotations

import pytest

from .people import csrf_token, log_in

HUGE = str(2**63)


@pytest.mark.parametrize("path", [
    f"/loesungen/{HUGE}", f"/herausgeber/{HUGE}", f"/api/v1/solutions/{HUGE}",
    f"/api/v1/organisations/{HUGE}", f"/meine-repositorien/{HUGE}", "/loesungen/0",
])
def test_huge_ids_are_unknown(app, people, path):
    client = log_in(app.test_client(), people.admin)
    assert client.get(path).status_code == 404


def test_huge_ids_in_forms_and_api_writes(app, people):
    client = log_in(app.test_client(), people.admin)
    token = csrf_token(client, "/")
    for path in (f"/loesungen/{HUGE}/ernten", f"/verwaltung/konten/{HUGE}/sperren",
                 f"/meine-repositorien/{HUGE}/pruefen", f"/verwaltung/nutzungen/{HUGE}/verbergen"):
        assert client.post(path, data={"csrf_token": token, "reason": "x"}).status_code == 404
    assert client.post(f"/api/v1/solutions/{HUGE}/harvest").status_code == 404
