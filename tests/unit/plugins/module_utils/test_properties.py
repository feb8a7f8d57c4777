# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Property-based tests (hypothesis): random options and random API answers never crash the shared layer.

Options go through the real argument spec, then the query builder and the connection settings: invalid ones are
rejected with the option's name, valid ones send the right API calls and return what a reference model says.
Random bodies go through the response parser, enrich, summarize, sort and the client's answer parser: the outcome is
a clear ModelArtsError or a correct result, never another exception.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import decimal
import fnmatch
import json

import pytest

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.mlops.modelarts.plugins.module_utils import _client, _options, _versions
from ansible_collections.mlops.modelarts.plugins.module_utils._auth import ConnectionSettings
from ansible_collections.mlops.modelarts.plugins.module_utils._errors import ModelArtsError, OptionError
from ansible_collections.mlops.modelarts.plugins.module_utils._query_client import QueryClient
from ansible_collections.mlops.modelarts.plugins.module_utils._statuses import STATUS_GROUPS, STATUS_NAMES

PROPERTY_SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SPEC = _options.argument_spec()
OPTION_NAMES = sorted(SPEC)
PROJECT_ID = '0a1b2c3d4e5f60718293a4b5c6d7e8f9'

# -- random option values -----------------------------------------------------------------------------------------

junk = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10 ** 20, max_value=10 ** 20), st.floats(allow_nan=True),
    st.text(max_size=12), st.lists(st.text(max_size=5), max_size=3), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
status_value = st.one_of(
    st.integers(min_value=-3, max_value=25).map(str), st.sampled_from(sorted(STATUS_NAMES.values())),
    st.sampled_from(sorted(STATUS_GROUPS)), st.sampled_from(['RUNNING', 'JOBSTAT_FAILED', 'Active', 'nope', '', ' 8 ']),
)
valid_values = {
    'status': st.lists(status_value, max_size=4),
    'sort_by': st.sampled_from(sorted(_versions.SORT_FIELDS)),
    'order': st.sampled_from(_versions.ORDERS),
    'offset_unit': st.sampled_from(_versions.OFFSET_UNITS),
    'offset': st.integers(min_value=-5, max_value=10 ** 6),
    'limit': st.integers(min_value=-5, max_value=10 ** 6),
    'page_size': st.integers(min_value=-5, max_value=10 ** 6),
    'timeout': st.floats(min_value=-1, max_value=5000, allow_nan=False),
    'retries': st.integers(min_value=-2, max_value=30),
    'validate_certs': st.booleans(),
    'include_versions': st.booleans(),
    'names': st.lists(st.text(max_size=6), max_size=3),
    'endpoint': st.sampled_from(['https://modelarts.example', 'http://127.0.0.1:1', 'ftp://x', 'modelarts.example', '']),
    'auth_url': st.sampled_from(['https://iam.example/v3', 'iam.example', '']),
    'region': st.sampled_from(['eu-de', 'eu-nl', 'cn-north-4', 'ap-southeast-1', 'mars-1', '']),
    'project_id': st.sampled_from([PROJECT_ID, '', '  ', 'not hex!']),
    'cloud': st.sampled_from(['no-such-cloud-entry']),
}


def option_value(name):
    secret_or_text = st.text(min_size=0, max_size=10)
    return st.one_of(valid_values.get(name, secret_or_text), junk)


params_strategy = st.sets(st.sampled_from(OPTION_NAMES), max_size=10).flatmap(
    lambda names: st.fixed_dictionaries(dict((name, option_value(name)) for name in sorted(names))))


def validate(params):
    validator = ArgumentSpecValidator(_options.argument_spec(), mutually_exclusive=_options.MUTUALLY_EXCLUSIVE)
    return validator.validate(params)


def is_infinite(value):
    try:
        return decimal.Decimal(value).is_infinite()
    except (decimal.DecimalException, TypeError, ValueError):
        return False


def names_an_option(message):
    return any(name in message for name in OPTION_NAMES)


