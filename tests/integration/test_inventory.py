# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The mlops.modelarts.projects inventory: real ansible-inventory and gpu_report runs against an emulated account."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime
import glob
import hashlib
import json
import os
import subprocess
import sys

import pytest
import yaml

from conftest import ansible_environment, execute_playbook, expected_gpu_summary
from tests.emulator.harness import (
    ACCOUNT_PROJECTS, DEFAULT_AK, DEFAULT_DOMAIN, DEFAULT_PASSWORD, DEFAULT_PROJECT_ID, DEFAULT_SK, DEFAULT_TOKEN,
    DEFAULT_USER, DISABLED_PROJECT, OTHER_DOMAIN_PROJECT, Emulator, account_config,
)

CLOSED = 'eu-nl_closed'  # ModelArts is not authorized in it: its query fails with 403
ENABLED = sorted([name for name, dummy, dummy in ACCOUNT_PROJECTS] + [CLOSED])
SECRETS = (DEFAULT_PASSWORD, DEFAULT_SK, DEFAULT_AK, DEFAULT_TOKEN, 'MIIE')  # MIIE: every token the emulator issues


def project_id(name):
    return DEFAULT_PROJECT_ID if name == 'eu-de' else hashlib.md5(('project:' + name).encode('utf-8')).hexdigest()


@pytest.fixture(scope='module')
def emulator():
    with Emulator(config=account_config(extra_projects=[{'project_name': CLOSED, 'modelarts': False}])) as running:
        yield running


def password_options(emulator, **options):
    return dict(dict(plugin='mlops.modelarts.projects', auth_url=emulator.auth_url, endpoint=emulator.url,
                     username=DEFAULT_USER, password=DEFAULT_PASSWORD, domain_name=DEFAULT_DOMAIN), **options)


def trusted(value):
    """Unwrap what ansible-inventory marks as unsafe (2.19 marks what an inventory plugin sets)."""
    return value['__ansible_unsafe'] if list(value) == ['__ansible_unsafe'] else value


class Inventory(object):
    """One ansible-inventory --list run."""

    def __init__(self, completed, listing):
        self.returncode = completed.returncode
        self.output = completed.stdout + completed.stderr
        self.stderr = completed.stderr
        self.data = None
        self.listing = listing
        if completed.returncode == 0:
            with open(listing) as handle:
                self.data = json.load(handle, object_hook=trusted)

    @property
    def hostvars(self):
        return self.data['_meta']['hostvars']

    def hosts(self, group):
        found = list(self.data.get(group, {}).get('hosts', []))
        for child in self.data.get(group, {}).get('children', []):
            found += self.hosts(child)
        return sorted(found)


def run_inventory(directory, options, env=None, verbosity=0, name='account.modelarts.yml'):
    """Write the plugin's file (a dict) into `directory` and run ansible-inventory --list on it."""
    path = os.path.join(str(directory), name)
    with open(path, 'w') as handle:
        yaml.safe_dump(options, handle)
    listing = path + '.json'
    command = [os.path.join(os.path.dirname(sys.executable), 'ansible-inventory'), '-i', path, '--list', '--output', listing]
    if verbosity:
        command.append('-' + 'v' * verbosity)
    env = dict({'ANSIBLE_INVENTORY_UNPARSED_FAILED': 'true'}, **(env or {}))
    return Inventory(subprocess.run(command, capture_output=True, text=True, timeout=300, check=False, cwd=str(directory),
                                    env=ansible_environment(str(directory), 'default', env)), listing)


@pytest.fixture(scope='module')
def summaries(emulator, tmp_path_factory):
    """One password-login inventory with gpu_summary: true at -vvvv (its output is checked for secrets too)."""
    emulator.reset_log()
    run = run_inventory(tmp_path_factory.mktemp('summaries'), password_options(emulator, gpu_summary=True), verbosity=4)
    assert run.returncode == 0, run.output[-3000:]
    return run, emulator.log()


def test_password_login_lists_every_enabled_project_of_the_domain(emulator, tmp_path):
    run = run_inventory(tmp_path, password_options(emulator))
    assert run.returncode == 0, run.output[-3000:]
    assert run.hosts('all') == ENABLED  # the disabled project and the other domain's are absent
    assert DISABLED_PROJECT not in run.hostvars and OTHER_DOMAIN_PROJECT not in run.hostvars
    logins = emulator.iam_requests()
    assert [(r['auth'], r['project_id']) for r in logins] == [('password', None)]  # one login, scoped to the domain
    assert len(emulator.project_list_requests()) == 1 and emulator.versions_requests() == []


