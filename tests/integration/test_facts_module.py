# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""training_job_version_facts, check mode of both modules, and module_defaults through the action group.

The same playbook runs twice, once normally and once with --check; the tests read both runs.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

import pytest

from conftest import api_fields, credentials, emulator_answer, expected_gpu_summary

FACT_NAMES = ('modelarts_training_job_versions', 'modelarts_gpu_summary', 'modelarts_total_count')
# What Ansible itself may add to any module result.
ANSIBLE_RESULT_KEYS = {'changed', 'failed', 'invocation', 'warnings', 'deprecations', '_ansible_no_log'}

PLAYBOOK = '''
- name: explicit credentials
  hosts: localhost
  gather_facts: false
  tasks:
    - name: info
      mlops.modelarts.training_job_version_info: %(info)s
    - name: facts
      mlops.modelarts.training_job_version_facts: %(info)s
    - name: read the facts as variables
      ansible.builtin.debug:
        msg:
          versions: "{{ modelarts_training_job_versions | map(attribute='version_id') | list }}"
          gpu_summary: "{{ modelarts_gpu_summary }}"
          total_count: "{{ modelarts_total_count }}"
          hostvars_total_count: "{{ hostvars['localhost'].modelarts_total_count }}"

- name: credentials from module_defaults
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/mlops.modelarts.modelarts: %(defaults)s
  tasks:
    - name: info with module_defaults
      mlops.modelarts.training_job_version_info:
        status: [running]
    - name: facts with module_defaults
      mlops.modelarts.training_job_version_facts:
        status: [running]
        include_versions: false
    - name: read the module_defaults facts
      ansible.builtin.debug:
        msg:
          total_count: "{{ modelarts_total_count }}"
          active_gpu_num: "{{ modelarts_gpu_summary.active_gpu_num }}"
          versions: "{{ modelarts_training_job_versions }}"
'''


def playbook(emulator):
    info = dict(credentials(emulator, 'token'), status=['running'])
    return PLAYBOOK % dict(info=json.dumps(info), defaults=json.dumps(credentials(emulator, 'aksk')))


@pytest.fixture(scope='module')
def running(emulator):
    """The emulator's own answer for status 8 (running)."""
    return emulator_answer(emulator, status=8)['versions']


@pytest.fixture(scope='module')
def normal_run(emulator, run_playbook_once):
    run = run_playbook_once(playbook(emulator))
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return run


@pytest.fixture(scope='module')
def check_run(emulator, run_playbook_once):
    run = run_playbook_once(playbook(emulator), check=True)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return run


def test_facts_module_sets_the_three_facts(normal_run, running):
    facts = normal_run.result('facts')['ansible_facts']
    assert api_fields(facts['modelarts_training_job_versions'], running) == running
    assert facts['modelarts_total_count'] == len(running)
    summary = facts['modelarts_gpu_summary']
    assert dict((key, summary[key]) for key in expected_gpu_summary([])) == expected_gpu_summary(running)


def test_facts_are_variables_for_later_tasks(normal_run, running):
    seen = normal_run.result('read the facts as variables')['msg']
    assert seen['versions'] == [v['version_id'] for v in running]
    assert seen['gpu_summary']['gpu_num'] == sum(v['gpu_num'] for v in running)
    assert int(seen['total_count']) == int(seen['hostvars_total_count']) == len(running)


def test_facts_module_returns_nothing_but_facts(normal_run):
    result = normal_run.result('facts')
    assert set(result) - ANSIBLE_RESULT_KEYS == {'ansible_facts'}
    assert set(result['ansible_facts']) - set(FACT_NAMES) <= {'modelarts_query'}


def test_info_module_sets_no_facts(normal_run):
    assert 'ansible_facts' not in normal_run.result('info')


@pytest.mark.parametrize('task', ['info', 'facts', 'info with module_defaults', 'facts with module_defaults'])
def test_changed_is_false(normal_run, task):
    assert normal_run.result(task)['changed'] is False


@pytest.mark.parametrize('task', ['info', 'facts'])
def test_check_mode_returns_the_same_data(normal_run, check_run, task):
    checked = check_run.result(task)
    assert checked['changed'] is False
    assert dict(checked, invocation=None) == dict(normal_run.result(task), invocation=None)


def test_info_module_takes_credentials_from_module_defaults(normal_run, running):
    result = normal_run.result('info with module_defaults')
    assert [v['version_id'] for v in result['versions']] == [v['version_id'] for v in running]


def test_facts_module_takes_credentials_from_module_defaults(normal_run, running):
    seen = normal_run.result('read the module_defaults facts')['msg']
    assert int(seen['total_count']) == len(running)
    assert int(seen['active_gpu_num']) == sum(v['gpu_num'] for v in running)
    assert seen['versions'] == []
