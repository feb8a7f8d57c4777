# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Generated projects (_generated_projects.py): 1,000 projects listed by IAM, answered on demand, memory bounded."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import collections
import http.client
import json
import re
import threading
from urllib.parse import parse_qsl

import pytest

from . import _generated_projects, modelarts_emulator
from .harness import (DEFAULT_AK, DEFAULT_DOMAIN, DEFAULT_PASSWORD, DEFAULT_SK, DEFAULT_TOKEN, DEFAULT_USER, Emulator,
                      account_config)
from .test_emulator_selfcheck import signed_headers

GENERATED = {"count": 1000, "versions_per_project": [50, 200], "v2_jobs_per_project": [3, 12], "seed": 5}
CONFIGURED = 9  # account_config(): 7 enabled projects, a disabled one, another domain's


@pytest.fixture(scope="module")
def emu():
    with Emulator(config=account_config(generated_projects=GENERATED)) as running:
        yield running


@pytest.fixture(scope="module")
def listing(emu):
    status, dummy, body = emu.request("GET", "/v3/auth/projects", headers={"X-Auth-Token": DEFAULT_TOKEN})
    assert status == 200
    return body["projects"]


def generated(listing):
    """Give back [(project number, project)] of the generated projects: generated project k is number CONFIGURED + k
    (its static token demo-static-token-{number}, its access key DEMOACCESSKEY{number:07d})."""
    return [(CONFIGURED + int(p["name"].rsplit("_gen", 1)[1]), p) for p in listing if "_gen" in p["name"]]


def versions(emu, project, headers, query="limit=0"):
    """GET the project's versions; `headers` is a dict, or a function of (path, query pairs) that signs them."""
    path = "/v1/%s/training-jobs/versions" % project["id"]
    if callable(headers):
        headers = headers(path, parse_qsl(query))
    status, dummy, body = emu.request("GET", path + "?" + query, headers=headers)
    assert status == 200, body
    return body


def test_iam_lists_the_configured_projects_then_a_thousand_generated_ones_over_several_regions(listing):
    names = [p["name"] for p in listing]
    assert len(names) == CONFIGURED - 1 + 1000  # the other domain's project is not the user's
    assert names[:CONFIGURED - 1][0] == "eu-de"
    made = names[CONFIGURED - 1:]
    assert made[0] == "eu-de_gen00001" and made[-1] == "ap-southeast-1_gen01000"
    assert collections.Counter(name.split("_", 1)[0] for name in made) == {
        "eu-de": 250, "eu-nl": 250, "cn-north-4": 250, "ap-southeast-1": 250}
    assert len(set(p["id"] for p in listing)) == len(listing)
    assert all(re.match(r"^[0-9a-f]{32}$", p["id"]) and p["enabled"] for dummy, p in generated(listing))


def test_a_generated_project_answers_the_same_to_every_request_and_credential_and_its_pages_add_up(emu, listing):
    number, project = generated(listing)[436]
    own_token = {"X-Auth-Token": "%s-%d" % (DEFAULT_TOKEN, number)}
    whole = versions(emu, project, own_token)
    assert 50 <= whole["total_count"] <= 200 and len(whole["versions"]) == whole["total_count"]
    assert versions(emu, project, own_token) == whole
    status, headers, dummy = emu.request("POST", "/v3/auth/tokens", body={"auth": {
        "identity": {"methods": ["password"], "password": {"user": {
            "name": DEFAULT_USER, "password": DEFAULT_PASSWORD, "domain": {"name": DEFAULT_DOMAIN}}}},
        "scope": {"project": {"name": project["name"], "domain": {"name": DEFAULT_DOMAIN}}}}})
    assert status == 201
    assert versions(emu, project, {"X-Auth-Token": headers["X-Subject-Token"]}) == whole

    def own_key(path, pairs):
        return signed_headers(emu, path, pairs, ak="DEMOACCESSKEY%07d" % number, sk="demo-secret-key-%04d" % number)[1]

    def account_key(path, pairs):  # account_config's first project: an access key valid in every project of the domain
        return signed_headers(emu, path, pairs, ak=DEFAULT_AK, sk=DEFAULT_SK)[1]

    for sign in (own_key, account_key):
        pages = []
        for offset in range(0, whole["total_count"], 7):
            page = versions(emu, project, sign, "limit=7&offset=%d" % offset)
            assert page["total_count"] == whole["total_count"]
            pages += page["versions"]
        assert pages == whole["versions"]
    other_number, dummy = generated(listing)[437]
    status, dummy, body = emu.request("GET", "/v1/%s/training-jobs/versions" % project["id"],
                                      headers={"X-Auth-Token": "%s-%d" % (DEFAULT_TOKEN, other_number)})
    assert (status, body["error_code"]) == (403, "ModelArts.0210")


def test_generated_data_depends_on_the_setting_alone(emu, listing):
    """A second emulator of the same setting (here: one in this process) serves the same projects and versions."""
    args = modelarts_emulator.parse_args([])
    state = modelarts_emulator.State({"projects": [{}], "generated_projects": GENERATED}, args)
    number, project = generated(listing)[999]
    assert state.projects[project["id"]].name == project["name"]
    served = versions(emu, project, {"X-Auth-Token": "%s-%d" % (DEFAULT_TOKEN, number)}, "limit=0&sort_by=job_name")
    expected = sorted(sorted(state.projects[project["id"]].versions, key=lambda v: v["version_id"]),
                      key=lambda v: v["version_name"], reverse=True)
    assert served["versions"] == expected