@PROPERTY_SETTINGS
@given(params_strategy)
def test_random_options_are_accepted_or_rejected_naming_an_option_never_crash(params):
    try:
        validated = validate(params)
    except OverflowError:
        # ansible-core's own check_type_int turns Decimal('Infinity') into an int without catching OverflowError
        # (an upstream bug, before any code of ours runs): the only crash allowed, and only for an infinite int option.
        assert any(SPEC[name].get('type') == 'int' and is_infinite(value) for name, value in params.items())
        return
    for message in validated.error_messages:
        assert names_an_option(message), message
    if validated.error_messages:
        return
    params = validated.validated_parameters
    try:
        _versions.Query(params)
        ConnectionSettings(params)
    except OptionError as exc:
        assert names_an_option(str(exc)), str(exc)


@PROPERTY_SETTINGS
@given(st.sampled_from(['sort_by', 'order', 'offset_unit']), st.text(min_size=1, max_size=12))
def test_a_value_outside_the_choices_is_rejected_naming_the_option(name, value):
    if value in (SPEC[name].get('choices') or ()):
        return
    validated = validate({name: value, 'token': 't', 'project_id': PROJECT_ID, 'region': 'eu-de'})
    assert validated.error_messages
    assert all(name in message for message in validated.error_messages)


@PROPERTY_SETTINGS
@given(st.sampled_from(_options.MUTUALLY_EXCLUSIVE), st.text(min_size=1, max_size=8), st.text(min_size=1, max_size=8))
def test_mutually_exclusive_options_are_rejected_naming_both(pair, first, second):
    validated = validate({pair[0]: first, pair[1]: second})
    assert any(pair[0] in message and pair[1] in message for message in validated.error_messages)


@PROPERTY_SETTINGS
@given(st.sampled_from([('access_key', 'secret_key'), ('username', 'password')]), st.booleans(), st.text(min_size=1, max_size=8))
def test_options_required_together_are_rejected_alone_naming_both(pair, keep_first, value):
    # Half a pair passes the argument spec (the other half may be in the environment); the settings refuse it.
    with pytest.raises(OptionError) as caught:
        ConnectionSettings({pair[0 if keep_first else 1]: value})
    assert pair[0] in str(caught.value) and pair[1] in str(caught.value)


@PROPERTY_SETTINGS
@given(st.sampled_from(['offset', 'limit', 'page_size']), st.integers(max_value=-1))
def test_negative_numbers_are_rejected_naming_the_option(name, value):
    try:
        _versions.Query({name: value})
    except OptionError as exc:
        assert str(exc).startswith(name)
    else:
        raise AssertionError('accepted %s=%d' % (name, value))


@PROPERTY_SETTINGS
@given(st.lists(st.text(max_size=10), min_size=1, max_size=3))
def test_unknown_status_values_are_rejected_naming_status(values):
    try:
        query = _versions.Query({'status': values})
    except OptionError as exc:
        assert str(exc).startswith('status')
    else:
        assert all(code in STATUS_NAMES for code in query.statuses or [])


# -- valid queries: the API calls sent and the answer, against a reference model -----------------------------------

class FakeApi(QueryClient):
    """An in-memory ModelArts: filters, sorts as the API does (ties by ascending version_id), pages by `unit`."""

    def __init__(self, versions, unit):
        QueryClient.__init__(self)
        self.versions = versions
        self.unit = unit
        self.project_id = PROJECT_ID
        self.calls = []

    def get(self, path, query_pairs, decode=None):
        query = dict(query_pairs)
        assert len(query) == len(query_pairs), 'a parameter was sent twice: %r' % (query_pairs,)
        self.calls.append(query)
        matching = [v for v in self.versions
                    if ('status' not in query or v['status'] == int(query['status']))
                    and ('pool_id' not in query or v['pool_id'] == query['pool_id'])]
        field = _versions.SORT_FIELDS[query.get('sort_by', 'create_time')]
        matching = api_order(matching, field, query.get('order', 'desc'))
        limit = int(query.get('limit', 20))
        offset = int(query.get('offset', 0))
        if limit == 0:
            page = matching
        elif self.unit == 'records':
            page = matching[offset:offset + limit]
        elif self.unit == 'pages':
            page = matching[offset * limit:(offset + 1) * limit]
        else:
            page = matching[max(0, offset - 1) * limit:max(1, offset) * limit]
        answer = {'is_success': True, 'total_count': len(matching), 'versions': copy.deepcopy(page)}
        return decode(answer) if decode is not None else answer


