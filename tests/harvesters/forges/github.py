"""A fake GitHub REST API (served at the root, like api.github.com) for what Allmende uses.

Formats follow docs.github.com (``rest/repos/repos``, ``rest/repos/contents``,
``rest/using-the-rest-api/using-pagination-in-the-rest-api``, ``…/rate-limits-for-the-rest-api``):

* ``GET /orgs/:org/repos`` and ``GET /users/:user/repos`` — ``per_page`` (default 30, max 100)
  and ``page``, ``type`` (all, public, private), newest first; ``Link`` with prev, next, last,
  first as GitHub sends them (no ``last``/``next`` on the last page).
* ``GET /repos/:owner/:repo`` and ``GET /repositories/:id`` — ``full_name``, ``pushed_at``,
  ``default_branch``, ``archived``, ``stargazers_count``, ``forks_count``, ``topics``,
  ``license.spdx_id`` … A renamed repository answers ``301 Moved Permanently`` to
  ``/repositories/:id…`` (path and query kept), with GitHub's JSON body.
* ``GET /repos/:owner/:repo/contents/:path?ref=`` — JSON (``sha``, ``size``, base64 ``content``
  wrapped at 60 characters; above 1 MiB ``content`` is empty and ``encoding`` is ``none``), or
  the raw bytes with ``Accept: application/vnd.github.raw+json`` (or ``.raw``).
* Every answer carries ``X-RateLimit-Limit/Remaining/Used/Reset/Resource``; a used-up quota
  (``quota_limit``) is refused with 403 and ``X-RateLimit-Remaining: 0``. Faults: a rate limit
  with ``retry_after`` is a *secondary* limit (403 + ``Retry-After``), without it a primary one.
* Auth: ``Authorization: Bearer …`` (or the older ``token …``).
* ``secondary_rate_limit(path)``: GitHub's secondary limit, 403 with its message and, as GitHub
  documents, not always a ``Retry-After``; ``repo_overrides[id]`` sets repository JSON fields
  the model does not describe (``fork``, ``clone_url`` pointing at a real git server …).
"""

from __future__ import annotations

import base64
import math
import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote, unquote

from requests.structures import CaseInsensitiveDict

from .base import FakeForgeServer, FaultRule, Request, Response
from .model import ForgeModel, Project, git_blob_sha

DOCS = "https://docs.github.com/rest"
RAW_MEDIA_TYPES = ("application/vnd.github.raw", "application/vnd.github.v3.raw")
JSON_CONTENT_LIMIT = 1024 * 1024
"""Above this size the contents API leaves ``content`` empty (``encoding: none``)."""

_REPO = r"/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)"


