# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The mlops.modelarts.gpu_report playbook over an inventory of three projects (AK/SK, token, password) on one emulator."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import csv
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser

import pytest

from conftest import REPO_ROOT, execute_playbook
from tests.emulator.harness import DEFAULT_AK, DEFAULT_DOMAIN, DEFAULT_PASSWORD, DEFAULT_SK, DEFAULT_USER, Emulator

# The status groups of design.md, written out here so that the test does not trust the code it checks.
GROUPS = {
    'active': (1, 2, 4, 7, 8, 9, 15, 18, 19),
    'succeeded': (10, 20),
    'failed': (3, 5, 6, 11, 14, 16, 17, 21),
    'canceled': (12, 13),
    'unknown': (0,),
}
RESEARCH = 'eu-nl_research'
VISION = 'eu-de_vision'
CONFIG = {'projects': [
    {'versions': 40, 'seed': 1},
    {'project_name': RESEARCH, 'region': 'eu-nl', 'versions': 30, 'seed': 2},
    {'project_name': VISION, 'versions': 25, 'seed': 3},
]}
# Static tokens of the emulator's projects, used only by the test's own raw requests.
STATIC_TOKENS = {'prod-aksk': 'demo-static-token', 'research-token': 'demo-static-token-2',
                 'vision-password': 'demo-static-token-3'}
HOSTS = ('prod-aksk', 'research-token', 'vision-password')

PLAY = '''
- ansible.builtin.import_playbook: mlops.modelarts.gpu_report
'''


def project_id_of(name):
    return hashlib.md5(('project:' + name).encode('utf-8')).hexdigest()


@pytest.fixture(scope='module')
def projects_emulator():
    with Emulator(config=CONFIG) as running:
        yield running


def inventory(emulator):
    url = emulator.url
    return '''
[modelarts_projects]
prod-aksk modelarts_region=eu-de modelarts_project_id={default_id} modelarts_access_key={ak} modelarts_secret_key={sk}
research-token modelarts_region=eu-nl modelarts_project_id={research_id} modelarts_token=demo-static-token-2
vision-password modelarts_region=eu-de modelarts_project_name={vision} modelarts_auth_url={auth_url}

[vision_password_login]
vision-password

[vision_password_login:vars]
modelarts_domain_name={domain}
modelarts_username={user}
modelarts_password={password}

[modelarts_projects:vars]
ansible_connection=local
modelarts_endpoint={url}
'''.format(default_id=emulator.project_id, ak=DEFAULT_AK, sk=DEFAULT_SK, research_id=project_id_of(RESEARCH),
           vision=VISION, domain=DEFAULT_DOMAIN, user=DEFAULT_USER, password=DEFAULT_PASSWORD,
           auth_url=emulator.auth_url, url=url)


def emulator_versions(emulator, host):
    """Give back every version of a host's project, asked straight from the emulator."""
    project_id = {'prod-aksk': emulator.project_id, 'research-token': project_id_of(RESEARCH),
                  'vision-password': project_id_of(VISION)}[host]
    status, dummy, body = emulator.request('GET', '/v1/%s/training-jobs/versions?limit=0' % project_id,
                                           headers={'X-Auth-Token': STATIC_TOKENS[host]})
    assert status == 200, body
    return body['versions']


def gpus_by_group(versions):
    return dict((group, sum(v['gpu_num'] for v in versions if v['status'] in codes)) for group, codes in GROUPS.items())


@pytest.fixture(scope='module')
def report(projects_emulator, tmp_path_factory):
    """Run the gpu_report playbook once; give back (run, report directory)."""
    work = tmp_path_factory.mktemp('report-run')
    report_dir = work / 'out'
    run = execute_playbook(
        work, PLAY, inventory=inventory(projects_emulator), forks=3,
        extra_vars={'modelarts_report_dir': str(report_dir)},
        env={'ANSIBLE_CACHE_PLUGIN': 'jsonfile', 'ANSIBLE_CACHE_PLUGIN_CONNECTION': str(work / 'facts'),
             'ANSIBLE_CACHE_PLUGIN_TIMEOUT': '86400'})
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return run, report_dir


def load_json(report_dir):
    with open(str(report_dir / 'gpu_report.json')) as handle:
        return json.load(handle)


@pytest.mark.parametrize('host', HOSTS)
def test_json_gpus_by_status_group_match_the_emulator(projects_emulator, report, host):
    data = load_json(report[1])
    project = [p for p in data['projects'] if p['name'] == host][0]
    expected = gpus_by_group(emulator_versions(projects_emulator, host))
    assert dict((group, counts['gpu_num']) for group, counts in project['by_group'].items()) == expected


def test_json_totals_match_the_emulator(projects_emulator, report):
    versions = [v for host in HOSTS for v in emulator_versions(projects_emulator, host)]
    totals = load_json(report[1])['totals']
    assert (totals['versions'], totals['gpu_num'], totals['active_gpu_num']) == (
        len(versions), sum(v['gpu_num'] for v in versions), gpus_by_group(versions)['active'])


def test_json_gpus_by_flavor_match_the_emulator(projects_emulator, report):
    expected = {}
    for host in HOSTS:
        for version in emulator_versions(projects_emulator, host):
            expected[version['flavor_code']] = expected.get(version['flavor_code'], 0) + version['gpu_num']
    flavors = load_json(report[1])['totals']['by_flavor']
    assert dict((flavor, counts['gpu_num']) for flavor, counts in flavors.items()) == expected


