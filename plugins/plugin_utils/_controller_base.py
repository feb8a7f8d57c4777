# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""One base for the controller's entry points (the lookup, the inventory, the EDA source): options to settings.

Each of them checks its options by the modules' rules, hands the shared layer plain JSON, warns when TLS is not
verified and turns the shared layer's errors into its own kind of error, with no secret in any message. They do it
here, in one way (modelled on community.hashi_vault's HashiVaultPlugin and amazon.aws's plugin_utils/base.py);
`ControllerPlugin` is the same for the plugins, whose options come from get_option() and whose errors are
AnsibleError subclasses. The in-process runner is not one of them: it must fail as AnsibleModule fails
(_in_process.py).
"""

from __future__ import absolute_import, annotations, division, print_function
__metaclass__ = type

import contextlib
import json
from typing import Any, Callable, Dict, Iterable, Iterator, Mapping, Optional, Set, Tuple, Type

from ansible_collections.mlops.modelarts.plugins.module_utils._auth import UNVERIFIED_TLS_WARNING
from ansible_collections.mlops.modelarts.plugins.module_utils._errors import ModelArtsError, OptionError, redact
from ansible_collections.mlops.modelarts.plugins.plugin_utils._option_adapter import OptionAdapter


# What the shared layer raises: bad options (OptionError) and API or transport failures (ModelArtsError).
SHARED_LAYER_ERRORS = (OptionError, ModelArtsError)


def plain_json(value: Any) -> Any:
    """Give back `value` as plain JSON types (Ansible 2.19 hands over tagged or lazy containers; tuples as lists)."""
    return json.loads(json.dumps(value, default=str))


def checked_options(adapter: OptionAdapter, extra_spec: Optional[Dict[str, Dict[str, Any]]] = None,
                    module_name: Optional[str] = None, kind: str = 'module',
                    every_error: bool = True) -> Tuple[Dict[str, Any], Set[str]]:
    """Give back (params as plain JSON, no_log values) of an entry point's options, or raise OptionError.

    `adapter` (an OptionAdapter) applies the modules' argument spec plus `extra_spec`, mutual exclusions and required
    pairs, so the messages are the modules' messages: every one joined by '; ' (`every_error`), or the one
    AnsibleModule fails with (naming `module_name` and `kind` for an unsupported option). No no_log value is left
    in the message.
    """
    validated = adapter.validate(extra_spec=extra_spec, module_name=module_name, kind=kind)
    no_log_values = set(str(value) for value in validated.no_log_values if value)
    if validated.error:
        message = '; '.join(validated.error_messages) if every_error else validated.error
        raise OptionError(redact(message, no_log_values))
    return plain_json(validated.params), no_log_values


def warn_unverified_tls(params: Mapping[str, Any], warn: Callable[[str], Any]) -> None:
    """Call warn() with the warning for a connection whose TLS certificates are not verified (validate_certs=false)."""
    if params.get('validate_certs') is False:
        warn(UNVERIFIED_TLS_WARNING)


@contextlib.contextmanager
def errors_as(error_class: Callable[[str], BaseException], prefix: str = '',
              secrets: Iterable[Optional[str]] = ()) -> Iterator[None]:
    """Turn the shared layer's OptionError and ModelArtsError raised in the block into error_class(prefix + message).

    `secrets` are redacted from the message (the shared layer's own messages already hold none).
    """
    try:
        yield
    except SHARED_LAYER_ERRORS as exc:
        raise error_class(prefix + redact(str(exc), secrets))


class ControllerPlugin(object):
    """The base of the collection's controller plugins (a mixin before LookupBase or BaseInventoryPlugin).

    Subclasses name the AnsibleError subclass their failures are (`plugin_error`) and what starts a message about
    the query (`error_prefix`).
    """

    plugin_error: Type[Exception] = None  # type: ignore[assignment]  # each subclass names its own
    error_prefix = ''

    def checked_params(self) -> Dict[str, Any]:
        """Give back the plugin's options as the modules' params (plain JSON), or raise plugin_error with the messages."""
        try:
            params, dummy = checked_options(OptionAdapter.from_ansible_plugin(self))
        except OptionError as exc:
            raise self.plugin_error(str(exc))
        return params

    def shared_layer_errors(self) -> contextlib.AbstractContextManager[None]:
        """Give back a context in which the shared layer's errors become plugin_error (error_prefix + message)."""
        return errors_as(self.plugin_error, self.error_prefix)

    def plugin_error_for(self, exc: BaseException) -> Exception:
        """Give back the plugin_error for a shared layer's error `exc` (where a try block reads better than a with)."""
        return self.plugin_error(self.error_prefix + str(exc))
