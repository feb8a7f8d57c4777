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

from ansible_collections.mlops.modelarts.plugins.module_utils._options import exit_query

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
