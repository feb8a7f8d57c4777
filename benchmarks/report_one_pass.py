#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Benchmark the gpu_report role's one pass against its per-host path and the inventory (issue 25).

The emulator serves the account of harness.account_config() plus generated projects (tests/emulator/README.md,
"Generated projects"), N in all; the `projects` inventory
discovers them (AK/SK of the domain), and for 100 and 300 projects three commands run in the same run, repetitions
interleaved: the gpu_report playbook in one pass, the same with modelarts_report_per_host=true, and
`ansible-inventory --list` with gpu_summary: true. Then one one-pass report over 1,000 projects, whose peak RSS of
the ansible-playbook process tree (the Pss of every process of it, summed, sampled every 50 ms from /proc) is
measured.
Called by `BENCH_ONLY=report make bench`, or this file directly with ANSIBLE_COLLECTIONS_PATH set
(table in BENCH_REPORT_OUT, default build/bench/report.md). BENCH_REPORT_SIZES (default 100,300) and
BENCH_REPORT_LARGE (default 1000; 0 skips it) choose the sizes.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, REPO)

from tests.emulator.harness import (  # noqa: E402  (the repo root must be on sys.path first)
    ACCOUNT_PROJECTS, DEFAULT_AK, DEFAULT_SK, Emulator, account_config,
)

REPS = int(os.environ.get('BENCH_REPS', '3'))
SIZES = [int(size) for size in os.environ.get('BENCH_REPORT_SIZES', '100,300').split(',') if size]
LARGE = int(os.environ.get('BENCH_REPORT_LARGE', '1000'))
FORKS = 10
OUT = os.environ.get('BENCH_REPORT_OUT', os.path.join(REPO, 'build', 'bench', 'report.md'))
BIN = os.path.dirname(sys.executable)
PLAYBOOK_BIN = os.path.join(BIN, 'ansible-playbook') if os.path.exists(os.path.join(BIN, 'ansible-playbook')) \
    else shutil.which('ansible-playbook')
INVENTORY_BIN = os.path.join(BIN, 'ansible-inventory') if os.path.exists(os.path.join(BIN, 'ansible-inventory')) \
    else shutil.which('ansible-inventory')
# The generated versions were created in the 60 days before 2026-01-01: a 30-day window that holds some of them.
WINDOW = ('2025-12-01T00:00:00Z', '2026-01-01T00:00:00Z')
TARGETS = {100: 0.3, 300: 0.2}
INVENTORY_TARGET = 2.0
RSS_TARGET_MB = 500


def write_inventory(workdir, emulator, gpu_summary):
    directory = os.path.join(workdir, 'summary' if gpu_summary else 'report')
    os.makedirs(os.path.join(directory, 'group_vars'))
    path = os.path.join(directory, 'account.modelarts.yml')
    with open(path, 'w') as handle:
        yaml.safe_dump(dict(plugin='mlops.modelarts.projects', auth_url=emulator.auth_url, endpoint=emulator.url,
                            access_key=DEFAULT_AK, secret_key=DEFAULT_SK, gpu_summary=gpu_summary, strict=True),
                       handle)
    with open(os.path.join(directory, 'group_vars', 'all.yml'), 'w') as handle:
        yaml.safe_dump(dict(modelarts_access_key=DEFAULT_AK, modelarts_secret_key=DEFAULT_SK,
                            modelarts_endpoint=emulator.url, modelarts_auth_url=emulator.auth_url,
                            ansible_python_interpreter=sys.executable), handle)
    return path


def environment(workdir):
    env = dict((k, v) for k, v in os.environ.items() if not k.startswith(('OS_', 'HUAWEICLOUD_', 'MODELARTS_')))
    env.update(ANSIBLE_LOCAL_TEMP=os.path.join(workdir, 'tmp'), ANSIBLE_HOST_KEY_CHECKING='false',
               ANSIBLE_INVENTORY_UNPARSED_FAILED='true', ANSIBLE_NOCOLOR='1')
    return env


def report_command(inventory, report_dir, per_host):
    return [PLAYBOOK_BIN, '-i', inventory, 'mlops.modelarts.gpu_report', '--forks', str(FORKS),
            '-e', 'modelarts_report_dir=%s' % report_dir, '-e', 'modelarts_report_usage_since=%s' % WINDOW[0],
            '-e', 'modelarts_report_usage_until=%s' % WINDOW[1],
            '-e', 'modelarts_report_per_host=%s' % ('true' if per_host else 'false')]


