# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Faults injected into the emulator: what a user gets back within the retry budget and beyond it.

Most cases run the shared layer's run_query in-process against the emulator (real HTTP, fast); a representative
subset runs through ansible-playbook to show what a playbook sees. Small `retries`/`timeout` values keep the
failing cases quick; no test asserts wall-clock time.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import sys

import pytest

from conftest import REPO_ROOT, credentials

from tests.emulator.harness import FIXED_EPOCH_MS, Emulator

# In-process imports of the collection: the same tree ansible-playbook uses (make integration sets the path).
for _entry in reversed((os.environ.get('ANSIBLE_COLLECTIONS_PATH') or os.path.join(REPO_ROOT, 'build', 'collections')).split(os.pathsep)):
    if _entry and _entry not in sys.path:
        sys.path.insert(0, _entry)

import requests  # noqa: E402

from ansible_collections.mlops.modelarts.plugins.module_utils import _client  # noqa: E402
from ansible_collections.mlops.modelarts.plugins.module_utils._auth import ConnectionSettings  # noqa: E402
from ansible_collections.mlops.modelarts.plugins.module_utils._client import ApiClient  # noqa: E402
from ansible_collections.mlops.modelarts.plugins.module_utils._errors import ModelArtsError  # noqa: E402
from ansible_collections.mlops.modelarts.plugins.module_utils._options import run_query  # noqa: E402
from ansible_collections.mlops.modelarts.plugins.module_utils._versions import Query, list_versions  # noqa: E402

VERSIONS_PATH_END = '/training-jobs/versions'


@pytest.fixture(autouse=True)
def quick_backoff(monkeypatch):
    """In-process runs back off 50 ms between attempts (the growth and jitter of backoff_delay are unit-tested)."""
    monkeypatch.setattr(_client, 'backoff_delay', lambda attempt: 0.05)


def options(emulator, method='token', **extra):
    """Give back run_query options for the emulator: quick timeouts, a small retry budget."""
    params = dict(credentials(emulator, method), retries=2, timeout=2.0)
    params.update(extra)
    return params


def reference(emulator, **extra):
    """Give back the fault-free (versions, gpu_summary) of a query."""
    emulator.clear_faults()
    result, warnings = run_query(options(emulator, **extra))
    assert warnings == [] and result['complete'] is True
    return result['versions'], result['gpu_summary']


def run_with_faults(emulator, faults, method='token', **extra):
    """Give back (fault-free answer, result, warnings) of a query run while `faults` are queued on the emulator."""
    expected = reference(emulator, **extra)
    emulator.reset_log()
    emulator.inject(*faults)
    result, warnings = run_query(options(emulator, method, **extra))
    return expected, result, warnings


def failure_with_faults(emulator, faults, method='token', **extra):
    """Give back the ModelArtsError a query raises while `faults` are queued on the emulator."""
    emulator.inject(*faults)
    with pytest.raises(ModelArtsError) as caught:
        run_query(options(emulator, method, **extra))
    return caught.value


def assert_same_answer(expected, result, warnings):
    versions, summary = expected
    assert warnings == []
    assert result['complete'] is True
    assert result['versions'] == versions
    assert result['gpu_summary'] == summary


# -- within the retry budget: the answer equals a fault-free run ------------------------------------------------

RECOVERABLE = {
    'throttled_429_with_retry_after': [{'kind': 'status', 'status': 429, 'retry_after': 1}],
    'throttled_429_without_retry_after': [{'kind': 'status', 'status': 429}],
    'internal_error_500': [{'kind': 'status', 'status': 500}],
    'bad_gateway_502': [{'kind': 'status', 'status': 502}],
    'unavailable_503': [{'kind': 'status', 'status': 503}],
    'gateway_timeout_504': [{'kind': 'status', 'status': 504}],
    'html_error_page_502': [{'kind': 'html', 'status': 502}],
    'html_page_with_200': [{'kind': 'html', 'status': 200}],
    'dropped_connection': [{'kind': 'drop'}],
    'malformed_json_200': [{'kind': 'malformed_json'}],
    'truncated_body': [{'kind': 'truncated'}],
    'is_success_false_internal_error_200': [{'kind': 'is_success_false'}],
    'answer_slower_than_timeout': [{'kind': 'slow', 'delay': 2.5}],
    'two_different_faults_in_a_row': [{'kind': 'status', 'status': 503}, {'kind': 'drop'}],
}


@pytest.mark.parametrize('faults', list(RECOVERABLE.values()), ids=list(RECOVERABLE))
def test_fault_within_retry_budget_gives_the_fault_free_answer(emulator, faults):
    # timeout=1.0 against a 2.5 s slow answer; a normal answer comes in milliseconds, even on a busy machine.
    expected, result, warnings = run_with_faults(emulator, faults, timeout=1.0)
    assert_same_answer(expected, result, warnings)


