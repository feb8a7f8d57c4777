# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Where a task of the modules runs, and the in-process stand-in for AnsibleModule."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os

import pytest

from ansible.errors import AnsibleActionFail

from ansible_collections.mlops.modelarts.plugins.module_utils._entry_points import INFO_EXTRA_SPEC
from ansible_collections.mlops.modelarts.plugins.plugin_utils._option_adapter import OptionAdapter
from ansible_collections.mlops.modelarts.plugins.plugin_utils import _in_process
from ansible_collections.mlops.modelarts.plugins.plugin_utils._in_process import (
    InProcessModule, ModuleExit, environment_applied, run_in_process_setting, run_module_in_process, where_to_run,
)

LOCAL = dict(transport='local', async_seconds=0, become=False, has_requests=True, run_in_process=True)
NAME = 'mlops.modelarts.training_job_version_info'
TOKEN = dict(token='a-test-token', project_id='0a1b2c3d4e5f60718293a4b5c6d7e8f9', endpoint='https://modelarts.test')


def test_local_connection_runs_in_process():
    assert where_to_run(**LOCAL) == (True, None)


@pytest.mark.parametrize('transport', ['local', 'ansible.builtin.local', 'ansible.legacy.local'])
def test_every_name_of_the_local_connection_runs_in_process(transport):
    settings = dict(LOCAL)
    settings['transport'] = transport
    assert where_to_run(**settings)[0] is True


@pytest.mark.parametrize('change, reason', [
    (dict(transport='ssh'), 'the connection is ssh, not local'),
    (dict(transport='community.docker.docker'), 'the connection is community.docker.docker, not local'),
    (dict(async_seconds=30), 'the task is async'),
    (dict(become=True), 'the task uses become'),
    (dict(has_requests=False), 'requests cannot be imported on the controller'),
    (dict(run_in_process=False), 'modelarts_run_in_process is false'),
])
def test_module_runs_where_in_process_could_differ(change, reason):
    assert where_to_run(**dict(LOCAL, **change)) == (False, reason)


@pytest.mark.parametrize('value, expected', [(None, True), (True, True), ('yes', True), (False, False), ('false', False),
                                             ('no', False), (0, False)])
def test_run_in_process_variable_takes_ansible_booleans(value, expected):
    assert run_in_process_setting(value) is expected


def test_run_in_process_variable_that_is_no_boolean_fails_naming_it():
    with pytest.raises(AnsibleActionFail, match='modelarts_run_in_process must be a boolean'):
        run_in_process_setting('sometimes')


def module_exit(args, **kwargs):
    with pytest.raises(ModuleExit) as caught:
        InProcessModule(args, INFO_EXTRA_SPEC, module_name=NAME, **kwargs).fail_json(msg='stop')
    return caught.value.result


def test_unsupported_option_fails_with_the_module_message():
    result = module_exit(dict(TOKEN, colour='blue'))
    assert result['failed'] is True
    assert result['msg'].startswith('Unsupported parameters for (%s) module: colour. Supported parameters include: ' % NAME)


def test_mutually_exclusive_options_fail_with_the_module_message():
    result = module_exit(dict(TOKEN, username='robot', password='pw-secret'))
    assert result['msg'] == 'parameters are mutually exclusive: token|username, token|password'


def test_env_fallbacks_read_the_given_environment_not_this_process(monkeypatch):
    monkeypatch.setenv('OS_REGION_NAME', 'eu-nl')
    result = module_exit(TOKEN, environment={'OS_REGION_NAME': 'eu-de'})
    assert result['invocation']['module_args']['region'] == 'eu-de'


def test_no_log_values_are_blanked_in_invocation_and_everywhere_else():
    with pytest.raises(ModuleExit) as caught:
        InProcessModule(TOKEN, module_name=NAME).exit_json(changed=False, note='token is a-test-token')
    result = caught.value.result
    assert result['invocation']['module_args']['token'] == 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
    assert 'a-test-token' not in str(result)


def test_secret_from_an_env_fallback_is_a_no_log_value_too():
    with pytest.raises(ModuleExit) as caught:
        module = InProcessModule(dict(project_id='p', endpoint='https://e'), environment={'OS_AUTH_TOKEN': 'env-secret'})
        module.exit_json(changed=False, echo='env-secret')
    assert 'env-secret' not in str(caught.value.result)


def test_warnings_are_returned_once_each():
    with pytest.raises(ModuleExit) as caught:
        module = InProcessModule(TOKEN)
        module.warn('careful')
        module.warn('careful')
        module.exit_json(changed=False)
    assert caught.value.result['warnings'] == ['careful']


def test_result_has_json_types_as_a_module_result_would():
    with pytest.raises(ModuleExit) as caught:
        InProcessModule(TOKEN).exit_json(changed=False, pair=(1, 2), versions=[{'a': 1}])
    assert caught.value.result['pair'] == [1, 2] and caught.value.result['versions'] == [{'a': 1}]


def test_run_module_in_process_marks_the_result_parsed():
    result = run_module_in_process(lambda module: module.exit_json(changed=False), TOKEN, module_name=NAME)
    assert result['changed'] is False
    assert result.get('_ansible_parsed', True) is True  # a key before ansible-core 2.21, an attribute since


def test_module_body_that_never_exits_is_an_error():
    with pytest.raises(AnsibleActionFail, match='ended without exit_json'):
        run_module_in_process(lambda module: None, TOKEN, module_name=NAME)


