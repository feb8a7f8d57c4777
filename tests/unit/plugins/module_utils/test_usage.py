# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""gpu_usage against a reference model of design.md's "Usage accounting", and the usage_since/usage_until options."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

from ansible_collections.mlops.modelarts.plugins.module_utils._errors import OptionError
import time

from ansible_collections.mlops.modelarts.plugins.module_utils import _usage
from ansible_collections.mlops.modelarts.plugins.module_utils._usage import UsageWindow, gpu_usage, iso_from_millis, parse_time
from ansible_collections.mlops.modelarts.plugins.module_utils._versions import Query
from usage_reference import HOUR, reference_usage

SINCE = 1764547200000  # 2025-12-01T00:00:00Z
UNTIL = SINCE + 24 * HOUR
NOW = 1767225600000  # 2026-01-01T00:00:00Z


def assert_hours(got, expected):
    assert abs(Fraction(got).limit_denominator(10 ** 6) - expected) <= Fraction(1, 1000), (got, float(expected))


def assert_matches_model(versions, since=SINCE, until=UNTIL):
    usage = gpu_usage(versions, since, until)
    model = reference_usage(versions, since, until)
    assert_hours(usage['gpu_hours'], model['gpu_hours'])
    assert_hours(usage['npu_hours'], model['npu_hours'])
    assert usage['versions'] == model['versions']
    for table in ('by_pool', 'by_flavor', 'by_status_group'):
        assert set(usage[table]) == set(model['tables'][table])
        for key, (gpu_hours, npu_hours, count) in model['tables'][table].items():
            assert_hours(usage[table][key]['gpu_hours'], gpu_hours)
            assert_hours(usage[table][key]['npu_hours'], npu_hours)
            assert usage[table][key]['versions'] == count
    assert usage['queue'] == model['queue']
    assert usage['accelerators_unknown'] == model['accelerators_unknown']
    return usage


# Times around the window's edges, so that straddling, before, after and inside all come up.
EDGE_TIMES = st.one_of(
    st.integers(SINCE - 48 * HOUR, UNTIL + 48 * HOUR),
    st.sampled_from([SINCE, UNTIL, SINCE - 1, SINCE + 1, UNTIL - 1, UNTIL + 1]),
)
ABSENT_TIME = st.sampled_from([None, 0, 'missing'])
# Numbers valid JSON can carry and no clock can: before 1970, after the year 9999.
HOSTILE_TIME = st.sampled_from([-5, 10 ** 400, 253402300800000])
TIME = st.one_of(ABSENT_TIME, EDGE_TIMES, HOSTILE_TIME)
# Hostile counts (unknown, never summed) beside the normal ones, digits as text and whole floats included.
HOSTILE_COUNT = st.sampled_from([-1, -3, 'x', True, False, 2.5, 10 ** 400, 1000001, float('inf'), float('nan'), [8]])
COUNT = st.one_of(st.sampled_from([None, 'missing', 0, '', '4', ' 7 ', 8.0]), st.integers(0, 16), HOSTILE_COUNT)


@st.composite
def version_records(draw):
    version = {}
    fields = dict(
        status=draw(st.one_of(st.integers(0, 21), st.sampled_from([None, 'missing', '8', 99]))),
        create_time=draw(TIME), start_time=draw(TIME), end_time=draw(TIME),
        gpu_num=draw(COUNT), npu_num=draw(COUNT),
        pool_id=draw(st.sampled_from([None, '', 'missing', 'pool-gpu-a', 'pool-npu-b'])),
        flavor_code=draw(st.sampled_from([None, 'missing', 'modelarts.p3.large.8', 'modelarts.kat1.xlarge'])),
    )
    for name, value in fields.items():
        if value != 'missing':
            version[name] = value
    return version


@settings(max_examples=300, deadline=None)
@given(st.lists(version_records(), max_size=25))
def test_usage_matches_the_reference_model(versions):
    assert_matches_model(versions)


def running(**fields):
    return dict(dict(status=8, create_time=SINCE - 2 * HOUR, start_time=SINCE + HOUR, gpu_num=8, npu_num=0,
                     pool_id='pool-gpu-a', flavor_code='modelarts.p3.large.8'), **fields)


