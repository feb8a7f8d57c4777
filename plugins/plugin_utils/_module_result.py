# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A module's result as ansible-core makes it, in the controller: the one home of every private ansible-core hook.

The in-process runner (_in_process.py) and the option adapter give the result and the messages a module run gives;
for that they use parts of ansible-core that are not its public API. Each is found here once, behind one check,
and CORE_HOOKS says for which ansible-core versions it is known; tests/unit/plugins/plugin_utils/test_module_result.py
has one test per hook that fails on an ansible-core where the hook is not what CORE_HOOKS says. A new ansible-core
is checked here and nowhere else. The module's own half (the versions kept out of AnsibleModule's scrub, on the
target) is module_utils/_module_exit.py: its hooks are listed here too.
"""

from __future__ import absolute_import, annotations, division, print_function
__metaclass__ = type

import functools
from typing import Any, Callable, Dict, List, Optional, Set, Tuple

from ansible.module_utils.common.parameters import remove_values

from ansible_collections.mlops.modelarts.plugins.module_utils._module_exit import (
    put_versions_back, scrub_would_change, set_versions_aside,
)

# Every private hook of ansible-core the collection uses: (the first ansible-core version known to have it, the first
# known not to have it, or None while every version checked has it). Checked on 2.17, 2.19 and 2.21 (make units,
# make matrix): a new ansible-core that breaks one fails that hook's unit test, here and nowhere else.
CORE_HOOKS: Dict[str, Tuple[Tuple[int, int], Optional[Tuple[int, int]]]] = {
    # as_action_result(): how a module's output becomes the action's result (ansible._internal._task).
    'UnifiedTaskResult.from_module_result_dict': ((2, 21), None),
    # as_action_result() before UnifiedTaskResult.
    'ansible.vars.clean.remove_internal_keys': ((2, 17), (2, 21)),
    # validator_reports(): what ModuleArgumentSpecValidator reports through warn()/deprecate(), and the no_log values.
    'ValidationResult._warnings/_deprecations/_no_log_values': ((2, 17), None),
    # inject_invocation(): whether a module result carries `invocation` (before 2.21 always).
    'INJECT_INVOCATION': ((2, 21), None),
    # module_utils/_module_exit.py exit_query(): the versions join a module's output after its scrub.
    'AnsibleModule._record_module_result': ((2, 19), None),
    # module_utils/_module_exit.py scrub_would_change(): remove_values() blanks True, False and None holding a
    # no_log value (not a hook but a behaviour the fast path must match).
    'remove_values blanks constants': ((2, 17), (2, 19)),
}


def core_version(text: str) -> Tuple[int, int]:
    """Give back (major, minor) of an ansible-core version text such as '2.19.4' or '2.21.0rc1'."""
    major, minor = text.split('.')[:2]
    return int(major), int(''.join(character for character in minor if character.isdigit()) or 0)


def known_to_have(hook: str, version: Tuple[int, int]) -> bool:
    """Say whether ansible-core `version` ((major, minor)) is known to have `hook` (a name of CORE_HOOKS)."""
    first, gone = CORE_HOOKS[hook]
    return first <= version and (gone is None or version < gone)


# The controller's hooks are imported when first used (and looked for once: a failed import is not cached by
# Python): the EDA source imports this file (through the option adapter) next to ansible-rulebook, which needs none
# of the task machinery.

@functools.lru_cache(maxsize=None)
def unified_task_result() -> Any:
    """Give back ansible-core's UnifiedTaskResult class (2.21+), or None where it has no from_module_result_dict."""
    try:
        from ansible._internal._task import UnifiedTaskResult
    except ImportError:
        return None
    return UnifiedTaskResult if hasattr(UnifiedTaskResult, 'from_module_result_dict') else None


@functools.lru_cache(maxsize=None)
def remove_internal_keys_function() -> Optional[Callable[[Dict[str, Any]], None]]:
    """Give back ansible.vars.clean.remove_internal_keys (before ansible-core 2.21), or None where it is gone."""
    try:
        from ansible.vars.clean import remove_internal_keys
    except ImportError:
        return None
    return remove_internal_keys


def as_action_result(output: Dict[str, Any]) -> Dict[str, Any]:
    """Give back a module's output as ActionBase._execute_module() hands it to the action, for this ansible-core."""
    unified_class = unified_task_result()
    if unified_class is not None:
        unified = unified_class.from_module_result_dict(output)
        unified.ansible_parsed = True
        unified.remove_internal_keys()
        return unified.as_result_dict(for_round_trip=True)
    output['_ansible_parsed'] = True
    remove_internal_keys_function()(output)  # type: ignore[misc]  # every ansible-core without the class has it
    return output


def inject_invocation(task_vars: Optional[Dict[str, Any]]) -> bool:
    """Say whether a module's result carries `invocation` (always before ansible-core 2.21; then INJECT_INVOCATION)."""
    from ansible import constants as C
    from ansible.errors import AnsibleError
    try:
        return bool(C.config.get_config_value('INJECT_INVOCATION', variables=task_vars))
    except (AnsibleError, KeyError, AttributeError):
        return True


def validator_reports(outcome: Any) -> Tuple[List[str], List[Dict[str, Any]], Set[str]]:
    """Give back (warnings, deprecations, no_log values) of an ArgumentSpecValidator outcome, as a module reports them.

    What ModuleArgumentSpecValidator hands to warn()/deprecate(), kept here instead of in the process-wide lists of
    module_utils.common.warnings (this runs in the controller), in the words it uses.
    """
    warnings = ['Both option {option} and its alias {alias} are set.'.format(option=item['option'], alias=item['alias'])
                for item in outcome._warnings]
    # Each item is already worded ("Alias 'x' is deprecated. ..."); it has no 'name' (from 2.17 to 2.21).
    deprecations = [dict(msg=item['msg'], version=item.get('version'), date=item.get('date'),
                         collection_name=item.get('collection_name'))
                    for item in outcome._deprecations]
    return warnings, deprecations, set(outcome._no_log_values)


_SCALAR_TYPES = frozenset((str, int, float, bool, type(None)))


def _plain(value: Any) -> Any:
    """Give back `value` with JSON's types (tuples as lists), as the module's JSON output would decode."""
    if isinstance(value, dict):
        return {key: item if type(item) in _SCALAR_TYPES else _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [item if type(item) in _SCALAR_TYPES else _plain(item) for item in value]
    return value


def scrubbed(result: Dict[str, Any], no_log_values: Set[str]) -> Dict[str, Any]:
    """Give back remove_values(result, no_log_values) for a result dict, without copying what it cannot change.

    remove_values() treats each value of a dict on its own (keys are kept), so scrubbing value by value gives
    the same dict; a value whose JSON text shows no no_log value (scrub_would_change) is kept as it is. With a
    password login that is everything but `invocation` (whose module_args hold the password).
    """
    return {key: remove_values(value, no_log_values) if scrub_would_change(value, no_log_values) else value
            for key, value in result.items()}


def module_output(result: Dict[str, Any], no_log_values: Optional[Set[str]]) -> Dict[str, Any]:
    """Give back the output a module prints for `result` (its exit_json() arguments): JSON types, no_log values blanked.

    Top-level None and booleans (changed, failed, ...) are kept as given. The versions (most of a large result) skip
    the conversion to JSON types: they come from decoded JSON.
    """
    preserved = dict((key, value) for key, value in result.items() if value is None or isinstance(value, bool))
    aside = set_versions_aside(result)
    output = put_versions_back(_plain(result), aside)
    if no_log_values:
        output = scrubbed(output, no_log_values)
    output.update(preserved)
    return output
