# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The "Try it locally" path of docs/getting-started.md, as a user follows it.

The emulator is started with the documented command from the installed collection, the lines it prints are sourced
by a real shell (over a sourced openrc), a real ansible-playbook runs with that environment, and the documented
control call completes a version. `make demo` with cloud credentials in the environment must refuse before any
request, naming the endpoint and DEMO_REAL.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import shlex
import socket
import subprocess
import sys
import threading
import urllib.request

import pytest

from conftest import REPO_ROOT, ansible_environment, execute_playbook

COLLECTION = os.path.join((os.environ.get('ANSIBLE_COLLECTIONS_PATH') or os.path.join(REPO_ROOT, 'build', 'collections'))
                          .split(os.pathsep)[0], 'ansible_collections', 'mlops', 'modelarts')
INSTALLED_EMULATOR = os.path.join(COLLECTION, 'tests', 'emulator', 'modelarts_emulator.py')
# What a sourced openrc of a real cloud leaves in the shell: the printed lines must take over from it.
OPENRC = {'OS_USERNAME': 'someone@real-cloud', 'OS_PASSWORD': 'real-password', 'OS_PROJECT_NAME': 'eu-de_real',
          'OS_USER_DOMAIN_NAME': 'real-domain'}

VERSION_PLAYBOOK = '''
- hosts: localhost
  gather_facts: false
  tasks:
    - name: the version
      mlops.modelarts.training_job_version_info:
        names: ["{{ version_name }}"]
'''


def read_printed_lines(process, last_prefix, timeout=20):
    """Give back the lines the emulator prints up to and including the first one starting with last_prefix."""
    lines = []

    def reader():
        for line in process.stdout:
            lines.append(line.rstrip('\n'))
            if line.startswith(last_prefix):
                return

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    thread.join(timeout)
    if not lines or not lines[-1].startswith(last_prefix):
        stderr = '(still running)'
        if not thread.is_alive():  # the emulator closed its stdout: it exited, say why
            process.wait(timeout=10)
            stderr = process.stderr.read()
        raise AssertionError('the emulator printed no %r line:\n%s\nstderr: %s' % (last_prefix, '\n'.join(lines), stderr))
    return lines


def sourced_environment(env_file, base):
    """Give back the environment a shell has after `. env_file`, starting from `base`."""
    dumped = subprocess.run(['bash', '-c', '. "$1" && env -0', 'bash', env_file], env=base, capture_output=True,
                            check=True, timeout=30).stdout.decode()
    return dict(item.split('=', 1) for item in dumped.split('\0') if '=' in item)


def test_the_documented_emulator_command_gives_credentials_a_playbook_runs_with_and_a_call_that_completes(tmp_path):
    # The documented command (a free port instead of 8080: several runs share this machine).
    process = subprocess.Popen([sys.executable, INSTALLED_EMULATOR, '--port', '0', '--print-env'],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
    try:
        lines = read_printed_lines(process, '#   curl ')
        env_file = str(tmp_path / 'emulator.env')
        with open(env_file, 'w') as handle:
            handle.write('\n'.join(lines) + '\n')
        environment = sourced_environment(env_file, dict(ansible_environment(str(tmp_path)), **OPENRC))
        url = lines[0].split('=', 1)[1]
        assert environment['MODELARTS_ENDPOINT'] == url
        assert not set(OPENRC) & set(environment), 'the printed lines leave the openrc login in place'

        # The comment names a running version and the call that completes it.
        version_name = json.loads(lines[-2].split('Make ', 1)[1].split(' (version_id', 1)[0])
        command = shlex.split(lines[-1].lstrip('# '))
        assert command[:4] == ['curl', '-s', '-X', 'POST'] and command[5] == '-d'
        before = execute_playbook(tmp_path, VERSION_PLAYBOOK, extra_vars={'version_name': version_name},
                                  env=environment)
        assert before.returncode == 0, before.stdout[-3000:] + before.stderr[-3000:]
        assert [v['status_name'] for v in before.result('the version')['versions']] == ['running']

        request = urllib.request.Request(command[4], data=command[6].encode(), method='POST')
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(request, timeout=30) as answer:
            assert json.load(answer)['ok'] is True

        after = execute_playbook(tmp_path, VERSION_PLAYBOOK, extra_vars={'version_name': version_name},
                                 env=environment)
        assert after.returncode == 0, after.stdout[-3000:] + after.stderr[-3000:]
        assert [v['status_name'] for v in after.result('the version')['versions']] == ['completed']
    finally:
        process.terminate()
        process.wait(timeout=30)
        process.stdout.close()
        process.stderr.close()


class ConnectionCounter(object):
    """A proxy that answers nothing: it counts the connections anything in the demo opens to reach the cloud."""

    def __init__(self):
        self.server = socket.socket()
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


REAL_CLOUDS = {
    'token and region': ({'OS_AUTH_TOKEN': 'fake-token', 'OS_PROJECT_ID': '0123456789abcdef0123456789abcdef',
                          'OS_REGION_NAME': 'eu-de'}, 'https://modelarts.eu-de.otc.t-systems.com'),
    'clouds.yaml entry': ({'OS_CLOUD': 'private'}, 'the ModelArts endpoint in the catalog of the IAM at '
                                                   'https://iam.private-cloud.example/v3'),
}


@pytest.mark.parametrize('cloud', sorted(REAL_CLOUDS))
def test_the_demo_with_cloud_credentials_refuses_before_any_request_naming_the_endpoint_and_demo_real(tmp_path, cloud):
    variables, endpoint = REAL_CLOUDS[cloud]
    clouds_yaml = tmp_path / 'clouds.yaml'
    clouds_yaml.write_text('clouds:\n  private:\n    auth:\n      auth_url: https://iam.private-cloud.example/v3\n'
                           '      username: someone\n      password: fake-password\n      project_name: p\n'
                           '      user_domain_name: d\n    region_name: private-1\n')
    proxy = ConnectionCounter()
    environment = dict(ansible_environment(str(tmp_path), callback='default'), DEMO_PYTHON=sys.executable,
                       OS_CLIENT_CONFIG_FILE=str(clouds_yaml), HTTPS_PROXY=proxy.url, HTTP_PROXY=proxy.url,
                       https_proxy=proxy.url, http_proxy=proxy.url, NO_PROXY='', no_proxy='', **variables)
    environment.pop('DEMO_REAL', None)
    try:
        demo = subprocess.run(['bash', os.path.join(REPO_ROOT, 'scripts', 'demo.sh')], env=environment,
                              capture_output=True, text=True, timeout=300, check=False)
    finally:
        proxy.close()
    assert proxy.connections == 0, 'the demo tried to reach the cloud:\n' + demo.stdout[-3000:]
    assert 'PLAY [' not in demo.stdout
    assert demo.returncode != 0
    assert 'refusing to run' in demo.stderr and endpoint in demo.stderr and 'DEMO_REAL=1' in demo.stderr, demo.stderr
