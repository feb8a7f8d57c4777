# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The one way the lookup, the inventory and the EDA source go from their options to the shared layer."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible.errors import AnsibleParserError

from ansible_collections.mlops.modelarts.plugins.module_utils._auth import UNVERIFIED_TLS_WARNING
from ansible_collections.mlops.modelarts.plugins.module_utils._errors import ModelArtsError, OptionError
from ansible_collections.mlops.modelarts.plugins.plugin_utils._controller_base import (
    ControllerPlugin, checked_options, errors_as, warn_unverified_tls,
)
from ansible_collections.mlops.modelarts.plugins.plugin_utils._option_adapter import OptionAdapter

SECRET = 's3cret-t0ken'
TOKEN = dict(token=SECRET, project_id='0a1b2c3d4e5f60718293a4b5c6d7e8f9', endpoint='https://modelarts.test')


class _Tagged(str):
    """A string of another type, as ansible-core 2.19 hands over tagged values."""


def test_checked_options_are_plain_json_with_the_no_log_values():
    params, no_log_values = checked_options(OptionAdapter.from_dict(dict(TOKEN, pool_id=_Tagged('pool-1'))))
    assert params['pool_id'] == 'pool-1' and type(params['pool_id']) is str  # pylint: disable=unidiomatic-typecheck
    assert params['order'] == 'desc'  # the modules' defaults
    assert no_log_values == {SECRET}


def test_every_message_of_the_modules_is_given_joined():
    with pytest.raises(OptionError) as caught:
        checked_options(OptionAdapter.from_dict(dict(TOKEN, order='up', username='u', password='p')))
    assert 'parameters are mutually exclusive: token|username' in str(caught.value)
    assert 'value of order must be one of: asc, desc, got: up' in str(caught.value)


def test_the_first_error_names_the_entry_point_as_a_module_would():
    with pytest.raises(OptionError, match=r'^Unsupported parameters for \(some.source\) event source: .*statuses'):
        checked_options(OptionAdapter.from_dict(dict(TOKEN, statuses=['x'])), module_name='some.source',
                        kind='event source', every_error=False)


def test_an_option_error_never_shows_a_no_log_value():
    with pytest.raises(OptionError) as caught:
        checked_options(OptionAdapter.from_dict(dict(TOKEN, order=SECRET)))
    assert 'value of order must be one of' in str(caught.value)
    assert SECRET not in str(caught.value)


@pytest.mark.parametrize('validate_certs, warned', [(False, [UNVERIFIED_TLS_WARNING]), (True, []), (None, [])])
def test_only_unverified_tls_warns(validate_certs, warned):
    warnings = []
    warn_unverified_tls(dict(validate_certs=validate_certs), warnings.append)
    assert warnings == warned


@pytest.mark.parametrize('error', [OptionError('bad region'), ModelArtsError('bad region')])
def test_shared_layer_errors_become_the_entry_points_error_with_its_prefix(error):
    with pytest.raises(AnsibleParserError, match='^some.inventory: bad region$'):
        with errors_as(AnsibleParserError, 'some.inventory: '):
            raise error


def test_a_secret_in_a_shared_layer_error_is_redacted():
    with pytest.raises(AnsibleParserError) as caught:
        with errors_as(AnsibleParserError, secrets=[SECRET]):
            raise ModelArtsError('the server echoed %s' % SECRET)
    assert SECRET not in str(caught.value)


def test_other_errors_pass_through():
    with pytest.raises(KeyError):
        with errors_as(AnsibleParserError):
            raise KeyError('x')


class _Plugin(ControllerPlugin):
    plugin_error = AnsibleParserError
    error_prefix = 'some.inventory: '

    def __init__(self, options):
        self.options = options

    def get_option(self, name):
        return self.options[name]


def test_a_plugin_fails_with_its_own_error_and_the_modules_messages():
    with pytest.raises(AnsibleParserError, match='^parameters are mutually exclusive: token|username'):
        _Plugin(dict(TOKEN, username='u', password='p')).checked_params()


def test_a_plugin_error_for_a_shared_layer_error_carries_the_prefix():
    error = _Plugin({}).plugin_error_for(ModelArtsError('HTTP 403'))
    assert isinstance(error, AnsibleParserError) and str(error) == 'some.inventory: HTTP 403'
