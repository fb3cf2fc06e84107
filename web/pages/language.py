"""Which language a page speaks: German unless the reader chose English or their browser asks.

In this order: ``?lang=en`` (or ``?lang=de``) on any page, remembered in a cookie so the
following pages keep it; then the browser's ``Accept-Language`` (an English-speaking browser
gets English without looking for the switch); then German. No path prefix, so every URL stays
the same in both languages and shared links open in the receiver's own language. Because a page
depends on the cookie and on ``Accept-Language``, HTML responses say so in ``Vary`` (and the
search page's cache keys on the chosen language). German strings are the source; the English
catalogue lives in web/translations/en.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlencode

from flask import Flask, Response, request
from flask_babel import Babel, force_locale, get_locale

LANGUAGES = ("de", "en")
DEFAULT_LANGUAGE = "de"
COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "Europe/Berlin")
    Babel(app, locale_selector=choose_language)
    app.after_request(_remember_choice)
    app.jinja_env.globals["current_language"] = current_language
    app.jinja_env.globals["switch_language_url"] = switch_language_url


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """The pages' words in ``language`` outside any request, for the command line: the same
    catalogue (web/translations), so a command says exactly what a page would."""
    app = Flask(__name__.split(".")[0])  # the web package: its translations directory
    app.config["BABEL_DEFAULT_LOCALE"] = DEFAULT_LANGUAGE
    Babel(app)
    with app.app_context(), force_locale(language if language in LANGUAGES
                                         else DEFAULT_LANGUAGE):
        yield


def choose_language() -> str:
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        return asked
    remembered = request.cookies.get(COOKIE)
    if remembered in LANGUAGES:
        return remembered
    return request.accept_languages.best_match(LANGUAGES, default=DEFAULT_LANGUAGE)


def current_language() -> str:
    return str(get_locale() or DEFAULT_LANGUAGE)


def switch_language_url(language: str) -> str:
    """This very page (same query) in ``language``."""
    args = [(key, value) for key, value in request.args.items(multi=True) if key != COOKIE]
    return f"{request.path}?{urlencode([*args, (COOKIE, language)])}"


def _remember_choice(response: Response) -> Response:
    asked = request.args.get("lang")
    if asked in LANGUAGES and request.cookies.get(COOKIE) != asked:
        response.set_cookie(COOKIE, asked, max_age=COOKIE_MAX_AGE, httponly=True,
                            samesite="Lax", secure=request.is_secure)
    if response.mimetype == "text/html":
        response.vary.update(("Cookie", "Accept-Language"))
    return response
