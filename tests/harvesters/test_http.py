"""ForgeClient against the fake forges: pagination, retries, rate limits, limits, redirects, auth.

Waits are observed through an injected ``sleep`` that records durations instead of sleeping —
the clock, not our own code, is what is replaced.
"""

from __future__ import annotations

import time
from email.utils import formatdate

import pytest

from harvesters.http import (
    AccessDenied,
    ForgeClient,
    ForgeError,
    Gone,
    InvalidResponse,
    NotFound,
    RateLimited,
    RetriesExhausted,
    TooLarge,
    redact_url,
)
from tests.harvesters.clock import RecordingSleep

from .forges import FakeGitea, FakeGitHub, FakeGitLab, Response

TOKEN = "glpat-s3cr3t-t0ken"
PUBLICCODE = b"publiccodeYmlVersion: '0.4'\nname: Demo\n"



@pytest.fixture
def sleep() -> RecordingSleep:
    return RecordingSleep()


def gitlab_client(server: FakeGitLab, sleep: RecordingSleep, **options) -> ForgeClient:
    return ForgeClient(server.api_url, token_header="PRIVATE-TOKEN", token_prefix="",
                       sleep=sleep, clock=sleep.time, **options)


def ids(pages) -> list[list[int]]:
    return [[item["id"] for item in page.items] for page in pages]


# --- pagination ---------------------------------------------------------------------------


def test_gitlab_keyset_pagination_follows_link_next(gitlab_server, sleep):
    gitlab_server.model.add_many("kommune", 7)
    client = gitlab_client(gitlab_server, sleep)

    pages = list(client.paginate("projects", {"pagination": "keyset", "order_by": "id",
                                              "sort": "asc", "per_page": 3}))

    assert ids(pages) == [[1, 2, 3], [4, 5, 6], [7]]
    assert [p.next_url is not None for p in pages] == [True, True, False]
    cursors = [seen.query.get("id_after") for seen in gitlab_server.log]
    assert cursors == [None, ["3"], ["6"]]  # the server's cursors, never a guessed page
    assert client.request_count == len(pages) == 3


def test_gitlab_keyset_listing_ending_on_a_page_boundary_ends_with_an_empty_page(
        gitlab_server, sleep):
    gitlab_server.model.add_many("kommune", 4)
    client = gitlab_client(gitlab_server, sleep)

    pages = list(client.paginate("projects", {"pagination": "keyset", "order_by": "id",
                                              "sort": "asc", "per_page": 2}))

    assert ids(pages) == [[1, 2], [3, 4], []]


def test_gitlab_offset_pagination_follows_link_and_reports_total(gitlab_server, sleep):
    gitlab_server.model.add_many("kommune", 5)
    client = gitlab_client(gitlab_server, sleep)

    pages = list(client.paginate("projects", {"per_page": 2, "sort": "asc"}))

    assert ids(pages) == [[1, 2], [3, 4], [5]]
    assert [page.total for page in pages] == [5, 5, 5]
    assert [page.number for page in pages] == [1, 2, 3]


def test_gitlab_offset_pagination_falls_back_to_x_next_page_without_link(gitlab_server, sleep):
    gitlab_server.model.add_many("kommune", 5)
    gitlab_server.faults.drop_header("Link")  # a proxy in front strips it
    client = gitlab_client(gitlab_server, sleep)

    pages = list(client.paginate("projects", {"per_page": 2, "sort": "asc"}))

    assert ids(pages) == [[1, 2], [3, 4], [5]]
    assert [seen.query.get("page") for seen in gitlab_server.log] == [None, ["2"], ["3"]]
    assert all(seen.query["per_page"] == ["2"] for seen in gitlab_server.log)


def test_gitlab_group_projects_by_encoded_path_with_subgroups(gitlab_server, sleep):
    gitlab_server.model.add("stadt/app")
    gitlab_server.model.add("stadt/fachamt/tool")
    gitlab_server.model.add("andere/app")
    client = gitlab_client(gitlab_server, sleep)

    direct = [p["path_with_namespace"] for page in client.paginate("groups/stadt/projects")
              for p in page.items]
    nested = [p["path_with_namespace"]
              for page in client.paginate("groups/stadt/projects", {"include_subgroups": "true"})
              for p in page.items]

    assert direct == ["stadt/app"]
    assert sorted(nested) == ["stadt/app", "stadt/fachamt/tool"]


