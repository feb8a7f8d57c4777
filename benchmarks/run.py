#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Benchmark mlops.modelarts against what users would otherwise write (`make bench`).

Starts the emulator on 127.0.0.1 (one process, several projects: 1,000 / 10,000 / 50,000 versions and 100
small projects), then runs real `ansible-playbook` commands, repetitions interleaved (rep 1 of every scenario,
then rep 2, ...) so that the load of a shared machine drifts over all scenarios alike. Every figure that is
compared is a ratio of medians measured in the same run. Then one measured pass per memory scenario (module
process peak RSS through benchmarks/rss_python.py, controller main process peak RSS through an atexit hook),
the TCP connection count of paging from the emulator's request log, and the size of what travels back.

Environment: BENCH_REPS (default 3), BENCH_OUT (markdown table, default build/bench/results.md),
BENCH_QUICK=1 (fewer scenarios, for a smoke run), ANSIBLE_COLLECTIONS_PATH (set by `make bench`),
BENCH_ALT_COLLECTIONS (another collections path, e.g. a prototype or main's build, measured as alt-* in the same run),
BENCH_ONLY=inventory (only the inventory scenarios of benchmarks/inventory.py, which otherwise run last),
BENCH_ONLY=report (only benchmarks/report_one_pass.py: the gpu_report role's one pass against its per-host path),
BENCH_ONLY=<keys> (comma-separated scenario keys: run only these, skip the measured passes; targets whose scenarios did
not run are left out), BENCH_MEASURED=0 (skip the measured passes).

The modules run in-process (the action plugins) where the task's connection is local, as in every scenario here;
the `*-module` scenarios force the module process with modelarts_run_in_process=false, and the measured passes
(module RSS, bytes sent back) measure that module path.
BENCH_SCENARIOS (comma-separated groups, default all (only `core` with BENCH_ONLY=<keys>): `core` = everything above,
`latency` = the same queries at 0 and at 100 ms per answer, concurrent and sequential, `memory` = peak RSS of a
summary over 50,000 versions by 500, `v2` = issue 23's targets: 10,000 v2 jobs against Huawei's SDK, at 0 and
100 ms, and their memory, benchmarks/v2_jobs.py);
`python benchmarks/run.py latency,memory` selects groups too.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
PLAYBOOKS = os.path.join(HERE, 'playbooks')
sys.path.insert(0, REPO)

from tests.emulator.harness import Emulator  # noqa: E402  (the repo root must be on sys.path first)
import inventory as inventory_bench  # noqa: E402  (benchmarks/inventory.py, beside this file)
import v2_jobs as v2_bench  # noqa: E402  (benchmarks/v2_jobs.py, beside this file)

REPS = int(os.environ.get('BENCH_REPS', '3'))
# Repetitions of the costly scenarios (paging, 1,000, lookup, many projects; the uri baseline on 100 hosts alone
# takes over 3 CPU minutes); 50,000 runs once. The defaults keep `make bench` under 10 minutes on 2 idle cores.
FEW = int(os.environ.get('BENCH_FEW_REPS', '1'))
QUICK = os.environ.get('BENCH_QUICK') == '1'
ONLY = [key for key in os.environ.get('BENCH_ONLY', '').split(',') if key]
MEASURED = os.environ.get('BENCH_MEASURED', '0' if ONLY else '1') != '0'
FORCE_MODULE = dict(modelarts_run_in_process=False)
OUT = os.environ.get('BENCH_OUT', os.path.join(REPO, 'build', 'bench', 'results.md'))
PYTHON = sys.executable
PLAYBOOK_BIN = os.path.join(os.path.dirname(PYTHON), 'ansible-playbook')
if not os.path.exists(PLAYBOOK_BIN):
    PLAYBOOK_BIN = shutil.which('ansible-playbook')

SIZES = {1000: 'eu-de_demo', 10000: 'eu-de_demo2', 50000: 'eu-de_demo3'}
MANY_HOSTS = 100
MANY_VERSIONS = 100
MANY_FORKS = 10
PAGE = 500

CREDENTIALS = dict(username='demo-user', password='demo-password', domain_name='demo-domain')
GROUPS = ('core', 'latency', 'memory', 'v2')
LATENCY = 0.1  # seconds per answer in the latency group (a distant region)
LATENCY_WORKERS = (4, 1, 8)  # the default, strictly sequential (the 0.1.0 figures), and more


def emulator_config():
    projects = [{'versions': 1000}, {'versions': 10000}, {'versions': 50000}]
    projects += [{'versions': MANY_VERSIONS, 'seed': n} for n in range(MANY_HOSTS)]
    return {'offset_unit': 'records', 'projects': projects}


def many_project_names():
    return ['eu-de_demo%d' % n for n in range(4, 4 + MANY_HOSTS)]


class Bench(object):
    def __init__(self, emulator, workdir):
        self.emu = emulator
        self.workdir = workdir
        self.times = {}
        self.tree_rss = {}
        self.cpu = {}
        self.scenarios = []
        self.notes = []
        self._inventories = {}
        self.rss_python = self._make_rss_python()

    # -- commands -------------------------------------------------------------------------------------------

    def _make_rss_python(self):
        path = os.path.join(self.workdir, 'rss_python')
        with open(os.path.join(HERE, 'rss_python.py')) as source:
            body = source.read().split('\n', 1)[1]
        with open(path, 'w') as target:
            target.write('#!%s\n%s' % (PYTHON, body))
        os.chmod(path, 0o755)
        return path

    def inventory(self, projects):
        key = tuple(projects)
        if key not in self._inventories:
            path = os.path.join(self.workdir, 'inventory-%d.ini' % len(self._inventories))
            with open(path, 'w') as handle:
                for index, name in enumerate(projects):
                    handle.write('p%03d ansible_connection=local project_name=%s\n' % (index, name))
            self._inventories[key] = path
        return self._inventories[key]

    def playbook(self, name, projects, forks=None, **extra):
        variables = dict(CREDENTIALS, endpoint=self.emu.url, auth_url=self.emu.auth_url,
                         ansible_python_interpreter=PYTHON)
        variables.update(extra)
        command = [PLAYBOOK_BIN, os.path.join(PLAYBOOKS, name + '.yml'), '-i', self.inventory(projects),
                   '-e', json.dumps(variables)]
        if forks:
            command += ['--forks', str(forks)]
        return command

    def env(self, extra=None):
        environment = dict(os.environ)
        for name in list(environment):
            if name.startswith(('OS_', 'HUAWEICLOUD_', 'MODELARTS_')):
                del environment[name]
        environment.update({
            'ANSIBLE_STDOUT_CALLBACK': 'default', 'ANSIBLE_NOCOLOR': '1', 'ANSIBLE_HOST_KEY_CHECKING': 'false',
            'ANSIBLE_RETRY_FILES_ENABLED': 'false', 'ANSIBLE_LOCAL_TEMP': os.path.join(self.workdir, 'tmp'),
            'ANSIBLE_PYTHON_INTERPRETER': PYTHON, 'NO_PROXY': '127.0.0.1,localhost', 'no_proxy': '127.0.0.1,localhost',
        })
        environment.update(extra or {})
        return environment

    def add(self, key, label, commands, reps=None):
        """A scenario: one or more commands run back to back; its time is their sum (BENCH_ONLY may skip it)."""
        if ONLY and key not in ONLY:
            return
        self.scenarios.append((key, label, commands, reps or REPS))

    def have(self, *keys):
        return all(key in self.times for key in keys)

    # -- running --------------------------------------------------------------------------------------------

    def execute(self, command, env=None):
        """Run one command; give back (wall seconds, peak RSS in KB, CPU seconds) of its process tree."""
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env or self.env(),
                                   cwd=self.workdir)
        output = process.stdout.read()
        dummy, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        process.stdout.close()
        if process.returncode != 0:
            raise SystemExit('benchmark command failed (%s): %s\n%s' % (
                process.returncode, ' '.join(command), output.decode('utf-8', 'replace')[-3000:]))
        return seconds, usage.ru_maxrss, usage.ru_utime + usage.ru_stime

    def run_all(self):
        rounds = max(reps for dummy, dummy, dummy, reps in self.scenarios)
        for rep in range(rounds):
            for key, dummy, commands, reps in self.scenarios:
                if rep >= reps:
                    continue
                total = 0.0
                cpu = 0.0
                peak = 0
                for command in commands:
                    extra_env = None
                    if isinstance(command, tuple):
                        command, extra_env = command
                    seconds, rss, used = self.execute(command, env=self.env(extra_env) if extra_env else None)
                    total += seconds
                    cpu += used
                    peak = max(peak, rss)
                self.times.setdefault(key, []).append(total)
                self.cpu.setdefault(key, []).append(cpu)
                self.tree_rss.setdefault(key, []).append(peak)
                print('  rep %d  %-34s %7.2f s wall %7.2f s CPU' % (rep + 1, key, total, cpu), flush=True)

    def median(self, key):
        return statistics.median(self.times[key])

    def median_cpu(self, key):
        return statistics.median(self.cpu[key])

    # -- single measured passes ------------------------------------------------------------------------------

    def measure_module(self, command_factory, projects, env=None, **extra):
        """Run a playbook once with the module process measured; give back (module records, controller KB)."""
        report = os.path.join(self.workdir, 'module-rss.jsonl')
        controller = os.path.join(self.workdir, 'controller-rss.txt')
        for path in (report, controller):
            if os.path.exists(path):
                os.remove(path)
        command = command_factory(projects, ansible_python_interpreter=self.rss_python, **extra)
        hook = ('import atexit, resource, runpy, sys\n'
                'atexit.register(lambda: open(%r, "w").write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)))\n'
                'sys.argv = sys.argv[1:]\n'
                'runpy.run_path(sys.argv[0], run_name="__main__")\n' % controller)
        self.execute([PYTHON, '-c', hook] + command, env=self.env(dict(env or {}, BENCH_MODULE_RSS_FILE=report)))
        records = []
        if os.path.exists(report):
            with open(report) as handle:
                records = [json.loads(line) for line in handle if line.strip()]
        with open(controller) as handle:
            controller_kb = int(handle.read().strip())
        return records, controller_kb


def received_bytes(url, project_name, limit=0):
    """Give back the size in bytes of the JSON body the API sends for `limit` (0: all, what the module parses)."""
    import requests
    session = requests.Session()
    session.trust_env = False
    login = session.post(url + '/v3/auth/tokens?nocatalog=true', json={'auth': {'identity': {
        'methods': ['password'], 'password': {'user': {'name': 'demo-user', 'password': 'demo-password',
                                                       'domain': {'name': 'demo-domain'}}}},
        'scope': {'project': {'name': project_name}}}})
    path = '/v1/%s/training-jobs/versions' % login.json()['token']['project']['id']
    answer = session.get(url + path, params={'limit': limit}, headers={'X-Auth-Token': login.headers['X-Subject-Token']})
    return len(answer.content)


def fmt_s(value):
    return '%.2f' % value


def machine_text():
    cpu = 'unknown'
    try:
        with open('/proc/cpuinfo') as handle:
            for line in handle:
                if line.startswith('model name'):
                    cpu = line.split(':', 1)[1].strip()
                    break
    except OSError:
        pass
    core = subprocess.run([PLAYBOOK_BIN, '--version'], capture_output=True, text=True, check=False).stdout.split('\n')[0]
    try:
        load = ', '.join('%.2f' % x for x in os.getloadavg())
    except OSError:
        load = 'unknown'
    return ('nproc %d, CPU %s, Python %s, %s, load average at start %s (machine shared with other engineers\' '
            'test runs)' % (os.cpu_count(), cpu, platform.python_version(), core.strip(), load))


def selected_groups():
    """Give back the scenario groups to run (command line, else BENCH_SCENARIOS, else all)."""
    default = 'core' if ONLY else ','.join(GROUPS)  # BENCH_ONLY names scenarios of the core group
    text = sys.argv[1] if len(sys.argv) > 1 else os.environ.get('BENCH_SCENARIOS', default)
    groups = [name.strip() for name in text.split(',') if name.strip()]
    unknown = sorted(set(groups) - set(GROUPS))
    if unknown:
        raise SystemExit('unknown scenario group(s) %s; known: %s' % (', '.join(unknown), ', '.join(GROUPS)))
    return groups


def latency_section(workdir):
    """Run the latency group: the same queries against a 0 ms and a 100 ms emulator, interleaved; give back lines."""
    workdir = os.path.join(workdir, 'latency')
    os.makedirs(os.path.join(workdir, 'tmp'))
    config = {'offset_unit': 'records', 'projects': [{'versions': 10000}]}
    project = ['eu-de_demo']
    queries = [
        ('active', 'status: [active], summary', dict(statuses=['active'])),
        ('paged', '10,000 by 500, summary', dict(page_size=PAGE)),
        ('one', 'status: [running], summary', dict(statuses=['running'])),
        ('gate', 'gate poll: status: [active], wait_for max_active_gpus', dict(statuses=['active'], gate=True)),
    ]
    with Emulator(config=config) as fast, Emulator(config=config, latency=LATENCY) as slow:
        benches = {0: Bench(fast, workdir), 100: Bench(slow, workdir)}
        runner = benches[0]
        for key, label, extra in queries:
            for workers in LATENCY_WORKERS:
                if workers != 4 and key not in ('active', 'paged'):
                    continue
                for millis, bench in sorted(benches.items()):
                    runner.add('lat%d-%s-w%d' % (millis, key, workers), '%s, max_concurrent_requests %d, %d ms' % (
                        label, workers, millis), [bench.playbook('latency', project, max_concurrent_requests=workers,
                                                                 **extra)])
        print('latency group: %d scenarios, %d reps, interleaved' % (len(runner.scenarios), REPS), flush=True)
        runner.run_all()
        slow.reset_log()
        runner.execute(benches[100].playbook('latency', project, page_size=PAGE))
        paged_log = slow.versions_requests()
        shared_layer = shared_layer_latency({0: fast, 100: slow}, queries)
    med = runner.median
    lines = ['### Latency: every answer delayed by %d ms, against 0 ms (medians of %d interleaved repetitions)' % (
        LATENCY * 1000, REPS), '',
        'Password login, 10,000 versions, `offset_unit: records`. Difference = median at %d ms - median at 0 ms, '
        'in seconds and in latencies (round trips that were not overlapped).' % (LATENCY * 1000), '',
        '| query | max_concurrent_requests | 0 ms, s | %d ms, s | difference, s | in latencies |' % (LATENCY * 1000),
        '|---|---|---|---|---|---|']
    for key, label, dummy in queries:
        for workers in LATENCY_WORKERS:
            fast_key, slow_key = 'lat0-%s-w%d' % (key, workers), 'lat100-%s-w%d' % (key, workers)
            if fast_key not in runner.times:
                continue
            diff = med(slow_key) - med(fast_key)
            lines.append('| %s | %d | %.2f | %.2f | %.2f | %.1f |' % (
                label, workers, med(fast_key), med(slow_key), diff, diff / LATENCY))
    targets = [
        ('status: [active] at 100 ms: at most 0.4 s more than at 0 ms', 'active', 4, 0.4),
        ('10,000 by 500 at 100 ms: at most 0.8 s more', 'paged', 4, 0.8),
        ('a single status: two latencies (login and one GET), at most 0.3 s more', 'one', 4, 0.3),
    ]
    lines += ['', '| target | measured, s | met |', '|---|---|---|']
    for text, key, workers, limit in targets:
        diff = med('lat100-%s-w%d' % (key, workers)) - med('lat0-%s-w%d' % (key, workers))
        lines.append('| %s | %.2f | %s |' % (text, diff, 'yes' if diff <= limit else '**no**'))
    lines += ['', 'Paging 10,000 by 500 at %d ms, one extra run: %d versions requests on %d TCP connections '
              '(max_concurrent_requests 4).' % (LATENCY * 1000, len(paged_log), len(set(r['connection'] for r in paged_log))),
              '']
    lines += ['The same queries through the shared layer alone (`run_query` in the benchmark process: login and '
              'query, no ansible-playbook, so far less CPU noise), median of %d:' % SHARED_REPS, '',
              '| query | max_concurrent_requests | 0 ms, s | %d ms, s | difference, s | in latencies |' % (LATENCY * 1000),
              '|---|---|---|---|---|---|']
    for label, workers, fast_s, slow_s in shared_layer:
        lines.append('| %s | %d | %.3f | %.3f | %.3f | %.1f |' % (
            label, workers, fast_s, slow_s, slow_s - fast_s, (slow_s - fast_s) / LATENCY))
    return lines + ['']


SHARED_REPS = 5


def import_collection_in_process():
    """Make the collection under test importable here (for `run_query` in this process) and bypass proxies."""
    for entry in reversed((os.environ.get('ANSIBLE_COLLECTIONS_PATH') or os.path.join(REPO, 'build', 'collections')).split(
            os.pathsep)):
        if entry and entry not in sys.path:
            sys.path.insert(0, entry)
    os.environ['NO_PROXY'] = os.environ['no_proxy'] = '127.0.0.1,localhost'


def shared_layer_latency(emulators, queries):
    """Give back [(label, workers, median s at 0 ms, median s at 100 ms)] of run_query, interleaved."""
    import_collection_in_process()
    from ansible_collections.mlops.modelarts.plugins.module_utils._options import run_query
    rows = []
    for dummy_key, label, extra in queries:
        if extra.get('gate'):
            continue
        for workers in LATENCY_WORKERS:
            samples = {}
            for dummy in range(SHARED_REPS):
                for millis, emu in sorted(emulators.items()):
                    params = dict(CREDENTIALS, endpoint=emu.url, auth_url=emu.auth_url, region='eu-de',
                                  project_name='eu-de_demo', offset_unit='records', include_versions=False,
                                  page_size=extra.get('page_size', 0), max_concurrent_requests=workers)
                    if extra.get('statuses'):
                        params['status'] = extra['statuses']
                    started = time.perf_counter()
                    run_query(params)
                    samples.setdefault(millis, []).append(time.perf_counter() - started)
            rows.append((label, workers, statistics.median(samples[0]), statistics.median(samples[100])))
    return rows


def memory_section(workdir):
    """Run the memory group: module peak RSS of summaries over 50,000 versions by 500; give back lines."""
    workdir = os.path.join(workdir, 'memory')
    os.makedirs(os.path.join(workdir, 'tmp'))
    config = {'offset_unit': 'records', 'projects': [{'versions': 50000}, {'versions': PAGE}]}
    with Emulator(config=config) as emu:
        bench = Bench(emu, workdir)

        def factory(**extra):
            extra = dict(FORCE_MODULE, **extra)  # the module process is what rss_python measures
            return lambda projects, **more: bench.playbook('latency', projects, **dict(extra, **more))

        runs = [
            ('footprint: %d versions, one page, summary' % PAGE, ['eu-de_demo2'], dict(page_size=PAGE)),
            ('50,000 by %d, summary, max_concurrent_requests 4' % PAGE, ['eu-de_demo'], dict(page_size=PAGE)),
            ('50,000 by %d, summary, max_concurrent_requests 1' % PAGE, ['eu-de_demo'],
             dict(page_size=PAGE, max_concurrent_requests=1)),
        ]
        peaks = []
        for label, projects, extra in runs:
            records, dummy = bench.measure_module(factory(**extra), projects)
            peaks.append((label, max(r['maxrss_kb'] for r in records) * 1024.0))
        page_bytes = received_bytes(emu.url, 'eu-de_demo', limit=PAGE)
    footprint = peaks[0][1]
    lines = ['### Memory: summary only (`include_versions: false`) over 50,000 versions by %d' % PAGE, '',
             'One page\'s JSON (limit=%d): %d bytes. Target: peak RSS at most footprint + 3 x one page = %.1f MB.' % (
                 PAGE, page_bytes, (footprint + 3 * page_bytes) / 1048576.0), '',
             '| run | module peak RSS, MB | above the footprint, MB | / one page\'s JSON | met |', '|---|---|---|---|---|']
    for label, peak in peaks:
        above = peak - footprint
        met = '' if peak is footprint else ('yes' if above <= 3 * page_bytes else '**no**')
        lines.append('| %s | %.1f | %.2f | %.1f | %s |' % (
            label, peak / 1048576.0, above / 1048576.0, above / float(page_bytes), met))
    return lines + ['']


def write_table(text):
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as handle:
        handle.write(text)
    print('\n' + text)
    print('table written to %s' % OUT)


def main():
    if os.environ.get('BENCH_ONLY') == 'inventory':
        return inventory_bench.main()
    if os.environ.get('BENCH_ONLY') == 'report':
        import report_one_pass  # benchmarks/report_one_pass.py: the gpu_report role's two paths (issue 25)
        return report_one_pass.main()
    groups = selected_groups()
    workdir = tempfile.mkdtemp(prefix='modelarts-bench-')
    os.makedirs(os.path.join(workdir, 'tmp'))
    started = time.time()
    machine = machine_text()
    print('machine: %s' % machine, flush=True)
    selected_lines = []
    if 'latency' in groups:
        selected_lines += latency_section(workdir)
    if 'memory' in groups:
        selected_lines += memory_section(workdir)
    if 'v2' in groups:
        import_collection_in_process()
        selected_lines += v2_bench.section(Bench, workdir, PYTHON, REPS, FEW, FORCE_MODULE)
    if 'core' not in groups:
        write_table('\n'.join(['Machine: %s. Groups: %s; %.0f s wall.' % (machine, ', '.join(groups), time.time() - started),
                               ''] + selected_lines) + '\n')
        shutil.rmtree(workdir, ignore_errors=True)
        return
    with Emulator(config=emulator_config()) as emu:
        bench = Bench(emu, workdir)
        ten_k = [SIZES[10000]]
        raw = [PYTHON, os.path.join(HERE, 'raw_requests.py'), emu.url]

        # Floors and baselines.
        bench.add('ping', 'ping playbook', [bench.playbook('ping', ten_k)])
        bench.add('raw-10k', 'raw requests script, 10,000', [raw + [SIZES[10000]]])
        bench.add('uri-lean-10k', 'lean uri playbook (login, GET, one set_fact), 10,000',
                  [bench.playbook('uri_lean', ten_k)])
        bench.add('uri-10k', 'uri playbook with set_fact steps, 10,000, limit=0', [bench.playbook('uri_baseline', ten_k)])
        # Ours at 10,000 (the targets): in-process (the action plugin), and the module forced.
        # The full result registered by one task (ours_bare.yml), as the lean uri playbook registers its answer and
        # shows nothing; the summary rows keep ours.yml's display task, as ping.yml has one.
        bench.add('ours-10k', 'info, in-process, 10,000, one request, one task', [bench.playbook('ours_bare', ten_k)])
        bench.add('ours-10k-summary', 'info, in-process, 10,000, include_versions: false',
                  [bench.playbook('ours', ten_k, include_versions=False)])
        bench.add('ours-10k-module', 'info, module forced, 10,000, one request, one task',
                  [bench.playbook('ours_bare', ten_k, **FORCE_MODULE)])
        bench.add('ours-10k-summary-module', 'info, module forced, 10,000, include_versions: false',
                  [bench.playbook('ours', ten_k, include_versions=False, **FORCE_MODULE)])
        many = many_project_names()
        many_text = '%d projects x %d, forks %d' % (MANY_HOSTS, MANY_VERSIONS, MANY_FORKS)
        # One-task plays (the target's "bare ping play"), and the same plays with a second task showing the answer
        # (`-shown`): that task costs both sides the same, so it pulls their ratio towards 1.
        hosts_text = '%d hosts, forks %d' % (MANY_HOSTS, MANY_FORKS)
        bench.add('ping-many', 'bare ping playbook (one task), %s' % hosts_text,
                  [bench.playbook('ping_bare', many, forks=MANY_FORKS)], reps=FEW)
        bench.add('floor-many', 'one debug task (the floor of any one-task play), %s' % hosts_text,
                  [bench.playbook('debug_bare', many, forks=MANY_FORKS)], reps=FEW)
        bench.add('ours-many-summary', 'info, in-process, one task, %s, include_versions: false' % many_text,
                  [bench.playbook('ours_bare', many, forks=MANY_FORKS, include_versions=False)], reps=FEW)
        bench.add('ours-many-summary-module', 'info, module forced, one task, %s, include_versions: false' % many_text,
                  [bench.playbook('ours_bare', many, forks=MANY_FORKS, include_versions=False, **FORCE_MODULE)],
                  reps=FEW)
        bench.add('ping-many-shown', 'ping playbook, then a debug task, %s' % hosts_text,
                  [bench.playbook('ping', many, forks=MANY_FORKS)], reps=FEW)
        bench.add('floor-many-shown', 'two debug tasks (the floor of any two-task play), %s' % hosts_text,
                  [bench.playbook('floor', many, forks=MANY_FORKS)], reps=FEW)
        bench.add('ours-many-summary-shown', 'info, in-process, then a debug task, %s, include_versions: false' % (
            many_text), [bench.playbook('ours', many, forks=MANY_FORKS, include_versions=False)], reps=FEW)
        if not QUICK:
            bench.add('uri-10k-paged', 'uri playbook, 10,000, pages of 500',
                      [bench.playbook('uri_baseline', ten_k, page_size=PAGE)], reps=FEW)
            bench.add('ours-10k-paged', 'info, in-process, 10,000, page_size: 500',
                      [bench.playbook('ours', ten_k, page_size=PAGE)], reps=FEW)
            if os.path.exists(os.path.join(REPO, 'plugins', 'lookup', 'training_job_versions.py')):
                bench.add('lookup-10k', 'lookup, 10,000, result=versions', [bench.playbook('lookup', ten_k)], reps=FEW)
                bench.add('lookup-10k-summary', 'lookup, 10,000, result=summary, include_versions: false',
                          [bench.playbook('lookup', ten_k, lookup_result='summary', include_versions=False)], reps=FEW)
            else:
                bench.notes.append('plugins/lookup/training_job_versions.py did not exist: lookup not measured.')
            one_k = [SIZES[1000]]
            fifty_k = [SIZES[50000]]
            bench.add('uri-1k', 'uri playbook, 1,000, limit=0', [bench.playbook('uri_baseline', one_k)], reps=FEW)
            bench.add('ours-1k', 'info, in-process, 1,000, one request', [bench.playbook('ours', one_k)], reps=FEW)
            bench.add('ours-50k', 'info, in-process, 50,000, one request', [bench.playbook('ours', fifty_k)], reps=1)
            bench.add('ours-50k-paged', 'info, in-process, 50,000, page_size: 500',
                      [bench.playbook('ours', fifty_k, page_size=PAGE)], reps=1)
            bench.add('ours-50k-summary', 'info, in-process, 50,000, include_versions: false',
                      [bench.playbook('ours', fifty_k, include_versions=False)], reps=1)
            bench.add('uri-many', 'uri playbook, %s' % many_text,
                      [bench.playbook('uri_baseline', many, forks=MANY_FORKS)], reps=FEW)
            bench.add('ours-many', 'info, in-process, %s' % many_text, [bench.playbook('ours', many, forks=MANY_FORKS)],
                      reps=FEW)
        alternative = os.environ.get('BENCH_ALT_COLLECTIONS')
        if alternative:
            # A second build of the collection (e.g. a prototype) measured in the same run, keys alt-*.
            alt_env = {'ANSIBLE_COLLECTIONS_PATH': alternative}
            bench.add('alt-10k', 'ALT info module, 10,000, one request', [(bench.playbook('ours', ten_k), alt_env)])
            bench.add('alt-10k-summary', 'ALT info module, 10,000, include_versions: false',
                      [(bench.playbook('ours', ten_k, include_versions=False), alt_env)])
            bench.add('alt-many-summary', 'ALT info, one task, %s, include_versions: false' % many_text,
                      [(bench.playbook('ours_bare', many, forks=MANY_FORKS, include_versions=False), alt_env)],
                      reps=FEW)
        print('timed runs (%d scenarios, up to %d reps, interleaved):' % (len(bench.scenarios), REPS), flush=True)
        bench.run_all()

        # Single measured passes: sizes, memory, connections (of the module path: module RSS needs a module).
        measured = {}
        paged_requests = paged_connections = None
        received = None
        if MEASURED:
            print('measured passes: result size, memory, connections', flush=True)

            def ours_factory(**extra):
                extra = dict(FORCE_MODULE, **extra)
                return lambda projects, **more: bench.playbook('ours', projects, **dict(extra, **more))

            measured['1k-summary (footprint)'] = bench.measure_module(ours_factory(include_versions=False), [SIZES[1000]])
            measured['10k-full'] = bench.measure_module(ours_factory(), ten_k)
            measured['10k-summary'] = bench.measure_module(ours_factory(include_versions=False), ten_k)
            measured['uri-10k'] = bench.measure_module(lambda p, **more: bench.playbook('uri_baseline', p, **more), ten_k)
            if not QUICK:
                measured['50k-full'] = bench.measure_module(ours_factory(), [SIZES[50000]])
                emu.reset_log()
                measured['50k-paged'] = bench.measure_module(ours_factory(page_size=PAGE), [SIZES[50000]])
                paged_requests = emu.versions_requests()
                paged_connections = emu.connections(paged_requests)
                if alternative:
                    measured['alt-10k-full'] = bench.measure_module(ours_factory(), ten_k, env=alt_env)
                    measured['alt-50k-full'] = bench.measure_module(ours_factory(), [SIZES[50000]], env=alt_env)
            received = received_bytes(emu.url, SIZES[50000 if not QUICK else 10000])
    elapsed = time.time() - started
    text = report(bench, machine, measured, paged_requests, paged_connections, received, elapsed)
    write_table(text + '\n'.join([''] + selected_lines) + '\n')
    shutil.rmtree(workdir, ignore_errors=True)


def report(bench, machine, measured, paged_requests, paged_connections, received, elapsed):
    """Give back the markdown of the run: timings, measured passes, targets (those whose scenarios ran)."""
    med = bench.median
    have = bench.have
    floor = floor_cpu = None
    if have('ping', 'raw-10k'):
        floor = med('ping') + med('raw-10k')
        floor_cpu = bench.median_cpu('ping') + bench.median_cpu('raw-10k')
    rows = []
    for key, label, dummy, dummy in bench.scenarios:
        baseline = None
        if key.startswith(('ours-', 'lookup-', 'alt-')):
            suffix = key.split('-', 1)[1]
            size_key = suffix.replace('-summary', '').replace('-paged', '').replace('-module', '')
            paged = suffix.endswith('-paged')
            for base_key in ('uri-lean-%s' % size_key, 'uri-%s%s' % (size_key, '-paged' if paged else '')):
                if base_key in bench.times and (not paged or base_key.endswith('-paged')):
                    baseline = base_key
                    break
            if size_key in ('many', 'many-shown') and suffix.startswith('many-summary') and have('ping-' + size_key):
                baseline = 'ping-' + size_key
        if key in ('floor-many', 'floor-many-shown') and have(key.replace('floor', 'ping')):
            baseline = key.replace('floor', 'ping')
        ratio = '%.2f (vs %s)' % (med(key) / med(baseline), baseline) if baseline else ''
        cpu_ratio = '%.2f' % (bench.median_cpu(key) / bench.median_cpu(baseline)) if baseline else ''
        floor_ratio = ''
        if floor and (key.startswith('ours-10k') and not key.endswith('-paged') or key.startswith('uri-') and '10k' in key
                      and not key.endswith('-paged')):
            floor_ratio = '%.2f (CPU %.2f)' % (med(key) / floor, bench.median_cpu(key) / floor_cpu)
        rows.append('| %s | `%s` | %d | %s | %s | %s | %s | %s | %.0f |' % (
            label, key, len(bench.times[key]), fmt_s(med(key)), ratio, floor_ratio, fmt_s(bench.median_cpu(key)),
            cpu_ratio, statistics.median(bench.tree_rss[key]) / 1024.0))
    lines = [
        '### Timings (medians of interleaved repetitions)',
        '',
        'Machine: %s; load average at the end %s.' % (machine, ', '.join('%.2f' % x for x in os.getloadavg())),
        '',
    ]
    if floor:
        lines += ['Floor = median(ping playbook) + median(raw requests script, 10,000) = %.2f s wall, %.2f s CPU.' % (
            floor, floor_cpu), '']
    lines += [
        '| scenario | key | reps | median wall s | wall: ours / baseline | / floor | median CPU s | CPU: ours / baseline '
        '| peak RSS of the process tree, MB |',
        '|---|---|---|---|---|---|---|---|---|',
    ] + rows
    if measured:
        lines += ['', '### Measured passes (one run each, module forced)', '',
                  '| run | module peak RSS, MB | module JSON to controller, bytes | controller main process peak RSS, MB |',
                  '|---|---|---|---|']
        for name, (records, controller_kb) in measured.items():
            peak = max(r['maxrss_kb'] for r in records) / 1024.0 if records else 0
            sent = sum(r['stdout_bytes'] for r in records)
            lines.append('| %s | %.1f | %d | %.1f |' % (name, peak, sent, controller_kb / 1024.0))
    targets = []

    def target(text, keys, value, limit):
        if have(*keys):
            targets.append((text, value(), limit))

    target('100 projects, forks 10, summary only: ours (in-process) / bare ping play on the same hosts at most 0.2',
           ('ours-many-summary', 'ping-many'), lambda: med('ours-many-summary') / med('ping-many'), 0.2)
    target('full result, 10,000, one request: ours (in-process) / lean uri playbook at most 0.45',
           ('ours-10k', 'uri-lean-10k'), lambda: med('ours-10k') / med('uri-lean-10k'), 0.45)
    target('summary only, 10,000: ours (in-process) / (ping play + raw requests script) at most 0.75',
           ('ours-10k-summary', 'ping', 'raw-10k'), lambda: med('ours-10k-summary') / floor, 0.75)
    target('0.1.0 target: full result, 10,000: ours / uri playbook with set_fact steps at most 0.6',
           ('ours-10k', 'uri-10k'), lambda: med('ours-10k') / med('uri-10k'), 0.6)
    target('0.1.0 target: summary only, 10,000: ours / floor at most 1.1',
           ('ours-10k-summary', 'ping', 'raw-10k'), lambda: med('ours-10k-summary') / floor, 1.1)
    target('0.1.0 target: the same in CPU time', ('ours-10k-summary', 'ping', 'raw-10k'),
           lambda: bench.median_cpu('ours-10k-summary') / floor_cpu, 1.1)
    target('0.1.0 target: full result, 10,000: the same in CPU time', ('ours-10k', 'uri-10k'),
           lambda: bench.median_cpu('ours-10k') / bench.median_cpu('uri-10k'), 0.6)
    target('forced module, full result, 10,000: module / lean uri playbook (no target)', ('ours-10k-module', 'uri-lean-10k'),
           lambda: med('ours-10k-module') / med('uri-lean-10k'), None)
    target('100 projects: one debug task (Ansible\'s floor for the play) / bare ping play (no target)',
           ('floor-many', 'ping-many'), lambda: med('floor-many') / med('ping-many'), None)
    target('100 projects, summary only: ours (in-process) / one debug task (no target)',
           ('ours-many-summary', 'floor-many'), lambda: med('ours-many-summary') / med('floor-many'), None)
    target('100 projects, each play with a second task showing the answer: ours / ping (no target; 0.1.0 shape)',
           ('ours-many-summary-shown', 'ping-many-shown'),
           lambda: med('ours-many-summary-shown') / med('ping-many-shown'), None)
    target('100 projects, the same with two debug tasks / ping then debug (no target)',
           ('floor-many-shown', 'ping-many-shown'), lambda: med('floor-many-shown') / med('ping-many-shown'), None)
    target('forced module, 100 projects, summary only: module / ping play (no target)',
           ('ours-many-summary-module', 'ping-many'), lambda: med('ours-many-summary-module') / med('ping-many'), None)
    if measured:
        full_bytes = sum(r['stdout_bytes'] for r in measured['10k-full'][0])
        summary_bytes = sum(r['stdout_bytes'] for r in measured['10k-summary'][0])
        uri_bytes = sum(r['stdout_bytes'] for r in measured['uri-10k'][0])
        targets.append(('include_versions: false result at least 50x smaller (10,000): full / summary bytes',
                        full_bytes / float(summary_bytes), 'min50'))
    lines += ['', '### Targets', '', '| target | measured | met |', '|---|---|---|']
    for text, value, limit in targets:
        if limit is None:
            met = '(no target)'
        elif limit == 'min50':
            met = 'yes' if value >= 50 else '**no**'
        else:
            met = 'yes' if value <= limit else '**no**'
        lines.append('| %s | %.2f | %s |' % (text, value, met))
    if have('alt-10k', 'uri-10k'):
        value = med('alt-10k') / med('uri-10k')
        lines.append('| ALT (BENCH_ALT_COLLECTIONS) full result, 10,000: alt / uri at most 0.6 | %.2f | %s |' % (
            value, 'yes' if value <= 0.6 else '**no**'))
    if have('alt-10k-summary') and floor:
        value = med('alt-10k-summary') / floor
        lines.append('| ALT summary only, 10,000: alt / floor at most 1.1 | %.2f | %s |' % (
            value, 'yes' if value <= 1.1 else '**no**'))
    if measured and '50k-full' in measured:
        module_50k = max(r['maxrss_kb'] for r in measured['50k-full'][0]) * 1024.0
        lines.append('| paging 50,000 by 500: TCP connections for the %d versions requests (at most 4, the default '
                     'max_concurrent_requests) | %d | %s |' % (
                         len(paged_requests), len(paged_connections), 'yes' if len(paged_connections) <= 4 else '**no**'))
        lines.append('| module peak RSS at 50,000 / JSON received (%.1f MB): at most 3 | %.2f | %s |' % (
            received / 1048576.0, module_50k / received, 'yes' if module_50k <= 3 * received else '**no**'))
        footprint = max(r['maxrss_kb'] for r in measured['1k-summary (footprint)'][0]) * 1024.0
        lines.append('| the same above the module\'s footprint (1,000, summary only: %.1f MB) | %.2f | %s |' % (
            footprint / 1048576.0, (module_50k - footprint) / received,
            'yes' if module_50k - footprint <= 3 * received else '**no**'))
    if have('ours-many', 'uri-many'):
        many_ratio = med('ours-many') / med('uri-many')
        lines.append('| %d projects, forks %d: ours / uri at most 0.6 | %.2f | %s |' % (
            MANY_HOSTS, MANY_FORKS, many_ratio, 'yes' if many_ratio <= 0.6 else '**no**'))
    if measured:
        lines += ['', 'Bytes the module sent back at 10,000: full %d, summary %d; the uri task fetching the versions '
                  'sent %d (login included).' % (full_bytes, summary_bytes, uri_bytes)]
    if not QUICK and not ONLY:
        print('inventory scenarios:', flush=True)
        lines += [''] + inventory_bench.section()
    cpu_total = sum(sum(values) for values in bench.cpu.values())
    lines += ['', 'Whole benchmark: %.0f s wall; the timed runs used %.0f CPU seconds (on 2 idle cores the wall time '
              'is about the CPU time: most of it is serial).' % (elapsed, cpu_total)] + bench.notes
    return '\n'.join(lines) + '\n'


if __name__ == '__main__':
    main()
