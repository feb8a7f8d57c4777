# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The lookup: where options come from, how they are checked, what each result mode returns."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import sys

import pytest

from ansible.errors import AnsibleLookupError
from ansible.plugins.loader import init_plugin_loader, lookup_loader

# The plugin loader must import the collection first, so the collection's modules are imported after it.
# (Absolute: the unit conftest changes the working directory of every test.)
COLLECTIONS_ROOT = [os.path.abspath(path) for path in sys.path
                    if os.path.isdir(os.path.join(path or '.', 'ansible_collections', 'mlops', 'modelarts'))][0]
init_plugin_loader([COLLECTIONS_ROOT])

from ansible_collections.mlops.modelarts.plugins.lookup import training_job_versions as lookup_module  # noqa: E402
from ansible_collections.mlops.modelarts.plugins.module_utils import _client  # noqa: E402
from ansible_collections.mlops.modelarts.plugins.module_utils._errors import ModelArtsError  # noqa: E402
from ansible_collections.mlops.modelarts.plugins.module_utils._versions import Query  # noqa: E402

LOOKUP_OPTION_NAMES = list(lookup_module.argument_spec()) + list(lookup_module.LOOKUP_OPTIONS)
TOKEN = dict(token='a-test-token', project_id='0a1b2c3d4e5f60718293a4b5c6d7e8f9', endpoint='https://modelarts.test')

VERSIONS = [
    dict(version_id=1, version_name='resnet-V0001', status=8, gpu_num=4, npu_num=0, pool_id='p', flavor_code='f'),
    dict(version_id=2, version_name='bert-V0001', status=10, gpu_num=1, npu_num=0, pool_id=None, flavor_code='f'),
]


@pytest.fixture(autouse=True)
def no_lookup_environment(monkeypatch):
    for name in LOOKUP_OPTION_NAMES:
        monkeypatch.delenv('MODELARTS_' + name.upper(), raising=False)
    monkeypatch.delenv('XDG_CACHE_HOME', raising=False)


@pytest.fixture
def lookup():
    return lookup_loader.get('mlops.modelarts.training_job_versions')


@pytest.fixture
def queries(monkeypatch):
    """Replace the shared run_query by a recorder that answers VERSIONS; give back the params of each call."""
    calls = []

    def fake_run_query(params, session=None):
        calls.append(params)
        from ansible_collections.mlops.modelarts.plugins.module_utils._versions import enrich, summarize
        versions = [dict(v) for v in VERSIONS]
        result = dict(total_count=len(versions), gpu_summary=summarize(versions), query={}, complete=True)
        window = Query(params).usage_window
        if window is not None:
            result['gpu_usage'] = window.usage(versions)
        if params.get('include_versions', True):
            result['versions'] = enrich(versions)
        return result, []
    monkeypatch.setattr(lookup_module, 'run_query', fake_run_query)
    return calls


def test_keyword_argument_wins_over_variable(lookup, queries):
    lookup.run([], variables=dict(modelarts_region='eu-nl'), region='eu-de', **TOKEN)
    assert queries[0]['region'] == 'eu-de'


def test_variable_wins_over_environment(lookup, queries, monkeypatch):
    monkeypatch.setenv('OS_REGION_NAME', 'eu-nl')
    lookup.run([], variables=dict(modelarts_region='eu-de'), **TOKEN)
    assert queries[0]['region'] == 'eu-de'


def test_environment_is_used_when_nothing_else_is_given(lookup, queries, monkeypatch):
    monkeypatch.setenv('OS_AUTH_TOKEN', 'env-token')
    monkeypatch.setenv('OS_PROJECT_ID', '0a1b2c3d4e5f60718293a4b5c6d7e8f9')
    lookup.run([], variables={}, endpoint='https://modelarts.test')
    assert (queries[0]['token'], queries[0]['project_id']) == ('env-token', '0a1b2c3d4e5f60718293a4b5c6d7e8f9')


