# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""usage_since/usage_until through both modules, the lookup and the gpu_usage filter, against explicit versions.

One playbook run; each test reads one of its tasks.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import calendar
import datetime

import pytest

from conftest import credentials
from tests.emulator.harness import Emulator

HOUR = 3600 * 1000
SINCE = calendar.timegm(datetime.datetime(2026, 11, 1).timetuple()) * 1000
UNTIL = SINCE + 24 * HOUR
P38, P34, P1, CPU, NPU8 = ('modelarts.p3.large.8', 8, 0), ('modelarts.p3.large.4', 4, 0), ('modelarts.p1.2xlarge', 1, 0), \
    ('modelarts.vm.cpu.8u', 0, 0), ('modelarts.kat1.8xlarge', 0, 8)


def version(version_id, status, flavor, pool, create, start=0, end=0):
    return dict(version_id=version_id, version_name='usage-V%04d' % version_id, status=status, flavor_code=flavor[0],
                gpu_num=flavor[1], npu_num=flavor[2], pool_id=pool, create_time=create, start_time=start,
                end_time=end, duration=end - start if end else 0)


VERSIONS = [
    version(1, 8, P38, 'pool-gpu-a', SINCE - 3 * HOUR, SINCE - 2 * HOUR),  # running through the whole window: 192
    version(2, 10, P34, 'pool-gpu-a', SINCE + HOUR, SINCE + 2 * HOUR, SINCE + 5 * HOUR),  # 12, waited 1 h
    version(3, 11, P1, None, SINCE + 39 * HOUR // 2, SINCE + 20 * HOUR, UNTIL + 3 * HOUR),  # 4, waited 30 min
    version(4, 12, P38, 'pool-gpu-a', SINCE - 11 * HOUR, SINCE - 10 * HOUR, SINCE - HOUR),  # ended before: 0
    version(5, 8, NPU8, 'pool-npu-b', SINCE + 11 * HOUR, SINCE + 12 * HOUR),  # 96 NPU-hours, waited 1 h
    version(6, 7, P38, 'pool-gpu-a', SINCE + 23 * HOUR),  # waiting for 1 h at the end of the window
    version(7, 11, P34, 'pool-gpu-a', SINCE - 6 * HOUR, SINCE - 5 * HOUR),  # failed, no end time: holds nothing
    version(8, 7, P38, 'pool-gpu-a', UNTIL + HOUR),  # created after the window: not waiting in it
    version(9, 8, CPU, None, SINCE - 4 * HOUR, SINCE),  # no accelerators; started at the start, waited 4 h
]
EXPECTED = {
    'since': '2026-11-01T00:00:00.000Z', 'until': '2026-11-02T00:00:00.000Z',
    'gpu_hours': 208.0, 'npu_hours': 96.0, 'versions': 4, 'accelerators_unknown': 0,
    'by_pool': {'pool-gpu-a': {'gpu_hours': 204.0, 'npu_hours': 0.0, 'versions': 2},
                'none': {'gpu_hours': 4.0, 'npu_hours': 0.0, 'versions': 1},
                'pool-npu-b': {'gpu_hours': 0.0, 'npu_hours': 96.0, 'versions': 1}},
    'by_flavor': {'modelarts.p3.large.8': {'gpu_hours': 192.0, 'npu_hours': 0.0, 'versions': 1},
                  'modelarts.p3.large.4': {'gpu_hours': 12.0, 'npu_hours': 0.0, 'versions': 1},
                  'modelarts.p1.2xlarge': {'gpu_hours': 4.0, 'npu_hours': 0.0, 'versions': 1},
                  'modelarts.kat1.8xlarge': {'gpu_hours': 0.0, 'npu_hours': 96.0, 'versions': 1}},
    'by_status_group': {'active': {'gpu_hours': 192.0, 'npu_hours': 96.0, 'versions': 2},
                        'succeeded': {'gpu_hours': 12.0, 'npu_hours': 0.0, 'versions': 1},
                        'failed': {'gpu_hours': 4.0, 'npu_hours': 0.0, 'versions': 1}},
    'queue': {'waiting': 1, 'waiting_gpu_num': 8, 'waiting_npu_num': 0, 'longest_wait_seconds': 3600.0,
              'started': 4, 'wait_seconds_p50': 3600.0, 'wait_seconds_p95': 14400.0},
}

PLAYBOOK = '''
- hosts: localhost
  gather_facts: false
  tasks:
    - name: info
      mlops.modelarts.training_job_version_info: "{{ connection | combine({'usage_since': '2026-11-01',
                                                    'usage_until': '2026-11-02T01:00:00+01:00'}) }}"
      register: info
    - name: facts
      mlops.modelarts.training_job_version_facts: "{{ connection | combine({'usage_since': since_ms | string,
                                                      'usage_until': until_ms | string}) }}"
      vars:
        modelarts_run_in_process: false  # the module process; the other tasks run in-process
    - name: compare
      ansible.builtin.debug:
        msg:
          facts: "{{ modelarts_gpu_usage }}"
          lookup: "{{ lookup('mlops.modelarts.training_job_versions', usage_since='2026-11-01T00:00:00Z',
                             usage_until='2026-11-02', result='usage', **connection) }}"
          filter: "{{ info.versions | mlops.modelarts.gpu_usage(since=since_ms, until='2026-11-02T00:00Z') }}"
    - name: age
      mlops.modelarts.training_job_version_info: "{{ connection | combine({'usage_since': '2w', 'include_versions': false}) }}"
    - name: without usage_since
      mlops.modelarts.training_job_version_info: "{{ connection | combine({'include_versions': false}) }}"
    - name: bad usage_since
      mlops.modelarts.training_job_version_info: "{{ connection | combine({'usage_since': 'last tuesday'}) }}"
      ignore_errors: true
'''


@pytest.fixture(scope='module')
def usage_emulator():
    with Emulator(config={'versions': VERSIONS}) as running:
        yield running


@pytest.fixture(scope='module')
def run(usage_emulator, run_playbook_once):
    usage_emulator.reset_log()
    outcome = run_playbook_once(PLAYBOOK, extra_vars=dict(connection=credentials(usage_emulator, 'token'),
                                                          since_ms=SINCE, until_ms=UNTIL))
    outcome.requests = [record for record in usage_emulator.log() if record['path'].endswith('/training-jobs/versions')]
    return outcome


def test_info_module_gives_the_hours_and_the_queue_of_the_window(run):
    assert run.result('info')['gpu_usage'] == EXPECTED, run.stdout[-3000:]


def test_facts_module_run_as_a_module_gives_the_same_usage_as_a_fact(run):
    assert run.result('compare')['msg']['facts'] == EXPECTED


def test_lookup_result_usage_is_the_modules_usage(run):
    assert run.result('compare')['msg']['lookup'] == EXPECTED


def test_filter_on_the_modules_versions_equals_the_module(run):
    assert run.result('compare')['msg']['filter'] == EXPECTED


def test_an_age_counts_back_from_now(run):
    usage = run.result('age')['gpu_usage']
    since, until = (datetime.datetime.strptime(usage[key], '%Y-%m-%dT%H:%M:%S.%fZ') for key in ('since', 'until'))
    assert until - since == datetime.timedelta(weeks=2)
    assert abs((datetime.datetime.utcnow() - until).total_seconds()) < 600


def test_without_usage_since_there_is_no_gpu_usage(run):
    assert 'gpu_usage' not in run.result('without usage_since')


def test_bad_usage_since_fails_before_any_request(run):
    result = run.result('bad usage_since')
    assert result['failed'] is True
    assert result['msg'].startswith("usage_since: 'last tuesday' is not a time; accepted are an ISO 8601 date")
    # info, facts, lookup, age and without: five requests; the bad one sent none.
    assert len(run.requests) == 5


# Counts a server may send and no job has: 10**400 is valid JSON, -3 once lowered active_gpu_num. 2.5 and '7' are
# read as 2 and 7 by the API reading (module_utils/_versions.checked_version), as before.
HOSTILE_VERSIONS = [
    version(1, 8, P38, 'pool-gpu-a', SINCE - 3 * HOUR, SINCE - 2 * HOUR),  # 8 GPUs through the window: 192
    dict(version(2, 8, P38, 'pool-gpu-a', SINCE - 3 * HOUR, SINCE - 2 * HOUR), gpu_num=10 ** 400),
    dict(version(3, 8, P38, 'pool-gpu-a', SINCE - 3 * HOUR, SINCE - 2 * HOUR), gpu_num=-3),
    dict(version(4, 7, P38, 'pool-gpu-a', SINCE + 23 * HOUR), gpu_num=-3),  # waiting: asks for an unknown number
]

HOSTILE_PLAYBOOK = '''
- hosts: localhost
  gather_facts: false
  tasks:
    - name: in-process
      mlops.modelarts.training_job_version_info: "{{ connection | combine({'usage_since': since_ms | string,
                                                    'usage_until': until_ms | string}) }}"
    - name: module process, folded
      mlops.modelarts.training_job_version_info: "{{ connection | combine({'include_versions': false, 'page_size': 2}) }}"
      vars:
        modelarts_run_in_process: false
'''


@pytest.fixture(scope='module')
def hostile_run(run_playbook_once):
    with Emulator(config={'versions': HOSTILE_VERSIONS}) as running:
        return run_playbook_once(HOSTILE_PLAYBOOK, extra_vars=dict(connection=credentials(running, 'token'),
                                                                   since_ms=SINCE, until_ms=UNTIL))


@pytest.mark.parametrize('task', ['in-process', 'module process, folded'])
def test_hostile_gpu_counts_are_unknown_never_summed_and_warned_about(hostile_run, task):
    result = hostile_run.result(task)
    summary = result['gpu_summary']
    assert (summary['versions'], summary['gpu_num'], summary['active_gpu_num'], summary['accelerators_unknown']) == (
        4, 8, 8, 3), hostile_run.stdout[-3000:]
    warning = [w for w in result.get('warnings', []) if 'accelerators_unknown' in w]
    assert len(warning) == 1 and warning[0].startswith('gpu_summary: 3 versions carry a gpu_num or npu_num that is '
                                                       'not a whole number from 0 to 1000000')
    assert 'version_id 2: gpu_num=an integer of about 401 digits' in warning[0]


def test_hostile_gpu_counts_add_no_gpu_hours(hostile_run):
    usage = hostile_run.result('in-process')['gpu_usage']
    assert (usage['gpu_hours'], usage['versions'], usage['accelerators_unknown']) == (192.0, 1, 3)
    assert (usage['queue']['waiting'], usage['queue']['waiting_gpu_num']) == (1, 0)