def test_environment_applied_sets_and_restores(monkeypatch):
    monkeypatch.setenv('MODELARTS_TEST_KEPT', 'before')
    monkeypatch.delenv('MODELARTS_TEST_NEW', raising=False)
    with environment_applied({'MODELARTS_TEST_KEPT': 'during', 'MODELARTS_TEST_NEW': 'x'}):
        assert (os.environ['MODELARTS_TEST_KEPT'], os.environ['MODELARTS_TEST_NEW']) == ('during', 'x')
    assert os.environ['MODELARTS_TEST_KEPT'] == 'before' and 'MODELARTS_TEST_NEW' not in os.environ


class _Plugin(object):
    def __init__(self, options):
        self.options = options

    def get_option(self, name):
        if name not in self.options:
            raise KeyError(name)
        return self.options[name]


def test_adapter_reads_a_plugin_and_a_module_alike():
    class Module(object):
        params = dict(TOKEN, region=None)
    from_plugin = OptionAdapter.from_ansible_plugin(_Plugin(dict(TOKEN)))
    from_module = OptionAdapter.from_ansible_module(Module())
    assert from_plugin.get_filled_options(list(TOKEN) + ['region']) == from_module.get_filled_options(list(TOKEN) + ['region'])
    assert from_plugin.get_option('region', 'eu-de') == from_module.get_option('region', 'eu-de') == 'eu-de'


def test_adapter_validation_gives_module_params_with_defaults():
    validated = OptionAdapter.from_dict(dict(TOKEN)).validate(environment={})
    assert validated.error is None
    assert (validated.params['timeout'], validated.params['region']) == (30.0, None)
    assert validated.no_log_values == {'a-test-token'}


def test_invocation_is_left_out_when_ansible_core_would_not_inject_it():
    with pytest.raises(ModuleExit) as caught:
        InProcessModule(TOKEN, with_invocation=False).exit_json(changed=False)
    assert 'invocation' not in caught.value.result


def test_invocation_follows_the_ansible_core_setting():
    # Before ansible-core 2.21 modules always return it; from 2.21 INJECT_INVOCATION decides (default false).
    from ansible.release import __version__
    major_minor = tuple(int(part) for part in __version__.split('.')[:2])
    assert _in_process.inject_invocation({}) is (major_minor < (2, 21))
    assert _in_process.inject_invocation({'ansible_inject_invocation': True}) is True


def test_prepare_forks_does_nothing_in_a_worker(monkeypatch):
    monkeypatch.setattr(_in_process.multiprocessing, 'parent_process', object)
    monkeypatch.setattr('ansible.template.Templar', None)  # would fail if it were used
    _in_process.prepare_forks()


def test_prepare_forks_in_the_main_process_imports_netrc_and_never_fails(monkeypatch):
    import sys
    monkeypatch.setattr(_in_process.multiprocessing, 'parent_process', lambda: None)
    monkeypatch.delitem(sys.modules, 'netrc', raising=False)
    monkeypatch.setattr('ansible.template.Templar', None)  # a template engine that breaks is left to the worker
    _in_process.prepare_forks()
    assert 'netrc' in sys.modules


def test_rehearsals_run_offline_and_leave_nothing_behind(monkeypatch):
    import socket

    def no_network(*args, **kwargs):
        raise AssertionError('a rehearsal must not connect anywhere')

    monkeypatch.setattr(socket.socket, 'connect', no_network)
    monkeypatch.setattr(socket, 'create_connection', no_network)
    _in_process.rehearse_module_exit(lambda value: value)
    _in_process.rehearse_request()
    _in_process.prepare_forks()


def test_prepare_forks_loads_the_filter_and_test_plugins_for_every_worker(monkeypatch):
    # ansible-core loads every filter (and test) plugin file at a process' first filter (test) in a template, and a
    # worker's loading dies with it; loaded once in the main process, every worker forked afterwards has them.
    from ansible.plugins.loader import filter_loader, test_loader
    monkeypatch.setattr(_in_process.multiprocessing, 'parent_process', lambda: None)
    for loader in (filter_loader, test_loader):
        monkeypatch.setattr(loader, '_cached_non_collection_wrappers', {})
    _in_process.prepare_forks()
    assert 'bool' in filter_loader._cached_non_collection_wrappers
    assert 'failed' in test_loader._cached_non_collection_wrappers


HOST_SCOPE = dict(project_id='a' * 32, project_name='eu-nl_research', region='eu-nl')


@pytest.mark.parametrize('named', ['project_id', 'project_name', 'region', 'endpoint'])
def test_a_task_naming_any_scope_option_keeps_every_host_variable_out(named):
    args = {named: 'from-the-task', 'status': ['running']}
    assert _in_process.arguments_with_host_scope(args, HOST_SCOPE) == args


def test_the_host_scope_fills_a_task_that_names_none():
    scoped = _in_process.arguments_with_host_scope({'status': ['running']}, HOST_SCOPE)
    assert scoped == dict(HOST_SCOPE, status=['running'])


def test_a_host_project_name_blocks_the_environments_project_id():
    scoped = _in_process.arguments_with_host_scope({}, {'project_name': 'eu-de_ml'})
    assert scoped == {'project_name': 'eu-de_ml', 'project_id': None}  # present as null: no OS_PROJECT_ID fallback
    validated = OptionAdapter.from_dict(scoped).validate(environment={'OS_PROJECT_ID': 'b' * 32, 'OS_REGION_NAME': 'eu-de'})
    assert validated.params['project_id'] is None and validated.params['region'] == 'eu-de'


def test_a_host_without_scope_variables_changes_nothing():
    args = {'status': ['running']}
    assert _in_process.arguments_with_host_scope(args, {}) is args