@pytest.mark.parametrize('given', ['keyword', 'variable'])
def test_a_token_given_to_the_lookup_wins_over_a_password_login_in_the_environment(lookup, queries, monkeypatch, given):
    for name, value in dict(OS_USERNAME='robot', OS_PASSWORD='pw-secret', OS_USER_DOMAIN_NAME='domain').items():
        monkeypatch.setenv(name, value)
    if given == 'keyword':
        lookup.run([], variables={}, **TOKEN)
    else:
        lookup.run([], variables=dict(('modelarts_' + name, value) for name, value in TOKEN.items()))
    assert (queries[0]['token'], queries[0]['username'], queries[0]['password']) == ('a-test-token', None, None)


def test_a_password_login_in_the_environment_applies_when_the_lookup_names_no_method(lookup, queries, monkeypatch):
    for name, value in dict(OS_USERNAME='robot', OS_PASSWORD='pw-secret', OS_USER_DOMAIN_NAME='domain',
                            OS_PROJECT_NAME='eu-de_project', OS_REGION_NAME='eu-de').items():
        monkeypatch.setenv(name, value)
    lookup.run([], variables={})
    assert (queries[0]['token'], queries[0]['username'], queries[0]['password']) == (None, 'robot', 'pw-secret')


def test_query_options_are_read_from_variables(lookup, queries):
    lookup.run([], variables=dict(modelarts_status=['running'], modelarts_limit='5'), **TOKEN)
    assert (queries[0]['status'], queries[0]['limit']) == (['running'], 5)


def test_terms_are_added_to_names(lookup, queries):
    lookup.run(['bert-*'], variables={}, names=['resnet-*'], **TOKEN)
    assert queries[0]['names'] == ['resnet-*', 'bert-*']


def test_version_ids_select_exact_ids_beside_the_name_globs_of_the_terms(lookup, queries):
    lookup.run(['exp[[]2]-*'], variables={}, version_ids=[7, 'a-uuid'], **TOKEN)
    assert (queries[0]['names'], queries[0]['version_ids']) == (['exp[[]2]-*'], [7, 'a-uuid'])


def test_version_ids_are_read_from_variables_and_the_environment(lookup, queries, monkeypatch):
    lookup.run([], variables=dict(modelarts_version_ids=[7]), **TOKEN)
    monkeypatch.setenv('MODELARTS_VERSION_IDS', '8,a-uuid')
    lookup.run([], variables={}, **TOKEN)
    assert [params['version_ids'] for params in queries] == [[7], ['8', 'a-uuid']]


def test_unusable_version_ids_fail_the_lookup_naming_the_option(lookup, monkeypatch):
    monkeypatch.setattr(_client.ApiClient, '__init__', lambda *args, **kwargs: pytest.fail('a client was opened'))
    with pytest.raises(AnsibleLookupError, match='version_ids: element 2 is a mapping'):
        lookup.run([], variables={}, version_ids=[7, {'id': 8}], **TOKEN)


def test_defaults_are_the_modules_defaults(lookup, queries):
    lookup.run([], variables={}, **TOKEN)
    params = queries[0]
    assert (params['workspace_id'], params['sort_by'], params['order'], params['validate_certs']) == ('0', 'create_time', 'desc', None)


def test_conflicting_credentials_fail_with_the_modules_message(lookup, queries):
    with pytest.raises(AnsibleLookupError, match=r'parameters are mutually exclusive: token\|username'):
        lookup.run([], variables={}, username='u', password='p', **TOKEN)
    assert queries == []


def test_bad_choice_fails_with_the_modules_message(lookup, queries):
    with pytest.raises(AnsibleLookupError, match='value of order must be one of: asc, desc, got: up'):
        lookup.run([], variables={}, order='up', **TOKEN)


def test_unknown_option_is_named(lookup, queries):
    with pytest.raises(AnsibleLookupError, match='unsupported option.*statuses'):
        lookup.run([], variables={}, statuses=['running'], **TOKEN)


