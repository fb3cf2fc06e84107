"""The solution page: words for readers, signals with derivations, JSON-LD, safe Markdown."""

from __future__ import annotations

import json
import re
from html import unescape

from sqlmodel import Session, select

from registry import catalogue
from registry.config import SourceConfig
from registry.models import Solution
from registry.publiccode import validate_bytes

HOSTILE_URL = "https://git.example/allmende-demo/hostile"
HOSTILE_YAML = """\
publiccodeYmlVersion: "0.4"
name: Hostile Kalender
url: "https://git.example/allmende-demo/hostile"
releaseDate: "2024-03-01"
platforms:
  - web
categories:
  - data-collection
developmentStatus: stable
softwareType: "standalone/web"
isBasedOn: "https://git.example/upstream/kalender"
description:
  de:
    shortDescription: "Kurz <script>alert('short')</script>"
    longDescription: |
      # Überschrift

      Ein **fetter** Absatz mit [gutem Link](https://example.org) und
      [bösem Link](javascript:alert(1)) und <script>alert('long')</script>
      sowie <img src="x" onerror="alert(2)"> und </script><script>alert(3)</script>
      und noch einem langen Satz, damit die Beschreibung lang genug für die Prüfung ist.
    features:
      - "Termine <b>fett</b>"
  en:
    shortDescription: "An English short description"
    longDescription: >
      An English long description that is long enough for the validator to accept it as a
      proper description of this entirely hostile and made up example solution.
    features:
      - Appointments
legal:
  license: GPL-3.0-or-later OR MIT
maintenance:
  type: internal
  contacts:
    - name: "Eve <script>alert(4)</script>"
      email: eve@example.org
localisation:
  localisationReady: true
  availableLanguages:
    - de
    - en
"""


def solution_id(engine, name: str) -> int:
    with Session(engine) as session:
        return session.exec(select(Solution.id).where(Solution.name == name)).one()


def hostile_solution(engine) -> int:
    result = validate_bytes(HOSTILE_YAML.encode())
    assert result.valid, [str(f) for f in result.errors]
    with Session(engine) as session:
        source = catalogue.ensure_source(session, SourceConfig(
            name="hostile", type="gitlab", url="https://git.example"))
        return catalogue.record_solution(session, source=source, repository_url=HOSTILE_URL,
                                         result=result).solution_id


def json_ld(html: str) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_solution_page_speaks_to_readers(client, engine):
    html = client.get(f"/loesungen/{solution_id(engine, 'Terminbuchung Bürgeramt')}").get_data(
        as_text=True)
    assert "<h1>Terminbuchung Bürgeramt</h1>" in html
    assert '<div class="prose" lang="de">' in html
    assert "PostgreSQL" in html and "≥ 14" in html
    assert "Servicedesk Kommunale IT" in html and "mailto:servicedesk@kommunal-it.example" in html
    assert "Angaben der Maintainer (usedBy)" in html and "Stadt Beispielburg" in html
    assert "Aktivität und Wartung" in html and "Für Maintainer" in html


def test_words_instead_of_codes_and_spdx_links(client, engine):
    html = client.get(f"/loesungen/{solution_id(engine, 'Abfallkalender')}").get_data(as_text=True)
    assert "Nicht mehr weiterentwickelt" in html and "Nicht gewartet" in html
    assert '<a href="https://spdx.org/licenses/GPL-3.0-or-later.html"' in html


def test_contractors_with_end_dates(client, engine):
    html = client.get(f"/loesungen/{solution_id(engine, 'Parkraum-App')}").get_data(as_text=True)
    assert "Beispiel Software GmbH" in html and "Vertrag bis 2027-12-31" in html


def test_signals_show_how_they_were_derived(client, engine):
    with Session(engine) as session:
        solution = next(s for s in session.exec(select(Solution)) if s.signals)
    html = client.get(f"/loesungen/{solution.id}").get_data(as_text=True)
    rules = solution.signals.get("signals", [])
    assert rules and all(unescape(rule["derivation_de"]) in unescape(html) for rule in rules)


def test_json_ld_is_parseable_software_source_code(client, engine):
    html = client.get(f"/loesungen/{solution_id(engine, 'Abfallkalender')}").get_data(as_text=True)
    data = json_ld(html)
    assert data["@type"] == "SoftwareSourceCode" and data["name"] == "Abfallkalender"
    assert data["codeRepository"].endswith("/abfallkalender")
    assert data["license"] == "https://spdx.org/licenses/GPL-3.0-or-later.html"


def test_english_reader_gets_the_english_description(client, engine):
    identifier = hostile_solution(engine)
    html = client.get(f"/loesungen/{identifier}?lang=en").get_data(as_text=True)
    assert '<p class="lead" lang="en">An English short description</p>' in html
    assert '<html lang="en">' in html and "Fact sheet" in html


def test_german_description_falls_back_for_other_languages(client, engine):
    html = client.get(f"/loesungen/{solution_id(engine, 'Abfallkalender')}?lang=en").get_data(
        as_text=True)
    assert '<div class="prose" lang="de">' in html
    assert "This description is only available in another language." in html


def test_markdown_is_rendered_and_hostile_html_is_inert(client, engine):
    identifier = hostile_solution(engine)
    response = client.get(f"/loesungen/{identifier}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<h3>Überschrift</h3>" in html and "<strong>fetter</strong>" in html
    assert '<a href="https://example.org" rel="nofollow noopener noreferrer">' in html
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts == ['<script type="application/ld+json">']
    assert "javascript:" not in html.replace("[bösem Link](javascript:", "")
    assert "<img" not in html and not re.search(r"<[^>]+onerror", html)
    assert "<b>" not in html and "&lt;b&gt;fett&lt;/b&gt;" in html
    assert "Eve &lt;script&gt;" in html
    # JSON-LD carries the hostile short description without ending its element
    block = html.split('<script type="application/ld+json">')[1].split("</script>")[0]
    assert "<" not in block and "</script" not in block.lower()
    assert json_ld(html)["description"] == "Kurz <script>alert('short')</script>"
    assert '<a href="https://spdx.org/licenses/MIT.html"' in html and " OR " in html
    assert 'href="https://git.example/upstream/kalender"' in html
    assert f'<a class="button" href="{HOSTILE_URL}"' in html


def test_unknown_solution_is_a_404_page(client):
    for path in ("/loesungen/999999", "/loesungen/99999999999999", "/loesungen/abc"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.content_type.startswith("text/html")
        assert "Seite nicht gefunden" in response.get_data(as_text=True)
    assert "Keine Lösung mit der Nummer 999999" in client.get("/loesungen/999999").get_data(
        as_text=True)
