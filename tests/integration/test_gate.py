# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The gate of training_job_version_info (wait / wait_for) against the emulator, whose versions change status over time."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import contextlib
import itertools
import json
import threading
import time

import pytest

from conftest import credentials, execute_playbook

PLAY = '''
- hosts: localhost
  gather_facts: false
  tasks:
    - name: gate
      mlops.modelarts.training_job_version_info: %s
'''

# Every test adds its own versions, with ids and names no other test uses.
_ids = itertools.count(900001)


def add_version(emulator, prefix, status=8, gpu_num=8, flavor_code='modelarts.p3.large.8'):
    """Add one version to the emulator; give back (version_id, version_name)."""
    version_id = next(_ids)
    name = '%s-V%d' % (prefix, version_id)
    emulator.set_versions(add=[dict(version_id=version_id, version_name=name, status=status, gpu_num=gpu_num,
                                    flavor_code=flavor_code)])
    return version_id, name


@contextlib.contextmanager
def after_first_poll(emulator, action):
    """Run action() in the background once the gate's first request has reached the emulator.

    Playbook start-up time varies a lot on a busy machine, so changes are timed from the first poll, not the test.
    """
    def watch():
        give_up = time.monotonic() + 120
        while not emulator.versions_requests() and time.monotonic() < give_up:
            time.sleep(0.1)
        time.sleep(0.5)  # let the first answer leave the server before the data changes
        action()
    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        yield
    finally:
        watcher.join()


def complete_later(emulator, version_id, status=10):
    """Give back an action that makes the version reach `status` 1.5 s after it is run."""
    return lambda: emulator.transitions([dict(version_id=version_id, after_seconds=1.5, status=status)])


def gate_options(emulator, method='token', **options):
    options.setdefault('wait', True)
    options.setdefault('wait_sleep', 1)
    options.setdefault('wait_timeout', 30)
    return dict(credentials(emulator, method), **options)


def run_gate(run_playbook, options, **kwargs):
    run = run_playbook(PLAY % json.dumps(options), **kwargs)
    return run, run.result('gate')


def playbook_runner(tmp_path_factory, name):
    """A run_playbook for module-scoped fixtures (one playbook run shared by several tests)."""
    directory = tmp_path_factory.mktemp(name)
    return lambda playbook, **options: execute_playbook(directory, playbook, **options)


def batch_play(tasks):
    """Give back a playbook running one gate task per (name, options), each allowed to fail."""
    lines = ['- hosts: localhost', '  gather_facts: false', '  tasks:']
    for name, options in tasks:
        lines += ['    - name: %s' % name, '      mlops.modelarts.training_job_version_info: %s' % json.dumps(options),
                  '      ignore_errors: true']
    return '\n'.join(lines) + '\n'


@pytest.fixture(scope='module')
def completes(emulator, tmp_path_factory):
    """A version that completes a few seconds after the first poll, gated with a password login: (result, IAM logins)."""
    version_id, name = add_version(emulator, 'completes')
    emulator.reset_log()
    with after_first_poll(emulator, complete_later(emulator, version_id)):
        run, result = run_gate(playbook_runner(tmp_path_factory, 'completes'), gate_options(
            emulator, 'password', names=[name], wait_for=dict(status=['succeeded'])))
    return result, len(emulator.iam_requests())


def test_gate_passes_once_the_version_completes(completes):
    result, dummy = completes
    assert (result.get('failed', False), result['wait']['satisfied']) == (False, True)


def test_gate_polls_more_than_once_while_the_version_runs(completes):
    result, dummy = completes
    assert result['wait']['polls'] > 1


def test_gate_returns_the_answer_of_the_last_poll(completes):
    result, dummy = completes
    assert result['versions'][0]['status_name'] == 'completed'


def test_password_login_happens_once_for_all_polls(completes):
    result, logins = completes
    assert logins == 1


def test_gate_fails_at_once_when_the_version_fails(emulator, run_playbook):
    version_id, name = add_version(emulator, 'fails')
    with after_first_poll(emulator, complete_later(emulator, version_id, status=11)):
        run, result = run_gate(run_playbook, gate_options(emulator, names=[name], wait_timeout=120,
                                                          wait_for=dict(status=['succeeded'])))
    assert result.get('failed') is True
    assert result['wait']['outcome'] == 'finished_version'
    assert result['wait']['polls'] < 10  # long before the 120 polls the timeout would allow
    assert '%s is failed' % name in result['msg']


