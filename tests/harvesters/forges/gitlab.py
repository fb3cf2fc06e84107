"""A fake GitLab (and so Open CoDE) speaking REST API v4 for the endpoints Allmende uses.

Formats follow docs.gitlab.com (``api/rest`` pagination, ``api/projects``, ``api/groups``,
``api/repository_files``):

* ``GET /api/v4/projects`` — offset pagination (``page``, ``per_page`` ≤ 100, default 20) with
  ``X-Page``, ``X-Per-Page``, ``X-Next-Page`` (empty on the last page), ``X-Prev-Page``,
  ``X-Total``, ``X-Total-Pages`` and ``Link`` (prev, next, first, last); or keyset pagination
  (``pagination=keyset&order_by=id&sort=asc|desc``) with only ``Link: rel="next"`` carrying
  ``id_after``/``id_before`` — sent whenever the page is full, so a listing that ends exactly on
  a page boundary ends with an empty page, as GitLab's does. Keyset with another ``order_by``
  is 405. Anonymous callers see public projects only.
* ``GET /api/v4/groups/:id/projects`` (id or URL-encoded path, ``include_subgroups``) — offset.
  ``with_shared`` is accepted; the model shares no projects between groups, so it changes nothing.
* Both listings filter by ``visibility`` and ``archived`` when given.
* ``max_per_page`` (100, as on GitLab) can be lowered so a few projects span several pages.
* This fake speaks the API, not git: ``clone_urls`` (by project id), else ``default_clone_url``,
  sets ``http_url_to_repo`` to a repository that ``git_http_server`` serves; without either it
  is ``{web_url}.git`` on this server, where a clone fails.
* ``GET /api/v4/projects/:id`` (id or URL-encoded path; ``license=true`` adds ``license``).
  A renamed project answers under its old path with its *new* data (GitLab resolves redirect
  routes itself; it does not send an HTTP redirect).
* ``GET .../repository/files/:file_path/raw?ref=`` (raw bytes), ``GET .../files/:file_path``
  (JSON, base64) and ``HEAD .../files/:file_path`` with the ``X-Gitlab-*`` metadata headers.
  ``:file_path`` must be URL-encoded (``docs%2Fpubliccode.yml``).
* Auth: ``PRIVATE-TOKEN`` or ``Authorization: Bearer``. Rate limits: 429, ``Retry-After``,
  ``RateLimit-Remaining: 0``, ``RateLimit-Reset`` (epoch) and ``RateLimit-ResetTime``.
"""

from __future__ import annotations

import base64
import hashlib
import math
import re
import time
from collections.abc import Iterable
from datetime import datetime
from email.utils import formatdate
from urllib.parse import unquote

from requests.structures import CaseInsensitiveDict

from .base import FakeForgeServer, FaultRule, Request, Response
from .model import ForgeModel, Project, git_blob_sha

_ID = r"(?P<id>[^/]+)"
_FILE = r"(?P<file>[^/]+)"