def test_github_org_repos_follow_link(github_server, sleep):
    github_server.model.add_many("kommune", 5, license="EUPL-1.2", topics=["municipality"])
    client = ForgeClient(github_server.url, sleep=sleep, clock=sleep.time)

    pages = list(client.paginate("orgs/kommune/repos", {"per_page": 2}))

    assert [len(page.items) for page in pages] == [2, 2, 1]
    assert pages[0].items[0]["license"]["spdx_id"] == "EUPL-1.2"
    assert pages[0].items[0]["topics"] == ["municipality"]
    assert [seen.query.get("page") for seen in github_server.log] == [None, ["2"], ["3"]]


def test_gitea_org_repos_follow_link_with_total_count(gitea_server, sleep):
    gitea_server.model.add_many("kommune", 5)
    client = ForgeClient(gitea_server.api_url, sleep=sleep, clock=sleep.time)

    pages = list(client.paginate("orgs/kommune/repos", {"limit": 2}))

    assert [len(page.items) for page in pages] == [2, 2, 1]
    assert [page.total for page in pages] == [5, 5, 5]
    assert client.request_count == 3


def test_a_next_link_that_repeats_stops_with_a_clear_error(gitlab_server, sleep):
    loop = gitlab_server.absolute("/api/v4/loop", {"page": "2"})
    gitlab_server.route("GET", r"/api/v4/loop",
                        lambda request, match: Response.json([], headers={
                            "Link": gitlab_server.link_header({"next": loop})}))
    client = gitlab_client(gitlab_server, sleep)

    with pytest.raises(InvalidResponse, match="repeats"):
        list(client.paginate("loop"))
    assert client.request_count == 2  # the first page, then the repeated link


# --- retries and rate limits ------------------------------------------------------------


def test_transient_500_is_retried_with_growing_backoff(gitlab_server, sleep):
    gitlab_server.model.add("kommune/app")
    gitlab_server.faults.fail("/api/v4/projects/1", status=500, times=2)
    client = gitlab_client(gitlab_server, sleep, backoff=1.0)

    response = client.get_json("projects/1")

    assert response.data["path_with_namespace"] == "kommune/app"
    assert client.request_count == 3
    assert client.stats.retries == 2
    assert 0.5 <= sleep.waits[0] <= 1.0 and 1.0 <= sleep.waits[1] <= 2.0  # 2**n with jitter


def test_gitlab_429_retry_after_is_honoured(gitlab_server, sleep):
    gitlab_server.model.add_many("kommune", 3)
    gitlab_server.faults.rate_limit(on_request=2, retry_after=7)
    client = gitlab_client(gitlab_server, sleep)

    pages = list(client.paginate("projects", {"per_page": 1, "sort": "asc"}))

    assert ids(pages) == [[1], [2], [3]]
    assert sleep.waits == [7.0]
    assert client.request_count == 4


def test_retry_after_as_http_date_is_honoured(gitea_server):
    sleep = RecordingSleep(start=1_800_000_000.0)
    gitea_server.model.add("kommune/app")
    gitea_server.faults.rate_limit(retry_after=formatdate(sleep.time() + 30, usegmt=True))
    client = ForgeClient(gitea_server.api_url, sleep=sleep, clock=sleep.time)

    client.get_json("repos/kommune/app")

    assert sleep.waits == [30.0]


def test_gitlab_429_without_retry_after_waits_for_ratelimit_reset(gitlab_server, sleep):
    gitlab_server.faults.rate_limit(retry_after=None, reset_in=5)
    client = gitlab_client(gitlab_server, sleep)

    client.get_json("projects")

    assert len(sleep.waits) == 1 and 3 <= sleep.waits[0] <= 5


