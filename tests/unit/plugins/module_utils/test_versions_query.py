# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Query options are checked before any request, and valid ones map to the API's parameters."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.mlops.modelarts.plugins.module_utils._errors import OptionError
from ansible_collections.mlops.modelarts.plugins.module_utils._versions import Query


@pytest.mark.parametrize('option', ['offset', 'limit', 'page_size'])
def test_negative_counts_are_rejected_naming_the_option(option):
    with pytest.raises(OptionError, match='^%s must be 0 or greater; got -1' % option):
        Query({option: -1})


@pytest.mark.parametrize('option', ['offset', 'limit', 'page_size'])
def test_counts_that_are_not_integers_are_rejected_naming_the_option(option):
    with pytest.raises(OptionError, match='^%s must be an integer' % option):
        Query({option: 'ten'})


@pytest.mark.parametrize('option', ['offset', 'limit', 'page_size'])
def test_booleans_are_not_counts(option):
    with pytest.raises(OptionError, match='^%s ' % option):
        Query({option: True})


@pytest.mark.parametrize('option, value', [('sort_by', 'name'), ('order', 'descending'), ('offset_unit', 'bytes')])
def test_bad_choices_are_rejected_naming_the_option_and_the_choices(option, value):
    with pytest.raises(OptionError) as caught:
        Query({option: value})
    message = str(caught.value)
    assert message.startswith('%s: %r is not one of' % (option, value))


def test_bad_sort_by_message_lists_the_allowed_fields():
    with pytest.raises(OptionError) as caught:
        Query({'sort_by': 'name'})
    for field in ('create_time', 'duration', 'job_desc', 'job_name', 'status'):
        assert field in str(caught.value)


def test_unknown_status_is_rejected_naming_the_option_and_what_is_allowed():
    with pytest.raises(OptionError) as caught:
        Query({'status': ['running', 'sleeping']})
    message = str(caught.value)
    assert message.startswith('status: ')
    assert 'sleeping' in message
    assert 'JOBSTAT_RUNNING' in message and 'active' in message and 'terminal' in message


def test_status_given_as_one_value_is_a_list_of_one():
    assert Query({'status': 'running'}).statuses == [8]


def test_defaults_ask_for_everything_newest_first_in_workspace_zero():
    query = Query({})
    assert query.statuses is None
    assert query.base_pairs() == [('sort_by', 'create_time'), ('order', 'desc'), ('workspace_id', '0')]
    assert (query.offset, query.limit, query.page_size, query.offset_unit) == (0, 0, 0, 'auto')
    assert query.include_versions is True


def test_options_from_a_module_with_unset_values_get_the_defaults():
    params = dict(status=None, pool_id=None, workspace_id=None, sort_by=None, order=None, offset=None, limit=None,
                  page_size=None, offset_unit=None, names=None, include_versions=None)
    query = Query(params)
    assert query.base_pairs() == [('sort_by', 'create_time'), ('order', 'desc'), ('workspace_id', '0')]
    assert query.names == []


def test_valid_options_map_to_the_api_parameters():
    query = Query(dict(pool_id='pool-gpu-a', workspace_id='ws-research', sort_by='job_name', order='asc'))
    assert query.base_pairs() == [('sort_by', 'job_name'), ('order', 'asc'), ('workspace_id', 'ws-research'),
                                  ('pool_id', 'pool-gpu-a')]


def test_counts_given_as_text_are_read_as_integers():
    query = Query(dict(offset='5', limit='10', page_size='50'))
    assert (query.offset, query.limit, query.page_size) == (5, 10, 50)


def test_include_versions_false_is_kept():
    assert Query({'include_versions': False}).include_versions is False


def test_effective_query_shows_resolved_statuses_and_the_offset_unit_used():
    query = Query(dict(status=['succeeded', 'running'], names=['resnet*'], page_size=20))
    shown = query.as_dict(offset_unit_used='records')
    assert shown['status'] == [8, 10, 20]
    assert shown['names'] == ['resnet*']
    assert shown['offset_unit'] == 'auto'
    assert shown['offset_unit_used'] == 'records'


@pytest.mark.parametrize('params, local', [
    ({}, False),
    ({'status': ['running']}, False),
    ({'status': ['running', 'completed']}, True),
    ({'status': ['active']}, True),
    ({'names': ['a*']}, True),
])
def test_offset_and_limit_go_to_the_api_only_for_one_status_without_names(params, local):
    # On v1 alone; v2 jobs (training_api v2 and all) are always selected locally (test_v2_source.py).
    assert Query(dict(params, training_api='v1')).needs_local_selection() is local
