# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The usage parts of the report filters: totals across projects, per-pool rows, gpu_usage.csv and the .prom text."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import csv
import io

import pytest
from prometheus_client.openmetrics.parser import text_string_to_metric_families as openmetrics_families
from prometheus_client.parser import text_string_to_metric_families

from ansible_collections.mlops.modelarts.plugins.filter.report import gpu_report, gpu_report_csv, gpu_report_prom
from ansible_collections.mlops.modelarts.plugins.module_utils._usage import gpu_usage
from ansible_collections.mlops.modelarts.plugins.module_utils._versions import enrich, summarize

HOUR = 3600 * 1000
SINCE = 1764547200000  # 2025-12-01T00:00:00Z
UNTIL = SINCE + 24 * HOUR
HOSTILE = 'lab "x"\\ new\nline'


def host(name, versions, include_versions=True, region='eu-de'):
    versions = enrich([dict(v) for v in versions])
    facts = dict(modelarts_gpu_summary=summarize(versions), modelarts_total_count=len(versions),
                 modelarts_query=dict(include_versions=include_versions, complete=True),
                 modelarts_gpu_usage=gpu_usage(versions, SINCE, UNTIL),
                 modelarts_training_job_versions=versions if include_versions else [])
    return dict(inventory_hostname=name, modelarts_region=region, ansible_facts=facts)


FIRST = [
    dict(version_id=1, status=8, create_time=SINCE - HOUR, start_time=SINCE, gpu_num=8, pool_id='pool-gpu-a'),
    dict(version_id=2, status=7, create_time=UNTIL - 2 * HOUR, gpu_num=4, pool_id='pool-gpu-a'),
    dict(version_id=3, status=10, create_time=SINCE, start_time=SINCE + 3 * HOUR, end_time=SINCE + 4 * HOUR,
         gpu_num=1, pool_id=None, flavor_code='modelarts.p1.2xlarge'),
]
SECOND = [
    dict(version_id=4, status=8, create_time=SINCE, start_time=SINCE + HOUR, npu_num=8, pool_id=HOSTILE),
    dict(version_id=5, status=7, create_time=UNTIL - 5 * HOUR, gpu_num=8, pool_id='pool-gpu-a'),
]


@pytest.fixture
def report():
    return gpu_report([host('first', FIRST), host(HOSTILE, SECOND, region='eu-nl')], now=UNTIL / 1000.0)


def test_totals_add_the_projects_hours_and_queues(report):
    usage = report['totals']['usage']
    assert (usage['gpu_hours'], usage['npu_hours'], usage['versions']) == (193.0, 184.0, 3)
    assert (usage['queue']['waiting'], usage['queue']['waiting_gpu_num'], usage['queue']['longest_wait_seconds']) == (
        2, 12, 5 * 3600.0)


def test_total_wait_percentiles_come_from_every_projects_versions_together(report):
    merged = gpu_usage(FIRST + SECOND, SINCE, UNTIL)['queue']
    usage = report['totals']['usage']['queue']
    assert (usage['wait_seconds_p50'], usage['wait_seconds_p95']) == (merged['wait_seconds_p50'], merged['wait_seconds_p95'])


def test_without_versions_pools_have_hours_only_and_percentiles_are_null():
    report = gpu_report([host('first', FIRST, include_versions=False), host('second', SECOND)], now=UNTIL / 1000.0)
    pools = report['projects'][0]['pools']
    assert [(row['pool'], row['gpu_hours'], row['active_gpu_num']) for row in pools] == [
        ('none', 1.0, None), ('pool-gpu-a', 192.0, None)]
    assert report['totals']['usage']['queue']['wait_seconds_p50'] is None


def test_pool_rows_split_what_is_active_and_waiting(report):
    pools = dict((row['pool'], row) for row in report['projects'][0]['pools'])
    assert (pools['pool-gpu-a']['active_gpu_num'], pools['pool-gpu-a']['waiting'], pools['pool-gpu-a']['gpu_hours']) == (
        12, 1, 192.0)


def test_a_report_without_usage_facts_has_no_usage():
    plain = host('first', FIRST)
    del plain['ansible_facts']['modelarts_gpu_usage']
    report = gpu_report([plain])
    assert (report['totals']['usage'], report['projects'][0]['usage'], report['charts']['gpu_hours_by_project']) == (
        None, None, [])


def test_usage_csv_has_a_row_per_project_dimension_and_key(report):
    rows = list(csv.DictReader(io.StringIO(gpu_report_csv(report, 'usage'))))
    totals = dict((row['project'], float(row['gpu_hours'])) for row in rows if row['dimension'] == 'total')
    assert totals == {'first': 193.0, HOSTILE: 0.0}
    assert set(row['dimension'] for row in rows) == {'total', 'pool', 'flavor', 'status_group'}


def prom_samples(text):
    return [(sample.name, sample.labels, sample.value) for family in text_string_to_metric_families(text)
            for sample in family.samples]


def test_prom_text_parses_and_keeps_hostile_label_values(report):
    samples = prom_samples(gpu_report_prom(report))
    hours = dict((labels['pool'], value) for name, labels, value in samples
                 if name == 'modelarts_npu_hours' and labels['project'] == HOSTILE)
    assert hours == {HOSTILE: 184.0, 'pool-gpu-a': 0.0}


def test_prom_text_is_also_valid_openmetrics(report):
    families = dict((family.name, family.type) for family in openmetrics_families(gpu_report_prom(report)))
    assert families['modelarts_gpu_hours'] == 'gauge' and families['modelarts_active_gpus'] == 'gauge'


def test_prom_gauges_carry_project_region_and_pool_or_the_api(report):
    names = set()
    for name, labels, dummy in prom_samples(gpu_report_prom(report)):
        if name.startswith('modelarts_report_'):
            continue
        names.add(name)
        # Per-API gauges are split by training API, the others by pool: one label set per family.
        expected = {'project', 'region', 'api'} if name.startswith('modelarts_api_') else {'project', 'region', 'pool'}
        assert set(labels) == expected, name
    assert 'modelarts_api_versions' in names and 'modelarts_active_gpus' in names


def test_prom_without_versions_gives_one_unsplit_series_per_project():
    report = gpu_report([host('first', FIRST, include_versions=False)], now=UNTIL / 1000.0)
    active = [(labels['pool'], value) for name, labels, value in prom_samples(gpu_report_prom(report))
              if name == 'modelarts_active_gpus']
    assert active == [('', 12.0)]


def test_prom_marks_a_project_without_data_as_down():
    report = gpu_report([dict(inventory_hostname='broken', ansible_facts=dict(modelarts_report_error='401'))])
    samples = prom_samples(gpu_report_prom(report))
    assert [(name, value) for name, dummy, value in samples if name != 'modelarts_report_generated_timestamp_seconds'] == [
        ('modelarts_report_project_up', 0.0)]
