# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The projects of a user whom a Keystone IAM refuses a domain-scoped token, listed with an unscoped token.

Without a project, a password login for the project listing asks for a token scoped to the user's domain: Open
Telekom Cloud and Huawei Cloud document that scope (`scope` is `project` or `domain`) and issue such a token to
every IAM user, and their `GET /v3/auth/projects` takes any token of the user. OpenStack Keystone grants a
domain-scoped token only to a user with a role on the domain (rare for a project member of a private cloud) and
answers 401 otherwise, exactly as to a wrong password; it issues an unscoped token (a password login without
`scope`) to every user, and its `GET /v3/auth/projects` accepts one: the projects the user has a role in.
"""

from __future__ import absolute_import, annotations, division, print_function
__metaclass__ = type

from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlsplit

from ansible_collections.mlops.modelarts.plugins.module_utils._regions import is_public_iam
from ansible_collections.mlops.modelarts.plugins.module_utils._errors import ModelArtsError, redact, redact_data

if TYPE_CHECKING:
    from ansible_collections.mlops.modelarts.plugins.module_utils._client import ApiClient
    from ansible_collections.mlops.modelarts.plugins.module_utils._settings import ConnectionSettings

# What a refused domain-scoped login answers: Keystone 401 (its Forbidden 403 for a scope it will not grant, too).
REFUSED_STATUSES = (401, 403)
# The client's hint for a refused login speaks of project_name/project_id, which the listing has not got.
CLIENT_LOGIN_HINT = ' (the IAM login was refused'
NO_PROJECT_HINT = (
    ' (the IAM login was refused; no project_name or project_id is given, so the inventory asked for a token '
    'scoped to the domain, and then, as a Keystone IAM grants those only to users with a role on the domain, '
    'for an unscoped token: check username, password and domain_name or domain_id)')


def domain_login_refused(settings: ConnectionSettings, error: ModelArtsError) -> bool:
    """Say whether `error` is a private IAM refusing the domain-scoped login of account settings (no project).

    A public Open Telekom Cloud or Huawei Cloud IAM issues domain-scoped tokens to every user: its refusal means
    wrong credentials, and a second login would only count another failure towards the user's lockout.
    """
    return (settings.auth_method == 'password' and not (settings.project_id or settings.project_name)
            and error.status in REFUSED_STATUSES and error.method == 'POST'
            and (error.path or '').rstrip('/').endswith('/auth/tokens')
            and not is_public_iam(settings.auth_url, settings.region))


def reworded_for_no_project(error: ModelArtsError) -> ModelArtsError:
    """Give back `error` with the client's login hint replaced by one for a login without a project."""
    message = error.message
    cut = message.find(CLIENT_LOGIN_HINT)
    error.message = (message[:cut] if cut >= 0 else message) + NO_PROJECT_HINT
    error.args = (error.message,)
    return error


def unscoped_token(settings: ConnectionSettings, client: ApiClient, refused: ModelArtsError) -> str:
    """Give back an unscoped token of the settings' user (Keystone issues one to every user).

    `refused` is the domain-scoped login's error: when this login is refused too (or is malformed to an IAM that
    requires a scope), the refusal is raised with a hint for a login without a project.
    """
    user_domain = {'id': settings.domain_id} if settings.domain_id else {'name': settings.domain_name}
    body = {'auth': {'identity': {'methods': ['password'], 'password': {'user': {
        'name': settings.username, 'password': settings.password, 'domain': user_domain}}}}}
    url = cast(str, settings.auth_url) + '/auth/tokens?nocatalog=true'  # a password login has one (ConnectionSettings)
    try:
        response, dummy = client.send('POST', url, {'Content-Type': 'application/json'}, body, authenticate=False)
    except ModelArtsError as error:
        if error.status in REFUSED_STATUSES:
            raise reworded_for_no_project(error)  # refused too: the credentials are wrong
        if error.status == 400:
            # An IAM that requires a scope: its refusal of the domain-scoped login is the one that says something.
            raise reworded_for_no_project(refused)
        raise
    token = response.headers.get('X-Subject-Token')
    if not token:
        raise ModelArtsError('IAM login answered without an X-Subject-Token header', status=response.status_code,
                             method='POST', path=urlsplit(url).path)
    return token


def projects_answer_with_unscoped_token(settings: ConnectionSettings, client: ApiClient, projects_url: str,
                                        refused: ModelArtsError) -> Any:
    """Give back the parsed answer of GET /auth/projects asked with an unscoped token of the settings' user.

    The token is no secret of the client's: this code redacts it in errors and in the answer.
    """
    token = unscoped_token(settings, client, refused)
    try:
        dummy, data = client.send('GET', projects_url, {'X-Auth-Token': token}, None, authenticate=False)
    except ModelArtsError as error:
        error.message = redact(error.message, [token])
        error.args = (error.message,)
        raise
    return redact_data(data, [token])
