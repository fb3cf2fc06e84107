"""The maintainer pages (the ``maintainers`` blueprint): register a repository, prove it is
yours, see every finding, set up webhooks, and follow your solutions.

- ``registration_pages``: ``/meine-repositorien`` (the dashboard), ``…/neu`` (the form) and
  ``…/<id>`` (one registration: the proof to commit, the findings, the webhook, the buttons);
- ``solution_harvest``: the "Jetzt neu einlesen" button of the solution page
  (``/loesungen/<id>/ernten``) and the template global that decides whether it is shown;
- ``feed``: ``/meine-repositorien/feed/<token>.atom``, a feed per maintainer for feed readers
  (which cannot log in, so the address carries a signed account id);
- ``reads`` (the queries) and ``words`` (states in words; the back end's English sentences in
  the reader's language).

The work is done by ``registry.registrations`` and ``registry.harvest_requests`` through
``web.registration_actions``, which the JSON API uses too. Every form posts a CSRF token;
the routes that fetch from a forge are throttled per client address.
"""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("maintainers", __name__)

from . import feed, registration_pages, solution_harvest  # noqa: E402,F401
