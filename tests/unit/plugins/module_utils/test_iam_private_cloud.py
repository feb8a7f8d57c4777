# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""End to end against the emulator playing a private cloud's IAM: catalog endpoints, login errors, domain_id."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import hashlib
import os
import socket
import sys

import pytest

from ansible_collections.mlops.modelarts.plugins.module_utils._auth import ConnectionSettings
from ansible_collections.mlops.modelarts.plugins.module_utils._client import ApiClient
from ansible_collections.mlops.modelarts.plugins.module_utils._errors import ModelArtsError
from ansible_collections.mlops.modelarts.plugins.module_utils._versions import VERSIONS_PATH

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..', '..'))
if REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)

from tests.emulator.harness import (  # noqa: E402  (the repo root must be on sys.path first)
    DEFAULT_DOMAIN, DEFAULT_PASSWORD, DEFAULT_PROJECT_ID, DEFAULT_PROJECT_NAME, DEFAULT_USER, Emulator,
)


@pytest.fixture(scope='module')
def running_emulator():
    with Emulator(versions=5) as emulator:
        yield emulator


@pytest.fixture
def emulator(running_emulator):
    running_emulator.configure(catalog_path='', catalog_region=None)
    running_emulator.reset_log()
    return running_emulator


def private_cloud_client(emulator, **options):
    """A password login at the emulator's IAM (on loopback) for the region eu-de, no endpoint given."""
    params = dict(region='eu-de', auth_url=emulator.auth_url, username=DEFAULT_USER, password=DEFAULT_PASSWORD,
                  domain_name=DEFAULT_DOMAIN, project_name=DEFAULT_PROJECT_NAME, retries=0)
    params.update(options)
    return ApiClient(ConnectionSettings(params), sleep=lambda seconds: None)


def list_versions(client):
    return client.get(VERSIONS_PATH % client.project_id, [('limit', '0')])


def test_a_private_iam_for_a_known_region_sends_the_token_to_its_catalog_endpoint(emulator):
    client = private_cloud_client(emulator)
    assert list_versions(client)['total_count'] == 5
    assert client.endpoint == emulator.url  # not https://modelarts.eu-de.otc.t-systems.com
    assert [r['path'] for r in emulator.versions_requests()] == ['/v1/%s/training-jobs/versions' % DEFAULT_PROJECT_ID]


def test_a_catalog_url_ending_in_v1_project_id_is_not_repeated(emulator):
    emulator.configure(catalog_path='/ma/v1/$(project_id)s')
    client = private_cloud_client(emulator)
    assert list_versions(client)['total_count'] == 5
    assert client.endpoint == emulator.url + '/ma'
    assert len(emulator.versions_requests()) == 1


def test_a_region_only_the_catalog_knows_works(emulator):
    emulator.configure(catalog_region='private-1')
    assert list_versions(private_cloud_client(emulator, region='private-1'))['total_count'] == 5


def test_a_catalog_without_the_region_fails_naming_the_iam_and_sends_no_token(emulator):
    emulator.configure(catalog_region='private-1')
    with pytest.raises(ModelArtsError) as caught:
        list_versions(private_cloud_client(emulator))
    assert str(caught.value).startswith("the IAM at %s listed no public modelarts endpoint for region 'eu-de'"
                                        % emulator.url.split('://', 1)[1])
    assert emulator.versions_requests() == []


def test_a_wrong_password_says_what_to_check_not_that_a_token_expired(emulator):
    with pytest.raises(ModelArtsError) as caught:
        list_versions(private_cloud_client(emulator, password='not-the-password'))
    message = str(caught.value)
    assert message.startswith('POST /v3/auth/tokens failed: HTTP 401')
    assert 'the IAM login was refused: check username, password, domain_name or domain_id' in message
    assert 'expired' not in message and 'not-the-password' not in message


def test_domain_id_logs_in(emulator):
    domain_id = hashlib.md5(('domain:' + DEFAULT_DOMAIN).encode('utf-8')).hexdigest()
    client = private_cloud_client(emulator, domain_name=None, domain_id=domain_id)
    assert list_versions(client)['total_count'] == 5


def test_a_refused_connection_names_the_host():
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        port = probe.getsockname()[1]
    settings = ConnectionSettings(dict(endpoint='http://127.0.0.1:%d' % port, token='t', project_id=DEFAULT_PROJECT_ID,
                                       retries=0))
    with pytest.raises(ModelArtsError) as caught:
        ApiClient(settings, sleep=lambda seconds: None).get(VERSIONS_PATH % DEFAULT_PROJECT_ID, [])
    assert 'connection failed to 127.0.0.1:%d: ' % port in str(caught.value)
