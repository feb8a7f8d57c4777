# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""training_api v2 and all through real ansible-playbook against the emulator over HTTP (design.md, issue 23).

Expected records are built here from the raw job objects the emulator serves (GET /v2/.../training-jobs/{id}),
by design.md's table, not by the collection's own code.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import threading
import time

import pytest

from conftest import credentials
from tests.emulator.harness import DEFAULT_TOKEN, Emulator

PUBLIC_RUNNING = 'v2-public-running'
POOL_DONE = 'v2-pool-completed'
POOL_UNKNOWN = 'v2-pool-unknown-flavor'
UNKNOWN_FLAVOR = 'modelarts.pool.mystery.xlarge'
GATE_JOB = 'v2-gate-job'
V2_JOBS = [
    dict(id='11111111-0000-4000-8000-000000000001', name=PUBLIC_RUNNING, phase='Running', create_time=1767000000000,
         flavor_id='modelarts.vm.gpu.v100nv32', node_count=2),
    dict(id='11111111-0000-4000-8000-000000000002', name=POOL_DONE, phase='Completed', create_time=1767000001000,
         flavor_id='modelarts.pool.visual.4xlarge', pool_id='pool-gpu-a'),
    dict(id='11111111-0000-4000-8000-000000000003', name=POOL_UNKNOWN, phase='Running', create_time=1767000002000,
         flavor_id=UNKNOWN_FLAVOR, pool_id='pool-gpu-a'),
]
GROUPS = {'Creating': 'active', 'Pending': 'active', 'Running': 'active', 'Terminating': 'active',
          'Completed': 'succeeded', 'Failed': 'failed', 'Abnormal': 'failed', 'Terminated': 'canceled'}
PER_NODE_GPUS = {'modelarts.vm.gpu.v100nv32': 1, 'modelarts.pool.visual.4xlarge': 4}

PLAY = '''
- hosts: localhost
  gather_facts: false
  tasks:
%s
'''


def info_task(name, options):
    return '''    - name: %s
      mlops.modelarts.training_job_version_info: %s
      register: %s
''' % (name, json.dumps(options), name.replace(' ', '_'))


@pytest.fixture(scope='module')
def v2_emulator():
    with Emulator(versions=6, v2_jobs=0) as running:
        running.set_v2_jobs(replace=V2_JOBS)
        yield running


def raw_job(emulator, job_id):
    status, dummy, job = emulator.request('GET', '/v2/%s/training-jobs/%s' % (emulator.project_id, job_id),
                                          headers={'X-Auth-Token': DEFAULT_TOKEN})
    assert status == 200, job
    return job


def expected_record(job):
    """design.md's table, written out from the raw job."""
    metadata, status, resource = job['metadata'], job['status'], job['spec']['resource']
    phase = status['phase']
    group = GROUPS.get(phase, 'unknown')
    started = status.get('start_time') or 0
    ended = group in ('succeeded', 'failed', 'canceled') and started > 0
    per_node = PER_NODE_GPUS.get(resource['flavor_id'])
    nodes = resource.get('node_count', 1)
    return {
        'version_id': metadata['id'], 'version_name': metadata['name'], 'status': phase,
        'status_name': phase.lower(), 'status_group': group, 'create_time': metadata['create_time'],
        'start_time': started, 'duration': status.get('duration'),
        'end_time': started + status['duration'] if ended else 0,
        'version_desc': metadata.get('description'), 'pool_id': resource.get('pool_id'),
        'flavor_code': resource['flavor_id'],
        'gpu_num': None if per_node is None else per_node * nodes, 'npu_num': None if per_node is None else 0,
        'api_version': 'v2', 'secondary_phase': status.get('secondary_phase'), 'node_count': nodes,
        'user_name': metadata.get('user_name'),
        'outputs': [{'name': output['name'], 'obs_url': output['remote']['obs']['obs_url']}
                    for output in job.get('algorithm', {}).get('outputs', [])],
    }


@pytest.fixture(scope='module')
def main_run(v2_emulator, run_playbook_once):
    token = credentials(v2_emulator, 'token')
    aksk = credentials(v2_emulator, 'aksk')
    tasks = [
        info_task('v2 only', dict(token, training_api='v2')),
        info_task('all apis', dict(token)),
        info_task('all summary', dict(token, include_versions=False, page_size=2)),
        info_task('v1 only', dict(token, training_api='v1')),
        info_task('v2 signed', dict(aksk, training_api='v2', status=['succeeded'])),
        '''    - name: lookup
      set_fact:
        looked_up: "{{ lookup('mlops.modelarts.training_job_versions', training_api='v2', result='summary',
                              endpoint=%s, token=%s, project_id=%s, region='eu-de') }}"
''' % ("'%s'" % v2_emulator.url, "'%s'" % DEFAULT_TOKEN, "'%s'" % v2_emulator.project_id),
        '''    - name: lookup result
      debug:
        var: looked_up
''',
    ]
    run = run_playbook_once(PLAY % ''.join(tasks))
    assert run.returncode == 0, run.stdout + run.stderr
    return run


