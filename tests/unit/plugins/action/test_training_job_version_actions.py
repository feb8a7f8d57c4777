# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The two action plugins: which tasks they run in-process and which they hand to the module."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible.errors import AnsibleActionFail

from ansible_collections.mlops.modelarts.plugins.action import training_job_version_facts, training_job_version_info
from ansible_collections.mlops.modelarts.plugins.plugin_utils import _in_process

ARGS = dict(token='a-test-token', project_id='0a1b2c3d4e5f60718293a4b5c6d7e8f9', endpoint='https://modelarts.test')


class _Templar(object):
    def template(self, value):
        return {'{{ in_process }}': False}.get(value, value)


class _Task(object):
    def __init__(self, async_val=0):
        self.async_val = async_val
        self.action = 'mlops.modelarts.training_job_version_info'
        self.args = dict(ARGS)
        self.check_mode = False
        self.environment = [{'OS_REGION_NAME': 'eu-de'}]


class _Connection(object):
    has_native_async = False

    def __init__(self, transport):
        self.transport = transport


class _PlayContext(object):
    def __init__(self, become):
        self.become = become


def make_action(cls, transport='local', async_val=0, become=False):
    action = cls.__new__(cls)
    action._task = _Task(async_val)
    action._connection = _Connection(transport)
    action._play_context = _PlayContext(become)
    action._templar = _Templar()
    return action


@pytest.mark.parametrize('cls', [training_job_version_info.ActionModule, training_job_version_facts.ActionModule])
def test_local_task_runs_in_process(cls):
    assert make_action(cls).where_to_run({}) == (True, None)


@pytest.mark.parametrize('options, variables, reason', [
    (dict(transport='ssh'), {}, 'the connection is ssh, not local'),
    (dict(async_val=60), {}, 'the task is async'),
    (dict(become=True), {}, 'the task uses become'),
    ({}, {'modelarts_run_in_process': False}, 'modelarts_run_in_process is false'),
    ({}, {'modelarts_run_in_process': '{{ in_process }}'}, 'modelarts_run_in_process is false'),
])
def test_task_that_would_differ_runs_the_module(options, variables, reason):
    action = make_action(training_job_version_info.ActionModule, **options)
    assert action.where_to_run(variables) == (False, reason)


def test_missing_requests_runs_the_module(monkeypatch):
    monkeypatch.setattr(_in_process, 'HAS_REQUESTS', False)
    action = make_action(training_job_version_info.ActionModule)
    assert action.where_to_run({}) == (False, 'requests cannot be imported on the controller')


def test_run_in_process_variable_that_is_no_boolean_fails_the_task():
    action = make_action(training_job_version_info.ActionModule)
    with pytest.raises(AnsibleActionFail):
        action.where_to_run({'modelarts_run_in_process': 'perhaps'})


def test_each_action_runs_its_own_module_body():
    assert training_job_version_info.ActionModule.module_body.__name__ == 'run_info_module'
    assert training_job_version_facts.ActionModule.module_body.__name__ == 'run_facts_module'
    assert 'wait_for' in training_job_version_info.ActionModule.extra_spec
    assert not training_job_version_facts.ActionModule.extra_spec


def test_actions_support_check_mode_and_async_like_the_modules():
    for cls in (training_job_version_info.ActionModule, training_job_version_facts.ActionModule):
        assert cls._supports_check_mode and cls._supports_async
