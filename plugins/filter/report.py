# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Filters behind the gpu_report playbook: gpu_report, gpu_report_csv, gpu_report_prom, svg_bar_chart (see their .yml)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import time
from collections.abc import Mapping, Sequence
from html import escape

from ansible.errors import AnsibleFilterError

from ansible_collections.mlops.modelarts.plugins.module_utils._counts import (
    MAX_ACCELERATORS, accelerator_count, bounded_number, shown_value,
)
from ansible_collections.mlops.modelarts.plugins.module_utils._errors import OptionError
from ansible_collections.mlops.modelarts.plugins.module_utils._statuses import BASE_GROUPS, STATUS_NAMES, status_group
from ansible_collections.mlops.modelarts.plugins.module_utils._usage import (
    LATEST_MS, gpu_usage, nearest_rank, parse_time, version_millis,
)
from ansible_collections.mlops.modelarts.plugins.module_utils._versions import MAX_VERSIONS_RECEIVED, summarize
from ansible_collections.mlops.modelarts.plugins.plugin_utils._csv import csv_text
from ansible_collections.mlops.modelarts.plugins.plugin_utils._kinds import kind_of

GROUP_COLORS = {
    'active': '#2b7bb9',
    'succeeded': '#3a9a4a',
    'failed': '#c8423b',
    'canceled': '#9a8f3a',
    'unknown': '#8c8c8c',
}
DEFAULT_COLOR = '#2b7bb9'
_CODE_OF_NAME = dict((name, code) for code, name in STATUS_NAMES.items())
COUNT_KEYS = ('versions', 'gpu_num', 'npu_num')
SUMMARY_KEYS = ('versions', 'gpu_num', 'npu_num', 'active_gpu_num', 'active_npu_num', 'accelerators_unknown')
# The most a gpu_summary a query made can hold: every version it may receive, each with the most accelerators.
MAX_SUMMARY_NUMBER = MAX_VERSIONS_RECEIVED * MAX_ACCELERATORS
# Above any count or hours a report can hold (MAX_SUMMARY_NUMBER x ten thousand years in hours is about 2e19),
# and far enough below the float range that no sum or scale of a chart's values overflows.
MAX_CHART_VALUE = 1e21


def _group_of_status_name(name):
    code = _CODE_OF_NAME.get(name)
    if code is None and name.startswith('unknown_'):
        try:
            code = int(name[len('unknown_'):])
        except ValueError:
            code = None
    return status_group(code)


def _bucket():
    return dict((key, 0) for key in COUNT_KEYS)


def _add(bucket, counts):
    for key in COUNT_KEYS:
        bucket[key] += int(counts.get(key) or 0)


def _fact(host, name):
    facts = host.get('ansible_facts') or {}
    value = facts.get(name) if isinstance(facts, Mapping) else None
    return value if value is not None else host.get(name)


def _report_fact(host, name):
    """Give back a fact the playbook's set_fact (cacheable) wrote: the host's variable first, then its cached fact.

    ansible-core 2.21 shares one ansible_facts dict between the hosts of a play after a run_once task, so that a
    cacheable set_fact of the last host shows in every host's ansible_facts; the variable set_fact also sets stays
    per host. A run from the fact cache has only the cached fact.
    """
    value = host.get(name)
    return value if value is not None else _fact(host, name)


