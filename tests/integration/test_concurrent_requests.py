# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""max_concurrent_requests: concurrent runs give exactly the sequential answer, faults included.

In-process run_query against the emulator (real HTTP, fast) over a generated space of queries; the request log
shows connections, pauses and logins. One playbook run shows the option, its validation and a failure report.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import sys

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import REPO_ROOT, credentials

from tests.emulator.harness import Emulator

for _entry in reversed((os.environ.get('ANSIBLE_COLLECTIONS_PATH') or os.path.join(REPO_ROOT, 'build', 'collections')).split(os.pathsep)):
    if _entry and _entry not in sys.path:
        sys.path.insert(0, _entry)

from ansible_collections.mlops.modelarts.plugins.module_utils import _client  # noqa: E402
from ansible_collections.mlops.modelarts.plugins.module_utils._errors import ModelArtsError  # noqa: E402
from ansible_collections.mlops.modelarts.plugins.module_utils._options import run_query  # noqa: E402

VERSIONS = 240
EMULATOR_UNITS = ('records', 'pages', 'pages1')
MODULE_UNITS = {'records': 'records', 'pages': 'pages', 'pages1': 'pages_one_based'}


@pytest.fixture(scope='module')
def emulator():
    """This module's own emulator: 240 versions, so that small pages make many of them."""
    with Emulator(versions=VERSIONS) as running:
        yield running


@pytest.fixture(autouse=True)
def quick_backoff(monkeypatch):
    monkeypatch.setattr(_client, 'backoff_delay', lambda attempt: 0.05)


@pytest.fixture(autouse=True)
def records_unit(emulator):
    emulator.configure(offset_unit='records')
    emulator.clear_faults()
    yield
    emulator.clear_faults()
    emulator.configure(offset_unit='records')


def options(emulator, method='token', **extra):
    params = dict(credentials(emulator, method), retries=2, timeout=5.0)
    params.update(extra)
    return params


def comparable(result):
    """The result without the request count (which may differ when pages are asked for in advance)."""
    result = dict(result)
    result.pop('requests', None)
    return result


QUERIES = st.fixed_dictionaries({
    'status': st.one_of(st.none(), st.sampled_from([['running'], ['active'], ['completed', 'failed'], ['terminal'],
                                                    ['7', 'running', 'JOBSTAT_COMPLETED']])),
    'page_size': st.sampled_from([0, 7, 16, 50, 500]),
    'offset': st.sampled_from([0, 0, 3, 25, 200]),
    'limit': st.sampled_from([0, 0, 1, 10, 60]),
    'names': st.one_of(st.none(), st.sampled_from([['resnet50-*'], ['*-V000?', 'bert*']])),
    'include_versions': st.booleans(),
    'sort_by': st.sampled_from(['create_time', 'job_name', 'status']),
    'order': st.sampled_from(['asc', 'desc']),
}, optional={'offset_unit': st.sampled_from(['auto', 'explicit'])})


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=QUERIES, unit=st.sampled_from(EMULATOR_UNITS), workers=st.sampled_from([2, 4, 16]))
def test_concurrent_answer_equals_the_sequential_one(emulator, query, unit, workers):
    emulator.configure(offset_unit=unit)
    query = dict((key, value) for key, value in query.items() if value is not None)
    if query.get('offset_unit') == 'explicit':
        query['offset_unit'] = MODULE_UNITS[unit]
    sequential, sequential_warnings = run_query(options(emulator, max_concurrent_requests=1, **query))
    concurrent, concurrent_warnings = run_query(options(emulator, max_concurrent_requests=workers, **query))
    assert comparable(concurrent) == comparable(sequential)
    assert concurrent_warnings == sequential_warnings
    if not query['include_versions']:
        # folded page by page into the summary: the same sums as from the versions kept
        kept, kept_warnings = run_query(options(emulator, max_concurrent_requests=workers, **dict(query, include_versions=True)))
        assert [kept[key] for key in ('total_count', 'gpu_summary', 'complete')] == [
            concurrent[key] for key in ('total_count', 'gpu_summary', 'complete')]
        assert kept_warnings == concurrent_warnings


