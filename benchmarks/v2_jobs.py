#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The `v2` group of `make bench` (issue 23's targets): 10,000 new-version training jobs, summary only.

Two emulators serve the same 10,000 generated v2 jobs of realistic size (3-4 KB each, half of them in dedicated
pools without `flavor_detail`) and no v1 versions: one answering at once, one delaying every answer by 100 ms. Both
are warmed with one untimed pass (the emulator serialises its jobs once, on the first pass). Whole processes,
repetitions interleaved, ratios of medians of the same run:

- `sdk-v2-10k`: benchmarks/sdk_v2_jobs.py, the leanest script a Python user writes with Huawei's SDK
  (`list_training_jobs`, AK/SK, pages of 50, GPUs summed from `flavor_detail`);
- `ours-v2-10k-summary`: benchmarks/playbooks/v2.yml, one `training_job_version_info` task with
  `training_api: v2`, `include_versions: false`, the same AK/SK (in-process, the default), and a debug of the sums;
  `lookup-v2-10k-summary`: the lookup (`result=summary`), `ours-v2-10k-summary-module`: the module process forced;
- `*-lat100`: the same against the 100 ms emulator (AK/SK; `-password` with a password login).

Then one run with the emulator's request log (pages and flavor requests of a query), the query alone through the
shared layer (`run_query` in this process) at 0 and 100 ms, and the module process' peak RSS (module forced,
benchmarks/rss_python.py) of the 10,000-job summary against the same run over one page (50 jobs): the baseline.
Called by benchmarks/run.py (`BENCH_SCENARIOS=v2 make bench`).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, REPO)

from tests.emulator.harness import (  # noqa: E402  (the repo root must be on sys.path first)
    DEFAULT_AK, DEFAULT_DOMAIN, DEFAULT_PASSWORD, DEFAULT_PROJECT_ID, DEFAULT_SK, DEFAULT_TOKEN, DEFAULT_USER, Emulator,
)

JOBS = 10000
PAGE = 50  # the API's largest page, the SDK script's and ours (page_size 0 means 50 on v2)
WORKERS = 4  # max_concurrent_requests, the default
LATENCY = 0.1
SHARED_REPS = 3
ONE_PAGE_PROJECT = dict(project_name='eu-de_onepage', project_id='0f' * 16)
SDK_SCRIPT = os.path.join(HERE, 'sdk_v2_jobs.py')
TARGET_SDK_RATIO = 0.5
TARGET_FLOOR_RATIO = 1.25
TARGET_MEMORY_PAGES = 4


def emulator_config():
    """The account: 10,000 v2 jobs in the default project, one page of them in a second one, no v1 versions."""
    return {'offset_unit': 'records', 'projects': [
        {'versions': 0, 'v2_jobs': JOBS,
         'aksk': [{'access_key': DEFAULT_AK, 'secret_key': DEFAULT_SK, 'all_projects': True}]},
        dict(ONE_PAGE_PROJECT, versions=0, v2_jobs=PAGE),
    ]}


def ours_available():
    """Tell whether the collection under test has the `training_api` option (issue 23 point 1)."""
    fragment = os.path.join(REPO, 'plugins', 'doc_fragments', 'query.py')
    with open(fragment) as handle:
        return 'training_api:' in handle.read()


def sdk_command(python, emu, project_id=DEFAULT_PROJECT_ID):
    return [python, SDK_SCRIPT, emu.url, DEFAULT_AK, DEFAULT_SK, project_id]


def v2_variables(project_id=DEFAULT_PROJECT_ID, **extra):
    return dict(access_key=DEFAULT_AK, secret_key=DEFAULT_SK, project_id=project_id, **extra)


def page_bytes(emu):
    """Give back the size in bytes of one full search page (50 jobs) as the emulator sends it."""
    body = json.dumps({'offset': 0, 'limit': PAGE}).encode('utf-8')
    request = urllib.request.Request('%s/v2/%s/training-job-searches' % (emu.url, DEFAULT_PROJECT_ID), data=body,
                                     headers={'X-Auth-Token': DEFAULT_TOKEN, 'Content-Type': 'application/json'})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request) as answer:
        return len(answer.read())


def shared_layer_params(emu, auth):
    params = dict(endpoint=emu.url, auth_url=emu.auth_url, region='eu-de', project_id=DEFAULT_PROJECT_ID,
                  training_api='v2', include_versions=False, max_concurrent_requests=WORKERS)
    if auth == 'password':
        params.update(username=DEFAULT_USER, password=DEFAULT_PASSWORD, domain_name=DEFAULT_DOMAIN)
    else:
        params.update(access_key=DEFAULT_AK, secret_key=DEFAULT_SK)
    return params


