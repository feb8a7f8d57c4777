# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The v2 source in the query engine: paging by page index to the first short page, flavors once, the `all` merge."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import threading

import pytest

from ansible_collections.mlops.modelarts.plugins.module_utils import _gate, _versions
from ansible_collections.mlops.modelarts.plugins.module_utils._errors import ModelArtsError, OptionError
from ansible_collections.mlops.modelarts.plugins.module_utils._options import query_result
from ansible_collections.mlops.modelarts.plugins.module_utils._query_client import QueryClient
from ansible_collections.mlops.modelarts.plugins.module_utils._versions import Query, list_versions

PROJECT_ID = '0a1b2c3d4e5f60718293a4b5c6d7e8f9'
SEARCH = '/v2/%s/training-job-searches' % PROJECT_ID
FLAVORS = '/v2/%s/training-job-flavors' % PROJECT_ID
VERSIONS = '/v1/%s/training-jobs/versions' % PROJECT_ID
PUBLIC_GPU = {'flavor_type': 'GPU', 'flavor_info': {'gpu': {'unit_num': 1}}}


def job(number, phase='Running', create_time=None, pool_id=None, flavor_id='modelarts.vm.gpu.v100nv32', detail=True):
    resource = {'flavor_id': flavor_id, 'node_count': 1}
    if pool_id:
        resource['pool_id'] = pool_id
    if detail:
        resource['flavor_detail'] = PUBLIC_GPU
    return {'kind': 'job',
            'metadata': {'id': 'job-%04d' % number, 'name': 'train-%04d' % number,
                         'create_time': create_time if create_time is not None else 1000 * number},
            'status': {'phase': phase, 'start_time': 1000 * number + 1, 'duration': 10},
            'spec': {'resource': resource}}


def version(version_id, status=8, create_time=None):
    return {'version_id': version_id, 'version_name': 'v1-%d' % version_id, 'status': status, 'gpu_num': 1,
            'create_time': create_time if create_time is not None else 1000 * version_id}


class BothApis(QueryClient):
    """Answers the v1 versions GET, the v2 search POST and the flavors GET from memory, newest first.

    `count` says what the search's `count` is: 'page' (the page's length, as the API page's example), 'huge'
    (10**12, a lie) or 'matching'. `ignore_offset` answers the first page whatever page is asked.
    """

    project_id = PROJECT_ID

    def __init__(self, jobs=(), versions=(), count='page', flavors=None, v1_status=None, workers=1,
                 ignore_offset=False):
        QueryClient.__init__(self)
        self.jobs = list(jobs)
        self.versions = list(versions)
        self.count = count
        self.flavors = flavors if flavors is not None else []
        self.v1_status = v1_status
        self.max_concurrent_requests = workers
        self.ignore_offset = ignore_offset
        self.bodies = []
        self.gets = []
        self.lock = threading.Lock()

    def post_json(self, path, body, decode=None):
        assert path == SEARCH
        with self.lock:
            self.bodies.append(body)
        phases = None
        for item in body.get('filters', []):
            if item['key'] == 'phase':
                phases = item['value']
        matching = [j for j in self.jobs if phases is None or j['status']['phase'] in phases]
        matching.sort(key=lambda j: j['metadata']['id'])
        matching.sort(key=lambda j: j['metadata']['create_time'], reverse=body['order'] == 'desc')
        limit = body['limit']
        start = 0 if self.ignore_offset else body['offset'] * limit
        page = matching[start:start + limit]
        count = {'page': len(page), 'huge': 10 ** 12, 'matching': len(matching)}[self.count]
        answer = {'total': len(self.jobs), 'count': count, 'limit': limit, 'offset': body['offset'], 'items': page}
        return decode(answer) if decode is not None else answer

    def get(self, path, query_pairs, decode=None):
        with self.lock:
            self.gets.append(path)
        if path == FLAVORS:
            return {'total_count': len(self.flavors), 'flavors': self.flavors}
        assert path == VERSIONS
        if self.v1_status is not None:
            raise ModelArtsError('GET %s failed: HTTP %d' % (path, self.v1_status), status=self.v1_status,
                                 method='GET', path=path)
        params = dict(query_pairs)
        selected = [dict(v) for v in self.versions if 'status' not in params or v['status'] == int(params['status'])]
        selected.sort(key=lambda v: v['create_time'], reverse=params.get('order', 'desc') == 'desc')
        answer = {'is_success': True, 'total_count': len(selected), 'versions': selected}
        return decode(answer) if decode is not None else answer

    def versions_gets(self):
        return [path for path in self.gets if path == VERSIONS]


def ids(listing):
    return [record['version_id'] for record in listing.versions]