def test_pages_use_no_more_connections_than_workers(emulator):
    emulator.configure(latency=0.02)  # answers overlap only when they take a while, as on a real endpoint
    try:
        emulator.reset_log()
        result = run_query(options(emulator, page_size=10, max_concurrent_requests=3))[0]
        requests = emulator.versions_requests()
        emulator.reset_log()
        sequential = run_query(options(emulator, page_size=10, max_concurrent_requests=1))[0]
        one_connection = emulator.connections()
    finally:
        emulator.configure(latency=0)
    assert comparable(result) == comparable(sequential)
    assert len(requests) == VERSIONS // 10 + 1  # the first page, the offset probe, the other 22 pages
    assert 1 < len(emulator.connections(requests)) <= 3
    assert len(one_connection) == 1


def test_a_429_on_one_parallel_request_pauses_every_worker(emulator):
    expected = comparable(run_query(options(emulator, page_size=10))[0])
    emulator.reset_log()
    emulator.inject({'kind': 'status', 'status': 429, 'retry_after': 1, 'after_requests': 4})
    result, warnings = run_query(options(emulator, page_size=10))
    assert comparable(result) == expected and warnings == []
    log = emulator.versions_requests()
    throttled = [r for r in log if r['status'] == 429][0]
    # Requests already on their way when the 429 was answered may land just after it; then nothing for a second.
    during_pause = [r for r in log if throttled['time'] + 0.3 < r['time'] < throttled['time'] + 0.9]
    assert during_pause == []
    assert any(r['time'] >= throttled['time'] + 0.9 for r in log)


def test_a_dropped_connection_among_parallel_requests_is_retried(emulator):
    expected = comparable(run_query(options(emulator, page_size=10, status=['active']))[0])
    emulator.inject({'kind': 'drop', 'after_requests': 3}, {'kind': 'drop', 'after_requests': 2})
    result, warnings = run_query(options(emulator, page_size=10, status=['active']))
    assert comparable(result) == expected and warnings == []


def test_a_server_error_beyond_the_retries_stops_the_other_requests_and_is_reported_once(emulator):
    emulator.reset_log()
    emulator.inject({'kind': 'status', 'status': 500, 'after_requests': 3, 'times': 50})
    with pytest.raises(ModelArtsError) as caught:
        run_query(options(emulator, page_size=10, retries=1))
    message = str(caught.value)
    assert 'HTTP 500' in message and 'gave up after 2 attempts' in message
    assert message.count('HTTP 500') == 1 and 'Traceback' not in message
    # the first page, the probe and 22 more pages without the failure; far fewer with it
    assert len(emulator.versions_requests()) < VERSIONS // 10 + 1 + 2


def test_a_token_expiring_mid_fetch_is_renewed_once_for_all_workers(emulator):
    expected = comparable(run_query(options(emulator, page_size=10, status=['active', 'completed']))[0])
    emulator.reset_log()
    emulator.inject({'kind': 'expire_tokens', 'after_requests': 5})
    result, warnings = run_query(options(emulator, 'password', page_size=10, status=['active', 'completed'],
                                         max_concurrent_requests=8))
    assert comparable(result) == expected and warnings == []
    assert len(emulator.iam_requests()) == 2  # the login, then one renewal however many workers saw the 401
    assert [r['status'] for r in emulator.versions_requests()].count(401) >= 1


PLAYBOOK = '''
- hosts: localhost
  gather_facts: false
  tasks:
    - name: from the environment
      mlops.modelarts.training_job_version_info: %(options)s
      environment:
        MODELARTS_MAX_CONCURRENT_REQUESTS: "0"
      ignore_errors: true
    - name: two at a time
      mlops.modelarts.training_job_version_info: %(two)s
    - name: failing
      mlops.modelarts.training_job_version_info: %(failing)s
      ignore_errors: true
'''


def test_playbook_reads_validates_the_option_and_reports_a_concurrent_failure_once(emulator, run_playbook):
    base = dict(credentials(emulator, 'token'), page_size=10, status=['active'])
    run = run_playbook(PLAYBOOK % dict(
        options=json.dumps(base),
        two=json.dumps(dict(base, max_concurrent_requests=2)),
        failing=json.dumps(dict(base, project_id='f' * 32, retries=0)),
    ))
    from_environment = run.result('from the environment')
    assert from_environment['failed'] is True
    assert 'max_concurrent_requests must be a whole number from 1 to 16' in from_environment['msg']
    two = run.result('two at a time')
    assert two.get('failed') is not True and two['total_count'] == len(two['versions']) > 0
    failed = run.result('failing')
    # nine statuses asked for at once, every one refused: one clear message, no traceback
    assert failed['failed'] is True and 'Traceback' not in json.dumps(failed)
    assert failed['msg'].count('HTTP 404') == 1
