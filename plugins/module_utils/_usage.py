# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Usage accounting: accelerator-hours of versions in a time window, and the queue (design.md, "Usage accounting").

Private to the collection: the leading underscore means no compatibility promise.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import calendar
import datetime
import re
import time

from ansible_collections.mlops.modelarts.plugins.module_utils._counts import note_unknown, record_accelerators
from ansible_collections.mlops.modelarts.plugins.module_utils._errors import OptionError
from ansible_collections.mlops.modelarts.plugins.module_utils._statuses import GROUP_OF_STATUS

MILLIS_PER_HOUR = 3600 * 1000.0
AGE_UNITS_MS = {'m': 60 * 1000, 'h': 3600 * 1000, 'd': 86400 * 1000, 'w': 7 * 86400 * 1000}
# 9999-12-31T23:59:59.999Z: the last instant an ISO 8601 date of four digits can name.
LATEST_MS = 253402300799999
ACCEPTED_TIME_FORMS = (
    'an ISO 8601 date or date-time (2026-11-01, 2026-11-01T08:30:00Z, 2026-11-01T09:30:00+01:00; UTC unless an '
    'offset is given), epoch milliseconds (1761985800000), an age before now (90m, 12h, 30d, 2w) or now')
_ISO = re.compile(
    r'^(\d{4})-(\d{2})-(\d{2})'
    r'(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(?:([Zz])|([+-])(\d{2}):?(\d{2})?)?)?$')
_AGE = re.compile(r'^(\d+)\s*([mhdwMHDW])$')


# The dates of the days iso_from_millis() met last: versions of one answer share few days, and strftime() per
# timestamp cost more than the rest of enrich(). Bounded (cleared when full), whatever timestamps a server sends.
_DAY_TEXTS = {}
_DAY_TEXTS_MAX = 4096
_FIRST_SECOND, _LAST_SECOND = -62135596800, 253402300799  # 0001-01-01T00:00:00 and 9999-12-31T23:59:59 UTC


def iso_from_millis(milliseconds):
    """Give back epoch milliseconds as ISO 8601 UTC with milliseconds ('2026-01-01T00:00:00.000Z'), None for 0/None."""
    if not milliseconds:
        return None
    seconds, millis = divmod(milliseconds, 1000)
    try:
        if seconds.__class__ is not int or not _FIRST_SECOND <= seconds <= _LAST_SECOND:
            # A float, or beyond the years 1 to 9999: as time.gmtime() reads it, or None.
            return time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime(seconds)) + '.%03dZ' % millis
        day, second_of_day = divmod(seconds, 86400)  # UTC days have 86,400 seconds (epoch time has no leap seconds)
        date = _DAY_TEXTS.get(day)
        if date is None:
            date = time.strftime('%Y-%m-%d', time.gmtime(day * 86400))
            if len(_DAY_TEXTS) >= _DAY_TEXTS_MAX:
                _DAY_TEXTS.clear()
            _DAY_TEXTS[day] = date
    except (ValueError, OverflowError, OSError):
        return None
    hour, second_of_hour = divmod(second_of_day, 3600)
    minute, second = divmod(second_of_hour, 60)
    return '%sT%02d:%02d:%02d.%03dZ' % (date, hour, minute, second, millis)


def _iso_to_millis(match):
    year, month, day, hour, minute, second, fraction, zulu, sign, offset_hours, offset_minutes = match.groups()
    moment = datetime.datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
    millis = calendar.timegm(moment.timetuple()) * 1000 + int(((fraction or '') + '000')[:3])
    if sign and not zulu:
        offset = int(offset_hours) * 60 + int(offset_minutes or 0)
        if int(offset_hours) > 23 or int(offset_minutes or 0) > 59:
            raise ValueError('offset out of range')
        # 09:30+01:00 is 08:30 UTC.
        millis -= (offset if sign == '+' else -offset) * 60 * 1000
    return millis


