# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Status values users write (codes, names, groups) and the names and groups results carry."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.mlops.modelarts.plugins.module_utils._statuses import (
    ALL_STATUS_CODES, BASE_GROUPS, STATUS_GROUPS, StatusValueError, allowed_status_values_text, resolve_statuses,
    status_group, status_name,
)

ACTIVE = [1, 2, 4, 7, 8, 9, 15, 18, 19]
SUCCEEDED = [10, 20]
FAILED = [3, 5, 6, 11, 14, 16, 17, 21]
CANCELED = [12, 13]


def test_status_codes_are_accepted_as_numbers_and_as_text():
    assert resolve_statuses([8]) == [8]
    assert resolve_statuses(['8']) == [8]
    assert resolve_statuses([' 21 ']) == [21]


@pytest.mark.parametrize('value', ['running', 'RUNNING', 'Running', 'JOBSTAT_RUNNING', 'jobstat_running', 'JobStat_Running',
                                   ' running '])
def test_status_names_are_case_insensitive_with_or_without_prefix(value):
    assert resolve_statuses([value]) == [8]


def test_every_api_status_name_resolves_to_its_code():
    assert resolve_statuses(['JOBSTAT_CHECK_RUNNING_COMPLETED']) == [20]
    assert resolve_statuses(['image_creating']) == [2]
    assert resolve_statuses(['JOBSTAT_CANCELED']) == [13]
    assert resolve_statuses(['jobstat_failed']) == [11]


@pytest.mark.parametrize('group, codes', [('active', ACTIVE), ('succeeded', SUCCEEDED), ('failed', FAILED),
                                          ('canceled', CANCELED), ('unknown', [0]),
                                          ('terminal', sorted(SUCCEEDED + FAILED + CANCELED))])
def test_status_groups_stand_for_their_documented_codes(group, codes):
    assert resolve_statuses([group]) == codes


def test_status_groups_are_case_insensitive():
    assert resolve_statuses(['Active']) == ACTIVE
    assert resolve_statuses(['SUCCEEDED']) == SUCCEEDED


def test_short_names_shared_with_a_group_mean_the_group():
    # "failed" and "canceled" are both a group and the short name of one status; the group wins,
    # and the JOBSTAT_ name still picks the single status.
    assert resolve_statuses(['failed']) == FAILED
    assert resolve_statuses(['canceled']) == CANCELED
    assert resolve_statuses(['JOBSTAT_FAILED']) == [11]


def test_several_values_are_merged_sorted_and_deduplicated():
    assert resolve_statuses([10, 'completed', 'running', 'succeeded']) == [8, 10, 20]


@pytest.mark.parametrize('values', [None, [], ['active', 'terminal', 'unknown'], list(range(22)),
                                    ['active', 'succeeded', 'failed', 'canceled', 0]])
def test_asking_for_every_status_means_no_status_filter(values):
    assert resolve_statuses(values) is None


@pytest.mark.parametrize('value', ['runing', 22, -1, '22', 'JOBSTAT_', 'all', True, 3.5, ''])
def test_unknown_status_values_are_rejected(value):
    with pytest.raises(StatusValueError):
        resolve_statuses([value])


def test_unknown_status_message_names_the_value():
    with pytest.raises(StatusValueError, match='runing'):
        resolve_statuses(['runing'])


def test_allowed_values_text_lists_codes_names_and_every_group():
    text = allowed_status_values_text()
    assert '0-21' in text
    assert 'JOBSTAT_RUNNING' in text
    for group in STATUS_GROUPS:
        assert group in text


def test_status_names_are_lower_case_without_prefix():
    assert status_name(8) == 'running'
    assert status_name(20) == 'check_running_completed'
    assert status_name(0) == 'unknown'


def test_codes_the_table_does_not_know_get_a_name_that_keeps_the_code():
    assert status_name(99) == 'unknown_99'
    assert status_name(None) == 'unknown_None'


def test_every_status_code_belongs_to_exactly_one_base_group():
    for code in ALL_STATUS_CODES:
        assert [group for group in BASE_GROUPS if code in STATUS_GROUPS[group]] == [status_group(code)]


def test_codes_the_table_does_not_know_are_in_the_unknown_group():
    assert status_group(99) == 'unknown'
    assert status_group(None) == 'unknown'
