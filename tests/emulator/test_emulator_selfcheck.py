# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Self-check of the ModelArts emulator: auth, validation, paging, sorting, faults, keep-alive, log hygiene."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime
import hashlib
import hmac
import http.client
import json
import os
import ssl
import subprocess
import threading
import time
from urllib.parse import quote, urlsplit

import pytest

from .harness import (DEFAULT_AK, DEFAULT_DOMAIN, DEFAULT_PASSWORD, DEFAULT_PROJECT_ID, DEFAULT_PROJECT_NAME,
                      DEFAULT_SK, DEFAULT_TOKEN, DEFAULT_USER, Emulator)

OTHER_PROJECT = {"project_name": "eu-nl_other", "region": "eu-nl", "versions": 5, "seed": 7,
                 "aksk": [{"access_key": "TEMPACCESSKEY0000002", "secret_key": "temp-secret-2", "security_token": "temp-sts-token-2"}],
                 "tokens": ["other-static-token"]}
SECRETS = [DEFAULT_PASSWORD, DEFAULT_SK, DEFAULT_TOKEN, "temp-secret-2", "temp-sts-token-2", "other-static-token"]
FIELDS = {"version_id", "version_name", "status", "create_time", "start_time", "end_time", "duration",
          "version_desc", "pool_id", "flavor_code", "npu_num", "gpu_num"}


@pytest.fixture(scope="module")
def emu(tmp_path_factory):
    log_file = str(tmp_path_factory.mktemp("emu") / "requests.jsonl")
    with Emulator(versions=40, seed=1, config={"projects": [{}, OTHER_PROJECT]}, log_file=log_file) as e:
        e.log_path = log_file
        yield e


@pytest.fixture(autouse=True)
def clean(emu):
    emu.clear_faults()
    emu.configure(offset_unit="records", token_ttl=86400)
    yield
    emu.clear_faults()


def vpath(project_id=DEFAULT_PROJECT_ID):
    return "/v1/%s/training-jobs/versions" % project_id


def get(emu, query="", token=DEFAULT_TOKEN, project_id=DEFAULT_PROJECT_ID, headers=None):
    hdrs = {"X-Auth-Token": token} if token else {}
    hdrs.update(headers or {})
    return emu.request("GET", vpath(project_id) + ("?" + query if query else ""), headers=hdrs)


def login(emu, scope=None, password=DEFAULT_PASSWORD, domain=DEFAULT_DOMAIN, query=""):
    body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": DEFAULT_USER, "password": password, "domain": {"name": domain}}}},
        "scope": {"project": scope or {"name": DEFAULT_PROJECT_NAME}}}}
    return emu.request("POST", "/v3/auth/tokens" + query, body=body)


