# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Self-check of the emulator's v2 training jobs: the search (validation, page-index paging, filters), flavors, one
job, phase changes, AK/SK over the body, faults in v2's shape."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime
import hashlib
import hmac
import http.client
import json
import time
from urllib.parse import quote, urlsplit

import pytest

from . import _v2_training
from .harness import DEFAULT_AK, DEFAULT_PROJECT_ID, DEFAULT_SK, DEFAULT_TOKEN, FIXED_EPOCH_MS, Emulator

JOBS = 120
SEARCH = "/v2/%s/training-job-searches" % DEFAULT_PROJECT_ID
FLAVORS = "/v2/%s/training-job-flavors" % DEFAULT_PROJECT_ID
ANSWER_FIELDS = ["total", "count", "limit", "offset", "sort_by", "order", "group_by", "workspace_id", "ai_project",
                 "items"]
OTHER_PROJECT = {"project_name": "eu-nl_other", "region": "eu-nl", "versions": 3, "v2_jobs": 4, "seed": 7,
                 "tokens": ["other-static-token"]}


@pytest.fixture(scope="module")
def emu():
    with Emulator(versions=10, v2_jobs=JOBS, config={"projects": [{}, OTHER_PROJECT]}) as e:
        yield e


@pytest.fixture(autouse=True)
def clean(emu):
    emu.clear_faults()
    emu.configure_v2(count="page")
    yield
    emu.clear_faults()


def search(emu, body, token=DEFAULT_TOKEN, path=SEARCH):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
    return emu.request("POST", path, headers={"X-Auth-Token": token} if token else {}, body=raw)


def all_pages(emu, body, limit):
    pages, offset = [], 0
    while True:
        status, _h, page = search(emu, dict(body, limit=limit, offset=offset))
        assert status == 200
        pages.append(page)
        if len(page["items"]) < limit:
            return pages
        offset += 1


