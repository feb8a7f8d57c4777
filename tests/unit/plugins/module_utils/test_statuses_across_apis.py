# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""`status` values across the v1 and v2 APIs: names and groups for both, codes for v1; what each API is asked."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest
from hypothesis import given, settings, strategies as st

from ansible_collections.mlops.modelarts.plugins.module_utils._errors import OptionError
from ansible_collections.mlops.modelarts.plugins.module_utils._statuses import (
    ALL_STATUS_CODES, STATUS_NAMES, V2_PHASES, StatusValueError, allowed_status_values_text, resolve_statuses,
    select_statuses, status_group, status_name,
)

ACTIVE_CODES = [1, 2, 4, 7, 8, 9, 15, 18, 19]
FAILED_CODES = [3, 5, 6, 11, 14, 16, 17, 21]


def asked(selection):
    return selection.apis, selection.codes, selection.phases


@pytest.mark.parametrize('phase, name, group', [
    ('Creating', 'creating', 'active'), ('Pending', 'pending', 'active'), ('Running', 'running', 'active'),
    ('Terminating', 'terminating', 'active'), ('Completed', 'completed', 'succeeded'), ('Failed', 'failed', 'failed'),
    ('Abnormal', 'abnormal', 'failed'), ('Terminated', 'terminated', 'canceled'),
])
def test_every_v2_phase_has_a_name_and_a_group(phase, name, group):
    assert (status_name(phase), status_group(phase)) == (name, group)


def test_a_phase_the_table_does_not_know_keeps_its_text_in_the_unknown_group():
    assert (status_name('Queued'), status_group('Queued')) == ('unknown_Queued', 'unknown')


def test_v1_codes_keep_their_names_and_groups():
    assert [status_name(code) for code in ALL_STATUS_CODES] == [STATUS_NAMES[code] for code in ALL_STATUS_CODES]
    assert (status_name(8), status_group(8), status_name(10), status_group(12)) == (
        'running', 'active', 'completed', 'canceled')


@pytest.mark.parametrize('values, expected', [
    (None, (('v1', 'v2'), None, None)),
    ([], (('v1', 'v2'), None, None)),
    (['running'], (('v1', 'v2'), [8], ['Running'])),
    (['Completed'], (('v1', 'v2'), [10], ['Completed'])),
    (['active'], (('v1', 'v2'), ACTIVE_CODES, ['Creating', 'Pending', 'Running', 'Terminating'])),
    (['failed'], (('v1', 'v2'), FAILED_CODES, ['Failed', 'Abnormal'])),
    (['succeeded'], (('v1', 'v2'), [10, 20], ['Completed'])),
    (['canceled'], (('v1', 'v2'), [12, 13], ['Terminated'])),
    (['active', 'terminal'], (('v1', 'v2'), list(range(1, 22)), None)),
    (['active', 'terminal', 'unknown'], (('v1', 'v2'), None, None)),
    ([8], (('v1',), [8], [])),
    (['8', 'JOBSTAT_RUNNING', 'killed'], (('v1',), [8, 12], [])),
    (['unknown'], (('v1',), [0], [])),
    (['pending'], (('v2',), [], ['Pending'])),
    (['TERMINATED', 'abnormal', ' creating '], (('v2',), [], ['Creating', 'Terminated', 'Abnormal'])),
    ([8, 'pending'], (('v1', 'v2'), [8], ['Pending'])),
])
def test_under_all_each_api_is_asked_for_its_own_statuses_and_an_api_with_none_not_at_all(values, expected):
    assert asked(select_statuses(values, 'all')) == expected


@pytest.mark.parametrize('values', [None, [8], ['running', 'failed'], ['active'], ['terminal', 'unknown', 3],
                                    ['JOBSTAT_CHECK_RUNNING_COMPLETED', ' 21 '], list(range(22))])
def test_under_v1_the_codes_are_those_of_0_2_0(values):
    selection = select_statuses(values, 'v1')
    assert (selection.apis, selection.codes) == (('v1',), resolve_statuses(values))
    assert selection.phases == []


@pytest.mark.parametrize('values, phases', [
    (None, None), (['running'], ['Running']), (['succeeded', 'Failed'], ['Failed', 'Completed', 'Abnormal']),
    (['active', 'terminal'], None), (list(V2_PHASES), None),
])
def test_under_v2_the_phases_asked_are_those_of_the_names_and_groups(values, phases):
    assert asked(select_statuses(values, 'v2')) == (('v2',), [], phases)


