# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The gpu_report role's two paths (one pass, one task per host) write the same gpu_report.json (issue 25).

Projects that answer, and projects that fail each its own way: wrong credentials (401), ModelArts refused (403),
500 beyond the retries, a timeout. The 500 and the timeout come from emulators of their own, so that each fault
reaches exactly one project whatever order the projects are asked in.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import hashlib
import json
import os
import re

import pytest

from conftest import execute_playbook
from tests.emulator.harness import DEFAULT_AK, DEFAULT_DOMAIN, DEFAULT_PASSWORD, DEFAULT_SK, DEFAULT_USER, Emulator

RESEARCH = 'eu-nl_research'
VISION = 'eu-de_vision'
REFUSED = 'eu-de_refused'
CONFIG = {'projects': [
    {'versions': 40, 'seed': 1},
    {'project_name': RESEARCH, 'region': 'eu-nl', 'versions': 30, 'seed': 2},
    {'project_name': VISION, 'versions': 25, 'seed': 3},
    {'project_name': REFUSED, 'versions': 5, 'seed': 4, 'modelarts': False},
]}
WINDOW = ('2025-12-01', '2026-01-01T00:00:00Z')
PLAY = '''
- ansible.builtin.import_playbook: mlops.modelarts.gpu_report
'''
ROLE_PATH = os.path.join(os.environ['ANSIBLE_COLLECTIONS_PATH'].split(os.pathsep)[0], 'ansible_collections', 'mlops',
                         'modelarts', 'roles', 'gpu_report')
FAILING = ('wrong-token', 'refused', 'error-500', 'timeout')


def project_id_of(name):
    return hashlib.md5(('project:' + name).encode('utf-8')).hexdigest()


@pytest.fixture(scope='module')
def emulators():
    with Emulator(config=CONFIG) as main, Emulator(versions=5) as failing, Emulator(versions=5) as slow:
        failing.inject({'kind': 'status', 'status': 500, 'times': 100000, 'target': 'versions'})
        slow.inject({'kind': 'slow', 'delay': 3, 'times': 100000, 'target': 'versions'})
        yield main, failing, slow


def inventory(main, failing, slow):
    return '''
[modelarts_projects]
prod-aksk modelarts_region=eu-de modelarts_project_id={default_id} modelarts_access_key={ak} modelarts_secret_key={sk}
research-token modelarts_region=eu-nl modelarts_project_id={research_id} modelarts_token=demo-static-token-2
vision-password modelarts_region=eu-de modelarts_project_name={vision} modelarts_auth_url={auth_url}
wrong-token modelarts_region=eu-nl modelarts_project_id={research_id} modelarts_token=not-a-token
refused modelarts_region=eu-de modelarts_project_id={refused_id} modelarts_token=demo-static-token-4
error-500 modelarts_region=eu-de modelarts_project_id={failing_id} modelarts_token=demo-static-token modelarts_endpoint={failing_url} modelarts_retries=1
timeout modelarts_region=eu-de modelarts_project_id={slow_id} modelarts_token=demo-static-token modelarts_endpoint={slow_url}

[vision_password_login]
vision-password

[vision_password_login:vars]
modelarts_domain_name={domain}
modelarts_username={user}
modelarts_password={password}

[slow_project]
timeout

[slow_project:vars]
modelarts_timeout=1
modelarts_retries=0

[modelarts_projects:vars]
ansible_connection=local
modelarts_endpoint={url}
'''.format(default_id=main.project_id, ak=DEFAULT_AK, sk=DEFAULT_SK, research_id=project_id_of(RESEARCH),
           vision=VISION, domain=DEFAULT_DOMAIN, user=DEFAULT_USER, password=DEFAULT_PASSWORD,
           auth_url=main.auth_url, url=main.url, refused_id=project_id_of(REFUSED),
           failing_id=failing.project_id, failing_url=failing.url, slow_id=slow.project_id, slow_url=slow.url)


def run_report(emulators, tmp_path_factory, per_host):
    work = tmp_path_factory.mktemp('per-host' if per_host else 'one-pass')
    run = execute_playbook(
        work, PLAY, inventory=inventory(*emulators), forks=4, callback='default', verbosity=1,
        extra_vars={'modelarts_report_dir': str(work / 'out'), 'modelarts_report_usage_since': WINDOW[0],
                    'modelarts_report_usage_until': WINDOW[1], 'modelarts_report_per_host': per_host,
                    'modelarts_report_ignore_errors': True, 'modelarts_report_progress_every': 3})
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    files = {}
    for name in ('gpu_report.json', 'gpu_report.csv', 'gpu_usage.csv', 'gpu_report.html'):
        with open(str(work / 'out' / name), 'rb') as handle:
            files[name] = handle.read()
    return run, files


@pytest.fixture(scope='module')
def reports(emulators, tmp_path_factory):
    """Run the report once per path over the same projects; give back {path: (run, gpu_report.json bytes)}."""
    return dict((name, run_report(emulators, tmp_path_factory, per_host))
                for name, per_host in (('per_host', True), ('one_pass', False)))


def without_timestamps(text):
    """Give back gpu_report.json with the times of the run (when it ran, how long versions have run) blanked."""
    report = json.loads(text)
    report['generated_at'] = None
    for project in report['projects']:
        project['fetched_at'] = None
    for item in report['longest_running']:
        item['running_seconds'] = None
    for item in report['charts']['longest_running']:
        item['value'] = None
    return json.dumps(report, indent=2, sort_keys=True)


def test_both_paths_write_the_same_gpu_report_json(reports):
    one_pass, per_host = reports['one_pass'][1]['gpu_report.json'], reports['per_host'][1]['gpu_report.json']
    assert without_timestamps(one_pass) == without_timestamps(per_host)


