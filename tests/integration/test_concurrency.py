# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""50 inventory hosts, forks 10, each with its own filter and credential kind: correct, independent results."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from conftest import credentials, emulator_answer, expected_gpu_summary

HOSTS = 50
FORKS = 10
STATUSES = (None, 8, 10, 11, 7, 0)
SORTS = (('create_time', 'desc'), ('job_name', 'asc'), ('duration', 'desc'), ('status', 'asc'))
METHODS = ('token', 'aksk', 'password')
OPTION_NAMES = ('endpoint', 'region', 'auth_url', 'project_id', 'project_name', 'domain_name', 'username', 'password',
                'token', 'access_key', 'secret_key')

PLAYBOOK = '''
- hosts: all
  gather_facts: false
  tasks:
    - name: query
      mlops.modelarts.training_job_version_info:
%s
        status: "{{ [host_status] if host_status is not none else omit }}"
        limit: "{{ host_limit }}"
        page_size: "{{ host_page_size }}"
        sort_by: "{{ host_sort_by }}"
        order: "{{ host_order }}"
        retries: 2
''' % '\n'.join('        %s: "{{ modelarts_credentials[host_method].%s | default(omit) }}"' % (name, name)
                for name in OPTION_NAMES)


def host_filters():
    """Give back {host name: its filter}: statuses, limits, page sizes, sort orders and auth methods all vary."""
    filters = {}
    for index in range(HOSTS):
        sort_by, order = SORTS[index % len(SORTS)]
        filters['host%02d' % index] = dict(status=STATUSES[index % len(STATUSES)], limit=index % 7,
                                           page_size=(0, 3, 10)[index % 3], sort_by=sort_by, order=order,
                                           method=METHODS[index % len(METHODS)])
    return filters


def inventory(filters):
    lines = ['[modelarts]']
    for host, item in sorted(filters.items()):
        lines.append('%s ansible_connection=local host_status=%s host_limit=%d host_page_size=%d host_sort_by=%s '
                     'host_order=%s host_method=%s' % (host, 'None' if item['status'] is None else item['status'],
                                                       item['limit'], item['page_size'], item['sort_by'], item['order'],
                                                       item['method']))
    return '\n'.join(lines) + '\n'


@pytest.fixture(scope='module')
def parallel_run(emulator, run_playbook_once):
    filters = host_filters()
    extra_vars = {'modelarts_credentials': dict((method, credentials(emulator, method)) for method in METHODS)}
    run = run_playbook_once(PLAYBOOK, inventory=inventory(filters), extra_vars=extra_vars, forks=FORKS,
                            env={'ANSIBLE_PIPELINING': 'true'})
    return filters, run


def expected_versions(emulator, item):
    """The emulator's own answer to the host's filter, cut to its limit."""
    answer = emulator_answer(emulator, status=item['status'], sort_by=item['sort_by'], order=item['order'])
    return answer['versions'][:item['limit'] or None]


def test_every_host_gets_exactly_the_versions_of_its_own_filter(emulator, parallel_run):
    filters, run = parallel_run
    results = run.task_results('query')
    assert sorted(results) == sorted(filters), run.stdout[-3000:]
    wrong = {}
    for host, item in filters.items():
        expected = [version['version_id'] for version in expected_versions(emulator, item)]
        got = [version['version_id'] for version in results[host].get('versions', [])]
        if got != expected or results[host].get('failed'):
            wrong[host] = dict(filter=item, expected=expected, got=got, msg=results[host].get('msg'))
    assert wrong == {}


def test_every_host_gets_the_gpu_summary_of_its_own_versions(emulator, parallel_run):
    filters, run = parallel_run
    results = run.task_results('query')
    for host, item in filters.items():
        summary = results[host]['gpu_summary']
        expected = expected_gpu_summary(expected_versions(emulator, item))
        assert dict((key, summary[key]) for key in expected) == expected, host


def test_every_host_reports_a_complete_answer_without_warnings(parallel_run):
    filters, run = parallel_run
    results = run.task_results('query')
    assert dict((host, (result['complete'], result.get('warnings', []))) for host, result in results.items()) == dict(
        (host, (True, [])) for host in filters)