def test_github_secondary_rate_limit_403_with_retry_after_is_honoured(github_server, sleep):
    github_server.model.add("kommune/app")
    github_server.faults.rate_limit(retry_after=3)
    client = ForgeClient(github_server.url, sleep=sleep, clock=sleep.time)

    assert client.get_json("repos/kommune/app").data["full_name"] == "kommune/app"
    assert sleep.waits == [3.0]
    assert github_server.log[0].path == github_server.log[1].path == "/repos/kommune/app"


def test_github_used_up_quota_waits_for_the_reset(github_server, sleep):
    github_server.model.add("kommune/app")
    github_server.faults.rate_limit(retry_after=None, reset_in=20)  # primary: 403, remaining 0
    client = ForgeClient(github_server.url, sleep=sleep, clock=sleep.time)

    assert client.get_json("repos/kommune/app").status == 200

    assert len(sleep.waits) == 1 and 17 <= sleep.waits[0] <= 20


def test_quota_announced_as_used_up_delays_the_next_request(github_server):
    github_server.model.add("kommune/app")
    github_server.quota_limit = 1
    github_server.quota_reset = int(time.time()) + 10
    waits: list[float] = []

    def sleep_until_reset(seconds: float) -> None:
        waits.append(seconds)
        github_server.quota_limit = 100  # the hour has passed

    client = ForgeClient(github_server.url, sleep=sleep_until_reset)
    client.get_json("repos/kommune/app")  # answers with X-RateLimit-Remaining: 0
    client.get_json("repos/kommune/app")

    assert len(waits) == 1 and 7 <= waits[0] <= 10
    assert client.request_count == 2  # waited instead of provoking a refusal


def test_a_wait_longer_than_max_wait_raises_rate_limited_at_once(gitlab_server, sleep):
    gitlab_server.faults.rate_limit(retry_after=3600, times=None)
    client = gitlab_client(gitlab_server, sleep, max_wait=60)

    with pytest.raises(RateLimited) as caught:
        client.get_json("projects")

    assert sleep.waits == []
    assert client.request_count == 1
    assert "3600 s" in caught.value.message and "60 s" in caught.value.message
    assert caught.value.retry_at > time.time() + 3000


def test_github_403_without_rate_limit_is_access_denied_and_not_retried(github_server, sleep):
    github_server.faults.fail("/repos/kommune/secret", status=403)
    client = ForgeClient(github_server.url, sleep=sleep, clock=sleep.time)

    with pytest.raises(AccessDenied):
        client.get_json("repos/kommune/secret")
    assert client.request_count == 1


def test_retries_exhausted_says_what_failed_and_what_to_do(gitlab_server, sleep):
    gitlab_server.faults.fail("/api/v4/projects", status=503, times=None)
    client = gitlab_client(gitlab_server, sleep, max_retries=2)

    with pytest.raises(RetriesExhausted) as caught:
        client.get_json("projects", {"per_page": 5})

    error = caught.value
    assert error.status == 503 and error.attempts == 3
    assert client.request_count == 3 and len(sleep.waits) == 2
    assert f"GET {gitlab_server.api_url}/projects" in error.message
    assert "3 times" in error.message and "HTTP 503" in error.message
    assert "try again later" in error.message


def test_a_stalled_server_times_out_is_retried_then_fails_fast(gitlab_server, sleep):
    gitlab_server.faults.stall("/api/v4/projects", times=None)
    client = gitlab_client(gitlab_server, sleep, timeout=(2, 0.2), max_retries=1)

    started = time.monotonic()
    with pytest.raises(RetriesExhausted, match=r"read timeout 0.2 s"):
        client.get_json("projects")

    assert time.monotonic() - started < 2
    assert client.request_count == 2 and len(sleep.waits) == 1


def test_connection_refused_is_retried_then_fails(sleep):
    client = ForgeClient("http://127.0.0.1:9", sleep=sleep, clock=sleep.time, max_retries=2)

    with pytest.raises(RetriesExhausted, match="connection failed"):
        client.get_json("projects")
    assert client.request_count == 3


# --- size, absence, redirects -------------------------------------------------------------