@pytest.mark.parametrize('values, training_api, problem', [
    ([8], 'v2', "8 exists only in the v1 API, and training_api is v2"),
    (['JOBSTAT_RUNNING'], 'v2', "'JOBSTAT_RUNNING' exists only in the v1 API"),
    (['unknown'], 'v2', "'unknown' exists only in the v1 API"),
    (['running', 'pending'], 'v1', "'pending' exists only in the v2 API, and training_api is v1"),
    (['abnormal'], 'v1', "'abnormal' exists only in the v2 API"),
    (['runing'], 'all', "unknown status 'runing'"),
    ([22], 'all', 'unknown status code 22'),
    ([True], 'v2', 'True is not a status'),
])
def test_a_value_in_none_of_the_selected_apis_fails_naming_the_option_and_what_is_allowed(values, training_api, problem):
    with pytest.raises(OptionError) as caught:
        select_statuses(values, training_api)
    message = str(caught.value)
    assert message.startswith('status: ')
    assert problem in message
    assert message.endswith('allowed are %s' % allowed_status_values_text(training_api))


def test_the_gate_names_its_own_option():
    with pytest.raises(OptionError, match=r'^wait_for\.status: '):
        select_statuses(['pending'], 'v1', option='wait_for.status')


def test_a_training_api_outside_the_choices_fails_naming_it():
    with pytest.raises(OptionError, match="training_api: 'v3' is not one of all, v1, v2"):
        select_statuses(None, 'v3')


def test_the_allowed_text_of_each_api_lists_what_it_accepts():
    assert allowed_status_values_text() == allowed_status_values_text('v1')
    assert '0-21' not in allowed_status_values_text('v2') and 'unknown' not in allowed_status_values_text('v2')
    for text in (allowed_status_values_text('v2'), allowed_status_values_text('all')):
        assert all(phase in text for phase in V2_PHASES)
    assert '0-21' in allowed_status_values_text('all')


def test_a_selection_accepts_the_statuses_of_both_apis_it_asked_for():
    selection = select_statuses(['succeeded'], 'all')
    assert [selection.accepts(status) for status in (10, 20, 'Completed', 8, 'Running', 'Queued', None)] == [
        True, True, True, False, False, False, False]
    everything = select_statuses(None, 'v2')
    assert everything.accepts('Running') and everything.accepts('Queued') and not everything.accepts(8)
    assert select_statuses(['unknown'], 'all').asks('v1') and not select_statuses(['unknown'], 'all').asks('v2')


STATUS_VALUES = st.one_of(st.integers(min_value=-2, max_value=24), st.booleans(),
                          st.sampled_from(['running', 'Completed', 'failed', 'canceled', 'active', 'terminal', 'unknown',
                                           'succeeded', 'pending', 'ABNORMAL', 'terminated', 'JOBSTAT_KILLED', 'killed',
                                           'creating', 'image_creating', 'nope', '', ' 8 ']))


@settings(max_examples=200, deadline=None)
@given(values=st.lists(STATUS_VALUES, max_size=5), training_api=st.sampled_from(['all', 'v1', 'v2']))
def test_any_status_values_select_what_each_api_holds_or_fail_as_an_option_error(values, training_api):
    try:
        selection = select_statuses(values, training_api)
    except OptionError as exc:
        assert str(exc).startswith('status: ')
        return
    for api, asked_for in (('v1', selection.codes), ('v2', selection.phases)):
        if api not in selection.apis:
            assert asked_for == []
    if training_api == 'v1':
        assert selection.codes == resolve_statuses(values)
    if selection.asks('v2') and selection.phases is not None:
        assert selection.phases and all(phase in V2_PHASES for phase in selection.phases)
    assert selection.apis and set(selection.apis) <= {'all': {'v1', 'v2'}}.get(training_api, {training_api})
    for value in values:
        try:
            resolve_statuses([value])
            v1_holds = True
        except StatusValueError:
            v1_holds = False
        # A value v1 knows is asked of v1 whenever v1 is selected.
        if v1_holds and training_api != 'v2':
            assert 'v1' in selection.apis
