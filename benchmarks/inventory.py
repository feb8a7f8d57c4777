#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Benchmark the mlops.modelarts.projects inventory: 7 projects with gpu_summary: true at 0 and 200 ms per answer.

`ansible-inventory --list` over the emulator's account (harness.account_config: 7 enabled projects), repetitions
interleaved; the emulator's latency is switched through its control API between runs. Called by benchmarks/run.py
(its section of the table), or alone: `BENCH_ONLY=inventory make bench`, or this file directly with
ANSIBLE_COLLECTIONS_PATH set (table in BENCH_INVENTORY_OUT, default build/bench/inventory.md).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, REPO)

from tests.emulator.harness import (  # noqa: E402  (the repo root must be on sys.path first)
    ACCOUNT_PROJECTS, DEFAULT_AK, DEFAULT_DOMAIN, DEFAULT_PASSWORD, DEFAULT_SK, DEFAULT_USER, Emulator, account_config,
)

REPS = int(os.environ.get('BENCH_REPS', '3'))
LATENCY = 0.2
TARGET_SECONDS = 1.2
INVENTORY_BIN = os.path.join(os.path.dirname(sys.executable), 'ansible-inventory')
if not os.path.exists(INVENTORY_BIN):
    INVENTORY_BIN = shutil.which('ansible-inventory')


def credentials(emulator, method):
    if method == 'password':
        return dict(username=DEFAULT_USER, password=DEFAULT_PASSWORD, domain_name=DEFAULT_DOMAIN)
    return dict(access_key=DEFAULT_AK, secret_key=DEFAULT_SK)


def inventory_file(workdir, emulator, method, concurrency):
    path = os.path.join(workdir, '%s-%d.modelarts.yml' % (method, concurrency))
    options = dict(plugin='mlops.modelarts.projects', auth_url=emulator.auth_url, endpoint=emulator.url,
                   gpu_summary=True, strict=True, max_concurrent_requests=concurrency, **credentials(emulator, method))
    with open(path, 'w') as handle:
        yaml.safe_dump(options, handle)
    return path


def environment(workdir):
    env = dict((k, v) for k, v in os.environ.items() if not k.startswith(('OS_', 'HUAWEICLOUD_', 'MODELARTS_')))
    env.update({'ANSIBLE_LOCAL_TEMP': os.path.join(workdir, 'tmp'), 'ANSIBLE_INVENTORY_UNPARSED_FAILED': 'true',
                'NO_PROXY': '127.0.0.1,localhost', 'no_proxy': '127.0.0.1,localhost'})
    return env


def timed(command, env, workdir):
    started = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, text=True, env=env, cwd=workdir, check=False)
    seconds = time.perf_counter() - started
    if completed.returncode != 0 or '"modelarts_gpu_summary"' not in completed.stdout:
        raise SystemExit('inventory benchmark failed: %s\n%s' % (' '.join(command), completed.stderr[-3000:]))
    return seconds


def section():
    """Run the scenarios; give back the markdown lines of their table and target."""
    workdir = tempfile.mkdtemp(prefix='modelarts-bench-inventory-')
    os.makedirs(os.path.join(workdir, 'tmp'))
    env = environment(workdir)
    times = {}
    try:
        with Emulator(config=account_config()) as emulator:
            # (key, auth method, max_concurrent_requests, latency, repetitions)
            scenarios = [('password-0ms', 'password', 4, 0.0, REPS), ('password-200ms', 'password', 4, LATENCY, REPS),
                         ('aksk-0ms', 'aksk', 4, 0.0, REPS), ('aksk-200ms', 'aksk', 4, LATENCY, REPS),
                         ('password-0ms-8', 'password', 8, 0.0, REPS), ('password-200ms-8', 'password', 8, LATENCY, REPS),
                         ('password-200ms-sequential', 'password', 1, LATENCY, 1)]
            for rep in range(REPS):
                for key, method, concurrency, latency, reps in scenarios:
                    if rep >= reps:
                        continue
                    emulator.configure(latency=latency)
                    command = [INVENTORY_BIN, '-i', inventory_file(workdir, emulator, method, concurrency), '--list']
                    times.setdefault(key, []).append(timed(command, env, workdir))
                    print('  rep %d  %-28s %6.2f s' % (rep + 1, key, times[key][-1]), flush=True)
            emulator.configure(latency=0)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    med = dict((key, statistics.median(values)) for key, values in times.items())
    lines = ['### Inventory: %d projects, gpu_summary: true (`ansible-inventory --list`, medians of %d)'
             % (len(ACCOUNT_PROJECTS), REPS), '',
             '| scenario | key | reps | median wall s |', '|---|---|---|---|']
    labels = {'password-0ms': 'password login, max_concurrent_requests 4, 0 ms',
              'password-200ms': 'password login, max_concurrent_requests 4, 200 ms per answer',
              'aksk-0ms': 'AK/SK, max_concurrent_requests 4, 0 ms',
              'aksk-200ms': 'AK/SK, max_concurrent_requests 4, 200 ms per answer',
              'password-0ms-8': 'password login, max_concurrent_requests 8, 0 ms',
              'password-200ms-8': 'password login, max_concurrent_requests 8, 200 ms per answer',
              'password-200ms-sequential': 'password login, max_concurrent_requests 1, 200 ms per answer'}
    order = ('password-0ms', 'password-200ms', 'aksk-0ms', 'aksk-200ms', 'password-0ms-8', 'password-200ms-8',
             'password-200ms-sequential')
    for key in order:
        lines.append('| %s | `%s` | %d | %.2f |' % (labels[key], key, len(times[key]), med[key]))
    lines += ['', '| target | measured s | met |', '|---|---|---|']
    # Round trips at 200 ms: password = domain login + listing + 2 per project (its login, its GET) in waves of
    # max_concurrent_requests projects; AK/SK = listing + 1 per project.
    for key, text in (('password', 'password login (6 round trips at 4 at a time)'),
                      ('aksk', 'AK/SK (3 round trips)'), ('password-%s-8', 'password login, 8 at a time (4 round trips)')):
        pattern = key if '%' in key else key + '-%s'
        extra = med[pattern % '200ms'] - med[pattern % '0ms']
        lines.append('| %s: 200 ms - 0 ms at most %.1f s | %.2f | %s |' % (
            text, TARGET_SECONDS, extra, 'yes' if extra <= TARGET_SECONDS else '**no**'))
    lines.append('| for comparison, in sequence (max_concurrent_requests 1): 200 ms - 0 ms | %.2f | |'
                 % (med['password-200ms-sequential'] - med['password-0ms']))
    return lines


def main():
    text = '\n'.join(section()) + '\n'
    out = os.environ.get('BENCH_INVENTORY_OUT', os.path.join(REPO, 'build', 'bench', 'inventory.md'))
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, 'w') as handle:
        handle.write(text)
    print('\n' + text)
    print('table written to %s' % out)


if __name__ == '__main__':
    main()