def test_missing_credentials_fail_with_the_shared_message(lookup, queries):
    with pytest.raises(AnsibleLookupError, match='no credentials'):
        lookup.run([], variables={}, endpoint='https://modelarts.test', project_id='0a1b2c3d4e5f60718293a4b5c6d7e8f9')
    assert queries == []


def test_non_string_term_is_refused(lookup, queries):
    with pytest.raises(AnsibleLookupError, match='terms are version_name globs'):
        lookup.run([5], variables={}, **TOKEN)


def test_api_failure_becomes_a_lookup_error_with_the_same_message(lookup, monkeypatch):
    def failing(params, session=None):
        raise ModelArtsError('GET /v1/x/training-jobs/versions failed: HTTP 403 ModelArts.0108 not authorized')
    monkeypatch.setattr(lookup_module, 'run_query', failing)
    with pytest.raises(AnsibleLookupError, match='HTTP 403 ModelArts.0108 not authorized'):
        lookup.run([], variables={}, **TOKEN)


def test_versions_result_is_the_list_of_versions(lookup, queries):
    result = lookup.run([], variables={}, **TOKEN)
    assert [v['version_name'] for v in result] == ['resnet-V0001', 'bert-V0001']


def test_versions_carry_the_added_fields(lookup, queries):
    result = lookup.run([], variables={}, **TOKEN)
    assert result[0]['status_name'] == 'running'


def test_summary_result_is_one_gpu_summary(lookup, queries):
    result = lookup.run([], variables={}, result='summary', **TOKEN)
    assert len(result) == 1 and (result[0]['gpu_num'], result[0]['active_gpu_num']) == (5, 4)


def test_count_result_is_one_number(lookup, queries):
    assert lookup.run([], variables={}, result='count', **TOKEN) == [2]


def test_summary_and_count_do_not_keep_versions(lookup, queries):
    lookup.run([], variables={}, result='count', **TOKEN)
    assert queries[0]['include_versions'] is False


def test_unknown_result_mode_is_refused(lookup, queries):
    with pytest.raises(AnsibleLookupError, match='value of result must be one of: versions, summary, count, usage, got: all'):
        lookup.run([], variables={}, result='all', **TOKEN)


def test_usage_result_is_one_gpu_usage_of_the_window(lookup, queries):
    result = lookup.run([], variables={}, result='usage', usage_since='2025-12-01', usage_until='2025-12-02', **TOKEN)
    assert len(result) == 1 and (result[0]['since'], result[0]['until']) == (
        '2025-12-01T00:00:00.000Z', '2025-12-02T00:00:00.000Z')
    assert queries[0]['include_versions'] is False


def test_usage_result_needs_usage_since(lookup, queries):
    with pytest.raises(AnsibleLookupError, match='result=usage needs usage_since'):
        lookup.run([], variables={}, result='usage', **TOKEN)


def test_bad_usage_since_fails_with_the_modules_message(lookup, queries):
    with pytest.raises(AnsibleLookupError, match="usage_since: 'last week' is not a time; accepted are an ISO 8601"):
        lookup.run([], variables={}, result='usage', usage_since='last week', **TOKEN)
    assert queries == []


def test_negative_cache_ttl_is_refused(lookup, queries, tmp_path):
    with pytest.raises(AnsibleLookupError, match='cache_ttl'):
        lookup.run([], variables={}, cache_ttl=-1, cache_dir=str(tmp_path / 'c'), **TOKEN)


def test_with_cache_ttl_the_second_lookup_does_not_query(lookup, queries, tmp_path):
    for dummy in range(2):
        lookup.run([], variables={}, cache_ttl=60, cache_dir=str(tmp_path / 'c'), **TOKEN)
    assert len(queries) == 1


def test_without_cache_every_lookup_queries(lookup, queries, tmp_path):
    for dummy in range(2):
        lookup.run([], variables={}, cache_dir=str(tmp_path / 'c'), **TOKEN)
    assert len(queries) == 2


