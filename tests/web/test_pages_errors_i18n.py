"""HTML error pages beside the API's problem+json, and the English catalogue's upkeep."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from web import create_app, services

WEB = Path(__file__).resolve().parents[2] / "web"
TRANSLATIONS = WEB / "translations" / "en" / "LC_MESSAGES"


def test_unknown_page_is_an_html_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404 and response.content_type.startswith("text/html")
    html = response.get_data(as_text=True)
    assert "Seite nicht gefunden" in html and "The requested URL" not in html
    assert "Page not found" in client.get("/no-such-page?lang=en").get_data(as_text=True)


def test_machine_routes_keep_problem_json(client):
    for path in ("/api/v1/nothing-here", "/export/nothing", "/feeds/nothing"):
        response = client.get(path)
        assert (response.status_code, response.content_type) == (
            404, "application/problem+json"), path


def test_wrong_method_on_a_page_is_html_with_allow(client):
    response = client.post("/suche", data=b"x")
    assert response.status_code == 405 and response.content_type.startswith("text/html")
    assert "GET" in response.headers["Allow"]


def test_unknown_publisher_is_a_404_page(client):
    response = client.get("/herausgeber/999999")
    assert response.status_code == 404
    assert "Keinen Herausgeber mit der Nummer 999999" in response.get_data(as_text=True)


def test_an_unexpected_error_on_a_page_is_an_html_500_without_internals(
        database_url, engine, catalogue, caplog):
    app = create_app({"DATABASE_URL": database_url, "INDEX_DIR": str(catalogue)})

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals /etc/allmende")

    try:
        response = app.test_client().get("/boom")
    finally:
        services.dispose(app)
    assert response.status_code == 500 and response.content_type.startswith("text/html")
    html = response.get_data(as_text=True)
    assert "secret" not in html and "Ein Fehler im Server" in html
    assert "secret internals" in caplog.text
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")


def _catalogue_pairs(catalogue) -> dict:
    def plain(value):
        return tuple(value) if isinstance(value, list | tuple) else value
    return {plain(message.id): plain(message.string) for message in catalogue if message.id}


def test_compiled_catalogue_matches_the_po_file():
    with (TRANSLATIONS / "messages.po").open("rb") as po, \
            (TRANSLATIONS / "messages.mo").open("rb") as mo:
        assert _catalogue_pairs(read_po(po)) == _catalogue_pairs(read_mo(mo)), \
            "run: pybabel compile -d web/translations"


def _method_map() -> list[tuple[str, str]]:
    """babel.cfg's own map, relative to web/: the test checks what extraction extracts."""
    with (WEB / "translations" / "babel.cfg").open(encoding="utf-8") as config:
        method_map, _options = parse_mapping_cfg(config)
    return [(pattern.removeprefix("web/"), method) for pattern, method in method_map]


def test_extraction_covers_every_package_with_ui_strings():
    covered = {pattern.split("/")[0] for pattern, _method in _method_map()}
    for module in WEB.rglob("*.py"):
        text = module.read_text(encoding="utf-8")
        if "flask_babel" in text and "gettext" in text:
            assert module.relative_to(WEB).parts[0] in covered, f"{module} not in babel.cfg"


def test_every_ui_string_has_an_english_translation():
    extracted = {(context, message if isinstance(message, str) else message[0])
                 for _file, _line, message, _comments, context
                 in extract_from_dir(WEB, _method_map(), keywords={
                     "_": None, "gettext": None, "_l": None, "ngettext": (1, 2),
                     "pgettext": ((1, "c"), 2)})}
    with (TRANSLATIONS / "messages.po").open("rb") as po:
        translated = {(m.context, m.id if isinstance(m.id, str) else m.id[0]): m.string
                      for m in read_po(po) if m.id}
    missing = sorted(extracted - {key for key, value in translated.items() if value},
                     key=str)
    assert not missing, f"untranslated (see the header of messages.po): {missing}"