def test_hosts_carry_the_project_and_join_their_region_group(emulator, tmp_path):
    run = run_inventory(tmp_path, password_options(emulator))
    assert run.hostvars['eu-nl_research'] == {
        'ansible_connection': 'local', 'modelarts_project_id': project_id('eu-nl_research'),
        'modelarts_project_name': 'eu-nl_research', 'modelarts_region': 'eu-nl'}
    assert run.hosts('modelarts_region_eu_de') == ['eu-de', 'eu-de_ml', 'eu-de_vision']
    assert run.hosts('modelarts_region_cn_north_4') == ['cn-north-4', 'cn-north-4_nlp']


def test_a_token_from_the_environment_lists_the_projects(emulator, tmp_path):
    run = run_inventory(tmp_path, {'plugin': 'mlops.modelarts.projects'},
                        env={'OS_AUTH_TOKEN': DEFAULT_TOKEN, 'OS_AUTH_URL': emulator.auth_url})
    assert run.returncode == 0, run.output[-3000:]
    assert run.hosts('all') == ENABLED
    assert [r['auth'] for r in emulator.project_list_requests()] == ['token'] and emulator.iam_requests() == []


def test_aksk_from_clouds_yaml_signs_the_listing_and_each_projects_query(emulator, tmp_path):
    clouds = tmp_path / 'clouds.yaml'
    clouds.write_text(yaml.safe_dump({'clouds': {'account': {
        'auth': {'auth_url': emulator.auth_url, 'ak': DEFAULT_AK, 'sk': DEFAULT_SK}, 'region_name': 'eu-de'}}}))
    run = run_inventory(tmp_path, {'plugin': 'mlops.modelarts.projects', 'cloud': 'account', 'endpoint': emulator.url,
                                   'gpu_summary': True, 'projects': ['cn-north-4*']},
                        env={'OS_CLIENT_CONFIG_FILE': str(clouds)})
    assert run.returncode == 0, run.output[-3000:]
    assert run.hosts('all') == ['cn-north-4', 'cn-north-4_nlp']
    assert [r['auth'] for r in emulator.project_list_requests()] == ['aksk']
    # The same access key signs each project's query (an account-wide key): no login anywhere.
    assert [r['auth'] for r in emulator.versions_requests()] == ['aksk', 'aksk'] and emulator.iam_requests() == []
    assert run.hostvars['cn-north-4_nlp']['modelarts_gpu_summary']['versions'] == 30


def test_regions_and_project_globs_select_hosts(emulator, tmp_path):
    run = run_inventory(tmp_path, password_options(emulator, regions=['eu-de', 'cn-north-4'],
                                                   projects=['*_ml', 'cn-north-4*']))
    assert run.hosts('all') == ['cn-north-4', 'cn-north-4_nlp', 'eu-de_ml']


def test_compose_groups_and_keyed_groups_apply(emulator, tmp_path):
    run = run_inventory(tmp_path, password_options(
        emulator, regions=['eu-de'], compose={'team': "modelarts_project_name.split('_')[1] | default('default')"},
        groups={'default_projects': "'_' not in modelarts_project_name"},
        keyed_groups=[{'key': 'team', 'prefix': 'team'}]))
    assert run.hostvars['eu-de_vision']['team'] == 'vision'
    assert run.hosts('default_projects') == ['eu-de']
    assert run.hosts('team_ml') == ['eu-de_ml'] and run.hosts('team_default') == ['eu-de']


def test_gpu_summary_of_each_project_matches_the_emulator(emulator, summaries):
    run, dummy = summaries
    for name in ('eu-de', 'cn-north-4_nlp'):
        answer = emulator.request('GET', '/v1/%s/training-jobs/versions?limit=0' % project_id(name),
                                  headers={'X-Auth-Token': DEFAULT_TOKEN if name == 'eu-de' else 'demo-static-token-7'})[2]
        summary = run.hostvars[name]['modelarts_gpu_summary']
        expected = expected_gpu_summary(answer['versions'])
        assert dict((key, summary[key]) for key in expected if key != 'by_status') == dict(
            (key, value) for key, value in expected.items() if key != 'by_status')
        assert 'modelarts_error' not in run.hostvars[name]


def test_gpu_summary_logs_in_to_each_project(summaries):
    dummy, log = summaries
    logins = sorted(r['project_id'] or '' for r in log if r['path'].endswith('/auth/tokens'))
    assert logins == sorted([''] + [project_id(name) for name in ENABLED])  # the domain login, then one per project


def test_a_failing_project_gets_a_null_summary_an_error_and_a_warning(summaries):
    run, dummy = summaries
    host = run.hostvars[CLOSED]
    assert host['modelarts_gpu_summary'] is None
    assert 'HTTP 403' in host['modelarts_error'] and 'ModelArts.2785' in host['modelarts_error']
    assert 'no GPU summary for project %s' % CLOSED in run.stderr