def _time(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class SecondaryLimit(FaultRule):
    """A secondary rate limit; ``retry_after`` None sends neither it nor an exhausted quota."""


class FakeGitHub(FakeForgeServer):
    def __init__(self, model: ForgeModel | None = None, tokens: Iterable[str] = ()):
        super().__init__(model, tokens)
        self.quota_limit = 5000
        self.quota_reset = int(time.time()) + 3600
        self._quota_used = 0
        self._quota_lock = threading.Lock()
        self.auth_schemes: set[str] = set()
        """Authorization schemes that arrived ("Bearer", "token"): the log hides the value."""
        self.repo_overrides: dict[int, dict[str, Any]] = {}
        """Repository JSON fields by project id, laid over what the model renders."""
        self.route("GET", r"/(?:orgs|users)/(?P<org>[^/]+)/repos", self._list_repos)
        self.route("GET", _REPO, self._repo)
        self.route("GET", r"/repositories/(?P<id>\d+)", self._repo)
        self.route("GET", _REPO + r"/contents/(?P<path>.+)", self._contents)
        self.route("GET", r"/repositories/(?P<id>\d+)/contents/(?P<path>.+)", self._contents)
        self.route("GET", r"/raw/(?P<owner>[^/]+)/(?P<repo>[^/]+)/(?P<ref>[^/]+)/(?P<path>.+)",
                   self._download)

    # -- forge format --

    def read_credential(self, headers: CaseInsensitiveDict[str]) -> tuple[str | None, str | None]:
        scheme, _, token = headers.get("Authorization", "").partition(" ")
        if token:
            self.auth_schemes.add(scheme)
        if scheme.lower() in ("bearer", "token") and token:
            return token, "Authorization"
        return None, None

    def error(self, status: int, message: str) -> Response:
        if status == 404:
            message = "Not Found"
        if status == 401:
            message = "Bad credentials"
        return Response.json({"message": message, "documentation_url": DOCS,
                              "status": str(status)}, status)

    def secondary_rate_limit(self, path: str = "*", *, times: int | None = 1,
                             retry_after: int | None = None) -> FaultRule:
        """Refuse matching requests with GitHub's secondary-limit 403."""
        rule = SecondaryLimit("rate_limit", path, times,
                              retry_after=None if retry_after is None else str(retry_after))
        return self.faults._add(rule)

    def rate_limited(self, rule: FaultRule, request: Request) -> Response:
        if rule.retry_after is not None or isinstance(rule, SecondaryLimit):
            headers = {"Retry-After": rule.retry_after} if rule.retry_after is not None else {}
            return Response.json({
                "message": "You have exceeded a secondary rate limit. Please wait a few minutes "
                           "before you try again.", "documentation_url": DOCS, "status": "403",
            }, 403, headers)
        reset = int(time.time() + (rule.reset_in if rule.reset_in is not None else 60))
        return self._quota_refusal(reset)

    def _quota_refusal(self, reset: int) -> Response:
        return Response.json(
            {"message": "API rate limit exceeded for 127.0.0.1.", "documentation_url": DOCS,
             "status": "403"}, 403,
            {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset)})

    def admit(self, request: Request) -> Response | None:
        with self._quota_lock:
            self._quota_used += 1
            exhausted = self._quota_used > self.quota_limit
        return self._quota_refusal(self.quota_reset) if exhausted else None

    def finish(self, request: Request, response: Response) -> Response:
        if request.path.startswith("/raw/"):
            return response
        with self._quota_lock:
            used = min(self._quota_used, self.quota_limit)
        defaults = {
            "X-RateLimit-Limit": str(self.quota_limit),
            "X-RateLimit-Remaining": str(self.quota_limit - used),
            "X-RateLimit-Used": str(used),
            "X-RateLimit-Reset": str(self.quota_reset),
            "X-RateLimit-Resource": "core",
        }
        response.headers = {**defaults, **response.headers}
        return response

    # -- JSON --

    def repo_json(self, project: Project) -> dict:
        api = f"{self.url}/repos/{project.path}"
        html = f"{self.url}/{project.path}"
        return {
            "id": project.id,
            "node_id": f"R_{project.id}",
            "name": project.name,
            "full_name": project.path,
            "private": not project.public,
            "owner": {"login": project.namespace, "id": self._owner_id(project),
                      "type": "Organization", "url": f"{self.url}/orgs/{project.namespace}",
                      "html_url": f"{self.url}/{project.namespace}"},
            "html_url": html,
            "description": project.description or None,
            "fork": False,
            "url": api,
            "created_at": _time(project.created_at),
            "updated_at": _time(project.updated_at),
            "pushed_at": _time(project.pushed_at),
            "git_url": f"git://127.0.0.1/{project.path}.git",
            "ssh_url": f"git@127.0.0.1:{project.path}.git",
            "clone_url": f"{html}.git",
            "homepage": None,
            "size": sum(len(c) for c in project.files.values()) // 1024,
            "stargazers_count": project.star_count,
            "watchers_count": project.star_count,
            "language": None,
            "forks_count": project.forks_count,
            "archived": project.archived,
            "disabled": False,
            "open_issues_count": 0,
            "license": None if project.license is None else {
                "key": project.license.lower(), "name": project.license,
                "spdx_id": project.license,
                "url": f"{self.url}/licenses/{project.license.lower()}",
                "node_id": f"L_{project.license}"},
            "is_template": False,
            "topics": list(project.topics),
            "visibility": "public" if project.public else "private",
            "forks": project.forks_count,
            "open_issues": 0,
            "watchers": project.star_count,
            "default_branch": project.default_branch,
            **self.repo_overrides.get(project.id, {}),
        }

    def _owner_id(self, project: Project) -> int | None:
        group = self.model.group(project.namespace)
        return group.id if group else None

    # -- routes --

    def _list_repos(self, request: Request, match: re.Match[str]) -> Response:
        org = unquote(match["org"])
        if self.model.group(org) is None:
            return self.error(404, "Not Found")
        projects = self.model.in_namespace(org)
        kind = request.arg("type", "all")
        if not self.authenticated(request) or kind == "public":
            projects = [p for p in projects if p.public]
        elif kind == "private":
            projects = [p for p in projects if not p.public]
        projects.sort(key=lambda p: p.id, reverse=request.arg("direction", "desc") != "asc")
        per_page = request.int_arg("per_page", 30, maximum=100)
        page = request.int_arg("page", 1)
        last = max(1, math.ceil(len(projects) / per_page))
        links = {}
        if page > 1:
            links["prev"] = self.page_link(request, page=page - 1)
        if page < last:
            links["next"] = self.page_link(request, page=page + 1)
            links["last"] = self.page_link(request, page=last)
        if page > 1:
            links["first"] = self.page_link(request, page=1)
        chunk = projects[(page - 1) * per_page: page * per_page]
        headers = {"Link": self.link_header(links)} if links else {}
        return Response.json([self.repo_json(p) for p in chunk], headers=headers)

    def _resolve(self, request: Request, match: re.Match[str]) -> Project | Response:
        """The repository, a 301 to ``/repositories/:id…`` if it was renamed, or a 404."""
        groups = match.groupdict()
        if groups.get("id"):
            project = self.model.get(int(groups["id"]))
        else:
            full_name = f"{unquote(groups['owner'])}/{unquote(groups['repo'])}"
            project = self.model.find(full_name)
            moved = None if project else self.model.renamed_to(full_name)
            if moved is not None and (moved.public or self.authenticated(request)):
                prefix = f"/repos/{groups['owner']}/{groups['repo']}"
                location = self.absolute(f"/repositories/{moved.id}"
                                         + request.path[len(prefix):],
                                         {k: v for k, v in request.query.items()})
                return Response.json({"message": "Moved Permanently", "url": location,
                                      "documentation_url": DOCS}, 301, {"Location": location})
        if project is None or not (project.public or self.authenticated(request)):
            return self.error(404, "Not Found")
        return project

    def _repo(self, request: Request, match: re.Match[str]) -> Response:
        found = self._resolve(request, match)
        return found if isinstance(found, Response) else Response.json(self.repo_json(found))

    def _contents(self, request: Request, match: re.Match[str]) -> Response:
        found = self._resolve(request, match)
        if isinstance(found, Response):
            return found
        project = found
        ref = request.arg("ref") or project.default_branch
        if ref not in (project.default_branch, project.head_commit):
            return Response.json({"message": f"No commit found for the ref {ref}",
                                  "documentation_url": DOCS, "status": "404"}, 404)
        path = unquote(match["path"])
        if path not in project.files:
            return self.error(404, "Not Found")
        content = project.files[path]
        accept = request.headers.get("Accept", "")
        if any(media in accept for media in RAW_MEDIA_TYPES):
            return Response.raw(content, headers={"ETag": f'"{git_blob_sha(content)}"'})
        return Response.json(self.content_json(project, path, content, ref))

    def _download(self, request: Request, match: re.Match[str]) -> Response:
        """``download_url`` (raw.githubusercontent.com on GitHub): raw bytes, no API headers."""
        project = self.model.find(f"{unquote(match['owner'])}/{unquote(match['repo'])}")
        path = unquote(match["path"])
        if project is None or not project.public or path not in project.files:
            return Response(404, b"404: Not Found", {"Content-Type": "text/plain"})
        return Response.raw(project.files[path])

    def content_json(self, project: Project, path: str, content: bytes, ref: str) -> dict:
        sha = git_blob_sha(content)
        api = f"{self.url}/repos/{project.path}/contents/{quote(path)}?ref={quote(ref)}"
        html = f"{self.url}/{project.path}/blob/{ref}/{quote(path)}"
        git = f"{self.url}/repos/{project.path}/git/blobs/{sha}"
        small = len(content) <= JSON_CONTENT_LIMIT
        encoded = base64.b64encode(content).decode() if small else ""
        return {
            "type": "file",
            "encoding": "base64" if small else "none",
            "size": len(content),
            "name": path.rsplit("/", 1)[-1],
            "path": path,
            "content": "".join(encoded[i:i + 60] + "\n" for i in range(0, len(encoded), 60)),
            "sha": sha,
            "url": api,
            "git_url": git,
            "html_url": html,
            "download_url": f"{self.url}/raw/{project.path}/{quote(ref)}/{quote(path)}",
            "_links": {"self": api, "git": git, "html": html},
        }