def test_cache_answer_is_the_same_as_a_fresh_one(lookup, queries, tmp_path):
    first = lookup.run([], variables={}, cache_ttl=60, cache_dir=str(tmp_path / 'c'), **TOKEN)
    second = lookup.run([], variables={}, cache_ttl=60, cache_dir=str(tmp_path / 'c'), **TOKEN)
    assert first == second


def test_another_query_is_not_served_from_the_cache(lookup, queries, tmp_path):
    lookup.run([], variables={}, cache_ttl=60, cache_dir=str(tmp_path / 'c'), **TOKEN)
    lookup.run([], variables={}, cache_ttl=60, cache_dir=str(tmp_path / 'c'), status=['running'], **TOKEN)
    assert len(queries) == 2


@pytest.mark.parametrize('tls', [dict(validate_certs=True), dict(ca_path='/etc/ssl/other-ca.pem')])
def test_an_answer_fetched_without_verifying_tls_never_serves_a_lookup_that_verifies(lookup, queries, tmp_path, tls):
    lookup.run([], variables={}, cache_ttl=60, cache_dir=str(tmp_path / 'c'), validate_certs=False, **TOKEN)
    lookup.run([], variables={}, cache_ttl=60, cache_dir=str(tmp_path / 'c'), **dict(TOKEN, **tls))
    assert len(queries) == 2


def test_another_project_is_not_served_from_the_cache(lookup, queries, tmp_path):
    lookup.run([], variables={}, cache_ttl=60, cache_dir=str(tmp_path / 'c'), **TOKEN)
    other = dict(TOKEN, project_id='00000000000000000000000000000003')
    lookup.run([], variables={}, cache_ttl=60, cache_dir=str(tmp_path / 'c'), **other)
    assert len(queries) == 2


def test_cache_dir_defaults_to_xdg_cache_home(lookup, queries, tmp_path, monkeypatch):
    monkeypatch.setenv('XDG_CACHE_HOME', str(tmp_path / 'xdg'))
    lookup.run([], variables={}, cache_ttl=60, **TOKEN)
    assert os.listdir(str(tmp_path / 'xdg' / 'mlops.modelarts'))


def test_cache_files_hold_no_credential(lookup, queries, tmp_path):
    secrets = dict(access_key='AKSECRETVALUE00001', secret_key='sk-secret-value-0001', security_token='sts-secret-value')
    options = dict(TOKEN)
    del options['token']
    lookup.run([], variables={}, cache_ttl=60, cache_dir=str(tmp_path / 'c'), **dict(options, **secrets))
    content = ''.join(open(os.path.join(str(tmp_path / 'c'), name)).read() + name for name in os.listdir(str(tmp_path / 'c')))
    assert not [value for value in secrets.values() if value in content]


def test_another_credential_for_the_same_project_is_not_served_from_the_cache(lookup, queries, tmp_path):
    lookup.run([], variables={}, cache_ttl=60, cache_dir=str(tmp_path / 'c'), **TOKEN)
    lookup.run([], variables={}, cache_ttl=60, cache_dir=str(tmp_path / 'c'), **dict(TOKEN, token='a-wrong-token'))
    assert len(queries) == 2


def test_the_same_credential_is_served_from_the_cache_after_another_one(lookup, queries, tmp_path):
    for token in ('a-test-token', 'a-wrong-token', 'a-test-token'):
        lookup.run([], variables={}, cache_ttl=60, cache_dir=str(tmp_path / 'c'), **dict(TOKEN, token=token))
    assert len(queries) == 2


def test_credential_salt_file_is_private_and_holds_no_credential(lookup, queries, tmp_path):
    lookup.run([], variables={}, cache_ttl=60, cache_dir=str(tmp_path / 'c'), **TOKEN)
    salt_path = os.path.join(str(tmp_path / 'c'), 'credential-salt')
    assert oct(os.stat(salt_path).st_mode & 0o777) == oct(0o600)
    assert TOKEN['token'] not in open(salt_path).read()
