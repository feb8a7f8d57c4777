# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Paging through list_versions against an in-memory API under each meaning of `offset`."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest
from hypothesis import given, settings, strategies

from ansible_collections.mlops.modelarts.plugins.module_utils._query_client import QueryClient
from ansible_collections.mlops.modelarts.plugins.module_utils._versions import Query, list_versions

PROJECT_ID = '0a1b2c3d4e5f60718293a4b5c6d7e8f9'
EPOCH_MS = 1767225600000
STATUS_CYCLE = (8, 10, 11, 7, 8, 10)
SORT_FIELDS = {'create_time': 'create_time', 'job_desc': 'version_desc', 'status': 'status', 'duration': 'duration',
               'job_name': 'version_name'}
API_UNITS = ('records', 'pages', 'pages1')
OPTION_FOR_API_UNIT = {'records': 'records', 'pages': 'pages', 'pages1': 'pages_one_based'}


def make_version(version_id, status=None):
    return dict(
        version_id=version_id,
        version_name='job%d-V%04d' % (version_id % 3, version_id),
        status=STATUS_CYCLE[version_id % len(STATUS_CYCLE)] if status is None else status,
        create_time=EPOCH_MS - 86400000 + version_id * 60000,
        duration=(version_id * 7919) % 100000,
        version_desc=None if version_id % 4 == 0 else 'run %d' % (version_id % 5),
        pool_id='pool-gpu-a', flavor_code='modelarts.p1.2xlarge', gpu_num=1, npu_num=0,
    )


def make_versions(count):
    return [make_version(version_id) for version_id in range(1, count + 1)]


