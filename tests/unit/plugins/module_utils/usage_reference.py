# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A reference model of design.md's "Usage accounting", written apart from the plugins' code, for the tests to check it.

Plain Python, no import of the collection: the unit tests (hypothesis) and the report's integration test use it.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import math
from fractions import Fraction

HOUR = 3600 * 1000
# The bounds the collection promises, written out again: accelerators per version, and 9999-12-31T23:59:59.999Z.
MAX_ACCELERATORS = 1000000
LATEST_MS = 253402300799999

# design.md's active group, written out again so that the model does not take the plugin's table on trust.
ACTIVE = frozenset((1, 2, 4, 7, 8, 9, 15, 18, 19))
GROUP = dict([(code, 'active') for code in ACTIVE] + [(code, 'succeeded') for code in (10, 20)]
             + [(code, 'failed') for code in (3, 5, 6, 11, 14, 16, 17, 21)] + [(code, 'canceled') for code in (12, 13)]
             + [(0, 'unknown')])


def time_field(version, name):
    """The model's reading of a time: a positive integer (or digits) is a time, anything else is none."""
    value = version.get(name)
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        value = int(value) if value.isdigit() else 0
    return value if 0 < value <= LATEST_MS else None


def count_field(version, name):
    """The model's reading of gpu_num/npu_num: absent is 0; a whole number from 0 to MAX_ACCELERATORS (digits as
    text too) is itself; anything else (a bool, negative, fractional, too large, other text) is None, unknown."""
    value = version.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = int(value.strip()) if value.strip().isdigit() and value.strip().isascii() else None
    elif isinstance(value, float):
        value = int(value) if value.is_integer() else None
    elif not isinstance(value, int):
        value = None
    return value if value is not None and 0 <= value <= MAX_ACCELERATORS else None


def known(count):
    return count or 0


def counts_unknown(version):
    return count_field(version, 'gpu_num') is None or count_field(version, 'npu_num') is None


def group_of(version):
    status = version.get('status')
    if isinstance(status, str) and status.isdigit():
        status = int(status)
    return GROUP.get(status, 'unknown')


def held_interval(version, until):
    """[start, end) during which the version holds its accelerators, or None."""
    start = time_field(version, 'start_time')
    if start is None:
        return None
    end = time_field(version, 'end_time')
    if end is None:
        if group_of(version) != 'active':
            return None
        end = until
    return start, end


def reference_usage(versions, since, until):
    """design.md's definitions, computed with exact fractions of an hour."""
    hours = {'gpu': Fraction(0), 'npu': Fraction(0)}
    holders = 0
    unknown = 0
    tables = {'by_pool': {}, 'by_flavor': {}, 'by_status_group': {}}
    for version in versions:
        interval = held_interval(version, until)
        gpus, npus = known(count_field(version, 'gpu_num')), known(count_field(version, 'npu_num'))
        if interval is None:
            continue
        overlap = min(interval[1], until) - max(interval[0], since)
        if overlap <= 0:
            continue
        unknown += counts_unknown(version)
        if not (gpus or npus):
            continue
        share = Fraction(overlap, HOUR)
        hours['gpu'] += gpus * share
        hours['npu'] += npus * share
        holders += 1
        keys = {'by_pool': version.get('pool_id') or 'none', 'by_flavor': version.get('flavor_code') or 'none',
                'by_status_group': group_of(version)}
        for table, key in keys.items():
            row = tables[table].setdefault(key, [Fraction(0), Fraction(0), 0])
            row[0] += gpus * share
            row[1] += npus * share
            row[2] += 1
    waiting = [v for v in versions if time_field(v, 'start_time') is None and group_of(v) == 'active'
               and time_field(v, 'create_time') is not None and time_field(v, 'create_time') <= until]
    started = [v for v in versions if time_field(v, 'start_time') is not None
               and since <= time_field(v, 'start_time') <= until]
    waits = sorted(max(0, time_field(v, 'start_time') - time_field(v, 'create_time')) for v in started
                   if time_field(v, 'create_time') is not None)

    def percentile(p):
        return waits[int(math.ceil(p / 100.0 * len(waits))) - 1] / 1000.0 if waits else None

    oldest = min([time_field(v, 'create_time') for v in waiting], default=None)
    return dict(
        gpu_hours=hours['gpu'], npu_hours=hours['npu'], versions=holders, tables=tables,
        accelerators_unknown=unknown + sum(counts_unknown(v) for v in waiting),
        queue=dict(waiting=len(waiting), waiting_gpu_num=sum(known(count_field(v, 'gpu_num')) for v in waiting),
                   waiting_npu_num=sum(known(count_field(v, 'npu_num')) for v in waiting),
                   longest_wait_seconds=None if oldest is None else (until - oldest) / 1000.0,
                   started=len(started), wait_seconds_p50=percentile(50), wait_seconds_p95=percentile(95)))
