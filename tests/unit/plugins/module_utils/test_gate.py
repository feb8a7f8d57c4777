# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The gate's decisions on a scripted series of answers, with a fake clock (no sleeping, no HTTP)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.mlops.modelarts.plugins.module_utils._errors import OptionError
from ansible_collections.mlops.modelarts.plugins.module_utils._gate import Gate
from ansible_collections.mlops.modelarts.plugins.module_utils._versions import enrich, summarize


class FakeClock(object):
    """A monotonic clock that only moves when the gate sleeps."""

    def __init__(self):
        self.now = 1000.0
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def answer(*statuses, **kwargs):
    gpus = kwargs.get('gpus', 8)
    versions = [dict(version_id=index + 1, version_name='job-V%04d' % (index + 1), status=status, gpu_num=gpus, npu_num=0,
                     flavor_code='modelarts.p3.large.8')
                for index, status in enumerate(statuses)]
    return dict(versions=enrich(versions), gpu_summary=summarize(versions), total_count=len(versions), query={})


def scripted(*answers):
    """Give back a fetch() that answers each of `answers` in turn, the last one forever."""
    calls = []

    def fetch():
        calls.append(1)
        return answers[min(len(calls), len(answers)) - 1], []
    fetch.calls = calls
    return fetch


def gate(clock, **params):
    params.setdefault('wait', True)
    params.setdefault('wait_timeout', 30)
    params.setdefault('wait_sleep', 5)
    return Gate(params, clock=clock, sleep=clock.sleep)


def test_gate_passes_after_the_version_completes():
    clock = FakeClock()
    outcome = gate(clock, wait_for={'status': ['succeeded']}).poll(scripted(answer(8), answer(8), answer(10)))
    assert outcome.failure is None
    assert outcome.result['wait']['satisfied'] is True
    assert outcome.result['wait']['polls'] == 3


def test_gate_sleeps_wait_sleep_between_polls():
    clock = FakeClock()
    gate(clock, wait_for={'status': ['succeeded']}).poll(scripted(answer(8), answer(8), answer(10)))
    assert clock.sleeps == [5, 5]


def test_failed_version_stops_the_wait_at_once():
    clock = FakeClock()
    outcome = gate(clock, wait_for={'status': ['succeeded']}).poll(scripted(answer(8), answer(11)))
    assert outcome.result['wait']['outcome'] == 'finished_version'
    assert outcome.result['wait']['polls'] == 2
    assert 'job-V0001 is failed' in outcome.failure


def test_canceled_version_stops_a_wait_for_succeeded_too():
    clock = FakeClock()
    outcome = gate(clock, wait_for={'status': ['succeeded']}).poll(scripted(answer(12)))
    assert outcome.result['wait']['outcome'] == 'finished_version'


def test_fail_fast_false_waits_out_the_timeout():
    clock = FakeClock()
    outcome = gate(clock, wait_for={'status': ['succeeded'], 'fail_fast': False}).poll(scripted(answer(11)))
    assert outcome.result['wait']['outcome'] == 'timeout'
    assert outcome.result['wait']['polls'] == 7  # at 0, 5, ..., 30 s


def test_timeout_message_names_the_condition_and_what_was_seen():
    clock = FakeClock()
    outcome = gate(clock, wait_for={'status': ['succeeded']}).poll(scripted(answer(8)))
    assert 'wait_timeout=30s' in outcome.failure
    assert 'status: 1 of 1 matching versions not in [succeeded]: job-V0001 is running' in outcome.failure


def test_timeout_returns_the_last_answer():
    clock = FakeClock()
    outcome = gate(clock, wait_for={'status': ['succeeded']}).poll(scripted(answer(7), answer(8)))
    assert outcome.result['versions'][0]['status_name'] == 'running'


def test_last_sleep_is_cut_to_the_time_left():
    clock = FakeClock()
    gate(clock, wait_timeout=12, wait_for={'status': ['succeeded']}).poll(scripted(answer(8)))
    assert clock.sleeps == [5, 5, 2]


def test_max_active_gpus_waits_until_gpus_are_released():
    clock = FakeClock()
    outcome = gate(clock, wait_for={'max_active_gpus': 8}).poll(scripted(answer(8, 8), answer(8, 10)))
    assert outcome.failure is None
    assert outcome.result['wait']['conditions']['max_active_gpus'] == dict(
        holds=True, wanted=8, seen=8, detail='8 active GPUs, at most 8 wanted')


def test_min_versions_waits_for_a_version_to_appear():
    clock = FakeClock()
    outcome = gate(clock, wait_for={'min_versions': 1}).poll(scripted(answer(), answer(1)))
    assert outcome.result['wait']['polls'] == 2
    assert outcome.failure is None