def test_no_secret_in_host_vars_group_vars_or_warnings_at_vvvv(summaries):
    run, dummy = summaries
    with open(os.path.join(os.path.dirname(run.listing), 'account.modelarts.yml.json')) as handle:
        listed = handle.read()
    assert 'modelarts_gpu_summary' in listed and 'Loading collection mlops.modelarts' in run.output
    for secret in SECRETS:
        assert secret not in run.output and secret not in listed


def test_strict_fails_the_inventory_when_a_project_fails(emulator, tmp_path):
    run = run_inventory(tmp_path, password_options(emulator, gpu_summary=True, strict=True, regions=['eu-nl']))
    assert run.returncode != 0
    assert 'the query failed for %s' % CLOSED in run.output and 'ModelArts.2785' in run.output
    assert 'Traceback' not in run.output


def test_second_run_from_the_cache_sends_no_request_and_the_cache_holds_no_secret(emulator, tmp_path):
    cache_dir = tmp_path / 'cache'
    options = password_options(emulator, gpu_summary=True, regions=['cn-north-4'], cache=True,
                               cache_plugin='ansible.builtin.jsonfile', cache_connection=str(cache_dir))
    first = run_inventory(tmp_path, options)
    assert first.returncode == 0 and len(emulator.versions_requests()) == 2
    emulator.reset_log()
    second = run_inventory(tmp_path, options)
    assert second.returncode == 0, second.output[-3000:]
    assert emulator.log() == []
    assert second.hostvars == first.hostvars
    cached = ''.join(open(path).read() for path in glob.glob(str(cache_dir / '*')))
    assert 'cn-north-4_nlp' in cached
    for secret in SECRETS:
        assert secret not in cached


def test_bad_credentials_fail_with_the_modules_message(emulator, tmp_path):
    run = run_inventory(tmp_path, password_options(emulator, token=DEFAULT_TOKEN))
    assert run.returncode != 0 and 'mutually exclusive' in run.output and DEFAULT_PASSWORD not in run.output


def test_gpu_report_over_the_inventory_gives_the_numbers_of_a_hand_written_inventory(emulator, tmp_path):
    """gpu_report unchanged: credentials from group vars, the project from the host vars."""
    names = ['eu-de_ml', 'eu-nl', 'cn-north-4_nlp']
    credentials = {'modelarts_endpoint': emulator.url, 'modelarts_auth_url': emulator.auth_url,
                   'modelarts_username': DEFAULT_USER, 'modelarts_password': DEFAULT_PASSWORD,
                   'modelarts_domain_name': DEFAULT_DOMAIN}
    discovered = tmp_path / 'discovered'
    (discovered / 'group_vars').mkdir(parents=True)
    (discovered / 'group_vars' / 'all.yml').write_text(yaml.safe_dump(credentials))
    (discovered / 'account.modelarts.yml').write_text(yaml.safe_dump(password_options(emulator, projects=names)))
    hand_written = '[projects]\n%s\n[projects:vars]\nansible_connection=local\n%s\n' % (
        '\n'.join('%s modelarts_region=%s modelarts_project_id=%s modelarts_project_name=%s'
                  % (n, n.split('_', 1)[0], project_id(n), n) for n in names),
        '\n'.join('%s=%s' % item for item in credentials.items()))
    (tmp_path / 'hand').mkdir()
    # One usage window for both runs: the default ends "now", which moves between them (the queue's waits with it).
    until = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    usage_until, usage_since = [moment.strftime('%Y-%m-%dT%H:%M:%SZ') for moment in (until, until - datetime.timedelta(30))]
    numbers = []
    for directory, options in ((discovered, dict(inventory_path=discovered / 'account.modelarts.yml')),
                               (tmp_path / 'hand', dict(inventory=hand_written))):
        run = execute_playbook(directory, '- ansible.builtin.import_playbook: mlops.modelarts.gpu_report\n',
                               extra_vars={'modelarts_report_dir': str(directory / 'report'),
                                           'modelarts_report_usage_since': usage_since,
                                           'modelarts_report_usage_until': usage_until}, **options)
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
        with open(str(directory / 'report' / 'gpu_report.json')) as handle:
            report = json.load(handle)
        numbers.append((report['totals'], sorted((p['name'], p['region'], p['project'], p['versions'], p['gpu_num'],
                                                  p['active_gpu_num'], p['by_group'], p['by_flavor'])
                                                 for p in report['projects'])))
    assert numbers[0][0]['projects'] == 3 and numbers[0][0]['projects_with_errors'] == 0
    assert numbers[0] == numbers[1]
