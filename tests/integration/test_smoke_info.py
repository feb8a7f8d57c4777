# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

import pytest

from conftest import credentials

PLAY = '''
- hosts: localhost
  gather_facts: false
  tasks:
    - name: query
      mlops.modelarts.training_job_version_info: %s
'''


@pytest.mark.parametrize('method', ['token', 'aksk', 'password'])
def test_each_auth_method_returns_every_version(emulator, run_playbook, method):
    run = run_playbook(PLAY % json.dumps(credentials(emulator, method)))
    result = run.result('query')
    assert run.returncode == 0, run.stdout
    assert result['total_count'] == 40
    assert len(result['versions']) == 40
    assert result['gpu_summary']['gpu_num'] == sum(v['gpu_num'] for v in result['versions'])
