# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The lookup in real playbooks against the emulator: debug, set_fact, when, templates, the cache across forks."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os

import pytest

from conftest import credentials

LOOKUP = 'mlops.modelarts.training_job_versions'


def as_vars(options):
    """Give back connection options as the Ansible variables the lookup reads (modelarts_<option>)."""
    return dict(('modelarts_' + name, value) for name, value in options.items())


def play(*tasks, **keywords):
    hosts = keywords.get('hosts', 'localhost')
    return '- hosts: %s\n  gather_facts: false\n  tasks:\n%s' % (hosts, ''.join(tasks))


def test_terms_select_versions_by_name_glob(emulator, run_playbook):
    run = run_playbook(play('''
    - name: names
      ansible.builtin.debug:
        msg: "{{ query('%s', 'resnet50-*') | map(attribute='version_name') | list }}"
''' % LOOKUP), extra_vars=as_vars(credentials(emulator, 'token')))
    names = run.result('names')['msg']
    assert names and all(name.startswith('resnet50-') for name in names)


def test_set_fact_keeps_the_summary(emulator, run_playbook):
    run = run_playbook(play('''
    - name: keep
      ansible.builtin.set_fact:
        summary: "{{ lookup('%s', result='summary') }}"
        versions: "{{ query('%s') }}"
    - name: show
      ansible.builtin.debug:
        msg: "{{ [summary.gpu_num, versions | map(attribute='gpu_num') | sum, summary.versions] }}"
''' % (LOOKUP, LOOKUP)), extra_vars=as_vars(credentials(emulator, 'token')))
    gpus, expected_gpus, count = run.result('show')['msg']
    assert (gpus, count) == (expected_gpus, 40)


def test_when_condition_runs_the_task_only_if_versions_match(emulator, run_playbook):
    run = run_playbook(play('''
    - name: some match
      ansible.builtin.debug:
        msg: running
      when: lookup('%s', 'resnet50-*', result='count') | int > 0
    - name: none match
      ansible.builtin.debug:
        msg: running
      when: lookup('%s', 'no-such-job-*', result='count') | int > 0
''' % (LOOKUP, LOOKUP)), extra_vars=as_vars(credentials(emulator, 'token')))
    assert (run.result('some match').get('skipped'), run.result('none match').get('skipped')) == (None, True)


def test_template_renders_one_line_per_version(emulator, run_playbook, tmp_path):
    template = tmp_path / 'report.j2'
    template.write_text("{% for v in query('" + LOOKUP + "', status='failed') %}{{ v.version_name }} {{ v.status_group }}\n"
                        "{% endfor %}")
    report = tmp_path / 'report.txt'
    run = run_playbook(play('''
    - name: render
      ansible.builtin.template:
        src: %s
        dest: %s
''' % (template, report)), extra_vars=as_vars(credentials(emulator, 'token')))
    assert run.returncode == 0, run.stdout
    lines = report.read_text().splitlines()
    assert lines and all(line.endswith(' failed') for line in lines)


def test_options_from_the_environment(emulator, run_playbook):
    options = credentials(emulator, 'aksk')
    env = dict(MODELARTS_ENDPOINT=options['endpoint'], HUAWEICLOUD_SDK_AK=options['access_key'],
               HUAWEICLOUD_SDK_SK=options['secret_key'], OS_PROJECT_ID=options['project_id'])
    run = run_playbook(play('''
    - name: count
      ansible.builtin.debug:
        msg: "{{ lookup('%s', result='count') }}"
''' % LOOKUP), env=env)
    assert run.result('count')['msg'] == 40


def test_api_error_fails_the_task_with_a_clear_message(emulator, run_playbook):
    options = dict(credentials(emulator, 'token'), token='not-a-known-token')
    run = run_playbook(play('''
    - name: count
      ansible.builtin.debug:
        msg: "{{ lookup('%s', result='count') }}"
''' % LOOKUP), extra_vars=as_vars(options))
    message = run.result('count')['msg']
    assert 'ModelArts.0203' in message and 'Traceback' not in run.stdout + run.stderr


def test_conflicting_credentials_fail_before_any_request(emulator, run_playbook):
    options = dict(credentials(emulator, 'token'), username='someone', password='secret-word')
    run = run_playbook(play('''
    - name: count
      ansible.builtin.debug:
        msg: "{{ lookup('%s', result='count') }}"
''' % LOOKUP), extra_vars=as_vars(options))
    assert 'mutually exclusive' in run.result('count')['msg'] and emulator.versions_requests() == []


HOSTS_INVENTORY = '''
[projects]
host[001:200]

[projects:vars]
ansible_connection=local
'''

PER_HOST_PLAY = '''
- hosts: projects
  gather_facts: false
  tasks:
    - name: count
      ansible.builtin.debug:
        msg: "{{ lookup('%s', result='count') }}"
''' % LOOKUP


def test_cached_lookup_on_200_hosts_with_10_forks_asks_once(emulator, run_playbook, tmp_path):
    env = dict(MODELARTS_CACHE_TTL='300', MODELARTS_CACHE_DIR=str(tmp_path / 'cache'))
    run = run_playbook(PER_HOST_PLAY, inventory=HOSTS_INVENTORY, forks=10, env=env,
                       extra_vars=as_vars(credentials(emulator, 'token')))
    counts = [result['msg'] for result in run.task_results('count').values()]
    assert (len(counts), set(counts), len(emulator.versions_requests())) == (200, {40}, 1)


def test_uncached_lookup_on_200_hosts_asks_once_per_host(emulator, run_playbook, tmp_path):
    run = run_playbook(PER_HOST_PLAY, inventory=HOSTS_INVENTORY, forks=10,
                       extra_vars=as_vars(credentials(emulator, 'token')))
    assert (len(run.task_results('count')), len(emulator.versions_requests())) == (200, 200)


@pytest.mark.parametrize('method', ['token', 'aksk', 'password'])
def test_cache_files_never_hold_a_credential(emulator, run_playbook, tmp_path, method):
    # Also shows that each auth method works with options given as modelarts_* variables.
    options = credentials(emulator, method)
    cache_dir = tmp_path / 'cache'
    run = run_playbook(play('''
    - name: versions
      ansible.builtin.debug:
        msg: "{{ query('%s', cache_ttl=300, cache_dir='%s') | length }}"
    - name: summary
      ansible.builtin.debug:
        msg: "{{ lookup('%s', result='summary', cache_ttl=300, cache_dir='%s') }}"
''' % (LOOKUP, cache_dir, LOOKUP, cache_dir)), extra_vars=as_vars(options))
    assert run.result('versions')['msg'] == 40, run.stdout
    secrets = [options[name] for name in ('token', 'password', 'access_key', 'secret_key') if name in options]
    files = os.listdir(str(cache_dir))
    content = ''.join(files) + ''.join(open(os.path.join(str(cache_dir), name)).read() for name in files)
    # Two entries with their locks, and the directory's credential salt.
    assert len(files) == 5 and 'credential-salt' in files and [secret for secret in secrets if secret in content] == []
    # An IAM-issued token is unknown to the test: no field may even be called token.
    assert 'token' not in content.lower()
