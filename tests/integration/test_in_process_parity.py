# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""In-process and module runs register the same results.

One matrix of tasks (auth methods and credential sources, filters, sorting, paging, check mode, the gate, bad input,
API errors, faults, no_log) runs twice against one emulator: once as the action plugins run it on the controller
(in-process), once with modelarts_run_in_process=false (the module). Each mode is one ansible-playbook run; the
tests compare the registered results task by task, timing fields aside. The proof that in-process needs no module
process is a localhost whose ansible_python_interpreter does not exist.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import json
import os
import re
import textwrap

import pytest

from conftest import credentials, execute_playbook

from tests.emulator.harness import DEFAULT_TOKEN, Emulator

INFO = 'mlops.modelarts.training_job_version_info'
FACTS = 'mlops.modelarts.training_job_version_facts'
MODES = ('in_process', 'module')
SUCCEEDED_ID, FAILED_ID, RUNNING_ID = 70001, 70002, 70003


def _task(module, options, method='token', faults=None, **keywords):
    return dict(module=module, options=options, method=method, faults=faults or [], keywords=keywords)


# name -> task; `method` None means no credentials in the options (they come from elsewhere).
TASKS = {
    'token': _task(INFO, {}),
    'aksk with status and pool': _task(INFO, {'status': ['running'], 'pool_id': 'pool-gpu-a'}, method='aksk'),
    'password with a status group': _task(INFO, {'status': ['active']}, method='password'),
    'credentials from the task environment': _task(INFO, {'status': [10]}, method=None, environment={
        'OS_AUTH_TOKEN': DEFAULT_TOKEN, 'OS_PROJECT_ID': '{{ project_id }}', 'MODELARTS_ENDPOINT': '{{ emulator_url }}',
        'OS_REGION_NAME': 'eu-de'}),
    'a task token wins over other methods in the environment': _task(INFO, {'limit': 1}, environment={
        'OS_USERNAME': 'robot', 'OS_PASSWORD': 'pw-secret', 'OS_USER_DOMAIN_NAME': 'domain',
        'HUAWEICLOUD_SDK_AK': 'env-ak', 'HUAWEICLOUD_SDK_SK': 'env-sk'}),
    'two methods in the environment': _task(INFO, {'endpoint': '{{ emulator_url }}', 'project_id': '{{ project_id }}'},
                                            method=None, environment={'OS_AUTH_TOKEN': DEFAULT_TOKEN,
                                                                      'OS_USERNAME': 'robot', 'OS_PASSWORD': 'pw-secret'}),
    'credentials from clouds.yaml': _task(INFO, {'cloud': 'parity', 'endpoint': '{{ emulator_url }}'}, method=None,
                                          environment={'OS_CLIENT_CONFIG_FILE': '{{ clouds_yaml }}'}),
    'module_defaults of the action group': _task(INFO, {'names': ['*-V000*']}, method=None, defaults=True),
    'several statuses sorted': _task(INFO, {'status': ['running', 'completed', 'failed'], 'sort_by': 'status',
                                            'order': 'asc'}),
    'names, offset and limit': _task(INFO, {'names': ['*-V00*'], 'offset': 2, 'limit': 5, 'sort_by': 'job_name'}),
    'paging': _task(INFO, {'page_size': 7, 'sort_by': 'duration'}),
    'counts only': _task(INFO, {'include_versions': False, 'status': ['terminal']}),
    'validate_certs false warns': _task(INFO, {'validate_certs': False, 'limit': 3}),
    'check mode': _task(INFO, {'limit': 4}, check_mode=True),
    'facts': _task(FACTS, {'status': ['failed']}),
    'facts counts only': _task(FACTS, {'include_versions': False}),
    'facts in check mode': _task(FACTS, {'limit': 2}, check_mode=True),
    'a secret inside the options': _task(INFO, {'names': [DEFAULT_TOKEN, '*-V0001']}),
    'no_log task': _task(INFO, {'limit': 1}, no_log=True),
    'gate passes': _task(INFO, {'names': ['parity-succeeded'], 'wait': True, 'wait_sleep': 1,
                                'wait_for': {'status': ['succeeded'], 'min_versions': 1}}),
    'gate fails fast': _task(INFO, {'names': ['parity-failed'], 'wait': True, 'wait_sleep': 1, 'wait_timeout': 30,
                                    'wait_for': {'status': ['succeeded']}}),
    'gate times out': _task(INFO, {'names': ['parity-running'], 'wait': True, 'wait_sleep': 1, 'wait_timeout': 1,
                                   'wait_for': {'status': ['succeeded']}}),
    'gate checked once': _task(INFO, {'names': ['parity-running'], 'wait_for': {'max_active_gpus': 0}}),
    'task timeout keyword ends the gate': _task(INFO, {'names': ['parity-running'], 'wait': True, 'wait_sleep': 1,
                                                       'wait_timeout': 5, 'wait_for': {'status': ['succeeded']}},
                                                timeout=2),
    'unsupported option': _task(INFO, {'colour': 'blue'}),
    'mutually exclusive': _task(INFO, {'username': 'robot', 'password': 'pw-secret'}),
    'required together': _task(INFO, {'access_key': 'ak-only'}, method=None),
    'wrong type': _task(INFO, {'limit': 'many'}),
    'not a choice': _task(INFO, {'order': 'sideways'}),
    'wrong wait_for suboption': _task(INFO, {'wait_for': {'colour': 'blue'}}),
    'unknown status name': _task(INFO, {'status': ['sleeping']}),
    'negative offset': _task(INFO, {'offset': -1}),
    'facts unsupported option': _task(FACTS, {'wait': True}),
    'no credentials': _task(INFO, {'endpoint': '{{ emulator_url }}', 'project_id': '{{ project_id }}'}, method=None),
    '401 wrong token': _task(INFO, {'token': 'not-a-valid-token'}),
    '403 token of another project': _task(INFO, {'token': DEFAULT_TOKEN + '-2'}),
    '404 unknown project': _task(INFO, {'project_id': 'ffffffffffffffffffffffffffffffff'}),
    '503 once is retried': _task(INFO, {'limit': 2}, faults=[{'kind': 'status', 'status': 503}]),
    # Each fault is used up by its task (retries=1: two attempts), so none is left for the next task.
    '500 beyond the retries fails': _task(INFO, {'retries': 1, 'timeout': 2.0},
                                          faults=[{'kind': 'status', 'status': 500, 'times': 2}]),
    'html error page': _task(INFO, {}, faults=[{'kind': 'html', 'status': 404}]),
}
# Subset for the ansible-core version matrix (Makefile MATRIX_INTEGRATION runs this file with -k).
MATRIX_SUBSET = ('token', 'password with a status group', 'credentials from the task environment',
                 'module_defaults of the action group', 'check mode', 'facts', 'a secret inside the options',
                 'no_log task', 'gate fails fast', 'unsupported option', 'wrong type', '401 wrong token',
                 '500 beyond the retries fails')
