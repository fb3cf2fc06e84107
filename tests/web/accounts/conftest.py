"""Helpers of the account page tests: links out of the mails the test SMTP server received,
an application with other settings (https, throttling on), a page's text."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import replace

import pytest
from flask import Flask

from web import create_app, services

from ..conftest import ValidatingClient

LINK = re.compile(r"https?://\S+")


def mail_link(received, path_prefix: str) -> str:
    """The path of the link starting with ``path_prefix`` in a received mail's body."""
    body = received.message.get_content()
    for link in LINK.findall(body):
        path = re.sub(r"^https?://[^/]+", "", link)
        if path.startswith(path_prefix):
            return path
    raise AssertionError(f"no {path_prefix} link in the mail:\n{body}")


def text(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def make_app(database_url, engine, catalogue, app_settings) -> Iterator[Callable[..., Flask]]:
    """``make_app(base_url=None, **config)``: the application with another site address or
    other configuration (``RATELIMIT_ENABLED=True``)."""
    apps: list[Flask] = []

    def make(base_url: str | None = None, **config) -> Flask:
        settings = app_settings
        if base_url is not None:
            settings = replace(settings, site=replace(settings.site, base_url=base_url))
        app = create_app({"TESTING": True, "DATABASE_URL": database_url,
                          "INDEX_DIR": str(catalogue), "SETTINGS": settings,
                          "RATELIMIT_ENABLED": False, **config})
        app.test_client_class = ValidatingClient
        apps.append(app)
        return app

    yield make
    for app in apps:
        services.dispose(app)
