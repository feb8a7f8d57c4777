# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Hostile accelerator counts and times (10**400 is valid JSON) in the summary, folding and usage: unknown, never summed."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.mlops.modelarts.plugins.module_utils._counts import (
    MAX_ACCELERATORS, UnknownAccelerators, accelerator_count, option_integer, read_number,
)
from ansible_collections.mlops.modelarts.plugins.module_utils._errors import ModelArtsError, OptionError
from ansible_collections.mlops.modelarts.plugins.module_utils._versions import parse_page
from ansible_collections.mlops.modelarts.plugins.module_utils._options import query_result
from ansible_collections.mlops.modelarts.plugins.module_utils._query_client import QueryClient
from ansible_collections.mlops.modelarts.plugins.module_utils._usage import gpu_usage
from ansible_collections.mlops.modelarts.plugins.module_utils._versions import Query, summarize

HOUR = 3600 * 1000
SINCE = 1764547200000  # 2025-12-01T00:00:00Z
UNTIL = SINCE + 24 * HOUR
# What a server or a hand-written versions list may carry where a count belongs.
HOSTILE_COUNTS = [10 ** 400, -3, 2.5, True, False, 'eight', '-3', float('inf'), float('nan'), MAX_ACCELERATORS + 1, [8]]
HOSTILE_IDS = ['10**400', '-3', '2.5', 'True', 'False', 'text', 'negative-text', 'inf', 'nan', 'above-bound', 'list']


def version(version_id, **fields):
    """A version running through the whole window with 8 GPUs, unless `fields` say otherwise."""
    return dict(dict(version_id=version_id, status=8, gpu_num=8, npu_num=0, pool_id='pool-a',
                     flavor_code='modelarts.p3.large.8', create_time=SINCE - 2 * HOUR, start_time=SINCE), **fields)


@pytest.mark.parametrize('count', HOSTILE_COUNTS, ids=HOSTILE_IDS)
def test_a_hostile_count_is_unknown_in_the_summary_and_never_summed(count):
    unknown = UnknownAccelerators()
    summary = summarize([version(1), version(2, gpu_num=count, npu_num=1)], unknown)
    assert (summary['versions'], summary['gpu_num'], summary['active_gpu_num'], summary['npu_num'],
            summary['active_npu_num'], summary['accelerators_unknown']) == (2, 8, 8, 1, 1, 1)
    assert summary['by_status']['running'] == summary['by_pool']['pool-a'] == {'versions': 2, 'gpu_num': 8, 'npu_num': 1}
    assert unknown.warning('gpu_summary').startswith('gpu_summary: 1 version carries a gpu_num or npu_num that is not '
                                                     'a whole number from 0 to 1000000 (version_id 2: gpu_num=')


def test_a_negative_count_no_longer_lowers_active_gpus():
    summary = summarize([version(1), version(2, gpu_num=-3)])
    assert (summary['active_gpu_num'], summary['accelerators_unknown']) == (8, 1)


@pytest.mark.parametrize('count, expected', [(4, 4), ('4', 4), (' 4 ', 4), (4.0, 4), (None, 0), ('', 0), (0, 0),
                                             (MAX_ACCELERATORS, MAX_ACCELERATORS)])
def test_counts_as_digits_whole_floats_or_absent_keep_their_meaning(count, expected):
    assert accelerator_count(count) == expected
    summary = summarize([version(1, gpu_num=count)])
    assert (summary['gpu_num'], summary['accelerators_unknown']) == (expected, 0)


def test_the_warning_gives_10_to_the_400_by_its_size_and_names_three_versions_at_most():
    unknown = UnknownAccelerators()
    summary = summarize([version(index, gpu_num=10 ** 400) for index in range(1, 6)], unknown)
    warning = unknown.warning('gpu_summary')
    assert summary['accelerators_unknown'] == 5
    assert warning.count('gpu_num=an integer of about 401 digits') == 3 and '; ...)' in warning
    assert len(warning) < 400


class OnePageApi(QueryClient):
    """A server answering every request with the same versions."""

    project_id = '0a1b2c3d4e5f60718293a4b5c6d7e8f9'
    requests_sent = 0

    def __init__(self, versions):
        QueryClient.__init__(self)
        self.versions = versions

    def get(self, path, query_pairs, decode=None):
        answer = dict(total_count=len(self.versions), versions=[dict(v) for v in self.versions])
        return decode(answer) if decode is not None else answer


@pytest.mark.parametrize('params', [dict(usage_since=str(SINCE), usage_until=str(UNTIL)),
                                    dict(include_versions=False, page_size=10)], ids=['with-usage', 'folded'])