def test_the_one_pass_html_page_is_the_one_the_template_module_writes(reports, tmp_path):
    # One pass renders the role's template in its own process (gpu_report_files); the per-host path with
    # ansible.builtin.template. The module, given the one-pass report, must write the very same bytes.
    one_pass_files = reports['one_pass'][1]
    (tmp_path / 'report.json').write_bytes(one_pass_files['gpu_report.json'])
    run = execute_playbook(tmp_path, '''
        - name: Render the role's HTML template with the template module
          hosts: localhost
          gather_facts: false
          tasks:
            - name: Template the page
              ansible.builtin.template:
                src: "{{ role_path_of_report }}/templates/gpu_report.html.j2"
                dest: "{{ out }}"
                mode: "0644"
              vars:
                modelarts_report: "{{ lookup('ansible.builtin.file', report_json) | from_json }}"
        ''', extra_vars={'report_json': str(tmp_path / 'report.json'), 'out': str(tmp_path / 'template.html'),
                         'role_path_of_report': ROLE_PATH})
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert (tmp_path / 'template.html').read_bytes() == one_pass_files['gpu_report.html']
    assert b'<p class="error">' in one_pass_files['gpu_report.html']


@pytest.mark.parametrize('name', ('gpu_report.csv', 'gpu_usage.csv'))
def test_both_paths_write_the_same_csv_files(reports, name):
    assert reports['one_pass'][1][name] == reports['per_host'][1][name]


def test_each_failing_project_is_reported_in_its_own_row_and_the_others_have_data(reports):
    report = json.loads(reports['one_pass'][1]['gpu_report.json'])
    rows = dict((project['host'], project) for project in report['projects'])
    assert sorted(host for host, row in rows.items() if row['error']) == sorted(FAILING)
    assert all(row['has_data'] and row['versions'] > 0 for host, row in rows.items() if host not in FAILING)
    assert 'timed out' in rows['timeout']['error'] or 'timeout' in rows['timeout']['error'].lower()


def test_one_pass_queries_in_one_task_and_shows_its_progress(reports):
    one_pass, per_host = reports['one_pass'][0], reports['per_host'][0]
    # Progress goes to stderr: stdout is the callback's.
    assert 'gpu_report: 3 of 7 projects queried' in one_pass.stderr
    assert 'gpu_report: 7 of 7 projects queried (4 failed)' in one_pass.stderr
    assert 'projects queried' not in one_pass.stdout
    assert 'gpu_report: prod-aksk answered in' in one_pass.stdout
    # In one pass no task runs on a project host at all (not even the role's argument check): the recap lists the
    # controller only. The per-host path runs its query task on every host.
    recap = re.findall(r'^(\S+)\s+: ok=', one_pass.stdout.split('PLAY RECAP')[1], re.M)
    assert recap == ['localhost'], recap
    assert 'Ask ModelArts for the training job versions' not in one_pass.stdout
    per_host_recap = dict(re.findall(r'^(\S+)\s+: (ok=.*)$', per_host.stdout.split('PLAY RECAP')[1], re.M))
    assert 'prod-aksk' in per_host_recap and len(per_host_recap) == 8, per_host_recap
    assert 'Ask ModelArts for the training job versions of the project' in per_host.stdout
    assert 'querying one task per host (modelarts_report_per_host is true)' in per_host.stdout


def token_inventory(emulator, **tokens):
    """Give back an INI inventory of a group `p`: one host per keyword, each the emulator's project with that token."""
    hosts = ''.join('%s modelarts_project_id=%s modelarts_token=%s\n' % (host, emulator.project_id, token)
                    for host, token in sorted(tokens.items()))
    return '[p]\n%s[p:vars]\nansible_connection=local\nmodelarts_region=eu-de\nmodelarts_endpoint=%s\n' % (
        hosts, emulator.url)


def test_one_pass_fails_the_run_when_no_project_could_be_queried(emulators, tmp_path_factory):
    work = tmp_path_factory.mktemp('none')
    main = emulators[0]
    run = execute_playbook(
        work, PLAY, forks=2, callback='default',
        inventory=token_inventory(main, a='wrong-a', b='wrong-b'),
        extra_vars={'modelarts_report_dir': str(work / 'out')})
    assert run.returncode != 0
    assert 'none of the 2 projects could be queried: a, b' in run.stdout
    assert (work / 'out' / 'gpu_report.json').exists()


def test_the_one_pass_entry_point_fails_saying_why_where_one_pass_cannot_run(emulators, tmp_path_factory):
    # The role on the controller with tasks_from: one_pass, where one pass cannot run (here: per host asked for):
    # no report and no silent success, but a failure naming the reason and what to run instead.
    work = tmp_path_factory.mktemp('entry-point')
    main = emulators[0]
    run = execute_playbook(
        work, '''
        - name: The report from the controller
          hosts: localhost
          gather_facts: false
          tasks:
            - name: Report the projects
              ansible.builtin.import_role:
                name: mlops.modelarts.gpu_report
                tasks_from: one_pass
              vars:
                modelarts_report_project_hosts: "{{ groups['p'] }}"
                modelarts_report_per_host: true
        ''', callback='default',
        inventory=token_inventory(main, a='demo-static-token'),
        extra_vars={'modelarts_report_dir': str(work / 'out')})
    assert run.returncode != 0
    flat = ' '.join(run.stdout.split())
    assert 'the report cannot run in one pass here (modelarts_report_per_host is true)' in flat, run.stdout[-2000:]
    assert 'run the role (its main entry point) in a play over the project hosts' in flat
    assert not (work / 'out').exists()
