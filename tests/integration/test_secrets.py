# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""No secret ever shows: every plugin, every credential kind, at -vvvv, through successes and failures.

A secret is a password, secret key, security token, access key, static token or a token IAM issued (the emulator
issues tokens that look like MIIE + 64 hex digits). It must not appear in ansible-playbook's stdout or stderr (which
hold every task result at -vvvv), the emulator's request log, or any file the run left behind: the lookup cache
(default location, under XDG_CACHE_HOME), the fact cache (jsonfile), ansible's local temp and home directories.

Not covered: ANSIBLE_DEBUG=1, where ansible-core itself prints module arguments, no_log ones included.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import re

import pytest

from conftest import REPO_ROOT, execute_playbook

from tests.emulator.harness import (
    DEFAULT_AK, DEFAULT_DOMAIN, DEFAULT_PASSWORD, DEFAULT_PROJECT_NAME, DEFAULT_SK, DEFAULT_TOKEN, DEFAULT_USER, Emulator,
)

STS_AK = 'STSACCESSKEY00000001'
STS_SK = 'sts-secret-key-7f3a9c'
STS_TOKEN = 'sts-security-token-5e8d1b2c'
OTHER_TOKEN = DEFAULT_TOKEN + '-2'  # the second project's static token: valid, but not for the first project
OTHER_AK = 'DEMOACCESSKEY0000002'
OTHER_SK = 'demo-secret-key-0002'
WRONG = {
    'password': 'wrong-password-4c1d',
    'token': 'wrong-token-9b7e2a',
    'secret_key': 'wrong-secret-key-3f60',
    'security_token': 'wrong-security-token-81aa',
}
SECRETS = (DEFAULT_PASSWORD, DEFAULT_TOKEN, DEFAULT_AK, DEFAULT_SK, STS_AK, STS_SK, STS_TOKEN, OTHER_TOKEN, OTHER_AK,
           OTHER_SK) + tuple(WRONG.values())
ISSUED_TOKEN = re.compile(r'MIIE[0-9a-f]{64}')
LOOKUP_EXISTS = os.path.isfile(os.path.join(REPO_ROOT, 'plugins', 'lookup', 'training_job_versions.py'))

CONFIG = {'projects': [
    {'aksk': [{'access_key': DEFAULT_AK, 'secret_key': DEFAULT_SK},
              {'access_key': STS_AK, 'secret_key': STS_SK, 'security_token': STS_TOKEN}],
     'versions': 12},
    {'versions': 3},
]}


@pytest.fixture(scope='module')
def secrets_emulator(tmp_path_factory):
    log_file = str(tmp_path_factory.mktemp('emulator-log') / 'requests.jsonl')
    with Emulator(config=CONFIG, log_file=log_file) as running:
        running.log_file_path = log_file
        yield running


def good_and_bad(emulator, kind):
    """Give back (working options, [(label, failing options)]) for one credential kind."""
    common = dict(endpoint=emulator.url, region='eu-de', retries=0, timeout=10.0)
    project = dict(project_id=emulator.project_id)
    if kind == 'password':
        good = dict(common, auth_url=emulator.auth_url, username=DEFAULT_USER, password=DEFAULT_PASSWORD,
                    domain_name=DEFAULT_DOMAIN, project_name=DEFAULT_PROJECT_NAME)
        return good, [('wrong password', dict(good, password=WRONG['password']))]
    if kind == 'token':
        good = dict(common, token=DEFAULT_TOKEN, **project)
        return good, [('unknown token (401)', dict(good, token=WRONG['token'])),
                      ('token of another project (403)', dict(good, token=OTHER_TOKEN))]
    if kind == 'aksk':
        good = dict(common, access_key=DEFAULT_AK, secret_key=DEFAULT_SK, **project)
        return good, [('bad signature', dict(good, secret_key=WRONG['secret_key'])),
                      ('keys of another project (403)', dict(good, access_key=OTHER_AK, secret_key=OTHER_SK))]
    if kind == 'aksk_security_token':
        good = dict(common, access_key=STS_AK, secret_key=STS_SK, security_token=STS_TOKEN, **project)
        return good, [('wrong security token', dict(good, security_token=WRONG['security_token'])),
                      ('bad signature', dict(good, secret_key=WRONG['secret_key']))]
    raise ValueError(kind)


KINDS = ('password', 'token', 'aksk', 'aksk_security_token')


def module_task(name, module, variable, options):
    # Credentials come from variables, as users keep them (vault, group_vars): ansible-core 2.19 prints the source
    # lines around a failing task, so a secret written literally into a task would show whatever the plugin does.
    arguments = ''.join('\n        %s: "{{ %s.%s }}"' % (key, variable, key) for key in sorted(options))
    return '    - name: %s\n      %s:%s\n' % (name, module, arguments)


def lookup_task(name, variable, **extra):
    arguments = ''.join('%s=%s, ' % (key, json.dumps(value)) for key, value in sorted(extra.items()))
    return ("    - name: %s\n      ansible.builtin.debug:\n        msg: >-\n"
            "          {{ lookup('mlops.modelarts.training_job_versions', %s**%s) }}\n" % (name, arguments, variable))