# -- paging: page indexes, the first short page ends it, count is never trusted

@pytest.mark.parametrize('count', ['page', 'huge', 'matching'])
def test_paging_stops_at_the_first_short_page_whatever_count_says(count):
    api = BothApis([job(n) for n in range(1, 121)], count=count)
    listing = list_versions(api, Query(dict(training_api='v2')))
    assert [body['offset'] for body in api.bodies] == [0, 1, 2]
    assert all(body['limit'] == 50 for body in api.bodies)
    assert ids(listing) == ['job-%04d' % n for n in range(120, 0, -1)]
    assert listing.complete and listing.total_count == 120


def test_a_count_of_one_page_does_not_end_the_paging():
    # The API page's own example: count 1 with limit 1, total 5059. Every job must still arrive.
    api = BothApis([job(n) for n in range(1, 8)], count='page')
    listing = list_versions(api, Query(dict(training_api='v2', page_size=1)))
    assert len(listing.versions) == 7
    assert [body['offset'] for body in api.bodies] == list(range(8))


def test_a_whole_last_page_costs_one_empty_request():
    api = BothApis([job(n) for n in range(1, 101)])
    list_versions(api, Query(dict(training_api='v2')))
    assert [body['offset'] for body in api.bodies] == [0, 1, 2]


def test_page_size_above_fifty_pages_by_fifty():
    api = BothApis([job(n) for n in range(1, 61)])
    list_versions(api, Query(dict(training_api='v2', page_size=500)))
    assert [body['limit'] for body in api.bodies] == [50, 50]


def test_pages_are_asked_ahead_with_several_workers_and_each_job_is_kept_once():
    api = BothApis([job(n) for n in range(1, 231)], workers=4)
    listing = list_versions(api, Query(dict(training_api='v2')))
    assert sorted(set(body['offset'] for body in api.bodies))[:5] == [0, 1, 2, 3, 4]
    assert ids(listing) == ['job-%04d' % n for n in range(230, 0, -1)]
    # At most max_concurrent_requests - 1 pages asked past the short one.
    assert len(api.bodies) <= 5 + 3


def test_a_server_ignoring_the_page_index_is_not_paged_for_ever():
    api = BothApis([job(n) for n in range(1, 101)], ignore_offset=True)
    listing = list_versions(api, Query(dict(training_api='v2')))
    assert len(api.bodies) == 3
    assert len(listing.versions) == 50 and not listing.complete
    assert any('ignore the page index' in warning for warning in listing.warnings)


def test_an_endless_server_fails_at_the_versions_bound(monkeypatch):
    class Endless(BothApis):
        def post_json(self, path, body, decode=None):
            self.bodies.append(body)
            answer = {'count': 10 ** 12, 'items': [job(body['offset'] * 50 + n) for n in range(50)]}
            return decode(answer) if decode is not None else answer

    monkeypatch.setattr(_versions, 'MAX_VERSIONS_RECEIVED', 500)
    with pytest.raises(ModelArtsError, match='more than 500 versions received'):
        list_versions(Endless(), Query(dict(training_api='v2')))


def test_the_paging_timeout_bounds_v2_paging(monkeypatch):
    ticks = iter(range(0, 10 ** 6, 10))
    monkeypatch.setattr(_versions.time, 'monotonic', lambda: next(ticks))
    api = BothApis([job(n) for n in range(1, 501)])
    with pytest.raises(ModelArtsError, match='paging_timeout'):
        list_versions(api, Query(dict(training_api='v2', paging_timeout=25)))


# -- flavors: once per query, only when a job lacks flavor_detail

def test_the_flavors_list_is_not_asked_when_every_job_carries_its_flavor():
    api = BothApis([job(n) for n in range(1, 61)])
    list_versions(api, Query(dict(training_api='v2')))
    assert FLAVORS not in api.gets


@pytest.mark.parametrize('workers', [1, 4])
def test_the_flavors_list_is_asked_once_for_many_pool_jobs(workers):
    flavors = [{'flavor_id': 'custom.pool.2gpu', 'flavor_info': {'gpu': {'unit_num': 2}}}]
    jobs = [job(n, pool_id='pool-a', flavor_id='custom.pool.2gpu', detail=False) for n in range(1, 181)]
    api = BothApis(jobs, flavors=flavors, workers=workers)
    result, warnings = query_result(api, Query(dict(training_api='v2')))
    assert api.gets.count(FLAVORS) == 1
    assert result['gpu_summary']['gpu_num'] == 360 and result['gpu_summary']['accelerators_unknown'] == 0


