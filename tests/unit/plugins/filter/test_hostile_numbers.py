# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Hostile numbers (10**400, -3, 2.5, True, text) through the filters, the report, its CSV, Prometheus text and SVG charts."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import csv
import io

import pytest
from prometheus_client.parser import text_string_to_metric_families

from ansible_collections.mlops.modelarts.plugins.filter import modelarts as modelarts_filters
from ansible_collections.mlops.modelarts.plugins.filter.modelarts import gpu_summary, gpu_usage
from ansible_collections.mlops.modelarts.plugins.filter.report import (
    gpu_report, gpu_report_csv, gpu_report_prom, svg_bar_chart,
)
from ansible_collections.mlops.modelarts.plugins.module_utils._versions import enrich, summarize

HOUR = 3600 * 1000
SINCE = 1764547200000  # 2025-12-01T00:00:00Z
UNTIL = SINCE + 24 * HOUR
HOSTILE_COUNTS = [10 ** 400, -3, 2.5, True, 'eight']
HOSTILE_IDS = ['10**400', '-3', '2.5', 'True', 'text']


def version(version_id, **fields):
    """A version running through the whole window with 8 GPUs, unless `fields` say otherwise."""
    return dict(dict(version_id=version_id, version_name='train-V%04d' % version_id, status=8, gpu_num=8, npu_num=0,
                     pool_id='pool-a', flavor_code='modelarts.p3.large.8', create_time=SINCE - 2 * HOUR,
                     start_time=SINCE), **fields)


class Display(object):
    """Stands in for the filters' ansible Display: keeps the warnings."""

    def __init__(self):
        self.warnings = []

    def warning(self, text):
        self.warnings.append(text)


@pytest.fixture
def warnings(monkeypatch):
    display = Display()
    monkeypatch.setattr(modelarts_filters, 'display', display, raising=False)
    return display.warnings


@pytest.mark.parametrize('count', HOSTILE_COUNTS, ids=HOSTILE_IDS)
def test_gpu_summary_filter_counts_a_hostile_count_as_unknown_and_warns(count, warnings):
    summary = gpu_summary([version(1), version(2, gpu_num=count)])
    assert (summary['gpu_num'], summary['active_gpu_num'], summary['accelerators_unknown']) == (8, 8, 1)
    assert len(warnings) == 1 and warnings[0].startswith('mlops.modelarts.gpu_summary: 1 version carries')
    assert 'version_id 2: gpu_num=' in warnings[0]


@pytest.mark.parametrize('count', HOSTILE_COUNTS, ids=HOSTILE_IDS)
def test_gpu_usage_filter_adds_no_hours_for_a_hostile_count_and_warns(count, warnings):
    usage = gpu_usage([version(1), version(2, gpu_num=count)], since=str(SINCE), until=str(UNTIL))
    assert (usage['gpu_hours'], usage['versions'], usage['accelerators_unknown']) == (192.0, 1, 1)
    assert len(warnings) == 1 and warnings[0].startswith('mlops.modelarts.gpu_usage: 1 version carries')


def test_filters_stay_silent_on_valid_counts(warnings):
    gpu_summary([version(1, gpu_num='4'), version(2, gpu_num=4.0)])
    gpu_usage([version(1)], since=str(SINCE), until=str(UNTIL))
    assert warnings == []


def host(name, versions, summary=None):
    """The hostvars of one project, as the gpu_report playbook leaves them (`summary` replaces the computed one)."""
    versions = enrich([dict(v) for v in versions])
    facts = dict(modelarts_gpu_summary=summary if summary is not None else summarize(versions),
                 modelarts_total_count=len(versions), modelarts_query=dict(include_versions=True, complete=True),
                 modelarts_gpu_usage=modelarts_filters.gpu_usage(versions, since=str(SINCE), until=str(UNTIL)),
                 modelarts_training_job_versions=versions)
    return dict(inventory_hostname=name, modelarts_region='eu-de', ansible_facts=facts)