def _project(host, now, top):
    label = host.get('modelarts_report_label') or host.get('inventory_hostname')
    project = dict(
        name=label,
        host=host.get('inventory_hostname'),
        region=host.get('modelarts_region'),
        project=host.get('modelarts_project_name') or host.get('modelarts_project_id'),
        error=_report_fact(host, 'modelarts_report_error') or None,
        fetched_at=_report_fact(host, 'modelarts_report_fetched_at'),
        has_data=False,
        total_count=0, complete=True,
        versions=0, gpu_num=0, npu_num=0, active_gpu_num=0, active_npu_num=0, accelerators_unknown=0,
        by_group=dict((group, _bucket()) for group in BASE_GROUPS),
        by_status={}, by_flavor={}, by_pool={}, by_api={},
    )
    summary = _fact(host, 'modelarts_gpu_summary')
    if project['error'] or not isinstance(summary, Mapping):
        if not project['error']:
            project['error'] = 'no data: the query did not run for this project (and no cached facts exist)'
        return project, []
    try:
        numbers = _summary_numbers(summary)
    except ValueError as exc:
        project['error'] = str(exc)
        return project, []
    project['has_data'] = True
    project['total_count'] = int(_fact(host, 'modelarts_total_count') or 0)
    query = _fact(host, 'modelarts_query') or {}
    project['complete'] = query.get('complete', True) is not False
    project.update(numbers)
    project['by_api'] = _by_api(host)
    for name, counts in project['by_status'].items():
        _add(project['by_group'][_group_of_status_name(name)], counts)
    fetched = bounded_number(project['fetched_at'], LATEST_MS // 1000, whole=False) if project['fetched_at'] else None
    fetched = now if fetched is None else fetched
    project['fetched_at'] = time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(fetched))
    fetched_ms = fetched * 1000.0
    running = []
    for version in _fact(host, 'modelarts_training_job_versions') or []:
        started = version_millis(version.get('start_time'))
        if status_group(version.get('status')) != 'active' or started is None:
            continue
        running.append(dict(
            project=label,
            api_version=api_of(version),
            version_id=version.get('version_id'),
            version_name=version.get('version_name'),
            status_name=version.get('status_name') or STATUS_NAMES.get(version.get('status')),
            flavor_code=version.get('flavor_code'),
            pool_id=version.get('pool_id'),
            # None when invalid or unknown: shown as unknown, never as a count (the module warned about it already).
            gpu_num=_accelerators_of(version, 'gpu_num'),
            npu_num=_accelerators_of(version, 'npu_num'),
            start_time_iso=version.get('start_time_iso'),
            running_seconds=max(0, int((fetched_ms - started) / 1000)),
        ))
    running.sort(key=lambda item: (-item['running_seconds'], str(item['version_name'])))
    return project, running[:top]


def api_of(version):
    """Give back the training API a record came from: its api_version, 'v1' for records without one (0.2.0's)."""
    return str(version.get('api_version') or 'v1')


def _accelerators_of(version, key):
    """Give back a record's gpu_num or npu_num as a count, or None when invalid or unknown.

    A v2 record says null when its flavor's accelerators could not be found (a dedicated pool): unknown, not 0;
    on v1 an absent count is 0, as it always was (CPU versions omit it).
    """
    if version.get(key) is None and api_of(version) == 'v2':
        return None
    return accelerator_count(version.get(key))


# Which APIs a query with this training_api asked (its records carry these api_version values).
APIS_OF_TRAINING_API = {'all': ('v1', 'v2'), 'v1': ('v1',), 'v2': ('v2',)}
API_KEYS = ('versions', 'gpu_num', 'npu_num', 'active_gpu_num', 'active_npu_num', 'accelerators_unknown')


def _by_api(host):
    """Give back {api: counts} of a host's versions, or {} when its facts hold counts only.

    Every API the query asked is listed (0 when it had no version), so a series of the .prom text does not vanish
    when an API's last job goes; facts of a release before training_api list the APIs their records name.
    """
    query = _fact(host, 'modelarts_query') or {}
    versions = _fact(host, 'modelarts_training_job_versions')
    if query.get('include_versions') is False or isinstance(versions, (str, bytes, Mapping)) \
            or not isinstance(versions, Sequence):
        return {}
    per_api = {}
    for api in APIS_OF_TRAINING_API.get(query.get('training_api'), ()):
        per_api[api] = []
    for version in versions:
        if isinstance(version, Mapping):
            per_api.setdefault(api_of(version), []).append(version)
    by_api = {}
    for api, records in per_api.items():
        summary = summarize([dict(record, gpu_num=_count_for_summary(record, 'gpu_num'),
                                  npu_num=_count_for_summary(record, 'npu_num')) for record in records])
        by_api[api] = dict((key, summary[key]) for key in API_KEYS)
    return by_api