@pytest.mark.parametrize('include_versions', [True, False], ids=['kept', 'folded'])
def test_an_unknown_flavor_is_null_counted_unknown_and_named_once(include_versions):
    jobs = [job(1), job(2, pool_id='pool-a', flavor_id='secret.flavor.x', detail=False),
            job(3, pool_id='pool-a', flavor_id='secret.flavor.x', detail=False)]
    api = BothApis(jobs)
    result, warnings = query_result(api, Query(dict(training_api='v2', include_versions=include_versions)))
    summary = result['gpu_summary']
    assert (summary['gpu_num'], summary['accelerators_unknown'], summary['versions']) == (1, 2, 3)
    if include_versions:
        assert [v['gpu_num'] for v in result['versions']] == [None, None, 1]
    named = [w for w in warnings if 'secret.flavor.x' in w]
    assert len(named) == 1 and 'accelerators_unknown' in named[0]


def test_an_unknown_flavor_counts_unknown_in_gpu_usage_too():
    api = BothApis([job(2, pool_id='pool-a', flavor_id='secret.flavor.x', detail=False)])
    result, warnings = query_result(api, Query(dict(training_api='v2', usage_since='0', usage_until='100000')))
    assert result['gpu_usage']['accelerators_unknown'] == 1
    assert len([w for w in warnings if 'secret.flavor.x' in w]) == 1


# -- all: both APIs, merged, sorted, each record once; offset/limit/names/pool on the merged result

def test_all_merges_both_apis_in_create_time_order():
    api = BothApis([job(2), job(4)], [version(1), version(3), version(5)])
    listing = list_versions(api, Query({}))
    assert ids(listing) == [5, 'job-0004', 3, 'job-0002', 1]
    assert [r['api_version'] for r in listing.versions] == ['v1', 'v2', 'v1', 'v2', 'v1']
    assert listing.total_count == 5


@pytest.mark.parametrize('sort_by', ['status', 'create_time', 'duration', 'job_name', 'job_desc'])
@pytest.mark.parametrize('order', ['asc', 'desc'])
def test_all_sorts_mixed_ids_and_statuses_without_comparing_int_and_text(sort_by, order):
    api = BothApis([job(2, create_time=7), job(4, phase='Completed', create_time=7)],
                   [version(1, create_time=7), version(3, status=10, create_time=7)])
    listing = list_versions(api, Query(dict(sort_by=sort_by, order=order)))
    assert sorted(map(str, ids(listing))) == ['1', '3', 'job-0002', 'job-0004']


def test_ties_put_v1_before_v2_and_ids_ascending_stably():
    api = BothApis([job(4, create_time=7), job(2, create_time=7)], [version(3, create_time=7), version(1, create_time=7)])
    assert ids(list_versions(api, Query(dict(order='asc')))) == [1, 3, 'job-0002', 'job-0004']


def test_sorting_by_status_puts_v1_codes_before_v2_phases_ascending():
    api = BothApis([job(2, phase='Completed'), job(4, phase='Abnormal')], [version(1, status=10), version(3, status=8)])
    listing = list_versions(api, Query(dict(sort_by='status', order='asc')))
    assert [r['status'] for r in listing.versions] == [8, 10, 'Abnormal', 'Completed']


def test_offset_and_limit_apply_to_the_merged_result():
    api = BothApis([job(2), job(4), job(6)], [version(1), version(3), version(5)])
    listing = list_versions(api, Query(dict(offset=1, limit=3)))
    assert ids(listing) == [5, 'job-0004', 3]


def test_a_job_on_two_pages_is_kept_once():
    class Repeating(BothApis):
        def post_json(self, path, body, decode=None):
            answer = super(Repeating, self).post_json(path, body)
            if body['offset'] == 1:
                answer['items'] = [job(2)] + answer['items'][1:]  # a job that moved while paging
            return decode(answer) if decode is not None else answer

    api = Repeating([job(n) for n in range(1, 4)])
    listing = list_versions(api, Query(dict(training_api='v2', page_size=2)))
    assert sorted(ids(listing)) == ['job-0002', 'job-0003']


def test_names_and_pool_id_select_v2_jobs_locally():
    api = BothApis([job(1, pool_id='pool-a', detail=False), job(2), job(3, pool_id='pool-b', detail=False)])
    assert ids(list_versions(api, Query(dict(training_api='v2', pool_id='pool-a')))) == ['job-0001']
    assert ids(list_versions(api, Query(dict(training_api='v2', names=['train-000[23]'])))) == ['job-0003', 'job-0002']
    result, dummy = query_result(api, Query(dict(training_api='v2', pool_id='pool-b', include_versions=False)))
    assert result['gpu_summary']['versions'] == 1


