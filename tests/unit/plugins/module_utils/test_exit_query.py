# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""exit_query() must print exactly what exit_json() prints, secrets blanked included, only faster."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import json

import pytest
from ansible.module_utils import basic

from ansible_collections.mlops.modelarts.plugins.module_utils._module_exit import exit_query

SECRET = 'sup3r-s3cret-password'


def _module_output(capsys, monkeypatch, finish, result):
    """Give back the JSON a fresh AnsibleModule prints when `finish(module, **result)` ends it."""
    arguments = {'ANSIBLE_MODULE_ARGS': {'password': SECRET, 'name': 'x'}}
    monkeypatch.setattr(basic, '_ANSIBLE_ARGS', json.dumps(arguments).encode('utf-8'))
    # ansible-core 2.19+ reads the profile from here; 2.17 and 2.18 have no such attribute.
    monkeypatch.setattr(basic, '_ANSIBLE_PROFILE', 'legacy', raising=False)
    module = basic.AnsibleModule(argument_spec=dict(password=dict(type='str', no_log=True), name=dict(type='str')))
    with pytest.raises(SystemExit):
        finish(module, **copy.deepcopy(result))
    return json.loads(capsys.readouterr().out)


def _versions(description):
    return [dict(version_id=index, version_name='v%d' % index, version_desc=description, gpu_num=index % 8)
            for index in range(50)]


@pytest.mark.parametrize('slot', ['info', 'facts'])
@pytest.mark.parametrize('description', ['plain text', None, 'echo of %s in a description' % SECRET, SECRET, 'quote " and \\'])
def test_exit_query_prints_what_exit_json_prints(capsys, monkeypatch, slot, description):
    versions = _versions(description)
    if slot == 'info':
        result = dict(changed=False, versions=versions, total_count=50)
    else:
        result = dict(changed=False, ansible_facts=dict(modelarts_training_job_versions=versions, modelarts_total_count=50))
    expected = _module_output(capsys, monkeypatch, basic.AnsibleModule.exit_json, result)
    actual = _module_output(capsys, monkeypatch, exit_query, result)
    assert actual == expected
    assert SECRET not in json.dumps(actual)


class _TaggedText(str):
    """A str subclass, as ansible-core's tagged strings are: the value by value check leaves it to the JSON text."""


ROWS = [
    [dict(version_id=7, name='resnet50-V12', duration=761.0, done=True, pool=None)],
    [dict(version_id=-3, ratio=1.5e-07, note='gr\u00fc\u00dfe "quoted" \\ back')],
    [dict(version_id=1, nested=dict(deep=['resnet50', 4242]))],
    [dict(version_id=2, name=_TaggedText('tagged resnet50'))],
    [dict(version_id=3, value=float('nan'))],
    ['not a dict', dict(name='resnet50')],
    [],
]
SECRETS = [{SECRET}, {'resnet50'}, {'4242'}, {'761'}, {'1.5e-07'}, {'-3'}, {'nan'}, {'"quoted"'}, {'\u00fc'}, {'True'},
           {'None'}, {''}, {'version_id'}]


@pytest.mark.parametrize('rows', ROWS)
@pytest.mark.parametrize('secrets', SECRETS)
def test_scrub_would_change_answers_yes_whenever_remove_values_changes_something(rows, secrets):
    from ansible.module_utils.common.parameters import remove_values
    from ansible_collections.mlops.modelarts.plugins.module_utils import _module_exit
    from ansible_collections.mlops.modelarts.plugins.module_utils._module_exit import scrub_would_change

    changes = json.dumps(remove_values(rows, secrets), sort_keys=True) != json.dumps(rows, sort_keys=True)
    answer = scrub_would_change(rows, secrets)
    assert answer or not changes
    flat = all(type(row) in (dict,) and all(type(item) in (str, int, float, bool, type(None)) for item in row.values())
               for row in rows)
    # ansible-core before 2.19 blanks True, False and None holding a no_log value: such values then always answer yes.
    constants = _module_exit._SCRUBS_CONSTANTS and any(secret in str(c) for secret in secrets for c in (True, False, None))
    if flat and all(secrets) and not constants:  # exact for flat rows: no scrub when nothing would change
        assert answer == changes
