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
                           env=openrc(emulator, MODELARTS_ENDPOINT=emulator.url))
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
    environment = openrc(emulator)
    del environment['OS_PROJECT_NAME'], environment['OS_REGION_NAME']
    run = execute_playbook(directory, TEMPLATED_PLAYBOOK, extra_vars=dict(emulator_url=emulator.url), env=environment,
                           inventory_path=inventory_file(directory, emulator, projects=['eu-nl', 'eu-de_{*']))
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return run


@pytest.mark.parametrize('task', ['in-process', 'module process'])
def test_host_variables_are_templated_as_ansible_templates_them(templated_run, task):
    results = templated_run.task_results(task)
    rendered = templated_run.task_results('what Ansible makes of the host variable')
    assert sorted(results) == sorted(['eu-nl', HOSTILE])
    assert results['eu-nl']['total_count'] == VERSIONS['eu-nl']  # the endpoint came from the template in group_vars
    assert results[HOSTILE]['total_count'] == 5
    for host, result in results.items():
        assert result['invocation']['module_args']['project_name'] == rendered[host]['ansible_facts']['rendered']


def test_a_project_name_from_iam_reaches_the_module_as_text(templated_run):
    """The inventory marks what IAM sent as unsafe (ansible-core 2.19 does for every inventory plugin's value)."""
    for task in ('in-process', 'module process'):
        assert templated_run.result(task, HOSTILE)['invocation']['module_args']['project_name'] == HOSTILE

