# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The report over records of both training APIs: the API column (HTML, CSV), the api label (.prom), v2 records.

The v2 records are made by hand as design.md's record table describes them (string version_id, the phase as status,
null accelerators when the flavor is unknown), so these tests need no v2 source.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import csv
import io
import os

import jinja2
import pytest
from prometheus_client.openmetrics.parser import text_string_to_metric_families as openmetrics_families

from ansible_collections.mlops.modelarts.plugins.filter.report import (
    gpu_report, gpu_report_csv, gpu_report_prom, svg_bar_chart,
)
from ansible_collections.mlops.modelarts.plugins.module_utils._versions import enrich, summarize

HOUR = 3600 * 1000
NOW = 1764547200000  # 2025-12-01T00:00:00Z
HOSTILE = '=HYPERLINK("http://x")<script>alert(1)</script>'
TEMPLATE = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'roles', 'gpu_report', 'templates',
                        'gpu_report.html.j2')

V1_RUNNING = dict(version_id=7, version_name='resnet-V7', status=8, create_time=NOW - 5 * HOUR,
                  start_time=NOW - 4 * HOUR, gpu_num=8, pool_id='pool-a', flavor_code='modelarts.p3.large.8')
V2_RUNNING = dict(api_version='v2', version_id='7', version_name='bert-train', status='Running', status_name='running',
                  create_time=NOW - 3 * HOUR, start_time=NOW - 2 * HOUR, gpu_num=2, npu_num=0, pool_id=None,
                  flavor_code='modelarts.p3.large.2', secondary_phase='Running', node_count=1, user_name='alice',
                  outputs=[dict(name='model', obs_url='obs://bucket/model/')])
V2_DEDICATED = dict(api_version='v2', version_id='0b9c4f1e-dedicated', version_name='llm-finetune', status='Pending',
                    status_name='pending', create_time=NOW - HOUR, start_time=NOW - HOUR // 2, gpu_num=None,
                    npu_num=None, pool_id='pool-dedicated', flavor_code='modelarts.pool.visual.custom', node_count=2)
V2_COMPLETED = dict(api_version='v2', version_id='c0ffee', version_name='old-run', status='Completed',
                    status_name='completed', create_time=NOW - 9 * HOUR, start_time=NOW - 8 * HOUR, duration=HOUR,
                    gpu_num=1, npu_num=0)


def host(name, versions, training_api=None, include_versions=True):
    versions = enrich([dict(v) for v in versions])
    query = dict(include_versions=include_versions, complete=True)
    if training_api:
        query['training_api'] = training_api
    facts = dict(modelarts_gpu_summary=summarize(versions), modelarts_total_count=len(versions), modelarts_query=query,
                 modelarts_training_job_versions=versions if include_versions else [])
    return dict(inventory_hostname=name, modelarts_region='eu-de', ansible_facts=facts)


@pytest.fixture
def report():
    return gpu_report([host('mixed', [V1_RUNNING, V2_RUNNING, V2_DEDICATED, V2_COMPLETED], training_api='all')],
                      now=NOW / 1000.0)


def rows_of(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_longest_running_names_the_api_of_each_version_and_v1_records_without_one_are_v1(report):
    listed = [(item['api_version'], item['version_id'], item['status_name']) for item in report['longest_running']]
    assert listed == [('v1', 7, 'running'), ('v2', '7', 'running'), ('v2', '0b9c4f1e-dedicated', 'pending')]


def test_a_v2_null_accelerator_count_is_unknown_not_zero(report):
    dedicated = report['longest_running'][2]
    assert (dedicated['gpu_num'], dedicated['npu_num']) == (None, None)
    assert report['projects'][0]['by_api']['v2']['accelerators_unknown'] == 1
    assert report['charts']['longest_running'][2]['label'].endswith('(unknown accelerators)')


def test_counts_per_api_add_up_to_the_project(report):
    by_api = report['projects'][0]['by_api']
    assert by_api['v1'] == dict(versions=1, gpu_num=8, npu_num=0, active_gpu_num=8, active_npu_num=0,
                                accelerators_unknown=0)
    assert (by_api['v2']['versions'], by_api['v2']['gpu_num'], by_api['v2']['active_gpu_num']) == (3, 3, 2)
    assert report['totals']['by_api'] == by_api


def test_every_api_the_query_asked_is_listed_even_without_versions():
    report = gpu_report([host('v2-only-account', [V2_RUNNING], training_api='all')], now=NOW / 1000.0)
    assert report['projects'][0]['by_api']['v1']['versions'] == 0
    assert sorted(gpu_report([host('old', [V1_RUNNING])], now=NOW / 1000.0)['projects'][0]['by_api']) == ['v1']


def test_a_counts_only_report_has_no_per_api_rows():
    report = gpu_report([host('counts', [V1_RUNNING, V2_RUNNING], include_versions=False)], now=NOW / 1000.0)
    assert report['projects'][0]['by_api'] == {}
    assert 'modelarts_api_versions{' not in gpu_report_prom(report)


def test_the_longest_running_csv_has_an_api_column_and_a_string_version_id(report):
    rows = rows_of(gpu_report_csv(report, 'longest_running'))
    assert [(row['api_version'], row['version_id'], row['status_name']) for row in rows] == [
        ('v1', '7', 'running'), ('v2', '7', 'running'), ('v2', '0b9c4f1e-dedicated', 'pending')]


def test_the_counts_csv_has_a_row_per_api(report):
    rows = [row for row in rows_of(gpu_report_csv(report, 'counts')) if row['dimension'] == 'api']
    assert [(row['key'], row['versions'], row['gpu_num']) for row in rows] == [('v1', '1', '8'), ('v2', '3', '3')]


def test_the_prom_text_has_per_api_gauges_with_one_label_set_per_family(report):
    families = dict((family.name, family) for family in openmetrics_families(gpu_report_prom(report)))
    versions = families['modelarts_api_versions']
    assert dict((sample.labels['api'], sample.value) for sample in versions.samples) == {'v1': 1, 'v2': 3}
    assert families['modelarts_api_versions_accelerators_unknown'].samples[1].value == 1
    for family in families.values():
        assert len(set(tuple(sorted(sample.labels)) for sample in family.samples)) <= 1, family.name
    assert set(versions.samples[0].labels) == {'project', 'region', 'api'}


def test_hostile_v2_text_is_neutralised_in_csv_and_escaped_in_html(report):
    hostile = dict(V2_RUNNING, version_id=HOSTILE, version_name=HOSTILE)
    report = gpu_report([host(HOSTILE, [hostile], training_api='v2')], now=NOW / 1000.0)
    rows = rows_of(gpu_report_csv(report, 'longest_running'))
    assert rows[0]['version_id'] == "'" + HOSTILE and rows[0]['version_name'] == "'" + HOSTILE
    html = render_html(report)
    assert '<script>' not in html and '&lt;script&gt;' in html
    assert 'class="api">v2</td>' in html and 'data-api="v2"' in html


def render_html(report):
    """Give back the role's HTML template rendered as ansible-core does (plain Jinja, the collection's filters)."""
    environment = jinja2.Environment(undefined=jinja2.StrictUndefined)
    environment.filters['mlops.modelarts.svg_bar_chart'] = svg_bar_chart
    with open(TEMPLATE) as handle:
        return environment.from_string(handle.read()).render(modelarts_report=report)
