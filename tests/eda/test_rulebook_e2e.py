# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""End to end: the real ansible-rulebook runs the example rulebook against the emulator (make eda, in .venv-eda).

One run of scripts/eda-demo.py (the same run `make eda-demo` shows): four versions run, then
resnet50-train-V0001 completes, resnet50-train-V0002 fails, bert-base-finetune-V0001 (not matched by the
rulebook's `resnet50-train-*`) completes, and so does a hostile version whose name is a Jinja template and whose
flavor is a '#jinja2:' header, each touching a file of the run's directory if anything templates it. The playbook
runs on the ansible-core of .venv-eda (2.19). A second, shorter run (--hostile-only) has the playbook run by
ansible-core 2.17 (.venv-2.17/bin first on PATH; EDA_ANSIBLE_2_17_BIN says where else), which templated every
string of ansible_eda as soon as any part of it was read. The tests read what those runs left behind.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import subprocess
import sys
from urllib.parse import unquote_plus

import pytest
from ansible.release import __version__ as ANSIBLE_CORE_VERSION

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
sys.path.insert(0, REPO_ROOT)

from tests.emulator.harness import DEFAULT_TOKEN  # noqa: E402  (the repo root must be on sys.path first)

DEMO = os.path.join(REPO_ROOT, 'scripts', 'eda-demo.py')
ANSIBLE_2_17_BIN = os.environ.get('EDA_ANSIBLE_2_17_BIN', os.path.join(REPO_ROOT, '.venv-2.17', 'bin'))
HOSTILE_NAME = "resnet50-train-x{{ lookup('pipe', 'touch %s') }}"
MARKERS = ('owned-by-name', 'owned-by-header')


def run_demo(out_dir, *options):
    completed = subprocess.run([sys.executable, DEMO, '--out', out_dir, '--quiet', '--timeout', '120'] + list(options),
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
    result['out_dir'] = out_dir
    return result


@pytest.fixture(scope='module')
def demo(tmp_path_factory):
    return run_demo(str(tmp_path_factory.mktemp('eda-demo')))


@pytest.fixture(scope='module')
def demo_on_2_17(tmp_path_factory):
    if not os.path.exists(os.path.join(ANSIBLE_2_17_BIN, 'ansible-playbook')):
        raise AssertionError('no ansible-playbook in %s: make matrix-2.17 builds .venv-2.17' % ANSIBLE_2_17_BIN)
    return run_demo(str(tmp_path_factory.mktemp('eda-demo-2.17')), '--hostile-only', '--ansible-bin', ANSIBLE_2_17_BIN)


def test_the_playbook_ran_once_for_each_completed_matched_version_only(demo):
    assert demo['playbook_runs'] == 2, demo['log'][-4000:]
    assert demo['deployments'][0] == 'resnet50-train-V0001.json', demo['log'][-4000:]
    assert demo['deployments'][1].startswith('resnet50-train-x_7B_7B_lookup__pipe'), demo['deployments']
    assert len(demo['deployments']) == 2


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


def assert_hostile_version_deployed_as_data(run):
    for marker in MARKERS:
        assert not os.path.exists(os.path.join(run['out_dir'], marker)), 'a template in the event ran a command'
    plan = run['hostile_plan']
    assert plan is not None, run['log'][-4000:]
    assert unquote_plus(plan['version_name']) == HOSTILE_NAME % os.path.join(run['out_dir'], 'owned-by-name')
    assert plan['version_name'].startswith('resnet50-train-x%7B%7B lookup(')
    assert plan['flavor_code'].startswith('%23jinja2:variable_start_string')
    assert plan['escaped_fields'] == ['version/version_name', 'version/flavor_code']
    assert 'percent-encoded in a status_changed event' in run['log']
    assert run['exit'] == 0 and run['ok'] is True, run['output'][-4000:]
    return plan


def test_a_version_named_as_a_template_runs_no_command_and_is_deployed_under_its_encoded_name(demo):
    plan = assert_hostile_version_deployed_as_data(demo)
    assert plan['planned_by_ansible_core'] == ANSIBLE_CORE_VERSION
    assert demo['plans']['resnet50-train-V0001.json']['escaped_fields'] == []


def test_on_ansible_core_2_17_a_version_named_as_a_template_runs_no_command_either(demo_on_2_17):
    plan = assert_hostile_version_deployed_as_data(demo_on_2_17)
    assert plan['planned_by_ansible_core'].startswith('2.17.'), plan
    assert demo_on_2_17['playbook_runs'] == 1 and len(demo_on_2_17['deployments']) == 1