def test_announced_oversized_file_is_refused_unread(gitlab_server, sleep):
    gitlab_server.model.add("kommune/app", files={"publiccode.yml": b"x" * 2_000_000})
    client = gitlab_client(gitlab_server, sleep)

    with pytest.raises(TooLarge) as caught:
        client.get_bytes("projects/1/repository/files/publiccode.yml/raw", max_bytes=1_000_000)

    assert caught.value.size == 2_000_000 and caught.value.limit == 1_000_000
    assert "max_bytes" in caught.value.message


def test_unannounced_oversized_file_stops_at_the_limit(gitea_server, sleep):
    gitea_server.model.add("kommune/app", files={"publiccode.yml": b"x" * 2_000_000})
    gitea_server.faults.no_content_length()
    client = ForgeClient(gitea_server.api_url, sleep=sleep, clock=sleep.time)

    with pytest.raises(TooLarge) as caught:
        client.get_bytes("repos/kommune/app/raw/publiccode.yml", max_bytes=100_000)
    assert caught.value.size is None


def test_files_within_the_limit_arrive_whole(gitea_server, sleep):
    gitea_server.model.add("kommune/app", files={"publiccode.yml": PUBLICCODE})
    gitea_server.faults.no_content_length()
    client = ForgeClient(gitea_server.api_url, sleep=sleep, clock=sleep.time)

    assert client.get_bytes("repos/kommune/app/raw/publiccode.yml").content == PUBLICCODE


def test_deleted_project_is_not_found_with_the_forges_message(gitlab_server, sleep):
    gitlab_server.model.add("kommune/app")
    gitlab_server.model.delete("kommune/app")
    client = gitlab_client(gitlab_server, sleep)

    with pytest.raises(NotFound) as caught:
        client.get_json("projects/kommune%2Fapp")

    assert caught.value.status == 404 and client.request_count == 1
    assert "404 Project Not Found" in caught.value.message
    assert caught.value.url == f"{gitlab_server.api_url}/projects/kommune%2Fapp"


def test_410_is_gone(gitea_server, sleep):
    gitea_server.faults.fail("/api/v1/repos/kommune/old", status=410)
    with pytest.raises(Gone):
        ForgeClient(gitea_server.api_url, sleep=sleep,
                    clock=sleep.time).get_json("repos/kommune/old")


def test_gitlab_head_gives_file_metadata(gitlab_server, sleep):
    gitlab_server.model.add("kommune/app", files={"publiccode.yml": PUBLICCODE})
    client = gitlab_client(gitlab_server, sleep)

    response = client.head("projects/kommune%2Fapp/repository/files/publiccode.yml",
                           {"ref": "main"})

    assert response.headers["X-Gitlab-Size"] == str(len(PUBLICCODE))
    assert len(response.headers["X-Gitlab-Blob-Id"]) == 40
    assert response.content == b""


def test_github_renamed_repository_redirect_is_followed_and_visible(github_server, sleep):
    github_server.model.add("kommune/old-name", files={"publiccode.yml": PUBLICCODE})
    project = github_server.model.rename("kommune/old-name", "kommune/new-name")
    client = ForgeClient(github_server.url, sleep=sleep, clock=sleep.time)

    response = client.get_json("repos/kommune/old-name")

    assert response.data["full_name"] == "kommune/new-name"
    assert response.url == f"{github_server.url}/repositories/{project.id}"
    assert response.requested_url == f"{github_server.url}/repos/kommune/old-name"
    assert response.moved_permanently
    assert [hop.status for hop in response.redirects] == [301]
    assert client.request_count == 2  # the redirect hop counts


def test_gitea_renamed_repository_redirect_is_temporary(gitea_server, sleep):
    gitea_server.model.add("kommune/old-name", files={"publiccode.yml": PUBLICCODE})
    gitea_server.model.rename("kommune/old-name", "kommune/new-name")
    client = ForgeClient(gitea_server.api_url, sleep=sleep, clock=sleep.time)

    response = client.get_bytes("repos/kommune/old-name/raw/publiccode.yml")

    assert response.content == PUBLICCODE
    assert response.url.endswith("/repos/kommune/new-name/raw/publiccode.yml")
    assert response.moved and not response.moved_permanently


