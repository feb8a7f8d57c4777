# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A Keystone IAM refusing the listing's domain-scoped login: when an unscoped token is tried, what errors say."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.mlops.modelarts.plugins.module_utils._auth import ConnectionSettings
from ansible_collections.mlops.modelarts.plugins.module_utils._errors import ModelArtsError
from ansible_collections.mlops.modelarts.plugins.plugin_utils._unscoped_listing import (
    NO_PROJECT_HINT, domain_login_refused, projects_answer_with_unscoped_token,
)

PRIVATE = dict(auth_url='https://keystone.example.test/v3', username='member', password='pass', domain_name='Default')
CLIENT_HINT = (' (the IAM login was refused: check username, password, domain_name or domain_id, project_name or '
               'project_id, and that the user has a role on that project)')
TOKENS = '/v3/auth/tokens'


def login_error(status=401, message='The request you have made requires authentication.', method='POST', path=TOKENS):
    return ModelArtsError('%s %s failed: HTTP %d: %s%s' % (method, path, status, message, CLIENT_HINT),
                          status=status, method=method, path=path)


class Answer(object):
    status_code = 201
    headers = {'X-Subject-Token': 'unscoped-token-of-the-member'}


class FakeClient(object):
    """Answers the unscoped login with `login` (an error to raise, else a token) and the listing with `listing`."""

    def __init__(self, login=None, listing=None):
        self.login, self.listing, self.sent = login, listing, []

    def send(self, method, url, headers, body, authenticate=True):
        self.sent.append((method, url, headers, body, authenticate))
        answer = self.login if method == 'POST' else self.listing
        if isinstance(answer, Exception):
            raise answer
        return Answer(), answer


def settings(**options):
    return ConnectionSettings(dict(PRIVATE, **options), account=True)


@pytest.mark.parametrize('options, error, refused', [
    ({}, login_error(), True),
    ({}, login_error(status=403), True),
    (dict(project_name='eu-de_ml'), login_error(), False),  # a project login: its refusal is the answer
    ({}, login_error(status=500), False),
    ({}, login_error(method='GET', path='/v3/auth/projects'), False),
    # A public OTC IAM issues domain-scoped tokens to every user: a refusal means wrong credentials.
    (dict(auth_url='https://iam.eu-de.otc.t-systems.com/v3', region='eu-de'), login_error(), False),
])
def test_only_a_refused_domain_login_at_a_private_iam_is_worth_an_unscoped_one(options, error, refused):
    assert domain_login_refused(settings(**options), error) is refused


def test_the_unscoped_token_asks_for_the_projects_and_no_scope_is_sent():
    client = FakeClient(listing={'projects': [{'id': 'a' * 32, 'name': 'eu-de_ml'}]})
    data = projects_answer_with_unscoped_token(settings(), client, PRIVATE['auth_url'] + '/auth/projects', login_error())
    assert data == {'projects': [{'id': 'a' * 32, 'name': 'eu-de_ml'}]}
    (login_method, login_url, dummy, body, login_auth), (method, url, headers, dummy, auth) = client.sent
    assert (login_method, login_url, login_auth) == ('POST', PRIVATE['auth_url'] + '/auth/tokens?nocatalog=true', False)
    assert 'scope' not in body['auth'] and body['auth']['identity']['password']['user']['domain'] == {'name': 'Default'}
    assert (method, headers, auth) == ('GET', {'X-Auth-Token': 'unscoped-token-of-the-member'}, False)


def test_refused_twice_the_hint_speaks_of_a_login_without_a_project():
    client = FakeClient(login=login_error(message='The username or password is wrong.'))
    with pytest.raises(ModelArtsError) as caught:
        projects_answer_with_unscoped_token(settings(), client, PRIVATE['auth_url'] + '/auth/projects', login_error())
    assert str(caught.value) == 'POST /v3/auth/tokens failed: HTTP 401: The username or password is wrong.' + NO_PROJECT_HINT
    assert 'project_name or project_id, and' not in str(caught.value)


def test_an_iam_that_requires_a_scope_reports_the_refused_domain_login():
    client = FakeClient(login=login_error(status=400, message='scope is required'))
    with pytest.raises(ModelArtsError) as caught:
        projects_answer_with_unscoped_token(settings(), client, PRIVATE['auth_url'] + '/auth/projects', login_error())
    assert caught.value.status == 401 and 'scope is required' not in str(caught.value)
    assert str(caught.value).endswith(NO_PROJECT_HINT)


def test_the_unscoped_token_never_shows_in_an_error_or_the_answer():
    echo = ModelArtsError('GET /v3/auth/projects failed: HTTP 500: bad token unscoped-token-of-the-member', status=500)
    with pytest.raises(ModelArtsError) as caught:
        projects_answer_with_unscoped_token(settings(), FakeClient(listing=echo), 'https://k/v3/auth/projects',
                                            login_error())
    assert 'unscoped-token-of-the-member' not in str(caught.value)
    data = projects_answer_with_unscoped_token(
        settings(), FakeClient(listing={'projects': [{'name': 'x unscoped-token-of-the-member'}]}),
        'https://k/v3/auth/projects', login_error())
    assert 'unscoped-token-of-the-member' not in str(data)
