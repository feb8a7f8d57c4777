# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The gpu_report role's modelarts_training_api: checked at role entry, passed to the query as training_api."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

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
