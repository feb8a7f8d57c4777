# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""End to end: the real ansible-rulebook runs the example rulebook against the emulator (make eda, in .venv-eda).

One run of scripts/eda-demo.py (the same run `make eda-demo` shows): three versions run, then
resnet50-train-V0001 completes, resnet50-train-V0002 fails and bert-base-finetune-V0001 (not matched by the
rulebook's `resnet50-train-*`) completes. The tests read what that run left behind.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import subprocess
import sys

import pytest

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
sys.path.insert(0, REPO_ROOT)

from tests.emulator.harness import DEFAULT_TOKEN  # noqa: E402  (the repo root must be on sys.path first)

DEMO = os.path.join(REPO_ROOT, 'scripts', 'eda-demo.py')


@pytest.fixture(scope='module')
def demo(tmp_path_factory):
    out_dir = str(tmp_path_factory.mktemp('eda-demo'))
    completed = subprocess.run([sys.executable, DEMO, '--out', out_dir, '--quiet', '--timeout', '120'],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True, timeout=540,
                               check=False)
    result_path = os.path.join(out_dir, 'result.json')
    if not os.path.exists(result_path):
        raise AssertionError('the demo wrote no result:\n%s' % completed.stdout[-4000:])
    with open(result_path) as handle:
        result = json.load(handle)
    with open(os.path.join(out_dir, 'rulebook.log')) as handle:
        result['log'] = handle.read()
    result['exit'] = completed.returncode
    result['output'] = completed.stdout
    return result


def test_the_playbook_ran_once_for_the_completed_version_only(demo):
    assert demo['playbook_runs'] == 1, demo['log'][-4000:]
    assert demo['deployments'] == ['resnet50-train-V0001.json'], demo['log'][-4000:]


def test_the_deployment_plan_comes_from_the_event(demo):
    plan = demo['plans']['resnet50-train-V0001.json']
    assert plan['model_name'] == 'resnet50-train'
    assert plan['version_id'] == 1
    assert plan['region'] == 'eu-de'
    assert plan['project_id'] == '0a1b2c3d4e5f60718293a4b5c6d7e8f9'
    assert plan['completed_at'].endswith('Z')
    assert 3000 < plan['training_seconds'] < 3900  # started an hour before the demo


def test_the_failed_version_is_reported_not_deployed(demo):
    assert [line for line in demo['failure_reports'] if 'resnet50-train-V0002' in line], demo['log'][-4000:]
    assert 'resnet50-train-V0002 is failed (was running)' in demo['failure_reports'][0]
    assert 'bert-base-finetune' not in demo['log']


def test_the_demo_says_it_succeeded(demo):
    assert demo['exit'] == 0, demo['output'][-4000:]
    assert demo['ok'] is True


def test_no_secret_in_the_rulebook_output(demo):
    assert DEFAULT_TOKEN not in demo['log']
