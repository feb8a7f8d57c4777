# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""training_job_version_info against the emulator: auth methods, filters, sorting, offset/limit.

One playbook run holds every query (one task each, each after a marker task), so the tests below read its results
and the emulator's request log cut per task instead of paying for an ansible-playbook run each.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import fnmatch
import json

import pytest

from conftest import (
    api_fields, credentials, emulator_answer, expected_gpu_summary, marker_task, requests_by_marker, short_status_name,
)
from tests.emulator.harness import DEFAULT_PROJECT_ID

MODULE = 'mlops.modelarts.training_job_version_info'
SORT_FIELDS = ('create_time', 'job_desc', 'status', 'duration', 'job_name')
ORDERS = ('asc', 'desc')
# Several statuses: the module asks the API once per status and sorts the merged answer itself.
SEVERAL_STATUSES = ['running', 'completed', 'JOBSTAT_FAILED', 'waiting']
SEVERAL_STATUS_CODES = (8, 10, 11, 7)
RESEARCH_VERSIONS = [
    dict(version_id=90001, version_name='research-V0001', status=8, workspace_id='ws-research', flavor_code='modelarts.p3.large.8'),
    dict(version_id=90002, version_name='research-V0002', status=10, workspace_id='ws-research', flavor_code='modelarts.kat1.xlarge'),
]

# task name -> (auth method, query options); every task gets its credentials added.
QUERIES = {
    'auth token': ('token', {}),
    'auth aksk': ('aksk', {'status': ['running'], 'pool_id': 'pool-gpu-a'}),
    'auth password': ('password', {'status': ['active']}),
    'status code': ('token', {'status': [8]}),
    'status name': ('token', {'status': ['running']}),
    'status JOBSTAT name in any case': ('token', {'status': ['JobStat_Running']}),
    'status group': ('token', {'status': ['failed']}),
    'status several overlapping': ('token', {'status': ['running', 10, 'JOBSTAT_WAITING', 'completed']}),
    'pool': ('token', {'pool_id': 'pool-npu-b'}),
    'workspace': ('token', {'workspace_id': 'ws-research'}),
    'names': ('token', {'names': ['resnet50-*', '*-V0001']}),
    'offset and limit': ('token', {'offset': 5, 'limit': 10}),
    'offset only': ('token', {'offset': 35}),
    'limit only': ('token', {'limit': 7}),
    'offset and limit several statuses': ('token', {'status': SEVERAL_STATUSES, 'offset': 2, 'limit': 5}),
    'offset and limit names': ('token', {'names': ['*-V000*'], 'offset': 1, 'limit': 3}),
}
for _field in SORT_FIELDS:
    for _order in ORDERS:
        QUERIES['sort %s %s' % (_field, _order)] = ('token', {'sort_by': _field, 'order': _order, 'status': SEVERAL_STATUSES})
# What the emulator itself answers for each auth task's filter (API parameters, statuses kept locally).
AUTH_FILTERS = {
    'token': ({}, None),
    'aksk': ({'status': 8, 'pool_id': 'pool-gpu-a'}, None),
    'password': ({}, (1, 2, 4, 7, 8, 9, 15, 18, 19)),
}


def playbook(emulator):
    tasks = []
    for name, (method, options) in QUERIES.items():
        tasks.append(marker_task(name))
        tasks.append('    - name: %s\n      %s: %s\n' % (name, MODULE, json.dumps(dict(credentials(emulator, method), **options))))
    return ('- hosts: localhost\n  gather_facts: false\n  vars:\n    emulator_url: %s\n  tasks:\n%s'
            % (emulator.url, ''.join(tasks)))


class Outcome(object):
    """The playbook run, the emulator's request log cut per task, and the emulator's own limit=0 answers."""

    def __init__(self, run, log, everything):
        self.run = run
        self.requests = requests_by_marker(log)
        self.everything = everything  # the emulator's answer for workspace 0, default sort

    def result(self, name):
        return self.run.result(name)

    def versions_requests(self, name):
        return [r for r in self.requests[name] if r['path'].endswith('/training-jobs/versions')]


@pytest.fixture(scope='module')
def outcome(emulator, run_playbook_once):
    emulator.set_versions(add=RESEARCH_VERSIONS)
    everything = emulator_answer(emulator)
    emulator.reset_log()
    run = run_playbook_once(playbook(emulator))
    log = emulator.log()
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return Outcome(run, log, everything)


def ids(versions):
    return [version['version_id'] for version in versions]


def assert_same_versions(result, expected):
    """The module returned exactly the emulator's versions, in its order, API fields unchanged."""
    assert ids(result['versions']) == ids(expected)
    assert api_fields(result['versions'], expected) == expected


# --- authentication


def expected_for_auth(emulator, method):
    params, statuses = AUTH_FILTERS[method]
    answer = emulator_answer(emulator, **params)
    if statuses is None:
        return answer['versions']
    return [v for v in answer['versions'] if v['status'] in statuses]


@pytest.mark.parametrize('method', ['token', 'aksk', 'password'])
def test_each_auth_method_returns_the_versions_of_its_filter(emulator, outcome, method):
    expected = expected_for_auth(emulator, method)
    result = outcome.result('auth %s' % method)
    assert len(expected) > 1
    assert result['total_count'] == len(expected)
    assert_same_versions(result, expected)


@pytest.mark.parametrize('method', ['token', 'aksk', 'password'])
def test_gpu_summary_sums_the_returned_versions(emulator, outcome, method):
    result = outcome.result('auth %s' % method)
    summary = dict((key, result['gpu_summary'][key]) for key in expected_gpu_summary([]))
    assert summary == expected_gpu_summary(expected_for_auth(emulator, method))