def test_a_version_straddling_the_start_counts_from_the_start():
    usage = assert_matches_model([running(start_time=SINCE - 5 * HOUR, end_time=SINCE + 3 * HOUR, status=10)])
    assert usage['gpu_hours'] == 24.0


def test_a_version_straddling_the_end_counts_up_to_the_end():
    usage = assert_matches_model([running(start_time=UNTIL - 2 * HOUR, end_time=UNTIL + 7 * HOUR, status=10)])
    assert usage['gpu_hours'] == 16.0


def test_a_running_version_without_end_holds_until_the_end_of_the_window():
    usage = assert_matches_model([running(start_time=SINCE + 20 * HOUR)])
    assert (usage['gpu_hours'], usage['by_status_group']['active']['gpu_hours']) == (32.0, 32.0)


def test_versions_ended_before_or_started_after_the_window_hold_nothing():
    usage = assert_matches_model([running(start_time=SINCE - 9 * HOUR, end_time=SINCE - HOUR, status=10),
                                  running(start_time=UNTIL + HOUR)])
    assert (usage['gpu_hours'], usage['versions'], usage['by_pool']) == (0.0, 0, {})


def test_a_version_without_accelerators_is_not_counted():
    usage = assert_matches_model([running(gpu_num=0, npu_num=0, flavor_code='modelarts.vm.cpu.8u')])
    assert (usage['versions'], usage['by_flavor']) == (0, {})


def test_a_finished_version_without_end_time_holds_nothing():
    usage = assert_matches_model([running(status=11), running(status=12), running(status=0)])
    assert usage['gpu_hours'] == 0.0


def test_missing_and_null_fields_count_as_absent():
    usage = assert_matches_model([{'status': 8, 'start_time': SINCE, 'gpu_num': None, 'npu_num': 2},
                                  {'status': 8, 'start_time': None, 'create_time': None}, {}])
    assert (usage['npu_hours'], usage['by_pool'], usage['by_flavor']) == (48.0, {'none': {
        'gpu_hours': 0.0, 'npu_hours': 48.0, 'versions': 1}}, {'none': {'gpu_hours': 0.0, 'npu_hours': 48.0, 'versions': 1}})


def test_the_queue_counts_active_versions_not_started_by_the_end_of_the_window():
    versions = [dict(status=7, create_time=UNTIL - 3 * HOUR, gpu_num=4, npu_num=0),
                dict(status=1, create_time=UNTIL - HOUR, gpu_num=0, npu_num=8),
                dict(status=7, create_time=UNTIL + HOUR, gpu_num=8),  # created after the window
                dict(status=13, create_time=SINCE, gpu_num=8)]  # canceled while waiting
    queue = assert_matches_model(versions)['queue']
    assert (queue['waiting'], queue['waiting_gpu_num'], queue['waiting_npu_num'], queue['longest_wait_seconds']) == (
        2, 4, 8, 3 * 3600.0)


def test_waits_are_nearest_rank_percentiles_of_versions_started_in_the_window():
    versions = [running(create_time=SINCE, start_time=SINCE + minutes * 60000) for minutes in range(1, 21)]
    versions.append(running(create_time=SINCE - 10 * HOUR, start_time=SINCE - HOUR))  # started before the window
    queue = assert_matches_model(versions)['queue']
    assert (queue['started'], queue['wait_seconds_p50'], queue['wait_seconds_p95']) == (20, 600.0, 1140.0)


def test_an_empty_queue_has_null_waits():
    queue = gpu_usage([], SINCE, UNTIL)['queue']
    assert (queue['longest_wait_seconds'], queue['wait_seconds_p50'], queue['wait_seconds_p95']) == (None, None, None)


def test_the_window_is_shown_in_iso_utc():
    usage = gpu_usage([], SINCE, UNTIL)
    assert (usage['since'], usage['until']) == ('2025-12-01T00:00:00.000Z', '2025-12-02T00:00:00.000Z')


@pytest.mark.parametrize('text, expected', [
    ('2025-12-01', SINCE),
    ('2025-12-01T00:00', SINCE),
    ('2025-12-01T01:30:00', SINCE + 90 * 60000),
    ('2025-12-01 01:30:00', SINCE + 90 * 60000),
    ('2025-12-01T01:30:00Z', SINCE + 90 * 60000),
    ('2025-12-01T01:30:00.250Z', SINCE + 90 * 60000 + 250),
    ('2025-12-01T02:30:00+01:00', SINCE + 90 * 60000),
    ('2025-12-01T02:30:00+0100', SINCE + 90 * 60000),
    ('2025-11-30T20:30:00-05:00', SINCE + 90 * 60000),
    (' 1764547200000 ', SINCE),
    (1764547200000, SINCE),
])
def test_absolute_times_are_read_as_utc_unless_an_offset_is_given(text, expected):
    assert parse_time('usage_since', text, NOW) == expected


