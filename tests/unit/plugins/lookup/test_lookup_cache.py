# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The lookup's file cache (plugin_utils/_cache.py): modes, atomic writes, expiry, one computation per key."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import multiprocessing
import os
import stat
import time

import pytest

from ansible_collections.mlops.modelarts.plugins.plugin_utils._cache import (
    FileCache, SharedFailure, cache_key, default_cache_dir,
)

KEY = cache_key({'endpoint': 'https://modelarts.test', 'query': {'status': None}})


class FakeClock(object):
    def __init__(self, now=1000.0):
        self.now = now

    def __call__(self):
        return self.now


class Boom(Exception):
    def cache_failure(self):
        return {'message': str(self)}


def mode_of(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_directory_is_created_with_mode_0700(tmp_path):
    cache = FileCache(str(tmp_path / 'cache'), 60)
    cache.get_or_compute(KEY, lambda: 1)
    assert mode_of(str(tmp_path / 'cache')) == 0o700


def test_an_existing_open_directory_is_closed_to_0700(tmp_path):
    os.mkdir(str(tmp_path / 'cache'), 0o755)
    os.chmod(str(tmp_path / 'cache'), 0o755)
    FileCache(str(tmp_path / 'cache'), 60).get_or_compute(KEY, lambda: 1)
    assert mode_of(str(tmp_path / 'cache')) == 0o700


def test_entry_and_lock_files_have_mode_0600(tmp_path):
    cache = FileCache(str(tmp_path / 'cache'), 60)
    cache.get_or_compute(KEY, lambda: 1)
    assert [mode_of(cache.entry_path(KEY)), mode_of(cache.lock_path(KEY))] == [0o600, 0o600]


def test_files_are_0600_whatever_the_umask(tmp_path):
    old = os.umask(0)
    try:
        cache = FileCache(str(tmp_path / 'cache'), 60)
        cache.get_or_compute(KEY, lambda: 1)
    finally:
        os.umask(old)
    assert mode_of(cache.entry_path(KEY)) == 0o600


def test_file_name_is_the_key_hash_only(tmp_path):
    cache = FileCache(str(tmp_path / 'cache'), 60)
    cache.get_or_compute(KEY, lambda: 1)
    assert sorted(os.listdir(cache.directory)) == [KEY + '.json', KEY + '.lock']


def test_second_call_within_ttl_is_a_hit(tmp_path):
    cache = FileCache(str(tmp_path / 'cache'), 60)
    cache.get_or_compute(KEY, lambda: {'n': 1})
    assert cache.get_or_compute(KEY, lambda: {'n': 2}) == ({'n': 1}, True)


def test_entry_expires_after_ttl(tmp_path):
    clock = FakeClock()
    cache = FileCache(str(tmp_path / 'cache'), 60, clock=clock)
    cache.get_or_compute(KEY, lambda: 1)
    clock.now += 60
    assert cache.get_or_compute(KEY, lambda: 2) == (2, False)


def test_shorter_ttl_of_a_later_call_is_honoured(tmp_path):
    clock = FakeClock()
    FileCache(str(tmp_path / 'cache'), 600, clock=clock).get_or_compute(KEY, lambda: 1)
    clock.now += 30
    assert FileCache(str(tmp_path / 'cache'), 10, clock=clock).get_or_compute(KEY, lambda: 2) == (2, False)


def test_entry_from_the_future_is_not_trusted(tmp_path):
    clock = FakeClock(5000.0)
    cache = FileCache(str(tmp_path / 'cache'), 60, clock=clock)
    cache.get_or_compute(KEY, lambda: 1)
    clock.now -= 3600
    assert cache.get_or_compute(KEY, lambda: 2) == (2, False)


def test_ttl_zero_computes_every_time_and_writes_nothing(tmp_path):
    cache = FileCache(str(tmp_path / 'cache'), 0)
    values = [cache.get_or_compute(KEY, lambda: 1), cache.get_or_compute(KEY, lambda: 2)]
    assert values == [(1, False), (2, False)] and not os.path.exists(str(tmp_path / 'cache'))


def test_unreadable_entry_is_computed_again(tmp_path):
    cache = FileCache(str(tmp_path / 'cache'), 60)
    cache.get_or_compute(KEY, lambda: 1)
    with open(cache.entry_path(KEY), 'w') as handle:
        handle.write('{"format": 1, "created": ')
    assert cache.get_or_compute(KEY, lambda: 2) == (2, False)


def test_failed_write_keeps_the_previous_entry_and_leaves_no_temporary_file(tmp_path):
    clock = FakeClock()
    cache = FileCache(str(tmp_path / 'cache'), 60, clock=clock)
    cache.get_or_compute(KEY, lambda: 'old')
    clock.now += 120
    with pytest.raises(TypeError):
        cache.get_or_compute(KEY, object)  # not JSON: the write fails half way
    assert sorted(os.listdir(cache.directory)) == [KEY + '.json', KEY + '.lock']
    assert cache.read(KEY)['value'] == 'old'


def test_default_directory_is_per_user(monkeypatch, tmp_path):
    monkeypatch.delenv('XDG_CACHE_HOME', raising=False)
    monkeypatch.setenv('HOME', str(tmp_path))
    assert default_cache_dir() == os.path.join(str(tmp_path), '.cache', 'mlops.modelarts')


def test_default_directory_follows_xdg_cache_home(monkeypatch, tmp_path):
    monkeypatch.setenv('XDG_CACHE_HOME', str(tmp_path / 'xdg'))
    assert default_cache_dir() == os.path.join(str(tmp_path / 'xdg'), 'mlops.modelarts')


@pytest.mark.skipif(os.getuid() != 0, reason='handing a directory to another user needs root')
def test_directory_of_another_user_is_refused(tmp_path):
    from ansible_collections.mlops.modelarts.plugins.plugin_utils._cache import CacheError
    os.mkdir(str(tmp_path / 'cache'), 0o700)
    os.chown(str(tmp_path / 'cache'), 65534, 65534)
    with pytest.raises(CacheError, match='belongs to another user'):
        FileCache(str(tmp_path / 'cache'), 60).get_or_compute(KEY, lambda: 1)


def _slow_compute_in_worker(directory, counter, results, failing):
    def compute():
        with open(counter, 'a') as handle:
            handle.write('x')
        time.sleep(1.0)  # long enough for every worker to be waiting on the lock
        if failing:
            raise Boom('the API said no')
        return {'answer': 42}
    try:
        value, dummy = FileCache(directory, 60).get_or_compute(KEY, compute, shareable_errors=(Boom,))
        results.put(('value', value))
    except (Boom, SharedFailure) as exc:
        results.put(('error', str(exc)))


def _run_concurrently(tmp_path, failing, workers=6):
    context = multiprocessing.get_context('fork')
    results = context.Queue()
    counter = str(tmp_path / 'computations')
    processes = [context.Process(target=_slow_compute_in_worker, args=(str(tmp_path / 'cache'), counter, results, failing))
                 for dummy in range(workers)]
    for process in processes:
        process.start()
    answers = [results.get(timeout=60) for dummy in processes]
    for process in processes:
        process.join(60)
    with open(counter) as handle:
        return len(handle.read()), answers


def test_concurrent_first_requests_compute_once(tmp_path):
    computations, answers = _run_concurrently(tmp_path, failing=False)
    assert computations == 1 and answers == [('value', {'answer': 42})] * 6


def test_concurrent_waiters_share_a_failure(tmp_path):
    computations, answers = _run_concurrently(tmp_path, failing=True)
    assert computations == 1 and answers == [('error', 'the API said no')] * 6


def test_failure_is_not_served_to_a_later_call(tmp_path):
    cache = FileCache(str(tmp_path / 'cache'), 60)

    def failing():
        raise Boom('down')
    with pytest.raises(Boom):
        cache.get_or_compute(KEY, failing, shareable_errors=(Boom,))
    assert cache.get_or_compute(KEY, lambda: 'up', shareable_errors=(Boom,)) == ('up', False)


# -- a directory or files someone else prepared (docs/reliability.md, "Hostile input")

@pytest.mark.parametrize('mode', [0o770, 0o707, 0o777, 0o1777])
def test_a_directory_others_can_write_to_is_refused(tmp_path, mode):
    from ansible_collections.mlops.modelarts.plugins.plugin_utils._cache import CacheError
    os.mkdir(str(tmp_path / 'cache'))
    os.chmod(str(tmp_path / 'cache'), mode)
    with pytest.raises(CacheError, match='writable by other users'):
        FileCache(str(tmp_path / 'cache'), 60).get_or_compute(KEY, lambda: 1)


def _forged_entry(tmp_path):
    forged = tmp_path / 'forged.json'
    forged.write_text('{"format": 1, "created": %f, "ttl": 60, "value": "forged"}' % time.time())
    return forged


def test_an_entry_that_is_a_symlink_is_not_followed_and_is_replaced(tmp_path):
    cache = FileCache(str(tmp_path / 'cache'), 60)
    cache.ensure_directory()
    forged = _forged_entry(tmp_path)
    os.symlink(str(forged), cache.entry_path(KEY))
    assert cache.get_or_compute(KEY, lambda: 'fresh') == ('fresh', False)
    assert not os.path.islink(cache.entry_path(KEY)) and '"forged"' in forged.read_text()


def test_an_entry_of_another_user_is_not_served(tmp_path):
    cache = FileCache(str(tmp_path / 'cache'), 60)
    cache.ensure_directory()
    os.rename(str(_forged_entry(tmp_path)), cache.entry_path(KEY))
    os.chown(cache.entry_path(KEY), 65534, 65534)
    assert cache.get_or_compute(KEY, lambda: 'fresh') == ('fresh', False)


@pytest.mark.parametrize('name', ['lock', 'salt'])
def test_a_lock_or_salt_that_is_a_symlink_is_refused(tmp_path, name):
    from ansible_collections.mlops.modelarts.plugins.plugin_utils._cache import SALT_FILE, CacheError
    cache = FileCache(str(tmp_path / 'cache'), 60)
    cache.ensure_directory()
    target = tmp_path / 'elsewhere'
    target.write_text('')
    os.symlink(str(target), cache.lock_path(KEY) if name == 'lock' else os.path.join(cache.directory, SALT_FILE))
    with pytest.raises(CacheError, match='is a symbolic link'):
        if name == 'lock':
            cache.get_or_compute(KEY, lambda: 1)
        else:
            cache.credential_fingerprint(['a-secret'])
    assert target.read_text() == ''
