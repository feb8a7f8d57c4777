# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The playbook the example rulebook runs, given the event of a v1 version and of a v2 job (as ansible-rulebook does).

make eda runs the whole rulebook against the emulator; this runs only the playbook, with the extra vars
ansible-rulebook would pass, so that the plan of a new-version job (its outputs, a string version_id) is checked
on every ansible-core of the matrix.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import subprocess
import sys

import pytest

from conftest import ansible_environment

V1_VERSION = dict(version_id=3, version_name='resnet50-train-V0003', status=10, status_name='completed',
                  status_group='succeeded', end_time_iso='2026-12-01T10:00:00Z', duration_seconds=3600,
                  flavor_code='modelarts.p3.large.8', gpu_num=8, pool_id='pool-a')
V2_JOB = dict(api_version='v2', version_id='4f2a9c1e-77b3-4b0e-9d1c-2a5e8f1b6c0d', version_name='bert-train-V0002',
              status='Completed', status_name='completed', status_group='succeeded', end_time_iso='2026-12-01T11:00:00Z',
              duration_seconds=1800, flavor_code='modelarts.pool.visual.custom', gpu_num=None, pool_id='pool-dedicated',
              secondary_phase='Completed', node_count=2, user_name='alice',
              outputs=[dict(name='model', obs_url='obs://bucket/bert/model/'),
                       dict(name='logs', obs_url='obs://bucket/bert/logs/')])


def deploy(tmp_path, version):
    event = dict(modelarts=dict(type='status_changed', version=version, previous_status='running', project_id='p1',
                                region='eu-de'))
    deploy_dir = tmp_path / 'plans'
    command = [os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), 'mlops.modelarts.deploy_on_completion',
               '-i', 'localhost,', '-e', json.dumps(dict(ansible_eda=dict(event=event))),
               '-e', 'ansible_python_interpreter=%s' % sys.executable]
    env = ansible_environment(str(tmp_path), callback='default', env=dict(MODELARTS_DEPLOY_DIR=str(deploy_dir)))
    completed = subprocess.run(command, capture_output=True, text=True, env=env, cwd=str(tmp_path), timeout=300,
                               check=False)
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    with open(str(deploy_dir / ('%s.json' % version['version_name']))) as handle:
        return json.load(handle), completed.stdout


@pytest.mark.parametrize('version, api, outputs', [
    (V1_VERSION, 'v1', []),
    (V2_JOB, 'v2', V2_JOB['outputs']),
], ids=['v1', 'v2'])
def test_the_plan_names_the_api_and_a_v2_jobs_outputs(tmp_path, version, api, outputs):
    plan, stdout = deploy(tmp_path, version)
    assert (plan['api_version'], plan['outputs'], plan['version_id']) == (api, outputs, version['version_id'])
    assert plan['model_name'] == version['version_name'].rsplit('-', 1)[0]
    if outputs:
        assert 'obs://bucket/bert/model/, obs://bucket/bert/logs/' in stdout