def test_longest_running_lists_the_earliest_started_active_versions(projects_emulator, report):
    started = [(v['start_time'], host, v['version_name']) for host in HOSTS
               for v in emulator_versions(projects_emulator, host)
               if v['status'] in GROUPS['active'] and v.get('start_time')]
    expected = [(host, name) for dummy, host, name in sorted(started)[:10]]
    listed = [(item['project'], item['version_name']) for item in load_json(report[1])['longest_running']]
    assert listed == expected


def test_csv_gpu_rows_match_the_emulator(projects_emulator, report):
    with open(str(report[1] / 'gpu_report.csv')) as handle:
        rows = list(csv.DictReader(handle))
    seen = dict(((row['project'], row['key']), int(row['gpu_num'])) for row in rows if row['dimension'] == 'group')
    expected = {}
    for host in HOSTS:
        for group, gpus in gpus_by_group(emulator_versions(projects_emulator, host)).items():
            expected[(host, group)] = gpus
    assert seen == expected


class ProjectTables(HTMLParser):
    """Collects, per project table, the GPUs of each status group row and of the footer."""

    def __init__(self):
        HTMLParser.__init__(self)
        self.tables = {}
        self.project = None
        self.row = None
        self.cell = None
        self.text = ''

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == 'table' and 'project-table' in (attrs.get('class') or ''):
            self.project = attrs['data-project']
            self.tables[self.project] = {}
        elif tag == 'tr' and self.project:
            self.row = attrs.get('data-group') or ('all' if attrs.get('class') is None else None)
        elif tag == 'td' and self.row and 'gpus' in (attrs.get('class') or ''):
            self.cell = True
            self.text = ''

    def handle_data(self, data):
        if self.cell:
            self.text += data

    def handle_endtag(self, tag):
        if tag == 'td' and self.cell:
            self.tables[self.project][self.row] = int(self.text)
            self.cell = None
        elif tag == 'table':
            self.project = None


def test_html_project_tables_match_the_emulator(projects_emulator, report):
    parser = ProjectTables()
    with open(str(report[1] / 'gpu_report.html')) as handle:
        parser.feed(handle.read())
    for host in HOSTS:
        versions = emulator_versions(projects_emulator, host)
        expected = dict(gpus_by_group(versions), all=sum(v['gpu_num'] for v in versions))
        assert parser.tables[host] == expected


def test_html_is_self_contained(report):
    with open(str(report[1] / 'gpu_report.html')) as handle:
        text = handle.read()
    assert text.count('<svg') == 3
    for reference in ('src=', '<link', '@import', 'url('):
        assert reference not in text


def test_report_is_rebuilt_from_the_fact_cache_without_asking_the_api(projects_emulator, report, run_playbook, tmp_path):
    run, report_dir = report
    projects_emulator.reset_log()
    rebuilt_dir = tmp_path / 'rebuilt'
    rerun = run_playbook(PLAY, inventory=inventory(projects_emulator), extra_vars={
        'modelarts_report_dir': str(rebuilt_dir), 'modelarts_report_from_cache': True},
        env={'ANSIBLE_CACHE_PLUGIN': 'jsonfile', 'ANSIBLE_CACHE_PLUGIN_CONNECTION': str(report_dir.parent / 'facts'),
             'ANSIBLE_CACHE_PLUGIN_TIMEOUT': '86400'})
    assert rerun.returncode == 0, rerun.stdout[-3000:]
    assert projects_emulator.log() == []
    assert load_json(rebuilt_dir)['projects'] == load_json(report_dir)['projects']


def find_chromium():
    for name in ('chromium', 'chromium-browser', 'google-chrome'):
        path = shutil.which(name)
        if path:
            return path
    return '/usr/bin/chromium' if os.access('/usr/bin/chromium', os.X_OK) else None


CHROMIUM_ARGS = ('--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                 '--disable-background-networking', '--disable-component-update', '--disable-sync',
                 '--window-size=1280,1600', '--enable-logging=stderr', '--v=0')


@pytest.fixture(scope='module')
def chromium_screenshot(report):
    """Open the HTML report in headless Chromium; give back (completed process, screenshot path)."""
    chromium = find_chromium()
    if chromium is None:
        pytest.skip('chromium not found (Debian: apt-get install -y chromium); the HTML report is not opened in a browser')
    profile = tempfile.mkdtemp(prefix='gpu-report-chromium-')
    screenshot = str(report[1] / 'gpu_report.png')
    try:
        completed = subprocess.run(
            [chromium] + list(CHROMIUM_ARGS) + ['--user-data-dir=%s' % profile, '--screenshot=%s' % screenshot,
                                                'file://%s' % (report[1] / 'gpu_report.html')],
            capture_output=True, text=True, timeout=120, check=False)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    # The screenshot in the docs is refreshed when missing or on request, so a test run leaves the checkout clean.
    documented = os.path.join(REPO_ROOT, 'docs', 'images', 'gpu_report.png')
    if completed.returncode == 0 and os.path.exists(screenshot) and (
            not os.path.exists(documented) or os.environ.get('UPDATE_DOCS_IMAGES') == '1'):
        shutil.copyfile(screenshot, documented)
    return completed, screenshot


def test_html_report_opens_in_chromium(chromium_screenshot):
    completed, screenshot = chromium_screenshot
    assert completed.returncode == 0, completed.stderr[-3000:]
    with open(screenshot, 'rb') as handle:
        assert handle.read(8) == b'\x89PNG\r\n\x1a\n'


def test_html_report_logs_no_console_or_load_error_in_chromium(chromium_screenshot):
    completed, dummy = chromium_screenshot
    errors = [line for line in completed.stderr.splitlines()
              if 'CONSOLE' in line or 'Uncaught' in line or 'ERR_FILE_NOT_FOUND' in line or 'Failed to load' in line]
    assert errors == []