def playbook(emulator):
    """Give back (playbook text, variables, tasks expected ok, tasks expected to fail and be ignored)."""
    good_tasks, failing_tasks, variables = [], [], {}
    for kind in KINDS:
        good, failing = good_and_bad(emulator, kind)
        variables['good_' + kind] = good
        good_tasks.append(module_task('info, %s' % kind, 'mlops.modelarts.training_job_version_info', 'good_' + kind, good))
        good_tasks.append(module_task('facts, %s' % kind, 'mlops.modelarts.training_job_version_facts', 'good_' + kind, good))
        if LOOKUP_EXISTS:
            good_tasks.append(lookup_task('lookup summary, %s' % kind, 'good_' + kind, result='summary', cache_ttl=300))
            good_tasks.append(lookup_task('lookup versions, %s' % kind, 'good_' + kind, cache_ttl=300))
        for index, (label, options) in enumerate(failing):
            variable = 'bad_%s_%d' % (kind, index)
            variables[variable] = options
            failing_tasks.append(module_task('info, %s, %s' % (kind, label), 'mlops.modelarts.training_job_version_info',
                                             variable, options))
            failing_tasks.append(module_task('facts, %s, %s' % (kind, label),
                                             'mlops.modelarts.training_job_version_facts', variable, options))
            if LOOKUP_EXISTS:
                # cache_ttl=0: a cached answer of the good credentials would stand in for the failure.
                failing_tasks.append(lookup_task('lookup, %s, %s' % (kind, label), variable, cache_ttl=0))
    text = '- hosts: localhost\n  gather_facts: false\n  vars_files: [credentials.yml]\n  tasks:\n'
    text += ''.join(good_tasks)
    text += ''.join(task + '      ignore_errors: true\n' for task in failing_tasks)
    return text, variables, len(good_tasks), len(failing_tasks)


def files_under(directory):
    for root, dummy, names in os.walk(directory):
        for name in names:
            path = os.path.join(root, name)
            if os.path.isfile(path) and not os.path.islink(path):
                yield path


def leaks(text):
    """Give back the secrets (or issued tokens) found in text."""
    found = [secret for secret in SECRETS if secret in text]
    found += ['issued token %s...' % token[:8] for token in ISSUED_TOKEN.findall(text)]
    return found


class SecretsRun(object):
    pass


@pytest.fixture(scope='module')
def secrets_run(secrets_emulator, tmp_path_factory):
    """Run every plugin with every credential kind at -vvvv once; give back what is needed to look for leaks."""
    directory = tmp_path_factory.mktemp('secrets')
    text, variables, ok, ignored = playbook(secrets_emulator)
    (directory / 'credentials.yml').write_text(json.dumps(variables))
    for name in ('home', 'tmp'):
        (directory / name).mkdir()
    env = {
        'HOME': str(directory / 'home'), 'XDG_CACHE_HOME': str(directory / 'xdg-cache'), 'TMPDIR': str(directory / 'tmp'),
        'ANSIBLE_CACHE_PLUGIN': 'jsonfile', 'ANSIBLE_CACHE_PLUGIN_CONNECTION': str(directory / 'fact-cache'),
    }
    secrets_emulator.reset_log()
    outcome = SecretsRun()
    outcome.run = execute_playbook(directory, text, env=env, callback='default', verbosity=4)
    outcome.directory = str(directory)
    outcome.ok, outcome.ignored = ok, ignored
    outcome.log = secrets_emulator.log()
    with open(secrets_emulator.log_file_path) as handle:
        outcome.log_file_text = handle.read()
    outcome.emulator_stderr = secrets_emulator.stderr_text()
    return outcome


def test_every_plugin_and_credential_kind_ran_and_every_failure_happened(secrets_run):
    run = secrets_run.run
    recap = re.search(r'localhost\s*: ok=(\d+)\s+changed=\d+\s+unreachable=0\s+failed=0\s+skipped=0\s+rescued=0\s+'
                      r'ignored=(\d+)', run.stdout)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert recap and (int(recap.group(1)), int(recap.group(2))) == (
        secrets_run.ok + secrets_run.ignored, secrets_run.ignored), run.stdout[-3000:]
    assert 201 in [record['status'] for record in secrets_run.log if record['path'].endswith('/auth/tokens')]
    assert 'HTTP 401: APIGW.0301' in run.stdout and 'HTTP 403: ModelArts.0210' in run.stdout


def test_no_secret_in_the_output_at_vvvv(secrets_run):
    assert leaks(secrets_run.run.stdout) == []
    assert leaks(secrets_run.run.stderr) == []


def test_no_secret_in_the_emulator_log(secrets_run):
    assert leaks(json.dumps(secrets_run.log)) == []
    assert leaks(secrets_run.log_file_text) == []
    assert leaks(secrets_run.emulator_stderr) == []


def test_no_secret_in_any_file_the_run_left(secrets_run):
    if LOOKUP_EXISTS:
        assert os.listdir(os.path.join(secrets_run.directory, 'xdg-cache', 'mlops.modelarts'))  # the cache was written
    assert os.listdir(os.path.join(secrets_run.directory, 'fact-cache'))  # so were the facts
    for path in files_under(secrets_run.directory):
        if os.path.basename(path) in ('playbook.yml', 'credentials.yml'):
            continue  # the test's own input
        with open(path, 'rb') as handle:
            assert leaks(handle.read().decode('utf-8', 'replace')) == [], path