def test_generated_v2_jobs_are_the_same_on_every_search_and_each_page_and_job_is_found(emu, listing):
    number, project = generated(listing)[12]
    headers = {"X-Auth-Token": "%s-%d" % (DEFAULT_TOKEN, number), "Content-Type": "application/json"}
    path = "/v2/%s/training-job-searches" % project["id"]
    dummy, dummy, whole = emu.request("POST", path, headers=headers, body={"limit": 50})
    assert 3 <= whole["total"] <= 12 and len(whole["items"]) == whole["total"]
    assert emu.request("POST", path, headers=headers, body={"limit": 50})[2] == whole
    pages = []
    for index in range(0, 6):
        pages += emu.request("POST", path, headers=headers, body={"limit": 2, "offset": index})[2]["items"]
    assert pages == whole["items"]
    job = whole["items"][-1]
    status, dummy, detail = emu.request("GET", "/v2/%s/training-jobs/%s" % (project["id"], job["metadata"]["id"]),
                                        headers=headers)
    assert status == 200 and detail == job


def test_a_change_to_a_generated_project_stays_after_other_projects_are_served():
    setting = dict(GENERATED, count=20, cached_projects=1)
    with Emulator(config={"projects": [{}], "generated_projects": setting}) as running:
        dummy, dummy, body = running.request("GET", "/v3/auth/projects", headers={"X-Auth-Token": DEFAULT_TOKEN})
        first, others = body["projects"][1], body["projects"][2:]  # generated project k is number 1 + k
        token = {"X-Auth-Token": "%s-2" % DEFAULT_TOKEN}
        version = versions(running, first, token)["versions"][0]
        new_status = 11 if version["status"] != 11 else 10
        running.transitions([{"version_id": version["version_id"], "status": new_status}], project_id=first["id"])
        jobs = running.v2_jobs_list(project_id=first["id"])
        running.v2_transitions([{"job_id": jobs[0]["id"], "phase": "Abnormal"}], project_id=first["id"])
        for number, project in enumerate(others, 3):  # each evicts the one before from the cache
            versions(running, project, {"X-Auth-Token": "%s-%d" % (DEFAULT_TOKEN, number)})
            running.v2_jobs_list(project_id=project["id"])
        changed = [v for v in versions(running, first, token)["versions"] if v["version_id"] == version["version_id"]]
        assert changed[0]["status"] == new_status
        assert [j["phase"] for j in running.v2_jobs_list(project_id=first["id"]) if j["id"] == jobs[0]["id"]] == [
            "Abnormal"]


def test_serving_a_thousand_generated_projects_holds_no_project_versions_or_jobs():
    """In this process, to look at the state itself: only the LRU of a few projects' data, and bounded caches."""
    args = modelarts_emulator.parse_args(["--generated-projects", "1000", "--generated-versions", "5-20",
                                          "--generated-v2-jobs", "1-3"])
    state = modelarts_emulator.State({}, args)
    server = modelarts_emulator.EmulatorServer(("127.0.0.1", 0), state)
    server.base_url = "http://127.0.0.1:%d" % server.server_address[1]
    worker = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    worker.daemon = True
    worker.start()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=30)
        served = 0
        for number, pid in enumerate(state.project_order[1:], 2):
            headers = {"X-Auth-Token": "%s-%d" % (DEFAULT_TOKEN, number), "Content-Type": "application/json"}
            connection.request("GET", "/v1/%s/training-jobs/versions?limit=0" % pid, headers=headers)
            served += len(json.loads(connection.getresponse().read())["versions"])
            connection.request("POST", "/v2/%s/training-job-searches" % pid, body='{"limit": 50}', headers=headers)
            assert connection.getresponse().read().startswith(b'{"total":')
        connection.close()
    finally:
        server.shutdown()
        server.server_close()
    made = [state.projects[pid] for pid in state.project_order[1:]]
    assert len(made) == 1000 and served >= 5000
    assert all(p.held is None for p in made) and all(state.v2.projects[p.id].held is None for p in made)
    cache = state.generated_cache
    assert len(cache.entries) <= 2 * _generated_projects.DEFAULT_CACHED_PROJECTS
    assert sum(len(data) if kind == "v1" else len(data[0]) for (kind, dummy), data in cache.entries.items()) <= (
        2 * _generated_projects.DEFAULT_CACHED_PROJECTS * 20)
    assert len(state.list_cache) <= 65 and len(state.v2.list_cache) <= 65
    assert len(state.body_cache) <= 257 and len(state.v2.body_cache) <= 257


@pytest.mark.parametrize("setting, message", [
    ({"count": "many"}, "count must be an integer"),
    ({"count": 3, "versions_per_project": [9, 2]}, "versions_per_project must be 0 <= low <= high"),
    ({"count": 3, "regions": ["eu de"]}, "regions must be a non-empty list"),
    ({"count": 3, "versoins_per_project": 5}, "unknown key versoins_per_project"),
])
def test_a_bad_setting_is_refused_naming_it(setting, message):
    with pytest.raises(ValueError, match=message):
        modelarts_emulator.State({"generated_projects": setting}, modelarts_emulator.parse_args([]))


def test_a_range_without_a_count_is_refused_and_the_command_line_wins_over_the_file():
    with pytest.raises(ValueError, match="versions_per_project without a count"):
        modelarts_emulator.State({}, modelarts_emulator.parse_args(["--generated-versions", "5-9"]))
    state = modelarts_emulator.State({"generated_projects": {"count": 3, "versions_per_project": 7}},
                                     modelarts_emulator.parse_args(["--generated-projects", "2"]))
    assert [len(state.projects[pid].versions) for pid in state.project_order] == [40, 7, 7]


def test_without_the_setting_the_account_is_the_configured_one():
    state = modelarts_emulator.State(account_config(), modelarts_emulator.parse_args([]))
    assert state.generated is None and len(state.project_order) == CONFIGURED
    assert {type(p).__name__ for p in state.projects.values()} == {"Project"}