def _count_for_summary(version, key):
    """Give back the record's count as summarize() is to see it: -1 when unknown (a v2 null), else the count.

    summarize() takes -1 for an invalid count: the record is counted in accelerators_unknown and never summed.
    """
    count = _accelerators_of(version, key)
    return -1 if count is None else count


def _summary_numbers(summary):
    """Give back the counts of a gpu_summary fact, checked; raise ValueError naming the first that is not a count.

    A summary this release made always passes; one cached by an older release may hold what a server sent
    (gpu_num 10**400, -3), which would overflow the charts or lower a total.
    """
    def count(value, where):
        number = bounded_number(0 if value is None else value, MAX_SUMMARY_NUMBER)
        if number is None:
            raise ValueError('the gpu_summary fact holds %s=%s, not a whole number from 0 to %d (a fact cached by an '
                             'older release?): query the project again' % (where, shown_value(value), MAX_SUMMARY_NUMBER))
        return number

    numbers = dict((key, count(summary.get(key), key)) for key in SUMMARY_KEYS)
    for table in ('by_status', 'by_flavor', 'by_pool'):
        rows = summary.get(table) or {}
        numbers[table] = dict(
            (str(key), dict((k, count(counts.get(k) if isinstance(counts, Mapping) else None, '%s.%s' % (table, k)))
                            for k in COUNT_KEYS))
            for key, counts in (rows.items() if isinstance(rows, Mapping) else ()))
    return numbers


def fold_project(host, now, top):
    """Give back (project row, its `top` longest-running active versions, wait times in ms, window) of one host.

    What the report keeps of a project: its versions are no longer needed after this (the one-pass query folds each
    project as its answer arrives and keeps only this).
    """
    project, longest = _project(host, now, top)
    waits, window = _add_usage(project, host)
    return project, longest, waits, window


def gpu_report(hosts, now=None, top=10):
    """Give back the report (projects, totals, longest_running) built from the hostvars of each project host."""
    if isinstance(hosts, (str, bytes, Mapping)) or not isinstance(hosts, Sequence):
        raise AnsibleFilterError('mlops.modelarts.gpu_report expects a list of host variable dicts '
                                 "(for example ansible_play_hosts_all | map('extract', hostvars) | list)")
    now = float(now) if now is not None else time.time()
    try:
        top = int(top)
    except (TypeError, ValueError):
        raise AnsibleFilterError('mlops.modelarts.gpu_report: top must be an integer; got %r' % (top,))
    projects = []
    running = []
    usage_versions = []
    for index, host in enumerate(hosts):
        if not isinstance(host, Mapping):
            raise AnsibleFilterError('mlops.modelarts.gpu_report: item %d is %s, not a dict of host variables'
                                     % (index, kind_of(host)))
        # The one-pass query (action gpu_report_query) folded its projects with fold_project() as they arrived.
        folded = host.get('modelarts_report_folded')
        project, longest, waits, window = fold_project(host, now, top) if not isinstance(folded, Mapping) else (
            folded['project'], folded['longest'], folded['waits'], folded['window'])
        usage_versions.append((waits, tuple(window) if window else None))
        projects.append(project)
        running.extend(longest)
    totals = dict(versions=0, gpu_num=0, npu_num=0, active_gpu_num=0, active_npu_num=0, accelerators_unknown=0,
                  projects=len(projects),
                  projects_with_errors=0, by_group=dict((group, _bucket()) for group in BASE_GROUPS), by_flavor={},
                  by_api={})
    for project in projects:
        if project['error']:
            totals['projects_with_errors'] += 1
        for key in SUMMARY_KEYS:
            totals[key] += project[key]
        for group, counts in project['by_group'].items():
            _add(totals['by_group'][group], counts)
        for flavor, counts in project['by_flavor'].items():
            _add(totals['by_flavor'].setdefault(flavor, _bucket()), counts)
        for api, counts in project['by_api'].items():
            bucket = totals['by_api'].setdefault(api, dict.fromkeys(API_KEYS, 0))
            for key in API_KEYS:
                bucket[key] += counts[key]
    running.sort(key=lambda item: (-item['running_seconds'], str(item['project']), str(item['version_name'])))
    running = running[:top]
    # Rows ready for svg_bar_chart, so that the HTML template only lays out.
    charts = dict(
        gpus_by_group=[dict(label=project['name'],
                            values=dict((group, project['by_group'][group]['gpu_num']) for group in BASE_GROUPS))
                       for project in projects if project['has_data']],
        gpus_by_flavor=[dict(label=flavor, value=counts['gpu_num'])
                        for flavor, counts in sorted(totals['by_flavor'].items(), key=lambda item: (-item[1]['gpu_num'], item[0]))
                        if counts['gpu_num']],
        longest_running=[dict(label='%s / %s (%s)' % (item['project'], item['version_name'], _accelerators(item)),
                              value=round(item['running_seconds'] / 3600.0, 1)) for item in running],
        gpu_hours_by_project=[dict(label=project['name'], value=project['usage']['gpu_hours'])
                              for project in projects if project['usage']],
    )
    totals['usage'] = _usage_totals(projects, usage_versions)
    return dict(generated_at=time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(now)), groups=list(BASE_GROUPS),
                projects=projects, totals=totals, longest_running=running, charts=charts)


