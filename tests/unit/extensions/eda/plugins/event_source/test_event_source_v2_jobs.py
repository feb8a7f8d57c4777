# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Events for new-version (v2) training jobs, from a fake query that answers v2 records (design.md's record table).

No emulator: the source's query is replaced by one that gives back hand-made records of both APIs, so these tests
speak only of what the source makes of them (keys, previous_status, outputs, neutralised text).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import asyncio
import os
import runpy
import sys

import pytest

SOURCE_PATH = os.path.join('ansible_collections', 'mlops', 'modelarts', 'extensions', 'eda', 'plugins', 'event_source',
                           'training_job_versions.py')
OUTPUTS = [dict(name='model', obs_url='obs://bucket/bert/output/')]


def installed_source_path():
    for entry in sys.path:
        path = os.path.join(entry or '.', SOURCE_PATH)
        if os.path.isfile(path):
            return path
    raise AssertionError('the collection is not installed on sys.path (make build; PYTHONPATH=build/collections)')


@pytest.fixture(scope='module')
def source():
    path = installed_source_path()
    sys.path_importer_cache[path] = None  # as in test_event_source_training_job_versions.py: runpy runs the file
    return runpy.run_path(path)


def v1(version_id, status, name):
    return dict(version_id=version_id, status=status, status_name={8: 'running', 10: 'completed'}[status],
                version_name=name, gpu_num=8)


def v2(job_id, phase, name, **fields):
    record = dict(api_version='v2', version_id=job_id, status=phase, status_name=phase.lower(), version_name=name,
                  secondary_phase=phase, node_count=1, user_name='alice', outputs=OUTPUTS, gpu_num=None, npu_num=None)
    record.update(fields)
    return record


def answer(*versions):
    return dict(versions=list(versions), gpu_summary={}, complete=True)


def kinds(events):
    body = [event['modelarts'] for event in events if event['modelarts']['type'] != 'summary_changed']
    return [(item['type'], item['version'].get('api_version', 'v1'), item['version']['version_id'],
             item['previous_status']) for item in body]


@pytest.mark.parametrize('v1_id', [7, '7'], ids=['number', 'text'])
def test_a_v1_version_7_and_a_v2_job_7_are_two_versions(source, v1_id):
    # A v1 server may send its id as text: the API in the key still keeps the two apart.
    watch = source['VersionWatch']('p', 'eu-de', initial=True)
    events = watch.events_for(answer(v1(v1_id, 8, 'resnet-V7'), v2('7', 'Running', 'bert')))
    assert kinds(events) == [('appeared', 'v1', v1_id, None), ('appeared', 'v2', '7', None)]
    events = watch.events_for(answer(v1(v1_id, 8, 'resnet-V7'), v2('7', 'Completed', 'bert')))
    assert kinds(events) == [('status_changed', 'v2', '7', 'running')]


def test_a_v2_job_that_leaves_the_answer_disappears_with_its_phase_name(source):
    watch = source['VersionWatch']('p', 'eu-de', initial=False)
    watch.events_for(answer(v1(7, 8, 'resnet-V7'), v2('job-a', 'Pending', 'bert')))
    assert kinds(watch.events_for(answer(v1(7, 8, 'resnet-V7')))) == [('disappeared', 'v2', 'job-a', 'pending')]


class FakeQuery(object):
    """Stands for query_result(): gives back the next answer on each poll."""

    def __init__(self, answers):
        self.answers = list(answers)

    def __call__(self, client, query):
        return self.answers.pop(0), []


def test_the_source_turns_a_completed_v2_job_into_an_event_with_its_outputs(source, monkeypatch):
    hostile = [dict(name='model', obs_url="obs://b/{{ lookup('pipe', 'id') }}/")]
    fake = FakeQuery([answer(v2('9f1c', 'Running', 'bert-train', outputs=hostile)),
                      answer(v2('9f1c', 'Completed', 'bert-train', outputs=hostile))])
    source_class = source['TrainingJobVersionsSource']
    monkeypatch.setitem(source_class._poll.__globals__, 'query_result', fake)
    instance = source_class(dict(endpoint='https://modelarts.example.invalid', token='t', project_id='p', interval=1))
    queue = asyncio.Queue()

    async def two_polls():
        await instance._poll_once(queue)
        await instance._poll_once(queue)

    try:
        asyncio.run(two_polls())
    finally:
        instance.client.close()
    event = queue.get_nowait()['modelarts']
    assert queue.empty()
    assert (event['type'], event['previous_status'], event['version']['version_id']) == ('status_changed', 'running', '9f1c')
    assert event['version']['status_name'] == 'completed' and event['version']['api_version'] == 'v2'
    # The OBS URL is API text: it arrives encoded (no template left), and escaped_fields says where.
    assert event['version']['outputs'] == [dict(name='model', obs_url="obs://b/%7B%7B lookup('pipe', 'id') %7D%7D/")]
    assert event['escaped_fields'] == ['version/outputs/0/obs_url']


@pytest.mark.parametrize('given, asked', [(None, 'all'), ('v2', 'v2'), ('v1', 'v1')])
def test_the_source_passes_training_api_to_its_query(source, given, asked):
    args = dict(endpoint='https://modelarts.example.invalid', token='t', project_id='p', interval=1)
    if given:
        args['training_api'] = given
    instance = source['TrainingJobVersionsSource'](args)
    instance.client.close()
    assert instance.query.training_api == asked


def test_training_api_comes_from_the_environment_as_in_the_modules(source, monkeypatch):
    monkeypatch.setenv('MODELARTS_TRAINING_API', 'v2')
    instance = source['TrainingJobVersionsSource'](dict(endpoint='https://modelarts.example.invalid', token='t',
                                                        project_id='p', interval=1))
    instance.client.close()
    assert instance.query.training_api == 'v2'