def test_every_condition_must_hold():
    clock = FakeClock()
    outcome = gate(clock, wait_for={'status': ['active'], 'max_active_gpus': 4}).poll(scripted(answer(8)))
    assert outcome.result['wait']['outcome'] == 'timeout'
    assert 'max_active_gpus: 8 active GPUs' in outcome.failure


def test_status_condition_holds_when_no_version_matches():
    clock = FakeClock()
    outcome = gate(clock, wait_for={'status': ['succeeded']}).poll(scripted(answer()))
    assert outcome.failure is None


def test_wait_for_without_wait_checks_once():
    clock = FakeClock()
    fetch = scripted(answer(8), answer(10))
    outcome = gate(clock, wait=False, wait_for={'status': ['succeeded']}).poll(fetch)
    assert (outcome.result['wait']['outcome'], len(fetch.calls)) == ('not_satisfied', 1)


def test_status_condition_accepts_names_codes_and_groups():
    clock = FakeClock()
    outcome = gate(clock, wait_for={'status': ['completed', '20', 'FAILED']}).poll(scripted(answer(10, 20, 11)))
    assert outcome.failure is None


@pytest.mark.parametrize('params, option', [
    (dict(wait_timeout=-1, wait_for={'min_versions': 1}), 'wait_timeout'),
    (dict(wait_sleep=0, wait_for={'min_versions': 1}), 'wait_sleep'),
    (dict(wait_for={'max_active_gpus': -2}), 'wait_for.max_active_gpus'),
    (dict(wait_for={'min_versions': -1}), 'wait_for.min_versions'),
    (dict(wait_for={'status': ['finished']}), 'wait_for.status'),
    (dict(wait_for={'status': []}), 'wait_for.status'),
    (dict(wait_for={'fail_fast': True}), 'wait_for'),
    (dict(wait_for=None), 'wait: true needs wait_for'),
])
def test_unusable_wait_options_fail_before_any_request_naming_the_option(params, option):
    with pytest.raises(OptionError) as caught:
        gate(FakeClock(), **params)
    assert str(caught.value).startswith(option)


def test_a_failed_gate_returns_the_deciding_versions_and_counts_not_every_version():
    clock = FakeClock()
    outcome = gate(clock, wait=False, wait_for={'status': ['succeeded']}).poll(scripted(answer(*([10] * 70 + [8] * 13))))
    assert [v['version_id'] for v in outcome.result['versions']] == list(range(71, 81))
    assert (outcome.result['wait']['matching_versions'], outcome.result['wait']['deciding_versions']) == (83, 13)


def test_a_version_that_finished_elsewhere_is_the_one_a_failed_gate_returns():
    clock = FakeClock()
    outcome = gate(clock, wait_for={'status': ['succeeded']}).poll(scripted(answer(8, 8, 11, 8)))
    assert [v['version_name'] for v in outcome.result['versions']] == ['job-V0003']
    assert outcome.result['wait']['deciding_versions'] == 1


def test_a_capacity_gate_that_times_out_returns_the_versions_holding_active_gpus():
    clock = FakeClock()
    outcome = gate(clock, wait_for={'max_active_gpus': 4}).poll(scripted(answer(10, 8, 11, 8)))
    assert [v['version_name'] for v in outcome.result['versions']] == ['job-V0002', 'job-V0004']


def test_a_passed_gate_returns_every_matching_version():
    clock = FakeClock()
    outcome = gate(clock, wait_for={'status': ['succeeded']}).poll(scripted(answer(*([10] * 83))))
    assert len(outcome.result['versions']) == 83
    assert (outcome.result['wait']['matching_versions'], outcome.result['wait']['deciding_versions']) == (83, None)


def test_one_poll_and_one_gpu_are_counted_in_the_singular():
    clock = FakeClock()
    outcome = gate(clock, wait_timeout=0, wait_for={'max_active_gpus': 0}).poll(scripted(answer(8, gpus=1)))
    assert '(1 poll in 0.0s); last seen: max_active_gpus: 1 active GPU, more than the 0 wanted' in outcome.failure


def test_a_single_matching_version_is_counted_in_the_singular():
    clock = FakeClock()
    outcome = gate(clock, wait_for={'status': ['succeeded'], 'min_versions': 1}).poll(scripted(answer(10)))
    conditions = outcome.result['wait']['conditions']
    assert (conditions['status']['detail'], conditions['min_versions']['detail']) == (
        '1 matching version, all in [succeeded]', '1 version matches, at least 1 wanted')