@pytest.mark.parametrize('text, age', [
    ('90m', 90 * 60000), ('12h', 12 * HOUR), ('30d', 30 * 24 * HOUR), ('2w', 14 * 24 * HOUR), ('12H', 12 * HOUR),
    ('0m', 0), ('now', 0),
])
def test_ages_count_back_from_now(text, age):
    assert parse_time('usage_since', text, NOW) == NOW - age


@pytest.mark.parametrize('text', ['yesterday', '', '2025-13-01', '2025-12-32', '2025-12-01T25:00', '12x', '-5d',
                                  '1.5h', '2025-12-01T00:00+25:00', '99999999999999999', True, None])
def test_bad_times_name_the_option_and_the_accepted_forms(text):
    with pytest.raises(OptionError) as caught:
        parse_time('usage_until', text, NOW)
    message = str(caught.value)
    assert message.startswith('usage_until: ')
    for form in ('ISO 8601', 'epoch milliseconds', '30d'):
        assert form in message


def test_the_query_checks_usage_since_before_any_request():
    with pytest.raises(OptionError, match='^usage_since: .*not a time'):
        Query({'usage_since': 'last month'})


def test_usage_until_without_usage_since_is_refused():
    with pytest.raises(OptionError, match='usage_until needs usage_since'):
        Query({'usage_until': '2025-12-01'})


def test_a_window_that_ends_before_it_starts_is_refused():
    with pytest.raises(OptionError, match=r'usage_since \(2025-12-02T00:00:00.000Z\) must be before usage_until'):
        Query({'usage_since': '2025-12-02', 'usage_until': '2025-12-01'})


def test_the_effective_query_shows_the_window_options():
    shown = Query({'usage_since': '30d'}).as_dict()
    assert (shown['usage_since'], shown['usage_until']) == ('30d', None)


def test_without_usage_since_there_is_no_window():
    assert Query({}).usage_window is None


def test_ages_are_resolved_when_the_usage_is_computed():
    window = UsageWindow('12h')
    assert window.resolve(NOW) == (NOW - 12 * HOUR, NOW)


@given(st.integers(-23 * 60, 23 * 60))
def test_an_offset_shifts_the_time_by_exactly_that_much(offset_minutes):
    sign = '+' if offset_minutes >= 0 else '-'
    text = '2025-12-01T12:00:00%s%02d:%02d' % (sign, abs(offset_minutes) // 60, abs(offset_minutes) % 60)
    assert parse_time('usage_since', text, NOW) == SINCE + 12 * HOUR - offset_minutes * 60000


def strftime_iso(milliseconds):
    """The oracle: what iso_from_millis() gave before its per-day cache (one time.strftime() per timestamp)."""
    if not milliseconds:
        return None
    seconds, millis = divmod(milliseconds, 1000)
    try:
        return time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime(seconds)) + '.%03dZ' % millis
    except (ValueError, OverflowError, OSError):
        return None


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.integers(min_value=-62135596800000 - 10 ** 6, max_value=253402300799999 + 10 ** 6),
                 st.integers(), st.floats(allow_nan=False), st.none(), st.booleans(),
                 st.sampled_from([-62135596800000, -62135596800001, 253402300799999, 253402300800000, -1, 1, 999])))
def test_iso_from_millis_gives_what_strftime_gives(milliseconds):
    assert iso_from_millis(milliseconds) == strftime_iso(milliseconds)
    assert iso_from_millis(milliseconds) == strftime_iso(milliseconds)  # again, from the cache of days


def test_iso_from_millis_day_cache_stays_bounded():
    for day in range(_usage._DAY_TEXTS_MAX + 10):
        assert iso_from_millis(day * 86400000 + 1) == strftime_iso(day * 86400000 + 1)
    assert len(_usage._DAY_TEXTS) <= _usage._DAY_TEXTS_MAX
