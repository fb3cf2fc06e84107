"""Helpers of the community tests: posting forms as a browser would (CSRF token from a page)
and solution ids by name."""

from __future__ import annotations

from sqlmodel import Session, select

from registry.models import Solution

from ..people import csrf_token


def post(client, path: str, data: dict, *, form_page: str):
    """POST ``data`` with the CSRF token of the form on ``form_page``."""
    return client.post(path, data={**data, "csrf_token": csrf_token(client, form_page)})


def solution_id(engine, name: str) -> int:
    with Session(engine) as session:
        return session.exec(select(Solution.id).where(Solution.name == name)).one()


def html(response) -> str:
    return response.get_data(as_text=True)