def signed_headers(emu, path, pairs, ak=DEFAULT_AK, sk=DEFAULT_SK, security_token=None, date=None):
    """Build SDK-HMAC-SHA256 headers independently; return (url query string, headers)."""
    host = urlsplit(emu.url).netloc
    date = date or datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    headers = {"host": host, "x-sdk-date": date}
    if security_token:
        headers["x-security-token"] = security_token
    names = sorted(headers)
    canon_query = "&".join("%s=%s" % kv for kv in sorted((quote(k, safe="~"), quote(str(v), safe="~")) for k, v in pairs))
    uri = "/".join(quote(seg, safe="~") for seg in path.split("/"))
    if not uri.endswith("/"):
        uri += "/"
    canonical = "\n".join(["GET", uri, canon_query, "".join("%s:%s\n" % (n, headers[n].strip()) for n in names),
                           ";".join(names), hashlib.sha256(b"").hexdigest()])
    to_sign = "SDK-HMAC-SHA256\n%s\n%s" % (date, hashlib.sha256(canonical.encode("utf-8")).hexdigest())
    sig = hmac.new(sk.encode("utf-8"), to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    out = {"Host": host, "X-Sdk-Date": date,
           "Authorization": "SDK-HMAC-SHA256 Access=%s, SignedHeaders=%s, Signature=%s" % (ak, ";".join(names), sig)}
    if security_token:
        out["X-Security-Token"] = security_token
    return canon_query, out


def aksk_get(emu, pairs, project_id=DEFAULT_PROJECT_ID, mutate=None, **kw):
    query, headers = signed_headers(emu, vpath(project_id), pairs, **kw)
    if mutate:
        mutate(headers)
    return emu.request("GET", vpath(project_id) + ("?" + query if query else ""), headers=headers)


# ------------------------------------------------------------------ auth ----

def test_static_token_and_shape(emu):
    status, _h, body = get(emu)
    assert status == 200
    assert body["is_success"] is True and body["total_count"] == 40 and body["limit"] == 20 and body["offset"] == 0
    assert len(body["versions"]) == 20
    assert all(set(v) == FIELDS for v in body["versions"])
    assert set(v["status"] for v in emu.request("GET", vpath() + "?limit=0", {"X-Auth-Token": DEFAULT_TOKEN})[2]["versions"]) == set(range(22))


def test_iam_password_login(emu):
    status, headers, body = login(emu)
    assert status == 201
    token = headers["X-Subject-Token"]
    tok = body["token"]
    assert tok["project"]["id"] == DEFAULT_PROJECT_ID and tok["expires_at"].endswith("Z")
    modelarts = [c for c in tok["catalog"] if c["name"] == "modelarts"][0]
    assert modelarts["endpoints"][0]["url"] == emu.url and modelarts["endpoints"][0]["region"] == "eu-de"
    assert get(emu, token=token)[0] == 200
    status, _h, body = login(emu, scope={"id": DEFAULT_PROJECT_ID}, query="?nocatalog=true")
    assert status == 201 and "catalog" not in body["token"]
    status, _h, body = login(emu, password="wrong")
    assert status == 401 and body == {"error": {"code": 401, "message": "The username or password is wrong.", "title": "Unauthorized"}}
    assert login(emu, domain="other-domain")[0] == 401
    status, _h, body = emu.request("POST", "/v3/auth/tokens", body=b"{not json")
    assert status == 400 and body["error"]["code"] == 400


def test_aksk(emu):
    status, _h, body = aksk_get(emu, [("limit", "5"), ("sort_by", "job_name"), ("order", "asc")])
    assert status == 200 and len(body["versions"]) == 5
    status, _h, body = aksk_get(emu, [("limit", "5")], sk="wrong-secret")
    assert status == 401 and body["error_code"] == "APIGW.0301"
    assert aksk_get(emu, [], ak="UNKNOWNAK")[2]["error_code"] == "APIGW.0301"
    assert aksk_get(emu, [], date="20200101T000000Z")[2]["error_code"] == "APIGW.0301"

    def drop_date(h):
        del h["X-Sdk-Date"]
    assert aksk_get(emu, [], mutate=drop_date)[2]["error_code"] == "APIGW.0301"

    def garble(h):
        h["Authorization"] = "SDK-HMAC-SHA256 garbage"
    status, _h, body = aksk_get(emu, [], mutate=garble)
    assert status == 401 and body["error_code"] == "ModelArts.0206"
    other = OTHER_PROJECT["aksk"][0]
    pid = emu.state()["projects"][1]["project_id"]
    kw = {"ak": other["access_key"], "sk": other["secret_key"]}
    assert aksk_get(emu, [], project_id=pid, **kw)[2]["error_code"] == "APIGW.0301"  # security token missing
    assert aksk_get(emu, [], project_id=pid, security_token="temp-sts-token-2", **kw)[0] == 200


def test_token_errors(emu):
    assert get(emu, token=None)[2]["error_code"] == "ModelArts.0205"
    status, _h, body = get(emu, token="not-a-token")
    assert status == 401 and body["error_code"] == "ModelArts.0203"
    emu.configure(token_ttl=0.3)
    token = login(emu)[1]["X-Subject-Token"]
    assert get(emu, token=token)[0] == 200
    time.sleep(0.4)
    status, _h, body = get(emu, token=token)
    assert status == 401 and body["error_code"] == "ModelArts.0202"


def test_project_errors(emu):
    status, _h, body = get(emu, project_id="NOT-A-PROJECT")
    assert status == 400 and body["error_code"] == "ModelArts.0210"
    status, _h, body = get(emu, project_id="f" * 32)
    assert status == 404 and body["error_code"] == "ModelArts.0015"
    other = emu.state()["projects"][1]["project_id"]
    status, _h, body = get(emu, project_id=other)
    assert status == 403 and body["error_code"] == "ModelArts.0210"
    assert get(emu, project_id=other, token="other-static-token")[2]["total_count"] == 5
    status, _h, body = emu.request("GET", "/v2/nothing")
    assert status == 404 and body["error_code"] == "ModelArts.0015"


@pytest.mark.parametrize("query,status,code", [
    ("offset=-1", 400, "ModelArts.2764"), ("limit=abc", 400, "ModelArts.2764"), ("limit=1&limit=2", 400, "ModelArts.2764"),
    ("status=22", 400, "ModelArts.0107"), ("status=running", 400, "ModelArts.0107"),
    ("sort_by=name", 400, "ModelArts.2790"), ("order=up", 400, "ModelArts.2788"),
    ("workspace_id=nope", 400, "ModelArts.0102"), ("pool_id=nope", 404, "ModelArts.2890"),
])
def test_validation(emu, query, status, code):
    got_status, _h, body = get(emu, query)
    assert (got_status, body["is_success"], body["error_code"]) == (status, False, code)
    if code == "ModelArts.2764":
        assert query.split("=")[0] in body["error_message"]


# ------------------------------------------------------- paging, sorting ----

def test_limit_zero_and_filters(emu):
    body = get(emu, "limit=0&offset=7")[2]
    assert body["total_count"] == 40 and len(body["versions"]) == 40 and body["limit"] == 0
    running = get(emu, "limit=0&status=8")[2]
    assert running["total_count"] == len(running["versions"]) > 0 and all(v["status"] == 8 for v in running["versions"])
    pool = get(emu, "limit=0&pool_id=pool-gpu-a")[2]["versions"]
    assert pool and all(v["pool_id"] == "pool-gpu-a" for v in pool)
    assert get(emu, "workspace_id=ws-research")[2]["total_count"] == 0


@pytest.mark.parametrize("unit,offset,start", [("records", 3, 3), ("pages", 2, 20), ("pages1", 2, 10), ("pages1", 0, 0), ("pages1", 1, 0)])
def test_offset_units(emu, unit, offset, start):
    everything = get(emu, "limit=0")[2]["versions"]
    emu.configure(offset_unit=unit)
    limit = 10
    body = get(emu, "limit=%d&offset=%d" % (limit, offset))[2]
    assert body["offset"] == offset and body["total_count"] == 40
    assert [v["version_id"] for v in body["versions"]] == [v["version_id"] for v in everything[start:start + limit]]


@pytest.mark.parametrize("sort_by,field", [("create_time", "create_time"), ("job_desc", "version_desc"), ("status", "status"),
                                           ("duration", "duration"), ("job_name", "version_name")])
@pytest.mark.parametrize("order", ["asc", "desc"])
def test_sorting(emu, sort_by, field, order):
    versions = get(emu, "limit=0&sort_by=%s&order=%s" % (sort_by, order))[2]["versions"]
    keyed = [((v[field] or "") if field in ("version_desc", "version_name") else v[field], v["version_id"]) for v in versions]
    expect = sorted(keyed, key=lambda kv: kv[1])
    expect.sort(key=lambda kv: kv[0], reverse=order == "desc")
    assert keyed == expect


def test_default_order_is_create_time_desc(emu):
    times = [v["create_time"] for v in get(emu, "limit=0")[2]["versions"]]
    assert times == sorted(times, reverse=True) and len(set(times)) == 40


# ---------------------------------------------------------------- faults ----

def raw_get(emu, conn=None, query="limit=10", headers=None):
    parts = urlsplit(emu.url)
    conn = conn or http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    hdrs = {"X-Auth-Token": DEFAULT_TOKEN}
    hdrs.update(headers or {})
    conn.request("GET", vpath() + "?" + query, headers=hdrs)
    return conn, conn.getresponse()


def test_fault_status_and_retry_after(emu):
    emu.inject({"kind": "status", "status": 429, "retry_after": 2}, {"kind": "status", "status": 500})
    status, headers, body = get(emu)
    assert status == 429 and headers["Retry-After"] == "2" and body["is_success"] is False
    status, _h, body = get(emu)
    assert status == 500 and body["error_code"] == "ModelArts.0010"
    assert get(emu)[0] == 200


def test_fault_after_requests_and_times(emu):
    emu.inject({"kind": "status", "status": 503, "times": 2, "after_requests": 1})
    assert [get(emu)[0] for dummy in range(4)] == [200, 503, 503, 200]


def test_fault_html_is_success_false_malformed(emu):
    emu.inject({"kind": "html", "status": 502}, {"kind": "is_success_false"}, {"kind": "malformed_json"})
    status, headers, body = get(emu)
    assert status == 502 and headers["Content-Type"].startswith("text/html") and "<html>" in body
    status, _h, body = get(emu)
    assert status == 200 and body["is_success"] is False and body["error_code"] == "ModelArts.0010"
    status, _h, body = get(emu)
    assert status == 200 and body == '{"is_success": true, "versions": ['


def test_hostile_faults_echo_headers_endless_pages_deep_json(emu):
    emu.inject({"kind": "echo_headers"}, {"kind": "endless_pages", "times": 2}, {"kind": "deep_json"})
    status, _h, body = get(emu)
    assert status == 400 and body["error_code"] == DEFAULT_TOKEN and DEFAULT_TOKEN in body["error_message"]
    pages = [get(emu, "limit=3")[2] for dummy in range(2)]
    ids = [v["version_id"] for page in pages for v in page["versions"]]
    assert [page["total_count"] for page in pages] == [10 ** 12] * 2 and len(set(ids)) == 6
    conn, response = raw_get(emu)
    body = response.read()
    conn.close()
    assert response.status == 200 and body == b"[" * 100000 + b"]" * 100000


def test_fault_drop_and_truncated(emu):
    emu.inject({"kind": "drop"}, {"kind": "truncated"})
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        raw_get(emu)
    conn, resp = raw_get(emu)
    assert resp.status == 200
    with pytest.raises(http.client.IncompleteRead):
        resp.read()
    conn.close()
    assert get(emu)[0] == 200


def test_fault_short_page_slow_expire(emu):
    emu.inject({"kind": "short_page"}, {"kind": "slow", "delay": 0.4})
    body = get(emu, "limit=10")[2]
    assert body["total_count"] == 40 and len(body["versions"]) == 5
    started = time.time()
    assert get(emu)[0] == 200 and time.time() - started >= 0.4
    token = login(emu)[1]["X-Subject-Token"]
    assert get(emu, token=token)[0] == 200
    emu.inject({"kind": "expire_tokens"})
    status, _h, body = get(emu, token=token)
    assert status == 401 and body["error_code"] == "ModelArts.0202"
    assert get(emu)[0] == 200  # static tokens do not expire
    emu.inject({"kind": "status", "status": 503, "target": "iam"})
    assert login(emu)[0] == 503 and get(emu)[0] == 200 and login(emu)[0] == 201


def test_faults_logged(emu):
    emu.reset_log()
    emu.inject({"kind": "status", "status": 500})
    get(emu)
    get(emu)
    recs = emu.versions_requests()
    assert [(r["status"], r["fault"]) for r in recs] == [(500, "status"), (200, None)]


# ------------------------------------------------- keep-alive, control, log ----

def test_keep_alive_and_connection_close(emu):
    emu.reset_log()
    conn, resp = raw_get(emu)
    resp.read()
    conn, resp = raw_get(emu, conn=conn)
    resp.read()
    conn.close()
    assert len(emu.versions_requests()) == 2 and len(emu.connections()) == 1
    conn, resp = raw_get(emu, headers={"Connection": "close"})
    assert resp.getheader("Connection") == "close"
    resp.read()
    conn.close()
    assert len(emu.connections()) == 2


def test_control_versions_and_transitions(emu):
    try:
        emu.set_versions(add=[{"version_id": 1, "version_name": "manual-V0001", "status": 8, "start_time": 5,
                               "workspace_id": "ws-research"}])
        body = get(emu, "workspace_id=ws-research")[2]
        assert body["total_count"] == 1 and set(body["versions"][0]) == FIELDS
        emu.transitions([{"version_id": 1, "after_seconds": 0.2, "status": 10}])
        time.sleep(0.3)
        ver = get(emu, "workspace_id=ws-research")[2]["versions"][0]
        assert ver["status"] == 10 and ver["end_time"] > 0 and ver["duration"] == ver["end_time"] - 5
        emu.set_versions(remove=[1])
        assert get(emu, "workspace_id=ws-research")[2]["total_count"] == 0
        emu.set_versions(replace=3)
        assert get(emu)[2]["total_count"] == 3
    finally:
        emu.set_versions(replace=40)
    assert get(emu, "limit=0")[2]["total_count"] == 40


def test_log_has_no_secrets(emu):
    login(emu)
    aksk_get(emu, [("limit", "1")])
    get(emu)
    text = json.dumps(emu.log())
    with open(emu.log_path) as f:
        text += f.read()
    assert '"auth": "aksk"' in text and '"auth": "password"' in text
    for secret in SECRETS:
        assert secret not in text
    assert "Signature" not in text and "MIIE" not in text
    rec = emu.log()[-1]
    assert set(rec) == {"seq", "time", "method", "path", "query", "status", "connection", "auth", "project_id", "fault"}


def test_large_and_clean_exit(tmp_path):
    pid_file = str(tmp_path / "emu.pid")
    emu = Emulator(versions=50000, extra_args=("--pid-file", pid_file)).start()
    try:
        assert int(open(pid_file).read()) == emu.process.pid
        # How fast is for benchmarks/run.py to measure; a test asserts no wall-clock time.
        body = get(emu, "limit=0")[2]
        assert body["total_count"] == 50000 == len(body["versions"])
    finally:
        assert emu.stop() == 0
    assert not os.path.exists(pid_file)


def test_tls(tmp_path):
    cert, key = str(tmp_path / "cert.pem"), str(tmp_path / "key.pem")
    try:
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1",
                        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=30)
    except (OSError, subprocess.SubprocessError):
        pytest.skip("openssl is not available to make a test certificate")
    with Emulator(tls_cert=cert, tls_key=key) as emu:
        assert emu.url.startswith("https://127.0.0.1:")
        ctx = ssl.create_default_context(cafile=cert)
        parts = urlsplit(emu.url)
        conn = http.client.HTTPSConnection(parts.hostname, parts.port, context=ctx, timeout=10)
        conn.request("GET", vpath() + "?limit=1", headers={"X-Auth-Token": DEFAULT_TOKEN})
        resp = conn.getresponse()
        assert resp.status == 200 and json.loads(resp.read())["total_count"] == 40
        conn.close()
        assert emu.state()["base_url"] == emu.url


# --------------------------------------------------------------- latency ----

def test_latency_delays_every_answer_and_parallel_requests_overlap():
    latency = 0.3
    with Emulator(latency=latency) as emu:
        started = time.monotonic()
        assert login(emu)[0] == 201
        assert time.monotonic() - started >= latency
        started = time.monotonic()
        assert get(emu, "limit=1")[0] == 200
        assert time.monotonic() - started >= latency
        results = []
        threads = [threading.Thread(target=lambda: results.append(get(emu, "limit=1")[0])) for _thread in range(4)]
        emu.reset_log()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert results == [200] * 4
        # A record's time is when its request arrived, before the delay: a server answering one request at a time
        # would take the fourth in only after three delays. Four connections in flight at once arrive together.
        arrivals = sorted(record["time"] for record in emu.versions_requests())
        assert len(arrivals) == 4 and arrivals[-1] - arrivals[0] < 3 * latency
        assert emu.configure(latency=0)["latency"] == 0
        assert emu.request("POST", "/_emulator/config", body={"latency": -1})[0] == 400
    with Emulator(config={"latency": 0.25}) as emu:
        assert emu.state()["latency"] == 0.25
