# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The gpu_report role's modelarts_training_api: checked at role entry, passed to the query as training_api."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os

from conftest import credentials

ROLE_PLAY = '''
- hosts: localhost
  gather_facts: false
  roles:
    - mlops.modelarts.gpu_report
'''


def _role_vars(emulator, tmp_path, **extra):
    options = dict(('modelarts_' + key, value) for key, value in credentials(emulator, 'token').items())
    options.update(modelarts_report_dir=str(tmp_path / 'report'), **extra)
    return options


def test_a_training_api_outside_the_choices_fails_at_role_entry_before_any_request(emulator, run_playbook, tmp_path):
    emulator.reset_log()
    run = run_playbook(ROLE_PLAY, extra_vars=_role_vars(emulator, tmp_path, modelarts_training_api='v3'))
    assert run.returncode != 0
    assert 'modelarts_training_api' in run.stdout and 'all, v1, v2' in run.stdout, run.stdout[-3000:]
    assert emulator.versions_requests() == []
    assert not os.path.exists(str(tmp_path / 'report'))


def test_the_role_reads_only_the_api_modelarts_training_api_names(emulator, run_playbook, tmp_path):
    emulator.set_v2_jobs(replace=[dict(id='job-running', name='bert-train', phase='Running',
                                       flavor_id='modelarts.vm.gpu.8v100nv32')])
    emulator.reset_log()
    run = run_playbook(ROLE_PLAY, extra_vars=_role_vars(emulator, tmp_path, modelarts_training_api='v2'))
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert emulator.versions_requests() == [] and len(emulator.v2_requests()) >= 1
    with open(str(tmp_path / 'report' / 'gpu_report.json')) as handle:
        report = json.load(handle)
    assert sorted(report['projects'][0]['by_api']) == ['v2']
    assert [(item['api_version'], item['version_id']) for item in report['longest_running']] == [('v2', 'job-running')]
    with open(str(tmp_path / 'report' / 'gpu_report.prom')) as handle:
        assert 'modelarts_api_active_gpus{project="localhost",region="eu-de",api="v2"} 8' in handle.read()


def test_without_modelarts_training_api_the_role_reads_both_apis(emulator, run_playbook, tmp_path):
    emulator.reset_log()
    run = run_playbook(ROLE_PLAY, extra_vars=_role_vars(emulator, tmp_path))
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert emulator.versions_requests() and emulator.v2_requests()
