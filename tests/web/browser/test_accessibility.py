"""axe-core finds no WCAG 2.1 A/AA violation on the main pages, in German and in English.

Municipal software must meet BITV 2.0 (WCAG 2.1 AA); axe-core catches the machine-checkable
part (contrast, names, landmarks, language, tables) on the rendered page. axe-core comes from
its npm package (tests/web/browser/package.json, pinned) and is evaluated in the page through
the DevTools protocol, so the app's strict CSP stays on and the page is checked as served.
Solution and publisher pages are reached through links on the home page, as a reader would.
"""

from __future__ import annotations

from pathlib import Path

import pytest

AXE = Path(__file__).with_name("node_modules") / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RUN_AXE = """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})
    .then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
                                       targets: v.nodes.map(n => n.target.join(' '))})))"""
PAGES = {
    "home": "/",
    "results": "/suche?q=B%C3%BCrger&platform=web",
    "solution": 'main a[href^="/loesungen/"]',
    "publisher": 'main a[href^="/herausgeber/"]',
    "sources": "/quellen",
    "needs": "/bedarfe",
    "alternatives": "/alternativen",
    "alternative": "/alternativen/doodle",
    "results naming a product": "/suche?q=statt+Doodle",
}


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.skip(f"axe-core is missing ({AXE}): run npm ci --prefix tests/web/browser")
    return AXE.read_text(encoding="utf-8")


def page_path(page, base: str, where: str) -> str:
    """A path as given, or where the first link matching a CSS selector on home leads."""
    if where.startswith("/"):
        return where
    page.goto(f"{base}/")
    return page.locator(where).first.get_attribute("href")


def describe(violations: list[dict]) -> str:
    """One block per rule: what is wrong, where to read about it, and every offending element."""
    return "\n".join(f"- {v['id']} ({v['impact']}): {v['help']} <{v['url']}>\n"
                     + "".join(f"    {target}\n" for target in v["targets"])
                     for v in violations)


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("name", list(PAGES))
def test_no_wcag_violations(axe_source, page, live_server, name, language):
    path = page_path(page, live_server, PAGES[name])
    separator = "&" if "?" in path else "?"
    response = page.goto(f"{live_server}{path}{separator}lang={language}")
    assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
    assert page.locator("html").get_attribute("lang") == language
    page.evaluate(axe_source)
    violations = page.evaluate(RUN_AXE, WCAG_21_AA)
    assert not violations, f"axe-core on {path} ({language}):\n{describe(violations)}"