@pytest.fixture(scope='module')
def static_gates(emulator, tmp_path_factory):
    """Gates on versions that do not change, in one playbook run: task name -> (result, version name)."""
    names = {}
    tasks = []

    def task(label, status, **options):
        dummy, name = add_version(emulator, label, status=status)
        names[label] = name
        tasks.append((label, gate_options(emulator, names=[name], **options)))

    task('failed-before', 11, wait_for=dict(status=['succeeded']))
    task('failed-no-fast', 11, wait_timeout=2, wait_for=dict(status=['succeeded'], fail_fast=False))
    task('stays-running', 8, wait_timeout=2, wait_for=dict(status=['succeeded']))
    task('checked-once', 8, wait=False, wait_for=dict(status=['succeeded']))
    task('counts-only', 10, include_versions=False, wait_for=dict(status=['succeeded'], min_versions=1))
    # Issue 24: names a glob cannot spell ('[2]' is a set of one character in a glob), gated on by their exact ids.
    exact_id, names['exact-id'] = add_version(emulator, 'exact[2]', status=10)
    running_id, names['exact-id-running'] = add_version(emulator, 'exact[3]', status=8)
    checked_once = dict(wait=False, wait_for=dict(status=['succeeded'], min_versions=1))
    tasks.append(('exact-id', gate_options(emulator, version_ids=[exact_id], **checked_once)))
    tasks.append(('exact-id-running', gate_options(emulator, version_ids=[running_id], **checked_once)))
    tasks.append(('exact-id-as-text-and-quoted-glob', gate_options(emulator, version_ids=[str(exact_id)],
                                                                   names=['exact[[]2]-*'], **checked_once)))
    tasks.append(('exact-name-as-glob', gate_options(emulator, names=[names['exact-id']], **checked_once)))
    names['exact-id-as-text-and-quoted-glob'] = names['exact-name-as-glob'] = names['exact-id']
    # The lookup: its terms are globs too, version_ids one of its options.
    lookup = ("{{ lookup('mlops.modelarts.training_job_versions', 'exact[[]*', version_ids=[%d, '%d'], **options) "
              "| map(attribute='version_name') }}" % (exact_id, running_id))
    playbook = batch_play(tasks) + '\n'.join([
        '    - name: lookup-exact-ids', '      ansible.builtin.debug:', '        msg: "%s"' % lookup,
        '      vars:', '        options: %s' % json.dumps(credentials(emulator, 'token')), ''])
    run = playbook_runner(tmp_path_factory, 'static')(playbook)
    names['lookup-exact-ids'] = sorted([names['exact-id'], names['exact-id-running']])
    return dict((label, (run.result(label), names[label])) for label in names)


def test_gate_fails_on_the_first_poll_for_an_already_failed_version(static_gates):
    result, dummy = static_gates['failed-before']
    assert (result.get('failed'), result['wait']['polls']) == (True, 1)


def test_fail_fast_false_waits_for_the_timeout(static_gates):
    result, dummy = static_gates['failed-no-fast']
    assert result['wait']['outcome'] == 'timeout'


def test_timeout_fails_naming_the_condition_and_what_was_last_seen(static_gates):
    result, name = static_gates['stays-running']
    assert result.get('failed') is True
    assert result['msg'].startswith('wait_for did not hold within wait_timeout=2s')
    assert 'status: 1 of 1 matching versions not in [succeeded]: %s is running' % name in result['msg']


def test_timeout_returns_the_last_answer(static_gates):
    result, name = static_gates['stays-running']
    assert [v['version_name'] for v in result['versions']] == [name]


def test_wait_for_without_wait_checks_once_and_fails(static_gates):
    result, dummy = static_gates['checked-once']
    assert (result.get('failed'), result['wait']['outcome'], result['wait']['polls']) == (True, 'not_satisfied', 1)


def test_counts_only_gate_still_checks_statuses(static_gates):
    result, dummy = static_gates['counts-only']
    assert (result.get('failed', False), 'versions' in result) == (False, False)


def test_a_gate_on_an_exact_id_passes_for_the_completed_version_whose_name_holds_brackets(static_gates):
    result, name = static_gates['exact-id']
    assert (result.get('failed', False), result['wait']['satisfied']) == (False, True)
    assert [v['version_name'] for v in result['versions']] == [name]


def test_a_gate_on_an_exact_id_judges_only_that_version(static_gates):
    result, name = static_gates['exact-id-running']
    assert result.get('failed') is True
    assert 'status: 1 of 1 matching versions not in [succeeded]: %s is running' % name in result['msg']