USAGE_KEYS = ('gpu_hours', 'npu_hours', 'versions')
QUEUE_SUMS = ('waiting', 'waiting_gpu_num', 'waiting_npu_num', 'started')


def _window_of(usage):
    """Give back (since_ms, until_ms) of a gpu_usage dict, or None when its times are unreadable."""
    try:
        return parse_time('since', usage.get('since'), 0), parse_time('until', usage.get('until'), 0)
    except OptionError:
        return None


def _add_usage(project, host):
    """Set project['usage'] and project['pools'] from the host's modelarts_gpu_usage fact and versions.

    Give back (wait times in ms, window in epoch ms) for the totals; the wait times are None when the facts hold
    counts only.
    """
    project['usage'] = None
    project['pools'] = []
    usage = _fact(host, 'modelarts_gpu_usage')
    if not project['has_data'] or not isinstance(usage, Mapping):
        return None, None
    window = _window_of(usage)
    project['usage'] = usage = dict(usage)
    query = _fact(host, 'modelarts_query') or {}
    versions = _fact(host, 'modelarts_training_job_versions')
    if window is None or query.get('include_versions') is False or not isinstance(versions, Sequence):
        # Counts only: hours per pool are known, what each pool holds or waits for now is not.
        for pool in sorted(usage.get('by_pool') or {}):
            project['pools'].append(dict(dict.fromkeys(POOL_STATE_KEYS), pool=pool, **_usage_numbers(usage['by_pool'][pool])))
        return None, window
    by_pool = {}
    for version in versions:
        by_pool.setdefault(version.get('pool_id') or 'none', []).append(version)
    for pool in sorted(by_pool):
        pool_usage = gpu_usage(by_pool[pool], window[0], window[1])
        summary = summarize(by_pool[pool])
        row = dict(pool=pool, active_gpu_num=summary['active_gpu_num'], active_npu_num=summary['active_npu_num'],
                   accelerators_unknown=summary['accelerators_unknown'], **_usage_numbers(pool_usage))
        row.update((key, pool_usage['queue'][key]) for key in ('waiting', 'waiting_gpu_num', 'waiting_npu_num',
                                                               'longest_wait_seconds'))
        project['pools'].append(row)
    return _wait_millis(versions, window), window


def _wait_millis(versions, window):
    """Give back the waits (start - create, ms) gpu_usage() takes its queue percentiles of: versions started in the window."""
    waits = []
    for version in versions:
        created, started = version_millis(version.get('create_time')), version_millis(version.get('start_time'))
        if started is not None and created is not None and window[0] <= started <= window[1]:
            waits.append(max(0, started - created))
    return waits


