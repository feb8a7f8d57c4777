# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""When the gpu_report's one pass gives way to the per-host path, and the arguments of each host's query."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.mlops.modelarts.plugins.plugin_utils._one_pass import host_query_args, per_host_reason

HOSTS = {'a': dict(modelarts_project_id='pa', modelarts_token='t'), 'b': dict(modelarts_project_name='pb')}


def reason(hosts=None, per_host=False, module_defaults=False):
    hosts = HOSTS if hosts is None else hosts
    return per_host_reason(hosts.__getitem__, list(hosts), per_host, module_defaults)


def test_projects_that_name_only_their_scope_and_credentials_go_in_one_pass():
    assert reason() is None


@pytest.mark.parametrize('hosts, per_host, module_defaults, expected', [
    (None, True, False, 'modelarts_report_per_host is true'),
    (None, False, True, 'module_defaults'),
    ({'a': dict(modelarts_report_per_host='yes')}, False, False, 'host a sets modelarts_report_per_host'),
    ({'a': {}, 'b': dict(modelarts_run_in_process=False)}, False, False, 'host b sets modelarts_run_in_process false'),
])
def test_the_per_host_path_runs_where_one_pass_could_not_give_the_same(hosts, per_host, module_defaults, expected):
    assert expected in reason(hosts, per_host, module_defaults)


def test_a_variable_that_is_not_a_boolean_fails_naming_it():
    with pytest.raises(AnsibleActionFail, match='modelarts_report_per_host must be a boolean'):
        reason({'a': dict(modelarts_report_per_host='maybe')})


def test_a_hosts_query_has_the_options_its_variables_set_and_no_other():
    args = host_query_args(dict(modelarts_project_id='p', modelarts_timeout=3, modelarts_training_api='v2',
                                modelarts_region=None, ansible_connection='local'), True, '30d', 'now')
    assert args == dict(project_id='p', timeout=3, training_api='v2', include_versions=True, usage_since='30d',
                        usage_until='now')