def test_a_v1_404_under_all_is_a_warning_and_the_v2_jobs_come_back():
    api = BothApis([job(1), job(2)], v1_status=404, workers=2)
    listing = list_versions(api, Query({}))
    assert ids(listing) == ['job-0002', 'job-0001']
    assert len([w for w in listing.warnings if 'HTTP 404' in w and 'training_api: v2' in w]) == 1


def test_a_v1_404_alone_fails_with_the_hint_to_read_v2():
    with pytest.raises(ModelArtsError, match='set training_api: v2'):
        list_versions(BothApis(v1_status=404), Query(dict(training_api='v1')))


def test_another_v1_failure_under_all_still_fails():
    with pytest.raises(ModelArtsError, match='HTTP 500'):
        list_versions(BothApis([job(1)], v1_status=500), Query({}))


def test_training_api_v1_sends_no_v2_request_and_records_say_v1():
    api = BothApis([job(1)], [version(1)])
    listing = list_versions(api, Query(dict(training_api='v1')))
    assert api.bodies == [] and ids(listing) == [1] and listing.versions[0]['api_version'] == 'v1'


# -- statuses across APIs

def test_an_api_none_of_the_statuses_exists_in_is_not_asked():
    api = BothApis([job(1, phase='Pending'), job(2)], [version(1)])
    listing = list_versions(api, Query(dict(status=['pending'])))
    assert api.versions_gets() == [] and ids(listing) == ['job-0001']
    api = BothApis([job(1)], [version(1, status=8)])
    list_versions(api, Query(dict(status=['8'])))
    assert api.bodies == []


def test_names_and_groups_go_to_both_apis_phases_in_one_filter():
    api = BothApis([job(1, phase='Abnormal'), job(2, phase='Failed'), job(3)], [version(1, status=11)])
    listing = list_versions(api, Query(dict(status=['failed'])))
    assert api.bodies[0]['filters'] == [{'key': 'phase', 'operator': 'in', 'value': ['Failed', 'Abnormal']}]
    assert sorted(map(str, ids(listing))) == ['1', 'job-0001', 'job-0002']


@pytest.mark.parametrize('training_api, value', [('v1', 'pending'), ('v2', '8'), ('v2', 'JOBSTAT_RUNNING'),
                                                 ('all', 'runing')])
def test_a_status_in_none_of_the_selected_apis_fails_before_any_request_naming_status(training_api, value):
    with pytest.raises(OptionError) as caught:
        Query(dict(training_api=training_api, status=[value]))
    assert str(caught.value).startswith('status: ')


def test_an_unknown_training_api_is_refused():
    with pytest.raises(OptionError, match='training_api'):
        Query(dict(training_api='v3'))


# -- the gate's wait_for.status across APIs

def test_the_gate_s_succeeded_holds_for_a_completed_v2_job_and_not_a_running_one():
    condition = _gate.StatusCondition(['succeeded'])
    assert condition.accepts('Completed') and condition.accepts(10)
    assert not condition.accepts('Running') and not condition.accepts(8)


def test_a_gate_status_in_none_of_the_selected_apis_fails_naming_wait_for_status():
    with pytest.raises(OptionError) as caught:
        _gate.Gate(dict(training_api='v1', wait_for={'status': ['Pending']}))
    assert str(caught.value).startswith('wait_for.status: ')


def test_a_v1_404_under_all_with_v1_only_statuses_fails_with_the_hint_too():
    with pytest.raises(ModelArtsError, match='set training_api: v2'):
        list_versions(BothApis(v1_status=404), Query(dict(status=['JOBSTAT_RUNNING'])))


def test_a_failing_flavors_list_is_a_warning_and_documented_flavors_still_count():
    class NoFlavors(BothApis):
        def get(self, path, query_pairs, decode=None):
            if path == FLAVORS:
                self.gets.append(path)
                raise ModelArtsError('GET %s failed: HTTP 500' % path, status=500, method='GET', path=path)
            return super(NoFlavors, self).get(path, query_pairs, decode)

    jobs = [job(1, pool_id='pool-a', flavor_id='modelarts.pool.visual.8xlarge', detail=False),
            job(2, pool_id='pool-a', flavor_id='custom.pool.2gpu', detail=False)]
    api = NoFlavors(jobs)
    result, warnings = query_result(api, Query(dict(training_api='v2')))
    assert api.gets.count(FLAVORS) == 1
    assert [v['gpu_num'] for v in result['versions']] == [None, 8]
    assert [w for w in warnings if 'flavors list could not be read' in w and 'HTTP 500' in w]


def test_a_v1_answer_cannot_claim_to_be_v2():
    api = BothApis(versions=[dict(version(1), api_version='v2')])
    listing = list_versions(api, Query(dict(training_api='v1')))
    assert listing.versions[0]['api_version'] == 'v1'
