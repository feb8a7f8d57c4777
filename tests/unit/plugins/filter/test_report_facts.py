# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Where mlops.modelarts.gpu_report reads the playbook's own per-host facts (the query error, the fetch time)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.mlops.modelarts.plugins.filter.report import gpu_report

SUMMARY = dict(versions=1, gpu_num=1, npu_num=0, active_gpu_num=0, active_npu_num=0, by_status={}, by_flavor={}, by_pool={})


def test_the_host_variable_wins_over_an_ansible_facts_entry_another_host_wrote():
    # ansible-core 2.21 after a run_once task: every host's ansible_facts shows the last host's cacheable set_fact.
    host = dict(inventory_hostname='good', modelarts_report_error='', modelarts_gpu_summary=SUMMARY,
                ansible_facts=dict(modelarts_report_error='GET ... failed: HTTP 401', modelarts_gpu_summary=SUMMARY))
    project = gpu_report([host], now=1700000000.0)['projects'][0]
    assert project['error'] is None and project['has_data'] is True


def test_a_report_from_the_fact_cache_reads_the_cached_error():
    host = dict(inventory_hostname='bad', ansible_facts=dict(modelarts_report_error='GET ... failed: HTTP 401'))
    assert gpu_report([host], now=1700000000.0)['projects'][0]['error'] == 'GET ... failed: HTTP 401'


def test_a_host_that_is_not_a_mapping_is_named_by_its_kind_not_its_class_name():
    class _AnsibleTaggedStr(str):
        """Named like the string ansible-core 2.19 hands a filter."""

    with pytest.raises(AnsibleFilterError) as caught:
        gpu_report([_AnsibleTaggedStr('eu-de')])
    assert 'item 0 is a string, not a dict of host variables' in str(caught.value) and 'Tagged' not in str(caught.value)