def test_a_query_warns_once_and_counts_unknown_whether_folded_or_not(params):
    api = OnePageApi([version(1), version(2, gpu_num=10 ** 400), version(3, gpu_num=-3)])
    result, warnings = query_result(api, Query(dict(params, training_api='v1')))
    summary = result['gpu_summary']
    assert (summary['gpu_num'], summary['active_gpu_num'], summary['accelerators_unknown']) == (8, 8, 2)
    unknown_warnings = [w for w in warnings if 'accelerators_unknown' in w]
    assert len(unknown_warnings) == 1 and 'version_id 3: gpu_num=-3' in unknown_warnings[0]
    if 'gpu_usage' in result:
        assert (result['gpu_usage']['gpu_hours'], result['gpu_usage']['accelerators_unknown']) == (192.0, 2)


@pytest.mark.parametrize('count', HOSTILE_COUNTS, ids=HOSTILE_IDS)
def test_a_hostile_count_adds_no_hours_and_nothing_to_the_queue(count):
    unknown = UnknownAccelerators()
    usage = gpu_usage([version(1), version(2, gpu_num=count, npu_num=1),
                       version(3, gpu_num=count, start_time=0, create_time=UNTIL - HOUR)], SINCE, UNTIL, unknown)
    assert (usage['gpu_hours'], usage['npu_hours'], usage['versions'], usage['accelerators_unknown']) == (
        192.0, 24.0, 2, 2)
    assert (usage['queue']['waiting'], usage['queue']['waiting_gpu_num']) == (1, 0)
    assert usage['by_pool']['pool-a'] == {'gpu_hours': 192.0, 'npu_hours': 24.0, 'versions': 2}
    assert unknown.count == 2


@pytest.mark.parametrize('field', ['create_time', 'start_time', 'end_time'])
@pytest.mark.parametrize('moment', [10 ** 400, -3, 253402300800000], ids=['10**400', '-3', 'year-10000'])
def test_a_time_no_clock_can_show_is_read_as_absent(field, moment):
    usage = gpu_usage([version(1, **{field: moment})], SINCE, UNTIL)
    # A running version without a readable end holds its GPUs to the end of the window; without a start, none.
    assert usage['gpu_hours'] == (0.0 if field == 'start_time' else 192.0)


# -- one reader of numbers from outside (read_number), one check of integer options (option_integer)

@pytest.mark.parametrize('value', [True, None, float('nan'), float('inf'), '1e400', 'nan', '', ' ', 'eight',
                                   u'\u0661\u0662', '9' * 5000, [8], {'n': 8}],
                         ids=['bool', 'None', 'nan', 'inf', '1e400-text', 'nan-text', 'empty', 'blank', 'word',
                              'arabic-indic-digits', '5000-digits', 'list', 'dict'])
def test_what_is_no_number_is_read_as_none(value):
    assert read_number(value, whole=False) is None and read_number(value) is None


@pytest.mark.parametrize('value, whole, expected', [
    (10 ** 400, True, 10 ** 400), (-3, True, -3), (4.0, True, 4.0), (4.5, True, None), (4.5, False, 4.5),
    (' 12 ', True, 12), ('-12345678901234567890', False, -12345678901234567890), ('-3', True, None),
    ('+5', False, 5), ('1.5', False, 1.5), ('1.5', True, None), ('2e3', False, 2000.0),
])
def test_numbers_and_their_text_are_read_exactly(value, whole, expected):
    number = read_number(value, whole)
    assert number == expected and type(number) is type(expected)


def test_a_count_in_digits_other_than_ascii_is_not_a_number_from_the_api():
    # int() reads Arabic-Indic digits; the API sends ASCII digits, and every other reader refused them already.
    with pytest.raises(ModelArtsError, match=r'versions\[0\]\.gpu_num'):
        parse_page({'versions': [{'version_id': 1, 'gpu_num': u'\u0661\u0662'}]}, '/v1/p/training-jobs/versions')


def test_a_long_negative_integer_as_text_from_the_api_is_read_exactly():
    versions, total = parse_page({'total_count': '-12345678901234567890', 'versions': []}, '/v1/p/training-jobs/versions')
    assert total == -12345678901234567890


@pytest.mark.parametrize('value', [float('inf'), float('-inf')], ids=['inf', '-inf'])
def test_an_infinite_integer_option_is_an_option_error(value):
    with pytest.raises(OptionError, match='^limit must be an integer, 0 or greater; got'):
        option_integer('limit', value)


def test_an_integer_option_error_names_the_least_value_allowed():
    with pytest.raises(OptionError, match="^wait_sleep must be an integer, 1 or greater; got 'soon'"):
        option_integer('wait_sleep', 'soon', minimum=1)
    with pytest.raises(OptionError, match='^wait_sleep must be 1 or greater; got 0'):
        option_integer('wait_sleep', 0, minimum=1)
    assert option_integer('wait_sleep', None, minimum=1) is None and option_integer('offset', None, default=0) == 0
