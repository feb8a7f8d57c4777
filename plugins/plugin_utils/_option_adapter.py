# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""One way to read the collection's options, whoever holds them: a module, a plugin, or a task's arguments.

Modelled on community.hashi_vault's HashiVaultOptionAdapter: `from_ansible_module()` reads `module.params`,
`from_ansible_plugin()` reads a plugin's `get_option()`, `from_dict()` reads a task's raw arguments. `validate()`
applies the one argument spec of `_options.py` exactly as AnsibleModule does (same validator, same messages, same
no_log values), with the env fallbacks read from a given environment instead of this process's `os.environ`.
"""

from __future__ import absolute_import, annotations, division, print_function
__metaclass__ = type

import os
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Set

from ansible.module_utils.basic import env_fallback
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.errors import AnsibleFallbackNotFound, UnsupportedError

from ansible_collections.mlops.modelarts.plugins.module_utils._credentials import CREDENTIAL_OPTIONS, environment_credentials
from ansible_collections.mlops.modelarts.plugins.module_utils._options import MUTUALLY_EXCLUSIVE, argument_spec
from ansible_collections.mlops.modelarts.plugins.plugin_utils._module_result import validator_reports


# A source's option reader: name -> value (None when not given).
Getter = Callable[[str], Any]
# An argument spec as AnsibleModule takes it: option name -> its settings.
ArgumentSpec = Dict[str, Dict[str, Any]]


def environment_fallback(environment: Mapping[str, str]) -> Callable[..., str]:
    """Give back a fallback strategy like env_fallback() that reads `environment` (a mapping) instead of os.environ."""

    def fallback(*names: str, **kwargs: Any) -> str:
        for name in names:
            if name in environment:
                return environment[name]
        raise AnsibleFallbackNotFound

    return fallback


def spec_reading_environment(spec: ArgumentSpec, environment: Mapping[str, str]) -> ArgumentSpec:
    """Give back a copy of `spec` whose env fallbacks read `environment`; other fallbacks and suboptions are kept."""
    fallback = environment_fallback(environment)
    copied: ArgumentSpec = {}
    for name, option in spec.items():
        option = dict(option)
        strategy = option.get('fallback')
        if strategy and strategy[0] is env_fallback:
            option['fallback'] = (fallback,) + tuple(strategy[1:])
        if isinstance(option.get('options'), dict):
            option['options'] = spec_reading_environment(option['options'], environment)
        copied[name] = option
    return copied


def _from_environment(plugin: Any, name: str, value: Any) -> bool:
    """Say whether a plugin's value of option `name` came from one of the option's `env:` entries."""
    if not hasattr(plugin, 'get_option_and_origin'):
        return False  # not an AnsiblePlugin: its options are what it was given
    try:
        dummy, origin = plugin.get_option_and_origin(name)
    except KeyError:
        return False
    if not isinstance(origin, str) or not origin.startswith('env: '):
        return False
    # ansible-core 2.19 and later keep the origin set_options() found; 2.17 and 2.18 work it out again without the
    # plugin's direct options and variables, so a value given there is told apart by differing from the variable's.
    return os.environ.get(origin[len('env: '):]) == value


class ValidatedOptions(object):
    """The outcome of validate(): what AnsibleModule would hold after its own validation.

    `params` is `module.params` (every option, defaults applied; on an error, the raw options updated with what did
    validate, as AnsibleModule keeps them), `no_log_values` is `module.no_log_values`, `error` the message of the
    module's validation failure (None when valid), `warnings` and `deprecations` what the validator reported,
    `error_messages` every message (the lookup shows them all).
    """

    def __init__(self, params: Dict[str, Any], no_log_values: Set[str], error: Optional[str], warnings: List[str],
                 deprecations: List[Dict[str, Any]], error_messages: Iterable[str] = ()) -> None:
        self.params = params
        self.error_messages = list(error_messages)
        self.no_log_values = no_log_values
        self.error = error
        self.warnings = warnings
        self.deprecations = deprecations


class OptionAdapter(object):
    """Reads options through one interface from a module, a plugin or a plain dict."""

    def __init__(self, getter: Getter, present: Optional[Callable[[], List[str]]] = None) -> None:
        self._getter = getter
        self._present = present

    @classmethod
    def from_ansible_module(cls, module: Any) -> OptionAdapter:
        return cls(module.params.get, lambda: list(module.params))

    @classmethod
    def from_ansible_plugin(cls, plugin: Any) -> OptionAdapter:
        """Read a plugin's options, leaving out credentials its `env:` entries gave.

        validate() reads those variables again, as for a module, once it knows which authentication method the
        plugin's own options (direct options, variables) name.
        """
        def get(name: str, default: Any = None) -> Any:
            try:
                value = plugin.get_option(name)
            except KeyError:
                return default
            if value is None or (name in CREDENTIAL_OPTIONS and _from_environment(plugin, name, value)):
                return default
            return value
        return cls(get)

    @classmethod
    def from_dict(cls, options: Mapping[str, Any]) -> OptionAdapter:
        return cls(options.get, lambda: list(options))

    def get_option(self, name: str, default: Any = None) -> Any:
        value = self._getter(name)
        return default if value is None else value

    def get_filled_options(self, names: Iterable[str]) -> Dict[str, Any]:
        """Give back a dict of the options among `names` that have a value (None counts as not given)."""
        return dict((name, self._getter(name)) for name in names if self._getter(name) is not None)

    def raw_options(self, names: Iterable[str]) -> Dict[str, Any]:
        """Give back every option the source holds (a dict or module: all its keys; a plugin: those among `names`)."""
        if self._present is None:
            return self.get_filled_options(names)
        return dict((name, self._getter(name)) for name in self._present())

    def validate(self, extra_spec: Optional[ArgumentSpec] = None, environment: Optional[Mapping[str, str]] = None,
                 module_name: Optional[str] = None, kind: str = 'module') -> ValidatedOptions:
        """Give back ValidatedOptions for the shared spec plus `extra_spec`, as AnsibleModule would validate them.

        `environment` (a mapping) is where the env fallbacks look; None keeps env_fallback's os.environ. The message
        of an unsupported option names `module_name` as AnsibleModule names its module. The credentials' variables
        then apply as the modules apply them after AnsibleModule's validation (apply_environment_credentials).
        """
        spec = argument_spec()
        spec.update(extra_spec or {})
        if environment is not None:
            spec = spec_reading_environment(spec, environment)
        raw = self.raw_options(spec)
        validator = ArgumentSpecValidator(spec, mutually_exclusive=MUTUALLY_EXCLUSIVE)
        outcome = validator.validate(raw)
        params = dict(raw)
        params.update(outcome.validated_parameters)
        warnings, deprecations, no_log_values = validator_reports(outcome)
        error: Optional[str] = None
        error_messages = list(outcome.error_messages)
        if error_messages:
            error = outcome.errors.msg
            if isinstance(outcome.errors[0], UnsupportedError):
                error = 'Unsupported parameters for ({name}) {kind}: {msg}'.format(name=module_name, kind=kind, msg=error)
        else:
            params, error = environment_credentials(params, no_log_values, environment)
            error_messages = [error] if error else []
        return ValidatedOptions(params, no_log_values, error, warnings, deprecations, error_messages)