@pytest.mark.parametrize('count', HOSTILE_COUNTS, ids=HOSTILE_IDS)
def test_the_report_and_its_outputs_show_a_hostile_count_as_unknown(count, warnings):
    report = gpu_report([host('first', [version(1), version(2, gpu_num=count)])], now=UNTIL / 1000.0)
    project, totals = report['projects'][0], report['totals']
    assert (project['gpu_num'], project['active_gpu_num'], project['accelerators_unknown']) == (8, 8, 1)
    assert (totals['gpu_num'], totals['accelerators_unknown'], totals['usage']['gpu_hours']) == (8, 1, 192.0)
    running = dict((item['version_id'], item) for item in report['longest_running'])
    assert (running[1]['gpu_num'], running[2]['gpu_num']) == (8, None)  # never True as 1, never -3
    labels = [row['label'] for row in report['charts']['longest_running']]
    assert 'first / train-V0002 (unknown accelerators)' in labels
    rows = list(csv.DictReader(io.StringIO(gpu_report_csv(report, 'longest_running'))))
    assert [row['gpu_num'] for row in rows] == ['8', '']
    samples = dict(((family.name, sample.labels.get('pool')), sample.value)
                   for family in text_string_to_metric_families(gpu_report_prom(report)) for sample in family.samples)
    assert (samples[('modelarts_active_gpus', 'pool-a')], samples[('modelarts_versions_accelerators_unknown', 'pool-a')]
            ) == (8.0, 1.0)
    for chart in report['charts'].values():
        assert svg_bar_chart(chart).endswith('</svg>')


@pytest.mark.parametrize('moment', [10 ** 400, -3, 'soon'], ids=['10**400', '-3', 'text'])
def test_a_running_version_with_an_unreadable_start_is_not_among_the_longest_running(moment):
    project = host('first', [version(1), version(2)])
    project['ansible_facts']['modelarts_training_job_versions'][1]['start_time'] = moment  # as a hand-made fact
    report = gpu_report([project], now=UNTIL / 1000.0)
    assert [item['version_id'] for item in report['longest_running']] == [1]


@pytest.mark.parametrize('count', [10 ** 400, -3, 2.5, True], ids=['10**400', '-3', '2.5', 'True'])
def test_a_cached_summary_holding_a_hostile_count_is_a_project_error_not_a_crash(count):
    cached = dict(summarize([version(1)]), gpu_num=count)
    report = gpu_report([host('cached', [version(1)], summary=cached), host('fine', [version(1)])], now=UNTIL / 1000.0)
    first, second = report['projects']
    assert first['has_data'] is False and 'the gpu_summary fact holds gpu_num=' in first['error']
    assert (second['gpu_num'], report['totals']['gpu_num'], report['totals']['projects_with_errors']) == (8, 8, 1)


@pytest.mark.parametrize('value', [10 ** 400, -3, True, 'eight', float('nan'), float('inf')],
                         ids=['10**400', '-3', 'True', 'text', 'nan', 'inf'])
def test_svg_chart_draws_a_hostile_value_as_unknown_without_a_bar(value):
    svg = svg_bar_chart([dict(label='good', value=4), dict(label='bad', value=value)], unit='GPU')
    assert svg.count('<rect') == 1  # the good row's bar only
    assert '>unknown</text>' in svg and '>4 GPU</text>' in svg


def test_svg_chart_keeps_fractional_hours_and_digits_as_text():
    svg = svg_bar_chart([dict(label='a', value=2.5), dict(label='b', value='4')], unit='h')
    assert svg.count('<rect') == 2 and '>2.5 h</text>' in svg and '>4 h</text>' in svg


def test_svg_chart_makes_a_row_with_one_hostile_series_unknown():
    svg = svg_bar_chart([dict(label='p', values=dict(active=4, failed=10 ** 400))], series=['active', 'failed'])
    assert svg.count('<rect') == 1 + 2  # the active part, and the two legend squares
    assert '>unknown</text>' in svg
