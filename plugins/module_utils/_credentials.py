# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The authentication methods, their options, and which of their environment variables apply to a set of options."""

from __future__ import absolute_import, annotations, division, print_function
__metaclass__ = type

import os
from typing import Any, Dict, List, Mapping, Optional, Set, Tuple

from ansible_collections.mlops.modelarts.plugins.module_utils._errors import OptionError

# Options that belong to one authentication method: a method the options name wins over the other methods'
# environment variables and clouds.yaml entries (an explicit token replaces a password login set up elsewhere
# instead of conflicting with it).
METHOD_OPTIONS = {'token': ('token',), 'aksk': ('access_key', 'secret_key', 'security_token'),
                  'password': ('username', 'password')}
METHOD_LABELS = {'token': 'token', 'aksk': 'access_key/secret_key', 'password': 'username/password'}
METHOD_OF_OPTION = dict((option, method) for method, options in METHOD_OPTIONS.items() for option in options)

# The environment variables of each credential option, the first one set winning: the names the doc fragment
# documents (and, for the lookup and the inventory, declares as `env:` entries). They are read here instead of by
# the argument spec's env_fallback, because only here is it known which method the task itself names.
CREDENTIAL_ENVIRONMENT = (
    ('username', ('OS_USERNAME',)),
    ('password', ('OS_PASSWORD',)),
    ('token', ('OS_AUTH_TOKEN',)),
    ('access_key', ('HUAWEICLOUD_SDK_AK', 'OS_ACCESS_KEY')),
    ('secret_key', ('HUAWEICLOUD_SDK_SK', 'OS_SECRET_KEY')),
    ('security_token', ('HUAWEICLOUD_SDK_SECURITY_TOKEN',)),
)
CREDENTIAL_OPTIONS = tuple(option for option, dummy in CREDENTIAL_ENVIRONMENT)
# The credential options that are secrets (no_log in the argument spec).
SECRET_OPTIONS = ('password', 'token', 'access_key', 'secret_key', 'security_token')


def is_given(params: Mapping[str, Any], name: str) -> bool:
    """Say whether option `name` has a value in params (None and the empty string count as not given)."""
    return params.get(name) not in (None, '')


def named_methods(params: Mapping[str, Any]) -> Set[str]:
    """Give back the set of authentication methods of which params give at least one option."""
    return set(method for method, options in METHOD_OPTIONS.items() if any(is_given(params, o) for o in options))


def with_environment_credentials(params: Mapping[str, Any], environment: Optional[Mapping[str, str]] = None
                                 ) -> Tuple[Dict[str, Any], Dict[str, str]]:
    """Give back (params with credential options filled from the environment, {option: variable it came from}).

    Where params name an authentication method (task arguments, module_defaults, a plugin's options), the
    variables of the other methods are left out: an openrc of a password login left in the shell does not turn a
    task's token into a conflict. Where params name none, every variable applies, as env_fallback applied them.
    `environment` defaults to os.environ (the module's, or the controller's with the task's `environment:`).
    """
    environment = os.environ if environment is None else environment
    params = dict(params)
    named = named_methods(params)
    sources: Dict[str, str] = {}
    for option, variables in CREDENTIAL_ENVIRONMENT:
        if is_given(params, option) or (named and METHOD_OF_OPTION[option] not in named):
            continue
        for variable in variables:
            if environment.get(variable):
                params[option] = environment[variable]
                sources[option] = variable
                break
    return params, sources


def method_label(method: str, sources: Optional[Mapping[str, str]] = None) -> str:
    """Give back the method's options for a message, with the environment variables any of them came from."""
    known = sources or {}
    variables = [known[option] for option in METHOD_OPTIONS[method] if option in known]
    if not variables:
        return METHOD_LABELS[method]
    return '%s (from the environment: %s)' % (METHOD_LABELS[method], ', '.join(variables))


def check_one_method(params: Mapping[str, Any], sources: Optional[Mapping[str, str]] = None) -> None:
    """Raise OptionError when params use more than one authentication method, naming each and where it came from."""
    given = methods_in_use(params)
    if len(given) > 1:
        hint = ''
        if all(option in (sources or {}) for method in given for option in METHOD_OPTIONS[method]
               if is_given(params, option)):
            hint = ('; naming one of them in the options (task arguments, module_defaults, plugin options) makes the '
                    'environment variables of the others be ignored')
        raise OptionError('conflicting credentials: %s are set together; use exactly one authentication method%s'
                          % (' and '.join(method_label(method, sources) for method in given), hint))


def methods_in_use(params: Mapping[str, Any]) -> List[str]:
    """Give back the authentication methods params use, in a fixed order (security_token alone uses none)."""
    return [method for method in ('token', 'aksk', 'password')
            if any(is_given(params, option) for option in METHOD_OPTIONS[method] if option != 'security_token')]


def choose_method(params: Mapping[str, Any], sources: Optional[Mapping[str, str]] = None) -> str:
    """Give back the one authentication method params use, or raise OptionError naming what is missing or clashes."""
    check_one_method(params, sources)
    given = methods_in_use(params)
    if not given:
        raise OptionError('no credentials: set one of token, access_key and secret_key, or username and password '
                          '(or their environment variables, or cloud for a clouds.yaml entry)')
    return given[0]


def environment_credentials(params: Mapping[str, Any], no_log_values: Set[str],
                            environment: Optional[Mapping[str, str]] = None) -> Tuple[Dict[str, Any], Optional[str]]:
    """Give back (params with the credentials' environment variables applied, the error message or None).

    What the argument spec's env fallbacks did before the method the options name decided which apply: the values
    join the params and the secrets among them `no_log_values`. The message of clashing credentials says which
    came from the environment.
    """
    params, sources = with_environment_credentials(params, environment)
    no_log_values.update(params[option] for option in sources if option in SECRET_OPTIONS)
    try:
        check_one_method(params, sources)
    except OptionError as exc:
        return params, str(exc)
    return params, None


def apply_environment_credentials(module: Any, environment: Optional[Mapping[str, str]] = None) -> None:
    """Apply the credentials' environment variables to an AnsibleModule validated by the shared argument spec.

    Its params then hold them (so `invocation` shows them, blanked), its no_log_values their secrets; clashing
    credentials end the module as a failed validation would.
    """
    params, error = environment_credentials(module.params, module.no_log_values, environment)
    module.params.update(params)
    if error:
        module.fail_json(msg=error)