def test_non_json_answer_is_invalid_response(github_server, sleep):
    github_server.model.add("kommune/app", files={"publiccode.yml": PUBLICCODE})
    client = ForgeClient(github_server.url, sleep=sleep, clock=sleep.time)

    with pytest.raises(InvalidResponse, match="did not answer JSON"):
        client.get_json(f"{github_server.url}/raw/kommune/app/main/publiccode.yml")


# --- tokens -------------------------------------------------------------------------------


@pytest.mark.parametrize(("forge", "header", "prefix"), [
    (FakeGitLab, "PRIVATE-TOKEN", ""),
    (FakeGitHub, "Authorization", "Bearer "),
    (FakeGitea, "Authorization", "token "),
])
def test_token_goes_in_the_forges_header_and_unlocks_private_projects(forge, header, prefix,
                                                                      sleep):
    with forge(tokens={TOKEN}) as server:
        server.model.add("kommune/public")
        server.model.add("kommune/private", visibility="private")
        listing = {FakeGitLab: "groups/kommune/projects"}.get(forge, "orgs/kommune/repos")
        anonymous = ForgeClient(server.api_url, sleep=sleep, clock=sleep.time)
        authenticated = ForgeClient(server.api_url, token=TOKEN, token_header=header,
                                    token_prefix=prefix, sleep=sleep, clock=sleep.time)

        assert len(next(anonymous.paginate(listing)).items) == 1
        assert len(next(authenticated.paginate(listing)).items) == 2

        seen = server.log[-1]
        assert seen.credential == TOKEN and seen.credential_header == header
        assert TOKEN not in str(seen.headers)  # the log hides secrets
        assert server.log[0].credential is None


def test_token_never_appears_in_errors_or_repr(gitlab_server, sleep):
    gitlab_server.tokens = {"the-right-one"}
    client = ForgeClient(gitlab_server.api_url, token=TOKEN, token_header="PRIVATE-TOKEN",
                         token_prefix="", sleep=sleep, clock=sleep.time)

    with pytest.raises(AccessDenied) as denied:
        client.get_json("projects")
    gitlab_server.faults.fail(times=None)
    with pytest.raises(RetriesExhausted) as exhausted:
        client.get_json("projects", {"private_token": TOKEN})

    for error in (denied.value, exhausted.value):
        assert TOKEN not in str(error) and TOKEN not in (error.url or "")
    assert "Check the token" in denied.value.message
    assert TOKEN not in repr(client)


def test_token_is_not_sent_to_another_origin(gitlab_server, gitea_server, sleep):
    gitea_server.model.add("kommune/app")
    gitlab_server.faults.redirect("/api/v4/projects/42",
                                  f"{gitea_server.api_url}/repos/kommune/app")
    client = ForgeClient(gitlab_server.api_url, token=TOKEN, token_header="PRIVATE-TOKEN",
                         token_prefix="", sleep=sleep, clock=sleep.time)

    response = client.get_json("projects/42")
    client.get_json(f"{gitea_server.api_url}/repos/kommune/app")

    assert response.url.startswith(gitea_server.url)
    assert gitlab_server.log[0].credential == TOKEN
    assert [seen.credential for seen in gitea_server.log] == [None, None]
    assert all("PRIVATE-TOKEN" not in seen.headers for seen in gitea_server.log)


def test_redact_url_hides_credentials():
    assert redact_url("https://user:pw@forge.example/api?private_token=abc&page=2") == (
        "https://forge.example/api?private_token=REDACTED&page=2")
    assert redact_url("https://forge.example/api?page=2") == "https://forge.example/api?page=2"


# --- the fake server's own promises ------------------------------------------------------


def test_latency_is_applied_to_every_answer(gitlab_server, sleep):
    gitlab_server.faults.latency = 0.02
    client = gitlab_client(gitlab_server, sleep)

    started = time.monotonic()
    for _ in range(3):
        client.get_json("projects")
    assert time.monotonic() - started >= 0.06


def test_gitlab_keyset_needs_order_by_id(gitlab_server, sleep):
    with pytest.raises(ForgeError, match="405"):
        gitlab_client(gitlab_server, sleep).get_json(
            "projects", {"pagination": "keyset", "order_by": "name"})
