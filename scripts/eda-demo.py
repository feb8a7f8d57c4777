#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The rulebook demo: ansible-rulebook runs mlops.modelarts.deploy_on_completion against the emulator.

Usage: .venv-eda/bin/python scripts/eda-demo.py [--out DIR] [--timeout SECONDS] [--hostile-only] [--ansible-bin DIR]
(make eda-demo)

Four versions run in the emulator: resnet50-train-V0001 and -V0002 (matched by the rulebook's default
`resnet50-train-*`), bert-base-finetune-V0001 (not matched), and a hostile one whoever can create a training job
could make: its name is a Jinja template and its flavor a '#jinja2:' header, each running `touch DIR/owned-by-...`
if anything templates it. Once the source has polled, V0001 completes, V0002 fails, the bert version and the hostile
one complete. The rulebook must run its playbook twice, for V0001 (the playbook writes
DIR/deployments/resnet50-train-V0001.json) and for the hostile version (its plan holds the name percent-encoded, as
the event source sent it), report V0002's failure, and no `owned-by-...` file may exist. The script stops
ansible-rulebook once all that happened and a few more polls found nothing new, writes DIR/result.json and exits 0
when the outcome is that one.

--hostile-only runs the hostile version alone (one playbook run); --ansible-bin DIR puts DIR first on PATH, so that
ansible-rulebook (through ansible-runner) runs DIR/ansible-playbook, another ansible-core (make eda: 2.17).
The collection comes from build/collections (make build); ansible-rulebook, ansible-core and Java 17 from the
environment of this Python (.venv-eda, see tests/requirements-eda.txt).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))
sys.path.insert(0, REPO_ROOT)

from tests.emulator.harness import DEFAULT_TOKEN, Emulator  # noqa: E402  (the repo root must be on sys.path first)

RULEBOOK = 'mlops.modelarts.deploy_on_completion'
PLAY_NAME = 'Deploy a completed training job version'
FAILURE_REPORT = 'training failed: '
COMPLETED, FAILED, RUNNING = 10, 11, 8


def demo_versions():
    """Give back the three running versions of the demo, started an hour ago."""
    started = int((time.time() - 3600) * 1000)
    return [
        dict(version_id=1, version_name='resnet50-train-V0001', status=RUNNING, flavor_code='modelarts.p3.large.8',
             pool_id='pool-gpu-a', create_time=started - 60000, start_time=started),
        dict(version_id=2, version_name='resnet50-train-V0002', status=RUNNING, flavor_code='modelarts.p3.large.4',
             pool_id='pool-gpu-a', create_time=started - 30000, start_time=started),
        dict(version_id=3, version_name='bert-base-finetune-V0001', status=RUNNING, flavor_code='modelarts.p1.2xlarge',
             create_time=started, start_time=started),
    ]


HOSTILE_VERSION_ID = 4
# A name and a flavor that run a command wherever ansible-core templates them: a Jinja expression, and a '#jinja2:'
# header choosing other delimiters. The event source must percent-encode both before they reach the playbook.
HOSTILE_NAME = "resnet50-train-x{{ lookup('pipe', 'touch %s') }}"
HOSTILE_FLAVOR = "#jinja2:variable_start_string:'[[', variable_end_string:']]'\n[[ lookup('pipe', 'touch %s') ]]"
MARKERS = ('owned-by-name', 'owned-by-header')


def hostile_version(out_dir):
    """Give back the hostile running version, started an hour ago: templates touching out_dir's MARKERS."""
    started = int((time.time() - 3600) * 1000)
    name_marker, header_marker = (os.path.join(out_dir, marker) for marker in MARKERS)
    if "'" in out_dir or '\\' in out_dir:
        raise SystemExit('eda-demo: the output directory must hold no quote or backslash: %s' % out_dir)
    return dict(version_id=HOSTILE_VERSION_ID, version_name=HOSTILE_NAME % name_marker, status=RUNNING,
                flavor_code=HOSTILE_FLAVOR % header_marker, gpu_num=8, npu_num=0, pool_id='pool-gpu-a',
                create_time=started - 10000, start_time=started)


def plan_file(version_name):
    """Give back the file name the playbook writes the plan of a version to (its task "Write what would be deployed")."""
    return re.sub('[^A-Za-z0-9_.-]', '_', version_name) + '.json'


# Polls after everything happened in which nothing else may happen (a second run of the playbook, say).
QUIET_POLLS = 3
POLL_INTERVAL = 1


