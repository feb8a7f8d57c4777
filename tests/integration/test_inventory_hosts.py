# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Inventory-driven runs: the modules query each host's project; a broken source or cache fails the report.

Real ansible-playbook over a `mlops.modelarts.projects` inventory file against the emulator, one playbook run per
scenario (module-scoped fixtures), the assertions reading that run.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import hashlib
import json
import os

import pytest
import yaml

from conftest import execute_playbook
from tests.emulator.harness import (
    ACCOUNT_PROJECTS, DEFAULT_DOMAIN, DEFAULT_PASSWORD, DEFAULT_PROJECT_ID, DEFAULT_USER, Emulator, account_config,
)

HOSTS = ['cn-north-4', 'eu-de_ml', 'eu-nl']  # 15, 30 and 20 versions: each answer tells its project
VERSIONS = dict((name, versions) for name, versions, dummy in ACCOUNT_PROJECTS)
HOSTILE = 'eu-de_{{ 6 * 7 }}'  # a project name as IAM may send it: text, never a template
# The inventory names its host with letters, digits, '.', '-' and '_' only (issue 21): the project keeps its name.
HOSTILE_HOST = 'eu-de____6___7___'
QUERY = '      mlops.modelarts.training_job_version_info:\n        include_versions: false\n'


def project_id(name):
    return DEFAULT_PROJECT_ID if name == 'eu-de' else hashlib.md5(('project:' + name).encode('utf-8')).hexdigest()


@pytest.fixture(scope='module')
def emulator():
    with Emulator(config=account_config(extra_projects=[{'project_name': HOSTILE, 'versions': 5, 'seed': 21}])) as running:
        yield running


def inventory_file(directory, emulator, password=DEFAULT_PASSWORD, projects=None):
    """Write a projects inventory (a password login) into `directory`; give back its path."""
    path = os.path.join(str(directory), 'account.modelarts.yml')
    with open(path, 'w') as handle:
        yaml.safe_dump(dict(plugin='mlops.modelarts.projects', auth_url=emulator.auth_url, endpoint=emulator.url,
                            username=DEFAULT_USER, password=password, domain_name=DEFAULT_DOMAIN,
                            projects=projects or HOSTS), handle)
    return path


def openrc(emulator, **more):
    """The environment an openrc of the `eu-de` project gives (what the authentication guide has users export)."""
    return dict(dict(OS_AUTH_URL=emulator.auth_url, OS_USERNAME=DEFAULT_USER, OS_PASSWORD=DEFAULT_PASSWORD,
                     OS_USER_DOMAIN_NAME=DEFAULT_DOMAIN, OS_PROJECT_NAME='eu-de', OS_REGION_NAME='eu-de'), **more)


# The tests read each result's `invocation`, which ansible-core 2.21+ adds only when asked (earlier versions ignore it).
SHOW_INVOCATION = {'ANSIBLE_INJECT_INVOCATION': 'true'}

HOSTS_PLAYBOOK = '''
- hosts: all
  gather_facts: false
  tasks:
    - name: in-process
%(query)s
    - name: module process
%(query)s
      vars:
        modelarts_run_in_process: false
    - name: facts
      mlops.modelarts.training_job_version_facts:
        include_versions: false
    - name: lookup
      ansible.builtin.set_fact:
        looked_up: "{{ lookup('mlops.modelarts.training_job_versions', result='count') }}"
    - name: module_defaults name the project
%(query)s
      module_defaults:
        group/mlops.modelarts.modelarts:
          project_name: eu-de
    - name: the task names the region
%(query)s
        region: eu-de
''' % dict(query=QUERY)


@pytest.fixture(scope='module')
def hosts_run(emulator, tmp_path_factory):
    """The play over the inventory with OS_PROJECT_NAME=eu-de exported, at -vvv (the output is checked for secrets)."""
    directory = tmp_path_factory.mktemp('hosts')
    run = execute_playbook(directory, HOSTS_PLAYBOOK, inventory_path=inventory_file(directory, emulator),
                           env=openrc(emulator, MODELARTS_ENDPOINT=emulator.url, **SHOW_INVOCATION))
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return run