class FakeApi(QueryClient):
    """Answers get(path, query_pairs) as GET /v1/{project_id}/training-jobs/versions would, with one offset unit.

    `short_requests` holds request numbers (0-based) whose versions are cut to half; `before_request` maps a
    request number to a function called with the API before that request is answered (to change the data).
    """

    project_id = PROJECT_ID

    def __init__(self, versions, offset_unit='records', total_bias=0):
        QueryClient.__init__(self)
        self.versions = [dict(version) for version in versions]
        self.offset_unit = offset_unit
        self.total_bias = total_bias
        self.requests = []
        self.short_requests = set()
        self.before_request = {}

    def get(self, path, query_pairs, decode=None):
        assert path == '/v1/%s/training-jobs/versions' % PROJECT_ID
        keys = [key for key, dummy in query_pairs]
        assert len(keys) == len(set(keys)), 'a parameter was sent twice: %r' % (query_pairs,)
        params = dict(query_pairs)
        number = len(self.requests)
        self.requests.append(params)
        if number in self.before_request:
            self.before_request[number](self)
        matching = self.matching(params)
        limit = int(params.get('limit', 20))
        offset = int(params.get('offset', 0))
        if limit == 0:
            page = matching
        elif self.offset_unit == 'records':
            page = matching[offset:offset + limit]
        elif self.offset_unit == 'pages':
            page = matching[offset * limit:(offset + 1) * limit]
        else:
            index = max(offset, 1) - 1
            page = matching[index * limit:(index + 1) * limit]
        if number in self.short_requests:
            page = page[:len(page) // 2]
        answer = {'is_success': True, 'total_count': len(matching) + self.total_bias,
                  'versions': [dict(version) for version in page]}
        return decode(answer) if decode is not None else answer

    def matching(self, params):
        """Give back the versions the API would list for these parameters, in the API's order."""
        selected = [v for v in self.versions if 'status' not in params or v['status'] == int(params['status'])]
        field = SORT_FIELDS[params.get('sort_by', 'create_time')]
        selected.sort(key=lambda v: v['version_id'])
        empty = '' if field in ('version_desc', 'version_name') else 0
        selected.sort(key=lambda v: v.get(field) or empty, reverse=params.get('order', 'desc') == 'desc')
        return selected

    def offsets_sent(self):
        return [params.get('offset') for params in self.requests]


def ids(versions):
    return [version['version_id'] for version in versions]


def newest_first(count):
    return list(range(count, 0, -1))


# -- every page, each version once, in order

@pytest.mark.parametrize('api_unit', API_UNITS)
@pytest.mark.parametrize('detect', [True, False], ids=['auto', 'explicit'])
def test_every_offset_unit_gives_every_version_once_in_order(api_unit, detect):
    api = FakeApi(make_versions(23), offset_unit=api_unit)
    offset_unit = 'auto' if detect else OPTION_FOR_API_UNIT[api_unit]
    listing = list_versions(api, Query(dict(training_api='v1', page_size=5, offset_unit=offset_unit)))
    assert ids(listing.versions) == newest_first(23)
    assert listing.total_count == 23
    assert listing.complete is True
    assert listing.warnings == []


@settings(max_examples=120, deadline=None)
@given(count=strategies.integers(0, 40), page_size=strategies.integers(1, 12),
       api_unit=strategies.sampled_from(API_UNITS), detect=strategies.booleans(),
       offset=strategies.integers(0, 45), limit=strategies.integers(0, 45))
def test_paging_gives_the_same_versions_as_one_request_for_any_sizes(count, page_size, api_unit, detect, offset, limit):
    api = FakeApi(make_versions(count), offset_unit=api_unit)
    offset_unit = 'auto' if detect else OPTION_FOR_API_UNIT[api_unit]
    listing = list_versions(api, Query(dict(training_api='v1', page_size=page_size, offset_unit=offset_unit, offset=offset, limit=limit)))
    expected = newest_first(count)[offset:offset + limit if limit else None]
    assert ids(listing.versions) == expected
    assert listing.complete is True
    assert listing.warnings == []


@pytest.mark.parametrize('api_unit, reported', [('records', 'records'), ('pages', 'pages'), ('pages1', 'pages_one_based')])
def test_auto_detection_says_which_offset_unit_it_found(api_unit, reported):
    api = FakeApi(make_versions(12), offset_unit=api_unit)
    listing = list_versions(api, Query(dict(training_api='v1', page_size=5)))
    assert listing.offset_unit_used == reported


def test_auto_detection_asks_for_offset_one_after_the_first_page():
    api = FakeApi(make_versions(12), offset_unit='records')
    list_versions(api, Query(dict(training_api='v1', page_size=5)))
    assert api.offsets_sent()[:2] == [None, '1']


@pytest.mark.parametrize('api_unit, offsets', [
    ('records', [None, '5', '10']),
    ('pages', [None, '1', '2']),
    ('pages1', [None, '2', '3']),
])
def test_explicit_offset_unit_sends_no_probe(api_unit, offsets):
    api = FakeApi(make_versions(12), offset_unit=api_unit)
    listing = list_versions(api, Query(dict(training_api='v1', page_size=5, offset_unit=OPTION_FOR_API_UNIT[api_unit])))
    assert api.offsets_sent() == offsets
    assert listing.offset_unit_used == OPTION_FOR_API_UNIT[api_unit]


def test_every_page_asks_for_page_size_versions():
    api = FakeApi(make_versions(12))
    list_versions(api, Query(dict(training_api='v1', page_size=5, offset_unit='records')))
    assert set(params['limit'] for params in api.requests) == {'5'}


def test_one_page_needs_no_offset_unit():
    api = FakeApi(make_versions(3))
    listing = list_versions(api, Query(dict(training_api='v1', page_size=5)))
    assert len(api.requests) == 1
    assert ids(listing.versions) == [3, 2, 1]
    assert listing.offset_unit_used == 'not needed (one page)'


def test_page_size_zero_asks_once_for_everything():
    api = FakeApi(make_versions(30))
    listing = list_versions(api, Query({'training_api': 'v1'}))
    assert api.requests == [dict(sort_by='create_time', order='desc', workspace_id='0', limit='0')]
    assert ids(listing.versions) == newest_first(30)


def test_no_versions_is_an_empty_complete_answer():
    listing = list_versions(FakeApi([]), Query(dict(training_api='v1', page_size=5)))
    assert listing.versions == []
    assert listing.total_count == 0
    assert listing.complete is True


def test_query_options_are_sent_to_the_api():
    api = FakeApi(make_versions(3))
    list_versions(api, Query(dict(training_api='v1', status=['running'], pool_id='pool-gpu-a', workspace_id='ws-research',
                                  sort_by='duration', order='asc')))
    assert api.requests == [dict(sort_by='duration', order='asc', workspace_id='ws-research', pool_id='pool-gpu-a',
                                 status='8', limit='0')]


# -- several statuses, names, offset and limit

def _api_order(api, statuses, sort_by='create_time', order='desc'):
    everything = api.matching(dict(sort_by=sort_by, order=order))
    return [v['version_id'] for v in everything if v['status'] in statuses]


def test_several_statuses_are_asked_one_request_each():
    api = FakeApi(make_versions(30))
    list_versions(api, Query(dict(training_api='v1', status=['running', 'completed'])))
    assert [params['status'] for params in api.requests] == ['8', '10']


@pytest.mark.parametrize('sort_by', sorted(SORT_FIELDS))
@pytest.mark.parametrize('order', ['asc', 'desc'])
def test_several_statuses_are_merged_and_sorted_like_the_api(sort_by, order):
    api = FakeApi(make_versions(30))
    listing = list_versions(api, Query(dict(training_api='v1', status=['running', 'completed', 'failed'], sort_by=sort_by, order=order)))
    assert ids(listing.versions) == _api_order(api, (8, 10, 11), sort_by, order)


def test_total_count_adds_up_the_statuses_asked():
    api = FakeApi(make_versions(30))
    listing = list_versions(api, Query(dict(training_api='v1', status=['running', 'completed'])))
    assert listing.total_count == len(_api_order(api, (8, 10)))


def test_a_version_that_changes_status_between_requests_appears_once():
    versions = make_versions(12)
    api = FakeApi(versions)
    moving = next(v['version_id'] for v in versions if v['status'] == 8)

    def complete_it(fake):
        next(v for v in fake.versions if v['version_id'] == moving)['status'] = 10

    # Asked as running first, then (after the change) as completed too.
    api.before_request[1] = complete_it
    listing = list_versions(api, Query(dict(training_api='v1', status=['running', 'completed'])))
    assert ids(listing.versions).count(moving) == 1


def test_names_globs_select_versions_locally():
    api = FakeApi(make_versions(12))
    listing = list_versions(api, Query(dict(training_api='v1', names=['job1-*'])))
    assert ids(listing.versions) == [10, 7, 4, 1]
    assert all('names' not in params for params in api.requests)


def test_several_names_globs_select_versions_matching_any():
    api = FakeApi(make_versions(12))
    listing = list_versions(api, Query(dict(training_api='v1', names=['job1-*', '*-V0012', '*-V001?'])))
    assert ids(listing.versions) == [12, 11, 10, 7, 4, 1]


def test_names_globs_are_case_sensitive():
    api = FakeApi(make_versions(12))
    assert list_versions(api, Query(dict(training_api='v1', names=['JOB1-*']))).versions == []


def test_names_globs_with_several_statuses_keep_the_api_order():
    api = FakeApi(make_versions(30))
    listing = list_versions(api, Query(dict(training_api='v1', status=['running', 'completed'], names=['job2-*'])))
    expected = [i for i in _api_order(api, (8, 10)) if i % 3 == 2]
    assert ids(listing.versions) == expected


def test_limit_for_one_status_is_sent_to_the_api():
    api = FakeApi(make_versions(30))
    listing = list_versions(api, Query(dict(training_api='v1', status=['running'], limit=3)))
    assert [params['limit'] for params in api.requests] == ['3']
    assert ids(listing.versions) == _api_order(api, (8,))[:3]


def test_offset_for_one_status_skips_versions():
    api = FakeApi(make_versions(30))
    listing = list_versions(api, Query(dict(training_api='v1', status=['running'], offset=2, limit=3)))
    assert ids(listing.versions) == _api_order(api, (8,))[2:5]


def test_offset_and_limit_stop_paging_once_enough_versions_arrived():
    api = FakeApi(make_versions(40))
    listing = list_versions(api, Query(dict(training_api='v1', offset=5, limit=5, page_size=5, offset_unit='records')))
    assert ids(listing.versions) == newest_first(40)[5:10]
    assert api.offsets_sent() == [None, '5']


def test_offset_and_limit_for_several_statuses_apply_to_the_merged_result():
    api = FakeApi(make_versions(30))
    listing = list_versions(api, Query(dict(training_api='v1', status=['running', 'completed'], offset=2, limit=3)))
    assert ids(listing.versions) == _api_order(api, (8, 10))[2:5]
    assert [(params['limit'], params.get('offset')) for params in api.requests] == [('0', None), ('0', None)]


def test_offset_and_limit_with_names_apply_after_the_globs():
    api = FakeApi(make_versions(30))
    listing = list_versions(api, Query(dict(training_api='v1', names=['job0-*'], offset=1, limit=2)))
    assert ids(listing.versions) == [27, 24]


def test_offset_past_the_end_gives_nothing_without_warning():
    listing = list_versions(FakeApi(make_versions(5)), Query(dict(training_api='v1', offset=10)))
    assert listing.versions == []
    assert listing.warnings == []


# -- short answers and moving data

@pytest.mark.parametrize('api_unit', API_UNITS)
def test_short_page_is_asked_again(api_unit):
    api = FakeApi(make_versions(17), offset_unit=api_unit)
    api.short_requests.add(1)  # the second page answers half of it once
    listing = list_versions(api, Query(dict(training_api='v1', page_size=5, offset_unit=OPTION_FOR_API_UNIT[api_unit])))
    assert ids(listing.versions) == newest_first(17)
    assert api.offsets_sent()[1] == api.offsets_sent()[2]
    assert listing.complete is True
    assert listing.warnings == []


def test_short_first_page_is_asked_again():
    api = FakeApi(make_versions(17))
    api.short_requests.add(0)
    listing = list_versions(api, Query(dict(training_api='v1', page_size=5, offset_unit='records')))
    assert ids(listing.versions) == newest_first(17)
    assert api.offsets_sent()[:2] == [None, None]
    assert listing.warnings == []


@pytest.mark.parametrize('api_unit', API_UNITS)
def test_page_that_stays_short_gives_a_warning_and_an_incomplete_result(api_unit):
    # total_count promises one version more than the API ever serves.
    api = FakeApi(make_versions(12), offset_unit=api_unit, total_bias=1)
    listing = list_versions(api, Query(dict(training_api='v1', page_size=5, offset_unit=OPTION_FOR_API_UNIT[api_unit])))
    assert ids(listing.versions) == newest_first(12)
    assert listing.complete is False
    assert len(listing.warnings) == 1
    assert 'reported 13 matching versions but only 12 arrived' in listing.warnings[0]


def test_short_answer_without_paging_gives_a_warning():
    listing = list_versions(FakeApi(make_versions(12), total_bias=2), Query({'training_api': 'v1'}))
    assert listing.complete is False
    assert 'reported 14 matching versions but only 12 arrived' in listing.warnings[0]


def test_short_answer_warning_names_the_status():
    listing = list_versions(FakeApi(make_versions(12), total_bias=1), Query(dict(training_api='v1', status=['running', 'completed'])))
    assert any('(status 8)' in warning for warning in listing.warnings)
    assert any('(status 10)' in warning for warning in listing.warnings)


def test_more_versions_than_reported_gives_a_warning():
    listing = list_versions(FakeApi(make_versions(12), total_bias=-2), Query({'training_api': 'v1'}))
    assert ids(listing.versions) == newest_first(12)
    assert any('more versions arrived (12) than the API reported (10)' in warning for warning in listing.warnings)


def _add_newest(fake):
    fake.versions.append(make_version(1000, status=8))


def test_total_count_changing_between_pages_gives_a_warning():
    api = FakeApi(make_versions(12))
    api.before_request[1] = _add_newest
    listing = list_versions(api, Query(dict(training_api='v1', page_size=5, offset_unit='records')))
    assert listing.complete is False
    assert any('total_count changed from 12 to 13 while paging' in warning for warning in listing.warnings)


def test_version_pushed_onto_the_next_page_appears_once():
    # A new version at the top moves every record one place down: page 2 starts with the end of page 1.
    api = FakeApi(make_versions(12))
    api.before_request[1] = _add_newest
    listing = list_versions(api, Query(dict(training_api='v1', page_size=5, offset_unit='records')))
    found = ids(listing.versions)
    assert len(found) == len(set(found))
    assert set(found) >= set(range(1, 13))