POOL_STATE_KEYS = ('active_gpu_num', 'active_npu_num', 'accelerators_unknown', 'waiting', 'waiting_gpu_num', 'waiting_npu_num',
                   'longest_wait_seconds')


def _usage_numbers(bucket):
    return dict((key, bucket.get(key) or 0) for key in USAGE_KEYS)


def _merge_buckets(target, table):
    for key, bucket in (table or {}).items():
        merged = target.setdefault(key, dict.fromkeys(USAGE_KEYS, 0))
        for name in USAGE_KEYS:
            merged[name] += bucket.get(name) or 0


def _round_hours(table):
    for bucket in table.values():
        bucket['gpu_hours'] = round(bucket['gpu_hours'], 3)
        bucket['npu_hours'] = round(bucket['npu_hours'], 3)


def _usage_totals(projects, usage_versions):
    """Give back the usage of all projects together, None when no project has any.

    Hours and counts add up; the longest wait is the longest of any project; wait percentiles cannot be added, so
    they come from every project's versions together (null when a project's facts hold counts only, or when the
    projects' windows differ).
    """
    with_usage = [(project, versions) for project, (versions, dummy) in zip(projects, usage_versions) if project['usage']]
    if not with_usage:
        return None
    windows = set(window for project, (dummy, window) in zip(projects, usage_versions) if project['usage'])
    first = with_usage[0][0]['usage']
    totals = dict(since=first.get('since') if len(windows) == 1 else None,
                  until=first.get('until') if len(windows) == 1 else None,
                  projects=len(with_usage), by_flavor={}, by_status_group={},
                  queue=dict(dict.fromkeys(QUEUE_SUMS, 0), longest_wait_seconds=None, wait_seconds_p50=None,
                             wait_seconds_p95=None), **dict.fromkeys(USAGE_KEYS, 0))
    queue = totals['queue']
    for project, dummy in with_usage:
        usage = project['usage']
        for key in USAGE_KEYS:
            totals[key] += usage.get(key) or 0
        _merge_buckets(totals['by_flavor'], usage.get('by_flavor'))
        _merge_buckets(totals['by_status_group'], usage.get('by_status_group'))
        project_queue = usage.get('queue') or {}
        for key in QUEUE_SUMS:
            queue[key] += project_queue.get(key) or 0
        longest = project_queue.get('longest_wait_seconds')
        if longest is not None and (queue['longest_wait_seconds'] is None or longest > queue['longest_wait_seconds']):
            queue['longest_wait_seconds'] = longest
    totals['gpu_hours'] = round(totals['gpu_hours'], 3)
    totals['npu_hours'] = round(totals['npu_hours'], 3)
    _round_hours(totals['by_flavor'])
    _round_hours(totals['by_status_group'])
    window = windows.pop() if len(windows) == 1 else None
    if window and all(waits is not None for dummy, waits in with_usage):
        # The percentiles gpu_usage() would give of every project's versions together.
        merged = sorted(wait for dummy, waits in with_usage for wait in waits)
        queue['wait_seconds_p50'] = round(nearest_rank(merged, 50) / 1000.0, 3) if merged else None
        queue['wait_seconds_p95'] = round(nearest_rank(merged, 95) / 1000.0, 3) if merged else None
    return totals


def _accelerators(item):
    if item['gpu_num'] is None or item['npu_num'] is None:
        return 'unknown accelerators'
    if item['gpu_num']:
        return '%d GPU' % item['gpu_num']
    if item['npu_num']:
        return '%d NPU' % item['npu_num']
    return 'CPU'