def parse_time(name, value, now_ms):
    """Give back the epoch milliseconds that one time option's value names, or raise OptionError naming `name`."""
    if isinstance(value, bool) or value is None:
        raise OptionError('%s: %r is not a time; accepted are %s' % (name, value, ACCEPTED_TIME_FORMS))
    if isinstance(value, int):
        text = str(value)
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))  # epoch milliseconds computed in a template
    elif isinstance(value, datetime.datetime):
        # A YAML timestamp that reached us unquoted: naive means UTC, as for the text form.
        text = value.isoformat()
    elif isinstance(value, datetime.date):
        text = value.isoformat()
    else:
        text = str(value).strip()
    millis = None
    try:
        if text.isdigit():
            millis = int(text)
        elif text.lower() == 'now':
            millis = now_ms
        elif _AGE.match(text):
            amount, unit = _AGE.match(text).groups()
            millis = now_ms - int(amount) * AGE_UNITS_MS[unit.lower()]
        elif _ISO.match(text):
            millis = _iso_to_millis(_ISO.match(text))
    except (ValueError, OverflowError):
        millis = None
    if millis is None or not 0 <= millis <= LATEST_MS:
        raise OptionError('%s: %r is not a time; accepted are %s' % (name, value, ACCEPTED_TIME_FORMS))
    return millis


def now_millis():
    """Give back the current time in epoch milliseconds."""
    return int(time.time() * 1000)


class UsageWindow(object):
    """The validated usage_since/usage_until options; ages are resolved against the clock when usage is computed."""

    def __init__(self, since, until=None, since_name='usage_since', until_name='usage_until'):
        self.since = since
        self.until = until
        self.since_name = since_name
        self.until_name = until_name
        self.resolve()  # every check happens now, before any request

    def resolve(self, now_ms=None):
        """Give back (since_ms, until_ms) at `now_ms` (default: now); raise OptionError for an unusable window."""
        now_ms = now_millis() if now_ms is None else now_ms
        since_ms = parse_time(self.since_name, self.since, now_ms)
        until_ms = now_ms if _absent(self.until) else parse_time(self.until_name, self.until, now_ms)
        if since_ms >= until_ms:
            raise OptionError('%s (%s) must be before %s (%s)' % (
                self.since_name, iso_from_millis(since_ms) or self.since, self.until_name,
                iso_from_millis(until_ms) or self.until))
        return since_ms, until_ms

    def usage(self, versions, now_ms=None, unknown=None):
        """Give back the gpu_usage dict of `versions` in this window at `now_ms` (default: now)."""
        since_ms, until_ms = self.resolve(now_ms)
        return gpu_usage(versions, since_ms, until_ms, unknown)


def _absent(value):
    return value is None or (isinstance(value, str) and not value.strip())


def usage_window_option(params):
    """Give back the UsageWindow of a query's usage_since/usage_until options, None without usage_since."""
    since = params.get('usage_since')
    until = params.get('usage_until')
    if _absent(since):
        if not _absent(until):
            raise OptionError('usage_until needs usage_since (the start of the window); accepted for both are %s'
                              % ACCEPTED_TIME_FORMS)
        return None
    return UsageWindow(since, until)


