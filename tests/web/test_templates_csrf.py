"""Every POST form in every template carries the CSRF token as a hidden field.

A bare ``{{ csrf_token() }}`` prints the token as text and the form posts without it (a 400 in
every browser) while tests that borrow the token from another form on the page still pass, so
the templates themselves are checked.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "web" / "templates"
FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.S | re.I)
POST = re.compile(r'method="post"', re.I)
HIDDEN_TOKEN = re.compile(
    r'<input type="hidden" name="csrf_token" value="\{\{ csrf_token\(\) \}\}">'
    r"|\{\{ *\w*form\.hidden_tag\(\) *\}\}|\{\{ *\w*form\.csrf_token *\}\}"
    r"|\{\{ *csrf_field\(\) *\}\}")  # accounts/_forms.html: the hidden field as a macro


def _post_forms():
    for path in sorted(TEMPLATES.rglob("*.html")):
        for match in FORM.finditer(path.read_text(encoding="utf-8")):
            if POST.search(match.group(0).split(">", 1)[0]):
                line = path.read_text(encoding="utf-8")[:match.start()].count("\n") + 1
                yield pytest.param(match.group(0), id=f"{path.relative_to(TEMPLATES)}:{line}")


@pytest.mark.parametrize("form", list(_post_forms()))
def test_post_form_has_a_hidden_csrf_token(form):
    assert HIDDEN_TOKEN.search(form), form[:300]


def test_no_template_prints_a_bare_token():
    for path in TEMPLATES.rglob("*.html"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if "csrf_token()" in line:
                assert 'value="{{ csrf_token() }}"' in line, f"{path}: {line.strip()}"
