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
import re
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


def run_inventory(directory, options, env=None, verbosity=0, name='account.modelarts.yml', sources=()):
    """Write the plugin's file (a dict) into `directory` and run ansible-inventory --list on it.

    `sources` are inventory sources read before the plugin's file (each with its own -i).
    """
    path = os.path.join(str(directory), name)
    with open(path, 'w') as handle:
        yaml.safe_dump(options, handle)
    listing = path + '.json'
    command = [os.path.join(os.path.dirname(sys.executable), 'ansible-inventory')]
    for source in list(sources) + [path]:
        command += ['-i', str(source)]
    command += ['--list', '--output', listing]
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


def squeezed(text):
    """Give back `text` without whitespace: Ansible wraps long warnings, at spaces and (2.17) after dashes."""
    return ''.join(text.split())


def test_a_misspelled_key_fails_naming_it_and_the_option_it_resembles(emulator, tmp_path):
    run = run_inventory(tmp_path, password_options(emulator, regoins=['eu-de']))
    assert run.returncode != 0
    assert squeezed('unknown option "regoins" (did you mean "regions"?)') in squeezed(run.output)
    assert emulator.log() == []  # it fails before any request


def test_a_region_filter_matching_no_project_warns_naming_it_and_the_listed_regions(emulator, tmp_path):
    # Constructable's and Cacheable's keys are options too: none of them is an unknown key.
    run = run_inventory(tmp_path, password_options(emulator, regions=['eu_nl'], leading_separator=True,
                                                   use_extra_vars=False, strict=False, cache=False))
    assert run.returncode == 0, run.output[-3000:]
    assert run.hosts('all') == []
    assert squeezed('regions: "eu_nl" is the region of no listed project (did you mean "eu-nl"?); the listed projects '
                    'are in "cn-north-4", "eu-de", "eu-nl"') in squeezed(run.stderr)


def test_on_a_keystone_iam_a_project_member_gets_their_projects_through_an_unscoped_token(tmp_path):
    # Keystone grants a domain-scoped token only to a user with a role on the domain: here nobody has one.
    with Emulator(config=account_config(domain_role_users=[])) as keystone:
        run = run_inventory(tmp_path, password_options(keystone))
        logins = [(r['scope'], r['status']) for r in keystone.iam_requests()]
        listings = [(r['auth'], r['status']) for r in keystone.project_list_requests()]
    assert run.returncode == 0, run.output[-3000:]
    assert run.hosts('all') == sorted(name for name, dummy, dummy in ACCOUNT_PROJECTS)
    assert logins == [('domain', 401), ('unscoped', 201)] and listings == [('token', 200)]
    assert 'MIIE' not in run.output and DEFAULT_PASSWORD not in run.output


def test_an_account_of_a_thousand_generated_projects_becomes_a_thousand_hosts_in_their_regions(tmp_path):
    # The emulator's generated projects (tests/emulator/_generated_projects.py), as the report benchmark uses them.
    with Emulator(config=account_config(generated_projects={'count': 1000})) as large:
        run = run_inventory(tmp_path, password_options(large))
    assert run.returncode == 0, run.output[-3000:]
    made = [host for host in run.hosts('all') if '_gen' in host]
    assert len(made) == 1000 and len(run.hosts('all')) == 1000 + len(ACCOUNT_PROJECTS)
    assert len(run.hosts('modelarts_region_ap_southeast_1')) == 250
    assert run.hostvars['eu-nl_gen00002']['modelarts_region'] == 'eu-nl'


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


# --- Hostile project names: IAM text is never templated and never takes over a host or a group of the inventory.

PIPE = "{{ lookup('pipe', 'touch %s') }}"
# The pipe runs in ansible-playbook's working directory (the test's own): a file owned-* there means a template ran.
# No underscore in the commands: the second project's region (its name up to the first _) is the whole template.
TEMPLATED_NAME = 'eu-de_p' + PIPE % 'owned-by-name'
TEMPLATED_REGION = PIPE % 'owned-by-region'
TEMPLATED_VERSION = 'v' + PIPE % 'owned-by-version'
NOW_MS = 1767225600000
TWIN_IDS = ('1' * 32, '2' * 32)  # two projects named eu-de_twin: the smaller id keeps the name
HOSTILE_PROJECTS = [
    {'project_name': TEMPLATED_NAME, 'versions': [
        dict(version_id=9001, version_name=TEMPLATED_VERSION, version_desc=PIPE % 'owned-by-description', status=8,
             gpu_num=2, pool_id='pool-gpu-a', flavor_code=PIPE % 'owned-by-flavor', create_time=NOW_MS - 7200000,
             start_time=NOW_MS - 3600000)]},
    {'project_name': TEMPLATED_REGION, 'versions': 3},
    {'project_name': 'all', 'versions': 1}, {'project_name': 'ungrouped', 'versions': 1},
    {'project_name': 'localhost', 'versions': 1},
    {'project_name': 'eu-de_twin', 'project_id': TWIN_IDS[1], 'versions': 1},
    {'project_name': 'eu-de_twin', 'project_id': TWIN_IDS[0], 'versions': 1},
    {'project_name': 'eu-de_twin-2', 'versions': 1},  # the name a naive suffix would give the second twin
]
SAFE_HOST_NAME = r'^[A-Za-z0-9._-]+$'


