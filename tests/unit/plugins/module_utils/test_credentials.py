# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Which credentials apply: the task's method against the environment's, and where a token or AK/SK may be sent."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest
import yaml

from ansible_collections.mlops.modelarts.plugins.doc_fragments.connection import ModuleDocFragment
from ansible_collections.mlops.modelarts.plugins.module_utils._auth import ConnectionSettings
from ansible_collections.mlops.modelarts.plugins.module_utils._credentials import CREDENTIAL_ENVIRONMENT
from ansible_collections.mlops.modelarts.plugins.module_utils._errors import OptionError
from ansible_collections.mlops.modelarts.plugins.plugin_utils._in_process import InProcessModule, ModuleExit

PROJECT_ID = '0a1b2c3d4e5f60718293a4b5c6d7e8f9'
PRIVATE_IAM = 'https://iam.private.example/v3'
SCOPE = dict(project_id=PROJECT_ID, endpoint='https://modelarts.example.test')
PASSWORD_OPENRC = dict(OS_USERNAME='robot', OS_PASSWORD='pw-secret', OS_USER_DOMAIN_NAME='domain',
                       OS_AUTH_URL='https://iam.eu-de.otc.t-systems.com/v3')
TOKEN_AND_KEYS = dict(OS_AUTH_TOKEN='env-token', HUAWEICLOUD_SDK_AK='env-ak', HUAWEICLOUD_SDK_SK='env-sk')


def validated(args, environment):
    """Give back the InProcessModule for args validated with `environment`, or the result it failed with."""
    try:
        return InProcessModule(args, module_name='mlops.modelarts.training_job_version_info', environment=environment)
    except ModuleExit as exit_:
        return exit_.result


def test_a_task_token_wins_over_a_password_login_in_the_environment():
    module = validated(dict(SCOPE, token='task-token'), PASSWORD_OPENRC)
    assert isinstance(module, InProcessModule), module
    assert (module.params['token'], module.params['username'], module.params['password']) == ('task-token', None, None)
    assert ConnectionSettings(module.params, environment=PASSWORD_OPENRC).auth_method == 'token'


def test_a_task_password_login_wins_over_a_token_and_keys_in_the_environment():
    module = validated(dict(SCOPE, username='robot', password='pw-secret', domain_name='domain'), TOKEN_AND_KEYS)
    assert isinstance(module, InProcessModule), module
    assert (module.params['token'], module.params['access_key'], module.params['secret_key']) == (None, None, None)


def test_variables_of_the_task_method_still_complete_it_and_are_no_log_values():
    module = validated(dict(SCOPE, access_key='task-ak'), dict(PASSWORD_OPENRC, HUAWEICLOUD_SDK_SK='env-sk'))
    assert isinstance(module, InProcessModule), module
    assert (module.params['access_key'], module.params['secret_key'], module.params['username']) == \
        ('task-ak', 'env-sk', None)
    assert 'env-sk' in module.no_log_values


def test_variables_of_one_method_apply_when_the_task_names_none():
    module = validated(dict(SCOPE), PASSWORD_OPENRC)
    assert isinstance(module, InProcessModule), module
    assert (module.params['username'], module.params['password']) == ('robot', 'pw-secret')
    assert 'pw-secret' in module.no_log_values


def test_two_methods_in_the_task_fail_naming_the_options():
    result = validated(dict(SCOPE, token='task-token', username='robot', password='pw-secret'), {})
    assert result['msg'] == 'parameters are mutually exclusive: token|username, token|password'


def test_two_methods_in_the_environment_fail_saying_which_variables_gave_them():
    result = validated(dict(SCOPE), dict(PASSWORD_OPENRC, OS_AUTH_TOKEN='env-token'))
    message = result['msg']
    assert message.startswith('conflicting credentials: token (from the environment: OS_AUTH_TOKEN) and '
                              'username/password (from the environment: OS_USERNAME, OS_PASSWORD) are set together')
    assert 'naming one of them in the options' in message
    assert 'env-token' not in str(result) and 'pw-secret' not in str(result)


def test_the_settings_read_the_environment_by_the_same_rule():
    settings = ConnectionSettings(dict(SCOPE, access_key='task-ak', region='eu-de'),
                                  environment=dict(TOKEN_AND_KEYS, **PASSWORD_OPENRC))
    assert (settings.auth_method, settings.access_key, settings.secret_key) == ('aksk', 'task-ak', 'env-sk')
    assert settings.credentials_from_environment == {'secret_key': 'HUAWEICLOUD_SDK_SK'}


def aksk(**options):
    return dict(dict(region='eu-de', access_key='ak', secret_key='sk', project_id=PROJECT_ID), **options)


def test_ak_sk_with_a_private_auth_url_needs_an_endpoint():
    with pytest.raises(OptionError, match=r"^auth_url 'https://iam.private.example/v3' is not a public IAM of region "
                                          r"'eu-de' \(a dedicated or private cloud\?\): with access_key/secret_key, "
                                          r"set endpoint to the ModelArts URL of that cloud$"):
        ConnectionSettings(aksk(auth_url=PRIVATE_IAM))


@pytest.mark.parametrize('options, endpoint', [
    (dict(auth_url=PRIVATE_IAM, endpoint='https://ma.private.example'), 'https://ma.private.example'),
    (dict(auth_url='https://iam.eu-de.otc.t-systems.com/v3'), 'https://modelarts.eu-de.otc.t-systems.com'),
    ({}, 'https://modelarts.eu-de.otc.t-systems.com'),
])
def test_ak_sk_goes_to_a_named_endpoint_or_the_region_of_a_public_iam(options, endpoint):
    assert ConnectionSettings(aksk(**options)).endpoint == endpoint


@pytest.mark.parametrize('credentials', [dict(access_key='ak', secret_key='sk'), dict(token='tok')])
def test_listing_projects_at_a_private_iam_needs_no_modelarts_endpoint(credentials):
    settings = ConnectionSettings(dict(credentials, region='eu-de', auth_url=PRIVATE_IAM), account=True)
    assert settings.auth_url == PRIVATE_IAM


def test_the_documented_environment_variables_of_the_credentials_are_the_ones_read():
    """The doc fragment's env: entries (the lookup and the inventory read them) name what the shared layer reads."""
    documented = yaml.safe_load(ModuleDocFragment.PLUGINS)['options']
    for option, variables in CREDENTIAL_ENVIRONMENT:
        assert tuple(entry['name'] for entry in documented[option]['env']) == variables, option


def test_the_inventory_fragment_is_the_plugins_fragment_without_host_variables():
    # The projects inventory has no host yet whose variables could set its options: its fragment keeps every option
    # and environment variable of PLUGINS and drops only the `vars` entries.
    plugins = yaml.safe_load(ModuleDocFragment.PLUGINS)['options']
    inventory = yaml.safe_load(ModuleDocFragment.INVENTORY)['options']
    assert inventory == dict((name, dict((key, value) for key, value in entry.items() if key != 'vars'))
                             for name, entry in plugins.items())
