# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The roles gate_on_training, wait_for_capacity and gpu_report: argument_specs checked at role entry.

Their behaviour is that of the playbooks that wrap them (test_gate.py, test_report.py, test_playbooks.py); ansible-doc
shows them (test_ansible_doc.py).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os

import pytest

from conftest import credentials

# (role, how a play uses it, the variable given a wrong value, that value)
WRONG_VARIABLES = [
    ('gate_on_training', '- ansible.builtin.import_playbook: mlops.modelarts.gate_on_training\n',
     dict(modelarts_version_name='any-V0001', modelarts_wait_timeout='an hour'), 'modelarts_wait_timeout'),
    ('wait_for_capacity', '''
- hosts: localhost
  gather_facts: false
  tasks:
    - ansible.builtin.include_role:
        name: mlops.modelarts.wait_for_capacity
''', dict(modelarts_max_active_gpus=8, modelarts_wait_sleep='often'), 'modelarts_wait_sleep'),
    ('gpu_report', '''
- hosts: localhost
  gather_facts: false
  roles:
    - mlops.modelarts.gpu_report
''', dict(modelarts_report_top='the top ten'), 'modelarts_report_top'),
]


def _failures(run):
    """Give back the messages of the failed task results of a run (any task, any host)."""
    assert run.report is not None, run.stdout[-3000:] + run.stderr[-3000:]
    return [result.get('msg', '') for play in run.report['plays'] for task in play['tasks']
            for result in task['hosts'].values() if result.get('failed')]


@pytest.mark.parametrize('role, playbook, wrong, variable', WRONG_VARIABLES, ids=[row[0] for row in WRONG_VARIABLES])
def test_a_wrong_variable_fails_at_role_entry_naming_it(emulator, run_playbook, tmp_path, role, playbook, wrong,
                                                        variable):
    options = dict(('modelarts_' + key, value) for key, value in credentials(emulator, 'token').items())
    emulator.reset_log()
    run = run_playbook(playbook, extra_vars=dict(options, modelarts_report_dir=str(tmp_path / 'report'), **wrong))
    failures = _failures(run)
    assert run.returncode != 0 and len(failures) == 1, failures
    assert "argument '%s' is of type" % variable in str(failures[0])
    assert emulator.versions_requests() == []
    assert not os.path.exists(str(tmp_path / 'report'))


def test_inventory_variables_win_over_the_role_defaults(emulator, run_playbook):
    """The defaults are role defaults (the lowest precedence), as the playbook's `| default()` were."""
    options = dict(('modelarts_' + key, value) for key, value in credentials(emulator, 'token').items())
    name = 'precedence-V970001'
    emulator.set_versions(add=[dict(version_id=970001, version_name=name, status=8, gpu_num=1)])
    host = 'localhost ansible_connection=local modelarts_gate_statuses=\'["running"]\' modelarts_version_name=%s\n' % name
    run = run_playbook('- ansible.builtin.import_playbook: mlops.modelarts.gate_on_training\n', inventory=host,
                       extra_vars=options)
    assert run.returncode == 0, run.stdout[-3000:]
    assert run.result("Show the gate's outcome")['msg'][0] == 'PASSED: gate on training job version %s (wanted: running)' % name