def test_an_id_as_text_and_a_quoted_glob_both_select_the_version(static_gates):
    result, name = static_gates['exact-id-as-text-and-quoted-glob']
    assert (result.get('failed', False), [v['version_name'] for v in result['versions']]) == (False, [name])


def test_the_exact_name_read_as_a_glob_matches_nothing(static_gates):
    # Why version_ids exists: 'exact[2]-V...' as a glob means 'exact2-V...'.
    result, dummy = static_gates['exact-name-as-glob']
    assert result.get('failed') is True
    assert 'min_versions: 0 versions match, at least 1 wanted' in result['msg']


def test_the_lookup_selects_exact_ids_among_the_versions_its_glob_terms_match(static_gates):
    result, names = static_gates['lookup-exact-ids']
    assert sorted(result['msg']) == names


def test_max_active_gpus_passes_once_gpus_are_released(emulator, run_playbook):
    first, dummy = add_version(emulator, 'capacity', gpu_num=8)
    add_version(emulator, 'capacity', gpu_num=8)
    with after_first_poll(emulator, complete_later(emulator, first)):
        run, result = run_gate(run_playbook, gate_options(emulator, names=['capacity-*'],
                                                          wait_for=dict(max_active_gpus=8)))
    assert run.returncode == 0, run.stdout
    assert result['wait']['polls'] > 1
    assert result['wait']['conditions']['max_active_gpus']['seen'] == 8


def test_min_versions_waits_for_a_version_to_appear(emulator, run_playbook):
    with after_first_poll(emulator, lambda: add_version(emulator, 'appears')):
        run, result = run_gate(run_playbook, gate_options(emulator, names=['appears-*'],
                                                          wait_for=dict(min_versions=1)))
    assert run.returncode == 0, run.stdout
    assert result['wait']['polls'] > 1


def test_check_mode_still_waits(emulator, run_playbook):
    version_id, name = add_version(emulator, 'check-mode')
    with after_first_poll(emulator, complete_later(emulator, version_id)):
        run, result = run_gate(run_playbook, gate_options(emulator, names=[name], wait_for=dict(status=['succeeded'])),
                               check=True)
    assert run.returncode == 0, run.stdout
    assert result['wait']['polls'] > 1


@pytest.fixture(scope='module')
def crowded_gates(emulator, tmp_path_factory):
    """83 running versions (one of them failed), gated on in one playbook run: task name -> (result, failed name)."""
    first = next(_ids)
    for dummy in range(82):
        next(_ids)
    versions = [dict(version_id=first + index, version_name='crowd-V%d' % (first + index), status=8, gpu_num=8,
                     flavor_code='modelarts.p3.large.8', version_desc='a description of some length ' * 4)
                for index in range(83)]
    versions[40]['status'] = 11
    emulator.set_versions(add=versions)
    run = playbook_runner(tmp_path_factory, 'crowded')(batch_play([
        ('finished', gate_options(emulator, names=['crowd-*'], wait_for=dict(status=['succeeded']))),
        ('timeout', gate_options(emulator, names=['crowd-*'], wait_timeout=1,
                                 wait_for=dict(status=['running'], max_active_gpus=8, fail_fast=False))),
    ]))
    return dict((label, run.result(label)) for label in ('finished', 'timeout')), versions[40]['version_name']


def test_a_gate_stopped_by_a_finished_version_returns_that_version_and_counts(crowded_gates):
    results, failed = crowded_gates
    result = results['finished']
    assert result['wait']['outcome'] == 'finished_version'
    assert [version['version_name'] for version in result['versions']] == [failed]
    assert (result['wait']['matching_versions'], result['wait']['deciding_versions']) == (83, 1)
    assert len(json.dumps(result)) < 8000  # every version made about 40 KB


def test_a_timed_out_gate_returns_a_few_deciding_versions_and_counts(crowded_gates):
    results, failed = crowded_gates
    result = results['timeout']
    assert result['wait']['outcome'] == 'timeout'
    assert len(result['versions']) == 10 and result['versions'][0]['status_name'] == 'running'
    assert (result['wait']['matching_versions'], result['wait']['deciding_versions']) == (83, 83)
    assert result['gpu_summary']['versions'] == 83 and len(json.dumps(result)) < 12000


UNUSABLE = [
    ('unknown status', dict(wait_for=dict(status=['finished'])), 'wait_for.status'),
    ('negative max_active_gpus', dict(wait_for=dict(max_active_gpus=-1)), 'wait_for.max_active_gpus'),
    ('wait without wait_for', dict(), 'wait: true needs wait_for'),
]


