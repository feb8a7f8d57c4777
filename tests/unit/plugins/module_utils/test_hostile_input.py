# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Hostile servers and hostile input at the shared layer: endless paging, echoed secrets, path and header injection."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.mlops.modelarts.plugins.module_utils import _versions
from ansible_collections.mlops.modelarts.plugins.module_utils._auth import ConnectionSettings
from ansible_collections.mlops.modelarts.plugins.module_utils._errors import ModelArtsError, OptionError, register_secrets
from ansible_collections.mlops.modelarts.plugins.module_utils._query_client import QueryClient
from ansible_collections.mlops.modelarts.plugins.module_utils._versions import Query, list_versions, versions_path

PROJECT_ID = '0a1b2c3d4e5f60718293a4b5c6d7e8f9'
TOKEN = 'static-token-SECRET-0123456789'


class EndlessApi(QueryClient):
    """A server promising `total` versions and sending never-seen ones on every request (`per_page` after the first)."""

    project_id = PROJECT_ID

    def __init__(self, total=10 ** 12, per_page=None):
        QueryClient.__init__(self)
        self.total = total
        self.per_page = per_page
        self.requests = 0
        self.next_id = 1

    def get(self, path, query_pairs, decode=None):
        self.requests += 1
        count = int(dict(query_pairs)['limit'])
        if self.per_page and self.requests > 1:
            count = self.per_page
        versions = [dict(version_id=self.next_id + index, status=10) for index in range(count)]
        self.next_id += count
        answer = dict(total_count=self.total, versions=versions)
        return decode(answer) if decode is not None else answer


class Clock(object):
    """A monotonic clock that moves one second per reading."""

    def __init__(self):
        self.now = 0.0

    def __call__(self):
        self.now += 1.0
        return self.now


def test_a_server_sending_fresh_pages_for_ever_stops_at_paging_timeout(monkeypatch):
    api = EndlessApi()
    monkeypatch.setattr(_versions.time, 'monotonic', Clock())
    with pytest.raises(ModelArtsError) as caught:
        list_versions(api, Query(dict(training_api='v1', page_size=100, offset_unit='records', paging_timeout=50)))
    assert 'paging_timeout (50 seconds' in str(caught.value) and api.requests < 50


def test_a_server_sending_fresh_pages_for_ever_stops_at_the_versions_ceiling(monkeypatch):
    api = EndlessApi()
    monkeypatch.setattr(_versions, 'MAX_VERSIONS_RECEIVED', 1000)
    with pytest.raises(ModelArtsError) as caught:
        list_versions(api, Query(dict(training_api='v1', page_size=100, offset_unit='records')))
    assert 'more than 1000 versions received' in str(caught.value) and api.requests == 11


def test_pages_beyond_what_the_first_page_promised_are_not_asked():
    # total_count 1000 at 100 a page needs 10 pages; a server sending 1 version a page after the first is asked for
    # 2 * 10 + 2 pages (each asked twice, as a short page is), not 900 times.
    api = EndlessApi(total=1000, per_page=1)
    listing = list_versions(api, Query(dict(training_api='v1', page_size=100, offset_unit='records')))
    assert listing.complete is False and any('paging stopped after 22 pages' in warning for warning in listing.warnings)
    assert api.requests <= 2 * 22 + 2


def test_a_total_count_beyond_any_float_is_paged_and_shown_without_overflow():
    # 10**400 is no float: the pages it promises are counted in integers, and the warning gives its size, not its
    # 400 digits. The server sends 2 pages of versions, then empty pages: the listing is short, never an OverflowError.
    class ShortApi(EndlessApi):
        def get(self, path, query_pairs):
            answer = EndlessApi.get(self, path, query_pairs)
            if self.requests > 2:
                answer['versions'] = []
            return answer

    api = ShortApi(total=10 ** 400)
    listing = list_versions(api, Query(dict(training_api='v1', page_size=100, offset_unit='records')))
    assert [version['version_id'] for version in listing.versions] == list(range(1, 201))
    assert listing.complete is False
    assert all(len(warning) < 300 for warning in listing.warnings), listing.warnings
    assert any('about 401 digits' in warning for warning in listing.warnings), listing.warnings


def test_paging_timeout_must_be_positive():
    with pytest.raises(OptionError, match='paging_timeout'):
        Query(dict(training_api='v1', paging_timeout=0))


@pytest.mark.parametrize('project_id', ['../../../../admin/keys?x=#', 'a/b', 'a b', 'a%2Fb', 'ä'])
def test_a_project_id_that_is_not_a_path_segment_is_refused_naming_the_option(project_id):
    with pytest.raises(OptionError) as caught:
        ConnectionSettings(dict(endpoint='https://modelarts.example', token=TOKEN, project_id=project_id))
    assert str(caught.value).startswith('project_id must be letters, digits, - and _ only')


def test_a_project_id_iam_answered_is_checked_before_it_goes_into_a_url():
    with pytest.raises(ModelArtsError, match='not letters, digits'):
        versions_path('../admin')
    assert versions_path('0a1b-c_D') == '/v1/0a1b-c_D/training-jobs/versions'


@pytest.mark.parametrize('name', ['token', 'access_key', 'security_token'])
@pytest.mark.parametrize('value', ['abc\u2603def', 'abc\ndef', 'abc\r\nX-Injected: 1', 'abc\x00def', ' abc'])
def test_a_header_secret_http_cannot_carry_is_refused_without_quoting_it(name, value):
    params = dict(endpoint='https://modelarts.example', project_id=PROJECT_ID, token=TOKEN)
    if name != 'token':
        params = dict(params, token=None, access_key='AK12345678', secret_key='SK12345678')
    params[name] = value
    with pytest.raises(OptionError) as caught:
        ConnectionSettings(params)
    message = str(caught.value)
    assert message.startswith('%s contains' % name) and 'abc' not in message and '\u2603' not in message


def test_register_secrets_skips_empty_values_and_a_missing_set():
    values = set()
    register_secrets(values, ['', None, 'issued-token'])
    register_secrets(None, ['ignored'])
    assert values == {'issued-token'}
