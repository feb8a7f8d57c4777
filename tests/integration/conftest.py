# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Fixtures that run real ansible-playbook against the emulator on 127.0.0.1.

`make integration` sets ANSIBLE_COLLECTIONS_PATH to the collection installed from the built tarball.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import subprocess
import sys
import textwrap

from urllib.parse import quote, unquote, urlencode

import pytest

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
sys.path.insert(0, REPO_ROOT)

from tests.emulator.harness import (  # noqa: E402  (the repo root must be on sys.path first)
    DEFAULT_AK, DEFAULT_DOMAIN, DEFAULT_PASSWORD, DEFAULT_PROJECT_NAME, DEFAULT_SK, DEFAULT_TOKEN, DEFAULT_USER, Emulator,
)

# Environment variables that would leak a real cloud's credentials into a test run.
CREDENTIAL_ENVIRONMENT = (
    'OS_CLOUD', 'OS_REGION_NAME', 'MODELARTS_ENDPOINT', 'OS_AUTH_URL', 'OS_PROJECT_ID', 'OS_PROJECT_NAME',
    'OS_USER_DOMAIN_NAME', 'OS_DOMAIN_NAME', 'OS_USERNAME', 'OS_PASSWORD', 'OS_AUTH_TOKEN', 'HUAWEICLOUD_SDK_AK',
    'OS_ACCESS_KEY', 'HUAWEICLOUD_SDK_SK', 'OS_SECRET_KEY', 'HUAWEICLOUD_SDK_SECURITY_TOKEN', 'HUAWEICLOUD_SDK_PROJECT_ID',
    'OS_CLIENT_CONFIG_FILE', 'OS_CLIENT_SECURE_FILE', 'OS_USER_DOMAIN_ID', 'OS_DOMAIN_ID', 'OS_INTERFACE',
    'XDG_CONFIG_HOME', 'XDG_CONFIG_DIRS', 'SNAP_REAL_HOME',
)


class PlaybookRun(object):
    """The outcome of one ansible-playbook run with the json callback."""

    def __init__(self, completed):
        self.returncode = completed.returncode
        self.stdout = completed.stdout
        self.stderr = completed.stderr
        try:
            self.report = json.loads(completed.stdout)
        except ValueError:
            self.report = None

    def task_results(self, name):
        """Give back the localhost results of the task called `name` (one per host, in host order).

        A role's task is found by its own name too: Ansible calls it '<role> : <name>'.
        """
        if self.report is None:
            raise AssertionError('ansible-playbook printed no JSON:\n%s\n%s' % (self.stdout, self.stderr))
        for play in self.report['plays']:
            for task in play['tasks']:
                if task['task']['name'] == name or task['task']['name'].endswith(' : ' + name):
                    return task['hosts']
        raise AssertionError('no task named %r ran:\n%s' % (name, self.stdout[-4000:]))

    def result(self, name, host='localhost'):
        """Give back the result of the task called `name` on `host`."""
        return self.task_results(name)[host]


def credentials(emulator, method):
    """Give back module options for one auth method against the emulator."""
    common = dict(endpoint=emulator.url, region='eu-de')
    if method == 'token':
        return dict(common, token=DEFAULT_TOKEN, project_id=emulator.project_id)
    if method == 'aksk':
        return dict(common, access_key=DEFAULT_AK, secret_key=DEFAULT_SK, project_id=emulator.project_id)
    if method == 'password':
        return dict(common, username=DEFAULT_USER, password=DEFAULT_PASSWORD, domain_name=DEFAULT_DOMAIN,
                    project_name=DEFAULT_PROJECT_NAME, auth_url=emulator.auth_url)
    raise ValueError(method)