if os.environ.get('MODELARTS_PARITY_TASKS') == 'matrix':
    TASKS = dict((name, TASKS[name]) for name in MATRIX_SUBSET)


def _task_yaml(index, name, task, emulator):
    options = dict(task['options'])
    if task['method']:
        options = dict(credentials(emulator, task['method']), **options)
    keywords = dict((key, value) for key, value in task['keywords'].items() if key not in ('defaults', 'retries'))
    lines = []
    if task['faults']:
        lines.append({'name': 'faults for %s' % name, 'ansible.builtin.uri': {
            'url': '{{ emulator_url }}/_emulator/faults', 'method': 'POST', 'body_format': 'json',
            'body': {'faults': task['faults']}, 'use_proxy': False}})
    step = dict({'name': name, task['module']: options, 'register': 'r%d' % index, 'ignore_errors': True}, **keywords)
    if task['keywords'].get('defaults'):
        step = {'name': 'block of %s' % name, 'block': [step], 'module_defaults': {
            'group/mlops.modelarts.modelarts': dict(credentials(emulator, 'token'), limit=6)}}
    lines.append(step)
    return lines


def parity_playbook(emulator):
    tasks = []
    names = list(TASKS)
    for index, name in enumerate(names):
        tasks.extend(_task_yaml(index, name, TASKS[name], emulator))
    collected = '{{ {%s} | to_json }}' % ', '.join('%s: r%d' % (json.dumps(name), index) for index, name in enumerate(names))
    tasks.append({'name': 'registered results', 'ansible.builtin.debug': {'msg': collected}})
    play = [{'hosts': 'localhost', 'gather_facts': False, 'tasks': tasks}]
    return json.dumps(play, indent=1)


CLOUDS_YAML = """
clouds:
  parity:
    region_name: eu-de
    auth:
      token: %s
      project_id: %s
"""

TIMING_IN_MESSAGES = re.compile(r'\d+ polls? in \d+(\.\d+)?s')


def without_timing(result):
    """Give back a copy of a registered result without what depends on time."""
    result = copy.deepcopy(result)
    if isinstance(result.get('wait'), dict):
        result['wait'].pop('elapsed', None)
    if isinstance(result.get('msg'), str):
        result['msg'] = TIMING_IN_MESSAGES.sub('N polls in Ts', result['msg'])
    result.pop('timedout', None)  # the stack frame the task timeout interrupted differs by nature
    return result


