# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A real client as oracle: Huawei's own SDK (huaweicloudsdkmodelarts, test-only) calls the emulator's v2 endpoints,
AK/SK-signed by huaweicloudsdkcore over HTTP on loopback, and its models keep every field the emulator sent, with
its type."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

import pytest

from .harness import DEFAULT_AK, DEFAULT_PROJECT_ID, DEFAULT_SK, DEFAULT_TOKEN, Emulator

# Test-only dependencies (test-requirements.txt installs them), imported as the other oracle tests import theirs.
sdk = pytest.importorskip("huaweicloudsdkmodelarts.v1", reason="huaweicloudsdkmodelarts is the reference client")
sdk_credentials = pytest.importorskip("huaweicloudsdkcore.auth.credentials")
sdk_exceptions = pytest.importorskip("huaweicloudsdkcore.exceptions.exceptions")
sdk_http_config = pytest.importorskip("huaweicloudsdkcore.http.http_config")

JOBS = 120
SEARCH = "/v2/%s/training-job-searches" % DEFAULT_PROJECT_ID
TOKEN = {"X-Auth-Token": DEFAULT_TOKEN}


@pytest.fixture(scope="module")
def emu():
    with Emulator(versions=0, v2_jobs=JOBS) as e:
        yield e


@pytest.fixture(scope="module")
def client(emu, monkeypatch_module):
    monkeypatch_module.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch_module.setenv("no_proxy", "127.0.0.1,localhost")
    config = sdk_http_config.HttpConfig.get_default_config()
    config.timeout = (10, 30)
    return (sdk.ModelArtsClient.new_builder()
            .with_credentials(sdk_credentials.BasicCredentials(DEFAULT_AK, DEFAULT_SK, DEFAULT_PROJECT_ID))
            .with_endpoint(emu.url).with_http_config(config).build())


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


def lost_or_mistyped(sent, kept, path="$"):
    """Give back the paths where the SDK's model lost a value the emulator sent or holds it as another value or type.

    Fields the model has and the emulator did not send must be None (the model invents nothing).
    """
    if isinstance(sent, dict):
        if not isinstance(kept, dict):
            return ["%s: %s became %r" % (path, type(sent).__name__, kept)]
        problems = ["%s.%s: lost" % (path, key) for key in sent if key not in kept]
        problems += ["%s.%s: %r not sent" % (path, key, kept[key]) for key in kept
                     if key not in sent and kept[key] is not None]
        for key in sent:
            if key in kept:
                problems += lost_or_mistyped(sent[key], kept[key], "%s.%s" % (path, key))
        return problems
    if isinstance(sent, list):
        if not isinstance(kept, list) or len(kept) != len(sent):
            return ["%s: list of %d became %r" % (path, len(sent), kept)]
        return [p for i, (a, b) in enumerate(zip(sent, kept)) for p in lost_or_mistyped(a, b, "%s[%d]" % (path, i))]
    if type(sent) is not type(kept) or sent != kept:
        return ["%s: %r (%s) became %r (%s)" % (path, sent, type(sent).__name__, kept, type(kept).__name__)]
    return []


def model_dict(response):
    """Give back a response model as a dict by its fields' own to_dict() (a response's to_dict() is deprecated)."""
    out = {}
    for attr in response.openapi_types:
        value = getattr(response, attr)
        if isinstance(value, list):
            value = [item.to_dict() if hasattr(item, "to_dict") else item for item in value]
        elif hasattr(value, "to_dict"):
            value = value.to_dict()
        out[response.attribute_map[attr]] = value
    return out


def sdk_search(client, **body):
    filters = [sdk.Filter(**f) for f in body.pop("filters", [])]
    return client.list_training_jobs(sdk.ListTrainingJobsRequest(body=sdk.JobSearches(filters=filters or None, **body)))


def test_the_sdk_pages_every_job_signed_and_keeps_every_field_with_its_type(emu, client):
    emu.reset_log()
    phases = ["Running", "Completed", "Failed", "Pending", "Creating", "Terminating", "Terminated", "Abnormal"]
    filters = [{"key": "phase", "operator": "in", "value": phases}]
    seen, offset = [], 0
    while True:
        answer = sdk_search(client, limit=50, offset=offset, filters=filters, workspace_id="0")
        body = {"limit": 50, "offset": offset, "filters": filters, "workspace_id": "0"}
        status, _h, sent = emu.request("POST", SEARCH, headers=TOKEN, body=body)
        assert status == 200
        assert lost_or_mistyped(sent, model_dict(answer)) == []
        seen += [job["metadata"]["id"] for job in sent["items"]]
        if len(sent["items"]) < 50:
            break
        offset += 1
    assert len(seen) == len(set(seen)) == JOBS
    sdk_records = [r for r in emu.v2_requests() if r["auth"] == "aksk"]
    assert len(sdk_records) == offset + 1 and all(r["status"] == 200 for r in sdk_records)
    assert sdk_records[0]["body"] == {"offset": 0, "limit": 50, "filters": filters, "workspace_id": "0"}


def test_the_sdk_reads_flavors_and_one_job_without_loss(emu, client):
    for flavor_type in (None, "GPU", "Ascend"):
        answer = client.show_training_job_flavors(sdk.ShowTrainingJobFlavorsRequest(flavor_type=flavor_type))
        query = "" if flavor_type is None else "?flavor_type=" + flavor_type
        sent = emu.request("GET", "/v2/%s/training-job-flavors%s" % (DEFAULT_PROJECT_ID, query), headers=TOKEN)[2]
        assert sent["flavors"] and lost_or_mistyped(sent, model_dict(answer)) == []
    for job in emu.request("POST", SEARCH, headers=TOKEN, body={"limit": 5})[2]["items"]:
        answer = client.show_training_job_details(
            sdk.ShowTrainingJobDetailsRequest(training_job_id=job["metadata"]["id"]))
        assert lost_or_mistyped(job, model_dict(answer)) == []


def test_the_sdk_reads_the_emulators_v2_error_body(client):
    with pytest.raises(sdk_exceptions.ClientRequestException) as caught:
        sdk_search(client, limit=51)
    assert caught.value.status_code == 400 and caught.value.error_code == "ModelArts.2816"
    assert "limit" in caught.value.error_msg


def test_the_oracle_notices_a_field_the_sdk_drops_or_retypes(emu, client):
    """The comparison above can fail: a job with a field the SDK does not model, and one whose NPU count is an
    integer (the API sends a string), do not pass it."""
    emu.set_v2_jobs(add=[
        {"id": "odd-field", "patch": {"spec": {"resource": {"gpu_count": 8}}}},
        {"id": "int-npu", "flavor_id": "modelarts.vm.npu.arm.1snt9b3",
         "patch": {"spec": {"resource": {"flavor_detail": {"flavor_info": {"npu": {"unit_num": 1}}}}}}},
    ])
    try:
        for job_id, expected in (("odd-field", "$.spec.resource.gpu_count: lost"),
                                 ("int-npu", "$.spec.resource.flavor_detail.flavor_info.npu.unit_num: 1 (int) "
                                             "became '1' (str)")):
            path = "/v2/%s/training-jobs/%s" % (DEFAULT_PROJECT_ID, job_id)
            sent = emu.request("GET", path, headers=TOKEN)[2]
            answer = client.show_training_job_details(sdk.ShowTrainingJobDetailsRequest(training_job_id=job_id))
            assert lost_or_mistyped(sent, model_dict(answer)) == [expected]
    finally:
        emu.set_v2_jobs(remove=["odd-field", "int-npu"])
    assert json.dumps(emu.log()).count(DEFAULT_SK) == 0