def execute_playbook(directory, playbook, extra_vars=None, env=None, inventory=None, callback='json_results', verbosity=0,
                     check=False, forks=None, args=(), inventory_path=None):
    """Run a playbook (YAML text) with ansible-playbook in `directory`; give back a PlaybookRun.

    `inventory` is INI text; `inventory_path` an inventory source file used as it is (an inventory plugin's file).
    """
    directory = str(directory)
    playbook_path = os.path.join(directory, 'playbook.yml')
    with open(playbook_path, 'w') as handle:
        handle.write(textwrap.dedent(playbook))
    command = [os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), playbook_path]
    if inventory_path is not None:
        command += ['-i', str(inventory_path)]
    elif inventory is None:
        command += ['-i', 'localhost,', '-c', 'local']
    else:
        inventory_path = os.path.join(directory, 'inventory.ini')
        with open(inventory_path, 'w') as handle:
            handle.write(textwrap.dedent(inventory))
        command += ['-i', inventory_path]
    command += ['-e', 'ansible_python_interpreter=%s' % sys.executable]
    if extra_vars:
        command += ['-e', json.dumps(extra_vars)]
    if verbosity:
        command.append('-' + 'v' * verbosity)
    if check:
        command.append('--check')
    if forks:
        command += ['--forks', str(forks)]
    command += list(args)
    completed = subprocess.run(command, capture_output=True, text=True, env=ansible_environment(directory, callback, env),
                               timeout=600, cwd=directory, check=False)
    return PlaybookRun(completed)


def ansible_environment(directory, callback='json_results', env=None):
    """Give back the environment of an ansible command in the tests: no cloud credentials of the caller's."""
    environment = dict((k, v) for k, v in os.environ.items() if k not in CREDENTIAL_ENVIRONMENT)
    environment.update({
        'ANSIBLE_STDOUT_CALLBACK': callback,
        'ANSIBLE_CALLBACK_PLUGINS': os.path.join(os.path.dirname(__file__), 'callback_plugins'),
        'ANSIBLE_HOST_KEY_CHECKING': 'false',
        'ANSIBLE_RETRY_FILES_ENABLED': 'false',
        'ANSIBLE_NOCOLOR': '1',
        'ANSIBLE_LOCAL_TEMP': os.path.join(directory, 'ansible-tmp'),
        'ANSIBLE_PYTHON_INTERPRETER': sys.executable,
    })
    environment.update(env or {})
    return environment


@pytest.fixture
def run_playbook(tmp_path):
    """Run a playbook (YAML text) with ansible-playbook; give back a PlaybookRun.

    `callback='json_results'` (default, tests/integration/callback_plugins) makes results machine-readable; pass `callback='default'` and `verbosity`
    to see what a user sees. `env` adds environment variables; `inventory` is INI text or None for localhost.
    """
    def run(playbook, *args, **options):
        return execute_playbook(tmp_path, playbook, *args, **options)
    return run


@pytest.fixture(scope='module')
def run_playbook_once(tmp_path_factory):
    """`run_playbook` for module-scoped fixtures: one playbook run whose results several tests read."""
    def run(playbook, *args, **options):
        return execute_playbook(tmp_path_factory.mktemp('playbook'), playbook, *args, **options)
    return run


# Marker tasks: a request to an unknown emulator path lands in the request log (a 404 nobody else causes), so the
# log can be cut into the requests of each task of one playbook run.
MARKER_PREFIX = '/_mark/'


def marker_task(name, indent=4):
    """Give back the YAML text of a task that writes marker `name` into the emulator log (needs var emulator_url)."""
    text = (
        "- name: 'mark %s'\n"
        "  ansible.builtin.debug:\n"
        "    msg: \"{{ lookup('ansible.builtin.url', emulator_url ~ '%s%s', errors='ignore', use_proxy=false) }}\"\n"
    ) % (name, MARKER_PREFIX, quote(name, safe=''))
    return textwrap.indent(text, ' ' * indent)


def requests_by_marker(log):
    """Give back {marker name: [log records after that marker, up to the next one]}."""
    segments = {}
    current = None
    for record in log:
        if record['path'].startswith(MARKER_PREFIX):
            current = unquote(record['path'][len(MARKER_PREFIX):])
            segments[current] = []
        elif current is not None:
            segments[current].append(record)
    return segments