@pytest.mark.parametrize('faults', [
    [{'kind': 'status', 'status': 503, 'after_requests': 2}],
    [{'kind': 'drop', 'after_requests': 3}],
    [{'kind': 'truncated', 'after_requests': 1}],
    [{'kind': 'status', 'status': 429, 'retry_after': 1, 'after_requests': 2}],
], ids=['503', 'drop', 'truncated', '429'])
def test_fault_in_the_middle_of_paging_gives_the_fault_free_answer(emulator, faults):
    expected, result, warnings = run_with_faults(emulator, faults, page_size=7)
    assert_same_answer(expected, result, warnings)


def test_fault_on_iam_login_is_retried(emulator):
    expected, result, warnings = run_with_faults(emulator, [{'kind': 'status', 'status': 503, 'target': 'iam'}],
                                                 method='password')
    assert_same_answer(expected, result, warnings)


def test_short_page_while_paging_is_asked_again(emulator):
    expected, result, warnings = run_with_faults(emulator, [{'kind': 'short_page', 'after_requests': 2}], page_size=10)
    assert_same_answer(expected, result, warnings)


def test_short_single_answer_is_asked_again(emulator):
    expected, result, warnings = run_with_faults(emulator, [{'kind': 'short_page'}])
    assert_same_answer(expected, result, warnings)


def test_retry_after_is_honoured(emulator):
    emulator.inject({'kind': 'status', 'status': 429, 'retry_after': 3})
    slept = []
    params = options(emulator)
    client = ApiClient(ConnectionSettings(params), sleep=slept.append)
    try:
        listing = list_versions(client, Query(params))
    finally:
        client.close()
    assert slept == [3.0]
    assert len(listing.versions) == 40


def test_retries_keep_the_connection_alive_after_an_error_answer(emulator):
    emulator.inject({'kind': 'status', 'status': 503})
    run_query(options(emulator, page_size=10, max_concurrent_requests=1))
    assert len(emulator.connections()) == 1


# -- a token that expires in the middle of paging ---------------------------------------------------------------

def test_token_expiring_while_paging_is_renewed_once_and_the_run_completes(emulator):
    expected, result, warnings = run_with_faults(emulator, [{'kind': 'expire_tokens', 'after_requests': 2}],
                                                 method='password', page_size=10)
    assert_same_answer(expected, result, warnings)
    assert len(emulator.iam_requests()) == 2


def test_token_rejected_again_after_renewal_fails_clearly(emulator):
    error = failure_with_faults(emulator, [{'kind': 'expire_tokens', 'times': 2}], method='password')
    assert error.status == 401
    assert error.error_code == 'ModelArts.0202'
    assert 'check the credentials' in str(error)
    assert len(emulator.iam_requests()) == 2


# -- beyond the retry budget: a clear failure ---------------------------------------------------------------------

EXHAUSTING = {
    '429': ({'kind': 'status', 'status': 429, 'retry_after': 1, 'times': 3}, 'failed: HTTP 429: ModelArts.0011'),
    '500': ({'kind': 'status', 'status': 500, 'times': 3}, 'failed: HTTP 500: ModelArts.0010'),
    '502': ({'kind': 'status', 'status': 502, 'times': 3}, 'failed: HTTP 502: ModelArts.0010'),
    '503': ({'kind': 'status', 'status': 503, 'times': 3}, 'failed: HTTP 503: ModelArts.0010'),
    '504': ({'kind': 'status', 'status': 504, 'times': 3}, 'failed: HTTP 504: ModelArts.0010'),
    'html': ({'kind': 'html', 'status': 502, 'times': 3}, "failed: HTTP 502: an HTML page titled '502 Bad Gateway'"),
    'drop': ({'kind': 'drop', 'times': 3}, 'connection failed'),
    'malformed_json': ({'kind': 'malformed_json', 'times': 3}, 'HTTP 200 with a body that is not JSON'),
    'truncated': ({'kind': 'truncated', 'times': 3}, 'connection failed'),
    'is_success_false': ({'kind': 'is_success_false', 'times': 3}, 'failed: HTTP 200: ModelArts.0010 Internal error'),
    'slow': ({'kind': 'slow', 'delay': 1.0, 'times': 3}, 'no answer within 0.5 seconds (timeout)'),
}


@pytest.mark.parametrize('fault,message', list(EXHAUSTING.values()), ids=list(EXHAUSTING))
def test_fault_beyond_retry_budget_fails_with_a_clear_message(emulator, fault, message):
    error = failure_with_faults(emulator, [fault], timeout=0.5 if fault['kind'] == 'slow' else 2.0)
    text = str(error)
    assert message in text
    assert 'GET /v1/%s/training-jobs/versions' % emulator.project_id in text
    assert '(gave up after 3 attempts)' in text
    assert 'Traceback' not in text
    assert emulator.faults() == []  # all three faulted answers were asked for: the budget was used, not more


def test_retries_zero_fails_on_the_first_fault(emulator):
    error = failure_with_faults(emulator, [{'kind': 'status', 'status': 503}], retries=0)
    assert '(gave up after 1 attempt)' in str(error)
    assert len(emulator.versions_requests()) == 1


