# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Hostile servers and hostile input, through the modules and real ansible-playbook (docs/reliability.md).

One playbook run; each task meets one hostile answer of the emulator (faults consumed in task order) or one
hostile option: a gateway echoing the credentials it was sent (a token from clouds.yaml, a token IAM issued), deeply
nested JSON, a gzip bomb, a body larger than any answer may be, a server trickling its answer, a project_id that would
leave the versions path, a token HTTP cannot carry, a server paging for ever.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import re
import textwrap

import pytest
import yaml

from conftest import marker_task, requests_by_marker

from tests.emulator.harness import DEFAULT_DOMAIN, DEFAULT_PASSWORD, DEFAULT_PROJECT_NAME, DEFAULT_TOKEN, DEFAULT_USER, Emulator

ISSUED_TOKEN = re.compile(r'MIIE[0-9a-f]{64}')
TASKS = ('echo of a clouds.yaml token', 'echo of an issued token', 'deep json', 'gzip bomb', 'body over the limit',
         'trickling answer', 'project_id leaving the path', 'token with a line break', 'endless pages')
GIB = 1024 * 1024 * 1024


@pytest.fixture(scope='module')
def outcome(run_playbook_once, tmp_path_factory):
    with Emulator(versions=12) as emulator:
        directory = tmp_path_factory.mktemp('clouds')
        clouds = directory / 'clouds.yaml'
        clouds.write_text(json.dumps({'clouds': {'hostile': {
            'auth': {'token': DEFAULT_TOKEN, 'project_id': emulator.project_id},
            'region_name': 'eu-de', 'modelarts_endpoint': emulator.url}}}))
        # A gzip bomb of about 1 MiB inflating to 1 GiB; 256 MiB without a Content-Length; a byte every 0.5 s (for at
        # most 60 s, should the client not give up).
        emulator.inject({'kind': 'echo_headers'}, {'kind': 'echo_headers'}, {'kind': 'deep_json', 'times': 2},
                        {'kind': 'gzip_bomb', 'size': GIB}, {'kind': 'huge_body', 'size': GIB // 4, 'chunked': True},
                        {'kind': 'trickle', 'interval': 0.5, 'duration': 60},
                        {'kind': 'endless_pages', 'times': 100000})
        common = dict(endpoint=emulator.url, region='eu-de', retries=1)
        token = dict(common, token=DEFAULT_TOKEN, project_id=emulator.project_id)
        tasks = [
            ('echo of a clouds.yaml token', dict(cloud='hostile')),
            ('echo of an issued token', dict(common, auth_url=emulator.auth_url, username=DEFAULT_USER,
                                             password=DEFAULT_PASSWORD, domain_name=DEFAULT_DOMAIN,
                                             project_name=DEFAULT_PROJECT_NAME)),
            ('deep json', token),
            ('gzip bomb', token),
            ('body over the limit', token),
            ('trickling answer', dict(token, paging_timeout=2)),
            ('project_id leaving the path', dict(token, project_id='../../../../admin/keys?x=#')),
            ('token with a line break', dict(token, token=DEFAULT_TOKEN + '\r\nX-Injected: 1')),
            ('endless pages', dict(token, page_size=100, offset_unit='records', paging_timeout=2)),
        ]
        text = "- hosts: localhost\n  gather_facts: false\n  tasks:\n"
        for name, options in tasks:
            text += marker_task(name)
            task = [{'name': name, 'mlops.modelarts.training_job_version_info': options, 'ignore_errors': True}]
            text += textwrap.indent(yaml.safe_dump(task, default_flow_style=False), '    ')
        run = run_playbook_once(text, extra_vars={'emulator_url': emulator.url},
                                env={'OS_CLIENT_CONFIG_FILE': str(clouds)})
        yield run, requests_by_marker(emulator.log())


def test_a_token_a_gateway_echoes_shows_nowhere_in_the_results(outcome):
    run, dummy = outcome
    text = run.stdout + run.stderr
    assert DEFAULT_TOKEN not in text and not ISSUED_TOKEN.search(text)


@pytest.mark.parametrize('task', ['echo of a clouds.yaml token', 'echo of an issued token'])
def test_api_error_keeps_the_echoed_error_with_the_secret_blanked(outcome, task):
    result = outcome[0].result(task)
    assert result['failed'] and result['api_error']['status'] == 400
    assert result['api_error']['error_code'] == '********' and 'rejected request headers' in result['msg']


def test_deeply_nested_json_fails_as_a_body_that_is_not_json_naming_the_request(outcome):
    result = outcome[0].result('deep json')
    assert result['failed'] and 'HTTP 200 with a body that is not JSON' in result['msg']
    assert '/training-jobs/versions' in result['msg'] and 'gave up after 2 attempts' in result['msg']


def test_a_project_id_leaving_the_path_fails_naming_the_option_before_any_request(outcome):
    run, segments = outcome
    result = run.result('project_id leaving the path')
    assert result['failed'] and result['msg'].startswith('project_id must be letters, digits, - and _ only')
    assert segments['project_id leaving the path'] == []


def test_a_token_with_a_line_break_fails_naming_the_option_without_quoting_it(outcome):
    run, segments = outcome
    result = run.result('token with a line break')
    assert result['failed'] and result['msg'].startswith('token contains a line break')
    assert 'X-Injected' not in run.stdout and segments['token with a line break'] == []


def test_a_server_paging_for_ever_fails_at_paging_timeout_in_bounded_requests(outcome):
    run, segments = outcome
    result = run.result('endless pages')
    assert result['failed'] and 'did not end within paging_timeout (2 seconds' in result['msg']
    assert 2 < len(segments['endless pages']) < 2500


def v1_requests(requests):
    """The v1 versions requests of a task (training_api all also sends the v2 search, which these faults never hit)."""
    return [r for r in requests if r['path'].endswith('/training-jobs/versions')]


@pytest.mark.parametrize('task, why', [('gzip bomb', 'once decompressed (Content-Encoding: gzip)'),
                                       ('body over the limit', 'more than that came over the connection')])
def test_an_answer_over_the_size_limit_fails_naming_the_limit_and_is_not_asked_again(outcome, task, why):
    run, segments = outcome
    result = run.result(task)
    assert result['failed'] and 'training-jobs/versions: the answer exceeded 128 MiB (the most one answer may hold; %s)' % why in result['msg']
    assert len(v1_requests(segments[task])) == 1


def test_a_trickling_answer_fails_at_paging_timeout(outcome):
    run, segments = outcome
    result = run.result('trickling answer')
    assert result['failed'] and 'did not end within paging_timeout (2 seconds' in result['msg']
    assert 'an answer was still arriving' in result['msg'] and len(v1_requests(segments['trickling answer'])) == 1