def tree_pss_kb(root):
    """Give back the summed Pss (kB) of process `root` and its descendants, from /proc.

    Pss, not Rss: the workers are forks of the main process and share most of its pages, which a sum of Rss would
    count once per worker (ten forks of a 170 MB process are not 1.9 GB).
    """
    children = {}
    for pid in os.listdir('/proc'):
        if not pid.isdigit():
            continue
        try:
            with open('/proc/%s/stat' % pid) as handle:
                parent = int(handle.read().rsplit(')', 1)[1].split()[1])
        except (IOError, OSError, ValueError, IndexError):
            continue
        children.setdefault(parent, []).append(int(pid))
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, []))
        try:
            with open('/proc/%d/smaps_rollup' % pid) as handle:
                for line in handle:
                    if line.startswith('Pss:'):
                        total += int(line.split()[1])
                        break
        except (IOError, OSError, ValueError):
            continue
    return total


def timed(command, env, cwd, sample_rss=False):
    """Run `command`; give back (seconds, peak tree Pss in MB or None); raise when it fails."""
    started = time.monotonic()
    process = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    peak = [0]
    if sample_rss:
        def sample():
            while process.poll() is None:
                peak[0] = max(peak[0], tree_pss_kb(process.pid))
                time.sleep(0.05)
        sampler = threading.Thread(target=sample)
        sampler.start()
    output, dummy = process.communicate()
    seconds = time.monotonic() - started
    if sample_rss:
        sampler.join()
    if process.returncode != 0:
        raise RuntimeError('%s failed (%d):\n%s' % (' '.join(command[:4]), process.returncode,
                                                    output.decode('utf-8', 'replace')[-3000:]))
    return seconds, (peak[0] / 1024.0 if sample_rss else None)


def measure(size, workdir):
    """Give back {scenario: median seconds} for `size` generated projects."""
    config = account_config(generated_projects=dict(count=size - len(ACCOUNT_PROJECTS), versions_per_project=[50, 200]))
    with Emulator(config=config) as emulator:
        report_inventory = write_inventory(workdir, emulator, gpu_summary=False)
        summary_inventory = write_inventory(workdir, emulator, gpu_summary=True)
        env = environment(workdir)
        commands = dict(
            one_pass=report_command(report_inventory, os.path.join(workdir, 'one-pass'), per_host=False),
            per_host=report_command(report_inventory, os.path.join(workdir, 'per-host'), per_host=True),
            inventory=[INVENTORY_BIN, '-i', summary_inventory, '--list'],
        )
        times = dict((name, []) for name in commands)
        for dummy in range(REPS):
            for name, command in commands.items():
                times[name].append(timed(command, env, workdir)[0])
    return dict((name, statistics.median(values)) for name, values in times.items())


def measure_large(size, workdir):
    config = account_config(generated_projects=dict(count=size - len(ACCOUNT_PROJECTS), versions_per_project=[50, 200]))
    with Emulator(config=config) as emulator:
        inventory = write_inventory(workdir, emulator, gpu_summary=False)
        return timed(report_command(inventory, os.path.join(workdir, 'large'), per_host=False),
                     environment(workdir), workdir, sample_rss=True)


def section():
    """Give back the markdown lines of the report benchmark (measured now)."""
    lines = ['### gpu_report: one pass and the per-host path (%d reps, median, forks %d, generated projects of '
             '50-200 versions, versions included)' % (REPS, FORKS), '',
             '| projects | one pass | per-host path | `ansible-inventory --list`, gpu_summary | one pass / per-host '
             '(target) | one pass / inventory (target %.1f) |' % INVENTORY_TARGET, '|---|---|---|---|---|---|']
    for size in SIZES:
        workdir = tempfile.mkdtemp(prefix='bench-report-%d-' % size)
        try:
            medians = measure(size, workdir)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        ratio, against_inventory = medians['one_pass'] / medians['per_host'], medians['one_pass'] / medians['inventory']
        lines.append('| %d | %.2f s | %.2f s | %.2f s | %.2f (%s) | %.2f |' % (
            size, medians['one_pass'], medians['per_host'], medians['inventory'], ratio,
            'at most %.1f' % TARGETS[size] if size in TARGETS else '-', against_inventory))
    if LARGE:
        workdir = tempfile.mkdtemp(prefix='bench-report-large-')
        try:
            seconds, peak = measure_large(LARGE, workdir)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        lines += ['', '%d projects, one pass, one run: %.1f s, peak RSS of the ansible-playbook process tree (summed Pss) %.0f MB '
                      '(target at most %d MB).' % (LARGE, seconds, peak or 0.0, RSS_TARGET_MB)]
    return lines


def main():
    lines = section()
    text = '\n'.join(lines) + '\n'
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as handle:
        handle.write(text)
    sys.stdout.write(text)
    return 0


if __name__ == '__main__':
    sys.exit(main())
