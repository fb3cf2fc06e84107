"""The search page's response cache: hits, misses, who is never served from it, invalidation
by the index generation, the configuration, the bounds (web/pages/response_cache.py)."""

from __future__ import annotations

import sqlalchemy as sa

from registry.db import session_scope
from search import reindex
from web.pages.response_cache import HEADER, ResponseCache, cache_for

from .people import log_in


def get(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response


def test_a_repeated_search_is_a_hit_with_the_same_page_and_headers(client):
    first = get(client, "/suche?q=Termin")
    second = get(client, "/suche?q=Termin")
    assert first.headers[HEADER] == "miss" and second.headers[HEADER] == "hit"
    assert second.get_data() == first.get_data()
    assert second.mimetype == "text/html"
    for name in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options"):
        assert second.headers[name] == first.headers[name]
    assert "Cookie" in second.headers["Vary"]


def test_the_order_of_different_parameters_does_not_matter(client):
    get(client, "/suche?q=Termin&sort=name")
    assert get(client, "/suche?sort=name&q=Termin").headers[HEADER] == "hit"


def test_other_queries_filters_pages_paths_and_languages_are_misses(client):
    get(client, "/suche?q=Termin")
    for url in ("/suche?q=Abfall", "/suche?q=Termin&platform=web", "/suche?q=Termin&sort=name",
                "/search?q=Termin", "/suche?q=Termin&lang=en", "/suche?q=Termin&lang=de",
                "/suche", "/suche?q="):
        assert get(client, url).headers[HEADER] == "miss", url
    assert '<html lang="en">' in get(client, "/suche?q=Termin&lang=en").get_data(as_text=True)


def test_the_language_cookie_is_still_set_on_a_hit(app):
    get(app.test_client(), "/suche?lang=en")
    response = get(app.test_client(), "/suche?lang=en")  # a new visitor: no cookie yet
    assert response.headers[HEADER] == "hit"
    assert "lang=en" in response.headers["Set-Cookie"]


def test_the_remembered_language_is_part_of_the_key(client):
    german = get(client, "/suche?q=Termin")
    client.set_cookie("lang", "en")
    english = get(client, "/suche?q=Termin")
    assert english.headers[HEADER] == "miss"
    assert english.get_data() != german.get_data()


def test_a_logged_in_reader_is_never_served_from_or_stored_into_the_cache(app, client, people):
    get(app.test_client(), "/suche?q=Termin")  # an anonymous visitor fills the cache
    log_in(client, people.member)
    for url in ("/suche?q=Termin", "/suche?q=Abfall", "/suche?q=Abfall"):
        assert get(client, url).headers[HEADER] == "bypass", url
    assert get(app.test_client(), "/suche?q=Abfall").headers[HEADER] == "miss"


def test_a_session_with_anything_in_it_bypasses_the_cache(app, client):
    get(app.test_client(), "/suche?q=Termin")
    with client.session_transaction() as session:
        session["_flashes"] = [("message", "Gespeichert.")]
    assert get(client, "/suche?q=Termin").headers[HEADER] == "bypass"
    with client.session_transaction() as session:
        session.clear()
        session["csrf_token"] = "0" * 40
    assert get(client, "/suche?q=Termin").headers[HEADER] == "bypass"


def test_a_new_index_generation_is_a_miss_with_the_new_data(app, client, engine):
    assert "5 Lösungen gefunden" in get(client, "/suche").get_data(as_text=True)
    assert get(client, "/suche").headers[HEADER] == "hit"
    with session_scope(engine) as session:
        gone = session.execute(sa.text("SELECT min(id) FROM solution")).scalar_one()
        session.execute(sa.text("UPDATE solution SET status = 'removed' WHERE id = :id"),
                        {"id": gone})
        session.commit()
    assert get(client, "/suche").headers[HEADER] == "hit"  # the index has not changed yet

    reindex(engine, app.config["INDEX_DIR"], [gone])

    response = get(client, "/suche")
    assert response.headers[HEADER] == "miss"
    assert "4 Lösungen gefunden" in response.get_data(as_text=True)
    assert get(client, "/suche").headers[HEADER] == "hit"


def test_parameters_the_page_does_not_read_share_its_cached_page(client):
    assert get(client, "/suche?q=Termin").headers[HEADER] == "miss"
    tracked = get(client, "/suche?q=Termin&utm_source=newsletter")
    assert tracked.status_code == 200 and tracked.headers[HEADER] == "hit"


def test_errors_are_not_cached(client):
    for url in ("/suche?q=%00", "/suche?page=99", "/suche?sort=nope"):
        for _ in range(2):
            response = client.get(url)
            assert response.status_code == 400
            assert HEADER not in response.headers


def test_zero_entries_turns_the_cache_off(app, client):
    app.config["SEARCH_CACHE_ENTRIES"] = 0
    first, second = get(client, "/suche?q=Termin"), get(client, "/suche?q=Termin")
    assert HEADER not in first.headers and HEADER not in second.headers
    assert cache_for(app) is None


def test_the_least_recently_used_page_makes_room(app, client):
    app.config["SEARCH_CACHE_ENTRIES"] = 2
    get(client, "/suche?q=Termin")
    get(client, "/suche?q=Abfall")
    assert get(client, "/suche?q=Termin").headers[HEADER] == "hit"  # now the most recent
    get(client, "/suche?q=Karte")  # evicts Abfall
    assert len(cache_for(app)) == 2
    assert get(client, "/suche?q=Termin").headers[HEADER] == "hit"
    assert get(client, "/suche?q=Abfall").headers[HEADER] == "miss"


def test_the_cache_is_bounded_by_bytes_and_age():
    now = [0.0]
    cache = ResponseCache(max_entries=10, max_bytes=10, seconds=300, clock=lambda: now[0])
    cache.put("a", b"12345")
    cache.put("b", b"12345")
    cache.put("c", b"123")  # 13 bytes: "a" goes
    assert cache.get("a") is None and cache.get("b") == b"12345" and cache.size_bytes == 8
    cache.put("huge", b"x" * 11)  # larger than the whole cache: not kept, nothing evicted
    assert cache.get("huge") is None and len(cache) == 2
    cache.put("b", b"1")  # replacing an entry counts its new size only
    assert cache.size_bytes == 4
    now[0] = 301.0
    assert cache.get("b") is None and cache.get("c") is None
    assert len(cache) == 0 and cache.size_bytes == 0
