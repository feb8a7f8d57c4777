#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Peak RSS of the emulator serving generated projects (the figures in tests/emulator/README.md).

Starts the emulator with `--generated-projects N` (and the ranges given), lists the projects through IAM, then reads
every version (v1, pages of 100) and every v2 job (search pages of 50) of every generated project, with static tokens,
from 8 threads, and prints the emulator's VmHWM (peak resident set, /proc; Linux only) before and after.
`python benchmarks/emulator_rss.py [N] [VERSIONS LOW-HIGH] [V2 JOBS LOW-HIGH]`, default 1000 50-200 20-60.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import http.client
import json
import os
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from tests.emulator.harness import DEFAULT_TOKEN, Emulator  # noqa: E402  (the repo root must be on sys.path first)

THREADS = 8


def peak_kb(pid):
    with open('/proc/%d/status' % pid) as handle:
        return int([line for line in handle if line.startswith('VmHWM:')][0].split()[1])


def read_project(connection, number, project_id, counts):
    headers = {'X-Auth-Token': '%s-%d' % (DEFAULT_TOKEN, number)}
    offset = 0
    while True:
        connection.request('GET', '/v1/%s/training-jobs/versions?limit=100&offset=%d' % (project_id, offset),
                           headers=headers)
        page = json.loads(connection.getresponse().read())
        counts['versions'] += len(page['versions'])
        offset += 100
        if offset >= page['total_count']:
            break
    page_index = 0
    while True:
        body = json.dumps({'limit': 50, 'offset': page_index})
        connection.request('POST', '/v2/%s/training-job-searches' % project_id, body=body,
                           headers=dict(headers, **{'Content-Type': 'application/json'}))
        page = json.loads(connection.getresponse().read())
        counts['jobs'] += len(page['items'])
        page_index += 1
        if len(page['items']) < 50:
            break


def main(argv):
    count = int(argv[0]) if argv else 1000
    versions = argv[1] if len(argv) > 1 else '50-200'
    jobs = argv[2] if len(argv) > 2 else '20-60'
    args = ['--generated-projects', str(count), '--generated-versions', versions, '--generated-v2-jobs', jobs]
    with Emulator(extra_args=args) as emu:
        pid = emu.process.pid
        started_kb = peak_kb(pid)
        dummy, dummy, listing = emu.request('GET', '/v3/auth/projects', headers={'X-Auth-Token': DEFAULT_TOKEN})
        # Configured project number 1 is the default one; generated ones follow, numbered from 2.
        work = [(number, project['id']) for number, project in enumerate(listing['projects'], 1) if number > 1]
        host = emu.url.split('://', 1)[1]
        counts = {'versions': 0, 'jobs': 0}
        lock = threading.Lock()

        def worker():
            connection = http.client.HTTPConnection(host, timeout=60)
            local = {'versions': 0, 'jobs': 0}
            while True:
                with lock:
                    if not work:
                        break
                    number, project_id = work.pop()
                read_project(connection, number, project_id, local)
            with lock:
                for key in counts:
                    counts[key] += local[key]

        began = time.time()
        threads = [threading.Thread(target=worker) for dummy in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        print('%d generated projects (versions %s, v2 jobs %s): %d versions and %d v2 jobs read in %.1f s; '
              'emulator peak RSS %.1f MB after start, %.1f MB after serving them all'
              % (count, versions, jobs, counts['versions'], counts['jobs'], time.time() - began,
                 started_kb / 1024.0, peak_kb(pid) / 1024.0))


if __name__ == '__main__':
    main(sys.argv[1:])