def shared_layer(emulators):
    """Give back ({(auth, millis): median seconds}, gpu_summary) of run_query in this process, interleaved."""
    from ansible_collections.mlops.modelarts.plugins.module_utils._options import run_query
    samples = {}
    summary = None
    for dummy in range(SHARED_REPS):
        for auth in ('aksk', 'password'):
            for millis, emu in sorted(emulators.items()):
                started = time.perf_counter()
                result, dummy_warnings = run_query(shared_layer_params(emu, auth))
                samples.setdefault((auth, millis), []).append(time.perf_counter() - started)
                summary = result['gpu_summary']
    return dict((key, statistics.median(values)) for key, values in samples.items()), summary


def section(make_bench, workdir, python, reps, few, force_module):
    """Run the v2 group; give back its markdown lines."""
    workdir = os.path.join(workdir, 'v2')
    os.makedirs(os.path.join(workdir, 'tmp'))
    ours = ours_available()
    project = ['eu-de']
    with Emulator(config=emulator_config()) as fast, Emulator(config=emulator_config()) as slow:
        benches = {0: make_bench(fast, workdir), 100: make_bench(slow, workdir)}
        runner = benches[0]
        # One untimed pass each warms the emulators (every job serialised once), the slow one before its delay.
        sdk_first = json.loads(subprocess.run(sdk_command(python, fast), capture_output=True, text=True, check=True,
                                              env=runner.env()).stdout)
        subprocess.run(sdk_command(python, slow), capture_output=True, check=True, env=runner.env())
        slow.configure(latency=LATENCY)
        runner.add('sdk-v2-10k', 'SDK script (list_training_jobs, AK/SK, pages of 50), 10,000 v2 jobs',
                   [sdk_command(python, fast)], reps=reps)
        if ours:
            runner.add('ours-v2-10k-summary', 'info, in-process, training_api: v2, include_versions: false, AK/SK',
                       [benches[0].playbook('v2', project, **v2_variables())], reps=reps)
            runner.add('lookup-v2-10k-summary', 'lookup, training_api=v2, result=summary, include_versions=false',
                       [benches[0].playbook('v2_lookup', project, **v2_variables())], reps=reps)
            runner.add('ours-v2-10k-summary-module', 'info, module forced, the same',
                       [benches[0].playbook('v2', project, **v2_variables(**force_module))], reps=reps)
            runner.add('ours-v2-10k-summary-lat100', 'info, in-process, the same, 100 ms per answer',
                       [benches[100].playbook('v2', project, **v2_variables())], reps=reps)
            runner.add('ours-v2-10k-summary-lat100-password', 'info, in-process, the same, password login, 100 ms',
                       [benches[100].playbook('v2', project, **v2_variables(auth='password'))], reps=reps)
        runner.add('sdk-v2-10k-lat100', 'SDK script, 100 ms per answer (one page after the other)',
                   [sdk_command(python, slow)], reps=few)
        print('v2 group: %d scenarios, up to %d reps, interleaved' % (len(runner.scenarios), reps), flush=True)
        runner.run_all()
        searches = flavors = None
        shared = summary = None
        peaks = []
        one_page = page_bytes(fast)
        if ours:
            fast.reset_log()
            runner.execute(benches[0].playbook('v2', project, **v2_variables()))
            searches, flavors = len(fast.v2_requests()), len(fast.v2_flavor_requests())
            shared, summary = shared_layer({0: fast, 100: slow})
            for label, project_id in (('baseline: one page (%d jobs)' % PAGE, ONE_PAGE_PROJECT['project_id']),
                                      ('10,000 jobs, %d pages' % (JOBS // PAGE), DEFAULT_PROJECT_ID)):
                variables = v2_variables(project_id, **force_module)
                records, dummy = runner.measure_module(
                    lambda projects, variables=variables, **more: runner.playbook('v2', projects, **dict(variables, **more)),
                    project)
                peaks.append((label, max(r['maxrss_kb'] for r in records) * 1024.0))
    return report(runner, sdk_first, ours, searches, flavors, shared, summary, peaks, one_page)


def report(runner, sdk_first, ours, searches, flavors, shared, summary, peaks, one_page):
    med = runner.median
    lines = ['### v2: 10,000 new-version training jobs, summary only (issue 23)', '',
             'Medians of interleaved repetitions, whole processes. The SDK script found %d jobs in %d pages and %d GPUs '
             '(from `flavor_detail` only: jobs of dedicated pools have none).' % (
                 sdk_first['jobs'], sdk_first['pages'], sdk_first['gpu_num']), '',
             '| scenario | key | reps | median wall s | / sdk-v2-10k | median CPU s | CPU: / sdk-v2-10k |',
             '|---|---|---|---|---|---|---|']
    base = 'sdk-v2-10k'
    for key, label, dummy, dummy in runner.scenarios:
        ratio = cpu_ratio = ''
        if key != base and not key.endswith(('-lat100', '-password')):
            ratio = '%.2f' % (med(key) / med(base))
            cpu_ratio = '%.2f' % (runner.median_cpu(key) / runner.median_cpu(base))
        lines.append('| %s | `%s` | %d | %.2f | %s | %.2f | %s |' % (
            label, key, len(runner.times[key]), med(key), ratio, runner.median_cpu(key), cpu_ratio))
    if not ours:
        return lines + ['', 'The collection under test has no `training_api` option yet: only the SDK baseline was '
                        'measured.', '']
    pages = JOBS // PAGE + 1  # the full pages and the short (here empty) one that ends the paging
    lines += ['', 'One run with the request log: %d searches sent (%d pages hold the jobs and end the paging; the rest '
              'were in flight when the short page arrived), %d flavors request(s). Our summary: %d jobs, %s GPUs, %s NPUs, '
              '%s of unknown accelerators.' % (searches, pages, flavors, summary['versions'], summary['gpu_num'],
                                               summary['npu_num'], summary.get('accelerators_unknown')), '']
    pipeline = pages / float(WORKERS) * LATENCY
    floors = {'aksk': pipeline, 'password': pipeline + LATENCY}  # AK/SK: no login round trip; password: one
    lines += ['Pipeline floor at %d ms: %d pages / %d x %.1f s = %.3f s, plus the login (none with AK/SK, one '
              'round trip with a password).' % (LATENCY * 1000, pages, WORKERS, LATENCY, pipeline), '',
              '| query at %d ms | floor, s | query alone (shared layer, %d runs), s | / floor | whole playbook, s '
              '| / floor |' % (LATENCY * 1000, SHARED_REPS), '|---|---|---|---|---|---|']
    for auth, key in (('aksk', 'ours-v2-10k-summary-lat100'), ('password', 'ours-v2-10k-summary-lat100-password')):
        lines.append('| %s (0 ms: %.3f s alone) | %.2f | %.3f | %.2f | %.2f | %.2f |' % (
            auth, shared[(auth, 0)], floors[auth], shared[(auth, 100)], shared[(auth, 100)] / floors[auth], med(key),
            med(key) / floors[auth]))
    footprint = peaks[0][1]
    lines += ['', 'Module process peak RSS (module forced, one run each); one page\'s JSON (%d jobs): %d bytes.' % (
        PAGE, one_page), '', '| run | module peak RSS, MB | above the baseline, MB | / one page\'s JSON |',
        '|---|---|---|---|']
    for label, peak in peaks:
        above = peak - footprint
        lines.append('| %s | %.1f | %.2f | %.1f |' % (label, peak / 1048576.0, above / 1048576.0, above / float(one_page)))
    above_pages = (peaks[1][1] - footprint) / float(one_page)
    sdk_ratio = med('ours-v2-10k-summary') / med(base)
    lookup_ratio = med('lookup-v2-10k-summary') / med(base)
    slow_ratio = shared[('aksk', 100)] / floors['aksk']
    slow_playbook = med('ours-v2-10k-summary-lat100') / floors['aksk']

    def met(value, limit):
        return 'yes' if value <= limit else '**no**'

    lines += ['', '| target (issue 23) | measured | met |', '|---|---|---|',
              '| 10,000 v2 jobs, summary only: ours / SDK script at most %.1f (whole processes) | %.2f (lookup %.2f) '
              '| %s |' % (TARGET_SDK_RATIO, sdk_ratio, lookup_ratio, met(max(sdk_ratio, lookup_ratio), TARGET_SDK_RATIO)),
              '| the same at %d ms: wall time at most %.2f x the pipeline floor (AK/SK) | query %.2f, whole playbook %.2f '
              '| %s (query), %s (playbook) |' % (LATENCY * 1000, TARGET_FLOOR_RATIO, slow_ratio, slow_playbook,
                                                 met(slow_ratio, TARGET_FLOOR_RATIO),
                                                 met(slow_playbook, TARGET_FLOOR_RATIO)),
              '| peak memory of the summary above the one-page baseline at most %d pages | %.1f pages | %s |' % (
                  TARGET_MEMORY_PAGES, above_pages, met(above_pages, TARGET_MEMORY_PAGES))]
    return lines + ['']
