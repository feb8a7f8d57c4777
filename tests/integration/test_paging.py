# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Paging 2,500 versions 100 at a time under each offset unit the emulator can play.

One playbook run per unit (the emulator is switched between runs); markers cut its request log per task.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

import pytest

from conftest import api_fields, credentials, emulator_answer, marker_task, requests_by_marker
from tests.emulator.harness import Emulator

MODULE = 'mlops.modelarts.training_job_version_info'
VERSIONS = 2500
PAGE_SIZE = 100
PAGES = VERSIONS // PAGE_SIZE
# emulator offset unit -> the name the module uses for it
UNITS = {'records': 'records', 'pages': 'pages', 'pages1': 'pages_one_based'}
# The offsets an explicit unit sends after the first page (which has no offset parameter).
FOLLOWING_OFFSETS = {
    'records': [str(page * PAGE_SIZE) for page in range(1, PAGES)],
    'pages': [str(page) for page in range(1, PAGES)],
    'pages_one_based': [str(page + 1) for page in range(1, PAGES)],
}
RUNNING_OR_COMPLETED = (8, 10)
DEFAULT_MAX_CONCURRENT_REQUESTS = 4


@pytest.fixture(scope='module')
def emulator():
    """This module's own emulator: 2,500 versions (overrides the shared 40-version one)."""
    with Emulator(versions=VERSIONS) as running:
        yield running


@pytest.fixture(scope='module')
def everything(emulator):
    """The emulator's limit=0 answer: what every paged query must add up to."""
    answer = emulator_answer(emulator)
    assert len(answer['versions']) == answer['total_count'] == VERSIONS
    return answer['versions']


def playbook(emulator, unit):
    queries = [
        ('auto', {}),
        ('explicit', {'offset_unit': unit}),
        ('offset and limit', {'offset': 150, 'limit': 300}),
        ('several statuses', {'status': ['running', 'completed']}),
        ('sequential', {'offset_unit': unit, 'max_concurrent_requests': 1}),
    ]
    tasks = []
    for name, options in queries:
        options = dict(credentials(emulator, 'token'), page_size=PAGE_SIZE, **options)
        tasks.append(marker_task(name))
        tasks.append('    - name: %s\n      %s: %s\n' % (name, MODULE, json.dumps(options)))
    return '- hosts: localhost\n  gather_facts: false\n  vars:\n    emulator_url: %s\n  tasks:\n%s' % (emulator.url, ''.join(tasks))


class Outcome(object):
    def __init__(self, unit, run, log):
        self.unit = unit
        self.run = run
        self.requests = requests_by_marker(log)

    def versions_requests(self, name):
        return [r for r in self.requests[name] if r['path'].endswith('/training-jobs/versions')]

    def offsets(self, name):
        return [r['query'].get('offset', [None])[0] for r in self.versions_requests(name)]


@pytest.fixture(scope='module', params=sorted(UNITS))
def outcome(request, emulator, everything, run_playbook_once):
    unit = UNITS[request.param]
    emulator.configure(offset_unit=request.param)
    emulator.reset_log()
    run = run_playbook_once(playbook(emulator, unit))
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return Outcome(unit, run, emulator.log())


def ids(versions):
    return [version['version_id'] for version in versions]


@pytest.mark.parametrize('task', ['auto', 'explicit'])
def test_paging_loses_and_doubles_nothing(outcome, everything, task):
    result = outcome.run.result(task)
    assert ids(result['versions']) == ids(everything)
    assert result['total_count'] == VERSIONS
    assert result['complete'] is True


def test_paged_answer_is_identical_to_the_limit_zero_answer(outcome, everything):
    assert api_fields(outcome.run.result('auto')['versions'], everything) == everything


def test_auto_reports_the_detected_unit(outcome):
    assert outcome.run.result('auto')['query']['offset_unit_used'] == outcome.unit


def test_auto_probes_once_with_offset_one(outcome):
    offsets = outcome.offsets('auto')
    assert offsets[0] is None
    assert offsets.count('1') == 1


def test_explicit_unit_sends_no_probe(outcome):
    # Pages after the first are asked for concurrently: they may arrive in any order.
    assert outcome.offsets('explicit')[0] is None
    assert sorted(outcome.offsets('explicit')[1:], key=int) == FOLLOWING_OFFSETS[outcome.unit]
    assert outcome.run.result('explicit')['query']['offset_unit_used'] == outcome.unit


def test_one_request_at_a_time_asks_for_the_pages_in_order(outcome):
    assert outcome.offsets('sequential') == [None] + FOLLOWING_OFFSETS[outcome.unit]
    assert ids(outcome.run.result('sequential')['versions']) == ids(outcome.run.result('explicit')['versions'])
    assert outcome.run.result('explicit')['query']['offset_unit_used'] == outcome.unit


def test_pages_are_asked_for_page_size_records(outcome):
    assert set(r['query']['limit'][0] for r in outcome.versions_requests('auto')) == {str(PAGE_SIZE)}


@pytest.mark.parametrize('task', ['auto', 'explicit', 'offset and limit', 'several statuses'])
def test_pages_use_at_most_one_connection_per_concurrent_request(outcome, task):
    requests = outcome.versions_requests(task)
    assert len(requests) > 1
    assert 1 <= len(set(r['connection'] for r in requests)) <= DEFAULT_MAX_CONCURRENT_REQUESTS


def test_one_request_at_a_time_uses_one_connection(outcome):
    assert len(set(r['connection'] for r in outcome.versions_requests('sequential'))) == 1


def test_offset_and_limit_select_a_slice_while_paging(outcome, everything):
    assert ids(outcome.run.result('offset and limit')['versions']) == ids(everything[150:450])


def test_several_statuses_page_each_status(outcome, everything):
    expected = [v for v in everything if v['status'] in RUNNING_OR_COMPLETED]
    result = outcome.run.result('several statuses')
    assert ids(result['versions']) == ids(expected)
    assert set(r['query']['status'][0] for r in outcome.versions_requests('several statuses')) == {'8', '10'}
