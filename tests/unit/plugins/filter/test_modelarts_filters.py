# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The filters mlops.modelarts.gpu_summary, mlops.modelarts.gpu_usage and mlops.modelarts.job_status."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.mlops.modelarts.plugins.filter.modelarts import FilterModule, gpu_summary, gpu_usage, job_status
from ansible_collections.mlops.modelarts.plugins.module_utils import _usage

VERSIONS = [
    dict(version_id=1, status=8, gpu_num=8, npu_num=0, pool_id='pool-gpu-a', flavor_code='modelarts.p3.large.8'),
    dict(version_id=2, status=10, gpu_num=1, npu_num=0, pool_id=None, flavor_code='modelarts.p1.2xlarge'),
    dict(version_id=3, status=7, gpu_num=0, npu_num=8, pool_id='pool-npu-b', flavor_code='modelarts.kat1.8xlarge'),
]


def test_both_filters_are_exposed():
    assert sorted(FilterModule().filters()) == ['gpu_summary', 'gpu_usage', 'job_status']


def test_gpu_summary_adds_up_gpus_and_npus():
    summary = gpu_summary(VERSIONS)
    assert (summary['versions'], summary['gpu_num'], summary['npu_num']) == (3, 9, 8)


def test_gpu_summary_counts_active_accelerators_only_for_active_versions():
    summary = gpu_summary(VERSIONS)
    assert (summary['active_gpu_num'], summary['active_npu_num']) == (8, 8)


def test_gpu_summary_groups_by_status_pool_and_flavor():
    summary = gpu_summary(VERSIONS)
    assert summary['by_status']['running'] == dict(versions=1, gpu_num=8, npu_num=0)
    assert summary['by_pool']['none'] == dict(versions=1, gpu_num=1, npu_num=0)
    assert summary['by_flavor']['modelarts.kat1.8xlarge'] == dict(versions=1, gpu_num=0, npu_num=8)


def test_gpu_summary_of_merged_projects_is_the_sum():
    merged = gpu_summary(VERSIONS + VERSIONS)
    assert (merged['versions'], merged['gpu_num'], merged['active_gpu_num']) == (6, 18, 16)


def test_gpu_summary_of_nothing_is_all_zero():
    assert gpu_summary([])['gpu_num'] == 0 and gpu_summary([])['by_status'] == {}


def test_gpu_summary_reads_a_status_written_as_digits():
    assert gpu_summary([dict(status='8', gpu_num=2)])['active_gpu_num'] == 2


def test_gpu_summary_does_not_change_its_input():
    versions = [dict(status='8', gpu_num=2)]
    gpu_summary(versions)
    assert versions == [dict(status='8', gpu_num=2)]


def test_gpu_summary_refuses_a_dict():
    with pytest.raises(AnsibleFilterError, match='expects a list of versions'):
        gpu_summary({'versions': VERSIONS})


def test_gpu_summary_names_an_item_that_is_not_a_version():
    with pytest.raises(AnsibleFilterError, match='item 1 is a list'):
        gpu_summary([VERSIONS[0], VERSIONS])


@pytest.mark.parametrize('value', [8, '8', ' 8 '])
def test_code_gives_the_name(value):
    assert job_status(value) == 'running'


@pytest.mark.parametrize('value', ['running', 'RUNNING', 'JOBSTAT_RUNNING', 'jobstat_running'])
def test_name_gives_the_code(value):
    assert job_status(value) == 8


def test_group_gives_its_codes():
    assert job_status('active') == [1, 2, 4, 7, 8, 9, 15, 18, 19]


def test_terminal_group_is_succeeded_failed_and_canceled():
    assert job_status('terminal') == [3, 5, 6, 10, 11, 12, 13, 14, 16, 17, 20, 21]


def test_unknown_is_the_group_and_jobstat_unknown_the_name():
    assert (job_status('unknown'), job_status('JOBSTAT_UNKNOWN')) == ([0], 0)


def test_output_api_name():
    assert job_status(8, 'api_name') == 'JOBSTAT_RUNNING'


def test_output_group_of_a_code():
    assert job_status(11, 'group') == 'failed'


def test_output_code_of_a_code():
    assert job_status('10', 'code') == 10


def test_output_name_of_a_group():
    assert job_status('canceled', 'name') == ['killed', 'canceled']


def test_unknown_code_is_named_with_what_is_allowed():
    with pytest.raises(AnsibleFilterError, match=r"unknown status code 22.*allowed are status codes 0-21"):
        job_status(22)


def test_unknown_name_is_named_with_what_is_allowed():
    with pytest.raises(AnsibleFilterError, match=r"unknown status 'sleeping'.*groups: active"):
        job_status('sleeping')


def test_boolean_is_not_a_status():
    with pytest.raises(AnsibleFilterError, match='True is not a status'):
        job_status(True)


def test_list_is_refused_with_a_hint_to_map():
    with pytest.raises(AnsibleFilterError, match=r"map\('mlops.modelarts.job_status'\)"):
        job_status([8, 10])


def test_unknown_output_is_refused():
    with pytest.raises(AnsibleFilterError, match="output 'label' is not one of auto, code, name, api_name, group"):
        job_status(8, 'label')


DAY_MS = 86400000
TIMED = [
    dict(status=8, create_time=1764547200000 - DAY_MS, start_time=1764547200000, gpu_num=8, pool_id='pool-gpu-a'),
    dict(status='10', create_time=1764547200000, start_time=1764547200000 + 3600000, end_time=1764547200000 + 7200000,
         gpu_num=1, npu_num=0, pool_id=None),
    dict(status=7, create_time=1764547200000 + 3600000, gpu_num=4),
]


def test_gpu_usage_is_the_shared_layers_usage():
    expected = _usage.gpu_usage([dict(v, status=int(v['status'])) for v in TIMED], 1764547200000, 1764547200000 + DAY_MS)
    assert gpu_usage(TIMED, since='2025-12-01', until='2025-12-02T00:00:00Z') == expected
    assert (expected['gpu_hours'], expected['queue']['waiting']) == (193.0, 1)


def test_gpu_usage_needs_since():
    with pytest.raises(AnsibleFilterError, match='gpu_usage needs since'):
        gpu_usage(TIMED)


def test_gpu_usage_names_the_bad_argument_and_the_accepted_forms():
    with pytest.raises(AnsibleFilterError, match=r"gpu_usage: until: 'tomorrow' is not a time; accepted are an ISO 8601"):
        gpu_usage(TIMED, since='30d', until='tomorrow')


def test_gpu_usage_refuses_a_dict_instead_of_a_list():
    with pytest.raises(AnsibleFilterError, match='gpu_usage expects a list of versions'):
        gpu_usage({'versions': TIMED}, since='30d')


class _AnsibleLazyTemplateDict(dict):
    """Named like the mapping ansible-core 2.19 hands a filter for a dict variable."""


class _AnsibleLazyTemplateList(list):
    """Named like the list ansible-core 2.19 hands a filter for a list variable."""


def test_a_mapping_given_for_the_versions_is_called_a_mapping_not_by_its_class_name():
    with pytest.raises(AnsibleFilterError) as caught:
        gpu_summary(_AnsibleLazyTemplateDict(versions=VERSIONS))
    assert str(caught.value).endswith('; got a mapping') and 'Ansible' not in str(caught.value)


def test_a_list_given_for_a_version_is_called_a_list_not_by_its_class_name():
    with pytest.raises(AnsibleFilterError) as caught:
        gpu_usage([_AnsibleLazyTemplateList(VERSIONS)], since='1d')
    assert 'item 0 is a list, not a version' in str(caught.value) and 'Ansible' not in str(caught.value)
