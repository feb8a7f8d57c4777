# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""`cloud:` with the password in ~/.config/openstack/secure.yaml, as the OTC docs set it up, for every plugin.

One playbook run (info module in-process, facts module as a module, lookup, an incomplete entry) and one
ansible-inventory run. The entry uses the otc profile (region eu-de) with an auth_url on loopback: the emulator
plays the private cloud's IAM, so the ModelArts endpoint must come from its catalog, not the public eu-de host.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os

import pytest

from conftest import execute_playbook
from test_inventory import run_inventory
from tests.emulator.harness import DEFAULT_DOMAIN, DEFAULT_PASSWORD, DEFAULT_PROJECT_NAME, DEFAULT_USER

CLOUDS_YAML = '''
clouds:
  emu:
    profile: otc
    verify: false    # plain http here anyway; the plugins must say that verification is off
    auth:
      auth_url: {auth_url}
      username: {user}
      user_domain_name: {domain}
      project_name: {project}
    # python-otcextensions' sample keeps OBS keys here; the auth block's credentials win.
    ak: OBS-ACCESS-KEY-NOT-USED
    sk: OBS-SECRET-KEY-NOT-USED
  incomplete:
    region_name: eu-de
    auth:
      auth_url: {auth_url}
      username: {user}
      user_domain_name: {domain}
      project_name: {project}
'''
SECURE_YAML = '''
clouds:
  emu:
    auth:
      password: {password}
'''

PLAYBOOK = '''
- hosts: localhost
  gather_facts: false
  tasks:
    - name: info
      mlops.modelarts.training_job_version_info:
        cloud: emu
        include_versions: false
      register: info
    - name: facts
      mlops.modelarts.training_job_version_facts:
        cloud: emu
      vars:
        modelarts_run_in_process: false
    - name: lookup
      ansible.builtin.debug:
        msg: "{{ lookup('mlops.modelarts.training_job_versions', cloud='emu', result='count') }}"
    - name: incomplete
      mlops.modelarts.training_job_version_info:
        cloud: incomplete
      ignore_errors: true
'''


@pytest.fixture(scope='module')
def home(emulator, tmp_path_factory):
    """A HOME whose ~/.config/openstack holds clouds.yaml and, apart, the password in secure.yaml."""
    root = tmp_path_factory.mktemp('home')
    folder = root / '.config' / 'openstack'
    folder.mkdir(parents=True)
    values = dict(auth_url=emulator.auth_url, user=DEFAULT_USER, domain=DEFAULT_DOMAIN, project=DEFAULT_PROJECT_NAME,
                  password=DEFAULT_PASSWORD)
    (folder / 'clouds.yaml').write_text(CLOUDS_YAML.format(**values))
    (folder / 'secure.yaml').write_text(SECURE_YAML.format(**values))
    os.chmod(str(folder / 'secure.yaml'), 0o600)
    return root


@pytest.fixture(scope='module')
def playbook_run(emulator, home, tmp_path_factory):
    emulator.reset_log()
    run = execute_playbook(tmp_path_factory.mktemp('clouds'), PLAYBOOK, env={'HOME': str(home)})
    return run, emulator.log()


def test_the_info_module_logs_in_with_the_password_from_secure_yaml(playbook_run):
    run, dummy = playbook_run
    assert run.result('info')['total_count'] == 40


def test_verify_false_in_the_entry_is_warned_about(playbook_run):
    run, dummy = playbook_run
    assert any(warning.startswith("validate_certs is false (verify or insecure in the clouds.yaml entry 'emu')")
               for warning in run.result('info').get('warnings', []))


def test_the_facts_module_run_as_a_module_reads_the_same_files(playbook_run):
    run, dummy = playbook_run
    assert run.result('facts')['ansible_facts']['modelarts_total_count'] == 40


def test_the_lookup_reads_the_same_files(playbook_run):
    run, dummy = playbook_run
    assert run.result('lookup')['msg'] == 40


def test_the_endpoint_comes_from_the_private_iam_catalog(playbook_run):
    dummy, log = playbook_run
    logins = [record for record in log if record['path'] == '/v3/auth/tokens']
    assert len(logins) == 3 and all('nocatalog' not in record['query'] for record in logins)
    assert all(record['auth'] == 'token' for record in log if record['path'].endswith('/training-jobs/versions'))


def test_an_entry_without_password_fails_naming_the_files_and_no_secret(playbook_run, home):
    run, dummy = playbook_run
    result = run.result('incomplete')
    assert result['failed'] is True
    message = result['msg']
    assert message.startswith('username and password must be given together')
    assert str(home / '.config' / 'openstack' / 'clouds.yaml') in message
    assert str(home / '.config' / 'openstack' / 'secure.yaml') in message
    assert DEFAULT_PASSWORD not in run.stdout + run.stderr
    assert 'OBS-SECRET-KEY-NOT-USED' not in run.stdout + run.stderr


def test_the_inventory_plugin_reads_the_same_files(emulator, home, tmp_path):
    inventory = run_inventory(tmp_path, dict(plugin='mlops.modelarts.projects', cloud='emu'), env={'HOME': str(home)})
    assert inventory.returncode == 0, inventory.output[-3000:]
    assert DEFAULT_PROJECT_NAME in inventory.hostvars