@pytest.fixture(scope='module')
def hostile_emulator():
    with Emulator(config=account_config(extra_projects=HOSTILE_PROJECTS)) as running:
        yield running


def hosts_of_projects(run):
    """Give back {project name: [host names]} of an ansible-inventory run."""
    found = {}
    for host, variables in run.hostvars.items():
        if 'modelarts_project_name' in variables:
            found.setdefault(variables['modelarts_project_name'], []).append(host)
    return dict((name, sorted(hosts)) for name, hosts in found.items())


def warned(run, *texts):
    """Tell whether stderr holds a warning with every one of `texts` (ignoring how the warning was wrapped)."""
    flat = ''.join(run.stderr.split())
    return all(''.join(text.split()) in flat for text in texts)


@pytest.fixture(scope='module')
def templated_run(hostile_emulator, tmp_path_factory):
    """One ansible-playbook run over hostile project names: their host names, host vars, compose, keyed groups,
    the gpu_report playbook on both paths and the facts the per-host query left; on 2.17 with the default, non-native Jinja."""
    directory = tmp_path_factory.mktemp('templated')
    (directory / 'group_vars').mkdir()
    (directory / 'group_vars' / 'all.yml').write_text(yaml.safe_dump({
        'modelarts_endpoint': hostile_emulator.url, 'modelarts_auth_url': hostile_emulator.auth_url,
        'modelarts_username': DEFAULT_USER, 'modelarts_password': DEFAULT_PASSWORD,
        'modelarts_domain_name': DEFAULT_DOMAIN}))
    (directory / 'account.modelarts.yml').write_text(yaml.safe_dump(password_options(
        hostile_emulator, projects=['*{*', 'eu-de'], gpu_summary=True,
        compose={'team': "modelarts_project_name.split('_')[-1]", 'label': "'project ' ~ modelarts_project_name"},
        keyed_groups=[{'key': 'modelarts_project_name', 'prefix': 'project'}])))
    playbook = '''
        - name: Use what the inventory set
          hosts: all
          gather_facts: false
          tasks:
            - name: Show the host and its variables
              ansible.builtin.debug:
                msg:
                  host: "{{ inventory_hostname }}"
                  name: "{{ modelarts_project_name }}"
                  region: "{{ modelarts_region }}"
                  team: "{{ team }}"
                  label: "{{ label }}"
                  groups: "{{ group_names }}"
                  flavors: "{{ modelarts_gpu_summary.by_flavor | default({}) }}"

        - name: Report in one pass
          ansible.builtin.import_playbook: mlops.modelarts.gpu_report
          vars:
            modelarts_report_dir: "{{ report_dir }}/one-pass"

        # The per-host path also leaves each project's facts, which the last play reads.
        - name: Report one task per host
          ansible.builtin.import_playbook: mlops.modelarts.gpu_report
          vars:
            modelarts_report_dir: "{{ report_dir }}/per-host"
            modelarts_report_per_host: true

        - name: Use the facts the report's query left
          hosts: all
          gather_facts: false
          tasks:
            - name: Show the version names
              ansible.builtin.debug:
                msg: "{{ hostvars[inventory_hostname].ansible_facts.modelarts_training_job_versions | map(attribute='version_name') | list }}"
        '''
    env = {'ANSIBLE_JINJA2_NATIVE': 'false'} if 'ANSIBLE_JINJA2_NATIVE' in os.environ else {}
    run = execute_playbook(directory, playbook, inventory_path=directory / 'account.modelarts.yml', env=env,
                           extra_vars={'report_dir': str(directory / 'report')})
    return run, directory


