# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Listing an account's projects: settings without a project, the domain-scoped login, selection, summaries."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import threading

import pytest

from ansible_collections.mlops.modelarts.plugins.plugin_utils import _projects
from ansible_collections.mlops.modelarts.plugins.module_utils._auth import ConnectionSettings, PasswordAuthenticator
from ansible_collections.mlops.modelarts.plugins.module_utils._errors import ModelArtsError, OptionError

PASSWORD = dict(region='eu-de', username='user', password='pass', domain_name='domain')
PROJECTS = [dict(id='a' * 32, name='eu-de', region='eu-de'), dict(id='b' * 32, name='eu-de_ml', region='eu-de'),
            dict(id='c' * 32, name='eu-nl_research', region='eu-nl'), dict(id='d' * 32, name='cn-north-4', region='cn-north-4')]


def test_account_settings_need_no_project_and_no_modelarts_endpoint():
    settings = ConnectionSettings(dict(token='t', auth_url='https://iam.example.test/v3'), account=True)
    assert settings.auth_url == 'https://iam.example.test/v3' and settings.project_id is None


def test_account_settings_need_an_iam_endpoint():
    with pytest.raises(OptionError, match='auth_url .* is required to list the projects'):
        ConnectionSettings(dict(access_key='ak', secret_key='sk'), account=True)


def test_a_password_login_without_project_is_scoped_to_the_domain():
    sent = []

    class Answer(object):
        headers = {'X-Subject-Token': 'issued'}
        status_code = 201

    def send(method, url, headers, body, authenticate=True):
        sent.append(body)
        return Answer(), {'token': {'domain': {'name': 'domain'}}}

    authenticator = PasswordAuthenticator(ConnectionSettings(PASSWORD, account=True), send)
    assert authenticator.headers_for('GET', 'https://iam/v3/auth/projects', {})['X-Auth-Token'] == 'issued'
    assert sent[0]['auth']['scope'] == {'domain': {'name': 'domain'}}


def test_a_projects_region_is_its_name_up_to_the_first_underscore():
    assert [_projects.project_region(n) for n in ('eu-de', 'eu-de_ml', 'cn-north-4_nlp_x')] == ['eu-de', 'eu-de', 'cn-north-4']


@pytest.mark.parametrize('regions, patterns, expected', [
    (None, None, ['eu-de', 'eu-de_ml', 'eu-nl_research', 'cn-north-4']),
    (['eu-de', 'cn-north-4'], None, ['eu-de', 'eu-de_ml', 'cn-north-4']),
    (None, ['*_*'], ['eu-de_ml', 'eu-nl_research']),
    (['eu-de'], ['*_ml', 'eu-nl*'], ['eu-de_ml']),
])
def test_regions_and_globs_select_projects(regions, patterns, expected):
    assert [p['name'] for p in _projects.select_projects(PROJECTS, regions, patterns)] == expected


def test_listing_keeps_enabled_projects_sorted_by_name(monkeypatch):
    listed = [dict(id='2' * 32, name='eu-nl', enabled=True), dict(id='1' * 32, name='eu-de_old', enabled=False),
              dict(id='3' * 32, name='eu-de', enabled=True), 'not a project', dict(name='no-id', enabled=True)]
    monkeypatch.setattr(_projects.ApiClient, 'send', lambda self, method, url, headers, body: (None, dict(projects=listed)))
    projects = _projects.list_projects(dict(token='t', auth_url='https://iam.example.test/v3'))
    assert projects == [dict(id='3' * 32, name='eu-de', region='eu-de'), dict(id='2' * 32, name='eu-nl', region='eu-nl')]


def test_projects_of_one_name_are_listed_by_id(monkeypatch):
    listed = [dict(id='2' * 32, name='eu-de_twin'), dict(id='1' * 32, name='eu-de_twin'), dict(id='3' * 32, name='eu-de')]
    monkeypatch.setattr(_projects.ApiClient, 'send', lambda self, method, url, headers, body: (None, dict(projects=listed)))
    projects = _projects.list_projects(dict(token='t', auth_url='https://iam.example.test/v3'))
    assert [(p['name'], p['id']) for p in projects] == [('eu-de', '3' * 32), ('eu-de_twin', '1' * 32), ('eu-de_twin', '2' * 32)]