@pytest.mark.parametrize('method, logged_auth', [('token', 'token'), ('aksk', 'aksk')])
def test_requests_carry_the_chosen_credentials(outcome, method, logged_auth):
    requests = outcome.requests['auth %s' % method]
    # training_api all (the default): the v1 GET and the v2 search POST, each signed or carrying the token.
    assert sorted((r['method'], r['auth'], r['status']) for r in requests) == [
        ('GET', logged_auth, 200), ('POST', logged_auth, 200)]


def test_password_login_resolves_project_name_to_the_id_once(outcome):
    requests = outcome.requests['auth password']
    logins = [r for r in requests if r['path'].endswith('/auth/tokens')]
    assert [(r['method'], r['status'], r['auth']) for r in logins] == [('POST', 201, 'password')]
    assert requests[0] == logins[0]
    queries = outcome.versions_requests('auth password')
    assert len(queries) == 9
    assert set(r['path'] for r in queries) == {'/v1/%s/training-jobs/versions' % DEFAULT_PROJECT_ID}
    assert set((r['status'], r['auth']) for r in queries) == {(200, 'token')}


# --- filters


@pytest.mark.parametrize('name', ['status code', 'status name', 'status JOBSTAT name in any case'])
def test_status_code_and_names_select_the_same_versions(emulator, outcome, name):
    expected = emulator_answer(emulator, status=8)
    result = outcome.result(name)
    assert result['total_count'] == expected['total_count']
    assert_same_versions(result, expected['versions'])
    assert [r['query']['status'] for r in outcome.versions_requests(name)] == [['8']]


def test_status_group_asks_once_per_status_and_merges(outcome):
    failed = (3, 5, 6, 11, 14, 16, 17, 21)
    expected = [v for v in outcome.everything['versions'] if v['status'] in failed]
    result = outcome.result('status group')
    assert sorted(int(r['query']['status'][0]) for r in outcome.versions_requests('status group')) == list(failed)
    assert result['total_count'] == len(expected)
    assert_same_versions(result, expected)


def test_several_statuses_are_asked_once_each_without_duplicates(outcome):
    expected = [v for v in outcome.everything['versions'] if v['status'] in (7, 8, 10)]
    result = outcome.result('status several overlapping')
    assert sorted(int(r['query']['status'][0]) for r in outcome.versions_requests('status several overlapping')) == [7, 8, 10]
    assert len(set(ids(result['versions']))) == len(result['versions'])
    assert_same_versions(result, expected)


def test_pool_id_selects_the_pool(emulator, outcome):
    expected = emulator_answer(emulator, pool_id='pool-npu-b')
    result = outcome.result('pool')
    assert result['total_count'] == expected['total_count']
    assert_same_versions(result, expected['versions'])
    assert set(v['pool_id'] for v in result['versions']) == {'pool-npu-b'}


def test_workspace_id_selects_the_workspace(emulator, outcome):
    expected = emulator_answer(emulator, workspace_id='ws-research')
    result = outcome.result('workspace')
    assert sorted(ids(expected['versions'])) == [90001, 90002]
    assert_same_versions(result, expected['versions'])


def test_names_globs_select_by_version_name(outcome):
    expected = [v for v in outcome.everything['versions']
                if fnmatch.fnmatchcase(v['version_name'], 'resnet50-*') or fnmatch.fnmatchcase(v['version_name'], '*-V0001')]
    result = outcome.result('names')
    assert len(expected) > 3
    assert_same_versions(result, expected)


@pytest.mark.parametrize('field', SORT_FIELDS)
@pytest.mark.parametrize('order', ORDERS)
def test_sort_by_and_order_match_the_api(emulator, outcome, field, order):
    expected = [v for v in emulator_answer(emulator, sort_by=field, order=order)['versions'] if v['status'] in SEVERAL_STATUS_CODES]
    name = 'sort %s %s' % (field, order)
    assert ids(outcome.result(name)['versions']) == ids(expected)
    assert set((r['query']['sort_by'][0], r['query']['order'][0]) for r in outcome.versions_requests(name)) == {(field, order)}


@pytest.mark.parametrize('name, start, stop', [
    ('offset and limit', 5, 15),
    ('offset only', 35, None),
    ('limit only', 0, 7),
])
def test_offset_and_limit_select_a_slice(outcome, name, start, stop):
    result = outcome.result(name)
    assert_same_versions(result, outcome.everything['versions'][start:stop])
    assert result['total_count'] == outcome.everything['total_count']


def test_offset_and_limit_apply_to_the_merged_statuses(outcome):
    merged = [v for v in outcome.everything['versions'] if v['status'] in SEVERAL_STATUS_CODES]
    assert_same_versions(outcome.result('offset and limit several statuses'), merged[2:7])


def test_offset_and_limit_apply_after_names(outcome):
    matching = [v for v in outcome.everything['versions'] if fnmatch.fnmatchcase(v['version_name'], '*-V000*')]
    assert_same_versions(outcome.result('offset and limit names'), matching[1:4])


def test_versions_carry_readable_status_and_times(outcome):
    for version in outcome.result('auth token')['versions']:
        assert version['status_name'] == short_status_name(version['status'])
        assert version['status_group'] in ('active', 'succeeded', 'failed', 'canceled', 'unknown')
        assert version['create_time_iso'].endswith('Z')
        assert version['duration_seconds'] == version['duration'] / 1000.0


def test_changed_is_always_false(outcome):
    assert [name for name in QUERIES if outcome.result(name)['changed'] is not False] == []