def emulator_answer(emulator, project_id=None, token=DEFAULT_TOKEN, **params):
    """Give back the emulator's own answer (a dict: total_count, versions) to GET versions with limit=0.

    `params` are further API query parameters (status, pool_id, sort_by, ...). The request lands in the log.
    """
    pairs = [('limit', '0')] + sorted((key, str(value)) for key, value in params.items() if value is not None)
    path = '/v1/%s/training-jobs/versions?%s' % (project_id or emulator.project_id, urlencode(pairs))
    status, dummy, body = emulator.request('GET', path, headers={'X-Auth-Token': token})
    if status != 200:
        raise AssertionError('the emulator answered %s: %s' % (status, body))
    return body


@pytest.fixture(scope='module')
def emulator():
    """One emulator (40 versions, records offsets) shared by a test module; its log is reset per test."""
    with Emulator(versions=40) as running:
        yield running


@pytest.fixture(autouse=True)
def _fresh_emulator_log(request):
    if 'emulator' in request.fixturenames:
        emulator = request.getfixturevalue('emulator')
        emulator.reset_log()
        emulator.clear_faults()


# The API's job status table (api/README.md) and the design's `active` group, written out again here so that the
# tests do not take the plugin's own tables on trust.
API_STATUS_NAMES = (
    'JOBSTAT_UNKNOWN', 'JOBSTAT_INIT', 'JOBSTAT_IMAGE_CREATING', 'JOBSTAT_IMAGE_FAILED', 'JOBSTAT_SUBMIT_TRYING',
    'JOBSTAT_SUBMIT_FAILED', 'JOBSTAT_DELETE_FAILED', 'JOBSTAT_WAITING', 'JOBSTAT_RUNNING', 'JOBSTAT_KILLING',
    'JOBSTAT_COMPLETED', 'JOBSTAT_FAILED', 'JOBSTAT_KILLED', 'JOBSTAT_CANCELED', 'JOBSTAT_LOST', 'JOBSTAT_SCALING',
    'JOBSTAT_SUBMIT_MODEL_FAILED', 'JOBSTAT_DEPLOY_SERVICE_FAILED', 'JOBSTAT_CHECK_INIT', 'JOBSTAT_CHECK_RUNNING',
    'JOBSTAT_CHECK_RUNNING_COMPLETED', 'JOBSTAT_CHECK_FAILED',
)
ACTIVE_STATUSES = frozenset((1, 2, 4, 7, 8, 9, 15, 18, 19))


def short_status_name(code):
    """Give back the `status_name` users see for a status code (`running` for 8)."""
    return API_STATUS_NAMES[code][len('JOBSTAT_'):].lower()


def expected_gpu_summary(versions):
    """Give back the top-level sums and per-status buckets `gpu_summary` must show for these API versions."""
    summary = dict(versions=0, gpu_num=0, npu_num=0, active_gpu_num=0, active_npu_num=0, by_status={})
    for version in versions:
        gpus, npus = version.get('gpu_num') or 0, version.get('npu_num') or 0
        summary['versions'] += 1
        summary['gpu_num'] += gpus
        summary['npu_num'] += npus
        if version['status'] in ACTIVE_STATUSES:
            summary['active_gpu_num'] += gpus
            summary['active_npu_num'] += npus
        bucket = summary['by_status'].setdefault(short_status_name(version['status']), dict(versions=0, gpu_num=0, npu_num=0))
        bucket['versions'] += 1
        bucket['gpu_num'] += gpus
        bucket['npu_num'] += npus
    return summary


def api_fields(returned, expected):
    """Give back the returned versions cut down to the fields the API sent (the collection adds more)."""
    fields = set()
    for version in expected:
        fields.update(version)
    return [dict((key, value) for key, value in version.items() if key in fields) for version in returned]