def api_order(versions, field, order):
    ordered = sorted(versions, key=lambda v: v['version_id'])
    if field in ('version_name', 'version_desc'):
        return sorted(ordered, key=lambda v: v.get(field) or '', reverse=order == 'desc')
    return sorted(ordered, key=lambda v: v.get(field) or 0, reverse=order == 'desc')


version_strategy = st.fixed_dictionaries({
    'status': st.integers(min_value=0, max_value=21),
    'version_name': st.sampled_from(['a-V1', 'a-V2', 'b-V1', 'bert-V3', 'zz']),
    'version_desc': st.one_of(st.none(), st.sampled_from(['x', 'y', ''])),
    'create_time': st.integers(min_value=0, max_value=5),
    'duration': st.integers(min_value=0, max_value=3),
    'pool_id': st.sampled_from([None, 'pool-a', 'pool-b']),
    'gpu_num': st.integers(min_value=0, max_value=8),
    'npu_num': st.integers(min_value=0, max_value=8),
})
dataset_strategy = st.lists(version_strategy, max_size=30).map(
    lambda versions: [dict(v, version_id=1000 + i) for i, v in enumerate(versions)])
query_strategy = st.fixed_dictionaries({
    'status': st.one_of(st.none(), st.lists(st.sampled_from(['running', 'failed', 'active', '10', '0', 'terminal']),
                                            min_size=1, max_size=3)),
    'pool_id': st.sampled_from([None, 'pool-a']),
    'sort_by': st.sampled_from(sorted(_versions.SORT_FIELDS)),
    'order': st.sampled_from(_versions.ORDERS),
    'offset': st.integers(min_value=0, max_value=12),
    'limit': st.integers(min_value=0, max_value=12),
    'page_size': st.sampled_from([0, 1, 2, 3, 5, 10]),
    'names': st.one_of(st.none(), st.lists(st.sampled_from(['a-*', '*V1', 'zz', 'nomatch']), min_size=1, max_size=2)),
})


def reference(versions, query):
    """Give back the version ids a query must return, computed without the plugin's code."""
    statuses = set(query.statuses) if query.statuses is not None else None
    matching = [v for v in versions if (statuses is None or v['status'] in statuses)
                and (query.pool_id is None or v['pool_id'] == query.pool_id)
                and (not query.names or any(fnmatch.fnmatchcase(v['version_name'], p) for p in query.names))]
    ordered = api_order(matching, _versions.SORT_FIELDS[query.sort_by], query.order)
    end = query.offset + query.limit if query.limit else None
    return [v['version_id'] for v in ordered[query.offset:end]]


@PROPERTY_SETTINGS
@given(dataset_strategy, query_strategy, st.sampled_from(['records', 'pages', 'pages1']), st.booleans())
def test_valid_queries_send_the_right_calls_and_return_what_the_reference_says(versions, params, unit, auto):
    unit_option = {'records': 'records', 'pages': 'pages', 'pages1': 'pages_one_based'}[unit]
    query = _versions.Query(dict(params, training_api='v1', offset_unit='auto' if auto else unit_option))
    api = FakeApi(versions, unit)
    listing = _versions.list_versions(api, query)

    assert [v['version_id'] for v in listing.versions] == reference(versions, query)
    assert listing.complete is True and listing.warnings == []
    for call in api.calls:
        assert (call['sort_by'], call['order'], call['workspace_id']) == (query.sort_by, query.order, '0')
        assert call.get('pool_id') == query.pool_id
        assert (int(call['status']) in query.statuses) if query.statuses is not None else 'status' not in call
    asked = set(int(call['status']) for call in api.calls if 'status' in call)
    assert asked == (set(query.statuses) if query.statuses is not None else set())


