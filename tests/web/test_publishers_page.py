"""``/herausgeber``: every publisher by name with its catalogue count, as the API lists them."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlmodel import Session

from registry.models import Publisher
from web.api.publishers import DEFAULT_PER_PAGE

ROW = re.compile(r'<tr>\s*<th scope="row"><a href="/herausgeber/(\d+)">([^<]+)</a></th>\s*'
                 r'<td>[^<]*</td>\s*<td>(\d+)</td>')


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data(as_text=True)


def test_lists_the_demo_publishers_with_counts_and_links(client):
    html = page(client, "/herausgeber")
    assert "<h1>Herausgeber</h1>" in html
    rows = [(int(i), name, int(n)) for i, name, n in ROW.findall(html)]
    api = client.get("/api/v1/publishers").get_json()["items"]
    assert rows == [(p["id"], p["name"], p["solution_count"]) for p in api]
    assert ("Stadt Musterstadt", 1) in [(name, n) for _i, name, n in rows]
    assert [name for _i, name, _n in rows] == sorted(name for _i, name, _n in rows)
    assert 'class="pagination"' not in html
    for publisher_id, name, _n in rows:
        assert name in page(client, f"/herausgeber/{publisher_id}")


def test_navigation_links_the_list_in_german_and_english(client):
    assert '<a href="/herausgeber">Herausgeber</a>' in page(client, "/ueber")
    english = page(client, "/herausgeber?lang=en")
    assert '<a href="/herausgeber">Publishers</a>' in english
    assert "<h1>Publishers</h1>" in english and "5 publishers" in english


def test_many_publishers_are_paged_like_the_api(client, engine):
    with Session(engine) as session:
        for n in range(DEFAULT_PER_PAGE + 5):
            session.add(Publisher(name=f"Zweckverband {n:03d}", slug=f"zweckverband-{n:03d}",
                                  created_at=datetime.now(UTC)))
        session.commit()
    first = page(client, "/herausgeber")
    assert len(ROW.findall(first)) == DEFAULT_PER_PAGE
    assert '<nav class="pagination" aria-label="Seiten">' in first
    assert '<strong aria-current="page">1</strong>' in first
    assert '<a rel="next" href="/herausgeber?page=2">' in first
    second = page(client, "/herausgeber?page=2")
    assert len(ROW.findall(second)) == 10 and "Zweckverband 054" in second
    assert '<a rel="prev" href="/herausgeber">' in second
    assert client.get("/herausgeber?page=3").status_code == 400
    assert client.get("/herausgeber?page=zwei").status_code == 400
