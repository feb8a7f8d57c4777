# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The filters gpu_summary and job_status in real playbooks (with the emulator where data is needed)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import subprocess
import sys

from conftest import credentials


def as_vars(options):
    return dict(('modelarts_' + name, value) for name, value in options.items())


def test_gpu_summary_of_the_modules_versions_is_the_modules_summary(emulator, run_playbook):
    run = run_playbook('''
- hosts: localhost
  gather_facts: false
  tasks:
    - name: query
      mlops.modelarts.training_job_version_info: "{{ connection }}"
      register: answer
    - name: compare
      ansible.builtin.debug:
        msg: "{{ answer.versions | mlops.modelarts.gpu_summary == answer.gpu_summary }}"
''', extra_vars=dict(connection=credentials(emulator, 'token')))
    assert run.result('compare')['msg'] is True, run.stdout


def test_gpu_summary_merges_separate_answers(emulator, run_playbook):
    run = run_playbook('''
- hosts: localhost
  gather_facts: false
  tasks:
    - name: merged
      ansible.builtin.debug:
        msg:
          - "{{ (query('mlops.modelarts.training_job_versions', status='running')
                 + query('mlops.modelarts.training_job_versions', status='completed')) | mlops.modelarts.gpu_summary }}"
          - "{{ lookup('mlops.modelarts.training_job_versions', status=['running', 'completed'], result='summary') }}"
''', extra_vars=as_vars(credentials(emulator, 'token')))
    merged, together = run.result('merged')['msg']
    assert merged == together and merged['versions'] > 0


def test_job_status_converts_codes_to_names_and_names_to_codes(run_playbook):
    run = run_playbook('''
- hosts: localhost
  gather_facts: false
  tasks:
    - name: convert
      ansible.builtin.debug:
        msg:
          - "{{ 8 | mlops.modelarts.job_status }}"
          - "{{ 'running' | mlops.modelarts.job_status }}"
          - "{{ 'JOBSTAT_RUNNING' | mlops.modelarts.job_status }}"
          - "{{ 8 | mlops.modelarts.job_status('api_name') }}"
''')
    assert run.result('convert')['msg'] == ['running', 8, 8, 'JOBSTAT_RUNNING']


def test_job_status_group_selects_the_active_versions(emulator, run_playbook):
    run = run_playbook('''
- hosts: localhost
  gather_facts: false
  tasks:
    - name: active
      ansible.builtin.debug:
        msg:
          - "{{ query('mlops.modelarts.training_job_versions') | selectattr('status', 'in', 'active' | mlops.modelarts.job_status)
                | map(attribute='version_id') | sort }}"
          - "{{ query('mlops.modelarts.training_job_versions', status='active') | map(attribute='version_id') | sort }}"
''', extra_vars=as_vars(credentials(emulator, 'token')))
    by_filter, by_query = run.result('active')['msg']
    assert by_filter == by_query and by_filter


def test_unknown_status_fails_the_task_naming_the_value_and_what_is_allowed(run_playbook):
    run = run_playbook('''
- hosts: localhost
  gather_facts: false
  tasks:
    - name: convert
      ansible.builtin.debug:
        msg: "{{ 'sleeping' | mlops.modelarts.job_status }}"
''')
    message = run.result('convert')['msg']
    assert "unknown status 'sleeping'" in message and 'status codes 0-21' in message and 'Traceback' not in run.stdout


def test_filter_documentation_renders():
    command = [os.path.join(os.path.dirname(sys.executable), 'ansible-doc'), '-t', 'filter',
               'mlops.modelarts.gpu_summary', 'mlops.modelarts.job_status']
    completed = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert completed.returncode == 0 and completed.stdout.count('EXAMPLES') == 2, completed.stderr