def test_v2_records_are_design_md_s_table(main_run, v2_emulator):
    versions = main_run.result('v2 only')['versions']
    expected = [expected_record(raw_job(v2_emulator, job['id'])) for job in reversed(V2_JOBS)]
    assert [dict((key, record[key]) for key in expected[0]) for record in versions] == expected
    assert all(record['outputs'] for record in versions)  # the emulator's jobs name where their model lands


def test_all_merges_v1_versions_and_v2_jobs_newest_first(main_run):
    merged = main_run.result('all apis')['versions']
    v1_only = main_run.result('v1 only')['versions']
    assert sorted(r['api_version'] for r in merged) == ['v1'] * len(v1_only) + ['v2'] * len(V2_JOBS)
    times = [r['create_time'] for r in merged]
    assert times == sorted(times, reverse=True)
    assert [r['version_id'] for r in merged if r['api_version'] == 'v1'] == [r['version_id'] for r in v1_only]
    assert all(r['api_version'] == 'v1' for r in v1_only)


def test_an_unknown_pool_flavor_is_null_and_counted_unknown_with_one_warning(main_run):
    result = main_run.result('all apis')
    unknown = [r for r in result['versions'] if r['version_name'] == POOL_UNKNOWN]
    assert [(r['gpu_num'], r['npu_num']) for r in unknown] == [(None, None)]
    summary = result['gpu_summary']
    assert summary['accelerators_unknown'] == 1
    assert summary['versions'] == len(result['versions'])
    assert [w for w in result.get('warnings', []) if UNKNOWN_FLAVOR in w and 'accelerators_unknown' in w]
    folded = main_run.result('all summary')['gpu_summary']
    assert folded == summary


def test_the_v1_only_run_sends_no_v2_request_and_the_others_do(main_run, v2_emulator):
    assert main_run.result('v1 only')['requests'] == 1
    assert main_run.result('v2 only')['requests'] == 2  # the search and, for the pool jobs, the flavors list


def test_an_aksk_signed_search_is_accepted(main_run, v2_emulator):
    result = main_run.result('v2 signed')
    assert [r['version_name'] for r in result['versions']] == [POOL_DONE]
    bodies = [r['body'] for r in v2_emulator.v2_requests() if r.get('body', {}).get('filters')]
    assert {'key': 'phase', 'operator': 'in', 'value': ['Completed']} in bodies[0]['filters']


def test_the_lookup_reads_v2(main_run):
    summary = main_run.result('lookup result')['looked_up']
    assert (summary['versions'], summary['gpu_num'], summary['accelerators_unknown']) == (3, 6, 1)


def test_the_gate_waits_for_a_v2_job_the_emulator_completes(v2_emulator, run_playbook):
    job_id = '11111111-0000-4000-8000-0000000000aa'
    v2_emulator.set_v2_jobs(add=[dict(id=job_id, name=GATE_JOB, phase='Running', create_time=1767000003000)])
    v2_emulator.reset_log()

    def complete_after_first_poll():
        give_up = time.monotonic() + 120
        while not v2_emulator.v2_requests() and time.monotonic() < give_up:
            time.sleep(0.1)
        v2_emulator.v2_transitions([{'job_id': job_id, 'phase': 'Completed', 'after_seconds': 2}])

    watcher = threading.Thread(target=complete_after_first_poll)
    watcher.start()
    try:
        run = run_playbook(PLAY % info_task('gate', dict(
            credentials(v2_emulator, 'token'), training_api='v2', names=[GATE_JOB], wait=True, wait_sleep=1,
            wait_timeout=120, wait_for={'status': ['succeeded']})))
    finally:
        watcher.join()
    assert run.returncode == 0, run.stdout + run.stderr
    result = run.result('gate')
    assert [(r['version_name'], r['status'], r['status_group']) for r in result['versions']] == [
        (GATE_JOB, 'Completed', 'succeeded')]
    assert len(v2_emulator.v2_requests()) >= 2  # it polled while the job was still running


def test_a_v1_404_under_all_is_a_warning_and_v2_jobs_come_back(v2_emulator, run_playbook):
    v2_emulator.inject({'kind': 'status', 'status': 404, 'target': 'versions'})
    run = run_playbook(PLAY % info_task('all', dict(credentials(v2_emulator, 'token'), names=['v2-*'])))
    assert run.returncode == 0, run.stdout + run.stderr
    result = run.result('all')
    assert all(r['api_version'] == 'v2' for r in result['versions']) and result['versions']
    assert [w for w in result['warnings'] if '404' in w and 'training_api: v2' in w]