@pytest.mark.parametrize('task', ['in-process', 'module process'])
def test_a_task_naming_no_project_queries_each_hosts_project_over_os_project_name(hosts_run, task):
    answers = dict((host, result['total_count']) for host, result in hosts_run.task_results(task).items())
    assert answers == dict((host, VERSIONS[host]) for host in HOSTS)
    for host, result in hosts_run.task_results(task).items():
        assert result['invocation']['module_args']['project_id'] == project_id(host)


def test_the_facts_module_and_the_lookup_give_the_same_answers_per_host(hosts_run):
    facts = hosts_run.task_results('facts')
    looked_up = hosts_run.task_results('lookup')
    for host in HOSTS:
        assert facts[host]['ansible_facts']['modelarts_total_count'] == VERSIONS[host]
        assert int(looked_up[host]['ansible_facts']['looked_up']) == VERSIONS[host]


@pytest.mark.parametrize('task', ['module_defaults name the project', 'the task names the region'])
def test_a_task_or_module_defaults_naming_the_scope_win_over_the_host(hosts_run, task):
    answers = dict((host, result['total_count']) for host, result in hosts_run.task_results(task).items())
    assert answers == dict((host, VERSIONS['eu-de']) for host in HOSTS)


def test_no_secret_in_the_output(hosts_run):
    assert DEFAULT_PASSWORD not in hosts_run.stdout + hosts_run.stderr
    for result in hosts_run.task_results('in-process').values():
        assert result['invocation']['module_args']['password'] == 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'


TEMPLATED_PLAYBOOK = '''
- hosts: all
  gather_facts: false
  tasks:
    - name: in-process
%(query)s
    - name: module process
%(query)s
      vars:
        modelarts_run_in_process: false
    - name: what Ansible makes of the host variable
      ansible.builtin.set_fact:
        rendered: "{{ modelarts_project_name }}"
''' % dict(query=QUERY)


@pytest.fixture(scope='module')
def templated_run(emulator, tmp_path_factory):
    """No project in the environment; the endpoint a template in group_vars; a project name that looks like one."""
    directory = tmp_path_factory.mktemp('templated')
    (directory / 'group_vars').mkdir()
    (directory / 'group_vars' / 'all.yml').write_text('modelarts_endpoint: "{{ emulator_url }}"\n')
    environment = openrc(emulator, **SHOW_INVOCATION)
    del environment['OS_PROJECT_NAME'], environment['OS_REGION_NAME']
    run = execute_playbook(directory, TEMPLATED_PLAYBOOK, extra_vars=dict(emulator_url=emulator.url), env=environment,
                           inventory_path=inventory_file(directory, emulator, projects=['eu-nl', 'eu-de_{*']))
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return run


@pytest.mark.parametrize('task', ['in-process', 'module process'])
def test_host_variables_are_templated_as_ansible_templates_them(templated_run, task):
    results = templated_run.task_results(task)
    rendered = templated_run.task_results('what Ansible makes of the host variable')
    assert sorted(results) == sorted(['eu-nl', HOSTILE_HOST])
    assert results['eu-nl']['total_count'] == VERSIONS['eu-nl']  # the endpoint came from the template in group_vars
    assert results[HOSTILE_HOST]['total_count'] == 5
    for host, result in results.items():
        assert result['invocation']['module_args']['project_name'] == rendered[host]['ansible_facts']['rendered']


def test_a_project_name_from_iam_reaches_the_module_as_text(templated_run):
    """The inventory marks what IAM sent as unsafe (ansible-core 2.19 does for every inventory plugin's value)."""
    for task in ('in-process', 'module process'):
        assert templated_run.result(task, HOSTILE_HOST)['invocation']['module_args']['project_name'] == HOSTILE


REPORT = '- ansible.builtin.import_playbook: mlops.modelarts.gpu_report\n'
INVENTORY_CHECK = "Fail when no inventory host matches the report's hosts"


@pytest.fixture(scope='module')
def broken_inventory_report(emulator, tmp_path_factory):
    """gpu_report over a projects inventory file with a wrong password (the IAM refuses the listing)."""
    directory = tmp_path_factory.mktemp('broken')
    run = execute_playbook(directory, REPORT, extra_vars=dict(modelarts_report_dir=str(directory / 'report')),
                           inventory_path=inventory_file(directory, emulator, password='not-the-password'))
    return run, directory