def sign_post(emu, path, body, sk=DEFAULT_SK):
    """SDK-HMAC-SHA256 headers for a POST with a JSON body, built independently of the emulator."""
    host = urlsplit(emu.url).netloc
    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    headers = {"content-type": "application/json", "host": host, "x-sdk-date": date}
    names = sorted(headers)
    uri = "/".join(quote(seg, safe="~") for seg in path.split("/")) + "/"
    canonical = "\n".join(["POST", uri, "", "".join("%s:%s\n" % (n, headers[n]) for n in names), ";".join(names),
                           hashlib.sha256(body).hexdigest()])
    to_sign = "SDK-HMAC-SHA256\n%s\n%s" % (date, hashlib.sha256(canonical.encode("utf-8")).hexdigest())
    signature = hmac.new(sk.encode("utf-8"), to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    return {"Content-Type": "application/json", "Host": host, "X-Sdk-Date": date,
            "Authorization": "SDK-HMAC-SHA256 Access=%s, SignedHeaders=%s, Signature=%s"
                             % (DEFAULT_AK, ";".join(names), signature)}


# ----------------------------------------------------------- the search ----

def test_search_answers_the_documented_fields_with_full_sized_jobs(emu):
    status, _h, page = search(emu, {"limit": 50})
    assert status == 200 and list(page) == ANSWER_FIELDS
    assert (page["total"], page["count"], page["limit"], page["offset"]) == (JOBS, 50, 50, 0)
    assert (page["sort_by"], page["order"], page["workspace_id"]) == ("create_time", "desc", "0")
    sizes = [len(json.dumps(job)) for job in page["items"]]
    assert 2000 <= min(sizes) and max(sizes) <= 5000
    job = page["items"][0]
    assert set(job) >= {"kind", "metadata", "status", "algorithm", "tasks", "spec"}
    assert job["algorithm"]["outputs"][0]["remote"]["obs"]["obs_url"].startswith("/ml-bucket-")
    assert {"node_count_metrics", "running_records", "secondary_phase"} <= set(job["status"])


def test_public_pool_jobs_carry_flavor_detail_and_dedicated_ones_do_not(emu):
    jobs = [j for page in all_pages(emu, {}, 50) for j in page["items"]]
    public = [j for j in jobs if "pool_id" not in j["spec"]["resource"]]
    dedicated = [j for j in jobs if "pool_id" in j["spec"]["resource"]]
    assert public and dedicated
    assert all("flavor_detail" in j["spec"]["resource"] for j in public)
    assert not any("flavor_detail" in j["spec"]["resource"] for j in dedicated)
    infos = [j["spec"]["resource"]["flavor_detail"]["flavor_info"] for j in public]
    assert {type(i["gpu"]["unit_num"]) for i in infos if "gpu" in i} == {int}
    assert {type(i["npu"]["unit_num"]) for i in infos if "npu" in i} == {str}
    assert any(j["spec"]["resource"]["flavor_id"].startswith("modelarts.pool.visual.") for j in dedicated)
    assert any(j["spec"]["resource"]["node_count"] > 1 for j in jobs)
    assert {j["status"]["phase"] for j in jobs} == set(_v2_training.PHASES)


@pytest.mark.parametrize("body, code", [
    ({"limit": 51}, "ModelArts.2816"),
    ({"limit": 0}, "ModelArts.2816"),
    ({"limit": "10"}, "ModelArts.2825"),
    ({"offset": -1}, "ModelArts.2816"),
    ({"offset": True}, "ModelArts.2825"),
    ({"status": "Running"}, "ModelArts.2788"),
    ({"sort_by": "version_id"}, "ModelArts.2788"),
    ({"order": "up"}, "ModelArts.2788"),
    ({"workspace_id": "nope"}, "ModelArts.0102"),
    ({"filters": {"key": "phase"}}, "ModelArts.2826"),
    ({"filters": [{"key": "pool", "operator": "in", "value": ["x"]}]}, "ModelArts.2826"),
    ({"filters": [{"key": "phase", "operator": "equals", "value": ["Running"]}]}, "ModelArts.2826"),
    ({"filters": [{"key": "phase", "operator": "in", "value": "Running"}]}, "ModelArts.2826"),
    (b"{not json", "ModelArts.2787"),
    (b"[1, 2]", "ModelArts.2787"),
])
def test_search_refuses_what_the_api_refuses_with_a_v2_error(emu, body, code):
    status, _h, answer = search(emu, body)
    assert status == 400 and set(answer) == {"error_code", "error_msg"} and answer["error_code"] == code


def test_offset_is_a_page_index_and_paging_ends_on_a_short_page(emu):
    pages = all_pages(emu, {}, 7)
    ids = [j["metadata"]["id"] for page in pages for j in page["items"]]
    assert len(pages) == JOBS // 7 + 1 and len(ids) == JOBS == len(set(ids))
    assert [p["offset"] for p in pages] == list(range(len(pages)))
    times = [j["metadata"]["create_time"] for page in pages for j in page["items"]]
    assert times == sorted(times, reverse=True)
    assert search(emu, {"limit": 7, "offset": 1000})[2]["items"] == []


def test_phase_filter_takes_several_phases_in_one_request_and_empty_values_are_no_filter(emu):
    body = {"filters": [{"key": "phase", "operator": "in", "value": ["Running", "Pending"]}]}
    jobs = [j for page in all_pages(emu, body, 50) for j in page["items"]]
    assert jobs and {j["status"]["phase"] for j in jobs} == {"Running", "Pending"}
    empty_filters = [{"key": "phase", "operator": "in", "value": [""]},
                     {"key": "create_time", "operator": "between", "value": ["", ""]}]
    unfiltered = search(emu, {"limit": 50, "filters": empty_filters})[2]
    assert len(unfiltered["items"]) == 50
    not_running = search(emu, {"limit": 50, "filters": [{"key": "phase", "operator": "not", "value": ["Running"]}]})[2]
    assert "Running" not in {j["status"]["phase"] for j in not_running["items"]}


def test_name_like_and_create_time_between(emu):
    page = search(emu, {"limit": 50, "filters": [{"key": "name", "operator": "like", "value": ["bert"]}]})[2]
    assert page["items"] and all("bert" in j["metadata"]["name"] for j in page["items"])
    since = FIXED_EPOCH_MS - 10 * 86400 * 1000
    page = search(emu, {"limit": 50, "filters": [{"key": "create_time", "operator": "between",
                                                  "value": [str(since), ""]}]})[2]
    assert page["items"] and all(j["metadata"]["create_time"] >= since for j in page["items"])
    assert page["total"] == JOBS  # total counts the user's jobs, whatever the filters


def test_count_is_the_page_length_or_every_match_as_configured(emu):
    body = {"limit": 5, "filters": [{"key": "phase", "operator": "in", "value": ["Completed"]}]}
    assert search(emu, body)[2]["count"] == 5
    emu.configure_v2(count="matching")
    matching = search(emu, body)[2]["count"]
    completed = sum(1 for j in emu.v2_jobs_list() if j["phase"] == "Completed")
    assert matching == completed > 5


@pytest.mark.parametrize("sort_by, path", [("name", ("metadata", "name")), ("duration", ("status", "duration"))])
def test_sort_by_and_order(emu, sort_by, path):
    for order in ("asc", "desc"):
        jobs = search(emu, {"limit": 50, "sort_by": sort_by, "order": order})[2]["items"]
        values = [j[path[0]][path[1]] for j in jobs]
        assert values == sorted(values, reverse=order == "desc")


# --------------------------------------------------- flavors, one job ----

def test_flavors_list_the_public_flavors_by_type(emu):
    status, _h, body = emu.request("GET", FLAVORS, headers={"X-Auth-Token": DEFAULT_TOKEN})
    assert status == 200 and body["total_count"] == len(body["flavors"]) == len(_v2_training.PUBLIC_FLAVORS)
    ascend = emu.request("GET", FLAVORS + "?flavor_type=Ascend", headers={"X-Auth-Token": DEFAULT_TOKEN})[2]
    assert ascend["flavors"] and {f["flavor_type"] for f in ascend["flavors"]} == {"Ascend"}
    assert all(isinstance(f["flavor_info"]["npu"]["unit_num"], str) for f in ascend["flavors"])
    status, _h, body = emu.request("GET", FLAVORS + "?flavor_type=TPU", headers={"X-Auth-Token": DEFAULT_TOKEN})
    assert status == 400 and body["error_code"] == "ModelArts.2788"


def test_job_details_are_the_search_object(emu):
    job = search(emu, {"limit": 1})[2]["items"][0]
    path = "/v2/%s/training-jobs/%s" % (DEFAULT_PROJECT_ID, job["metadata"]["id"])
    assert emu.request("GET", path, headers={"X-Auth-Token": DEFAULT_TOKEN})[2] == job
    status, _h, body = emu.request("GET", path[:-4] + "0000", headers={"X-Auth-Token": DEFAULT_TOKEN})
    assert status == 404 and body["error_code"] == "ModelArts.2775"


# ------------------------------------------------------- phase changes ----

def test_transitions_complete_and_fail_jobs_by_id(emu):
    pending = [j for j in emu.v2_jobs_list() if j["phase"] == "Pending"][:2]
    emu.v2_transitions([{"job_id": pending[0]["id"], "phase": "Running"},
                        {"job_id": pending[1]["id"], "phase": "Failed", "after_seconds": 3600}])
    after = {j["id"]: j for j in emu.v2_jobs_list()}
    assert after[pending[0]["id"]]["phase"] == "Running" and after[pending[0]["id"]]["start_time"] > 0
    assert after[pending[1]["id"]]["phase"] == "Pending"
    assert emu.v2_state()["pending_transitions"] == 1
    emu.v2_transitions([{"job_id": pending[0]["id"], "phase": "Completed"}])
    path = "/v2/%s/training-jobs/%s" % (DEFAULT_PROJECT_ID, pending[0]["id"])
    status = emu.request("GET", path, headers={"X-Auth-Token": DEFAULT_TOKEN})[2]["status"]
    assert (status["phase"], status["secondary_phase"]) == ("Completed", "Completed")
    assert status["task_statuses"][0]["exit_code"] == 0


def test_control_sets_explicit_jobs_with_patches():
    with Emulator(versions=0, v2_jobs=0) as emu:
        emu.set_v2_jobs(add=[
            {"id": "job-a", "name": "<b>x</b>", "phase": "Running", "flavor_id": "modelarts.pool.visual.4xlarge",
             "pool_id": "pool-gpu-a", "node_count": 2},
            {"id": "job-b", "flavor_id": "modelarts.vm.gpu.v100nv32", "flavor_detail": False},
            {"id": "job-c", "patch": {"spec": {"resource": {"flavor_detail": {"flavor_info": {"npu": {"unit_num": "x"}}}}},
                                      "algorithm": None}},
        ])
        jobs = {j["metadata"]["id"]: j for j in search(emu, {"limit": 50})[2]["items"]}
        assert jobs["job-a"]["metadata"]["name"] == "<b>x</b>" and jobs["job-a"]["spec"]["resource"]["node_count"] == 2
        assert "flavor_detail" not in jobs["job-b"]["spec"]["resource"]
        assert jobs["job-c"]["spec"]["resource"]["flavor_detail"]["flavor_info"]["npu"]["unit_num"] == "x"
        assert "algorithm" not in jobs["job-c"]
        emu.set_v2_jobs(remove=["job-a"])
        assert sorted(j["id"] for j in emu.v2_jobs_list()) == ["job-b", "job-c"]
        status, _h, body = emu.request("POST", "/_emulator/v2/jobs", body={"add": [{"phase_name": "x"}]})
        assert status == 400 and "phase_name" in body["error"]


def test_config_file_jobs_transitions_and_count():
    config = {"v2_jobs": [{"id": "a", "phase": "Running"}, {"id": "b", "phase": "Pending"}], "v2_count": "matching",
              "v2_transitions": [{"job_id": "a", "phase": "Failed"}]}
    with Emulator(versions=0, config=config) as emu:
        page = search(emu, {"limit": 1})[2]
        assert (page["total"], page["count"], len(page["items"])) == (2, 2, 1)
        assert {j["id"]: j["phase"] for j in emu.v2_jobs_list()} == {"a": "Failed", "b": "Pending"}


def test_generated_jobs_are_deterministic():
    first = _v2_training.generate_jobs(300, 5, ["pool-gpu-a"], "u", ["a", "b"], FIXED_EPOCH_MS)
    again = _v2_training.generate_jobs(300, 5, ["pool-gpu-a"], "u", ["a", "b"], FIXED_EPOCH_MS)
    assert first == again and len({j["id"] for j in first}) == 300
    assert len({j["create_time"] for j in first}) == 300


# ------------------------------------------------------------------ auth ----

def test_aksk_signature_covers_the_body_and_a_changed_body_is_refused(emu):
    body = json.dumps({"limit": 3}).encode("utf-8")
    headers = sign_post(emu, SEARCH, body)
    status, _h, page = emu.request("POST", SEARCH, headers=headers, body=body)
    assert status == 200 and len(page["items"]) == 3
    tampered = json.dumps({"limit": 4}).encode("utf-8")
    status, _h, answer = emu.request("POST", SEARCH, headers=headers, body=tampered)
    assert status == 401 and answer["error_code"] == "APIGW.0301"
    declared = dict(headers, **{"X-Sdk-Content-Sha256": hashlib.sha256(body).hexdigest()})
    assert emu.request("POST", SEARCH, headers=declared, body=tampered)[0] == 401
    assert emu.request("POST", SEARCH, headers=sign_post(emu, SEARCH, body, sk="wrong"), body=body)[0] == 401


def test_auth_and_project_errors_come_in_v2_shape(emu):
    status, _h, body = search(emu, {}, token=None)
    assert status == 401 and body == {"error_code": "ModelArts.0205", "error_msg": body["error_msg"]}
    status, _h, body = search(emu, {}, token="other-static-token")
    assert status == 403 and body["error_code"] == "ModelArts.0210" and "error_message" not in body
    other = json.loads(json.dumps(emu.state()))["projects"][1]["project_id"]
    status, _h, body = search(emu, {"limit": 50}, token="other-static-token",
                              path="/v2/%s/training-job-searches" % other)
    assert status == 200 and body["total"] == 4


# ---------------------------------------------------------------- faults ----

def test_v2_faults_answer_in_v2_shape_and_never_hit_v1(emu):
    emu.inject({"kind": "status", "status": 429, "retry_after": 2, "target": "v2_search"},
               {"kind": "status", "status": 503, "target": "versions"})
    status, headers, body = search(emu, {})
    assert status == 429 and headers["Retry-After"] == "2"
    assert body == {"error_code": "ModelArts.0011", "error_msg": "Too many requests"}
    assert search(emu, {})[0] == 200
    v1 = emu.request("GET", "/v1/%s/training-jobs/versions" % DEFAULT_PROJECT_ID,
                     headers={"X-Auth-Token": DEFAULT_TOKEN})
    assert v1[0] == 503
    emu.inject({"kind": "status", "status": 500, "target": "v2_flavors"})
    assert emu.request("GET", FLAVORS, headers={"X-Auth-Token": DEFAULT_TOKEN})[0] == 500
    assert search(emu, {})[0] == 200


def test_v2_short_page_endless_pages_malformed_and_is_success_false(emu):
    emu.inject({"kind": "short_page", "target": "v2_search"}, {"kind": "endless_pages", "times": 2, "target": "v2_search"},
               {"kind": "malformed_json", "target": "v2_search"}, {"kind": "is_success_false", "target": "v2_search"})
    page = search(emu, {"limit": 10})[2]
    assert page["count"] == 10 and len(page["items"]) == 5
    endless = [search(emu, {"limit": 3})[2] for dummy in range(2)]
    ids = {j["metadata"]["id"] for p in endless for j in p["items"]}
    assert [p["total"] for p in endless] == [10 ** 12] * 2 and len(ids) == 6
    assert search(emu, {})[2] == '{"total": 1, "count": 1, "items": ['
    status, _h, body = search(emu, {})
    assert status == 200 and body == {"error_code": "ModelArts.0010", "error_msg": "Internal error"}


def test_v2_transport_faults_and_log(emu):
    emu.reset_log()
    emu.inject({"kind": "drop", "target": "v2_search"}, {"kind": "truncated", "target": "v2_search"},
               {"kind": "html", "status": 502, "target": "v2_job"})
    parts = urlsplit(emu.url)

    def raw():
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        conn.request("POST", SEARCH, body=b'{"limit": 20}', headers={"X-Auth-Token": DEFAULT_TOKEN})
        return conn, conn.getresponse()

    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        raw()
    conn, resp = raw()
    with pytest.raises(http.client.IncompleteRead):
        resp.read()
    conn.close()
    status, headers, _body = emu.request("GET", "/v2/%s/training-jobs/x" % DEFAULT_PROJECT_ID,
                                         headers={"X-Auth-Token": DEFAULT_TOKEN})
    assert status == 502 and headers["Content-Type"].startswith("text/html")
    records = emu.v2_requests()
    expected = [(None, "drop", {"limit": 20}), (200, "truncated", {"limit": 20})]
    assert [(r["status"], r["fault"], r["body"]) for r in records] == expected
    assert DEFAULT_TOKEN not in json.dumps(emu.log())


def test_latency_delays_v2_answers_too(emu):
    emu.configure(latency=0.3)
    try:
        started = time.monotonic()
        assert search(emu, {"limit": 1})[0] == 200
        assert time.monotonic() - started >= 0.3
    finally:
        emu.configure(latency=0)
