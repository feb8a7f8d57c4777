# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The shared argument spec as Ansible validates it for the modules."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.mlops.modelarts.plugins.module_utils._errors import OptionError
from ansible_collections.mlops.modelarts.plugins.module_utils._options import (
    MUTUALLY_EXCLUSIVE, argument_spec, module_kwargs,
)
from ansible_collections.mlops.modelarts.plugins.module_utils._settings import ConnectionSettings

PROJECT_ID = '0a1b2c3d4e5f60718293a4b5c6d7e8f9'


def validate(**params):
    validator = ArgumentSpecValidator(argument_spec(), mutually_exclusive=MUTUALLY_EXCLUSIVE)
    return validator.validate(params)


def test_valid_options_pass_with_the_documented_defaults():
    result = validate(region='eu-de', token='t', project_id=PROJECT_ID)
    assert result.error_messages == []
    values = result.validated_parameters
    assert (values['sort_by'], values['order'], values['workspace_id']) == ('create_time', 'desc', '0')
    assert (values['offset'], values['limit'], values['page_size'], values['offset_unit']) == (0, 0, 0, 'auto')
    assert (values['validate_certs'], values['include_versions']) == (None, True)  # unset: verify, or clouds.yaml's


@pytest.mark.parametrize('params, names', [
    (dict(token='t', access_key='ak', secret_key='sk'), ('token', 'access_key')),
    (dict(token='t', username='u', password='p'), ('token', 'username')),
    (dict(access_key='ak', secret_key='sk', username='u', password='p'), ('access_key', 'username')),
])
def test_conflicting_credentials_are_reported_naming_the_options(params, names):
    messages = validate(**params).error_messages
    assert any(message.startswith('parameters are mutually exclusive: %s|%s' % names) for message in messages)


@pytest.mark.parametrize('given, missing', [('access_key', 'secret_key'), ('username', 'password')])
def test_half_a_credential_pair_is_reported_naming_both(given, missing):
    # The spec lets half a pair through (the other half may be in the environment); the settings report it.
    assert validate(**{given: 'x'}).error_messages == []
    with pytest.raises(OptionError) as caught:
        ConnectionSettings({given: 'x', 'region': 'eu-de', 'project_id': PROJECT_ID})
    assert 'must be given together' in str(caught.value) and given in str(caught.value) and missing in str(caught.value)


@pytest.mark.parametrize('option, value', [('sort_by', 'name'), ('order', 'up'), ('offset_unit', 'bytes')])
def test_bad_choices_are_reported_naming_the_option(option, value):
    messages = validate(token='t', **{option: value}).error_messages
    assert len(messages) == 1
    assert messages[0].startswith('value of %s must be one of' % option)
    assert value in messages[0]


def test_non_integer_counts_are_reported_naming_the_option():
    messages = validate(token='t', page_size='many').error_messages
    assert any('page_size' in message for message in messages)


def test_status_accepts_one_value_or_a_list():
    assert validate(token='t', status='running').validated_parameters['status'] == ['running']
    assert validate(token='t', status=['running', 8]).validated_parameters['status'] == ['running', '8']


def test_credentials_fall_back_to_environment_variables(monkeypatch):
    monkeypatch.setenv('HUAWEICLOUD_SDK_AK', 'env-ak')
    monkeypatch.setenv('OS_SECRET_KEY', 'env-sk')
    monkeypatch.setenv('OS_PROJECT_ID', PROJECT_ID)
    # The credentials' variables are read after the spec's validation, once the options' auth method is known.
    settings = ConnectionSettings(validate(region='eu-de').validated_parameters)
    assert (settings.access_key, settings.secret_key, settings.project_id) == ('env-ak', 'env-sk', PROJECT_ID)


def test_secrets_are_no_log():
    spec = argument_spec()
    for name in ('password', 'token', 'access_key', 'secret_key', 'security_token'):
        assert spec[name].get('no_log') is True


def test_argument_spec_is_a_fresh_copy_each_time():
    first = argument_spec()
    first['region']['default'] = 'changed'
    assert 'default' not in argument_spec()['region']


def test_module_kwargs_add_extra_options_and_support_check_mode():
    kwargs = module_kwargs(dict(wait=dict(type='bool', default=False)))
    assert kwargs['supports_check_mode'] is True
    assert 'wait' in kwargs['argument_spec'] and 'token' in kwargs['argument_spec']
    assert kwargs['mutually_exclusive'] == MUTUALLY_EXCLUSIVE
