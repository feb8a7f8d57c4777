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
import sys
import tempfile
from html.parser import HTMLParser

import pytest
from prometheus_client.parser import text_string_to_metric_families

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

# December 2025: the emulator's generated versions were created in the 60 days before 2026-01-01.
WINDOW = ('2025-12-01', '2026-01-01T00:00:00Z')
WINDOW_MS = (1764547200000, 1767225600000)

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
        extra_vars={'modelarts_report_dir': str(report_dir), 'modelarts_report_usage_since': WINDOW[0],
                    'modelarts_report_usage_until': WINDOW[1]},
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
    assert text.count('<svg') == 4
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
                 '--window-size=1280,2300', '--enable-logging=stderr', '--v=0')


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


sys.path.insert(0, os.path.join(REPO_ROOT, 'tests', 'unit', 'plugins', 'module_utils'))
from usage_reference import reference_usage  # noqa: E402  (the reference model of the unit tests, plain Python)


def close(got, expected):
    return abs(got - float(expected)) <= 0.001


@pytest.mark.parametrize('host', HOSTS)
def test_json_usage_matches_the_reference_model(projects_emulator, report, host):
    usage = [p for p in load_json(report[1])['projects'] if p['name'] == host][0]['usage']
    model = reference_usage(emulator_versions(projects_emulator, host), *WINDOW_MS)
    assert (usage['since'], usage['until']) == ('2025-12-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')
    assert close(usage['gpu_hours'], model['gpu_hours']) and close(usage['npu_hours'], model['npu_hours'])
    assert usage['gpu_hours'] > 0
    assert dict((pool, round(row['gpu_hours'], 3)) for pool, row in usage['by_pool'].items()) == dict(
        (pool, round(float(row[0]), 3)) for pool, row in model['tables']['by_pool'].items())
    assert usage['queue'] == model['queue']


def test_json_total_queue_is_the_reference_model_over_every_project(projects_emulator, report):
    model = reference_usage([v for host in HOSTS for v in emulator_versions(projects_emulator, host)], *WINDOW_MS)
    queue = load_json(report[1])['totals']['usage']['queue']
    assert queue == model['queue']


def test_usage_csv_totals_match_the_json(report):
    projects = dict((p['name'], p['usage']['gpu_hours']) for p in load_json(report[1])['projects'])
    with open(str(report[1] / 'gpu_usage.csv')) as handle:
        rows = [row for row in csv.DictReader(handle) if row['dimension'] == 'total']
    assert dict((row['project'], float(row['gpu_hours'])) for row in rows) == projects


def prom_samples(report_dir):
    with open(str(report_dir / 'gpu_report.prom')) as handle:
        text = handle.read()
    return [(s.name, s.labels, s.value) for family in text_string_to_metric_families(text) for s in family.samples]


def test_prom_gpu_hours_add_up_to_each_projects_hours(report):
    projects = dict((p['name'], p['usage']['gpu_hours']) for p in load_json(report[1])['projects'])
    seen = dict.fromkeys(projects, 0.0)
    for name, labels, value in prom_samples(report[1]):
        if name == 'modelarts_gpu_hours':
            seen[labels['project']] += value
    assert all(abs(seen[name] - projects[name]) <= 0.001 * 5 for name in projects), (seen, projects)


def test_prom_active_gpus_per_pool_add_up_to_the_projects_active_gpus(projects_emulator, report):
    seen = {}
    for name, labels, value in prom_samples(report[1]):
        if name == 'modelarts_active_gpus':
            assert labels['region'] in ('eu-de', 'eu-nl')
            seen[labels['project']] = seen.get(labels['project'], 0) + value
    assert seen == dict((host, gpus_by_group(emulator_versions(projects_emulator, host))['active']) for host in HOSTS)


def test_html_shows_the_usage_pool_flavor_and_queue_tables(report):
    with open(str(report[1] / 'gpu_report.html')) as handle:
        text = handle.read()
    for anchor in ('id="usage-pools"', 'id="usage-flavors"', 'id="queue"', 'id="total-gpu-hours"'):
        assert anchor in text
