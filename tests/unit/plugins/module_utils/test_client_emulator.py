# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""ApiClient against the ModelArts + IAM emulator: signatures it accepts, IAM logins and token renewal."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import sys

import pytest

from ansible_collections.mlops.modelarts.plugins.module_utils._auth import ConnectionSettings
from ansible_collections.mlops.modelarts.plugins.module_utils._client import ApiClient
from ansible_collections.mlops.modelarts.plugins.module_utils._errors import ModelArtsError
from ansible_collections.mlops.modelarts.plugins.module_utils._versions import VERSIONS_PATH, _PageDecoder

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..', '..'))
if REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)

from tests.emulator.harness import (  # noqa: E402  (the repo root must be on sys.path first)
    DEFAULT_AK, DEFAULT_DOMAIN, DEFAULT_PASSWORD, DEFAULT_PROJECT_ID, DEFAULT_PROJECT_NAME, DEFAULT_SK, DEFAULT_USER,
    Emulator,
)

TEMPORARY_AK = 'TEMPORARYACCESSKEY01'
TEMPORARY_SK = 'temporary-secret-key'
SECURITY_TOKEN = 'temporary-security-token-0001'
CONFIG = {'projects': [{'versions': 12}, {'versions': 3, 'aksk': [
    {'access_key': TEMPORARY_AK, 'secret_key': TEMPORARY_SK, 'security_token': SECURITY_TOKEN}]}]}


@pytest.fixture(scope='module')
def running_emulator():
    with Emulator(config=CONFIG) as emulator:
        yield emulator


@pytest.fixture
def emulator(running_emulator):
    running_emulator.clear_faults()
    running_emulator.reset_log()
    return running_emulator


class Sleeps(list):
    def __call__(self, seconds):
        self.append(seconds)


def password_client(emulator, sleeps=None):
    settings = ConnectionSettings(dict(endpoint=emulator.url, auth_url=emulator.auth_url, username=DEFAULT_USER,
                                       password=DEFAULT_PASSWORD, domain_name=DEFAULT_DOMAIN,
                                       project_name=DEFAULT_PROJECT_NAME))
    return ApiClient(settings, sleep=sleeps if sleeps is not None else Sleeps())


def list_all(client):
    return list_all_with(client, [('limit', '0')])


def list_all_with(client, pairs):
    return client.get(VERSIONS_PATH % client.project_id, pairs)


def test_aksk_signature_is_accepted(emulator):
    settings = ConnectionSettings(dict(endpoint=emulator.url, access_key=DEFAULT_AK, secret_key=DEFAULT_SK,
                                       project_id=DEFAULT_PROJECT_ID))
    assert list_all(ApiClient(settings, sleep=Sleeps()))['total_count'] == 12


def test_aksk_signature_with_a_security_token_is_accepted(emulator):
    project_id = emulator.state()['projects'][1]['project_id']
    settings = ConnectionSettings(dict(endpoint=emulator.url, access_key=TEMPORARY_AK, secret_key=TEMPORARY_SK,
                                       security_token=SECURITY_TOKEN, project_id=project_id))
    assert list_all(ApiClient(settings, sleep=Sleeps()))['total_count'] == 3


def test_aksk_signature_covers_an_unusual_query(emulator):
    settings = ConnectionSettings(dict(endpoint=emulator.url, access_key=DEFAULT_AK, secret_key=DEFAULT_SK,
                                       project_id=DEFAULT_PROJECT_ID))
    pairs = [('limit', '0'), ('ignored', u'a b/~\u00fc&=')]  # unknown parameters are ignored, but signed
    assert list_all_with(ApiClient(settings, sleep=Sleeps()), pairs)['total_count'] == 12


def test_wrong_secret_key_fails_with_the_gateway_code(emulator):
    settings = ConnectionSettings(dict(endpoint=emulator.url, access_key=DEFAULT_AK, secret_key='not-the-secret-key',
                                       project_id=DEFAULT_PROJECT_ID))
    with pytest.raises(ModelArtsError) as caught:
        list_all(ApiClient(settings, sleep=Sleeps()))
    assert (caught.value.status, caught.value.error_code) == (401, 'APIGW.0301')
    assert 'not-the-secret-key' not in str(caught.value)