def gpu_report_csv(report, table='counts'):
    """Give back one table of a gpu_report as CSV text (header line first)."""
    if not isinstance(report, Mapping) or 'projects' not in report:
        raise AnsibleFilterError('mlops.modelarts.gpu_report_csv expects the dict that mlops.modelarts.gpu_report gives')
    rows = []
    if table == 'counts':
        rows.append(['project', 'region', 'dimension', 'key', 'versions', 'gpu_num', 'npu_num'])
        for project in report['projects']:
            if not project.get('has_data'):
                continue
            prefix = [project['name'], project.get('region') or '']
            rows.append(prefix + ['total', 'all', project['versions'], project['gpu_num'], project['npu_num']])
            rows.append(prefix + ['total', 'active', project['by_group']['active']['versions'],
                                  project['active_gpu_num'], project['active_npu_num']])
            for dimension in ('by_group', 'by_status', 'by_flavor', 'by_pool', 'by_api'):
                for key in sorted(project.get(dimension) or {}):
                    counts = project[dimension][key]
                    rows.append(prefix + [dimension[len('by_'):], key] + [counts[k] for k in COUNT_KEYS])
    elif table == 'longest_running':
        columns = ['project', 'api_version', 'version_name', 'version_id', 'status_name', 'flavor_code', 'pool_id', 'gpu_num', 'npu_num',
                   'start_time_iso', 'running_seconds']
        rows.append(columns)
        for item in report['longest_running']:
            # A missing pool is `none`, as in every by_pool, gpu_usage.csv, gpu_report.prom and the HTML.
            rows.append([item.get(column) or 'none' if column == 'pool_id' else item.get(column) for column in columns])
    elif table == 'usage':
        rows.append(['project', 'region', 'since', 'until', 'dimension', 'key'] + list(USAGE_KEYS))
        for project in report['projects']:
            usage = project.get('usage')
            if not usage:
                continue
            prefix = [project['name'], project.get('region') or '', usage.get('since'), usage.get('until')]
            rows.append(prefix + ['total', 'all'] + [usage.get(key) for key in USAGE_KEYS])
            for dimension in ('by_pool', 'by_flavor', 'by_status_group'):
                for key in sorted(usage.get(dimension) or {}):
                    rows.append(prefix + [dimension[len('by_'):], key] + [usage[dimension][key].get(k) for k in USAGE_KEYS])
    else:
        raise AnsibleFilterError("mlops.modelarts.gpu_report_csv: table must be 'counts', 'longest_running' or 'usage'; "
                                 "got %r" % (table,))
    return csv_text(rows)


# (name, help, pool row key or None for a project-level sample only); all gauges, labels project, region, pool.
PROM_GAUGES = (
    ('modelarts_active_gpus', 'GPUs of training job versions in the active status group (held now or soon).',
     'active_gpu_num'),
    ('modelarts_active_npus', 'NPUs of training job versions in the active status group.', 'active_npu_num'),
    ('modelarts_versions_accelerators_unknown', 'Training job versions whose gpu_num or npu_num is not a valid count '
     '(not summed in the other gauges).', 'accelerators_unknown'),
    ('modelarts_waiting_versions', 'Active training job versions that have not started (waiting for accelerators).',
     'waiting'),
    ('modelarts_waiting_gpus', 'GPUs the waiting training job versions ask for.', 'waiting_gpu_num'),
    ('modelarts_waiting_npus', 'NPUs the waiting training job versions ask for.', 'waiting_npu_num'),
    ('modelarts_longest_wait_seconds', 'Seconds the oldest waiting training job version has waited.',
     'longest_wait_seconds'),
    ('modelarts_gpu_hours', 'GPU-hours held by training job versions in the report window.', 'gpu_hours'),
    ('modelarts_npu_hours', 'NPU-hours held by training job versions in the report window.', 'npu_hours'),
)


# Per training API (label api: v1, v2), from the versions of the facts; labels project, region, api on every sample.
PROM_API_GAUGES = (
    ('modelarts_api_versions', 'Training job versions the query returned from each training API (v1: old-version '
     'training jobs, v2: new-version).', 'versions'),
    ('modelarts_api_active_gpus', 'GPUs of active training job versions per training API.', 'active_gpu_num'),
    ('modelarts_api_active_npus', 'NPUs of active training job versions per training API.', 'active_npu_num'),
    ('modelarts_api_versions_accelerators_unknown', 'Training job versions per training API whose gpu_num or npu_num '
     'is unknown (a v2 dedicated-pool flavor) or not a valid count.', 'accelerators_unknown'),
)