class Output(object):
    """ansible-rulebook's output: echoed, kept in a file, and searchable while it runs."""

    def __init__(self, stream, path, echo):
        self.lines = []
        self._stream = stream
        self._file = open(path, 'w')
        self._echo = echo
        self._thread = threading.Thread(target=self._read)
        self._thread.daemon = True
        self._thread.start()

    def _read(self):
        for line in iter(self._stream.readline, ''):
            self.lines.append(line)
            self._file.write(line)
            self._file.flush()
            if self._echo:
                sys.stdout.write(line)
                sys.stdout.flush()

    def count(self, text):
        return sum(1 for line in list(self.lines) if text in line)

    def close(self):
        self._thread.join(10)
        self._file.close()


def environment(emulator, out_dir):
    env = dict(os.environ)
    for name in list(env):
        if name.startswith(('OS_', 'HUAWEICLOUD_SDK_', 'MODELARTS_')):
            del env[name]  # a real cloud's credentials must not reach the demo
    bin_dir = os.path.dirname(sys.executable)
    env.update({
        'PATH': bin_dir + os.pathsep + env.get('PATH', ''),
        'ANSIBLE_COLLECTIONS_PATH': os.environ.get('ANSIBLE_COLLECTIONS_PATH', os.path.join(REPO_ROOT, 'build', 'collections')),
        'ANSIBLE_LOCAL_TEMP': os.path.join(out_dir, 'ansible-tmp'),
        'ANSIBLE_NOCOLOR': '1',
        'ANSIBLE_PYTHON_INTERPRETER': sys.executable,
        'NO_PROXY': '127.0.0.1,localhost',
        'no_proxy': '127.0.0.1,localhost',
        'PYTHONUNBUFFERED': '1',
        # The connection, as a user sets it for ansible-rulebook: the source reads these environment variables.
        'MODELARTS_ENDPOINT': emulator.url,
        'OS_AUTH_TOKEN': DEFAULT_TOKEN,
        'OS_PROJECT_ID': emulator.project_id,
        'OS_REGION_NAME': 'eu-de',
        'MODELARTS_DEPLOY_DIR': os.path.join(out_dir, 'deployments'),
    })
    return env


def wait_until(condition, timeout, process):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        if process.poll() is not None:
            return False
        time.sleep(0.2)
    return False