def _time(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S.000Z")


class FakeGitLab(FakeForgeServer):
    api_prefix = "/api/v4"

    def __init__(self, model: ForgeModel | None = None, tokens: Iterable[str] = ()):
        super().__init__(model, tokens)
        self.max_per_page = 100
        self.clone_urls: dict[int, str] = {}
        """Project id → where git serves it."""
        self.default_clone_url: str | None = None
        """Where git serves every other project (one stand-in repository for all)."""
        api = re.escape(self.api_prefix)
        self.route("GET", rf"{api}/projects", self._list_projects)
        self.route("GET", rf"{api}/groups/{_ID}/projects", self._group_projects)
        self.route("GET", rf"{api}/projects/{_ID}", self._project)
        self.route("GET", rf"{api}/projects/{_ID}/repository/files/{_FILE}/raw", self._raw_file)
        self.route("GET", rf"{api}/projects/{_ID}/repository/files/{_FILE}", self._file)

    # -- forge format --

    def read_credential(self, headers: CaseInsensitiveDict[str]) -> tuple[str | None, str | None]:
        if "PRIVATE-TOKEN" in headers:
            return headers["PRIVATE-TOKEN"], "PRIVATE-TOKEN"
        scheme, _, token = headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer" and token:
            return token, "Authorization"
        return None, None

    def error(self, status: int, message: str) -> Response:
        if status == 404 and not message.startswith("404"):
            message = f"404 {message}"
        return Response.json({"message": message}, status)

    def rate_limited(self, rule: FaultRule, request: Request) -> Response:
        reset = int(time.time() + (rule.reset_in if rule.reset_in is not None else 60))
        headers = {
            "Content-Type": "text/plain",
            "RateLimit-Name": "throttle_unauthenticated_api",
            "RateLimit-Limit": "500",
            "RateLimit-Observed": "501",
            "RateLimit-Remaining": "0",
            "RateLimit-Reset": str(reset),
            "RateLimit-ResetTime": formatdate(reset, usegmt=True),
        }
        if rule.retry_after is not None:
            headers["Retry-After"] = rule.retry_after
        return Response(429, b"Retry later\n", headers)

    # -- JSON --

    def project_json(self, project: Project, *, with_license: bool = False) -> dict:
        group = self.model.group(project.namespace)
        web_url = f"{self.url}/{project.path}"
        data = {
            "id": project.id,
            "description": project.description,
            "name": project.name,
            "name_with_namespace": " / ".join(project.path.split("/")),
            "path": project.name,
            "path_with_namespace": project.path,
            "created_at": _time(project.created_at),
            "default_branch": project.default_branch if project.files else None,
            "tag_list": list(project.topics),
            "topics": list(project.topics),
            "ssh_url_to_repo": f"git@127.0.0.1:{project.path}.git",
            "http_url_to_repo": self._clone_url(project, web_url),
            "web_url": web_url,
            "readme_url": (f"{web_url}/-/blob/{project.default_branch}/README.md"
                           if "README.md" in project.files else None),
            "forks_count": project.forks_count,
            "avatar_url": None,
            "star_count": project.star_count,
            "last_activity_at": _time(project.last_activity_at),
            "namespace": {
                "id": group.id if group else None,
                "name": group.name if group else "",
                "path": group.name if group else "",
                "kind": "group",
                "full_path": project.namespace,
                "parent_id": self._parent_id(project.namespace),
                "avatar_url": None,
                "web_url": f"{self.url}/groups/{project.namespace}",
            },
            "archived": project.archived,
            "visibility": project.visibility,
            "empty_repo": not project.files,
        }
        if with_license:
            data["license_url"] = (f"{web_url}/-/blob/{project.default_branch}/LICENSE"
                                   if project.license else None)
            data["license"] = None if project.license is None else {
                "key": project.license.lower(),
                "name": project.license,
                "nickname": None,
                "html_url": f"https://spdx.org/licenses/{project.license}.html",
                "source_url": None,
            }
        return data

    def _clone_url(self, project: Project, web_url: str) -> str:
        return self.clone_urls.get(project.id) or self.default_clone_url or f"{web_url}.git"

    def _parent_id(self, namespace: str) -> int | None:
        group = self.model.group(namespace)
        parent = self.model.group(group.parent) if group and group.parent else None
        return parent.id if parent else None

    # -- routes --

    def _visible(self, request: Request, projects: list[Project]) -> list[Project]:
        if self.authenticated(request):
            return projects
        return [p for p in projects if p.public]

    def _filtered(self, request: Request, projects: list[Project]) -> list[Project]:
        """What the caller may see, narrowed by ``visibility`` and ``archived`` if given."""
        projects = self._visible(request, projects)
        if request.arg("visibility") is not None:
            projects = [p for p in projects if p.visibility == request.arg("visibility")]
        if request.arg("archived") in ("true", "false"):
            projects = [p for p in projects if p.archived == (request.arg("archived") == "true")]
        return projects

    def _list_projects(self, request: Request, match: re.Match[str]) -> Response:
        projects = self._filtered(request, self.model.projects())
        if request.arg("pagination") == "keyset":
            return self._keyset(request, projects)
        projects.sort(key=lambda p: p.id, reverse=request.arg("sort", "desc") != "asc")
        return self._offset(request, projects)

    def _group_projects(self, request: Request, match: re.Match[str]) -> Response:
        group = self.model.group(unquote(match["id"]))
        if group is None:
            return self.error(404, "404 Group Not Found")
        projects = self.model.in_namespace(group.path, subgroups=request.flag("include_subgroups"))
        projects = self._filtered(request, projects)
        projects.sort(key=lambda p: p.id, reverse=request.arg("sort", "desc") != "asc")
        return self._offset(request, projects)

    def _offset(self, request: Request, projects: list[Project]) -> Response:
        per_page = request.int_arg("per_page", 20, maximum=self.max_per_page)
        page = request.int_arg("page", 1)
        total_pages = max(1, math.ceil(len(projects) / per_page))
        chunk = projects[(page - 1) * per_page: page * per_page]
        next_page = page + 1 if page < total_pages else None
        prev_page = page - 1 if page > 1 else None
        links = {}
        if prev_page:
            links["prev"] = self.page_link(request, page=prev_page, per_page=per_page)
        if next_page:
            links["next"] = self.page_link(request, page=next_page, per_page=per_page)
        links["first"] = self.page_link(request, page=1, per_page=per_page)
        links["last"] = self.page_link(request, page=total_pages, per_page=per_page)
        headers = {
            "Link": self.link_header(links),
            "X-Page": str(page),
            "X-Per-Page": str(per_page),
            "X-Next-Page": str(next_page or ""),
            "X-Prev-Page": str(prev_page or ""),
            "X-Total": str(len(projects)),
            "X-Total-Pages": str(total_pages),
        }
        return Response.json([self.project_json(p) for p in chunk], headers=headers)

    def _keyset(self, request: Request, projects: list[Project]) -> Response:
        if request.arg("order_by") != "id":
            return Response.json(
                {"error": "Keyset pagination is not yet available for this type of request"}, 405)
        per_page = request.int_arg("per_page", 20, maximum=self.max_per_page)
        descending = request.arg("sort", "desc") != "asc"
        projects.sort(key=lambda p: p.id, reverse=descending)
        after, before = request.arg("id_after"), request.arg("id_before")
        if after and after.isdigit():
            projects = [p for p in projects if p.id > int(after)]
        if before and before.isdigit():
            projects = [p for p in projects if p.id < int(before)]
        chunk = projects[:per_page]
        headers = {}
        if len(chunk) == per_page:
            cursor = "id_before" if descending else "id_after"
            query = {k: v for k, v in request.query.items() if k not in ("id_after", "id_before")}
            link = self.absolute(request.path, {**query, cursor: [str(chunk[-1].id)]})
            headers["Link"] = self.link_header({"next": link})
        return Response.json([self.project_json(p) for p in chunk], headers=headers)

    def _find(self, request: Request, id_or_path: str) -> Project | None:
        key = unquote(id_or_path)
        if key.isdigit():
            project = self.model.get(int(key))
        else:
            project = self.model.find(key) or self.model.renamed_to(key)
        if project is None or not (project.public or self.authenticated(request)):
            return None
        return project

    def _project(self, request: Request, match: re.Match[str]) -> Response:
        project = self._find(request, match["id"])
        if project is None:
            return self.error(404, "404 Project Not Found")
        return Response.json(self.project_json(project, with_license=request.flag("license")))

    def _blob(self, request: Request, match: re.Match[str], ref_required: bool
              ) -> tuple[Project, str, bytes, str] | Response:
        project = self._find(request, match["id"])
        if project is None:
            return self.error(404, "404 Project Not Found")
        ref = request.arg("ref")
        if ref is None and ref_required:
            return Response.json({"error": "ref is missing"}, 400)
        ref = ref or project.default_branch
        if ref not in (project.default_branch, "HEAD", project.head_commit):
            return self.error(404, "404 Commit Not Found")
        path = unquote(match["file"])
        if path not in project.files:
            return self.error(404, "404 File Not Found")
        return project, path, project.files[path], ref

    def _file_headers(self, project: Project, path: str, content: bytes, ref: str) -> dict:
        commit = project.head_commit
        return {
            "X-Gitlab-Blob-Id": git_blob_sha(content),
            "X-Gitlab-Commit-Id": commit,
            "X-Gitlab-Content-Sha256": hashlib.sha256(content).hexdigest(),
            "X-Gitlab-Encoding": "base64",
            "X-Gitlab-File-Name": path.rsplit("/", 1)[-1],
            "X-Gitlab-File-Path": path,
            "X-Gitlab-Last-Commit-Id": commit,
            "X-Gitlab-Ref": ref,
            "X-Gitlab-Size": str(len(content)),
            "X-Gitlab-Execute-Filemode": "false",
        }

    def _raw_file(self, request: Request, match: re.Match[str]) -> Response:
        found = self._blob(request, match, ref_required=False)
        if isinstance(found, Response):
            return found
        project, path, content, ref = found
        return Response.raw(content, headers=self._file_headers(project, path, content, ref))

    def _file(self, request: Request, match: re.Match[str]) -> Response:
        found = self._blob(request, match, ref_required=True)
        if isinstance(found, Response):
            return found
        project, path, content, ref = found
        headers = self._file_headers(project, path, content, ref)
        return Response.json({
            "file_name": headers["X-Gitlab-File-Name"],
            "file_path": path,
            "size": len(content),
            "encoding": "base64",
            "content": base64.b64encode(content).decode(),
            "content_sha256": headers["X-Gitlab-Content-Sha256"],
            "ref": ref,
            "blob_id": headers["X-Gitlab-Blob-Id"],
            "commit_id": headers["X-Gitlab-Commit-Id"],
            "last_commit_id": headers["X-Gitlab-Last-Commit-Id"],
            "execute_filemode": False,
        }, headers=headers)
