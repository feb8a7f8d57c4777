# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""How a module's result leaves it: the versions kept out of the no_log scrub when the scrub cannot change them.

The half of the result matching that a module needs on its target (AnsiballZ ships only module_utils). The
in-process runner's half, and the table of every private ansible-core hook with the versions it is known for, are
in plugins/plugin_utils/_module_result.py.
"""

from __future__ import absolute_import, annotations, division, print_function
__metaclass__ = type

import json
from typing import Any, Dict, Iterable, List, Optional, Tuple

from ansible.module_utils.common.parameters import remove_values

# Where a module result carries the (possibly large) list of versions.
VERSIONS_SLOTS = (('versions',), ('ansible_facts', 'modelarts_training_job_versions'))

# Every character str() can write for an int or a float ('-12', '1.5e-07', 'inf', 'nan').
_NUMBER_CHARACTERS = frozenset('0123456789+-.eainf')
# remove_values() of ansible-core before 2.19 also blanks True, False and None whose str() holds a no_log value
# (plugin_utils/_module_result.py, CORE_HOOKS['remove_values blanks constants']).
_CONSTANTS = [True, False, None]
_SCRUBS_CONSTANTS = remove_values(_CONSTANTS, ['e']) != _CONSTANTS


# Where a result holds versions (a key path, VERSIONS_SLOTS) and the list set aside from it.
VersionsAside = List[Tuple[Tuple[str, ...], List[Any]]]


def set_versions_aside(result: Dict[str, Any]) -> VersionsAside:
    """Give back [(slot, versions)] of every VERSIONS_SLOTS slot of `result` holding a list, each emptied in `result`.

    What the caller then does to `result` (AnsibleModule's scrub, the conversion to JSON types) is not done to the
    versions; put_versions_back() puts them into the result that comes out.
    """
    aside: VersionsAside = []
    for slot in VERSIONS_SLOTS:
        parent: Any = result
        for key in slot[:-1]:
            parent = parent.get(key) if isinstance(parent, dict) else None
        if isinstance(parent, dict) and isinstance(parent.get(slot[-1]), list):
            aside.append((slot, parent[slot[-1]]))
            parent[slot[-1]] = []
    return aside


def put_versions_back(result: Dict[str, Any], aside: VersionsAside) -> Dict[str, Any]:
    """Put the versions set_versions_aside() took out of a result into `result` (a copy of it); give back `result`."""
    for slot, versions in aside:
        parent: Any = result
        for key in slot[:-1]:
            parent = parent[key]
        parent[slot[-1]] = versions
    return result


def scrub_would_change(value: Any, no_log_values: Iterable[Any]) -> bool:
    """Say whether AnsibleModule's remove_values() could change `value` (plain JSON data) for these no_log values.

    remove_values() blanks a string equal to a no_log value, replaces one inside a string, and blanks a number
    whose text contains one; it keeps keys, and booleans and None from ansible-core 2.19 on. A list of flat dicts of exact str, int, float, bool
    and None (the versions) is checked value by value (numbers only when a no_log value could be part of a
    number's text); anything else by its JSON text, where all of these show too: JSON escapes a string character
    by character, numbers are written as str() writes them (NaN and infinities make dumps fail: then the answer is
    yes). Anything unusual (an empty no_log value, data json cannot write) answers yes, so that the caller scrubs.
    """
    secrets = [secret if isinstance(secret, str) else str(secret) for secret in no_log_values]
    if not all(secrets):
        return True
    if _SCRUBS_CONSTANTS and any(secret in str(constant) for secret in secrets for constant in _CONSTANTS):
        return True  # a no_log value such as 'e' or 'one' blanks booleans and None there (JSON writes true and null)
    if isinstance(value, list):
        answer = _rows_would_change(value, secrets)
        if answer is not None:
            return answer
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):
        return True
    for secret in secrets:
        if secret in text or json.dumps(secret, ensure_ascii=False)[1:-1] in text:
            return True
    return False


def _rows_would_change(rows: List[Any], secrets: List[str]) -> Optional[bool]:
    """scrub_would_change() for a list of flat dicts; None when `rows` is not one (the caller checks the JSON)."""
    numbers = any(set(secret) <= _NUMBER_CHARACTERS for secret in secrets)
    for row in rows:
        if type(row) is not dict:  # pylint: disable=unidiomatic-typecheck
            return None
        for item in row.values():
            kind = type(item)
            if kind is str:
                for secret in secrets:
                    if secret in item:
                        return True
            elif kind is int or kind is float:
                if numbers:
                    text = str(item)
                    for secret in secrets:
                        if secret in text:
                            return True
            elif item is not None and kind is not bool:
                return None
    return False


def exit_query(module: Any, **kwargs: Any) -> None:
    """End the module like module.exit_json(**kwargs), with the same output, faster for many versions.

    exit_json() runs remove_values() over the whole result, which copies every value to blank no_log values
    (passwords, keys, tokens); at 10,000 versions that copy takes most of the module's time. When no no_log value
    occurs in the versions' JSON text, the copy cannot change them: they then join the result after the scrub,
    through AnsibleModule._record_module_result (ansible-core 2.19 and later: plugin_utils/_module_result.py,
    CORE_HOOKS['AnsibleModule._record_module_result']). Otherwise this is exit_json().
    """
    record = getattr(module, '_record_module_result', None)
    aside = set_versions_aside(kwargs) if record is not None else []
    if any(scrub_would_change(versions, module.no_log_values) for dummy, versions in aside):
        put_versions_back(kwargs, aside)
        aside = []
    if aside and record is not None:  # (aside is empty without a record: this says so to the type checker)
        def record_with_versions(output: Dict[str, Any]) -> None:
            record(put_versions_back(output, aside))

        module._record_module_result = record_with_versions
    module.exit_json(**kwargs)
