# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Where credentials come from, against the emulator with real ansible-playbook runs (issue 24, points 5 and 8).

A task's own authentication method wins over another method's variables left in the shell (an openrc), for the
modules (in-process and as a module) and the lookup alike; the emulator's log says which method reached it. AK/SK
with a private auth_url and no endpoint never leaves the machine: the proxy every request would go through counts
no connection.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import socket
import threading

import pytest

from conftest import execute_playbook, marker_task, requests_by_marker

from tests.emulator.harness import (
    DEFAULT_AK, DEFAULT_DOMAIN, DEFAULT_PASSWORD, DEFAULT_PROJECT_NAME, DEFAULT_SK, DEFAULT_TOKEN, DEFAULT_USER,
)

INFO = 'mlops.modelarts.training_job_version_info'
FACTS = 'mlops.modelarts.training_job_version_facts'
LOOKUP = 'mlops.modelarts.training_job_versions'
VERSIONS_SUFFIX = '/training-jobs/versions'


def password_openrc(emulator):
    """Give back the variables of an openrc for a password login at the emulator (what the guides suggest)."""
    return dict(OS_AUTH_URL=emulator.auth_url, OS_USERNAME=DEFAULT_USER, OS_PASSWORD=DEFAULT_PASSWORD,
                OS_USER_DOMAIN_NAME=DEFAULT_DOMAIN, OS_PROJECT_NAME=DEFAULT_PROJECT_NAME, OS_REGION_NAME='eu-de')


def query_tasks(options, marker):
    """Give back the YAML of the info module in-process and as a module, the facts module and the lookup."""
    arguments = ''.join('\n        %s: "%s"' % item for item in sorted(options.items()))
    keywords = ', '.join('%s=%r' % item for item in sorted(options.items()))
    return marker_task(marker) + '''
    - name: '%(marker)s in-process'
      %(info)s:%(arguments)s
        limit: 1
    - name: '%(marker)s module'
      %(info)s:%(arguments)s
        limit: 1
      vars:
        modelarts_run_in_process: false
    - name: '%(marker)s facts'
      %(facts)s:%(arguments)s
        include_versions: false
    - name: '%(marker)s lookup'
      ansible.builtin.debug:
        msg: "{{ lookup('%(lookup)s', result='count', %(keywords)s) }}"
''' % dict(marker=marker, info=INFO, facts=FACTS, lookup=LOOKUP, arguments=arguments, keywords=keywords)


def play(*tasks):
    return '- hosts: localhost\n  gather_facts: false\n  tasks:\n%s' % ''.join(tasks)


def failing_task(name, options, environment=None):
    arguments = ''.join('\n        %s: "%s"' % item for item in sorted(options.items()))
    text = '''
    - name: '%s'
      %s:%s
      ignore_errors: true
''' % (name, INFO, arguments)
    if environment:
        text += '      environment:' + ''.join('\n        %s: "%s"' % item for item in sorted(environment.items())) + '\n'
    return text


def assert_all_succeeded(run, marker):
    for suffix in ('in-process', 'module', 'facts', 'lookup'):
        result = run.result('%s %s' % (marker, suffix))
        assert not result.get('failed'), result.get('msg')


@pytest.fixture(scope='module')
def token_task_run(emulator, tmp_path_factory):
    """Tasks naming a token, in a shell with a password openrc and AK/SK exported; then two runs that must fail."""
    emulator.reset_log()
    token = dict(token=DEFAULT_TOKEN, project_id=emulator.project_id, endpoint=emulator.url)
    playbook = play(
        query_tasks(token, 'token'),
        marker_task('both in the task'),
        failing_task('both in the task', dict(token, username=DEFAULT_USER, password=DEFAULT_PASSWORD)),
        marker_task('both in the environment'),
        failing_task('both in the environment', dict(project_id=emulator.project_id, endpoint=emulator.url),
                     environment=dict(OS_AUTH_TOKEN=DEFAULT_TOKEN)),
    )
    shell = dict(password_openrc(emulator), HUAWEICLOUD_SDK_AK=DEFAULT_AK, HUAWEICLOUD_SDK_SK=DEFAULT_SK)
    run = execute_playbook(tmp_path_factory.mktemp('token-task'), playbook, extra_vars=dict(emulator_url=emulator.url),
                           env=shell)
    return run, requests_by_marker(emulator.log())


def test_a_task_token_wins_over_a_password_login_and_ak_sk_in_the_environment(token_task_run):
    run, segments = token_task_run
    assert_all_succeeded(run, 'token')
    requests = segments['token']
    assert requests and not [record for record in requests if record['path'].endswith('/auth/tokens')]
    assert set(record['auth'] for record in requests if record['path'].endswith(VERSIONS_SUFFIX)) == {'token'}


