# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Self-check of the emulator's account: GET /v3/auth/projects, domain-scoped tokens, disabled projects."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import hashlib

import pytest

from .harness import (ACCOUNT_PROJECTS, DEFAULT_AK, DEFAULT_DOMAIN, DEFAULT_PASSWORD, DEFAULT_PROJECT_ID, DEFAULT_SK,
                      DEFAULT_TOKEN, DEFAULT_USER, DISABLED_PROJECT, Emulator, account_config)
from .test_emulator_selfcheck import signed_headers

PROJECTS = "/v3/auth/projects"
ENABLED = sorted(name for name, dummy, dummy in ACCOUNT_PROJECTS)


@pytest.fixture(scope="module")
def emu():
    with Emulator(config=account_config(extra_projects=[{"project_name": "eu-de_nomodelarts", "modelarts": False}])) as e:
        yield e


def project_id(name):
    return DEFAULT_PROJECT_ID if name == "eu-de" else hashlib.md5(("project:" + name).encode()).hexdigest()


def login(emu, scope):
    body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": DEFAULT_USER, "password": DEFAULT_PASSWORD, "domain": {"name": DEFAULT_DOMAIN}}}}, "scope": scope}}
    return emu.request("POST", "/v3/auth/tokens", body=body)


def listed(body):
    return sorted((p["name"], p["enabled"]) for p in body["projects"])


def versions_status(emu, name, headers):
    status, dummy, body = emu.request("GET", "/v1/%s/training-jobs/versions" % project_id(name), headers=headers)
    return status, body


def test_domain_scoped_token_lists_the_users_projects_disabled_ones_marked(emu):
    status, headers, body = login(emu, {"domain": {"name": DEFAULT_DOMAIN}})
    assert status == 201 and "project" not in body["token"] and body["token"]["domain"]["name"] == DEFAULT_DOMAIN
    emu.reset_log()
    status, dummy, body = emu.request("GET", PROJECTS, headers={"X-Auth-Token": headers["X-Subject-Token"]})
    assert status == 200
    expected = [(name, True) for name in ENABLED + ["eu-de_nomodelarts"]] + [(DISABLED_PROJECT, False)]
    assert listed(body) == sorted(expected)
    assert [r["auth"] for r in emu.project_list_requests()] == ["token"]


def test_domain_scoped_token_is_refused_by_modelarts(emu):
    dummy, headers, dummy = login(emu, {"domain": {"name": DEFAULT_DOMAIN}})
    status, body = versions_status(emu, "eu-de", {"X-Auth-Token": headers["X-Subject-Token"]})
    assert status == 403 and body["error_code"] == "ModelArts.0108"


def test_a_project_token_lists_the_projects_of_its_user(emu):
    dummy, headers, dummy = login(emu, {"project": {"name": "eu-nl"}})
    status, dummy, body = emu.request("GET", PROJECTS, headers={"X-Auth-Token": headers["X-Subject-Token"]})
    assert status == 200 and "eu-de_elsewhere" not in [p["name"] for p in body["projects"]]
    status, dummy, body = emu.request("GET", PROJECTS, headers={"X-Auth-Token": DEFAULT_TOKEN})
    assert status == 200 and (DISABLED_PROJECT, False) in listed(body)


def test_signed_listing_and_an_account_wide_access_key(emu):
    dummy, headers = signed_headers(emu, PROJECTS, [])
    status, dummy, body = emu.request("GET", PROJECTS, headers=headers)
    assert status == 200 and ("cn-north-4_nlp", True) in listed(body)
    path = "/v1/%s/training-jobs/versions" % project_id("cn-north-4_nlp")
    dummy, headers = signed_headers(emu, path, [], ak=DEFAULT_AK, sk=DEFAULT_SK)
    status, dummy, body = emu.request("GET", path, headers=headers)
    assert status == 200 and body["total_count"] == 30


def test_a_bad_signature_on_iam_answers_401(emu):
    dummy, headers = signed_headers(emu, PROJECTS, [], sk="wrong")
    status, dummy, body = emu.request("GET", PROJECTS, headers=headers)
    assert status == 401 and DEFAULT_SK not in str(body)


def test_disabled_project_refuses_logins_and_modelarts(emu):
    status, dummy, dummy = login(emu, {"project": {"name": DISABLED_PROJECT}})
    assert status == 401
    dummy, headers = signed_headers(emu, "/v1/%s/training-jobs/versions" % project_id(DISABLED_PROJECT), [])
    status, body = versions_status(emu, DISABLED_PROJECT, headers)
    assert status == 403 and body["error_code"] == "ModelArts.0108"


def test_project_without_modelarts_answers_403(emu):
    dummy, headers, dummy = login(emu, {"project": {"name": "eu-de_nomodelarts"}})
    status, body = versions_status(emu, "eu-de_nomodelarts", {"X-Auth-Token": headers["X-Subject-Token"]})
    assert status == 403 and body["error_code"] == "ModelArts.2785"


def test_keystone_like_iam_refuses_a_domain_token_to_a_user_without_a_domain_role_but_not_an_unscoped_one():
    with Emulator(config=account_config(domain_role_users=["someone-else"])) as keystone:
        status, dummy, body = login(keystone, {"domain": {"name": DEFAULT_DOMAIN}})
        assert status == 401 and body["error"]["message"] == "The request you have made requires authentication."
        body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
            "name": DEFAULT_USER, "password": DEFAULT_PASSWORD, "domain": {"name": DEFAULT_DOMAIN}}}}}}
        status, headers, answer = keystone.request("POST", "/v3/auth/tokens", body=body)
        assert status == 201 and "project" not in answer["token"] and "domain" not in answer["token"]
        token = {"X-Auth-Token": headers["X-Subject-Token"]}
        status, dummy, listing = keystone.request("GET", PROJECTS, headers=token)
        assert status == 200 and ("eu-nl_research", True) in listed(listing)
        assert "eu-de_elsewhere" not in [p["name"] for p in listing["projects"]]
        assert [r["scope"] for r in keystone.iam_requests()] == ["domain", "unscoped"]
        status, answer = versions_status(keystone, "eu-de", token)
        assert status == 403 and answer["error_code"] == "ModelArts.0108"
        status, dummy, dummy = login(keystone, {"project": {"name": "eu-nl"}})
        assert status == 201