def named(*names):
    return [dict(id='%032d' % index, name=name) for index, name in enumerate(names)]


def test_ordinary_project_names_are_their_hosts_names():
    names = ['eu-de', 'eu-de_ml', 'cn-north-4_nlp', 'ap-southeast-1_team.a', 'EU-DE_Caps']
    assert _projects.host_names(named(*names)) == [(name, None) for name in names]


def test_a_name_with_characters_outside_letters_digits_dot_dash_underscore_is_written_with_underscores():
    hosts = _projects.host_names(named("eu-de_p{{ lookup('pipe', 'id') }}", 'eu-de_a,b:c[0]', 'eu-de_\u00e9t\u00e9\n'))
    assert [host for host, dummy in hosts] == ['eu-de_p___lookup__pipe____id_____', 'eu-de_a_b_c_0_', 'eu-de__t__']
    assert all(why.startswith('a host name has only letters, digits') for dummy, why in hosts)


def test_a_name_taken_by_another_source_gets_the_first_free_suffix_and_says_by_what():
    hosts = _projects.host_names(named('web', 'db'), taken={'web': 'a host of another inventory source',
                                                            'web-2': 'a group of the inventory'})
    assert hosts == [('web-3', '"web" is a host of another inventory source'), ('db', None)]


@pytest.mark.parametrize('name, reason', [
    ('all', 'a group every inventory has'), ('ungrouped', 'a group every inventory has'),
    ('localhost', 'the name of the controller'), ('127.0.0.1', 'the name of the controller'),
])
def test_names_ansible_reserves_are_never_hosts(name, reason):
    assert _projects.host_names(named(name), taken={name: 'a group of the inventory'}) == [
        (name + '-2', '"%s" is %s' % (name, reason))]


def test_a_renamed_project_never_takes_an_ordinary_projects_name():
    hosts = _projects.host_names(named('eu-de_twin', 'eu-de_twin', 'eu-de_twin-2', 'eu-de_a b', 'eu-de_a_b'))
    assert [host for host, dummy in hosts] == ['eu-de_twin', 'eu-de_twin-3', 'eu-de_twin-2', 'eu-de_a_b-2', 'eu-de_a_b']
    assert hosts[1][1] == '"eu-de_twin" is the host of project "%032d"' % 0
    assert hosts[3][1].endswith('; "eu-de_a_b" is the host of project "%032d"' % 4)


def test_an_answer_without_projects_is_an_error(monkeypatch):
    monkeypatch.setattr(_projects.ApiClient, 'send', lambda self, method, url, headers, body: (None, dict(x=1)))
    with pytest.raises(ModelArtsError, match='GET /v3/auth/projects answered without a list of projects'):
        _projects.list_projects(dict(token='t', auth_url='https://iam.example.test/v3'))


def test_summaries_scope_each_query_to_its_project_at_most_n_at_a_time():
    lock = threading.Lock()
    running = dict(now=0, most=0)
    barrier = threading.Barrier(2, timeout=5)

    def run(params):
        with lock:
            running['now'] += 1
            running['most'] = max(running['most'], running['now'])
        if params['project_id'] in ('a' * 32, 'b' * 32):
            barrier.wait()  # two queries overlap: they do run concurrently
        with lock:
            running['now'] -= 1
        if params['region'] == 'cn-north-4':
            raise ModelArtsError('GET /v1/x failed: HTTP 403')
        assert params['project_name'] is None and params['include_versions'] is False
        assert params['max_concurrent_requests'] == 1  # the bound holds for requests, not only projects
        assert params['auth_url'] == 'https://iam.example.test/v3'
        return dict(gpu_summary=dict(versions=1, project=params['project_id'])), ['short page']

    params = dict(PASSWORD, project_name='eu-de_demo', auth_url='https://iam.example.test/v3', max_concurrent_requests=2)
    answers = _projects.gpu_summaries(params, PROJECTS, run=run)
    assert running['most'] == 2
    assert answers['a' * 32] == (dict(versions=1, project='a' * 32), None, ['short page'])
    assert answers['d' * 32] == (None, 'GET /v1/x failed: HTTP 403', [])