def test_a_templated_project_name_runs_nothing_through_hosts_host_vars_compose_or_gpu_report(templated_run):
    run, directory = templated_run
    assert glob.glob(str(directory / 'owned-*')) == [], run.stdout[-3000:]
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    shown = dict((result['msg']['name'], result['msg']) for result in run.task_results('Show the host and its variables').values())
    assert sorted(shown) == sorted(['eu-de', TEMPLATED_NAME, TEMPLATED_REGION])
    assert shown[TEMPLATED_NAME]['label'] == 'project ' + TEMPLATED_NAME
    assert shown[TEMPLATED_NAME]['team'] == TEMPLATED_NAME.rsplit('_', maxsplit=1)[-1]
    assert shown[TEMPLATED_REGION]['region'] == TEMPLATED_REGION
    for path in ('one-pass', 'per-host'):
        with open(str(directory / 'report' / path / 'gpu_report.json')) as handle:
            report = json.load(handle)
        assert sorted(project['project'] for project in report['projects']) == sorted(shown), path


def test_hosts_and_groups_of_templated_project_names_are_safe_names(templated_run):
    run, dummy = templated_run
    shown = dict((result['msg']['name'], result['msg']) for result in run.task_results('Show the host and its variables').values())
    assert shown['eu-de']['host'] == 'eu-de' and shown['eu-de']['groups'] == ['modelarts_region_eu_de', 'project_eu_de']
    for name in (TEMPLATED_NAME, TEMPLATED_REGION):
        assert re.match(SAFE_HOST_NAME, shown[name]['host']), shown[name]
        assert all(re.match(SAFE_HOST_NAME, group) for group in shown[name]['groups']), shown[name]
    assert warned(run, 'project "%s"' % TEMPLATED_NAME.replace('"', '\\"'), 'is the host %s' % shown[TEMPLATED_NAME]['host'])


def test_facts_of_a_query_over_hostile_projects_stay_text_when_used_later(templated_run):
    run, directory = templated_run
    names = [result['msg'] for result in run.task_results('Show the version names').values()]
    assert [TEMPLATED_VERSION] in names
    assert glob.glob(str(directory / 'owned-*')) == []


def test_a_project_named_like_another_sources_host_or_group_gets_its_own_host(hostile_emulator, tmp_path):
    static = tmp_path / 'static.ini'
    static.write_text('eu-de_ml ansible_connection=ssh ansible_host=192.0.2.5\n[eu-nl_research]\ndb1\n')
    run = run_inventory(tmp_path, password_options(hostile_emulator, projects=['eu-de_ml', 'eu-nl_research']),
                        sources=[static])
    assert run.returncode == 0, run.output[-3000:]
    assert run.hostvars['eu-de_ml'] == {'ansible_connection': 'ssh', 'ansible_host': '192.0.2.5'}
    assert run.hosts('eu-nl_research') == ['db1']
    assert hosts_of_projects(run) == {'eu-de_ml': ['eu-de_ml-2'], 'eu-nl_research': ['eu-nl_research-2']}
    assert run.hostvars['eu-de_ml-2']['ansible_connection'] == 'local'
    assert warned(run, 'project "eu-de_ml" (id "%s") is the host eu-de_ml-2: "eu-de_ml" is a host of another inventory'
                  ' source' % project_id('eu-de_ml'))
    assert warned(run, 'is the host eu-nl_research-2: "eu-nl_research" is a group of the inventory')


def test_projects_of_one_name_get_distinct_hosts(hostile_emulator, tmp_path):
    run = run_inventory(tmp_path, password_options(hostile_emulator, projects=['eu-de_twin*']))
    assert run.returncode == 0, run.output[-3000:]
    assert hosts_of_projects(run) == {'eu-de_twin': ['eu-de_twin', 'eu-de_twin-3'], 'eu-de_twin-2': ['eu-de_twin-2']}
    assert run.hostvars['eu-de_twin']['modelarts_project_id'] == TWIN_IDS[0]
    assert run.hostvars['eu-de_twin-3']['modelarts_project_id'] == TWIN_IDS[1]
    assert warned(run, 'project "eu-de_twin" (id "%s") is the host eu-de_twin-3: "eu-de_twin" is the host of project'
                  ' "%s"' % (TWIN_IDS[1], TWIN_IDS[0]))


def test_projects_named_all_ungrouped_or_localhost_get_hosts_of_their_own(hostile_emulator, tmp_path):
    run = run_inventory(tmp_path, password_options(hostile_emulator, projects=['all', 'ungrouped', 'localhost']))
    assert run.returncode == 0, run.output[-3000:]
    assert hosts_of_projects(run) == {'all': ['all-2'], 'ungrouped': ['ungrouped-2'], 'localhost': ['localhost-2']}
    assert 'localhost' not in run.hostvars
    assert warned(run, 'project "all" (id "%s") is the host all-2: "all" is a group every inventory has' % project_id('all'))
    assert warned(run, 'is the host localhost-2: "localhost" is the name of the controller')