def _prom_label(value):
    text = '' if value is None else str(value)
    return text.replace('\\', '\\\\').replace('\n', '\\n').replace('"', '\\"')


def _prom_number(value):
    if isinstance(value, bool):
        return '1' if value else '0'
    return repr(float(value)) if isinstance(value, float) else str(int(value))


def _prom_samples(project):
    """Give back {gauge name: [(pool, value)]} of one project: per pool, or pool "" where pools are not known."""
    samples = dict((name, []) for name, dummy, dummy in PROM_GAUGES)
    pools = project.get('pools') or []
    usage = project.get('usage') or {}
    queue = usage.get('queue') or {}
    project_level = dict(active_gpu_num=project.get('active_gpu_num'), active_npu_num=project.get('active_npu_num'),
                         accelerators_unknown=project.get('accelerators_unknown'),
                         waiting=queue.get('waiting'), waiting_gpu_num=queue.get('waiting_gpu_num'),
                         waiting_npu_num=queue.get('waiting_npu_num'),
                         longest_wait_seconds=queue.get('longest_wait_seconds'))
    split = bool(pools) and pools[0].get('active_gpu_num') is not None
    for name, dummy, key in PROM_GAUGES:
        if key in USAGE_KEYS:
            rows = [(row['pool'], row.get(key)) for row in pools]
        elif split:
            rows = [(row['pool'], row.get(key)) for row in pools]
        else:
            rows = [('', project_level.get(key))]
        samples[name] = [(pool, value) for pool, value in rows if value is not None]
    return samples


def _project_labels(project):
    return 'project="%s",region="%s"' % (_prom_label(project.get('name')), _prom_label(project.get('region')))