def test_password_login_resolves_the_project_id_from_its_name(emulator):
    client = password_client(emulator)
    assert client.project_id == DEFAULT_PROJECT_ID
    assert list_all(client)['total_count'] == 12
    assert len(emulator.iam_requests()) == 1


def test_expired_token_is_renewed_once(emulator):
    client = password_client(emulator)
    list_all(client)
    emulator.inject({'kind': 'expire_tokens'})
    assert list_all(client)['total_count'] == 12
    assert len(emulator.iam_requests()) == 2


def test_token_expiring_again_after_renewal_fails_without_secrets(emulator):
    client = password_client(emulator)
    emulator.inject({'kind': 'expire_tokens', 'times': 2})
    with pytest.raises(ModelArtsError) as caught:
        list_all(client)
    assert (caught.value.status, caught.value.error_code) == (401, 'ModelArts.0202')
    assert len(emulator.iam_requests()) == 2
    assert DEFAULT_PASSWORD not in str(caught.value)


def test_wrong_password_fails_with_the_iam_message(emulator):
    settings = ConnectionSettings(dict(endpoint=emulator.url, auth_url=emulator.auth_url, username=DEFAULT_USER,
                                       password='wrong-password-123', domain_name=DEFAULT_DOMAIN,
                                       project_name=DEFAULT_PROJECT_NAME))
    with pytest.raises(ModelArtsError) as caught:
        list_all(ApiClient(settings, sleep=Sleeps()))
    message = str(caught.value)
    assert caught.value.status == 401
    assert message.startswith('POST /v3/auth/tokens failed: HTTP 401')
    assert 'The username or password is wrong.' in message
    assert 'wrong-password-123' not in message


def test_iam_outage_is_retried(emulator):
    sleeps = Sleeps()
    emulator.inject({'kind': 'status', 'status': 503, 'target': 'iam'})
    assert list_all(password_client(emulator, sleeps))['total_count'] == 12
    assert len(emulator.iam_requests()) == 2
    assert len(sleeps) == 1


def test_throttling_garbled_and_cut_answers_are_retried_until_a_whole_one(emulator):
    sleeps = Sleeps()
    emulator.inject({'kind': 'status', 'status': 429, 'retry_after': 2}, {'kind': 'malformed_json'},
                    {'kind': 'truncated'})
    settings = ConnectionSettings(dict(endpoint=emulator.url, token='demo-static-token', project_id=DEFAULT_PROJECT_ID))
    assert list_all(ApiClient(settings, sleep=sleeps))['total_count'] == 12
    assert sleeps[0] == 2.0
    assert len(emulator.versions_requests()) == 4


def test_answers_parsed_as_they_arrive_are_retried_until_a_whole_one(emulator):
    # A summary-only query parses each answer as it arrives: a body cut after half its bytes (Content-Length
    # promised more), garbled JSON and JSON nested too deep are transport faults there too.
    sleeps = Sleeps()
    emulator.inject({'kind': 'truncated'}, {'kind': 'malformed_json'}, {'kind': 'deep_json'}, {'kind': 'drop'})
    settings = ConnectionSettings(dict(endpoint=emulator.url, token='demo-static-token', project_id=DEFAULT_PROJECT_ID))
    path = VERSIONS_PATH % DEFAULT_PROJECT_ID
    versions, total = ApiClient(settings, sleep=sleeps).get(
        path, [('limit', '0')], decode=_PageDecoder(path, lambda version: version['version_id'], streamed=True))
    whole = list_all(ApiClient(settings, sleep=sleeps))
    assert (versions, total) == ([version['version_id'] for version in whole['versions']], 12)
    assert len(sleeps) == 4 and len(emulator.versions_requests()) == 6