# -- random API answers -------------------------------------------------------------------------------------------

json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10 ** 30, max_value=10 ** 30), st.integers(),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=8),
    st.sampled_from(['12', '-3', '1e3', '1.5', 'NaN', 'inf', '\u0661\u0662', '\u00b2', ' 7 ', '']),
)
json_values = st.recursive(json_scalars, lambda children: st.one_of(
    st.lists(children, max_size=3), st.dictionaries(st.text(max_size=6), children, max_size=3)), max_leaves=8)
version_field_names = list(_versions.INTEGER_FIELDS) + ['version_name', 'version_desc', 'pool_id', 'flavor_code']
huge_numbers = st.integers(min_value=-10 ** 400, max_value=10 ** 400)
random_version = st.one_of(
    # A plausible version with any field of any JSON type, huge numbers included.
    st.fixed_dictionaries({'version_id': st.one_of(st.integers(), json_scalars)},
                          optional=dict((name, st.one_of(json_values, huge_numbers)) for name in version_field_names
                                        if name != 'version_id')),
    st.fixed_dictionaries(dict((name, json_scalars) for name in version_field_names)),
    json_values,
)
random_body = st.one_of(
    json_values,
    st.fixed_dictionaries({'is_success': st.one_of(st.just(True), json_scalars), 'total_count': json_values,
                           'versions': st.one_of(st.lists(random_version, min_size=1, max_size=5), json_values)}),
)


@PROPERTY_SETTINGS
@given(random_body)
def test_random_bodies_give_a_clear_error_or_a_correct_result(body):
    try:
        versions, total = _versions.parse_page(body, '/v1/p/training-jobs/versions')
    except ModelArtsError as exc:
        assert str(exc).startswith('GET /v1/p/training-jobs/versions answered')
        return
    assert total is None or isinstance(total, int)
    for version in versions:
        for field in _versions.INTEGER_FIELDS:
            assert version.get(field) is None or (isinstance(version[field], int) and not isinstance(version[field], bool))
    summary = _versions.summarize(versions)
    assert summary['versions'] == len(versions)
    assert sum(bucket['versions'] for bucket in summary['by_status'].values()) == len(versions)
    enriched = _versions.enrich(versions)
    json.dumps(enriched)  # plain data, as a module result must be
    for sort_by in _versions.SORT_FIELDS:
        _versions.sort_versions(list(enriched), sort_by, 'desc')


class FakeResponse(object):
    def __init__(self, status_code, content, headers):
        self.status_code = status_code
        self.content = content
        self.headers = headers


client_answer = st.tuples(
    st.sampled_from([200, 201, 204, 301, 400, 401, 403, 404, 429, 500, 502, 503, 504, 599]),
    st.one_of(st.binary(max_size=40), json_values.map(lambda value: json.dumps(value).encode('utf-8')),
              st.sampled_from([b'<html><title>502 Bad Gateway</title></html>', b'', b'{"is_success": false}',
                               b'{"error": {"code": 401, "message": "m", "title": "Unauthorized"}}',
                               b'{"is_success": false, "error_code": "ModelArts.0010", "error_msg": "x"}'])),
    st.dictionaries(st.sampled_from(['Retry-After', 'Content-Type']),
                    st.sampled_from(['1', '0', '99999', 'soon', 'Wed, 21 Oct 2015 07:28:00 GMT', '']), max_size=2),
)


