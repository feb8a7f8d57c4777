# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Filters behind the gpu_report playbook: gpu_report, gpu_report_csv, svg_bar_chart (documented in their .yml files)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import time
from collections.abc import Mapping, Sequence
from html import escape

from ansible.errors import AnsibleFilterError

from ansible_collections.mlops.modelarts.plugins.module_utils._csv import csv_text
from ansible_collections.mlops.modelarts.plugins.module_utils._statuses import BASE_GROUPS, STATUS_NAMES, status_group

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


def _project(host, now, top):
    label = host.get('modelarts_report_label') or host.get('inventory_hostname')
    project = dict(
        name=label,
        host=host.get('inventory_hostname'),
        region=host.get('modelarts_region'),
        project=host.get('modelarts_project_name') or host.get('modelarts_project_id'),
        error=_fact(host, 'modelarts_report_error') or None,
        fetched_at=_fact(host, 'modelarts_report_fetched_at'),
        has_data=False,
        total_count=0, complete=True,
        versions=0, gpu_num=0, npu_num=0, active_gpu_num=0, active_npu_num=0,
        by_group=dict((group, _bucket()) for group in BASE_GROUPS),
        by_status={}, by_flavor={}, by_pool={},
    )
    summary = _fact(host, 'modelarts_gpu_summary')
    if project['error'] or not isinstance(summary, Mapping):
        if not project['error']:
            project['error'] = 'no data: the query did not run for this project (and no cached facts exist)'
        return project, []
    project['has_data'] = True
    project['total_count'] = int(_fact(host, 'modelarts_total_count') or 0)
    query = _fact(host, 'modelarts_query') or {}
    project['complete'] = query.get('complete', True) is not False
    for key in ('versions', 'gpu_num', 'npu_num', 'active_gpu_num', 'active_npu_num'):
        project[key] = int(summary.get(key) or 0)
    for table in ('by_status', 'by_flavor', 'by_pool'):
        project[table] = dict((str(key), dict((k, int(counts.get(k) or 0)) for k in COUNT_KEYS))
                              for key, counts in (summary.get(table) or {}).items())
    for name, counts in project['by_status'].items():
        _add(project['by_group'][_group_of_status_name(name)], counts)
    try:
        fetched = float(project['fetched_at']) if project['fetched_at'] else now
    except (TypeError, ValueError):
        fetched = now
    project['fetched_at'] = time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(fetched))
    fetched_ms = fetched * 1000.0
    running = []
    for version in _fact(host, 'modelarts_training_job_versions') or []:
        if status_group(version.get('status')) != 'active' or not version.get('start_time'):
            continue
        running.append(dict(
            project=label,
            version_id=version.get('version_id'),
            version_name=version.get('version_name'),
            status_name=version.get('status_name') or STATUS_NAMES.get(version.get('status')),
            flavor_code=version.get('flavor_code'),
            pool_id=version.get('pool_id'),
            gpu_num=int(version.get('gpu_num') or 0),
            npu_num=int(version.get('npu_num') or 0),
            start_time_iso=version.get('start_time_iso'),
            running_seconds=max(0, int((fetched_ms - int(version['start_time'])) / 1000)),
        ))
    running.sort(key=lambda item: (-item['running_seconds'], str(item['version_name'])))
    return project, running[:top]


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
    for index, host in enumerate(hosts):
        if not isinstance(host, Mapping):
            raise AnsibleFilterError('mlops.modelarts.gpu_report: item %d is %s, not a dict of host variables'
                                     % (index, type(host).__name__))
        project, longest = _project(host, now, top)
        projects.append(project)
        running.extend(longest)
    totals = dict(versions=0, gpu_num=0, npu_num=0, active_gpu_num=0, active_npu_num=0, projects=len(projects),
                  projects_with_errors=0, by_group=dict((group, _bucket()) for group in BASE_GROUPS), by_flavor={})
    for project in projects:
        if project['error']:
            totals['projects_with_errors'] += 1
        for key in ('versions', 'gpu_num', 'npu_num', 'active_gpu_num', 'active_npu_num'):
            totals[key] += project[key]
        for group, counts in project['by_group'].items():
            _add(totals['by_group'][group], counts)
        for flavor, counts in project['by_flavor'].items():
            _add(totals['by_flavor'].setdefault(flavor, _bucket()), counts)
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
    )
    return dict(generated_at=time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(now)), groups=list(BASE_GROUPS),
                projects=projects, totals=totals, longest_running=running, charts=charts)


def _accelerators(item):
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
            for dimension in ('by_group', 'by_status', 'by_flavor', 'by_pool'):
                for key in sorted(project[dimension]):
                    counts = project[dimension][key]
                    rows.append(prefix + [dimension[len('by_'):], key] + [counts[k] for k in COUNT_KEYS])
    elif table == 'longest_running':
        columns = ['project', 'version_name', 'version_id', 'status_name', 'flavor_code', 'pool_id', 'gpu_num', 'npu_num',
                   'start_time_iso', 'running_seconds']
        rows.append(columns)
        for item in report['longest_running']:
            rows.append([item.get(column) for column in columns])
    else:
        raise AnsibleFilterError("mlops.modelarts.gpu_report_csv: table must be 'counts' or 'longest_running'; got %r"
                                 % (table,))
    return csv_text(rows)


def _number(value):
    return ('%.1f' % value).rstrip('0').rstrip('.') if isinstance(value, float) else str(value)


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
            parts = [(name, float(values.get(name) or 0)) for name in (series or sorted(values))]
        else:
            parts = [('', float(row.get('value') or 0))]
        bars.append((str(row.get('label', '')), parts))
    label_width = 330
    bar_height = 22
    gap = 8
    top = 34 if title else 10
    legend = series if series else []
    legend_height = 24 if legend else 0
    plot_width = max(100, int(width) - label_width - 80)
    largest = max([sum(value for dummy, value in parts) for dummy, parts in bars] + [0])
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
            total += value
            if value <= 0 or largest <= 0:
                continue
            segment = plot_width * value / largest
            out.append('<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="%s"><title>%s%s%s%s</title></rect>' % (
                x, y, segment, bar_height, colors.get(name, DEFAULT_COLOR), escape(label), ': ' + escape(name) if name else '',
                ' ' + _number(value), ' ' + escape(unit) if unit else ''))
            x += segment
        out.append('<text x="%.1f" y="%d" font-size="12" fill="#222">%s%s</text>' % (
            x + 6, y + 15, _number(int(total) if total == int(total) else total), ' ' + escape(unit) if unit else ''))
        y += bar_height + gap
    out.append('</svg>')
    return '\n'.join(out)


class FilterModule(object):
    """Report filters."""

    def filters(self):
        return {
            'gpu_report': gpu_report,
            'gpu_report_csv': gpu_report_csv,
            'svg_bar_chart': svg_bar_chart,
        }
