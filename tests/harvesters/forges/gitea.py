"""A fake Gitea / Forgejo API v1 (the two share it) for the endpoints Allmende uses.

Formats follow Gitea's swagger and ``modules/structs`` (``Repository``, ``ContentsResponse``)
and its API usage docs on pagination:

* ``GET /api/v1/orgs/:org/repos`` and ``GET /api/v1/users/:user/repos`` — ``page`` and
  ``limit`` (default 30, max 50), ``X-Total-Count`` and ``Link`` (next, last, first, prev).
* ``GET /api/v1/repos/:owner/:repo`` — ``full_name``, ``default_branch``, ``updated_at``,
  ``archived``, ``stars_count``, ``forks_count``, ``topics``, ``licenses``, ``clone_url`` …
  A renamed repository answers ``307 Temporary Redirect`` to the new path (Gitea's
  ``RedirectToRepo``), for the repository and everything below it.
* ``GET /api/v1/repos/:owner/:repo/contents/:filepath?ref=`` (JSON, base64, ``sha``,
  ``last_commit_sha``) and ``GET /api/v1/repos/:owner/:repo/raw/:filepath?ref=`` (raw bytes).
* Auth: ``Authorization: token …`` (or ``Bearer …``). Gitea has no API rate limiting of its
  own; the rate-limit fault is a plain 429 with ``Retry-After``, as a proxy in front sends it.
* ``repo_overrides[id]`` sets repository JSON fields the model does not describe (``fork``,
  ``mirror``, ``clone_url`` pointing at a real git server …).
"""

from __future__ import annotations

import base64
import math
import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any
from urllib.parse import quote, unquote

from requests.structures import CaseInsensitiveDict

from .base import FakeForgeServer, Request, Response
from .model import ForgeModel, Project, git_blob_sha

_REPO = r"/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)"