@pytest.fixture(scope='module')
def parity(tmp_path_factory):
    """Give back {mode: {'registered': {task name: result}, 'shown': {task name: result}}}, one run per mode.

    'registered' is the task's registered variable; 'shown' what callbacks get (with `invocation`, which
    ansible-core drops from registered variables and shows from -vvv on).
    """
    with Emulator(versions=40) as emulator:
        emulator.set_versions(add=[
            dict(version_id=SUCCEEDED_ID, version_name='parity-succeeded', status=10, gpu_num=1),
            dict(version_id=FAILED_ID, version_name='parity-failed', status=11, gpu_num=2),
            dict(version_id=RUNNING_ID, version_name='parity-running', status=8, gpu_num=4),
        ])
        directory = tmp_path_factory.mktemp('parity')
        clouds_yaml = directory / 'clouds.yaml'
        clouds_yaml.write_text(CLOUDS_YAML % (DEFAULT_TOKEN, emulator.project_id))
        playbook = parity_playbook(emulator)
        results = {}
        for mode in MODES:
            extra_vars = dict(emulator_url=emulator.url, project_id=emulator.project_id, clouds_yaml=str(clouds_yaml),
                              modelarts_run_in_process=mode == 'in_process')
            # ansible-core 2.21+ adds `invocation` only when asked (earlier versions ignore the variable).
            run = execute_playbook(directory, playbook, extra_vars=extra_vars, env={'ANSIBLE_INJECT_INVOCATION': 'true'})
            registered = run.result('registered results')['msg']
            results[mode] = dict(
                registered=json.loads(registered) if isinstance(registered, str) else registered,
                shown=dict((name, run.result(name)) for name in TASKS),
            )
        return results


@pytest.mark.parametrize('name', list(TASKS))
def test_in_process_registers_what_the_module_registers(parity, name):
    assert without_timing(parity['in_process']['registered'][name]) == without_timing(parity['module']['registered'][name])


@pytest.mark.parametrize('name', list(TASKS))
def test_in_process_shows_what_the_module_shows_invocation_included(parity, name):
    assert without_timing(parity['in_process']['shown'][name]) == without_timing(parity['module']['shown'][name])


def test_the_matrix_covers_successes_and_failures(parity):
    outcomes = set(bool(result.get('failed')) for result in parity['in_process']['registered'].values())
    assert outcomes == {True, False}


def test_invocation_shows_the_module_args_with_secrets_blanked(parity):
    for mode in MODES:
        args = parity[mode]['shown']['token']['invocation']['module_args']
        assert args['token'] == 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'


def test_secrets_are_blanked_in_both_modes(parity):
    for mode in MODES:
        text = json.dumps(parity[mode])
        assert DEFAULT_TOKEN not in text and 'pw-secret' not in text


NO_INTERPRETER_PLAY = """
- hosts: all
  gather_facts: false
  tasks:
    - name: info
      %s: %s
      register: info
      ignore_errors: true
    - name: facts
      %s: %s
      ignore_errors: true
"""


@pytest.fixture(scope='module')
def without_interpreter(tmp_path_factory):
    """Give back {mode: PlaybookRun} of the two modules on a localhost whose Python interpreter does not exist."""
    with Emulator(versions=5) as emulator:
        options = json.dumps(dict(credentials(emulator, 'token'), include_versions=False))
        playbook = NO_INTERPRETER_PLAY % (INFO, options, FACTS, options)
        inventory = textwrap.dedent("""
            nopython ansible_connection=local ansible_python_interpreter=/nonexistent/bin/python3
        """)
        runs = {}
        for mode in MODES:
            runs[mode] = execute_playbook(
                tmp_path_factory.mktemp('nopython'), playbook, inventory=inventory,
                extra_vars=dict(modelarts_run_in_process=mode == 'in_process',
                                ansible_python_interpreter='/nonexistent/bin/python3'))
        return runs


def test_in_process_needs_no_python_on_the_host(without_interpreter):
    run = without_interpreter['in_process']
    assert run.result('info', 'nopython')['total_count'] == 5
    assert run.result('facts', 'nopython')['ansible_facts']['modelarts_total_count'] == 5


def test_forced_module_needs_the_host_python(without_interpreter):
    run = without_interpreter['module']
    assert run.result('info', 'nopython').get('failed') is True
    assert '/nonexistent/bin/python3' in json.dumps(run.result('info', 'nopython'))


ASYNC_PLAY = """
- hosts: localhost
  gather_facts: false
  tasks:
    - name: async
      %s: %s
      async: 60
      poll: 1
      register: answer
"""


def test_async_task_runs_the_module(emulator, run_playbook):
    run = run_playbook(ASYNC_PLAY % (INFO, json.dumps(dict(credentials(emulator, 'token'), include_versions=False))))
    result = run.result('async')
    # async_status results carry the job's id and state: the module ran through async_wrapper.
    assert (result['total_count'], result['finished']) == (40, 1)
    assert result['ansible_job_id']
