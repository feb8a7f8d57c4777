# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What enrich() adds to each version and what summarize() counts."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.mlops.modelarts.plugins.module_utils._versions import enrich, summarize


def version(**fields):
    base = dict(version_id=1, version_name='resnet50-train-V0001', status=10, create_time=1767225600000,
                start_time=1767225601500, end_time=1767225654500, duration=53000, version_desc=None,
                pool_id='pool-gpu-a', flavor_code='modelarts.p3.large.8', gpu_num=8, npu_num=0)
    base.update(fields)
    return base


def test_enrich_adds_status_name_and_group():
    enriched = enrich([version(status=8)])[0]
    assert enriched['status_name'] == 'running'
    assert enriched['status_group'] == 'active'


def test_enrich_names_codes_the_table_does_not_know():
    enriched = enrich([version(status=42)])[0]
    assert enriched['status_name'] == 'unknown_42'
    assert enriched['status_group'] == 'unknown'


def test_enrich_gives_times_as_iso_8601_utc_with_milliseconds():
    enriched = enrich([version()])[0]
    assert enriched['create_time_iso'] == '2026-01-01T00:00:00.000Z'
    assert enriched['start_time_iso'] == '2026-01-01T00:00:01.500Z'
    assert enriched['end_time_iso'] == '2026-01-01T00:00:54.500Z'


def test_enrich_gives_null_for_times_that_are_zero():
    enriched = enrich([version(start_time=0, end_time=0)])[0]
    assert enriched['start_time_iso'] is None
    assert enriched['end_time_iso'] is None


def test_enrich_gives_null_for_times_that_are_absent():
    record = version()
    del record['start_time']
    record['end_time'] = None
    enriched = enrich([record])[0]
    assert enriched['start_time_iso'] is None
    assert enriched['end_time_iso'] is None


def test_enrich_gives_duration_in_seconds():
    assert enrich([version(duration=53000)])[0]['duration_seconds'] == 53.0
    assert enrich([version(duration=1500)])[0]['duration_seconds'] == 1.5
    assert enrich([version(duration=0)])[0]['duration_seconds'] == 0.0


def test_enrich_gives_null_duration_when_absent():
    record = version()
    del record['duration']
    assert enrich([record])[0]['duration_seconds'] is None


def test_enrich_keeps_the_api_fields_unchanged():
    record = version(extra_field='kept')
    original = dict(record)
    enriched = enrich([record])[0]
    assert dict((key, enriched[key]) for key in original) == original


def test_summary_of_nothing_is_all_zero():
    assert summarize([]) == {'versions': 0, 'gpu_num': 0, 'npu_num': 0, 'active_gpu_num': 0, 'active_npu_num': 0,
                             'accelerators_unknown': 0, 'by_status': {}, 'by_pool': {}, 'by_flavor': {}}


def test_summary_adds_up_gpus_and_npus():
    summary = summarize([version(gpu_num=8, npu_num=0), version(version_id=2, gpu_num=0, npu_num=1),
                         version(version_id=3, gpu_num=4, npu_num=0)])
    assert (summary['versions'], summary['gpu_num'], summary['npu_num']) == (3, 12, 1)


def test_summary_counts_active_accelerators_only_for_active_statuses():
    summary = summarize([version(status=8, gpu_num=8), version(version_id=2, status=7, gpu_num=1, npu_num=2),
                         version(version_id=3, status=10, gpu_num=4), version(version_id=4, status=11, gpu_num=0, npu_num=8)])
    assert summary['active_gpu_num'] == 9
    assert summary['active_npu_num'] == 2
    assert summary['gpu_num'] == 13


def test_summary_groups_by_status_name():
    summary = summarize([version(status=8, gpu_num=8), version(version_id=2, status=8, gpu_num=1),
                         version(version_id=3, status=10, gpu_num=4)])
    assert summary['by_status'] == {'running': {'versions': 2, 'gpu_num': 9, 'npu_num': 0},
                                    'completed': {'versions': 1, 'gpu_num': 4, 'npu_num': 0}}


def test_summary_groups_by_pool_with_none_for_a_missing_pool():
    summary = summarize([version(pool_id='pool-gpu-a', gpu_num=8), version(version_id=2, pool_id=None, gpu_num=1),
                         version(version_id=3, pool_id='', gpu_num=2)])
    assert summary['by_pool'] == {'pool-gpu-a': {'versions': 1, 'gpu_num': 8, 'npu_num': 0},
                                  'none': {'versions': 2, 'gpu_num': 3, 'npu_num': 0}}


def test_summary_groups_by_flavor():
    summary = summarize([version(flavor_code='modelarts.p3.large.8', gpu_num=8),
                         version(version_id=2, flavor_code='modelarts.kat1.xlarge', gpu_num=0, npu_num=1)])
    assert summary['by_flavor'] == {'modelarts.p3.large.8': {'versions': 1, 'gpu_num': 8, 'npu_num': 0},
                                    'modelarts.kat1.xlarge': {'versions': 1, 'gpu_num': 0, 'npu_num': 1}}


def test_summary_counts_missing_or_unreadable_accelerator_numbers_as_zero():
    record = version()
    del record['gpu_num']
    summary = summarize([record, version(version_id=2, gpu_num=None, npu_num='two'), version(version_id=3, gpu_num='4')])
    assert summary['gpu_num'] == 4
    assert summary['npu_num'] == 0
    assert summary['versions'] == 3


def test_summary_of_enriched_versions_equals_the_summary_of_raw_ones():
    raw = [version(status=8), version(version_id=2, status=10, pool_id=None)]
    expected = summarize([dict(v) for v in raw])
    assert summarize(enrich(raw)) == expected