def _time(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


class FakeGitea(FakeForgeServer):
    api_prefix = "/api/v1"

    def __init__(self, model: ForgeModel | None = None, tokens: Iterable[str] = ()):
        super().__init__(model, tokens)
        self.auth_schemes: set[str] = set()
        """Authorization schemes that arrived ("Bearer", "token"): the log hides the value."""
        self.repo_overrides: dict[int, dict[str, Any]] = {}
        """Repository JSON fields by project id, laid over what the model renders."""
        api = re.escape(self.api_prefix)
        self.route("GET", rf"{api}/(?:orgs|users)/(?P<org>[^/]+)/repos", self._list_repos)
        self.route("GET", rf"{api}{_REPO}(?P<rest>/.*)?", self._repo_or_redirect)

    # -- forge format --

    def read_credential(self, headers: CaseInsensitiveDict[str]) -> tuple[str | None, str | None]:
        scheme, _, token = headers.get("Authorization", "").partition(" ")
        if token:
            self.auth_schemes.add(scheme)
        if scheme.lower() in ("token", "bearer") and token:
            return token, "Authorization"
        return None, None

    def error(self, status: int, message: str) -> Response:
        if status == 404:
            message = "The target couldn't be found."
        return Response.json({"errors": [], "message": message,
                              "url": f"{self.url}/api/swagger"}, status)

    # -- JSON --

    def repo_json(self, project: Project) -> dict:
        html = f"{self.url}/{project.path}"
        group = self.model.group(project.namespace)
        return {
            "id": project.id,
            "owner": {"id": group.id if group else 0, "login": project.namespace,
                      "login_name": "", "full_name": project.namespace, "email": "",
                      "avatar_url": f"{self.url}/avatars/{project.namespace}",
                      "username": project.namespace},
            "name": project.name,
            "full_name": project.path,
            "description": project.description,
            "empty": not project.files,
            "private": not project.public,
            "fork": False,
            "template": False,
            "parent": None,
            "mirror": False,
            "size": sum(len(c) for c in project.files.values()) // 1024,
            "language": "",
            "html_url": html,
            "url": f"{self.api_url}/repos/{project.path}",
            "link": "",
            "ssh_url": f"git@127.0.0.1:{project.path}.git",
            "clone_url": f"{html}.git",
            "original_url": "",
            "website": "",
            "stars_count": project.star_count,
            "forks_count": project.forks_count,
            "watchers_count": project.star_count,
            "open_issues_count": 0,
            "default_branch": project.default_branch,
            "archived": project.archived,
            "created_at": _time(project.created_at),
            "updated_at": _time(project.last_activity_at),
            "archived_at": _time(project.updated_at) if project.archived
            else "1970-01-01T00:00:00Z",
            "internal": False,
            "object_format_name": "sha1",
            "topics": list(project.topics),
            "licenses": [project.license] if project.license else [],
            **self.repo_overrides.get(project.id, {}),
        }

    # -- routes --

    def _list_repos(self, request: Request, match: re.Match[str]) -> Response:
        org = unquote(match["org"])
        if self.model.group(org) is None:
            return self.error(404, "")
        projects = self.model.in_namespace(org)
        if not self.authenticated(request):
            projects = [p for p in projects if p.public]
        limit = request.int_arg("limit", 30, maximum=50)
        page = request.int_arg("page", 1)
        last = max(1, math.ceil(len(projects) / limit))
        links = {}
        if page < last:
            links["next"] = self.page_link(request, page=page + 1, limit=limit)
            links["last"] = self.page_link(request, page=last, limit=limit)
        if page > 1:
            links["first"] = self.page_link(request, page=1, limit=limit)
            links["prev"] = self.page_link(request, page=page - 1, limit=limit)
        headers = {"X-Total-Count": str(len(projects)),
                   "Access-Control-Expose-Headers": "X-Total-Count, Link"}
        if links:
            headers["Link"] = self.link_header(links)
        chunk = projects[(page - 1) * limit: page * limit]
        return Response.json([self.repo_json(p) for p in chunk], headers=headers)

    def _repo_or_redirect(self, request: Request, match: re.Match[str]) -> Response:
        full_name = f"{unquote(match['owner'])}/{unquote(match['repo'])}"
        project = self.model.find(full_name)
        if project is None:
            moved = self.model.renamed_to(full_name)
            if moved is not None and (moved.public or self.authenticated(request)):
                location = self.absolute(f"{self.api_prefix}/repos/{moved.path}"
                                         + (match["rest"] or ""), dict(request.query))
                return Response(307, b"", {"Location": location})
        if project is None or not (project.public or self.authenticated(request)):
            return self.error(404, "")
        rest = match["rest"] or ""
        if not rest:
            return Response.json(self.repo_json(project))
        file_route = re.fullmatch(r"/(?P<kind>contents|raw)/(?P<path>.+)", rest)
        if file_route is None:
            return self.error(404, "")
        return self._file(request, project, file_route["kind"], unquote(file_route["path"]))

    def _file(self, request: Request, project: Project, kind: str, path: str) -> Response:
        ref = request.arg("ref") or project.default_branch
        if ref not in (project.default_branch, project.head_commit) or path not in project.files:
            return self.error(404, "")
        content = project.files[path]
        if kind == "raw":
            return Response.raw(content, "text/plain; charset=utf-8")
        return Response.json(self.content_json(project, path, content, ref))

    def content_json(self, project: Project, path: str, content: bytes, ref: str) -> dict:
        sha = git_blob_sha(content)
        api = f"{self.api_url}/repos/{project.path}/contents/{quote(path)}?ref={quote(ref)}"
        html = f"{self.url}/{project.path}/src/branch/{quote(ref)}/{quote(path)}"
        git = f"{self.api_url}/repos/{project.path}/git/blobs/{sha}"
        return {
            "name": path.rsplit("/", 1)[-1],
            "path": path,
            "sha": sha,
            "last_commit_sha": project.head_commit,
            "type": "file",
            "size": len(content),
            "encoding": "base64",
            "content": base64.b64encode(content).decode(),
            "target": None,
            "url": api,
            "html_url": html,
            "git_url": git,
            "download_url": f"{self.url}/{project.path}/raw/branch/{quote(ref)}/{quote(path)}",
            "submodule_git_url": None,
            "_links": {"self": api, "git": git, "html": html},
        }