def test_html_error_page_that_is_not_retryable_fails_at_once(emulator):
    # v1 alone: under training_api all a v1 404 is a warning (test_training_api.py), here it fails with the hint.
    error = failure_with_faults(emulator, [{'kind': 'html', 'status': 404}], training_api='v1')
    assert "HTTP 404 with a body that is not JSON (an HTML page titled '404 Not Found')" in str(error)
    assert str(error).endswith('set training_api: v2 (or all) to list new-version training jobs')
    assert len(emulator.versions_requests()) == 1


def test_short_answer_twice_is_reported_incomplete_not_silent(emulator):
    emulator.inject({'kind': 'short_page', 'times': 2})
    result, warnings = run_query(options(emulator))
    assert result['complete'] is False
    assert warnings == ['the API reported 40 matching versions but only 20 arrived (short answer); the result is incomplete']


def test_short_pages_again_and_again_while_paging_still_give_the_whole_answer(emulator):
    # Paging goes on from what arrived, so short pages only cost requests.
    expected, result, warnings = run_with_faults(emulator, [{'kind': 'short_page', 'after_requests': 1, 'times': 6}],
                                                 page_size=10, offset_unit='records')
    assert_same_answer(expected, result, warnings)


# -- versions added or removed while paging -----------------------------------------------------------------------

class _ChangingSession(requests.Session):
    """A session that changes the emulator's data right after the first versions page has been answered."""

    def __init__(self, change):
        super(_ChangingSession, self).__init__()
        self.change = change
        self.pages = 0

    def request(self, method, url, *args, **kwargs):
        response = super(_ChangingSession, self).request(method, url, *args, **kwargs)
        if VERSIONS_PATH_END in url:
            self.pages += 1
            if self.pages == 1:
                self.change()
        return response


@pytest.fixture
def private_emulator():
    """An emulator of its own, for tests that change the data."""
    with Emulator(versions=40) as running:
        yield running


def test_version_added_while_paging_warns_and_reports_incomplete(private_emulator):
    added = {'version_id': 990001, 'version_name': 'added-V0001', 'status': 8, 'create_time': FIXED_EPOCH_MS + 1000}
    session = _ChangingSession(lambda: private_emulator.set_versions(add=[added]))
    result, warnings = run_query(options(private_emulator, page_size=10), session=session)
    assert result['complete'] is False
    assert any('total_count changed from 40 to 41 while paging' in warning for warning in warnings)


def test_version_removed_while_paging_warns_and_reports_incomplete(private_emulator):
    newest = run_query(options(private_emulator, limit=1))[0]['versions'][0]['version_id']
    session = _ChangingSession(lambda: private_emulator.set_versions(remove=[newest]))
    result, warnings = run_query(options(private_emulator, page_size=10), session=session)
    assert result['complete'] is False
    assert any('total_count changed from 40 to 39 while paging' in warning for warning in warnings)


# -- the same through ansible-playbook: one run, three tasks, faults queued in the order the tasks meet them ---------

PLAYBOOK = '''
- hosts: localhost
  gather_facts: false
  tasks:
    - name: beyond the budget
      mlops.modelarts.training_job_version_info: %(beyond)s
      ignore_errors: true
    - name: within the budget
      mlops.modelarts.training_job_version_info: %(within)s
    - name: short answer
      mlops.modelarts.training_job_version_info: %(short)s
'''


@pytest.fixture(scope='module')
def playbook_run(emulator, run_playbook_once):
    """Give back (fault-free answer, PlaybookRun) of the playbook above, run once against queued faults."""
    expected = reference(emulator)
    emulator.inject({'kind': 'status', 'status': 503, 'times': 2},
                    {'kind': 'status', 'status': 429, 'retry_after': 1}, {'kind': 'status', 'status': 503},
                    {'kind': 'drop'},
                    # after_requests: the fourth attempt of "within the budget" gets through
                    {'kind': 'short_page', 'times': 2, 'after_requests': 1})
    run = run_playbook_once(PLAYBOOK % dict(beyond=json.dumps(options(emulator, retries=1)),
                                            within=json.dumps(options(emulator, retries=3)),
                                            short=json.dumps(options(emulator))))
    return expected, run


def test_playbook_fails_clearly_beyond_the_retry_budget(emulator, playbook_run):
    dummy, run = playbook_run
    result = run.result('beyond the budget')
    assert result['failed'] is True
    assert result['msg'] == ('GET /v1/%s/training-jobs/versions failed: HTTP 503: ModelArts.0010 Internal error '
                             '(gave up after 2 attempts)' % emulator.project_id)
    assert result['api_error']['status'] == 503
    # ansible-core 2.19 adds exception='(traceback unavailable)' to every fail_json without one: no traceback.
    assert 'Traceback' not in json.dumps(result) + run.stdout + run.stderr


def test_playbook_recovers_from_throttling_errors_and_drops(playbook_run):
    expected, run = playbook_run
    result = run.result('within the budget')
    assert (result['versions'], result['gpu_summary']) == expected
    assert result['requests'] == 5  # the v1 retries, and the v2 search of training_api all (no v2 jobs here)


def test_playbook_warns_about_a_short_answer(playbook_run):
    dummy, run = playbook_run
    result = run.result('short answer')
    assert result['complete'] is False
    assert result['warnings'] == [
        'the API reported 40 matching versions but only 20 arrived (short answer); the result is incomplete']