def gpu_report_prom(report):
    """Give back the report's gauges as Prometheus/OpenMetrics text (for node_exporter's textfile collector)."""
    if not isinstance(report, Mapping) or 'projects' not in report:
        raise AnsibleFilterError('mlops.modelarts.gpu_report_prom expects the dict that mlops.modelarts.gpu_report gives')
    lines = ['# HELP modelarts_report_project_up Whether the project could be reported (1) or not (0).',
             '# TYPE modelarts_report_project_up gauge']
    per_project = []
    per_api = []  # (labels, {api: counts}); none when the facts hold counts only
    for project in report['projects']:
        labels = _project_labels(project)
        lines.append('modelarts_report_project_up{%s} %d' % (labels, 1 if project.get('has_data') else 0))
        if project.get('has_data'):
            per_project.append((labels, _prom_samples(project)))
            per_api.append((labels, project.get('by_api') or {}))
    for name, text, dummy in PROM_GAUGES:
        lines.append('# HELP %s %s' % (name, text))
        lines.append('# TYPE %s gauge' % name)
        for labels, samples in per_project:
            for pool, value in samples[name]:
                lines.append('%s{%s,pool="%s"} %s' % (name, labels, _prom_label(pool), _prom_number(value)))
    for name, text, key in PROM_API_GAUGES:
        lines.append('# HELP %s %s' % (name, text))
        lines.append('# TYPE %s gauge' % name)
        for labels, by_api in per_api:
            for api in sorted(by_api):
                lines.append('%s{%s,api="%s"} %s' % (name, labels, _prom_label(api), _prom_number(by_api[api][key])))
    generated = report.get('generated_at')
    if generated:
        lines.append('# HELP modelarts_report_generated_timestamp_seconds When the report was built (epoch seconds).')
        lines.append('# TYPE modelarts_report_generated_timestamp_seconds gauge')
        lines.append('modelarts_report_generated_timestamp_seconds %s' % (parse_time('generated_at', generated, 0) // 1000))
    lines.append('# EOF')
    return '\n'.join(lines) + '\n'


def _number(value):
    return ('%.1f' % value).rstrip('0').rstrip('.') if isinstance(value, float) else str(value)


def _chart_value(value):
    """Give back a chart value as a float (0.0 when absent), or None when it is not a number from 0 to MAX_CHART_VALUE.

    None is drawn as unknown, with no bar: 10**400 would overflow the scale, and a negative bar has no length.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0.0
    number = bounded_number(value, MAX_CHART_VALUE, whole=False)
    return None if number is None else float(number)


def svg_bar_chart(rows, title='', series=None, unit='', width=900, colors=None):
    """Give back an inline SVG horizontal bar chart (stacked when the rows carry several series).

    rows: list of {label, value} or {label, values: {series: number}}; series: the order (and legend) of the series.
    """
    if isinstance(rows, (str, bytes, Mapping)) or not isinstance(rows, Sequence):
        raise AnsibleFilterError('mlops.modelarts.svg_bar_chart expects a list of {label, value} or {label, values}')
    colors = dict(GROUP_COLORS, **(colors or {}))
    series = list(series or [])
    bars = []
    for row in rows:
        if not isinstance(row, Mapping):
            raise AnsibleFilterError('mlops.modelarts.svg_bar_chart: every row must be a dict')
        values = row.get('values')
        if isinstance(values, Mapping):
            parts = [(name, _chart_value(values.get(name))) for name in (series or sorted(values))]
        else:
            parts = [('', _chart_value(row.get('value')))]
        bars.append((str(row.get('label', '')), parts))
    label_width = 330
    bar_height = 22
    gap = 8
    top = 34 if title else 10
    legend = series if series else []
    legend_height = 24 if legend else 0
    plot_width = max(100, int(width) - label_width - 80)
    largest = max([sum(value or 0 for dummy, value in parts) for dummy, parts in bars] + [0])
    height = top + legend_height + len(bars) * (bar_height + gap) + 10
    if not bars:
        height += 24
    out = ['<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="%d" height="%d" viewBox="0 0 %d %d"'
           ' aria-label="%s">' % (width, height, width, height, escape(title or 'chart'))]
    out.append('<title>%s</title>' % escape(title or 'chart'))
    if title:
        out.append('<text x="0" y="20" font-size="15" font-weight="bold" fill="#222">%s</text>' % escape(title))
    x = label_width
    for name in legend:
        out.append('<rect x="%d" y="%d" width="12" height="12" fill="%s"/>' % (x, top, colors.get(name, DEFAULT_COLOR)))
        out.append('<text x="%d" y="%d" font-size="12" fill="#333">%s</text>' % (x + 16, top + 11, escape(name)))
        x += 24 + 8 * len(name)
    y = top + legend_height
    if not bars:
        out.append('<text x="0" y="%d" font-size="13" fill="#666">no data</text>' % (y + 16))
    for label, parts in bars:
        shown = label if len(label) <= 50 else label[:48] + '\u2026'
        out.append('<text x="%d" y="%d" font-size="12" text-anchor="end" fill="#222"><title>%s</title>%s</text>' % (
            label_width - 8, y + 15, escape(label), escape(shown)))
        x = float(label_width)
        total = 0.0
        for name, value in parts:
            if value is None:
                total = None  # one unknown part makes the row's total unknown
            elif total is not None:
                total += value
            if not value or largest <= 0:
                continue
            segment = plot_width * value / largest
            out.append('<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="%s"><title>%s%s%s%s</title></rect>' % (
                x, y, segment, bar_height, colors.get(name, DEFAULT_COLOR), escape(label), ': ' + escape(name) if name else '',
                ' ' + _number(value), ' ' + escape(unit) if unit else ''))
            x += segment
        out.append('<text x="%.1f" y="%d" font-size="12" fill="#222">%s%s</text>' % (
            x + 6, y + 15, 'unknown' if total is None else _number(int(total) if total == int(total) else total),
            ' ' + escape(unit) if unit and total is not None else ''))
        y += bar_height + gap
    out.append('</svg>')
    return '\n'.join(out)


class FilterModule(object):
    """Report filters."""

    def filters(self):
        return {
            'gpu_report': gpu_report,
            'gpu_report_csv': gpu_report_csv,
            'gpu_report_prom': gpu_report_prom,
            'svg_bar_chart': svg_bar_chart,
        }