@pytest.fixture(scope='module')
def unusable_gates(emulator, tmp_path_factory):
    """Gates with unusable options, in one playbook run: (task name -> result, versions requests sent)."""
    emulator.reset_log()
    run = playbook_runner(tmp_path_factory, 'unusable')(batch_play(
        [(label, gate_options(emulator, **options)) for label, options, dummy in UNUSABLE]))
    return dict((label, run.result(label)) for label, dummy, dummy2 in UNUSABLE), len(emulator.versions_requests())


@pytest.mark.parametrize('label, option', [(label, option) for label, dummy, option in UNUSABLE])
def test_unusable_wait_options_fail_naming_the_option(unusable_gates, label, option):
    results, dummy = unusable_gates
    assert results[label]['msg'].startswith(option)


def test_unusable_wait_options_send_no_request(unusable_gates):
    dummy, requests = unusable_gates
    assert requests == 0


GATE_PLAYBOOK = '''
- ansible.builtin.import_playbook: mlops.modelarts.gate_on_training
'''
CAPACITY_PLAYBOOK = '''
- ansible.builtin.import_playbook: mlops.modelarts.wait_for_capacity
'''


def playbook_vars(emulator, **extra):
    """The collection playbooks' modelarts_* variables for the emulator (token auth)."""
    return dict(dict(('modelarts_' + key, value) for key, value in credentials(emulator, 'token').items()), **extra)


def test_gate_on_training_fails_with_a_readable_summary(emulator, run_playbook):
    dummy, name = add_version(emulator, 'gate-playbook-running')
    run = run_playbook(GATE_PLAYBOOK, extra_vars=playbook_vars(emulator, modelarts_version_name=name))
    summary = run.result('Stop unless the version completed')['msg']
    assert run.returncode != 0
    assert summary[0] == 'FAILED: gate on training job version %s (wanted: succeeded)' % name
    assert summary[1].startswith('%s (version_id ' % name) and ': running (active)' in summary[1]


def test_gate_on_training_fails_for_a_version_that_does_not_exist(emulator, run_playbook):
    run = run_playbook(GATE_PLAYBOOK, extra_vars=playbook_vars(emulator, modelarts_version_name='no-such-version'))
    summary = run.result('Stop unless the version completed')['msg']
    assert 'no version named no-such-version exists in the project' in summary


def test_gate_on_training_waits_for_the_version_to_complete(emulator, run_playbook):
    version_id, name = add_version(emulator, 'gate-playbook-completes')
    with after_first_poll(emulator, complete_later(emulator, version_id)):
        run = run_playbook(GATE_PLAYBOOK, extra_vars=playbook_vars(
            emulator, modelarts_version_name=name, modelarts_wait=True, modelarts_wait_sleep=1, modelarts_wait_timeout=60))
    assert run.returncode == 0, run.stdout[-3000:]
    summary = run.result('Show the gate\'s outcome')['msg']
    assert summary[0].startswith('PASSED')
    assert run.result('Ask ModelArts whether %s completed' % name)['wait']['polls'] > 1


def test_wait_for_capacity_passes_once_the_pool_has_room(emulator, run_playbook):
    emulator.set_versions(add=[dict(version_id=next(_ids), version_name='pool-filler', status=8, gpu_num=8,
                                    pool_id='pool-gpu-a', flavor_code='modelarts.p3.large.8')])
    state = run_playbook(PLAY % json.dumps(dict(credentials(emulator, 'token'), pool_id='pool-gpu-a', status=['active'])))
    busy = state.result('gate')['versions']
    active_gpus = sum(v['gpu_num'] for v in busy)
    heaviest = max(busy, key=lambda v: v['gpu_num'])
    emulator.reset_log()
    with after_first_poll(emulator, complete_later(emulator, heaviest['version_id'])):
        run = run_playbook(CAPACITY_PLAYBOOK, extra_vars=playbook_vars(
            emulator, modelarts_pool_id='pool-gpu-a', modelarts_max_active_gpus=active_gpus - heaviest['gpu_num'],
            modelarts_wait_sleep=1, modelarts_wait_timeout=60))
    assert run.returncode == 0, run.stdout[-3000:]
    result = run.result('Wait until at most %d GPUs are active in pool-gpu-a' % (active_gpus - heaviest['gpu_num']))
    assert result['wait']['polls'] > 1