def test_two_methods_in_the_task_fail_naming_both_before_any_request(token_task_run):
    run, segments = token_task_run
    result = run.result('both in the task')
    assert result['failed'] and result['msg'].startswith('parameters are mutually exclusive: token|username')
    assert segments['both in the task'] == []


def test_two_methods_in_the_environment_fail_saying_they_came_from_it(token_task_run):
    run, segments = token_task_run
    message = run.result('both in the environment')['msg']
    assert message.startswith('conflicting credentials: ')
    for named in ('token (from the environment: OS_AUTH_TOKEN)', 'access_key/secret_key (from the environment: '
                  'HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK)', 'username/password (from the environment: OS_USERNAME, '
                  'OS_PASSWORD)'):
        assert named in message
    assert segments['both in the environment'] == []
    assert DEFAULT_PASSWORD not in run.stdout + run.stderr and DEFAULT_SK not in run.stdout + run.stderr


def test_a_task_password_login_wins_over_a_token_and_ak_sk_in_the_environment(emulator, tmp_path):
    login = dict(username=DEFAULT_USER, password=DEFAULT_PASSWORD, domain_name=DEFAULT_DOMAIN,
                 project_name=DEFAULT_PROJECT_NAME, auth_url=emulator.auth_url, endpoint=emulator.url)
    shell = dict(OS_AUTH_TOKEN='not-the-token', HUAWEICLOUD_SDK_AK=DEFAULT_AK, HUAWEICLOUD_SDK_SK=DEFAULT_SK)
    run = execute_playbook(tmp_path, play(query_tasks(login, 'password')), extra_vars=dict(emulator_url=emulator.url),
                           env=shell)
    assert_all_succeeded(run, 'password')
    requests = requests_by_marker(emulator.log())['password']
    logins = [record for record in requests if record['path'].endswith('/auth/tokens')]
    versions = [record for record in requests if record['path'].endswith(VERSIONS_SUFFIX)]
    assert len(logins) == 4 and all(record['status'] == 201 for record in logins)
    assert versions and set(record['auth'] for record in versions) == {'token'}
    assert all(record['status'] == 200 for record in versions)  # the issued token, not the exported one


class ConnectionCounter(object):
    """A TCP listener that counts the connections made to it and closes each at once (a proxy that lets nothing by)."""

    def __init__(self):
        self.server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.server.bind(('127.0.0.1', 0))
        self.server.listen(16)
        self.url = 'http://127.0.0.1:%d' % self.server.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, dummy = self.server.accept()
            except OSError:
                return
            self.connections += 1
            client.close()

    def close(self):
        self.server.close()


def test_ak_sk_with_a_private_auth_url_and_no_endpoint_sends_nothing_and_names_endpoint(emulator, tmp_path):
    """The region's public ModelArts host would receive the access key id and a signature: nothing is sent."""
    options = dict(access_key=DEFAULT_AK, secret_key=DEFAULT_SK, project_id=emulator.project_id, region='eu-de',
                   auth_url=emulator.auth_url, retries=0, timeout=5)
    proxy = ConnectionCounter()
    # Every request to a host other than the emulator would go through the counter.
    proxies = dict(HTTPS_PROXY=proxy.url, HTTP_PROXY=proxy.url, https_proxy=proxy.url, http_proxy=proxy.url,
                   NO_PROXY='', no_proxy='')
    try:
        run = execute_playbook(tmp_path, play(''.join(
            failing_task(name, options) + ('      vars:\n        modelarts_run_in_process: false\n' if name == 'module'
                                           else '') for name in ('in-process', 'module')) + '''
    - name: lookup
      ansible.builtin.debug:
        msg: "{{ lookup('%s', result='count', %s) }}"
      ignore_errors: true
''' % (LOOKUP, ', '.join('%s=%r' % item for item in sorted(options.items())))), env=proxies)
    finally:
        proxy.close()
    assert proxy.connections == 0
    assert emulator.log() == []
    for name in ('in-process', 'module', 'lookup'):
        result = run.result(name)
        assert result['failed'], result
        assert ("auth_url '%s' is not a public IAM of region 'eu-de'" % emulator.auth_url) in result['msg']
        assert 'with access_key/secret_key, set endpoint to the ModelArts URL of that cloud' in result['msg']
    assert DEFAULT_AK not in run.stdout + run.stderr and DEFAULT_SK not in run.stdout + run.stderr