def version_millis(value):
    """Give back a version's time field as epoch milliseconds, None when absent, 0 or unreadable.

    Unreadable includes beyond 9999-12-31 (10**400 is valid JSON): no later arithmetic on it can overflow a float.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip()
        if not value.isdigit():
            return None
    try:
        value = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return value if 0 < value <= LATEST_MS else None


def _status_code(value):
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return value


def nearest_rank(values, percent):
    """Give back the nearest-rank percentile of a non-empty sorted list: the ceil(percent/100 * n)-th value."""
    rank = -(-percent * len(values) // 100)
    return values[max(1, rank) - 1]


def _hours(milliseconds):
    return round(milliseconds / MILLIS_PER_HOUR, 3)


def _seconds(milliseconds):
    return round(milliseconds / 1000.0, 3)


def gpu_usage(versions, since_ms, until_ms, unknown=None):
    """Give back the gpu_usage dict (hours per pool, flavor and status group, and the queue) of versions in a window.

    A version holds gpu_num GPUs and npu_num NPUs from start_time to end_time; without end_time it holds them up to
    `until_ms` while its status is in the active group, and not at all otherwise; without start_time not at all.
    Hours are summed in milliseconds and rounded once, at the end, to 3 decimals. A count accelerator_count() finds
    invalid (or a v2 record's null: its flavor's accelerators unknown) adds no hours and nothing to the queue; the
    versions that held time in the window or wait with one are
    counted in accelerators_unknown (and collected by `unknown`, an UnknownAccelerators, for a warning).
    """
    totals = {'gpu_ms': 0, 'npu_ms': 0, 'versions': 0}
    tables = {'by_pool': {}, 'by_flavor': {}, 'by_status_group': {}}
    waiting = []
    waits = []
    started_in_window = 0
    unknown_rows = []  # (version_id, gpu_num, npu_num, gpu count, npu count) of versions that counted with a None
    for version in versions:
        group = GROUP_OF_STATUS.get(_status_code(version.get('status')), 'unknown')
        gpu_num, npu_num = version.get('gpu_num'), version.get('npu_num')
        api_version = version.get('api_version')
        gpus, npus = record_accelerators(gpu_num, npu_num, api_version)
        unknown_row = None if gpus is not None and npus is not None else (
            version.get('version_id'), gpu_num, npu_num, gpus, npus, api_version, version.get('flavor_code'))
        gpus, npus = gpus or 0, npus or 0
        created = version_millis(version.get('create_time'))
        started = version_millis(version.get('start_time'))
        ended = version_millis(version.get('end_time'))
        if started is None:
            if group == 'active' and created is not None and created <= until_ms:
                waiting.append((created, gpus, npus))
                if unknown_row:
                    unknown_rows.append(unknown_row)
            continue
        if since_ms <= started <= until_ms:
            started_in_window += 1
            if created is not None:
                waits.append(max(0, started - created))
        if ended is None:
            ended = until_ms if group == 'active' else started
        overlap = min(ended, until_ms) - max(started, since_ms)
        if overlap <= 0:
            continue
        if unknown_row:
            unknown_rows.append(unknown_row)
        if not (gpus or npus):
            continue
        for total in [totals] + [
                _table_bucket(tables['by_pool'], version.get('pool_id')),
                _table_bucket(tables['by_flavor'], version.get('flavor_code')),
                _table_bucket(tables['by_status_group'], group)]:
            total['gpu_ms'] += gpus * overlap
            total['npu_ms'] += npus * overlap
            total['versions'] += 1
    if unknown is not None:
        for row in unknown_rows:
            note_unknown(unknown, *row)
    waits.sort()
    return {
        'since': iso_from_millis(since_ms),
        'until': iso_from_millis(until_ms),
        'gpu_hours': _hours(totals['gpu_ms']),
        'npu_hours': _hours(totals['npu_ms']),
        'versions': totals['versions'],
        'accelerators_unknown': len(unknown_rows),
        'by_pool': _finish(tables['by_pool']),
        'by_flavor': _finish(tables['by_flavor']),
        'by_status_group': _finish(tables['by_status_group']),
        'queue': {
            'waiting': len(waiting),
            'waiting_gpu_num': sum(item[1] for item in waiting),
            'waiting_npu_num': sum(item[2] for item in waiting),
            'longest_wait_seconds': _seconds(max(0, until_ms - min(item[0] for item in waiting))) if waiting else None,
            'started': started_in_window,
            'wait_seconds_p50': _seconds(nearest_rank(waits, 50)) if waits else None,
            'wait_seconds_p95': _seconds(nearest_rank(waits, 95)) if waits else None,
        },
    }


def _table_bucket(table, key):
    key = 'none' if key is None or key == '' else str(key)
    bucket = table.get(key)
    if bucket is None:
        bucket = table[key] = {'gpu_ms': 0, 'npu_ms': 0, 'versions': 0}
    return bucket


def _finish(table):
    return dict((key, {'gpu_hours': _hours(bucket['gpu_ms']), 'npu_hours': _hours(bucket['npu_ms']),
                       'versions': bucket['versions']}) for key, bucket in table.items())