def test_a_report_over_an_inventory_that_failed_to_parse_fails_saying_what_to_fix(broken_inventory_report):
    run, directory = broken_inventory_report
    assert run.returncode != 0
    message = run.result(INVENTORY_CHECK)['msg']
    assert "No inventory host matches 'all'" in message and 'Failed to parse' in message
    assert 'ANSIBLE_INVENTORY_UNPARSED_FAILED=true' in message
    assert not os.path.exists(str(directory / 'report'))
    assert 'not-the-password' not in run.stdout + run.stderr


def test_the_documented_setting_fails_ansible_on_the_broken_inventory_itself(emulator, tmp_path):
    run = execute_playbook(tmp_path, REPORT, callback='default', env={'ANSIBLE_INVENTORY_UNPARSED_FAILED': 'true'},
                           extra_vars=dict(modelarts_report_dir=str(tmp_path / 'report')),
                           inventory_path=inventory_file(tmp_path, emulator, password='not-the-password'))
    assert run.returncode != 0
    assert 'No inventory was parsed' in run.stderr and 'POST /v3/auth/tokens failed: HTTP 401' in run.stderr
    assert not os.path.exists(str(tmp_path / 'report'))


def test_a_report_from_the_cache_without_a_fact_cache_fails_instead_of_reporting_zeros(emulator, tmp_path):
    run = execute_playbook(tmp_path, REPORT, env={'ANSIBLE_CACHE_PLUGIN': 'memory'},
                           extra_vars=dict(modelarts_report_dir=str(tmp_path / 'report'), modelarts_report_from_cache=True),
                           inventory_path=inventory_file(tmp_path, emulator))
    assert run.returncode != 0
    failure = [result for result in run.task_results(
        "Fail when the fact cache holds no project's data (no fact cache configured, or nothing cached yet)").values()
        if result.get('failed')]
    assert len(failure) == 1
    assert 'no cached facts for any of the 3 report hosts' in failure[0]['msg']
    assert 'fact_caching = jsonfile' in failure[0]['msg'] and 'ANSIBLE_CACHE_PLUGIN=jsonfile' in failure[0]['msg']
    assert not os.path.exists(str(tmp_path / 'report'))
    assert emulator.versions_requests() == []


def test_hosts_missing_from_the_fact_cache_fail_the_report_after_it_is_written(emulator, tmp_path):
    cache = dict(ANSIBLE_CACHE_PLUGIN='jsonfile', ANSIBLE_CACHE_PLUGIN_CONNECTION=str(tmp_path / 'facts'))
    (tmp_path / 'fill').mkdir()
    fill = execute_playbook(tmp_path / 'fill', REPORT, env=dict(openrc(emulator, MODELARTS_ENDPOINT=emulator.url), **cache),
                            extra_vars=dict(modelarts_report_dir=str(tmp_path / 'fill')),
                            inventory_path=inventory_file(tmp_path / 'fill', emulator, projects=['cn-north-4']))
    assert fill.returncode == 0, fill.stdout[-3000:]
    run = execute_playbook(tmp_path, REPORT, env=cache, inventory_path=inventory_file(tmp_path, emulator),
                           extra_vars=dict(modelarts_report_dir=str(tmp_path / 'report'), modelarts_report_from_cache=True))
    assert run.returncode != 0
    with open(str(tmp_path / 'report' / 'gpu_report.json')) as handle:
        reported = [(p['host'], p['versions']) for p in json.load(handle)['projects'] if p['has_data']]
    assert reported == [('cn-north-4', VERSIONS['cn-north-4'])]
    failed = dict((host, result['msg']) for host, result in run.task_results(
        'Fail when a project has no cached facts (the report above shows it without data)').items() if result.get('failed'))
    assert sorted(failed) == ['eu-de_ml', 'eu-nl']
    assert 'no cached facts for eu-nl' in failed['eu-nl'] and 'without modelarts_report_from_cache' in failed['eu-nl']
