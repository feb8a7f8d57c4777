#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A Python interpreter wrapper for ansible_python_interpreter that measures the module process.

benchmarks/run.py writes a copy of this file with the real interpreter in its shebang and points
ansible_python_interpreter at it. It runs `python ARGS...` (the AnsiballZ payload) as a child, passes stdin
through, copies the child's stdout to its own while counting the bytes (what travels back to the controller),
and appends `{"maxrss_kb": .., "stdout_bytes": .., "seconds": ..}` to the file named by $BENCH_MODULE_RSS_FILE.
ru_maxrss of RUSAGE_CHILDREN is the peak resident set of the module process (the only child).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import resource
import subprocess
import sys
import time


def main():
    started = time.time()
    child = subprocess.Popen([sys.executable] + sys.argv[1:], stdout=subprocess.PIPE)
    out = sys.stdout.buffer if hasattr(sys.stdout, 'buffer') else sys.stdout
    count = 0
    while True:
        chunk = child.stdout.read(1 << 16)
        if not chunk:
            break
        count += len(chunk)
        out.write(chunk)
    out.flush()
    code = child.wait()
    seconds = time.time() - started
    report = os.environ.get('BENCH_MODULE_RSS_FILE')
    if report:
        with open(report, 'a') as handle:
            handle.write(json.dumps({'maxrss_kb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
                                     'stdout_bytes': count, 'seconds': seconds}) + '\n')
    sys.exit(code)


if __name__ == '__main__':
    main()