def stop(process):
    """Stop ansible-rulebook and whatever it started (its own process group)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


def run_demo(out_dir, timeout, echo=True, hostile_only=False, ansible_bin=None):
    """Give back the outcome dict of one demo run (also written to out_dir/result.json)."""
    if shutil.which('java') is None and not os.environ.get('JAVA_HOME'):
        raise SystemExit('eda-demo: ansible-rulebook needs Java 17 (Debian: apt-get install openjdk-17-jre-headless)')
    rulebook_bin = os.path.join(os.path.dirname(sys.executable), 'ansible-rulebook')
    if not os.path.exists(rulebook_bin):
        raise SystemExit('eda-demo: %s not found; run make eda-venv (or make eda-demo)' % rulebook_bin)
    shutil.rmtree(out_dir, ignore_errors=True)
    os.makedirs(os.path.join(out_dir, 'ansible-tmp'))
    # ansible-runner runs the first ansible-playbook on PATH; its own Python runs the modules.
    python = os.path.join(ansible_bin, 'python') if ansible_bin else sys.executable
    inventory = os.path.join(out_dir, 'inventory.yml')
    with open(inventory, 'w') as handle:
        handle.write('all:\n  hosts:\n    localhost:\n      ansible_connection: local\n'
                     '      ansible_python_interpreter: %s\n' % python)
    variables = os.path.join(out_dir, 'vars.yml')
    with open(variables, 'w') as handle:
        handle.write('modelarts_poll_interval: %d\n' % POLL_INTERVAL)
    started = time.monotonic()
    versions = [hostile_version(out_dir)] if hostile_only else demo_versions() + [hostile_version(out_dir)]
    transitions = [{'version_id': version['version_id'], 'after_seconds': 0,
                    'status': FAILED if version['version_id'] == 2 else COMPLETED} for version in versions]
    expected_runs = 1 if hostile_only else 2
    with Emulator(config={'versions': versions}) as emulator:
        env = environment(emulator, out_dir)
        if ansible_bin:
            env['PATH'] = ansible_bin + os.pathsep + env['PATH']
            env['ANSIBLE_PYTHON_INTERPRETER'] = python
        command = [rulebook_bin, '-i', inventory, '--rulebook', RULEBOOK, '--vars', variables]
        process = subprocess.Popen(command, cwd=out_dir, env=env, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True,
                                   start_new_session=True)
        output = Output(process.stdout, os.path.join(out_dir, 'rulebook.log'), echo)
        deployments = os.path.join(out_dir, 'deployments')
        try:
            polled = wait_until(lambda: len(emulator.versions_requests()) >= 2, timeout, process)
            if polled:
                print('eda-demo: the source polls; now %s' % ('the hostile version completes' if hostile_only else
                      'V0001 completes, V0002 fails, bert-base-finetune-V0001 and the hostile version complete'))
                emulator.transitions(transitions)
                wait_until(lambda: ((hostile_only or output.count(FAILURE_REPORT) >= 1)
                                    and output.count('PLAY RECAP') >= expected_runs and os.path.isdir(deployments)),
                           timeout, process)
                quiet_from = len(emulator.versions_requests())
                wait_until(lambda: len(emulator.versions_requests()) >= quiet_from + QUIET_POLLS, timeout, process)
        finally:
            stop(process)
            output.close()
    found = sorted(os.listdir(deployments)) if os.path.isdir(deployments) else []
    plans = {}
    for name in found:
        with open(os.path.join(deployments, name)) as handle:
            plans[name] = json.load(handle)
    # str(): ansible-core 2.17 without Jinja2 native types writes the numbers of the plan as strings.
    hostile_plans = [plan for plan in plans.values() if str(plan.get('version_id')) == str(HOSTILE_VERSION_ID)]
    expected = sorted(([] if hostile_only else ['resnet50-train-V0001.json'])
                      + [plan_file(plan['version_name']) for plan in hostile_plans])
    result = dict(
        deployments=found,
        plans=plans,
        hostile_plan=hostile_plans[0] if hostile_plans else None,
        markers_created=[marker for marker in MARKERS if os.path.exists(os.path.join(out_dir, marker))],
        ansible_core=sorted(set(plan.get('planned_by_ansible_core') for plan in plans.values())),
        playbook_runs=output.count('PLAY [%s]' % PLAY_NAME),
        failure_reports=[line.strip() for line in output.lines if FAILURE_REPORT in line],
        rulebook_exit=process.returncode,
        seconds=round(time.monotonic() - started, 1),
    )
    result['ok'] = (len(hostile_plans) == 1 and found == expected and result['playbook_runs'] == expected_runs
                    and (hostile_only or len(result['failure_reports']) >= 1) and not result['markers_created'])
    with open(os.path.join(out_dir, 'result.json'), 'w') as handle:
        json.dump(result, handle, indent=2)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--out', default=os.path.join(REPO_ROOT, 'build', 'eda-demo'))
    parser.add_argument('--timeout', type=float, default=90, help='seconds to wait for each step')
    parser.add_argument('--quiet', action='store_true', help="do not echo ansible-rulebook's output")
    parser.add_argument('--hostile-only', action='store_true', help='run the hostile version alone')
    parser.add_argument('--ansible-bin', help='a directory whose ansible-playbook runs the playbook (first on PATH)')
    options = parser.parse_args()
    ansible_bin = os.path.abspath(options.ansible_bin) if options.ansible_bin else None
    result = run_demo(os.path.abspath(options.out), options.timeout, echo=not options.quiet,
                      hostile_only=options.hostile_only, ansible_bin=ansible_bin)
    print('eda-demo: deployment plans written: %s (in %s/deployments); playbook runs: %d (ansible-core %s); '
          'failures reported: %d; files the hostile templates created: %s; %.1f s'
          % (', '.join(result['deployments']) or 'none', options.out, result['playbook_runs'],
             ', '.join(str(version) for version in result['ansible_core']) or '-', len(result['failure_reports']),
             ', '.join(result['markers_created']) or 'none', result['seconds']))
    if not result['ok']:
        print('eda-demo: expected %s, no file created by the hostile version (ansible-rulebook output: %s/rulebook.log)'
              % ('one run of the playbook, for the hostile version' if options.hostile_only else
                 'two runs of the playbook, for resnet50-train-V0001 and the hostile version, a failure report for '
                 'resnet50-train-V0002', options.out))
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
