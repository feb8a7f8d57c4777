# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Bad input fails before any request with a message naming the option; a wrong password fails clearly, secret kept.

One playbook run holds every bad-input task (ignore_errors), then a marker, then the wrong-password task.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

import pytest

from conftest import credentials, marker_task, requests_by_marker

MODULE = 'mlops.modelarts.training_job_version_info'
WRONG_PASSWORD = 'Wr0ng-Passw0rd-4-test'


# case -> (auth method, changes to its credentials (None removes an option), words the message must contain:
# the option and what is allowed)
BAD_INPUT = {
    'negative offset': ('token', {'offset': -1}, ['offset', '0 or greater']),
    'negative limit': ('token', {'limit': -3}, ['limit', '0 or greater']),
    'negative page_size': ('token', {'page_size': -100}, ['page_size', '0 or greater']),
    'unknown status name': ('token', {'status': ['runing']}, ['status', 'runing', 'running', 'JOBSTAT_RUNNING']),
    'unknown status code': ('token', {'status': [22]}, ['status', '22', '0-21']),
    'bad sort_by': ('token', {'sort_by': 'size'}, ['sort_by', 'size', 'create_time', 'job_desc', 'status', 'duration', 'job_name']),
    'bad order': ('token', {'order': 'up'}, ['order', 'up', 'asc', 'desc']),
    'token and username': ('token', {'username': 'demo-user'}, ['token', 'username']),
    'access key and password': ('aksk', {'password': 'demo-password'}, ['access_key', 'password']),
    'access key without secret key': ('aksk', {'secret_key': None}, ['access_key', 'secret_key']),
    'token without project_id': ('token', {'project_id': None}, ['project_id']),
    'unknown region without endpoint': ('token', {'endpoint': None, 'region': 'xx-nowhere-1'}, ['region', 'xx-nowhere-1', 'endpoint', 'eu-de']),
}
CASES = sorted(BAD_INPUT)


def bad_options(emulator, case):
    method, changes, dummy = BAD_INPUT[case]
    return dict(credentials(emulator, method), **changes)


def task(name, options, ignore_errors=True):
    options = dict((key, value) for key, value in options.items() if value is not None)
    text = '    - name: %s\n      %s: %s\n' % (name, MODULE, json.dumps(options))
    return text + ('      ignore_errors: true\n' if ignore_errors else '')


def wrong_password_options(emulator):
    return dict(credentials(emulator, 'password'), password=WRONG_PASSWORD)


@pytest.fixture(scope='module')
def outcome(emulator, run_playbook_once):
    tasks = [marker_task('bad input')]
    tasks += [task(case, bad_options(emulator, case)) for case in CASES]
    tasks += [marker_task('wrong password'), task('wrong password', wrong_password_options(emulator))]
    playbook = '- hosts: localhost\n  gather_facts: false\n  vars:\n    emulator_url: %s\n  tasks:\n%s' % (emulator.url, ''.join(tasks))
    emulator.reset_log()
    run = run_playbook_once(playbook)
    return run, requests_by_marker(emulator.log())


@pytest.fixture(scope='module')
def verbose_run(emulator, run_playbook_once):
    """What a user sees at -vvv with the default callback when the password is wrong."""
    playbook = '- hosts: localhost\n  gather_facts: false\n  tasks:\n%s' % task('wrong password', wrong_password_options(emulator), ignore_errors=False)
    return run_playbook_once(playbook, callback='default', verbosity=3)


@pytest.mark.parametrize('case', CASES)
def test_bad_input_fails_naming_the_option_and_what_is_allowed(outcome, case):
    run, dummy = outcome
    result = run.result(case)
    assert result.get('failed') is True
    for word in BAD_INPUT[case][2]:
        assert word in result['msg'], '%r not in %r' % (word, result['msg'])


def test_bad_input_sends_no_request(outcome):
    dummy, requests = outcome
    assert requests['bad input'] == []


@pytest.mark.parametrize('case', CASES + ['wrong password'])
def test_failures_show_no_traceback(outcome, case):
    run, dummy = outcome
    result = run.result(case)
    # ansible-core 2.19 adds exception='(traceback unavailable)' to every failure: that is no traceback.
    assert not set(result) & {'module_stderr', 'module_stdout'}
    assert 'Traceback' not in json.dumps(result)


def test_wrong_password_fails_with_a_clear_401(outcome):
    run, requests = outcome
    result = run.result('wrong password')
    assert result.get('failed') is True
    assert '401' in result['msg']
    assert 'password' in result['msg'].lower()
    assert [(r['path'], r['status']) for r in requests['wrong password']] == [('/v3/auth/tokens', 401)]


def test_wrong_password_never_appears_in_the_output(outcome, verbose_run):
    run, dummy = outcome
    assert verbose_run.returncode != 0
    assert 'wrong password' in verbose_run.stdout  # the task ran and printed its failure
    for text in (run.stdout, run.stderr, verbose_run.stdout, verbose_run.stderr):
        assert WRONG_PASSWORD not in text
        assert 'Traceback' not in text
