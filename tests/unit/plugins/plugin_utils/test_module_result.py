# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A module's result made in the controller, and the private ansible-core hooks it needs: one test per hook.

Each hook test fails on an ansible-core where the hook is not what CORE_HOOKS says (gone, or new): that ansible-core
is then checked in plugins/plugin_utils/_module_result.py and CORE_HOOKS updated, nowhere else.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest
from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values
from ansible.release import __version__ as ansible_core_version

from ansible_collections.mlops.modelarts.plugins.module_utils import _module_exit
from ansible_collections.mlops.modelarts.plugins.plugin_utils import _module_result
from ansible_collections.mlops.modelarts.plugins.plugin_utils._module_result import (
    as_action_result, core_version, inject_invocation, known_to_have, module_output, validator_reports,
)

CORE = core_version(ansible_core_version)


SCRUB_CASES = [
    {'gpu_summary': {'gpu_num': 3, 'by_status': {'running': {'versions': 1}}}, 'query': {'status': None, 'names': []}},
    {'msg': 'token is a-test-token', 'count': 7, 'nested': [{'name': 'job-a-test-token-2'}, 1.5, None, True]},
    {'number': 4242, 'text': 'x42y', 'flag': False, 'empty': {}},
    {'quoted': 'say "pw\\"x" now', 'unicode': 'gr\u00fc\u00dfe pw\u00fc'},
]
SCRUB_SECRETS = [{'a-test-token'}, {'42'}, {'pw"x', '\u00fc'}, {''}, {'1.5', 'True'}]


@pytest.mark.parametrize('result', SCRUB_CASES)
@pytest.mark.parametrize('secrets', SCRUB_SECRETS)
def test_scrubbed_equals_remove_values_over_the_whole_result(result, secrets):
    expected = remove_values(result, secrets)
    assert _module_result.scrubbed(result, secrets) == expected
    assert list(_module_result.scrubbed(result, secrets)) == list(expected)


def test_scrubbed_keeps_values_without_a_secret_and_copies_the_rest():
    summary = {'gpu_num': 3}
    result = _module_result.scrubbed({'gpu_summary': summary, 'invocation': {'module_args': {'token': 'tk'}}}, {'tk'})
    assert result['gpu_summary'] is summary
    assert result['invocation'] == {'module_args': {'token': 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'}}


def test_plain_gives_json_types_and_keeps_scalars():
    value = {'a': (1, 'x', [2.5, None, (True,)]), 'b': {'c': ('d',)}, 'e': 'f'}
    assert _module_result._plain(value) == {'a': [1, 'x', [2.5, None, [True]]], 'b': {'c': ['d']}, 'e': 'f'}


def test_core_version_reads_release_and_pre_release_texts():
    assert [core_version(text) for text in ('2.17.14', '2.19.0', '2.21.0rc1', '2.22.0.dev0')] == [
        (2, 17), (2, 19), (2, 21), (2, 22)]


def test_unified_task_result_is_found_where_core_hooks_says():
    found = _module_result.unified_task_result() is not None
    assert found == known_to_have('UnifiedTaskResult.from_module_result_dict', CORE)


def test_remove_internal_keys_is_found_where_core_hooks_says():
    found = _module_result.remove_internal_keys_function() is not None
    assert found == known_to_have('ansible.vars.clean.remove_internal_keys', CORE)


def test_an_action_result_is_parsed_and_without_internal_keys():
    # Whichever hook this ansible-core has, one of the two is there and does the work.
    result = as_action_result({'changed': False, 'total_count': 1, '_ansible_no_log': False, '_ansible_verbose_always': True})
    assert result['total_count'] == 1
    assert result.get('_ansible_parsed', True) is True
    assert '_ansible_verbose_always' not in result


def test_the_validator_reports_alias_warnings_deprecations_and_no_log_values_where_core_hooks_says():
    spec = dict(secret=dict(type='str', no_log=True, aliases=['pw'], deprecated_aliases=[dict(name='pw', version='9.0.0')]))
    outcome = ArgumentSpecValidator(spec).validate(dict(secret='s3cret', pw='s3cret'))
    found = all(hasattr(outcome, name) for name in ('_warnings', '_deprecations', '_no_log_values'))
    assert found == known_to_have('ValidationResult._warnings/_deprecations/_no_log_values', CORE)
    warnings, deprecations, no_log_values = validator_reports(outcome)
    assert warnings == ['Both option secret and its alias pw are set.']
    assert [deprecation['msg'] for deprecation in deprecations] == [
        "Alias 'pw' is deprecated. See the module docs for more information"]
    assert no_log_values == {'s3cret'}


def test_invocation_is_injected_unless_core_hooks_says_inject_invocation_decides():
    # Where the setting exists its default is false (ansible-core 2.21); before, a module result always has it.
    assert inject_invocation({}) is not known_to_have('INJECT_INVOCATION', CORE)
    assert inject_invocation({'ansible_inject_invocation': True}) is True


def test_ansible_module_records_its_result_through_a_hook_where_core_hooks_says():
    found = callable(getattr(AnsibleModule, '_record_module_result', None))
    assert found == known_to_have('AnsibleModule._record_module_result', CORE)


def test_remove_values_blanks_booleans_and_none_where_core_hooks_says():
    assert _module_exit._SCRUBS_CONSTANTS == known_to_have('remove_values blanks constants', CORE)


def test_module_output_keeps_the_versions_as_given_when_no_secret_is_in_them():
    versions = [dict(version_id=1, version_name='v1')]
    output = module_output(dict(changed=False, versions=versions, invocation=dict(module_args=dict(token='tk'))), {'tk'})
    assert output['versions'] is versions
    assert output['invocation'] == {'module_args': {'token': 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'}}


def test_module_output_blanks_a_secret_inside_the_facts_versions():
    facts = dict(modelarts_training_job_versions=[dict(version_id=1, version_name='tk')], modelarts_total_count=1)
    output = module_output(dict(changed=False, ansible_facts=facts), {'tk'})
    assert output['ansible_facts']['modelarts_training_job_versions'] == [
        dict(version_id=1, version_name='VALUE_SPECIFIED_IN_NO_LOG_PARAMETER')]
    assert output['changed'] is False