@PROPERTY_SETTINGS
@given(client_answer, st.sampled_from(['GET', 'POST']))
def test_random_http_answers_give_data_a_clear_error_or_a_retry(answer, method):
    status, content, headers = answer
    client = _client.ApiClient(ConnectionSettings({'token': 'secret-token', 'project_id': PROJECT_ID, 'region': 'eu-de'}))
    try:
        data = client._parse(method, '/v1/p/training-jobs/versions', FakeResponse(status, content, headers))
    except _client._RetryableAnswer as retry:
        assert isinstance(retry.error, ModelArtsError)
        assert retry.delay is None or 0 <= retry.delay <= _client.RETRY_AFTER_CAP_SECONDS
        assert 'HTTP %d' % status in str(retry.error) or 'not JSON' in str(retry.error)
    except ModelArtsError as exc:
        assert str(exc).startswith('%s /v1/p/training-jobs/versions' % method)
        assert exc.status == status
    else:
        assert status < 300
        assert data == (json.loads(content) if content else None)
    finally:
        client.close()


@PROPERTY_SETTINGS
@given(st.integers(min_value=0, max_value=64))
def test_backoff_grows_is_capped_and_jittered(attempt):
    delay = _client.backoff_delay(attempt)
    ceiling = min(_client.BACKOFF_CAP_SECONDS, _client.BACKOFF_BASE_SECONDS * 2 ** attempt)
    assert ceiling / 2.0 <= delay <= ceiling


@PROPERTY_SETTINGS
@given(st.one_of(st.none(), st.text(max_size=40), st.integers(min_value=0, max_value=10 ** 9).map(str)))
def test_any_retry_after_header_gives_a_bounded_delay_or_none(value):
    delay = _client.retry_after_seconds(value)
    assert delay is None or 0 <= delay <= _client.RETRY_AFTER_CAP_SECONDS


any_type_versions = st.lists(st.fixed_dictionaries(
    {'version_id': st.integers(min_value=0, max_value=50)},
    optional=dict((name, st.one_of(json_values, huge_numbers)) for name in version_field_names if name != 'version_id')),
    min_size=2, max_size=6)


@PROPERTY_SETTINGS
@given(any_type_versions, st.sampled_from(sorted(_versions.SORT_FIELDS)), st.sampled_from(_versions.ORDERS))
def test_version_fields_of_any_type_give_a_clear_error_or_a_sortable_summable_result(versions, sort_by, order):
    try:
        parsed, dummy = _versions.parse_page({'versions': versions}, '/v1/p/training-jobs/versions')
    except ModelArtsError as exc:
        assert str(exc).startswith('GET /v1/p/training-jobs/versions answered versions[')
        return
    _versions.sort_versions(parsed, sort_by, order)
    assert _versions.summarize(parsed)['versions'] == len(parsed)
    json.dumps(_versions.enrich(parsed))


class OffsetBlindApi(FakeApi):
    """A server that ignores offset and claims a total_count of its own: every page is the first one."""

    def __init__(self, versions, claimed_total):
        super(OffsetBlindApi, self).__init__(versions, 'records')
        self.claimed_total = claimed_total

    def get(self, path, query_pairs, decode=None):
        assert len(self.calls) < 50, 'runaway paging: %d requests' % len(self.calls)
        answer = super(OffsetBlindApi, self).get(path, [(key, value) for key, value in query_pairs if key != 'offset'])
        answer['total_count'] = self.claimed_total
        return decode(answer) if decode is not None else answer


@PROPERTY_SETTINGS
@given(st.integers(min_value=1, max_value=10), st.integers(min_value=0, max_value=10 ** 12),
       st.sampled_from(_versions.OFFSET_UNITS))
def test_a_server_ignoring_offset_ends_in_a_few_requests_with_a_warning(page_size, extra_claimed, unit):
    versions = [dict(version_id=i, status=8, create_time=i) for i in range(3 * page_size)]
    api = OffsetBlindApi(versions, len(versions) + extra_claimed)
    listing = _versions.list_versions(api, _versions.Query({'page_size': page_size, 'offset_unit': unit, 'training_api': 'v1'}))
    assert len(api.calls) <= 6
    assert listing.complete is False
    assert any('(short answer); the result is incomplete' in warning for warning in listing.warnings)
