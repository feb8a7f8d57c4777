# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The Event-Driven Ansible source: main(queue, args) against the emulator, loaded as ansible-rulebook loads it.

The emulator's transitions move versions from one status to the next; each test starts main() with an asyncio.Queue
and a short interval, and counts the emulator's requests to know how many polls have been answered.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import asyncio
import json
import logging
import os
import runpy
import sys

import pytest
import yaml

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', '..', '..'))
if REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)

from tests.emulator.harness import (  # noqa: E402  (the repo root must be on sys.path first)
    DEFAULT_DOMAIN, DEFAULT_PASSWORD, DEFAULT_PROJECT_NAME, DEFAULT_TOKEN, DEFAULT_USER, Emulator,
)

SOURCE_PATH = os.path.join('ansible_collections', 'mlops', 'modelarts', 'extensions', 'eda', 'plugins', 'event_source',
                           'training_job_versions.py')
# Short enough for quick tests, long enough for the emulator log to be read between polls.
INTERVAL = 0.1
WAIT_SECONDS = 20
WAITING, RUNNING, COMPLETED, FAILED = 7, 8, 10, 11


def installed_source_path():
    for entry in sys.path:
        path = os.path.join(entry or '.', SOURCE_PATH)
        if os.path.isfile(path):
            return path
    raise AssertionError('the collection is not installed on sys.path (make build; PYTHONPATH=build/collections)')


@pytest.fixture(scope='module')
def source():
    """The event source's globals, run from the installed collection with runpy as ansible-rulebook runs it."""
    path = installed_source_path()
    # Ansible's collection loader (tests/unit/conftest.py) adds a path hook that claims any path in a collection;
    # runpy would then look for a __main__ module in it. No importer for the file: runpy runs it as a script.
    sys.path_importer_cache[path] = None
    return runpy.run_path(path)


@pytest.fixture(scope='module')
def running_emulator():
    with Emulator(versions=0) as emulator:
        yield emulator


@pytest.fixture
def emulator(running_emulator):
    running_emulator.clear_faults()
    running_emulator.set_versions(replace=[])
    running_emulator.reset_log()
    return running_emulator


def token_args(emulator, **extra):
    args = dict(endpoint=emulator.url, token=DEFAULT_TOKEN, project_id=emulator.project_id, interval=INTERVAL)
    args.update(extra)
    return args


def password_args(emulator, **extra):
    args = dict(endpoint=emulator.url, auth_url=emulator.auth_url, username=DEFAULT_USER, password=DEFAULT_PASSWORD,
                domain_name=DEFAULT_DOMAIN, project_name=DEFAULT_PROJECT_NAME, region='eu-de', interval=INTERVAL)
    args.update(extra)
    return args


def version(version_id, status, name=None, **fields):
    body = dict(version_id=version_id, status=status, version_name=name or 'resnet50-train-V%04d' % version_id,
                flavor_code='modelarts.p3.large.8', pool_id='pool-gpu-a')
    body.update(fields)
    return body


class RunningSource(object):
    """main() running as a task on one asyncio.Queue, with helpers that wait on the emulator's request log."""

    def __init__(self, source, emulator, args):
        self.main = source['main']
        self.emulator = emulator
        self.args = args
        self.queue = asyncio.Queue()
        self.task = None
        self.events = []

    async def __aenter__(self):
        self.task = asyncio.ensure_future(self.main(self.queue, self.args))
        return self

    async def __aexit__(self, *exc_info):
        if not self.task.done():
            self.task.cancel()
        try:
            await self.task
        except asyncio.CancelledError:
            pass
        return False

    async def polls_answered(self):
        return len(await asyncio.to_thread(self.emulator.versions_requests))

    async def wait_for_polls(self, count):
        """Wait until `count` polls were answered; the events of every poll before the last are then on the queue."""
        for dummy in range(int(WAIT_SECONDS / 0.02)):
            if self.task.done():
                self.task.result()  # raises what main raised
                raise AssertionError('main() returned while it should poll on')
            if await self.polls_answered() >= count:
                return
            await asyncio.sleep(0.02)
        raise AssertionError('only %d polls within %s s' % (await self.polls_answered(), WAIT_SECONDS))

    async def settle(self, more_polls=2):
        """Wait for `more_polls` further polls, then give back every event queued so far (and keep them)."""
        await self.wait_for_polls(await self.polls_answered() + more_polls)
        while not self.queue.empty():
            self.events.append(self.queue.get_nowait())
        return self.events

    def of_type(self, kind):
        return [event['modelarts'] for event in self.events if event['modelarts']['type'] == kind]


def run(coroutine):
    return asyncio.run(asyncio.wait_for(coroutine, 60))


def test_waiting_running_completed_gives_two_status_changed_events_in_order(source, emulator):
    emulator.set_versions(replace=[version(1, WAITING), version(2, RUNNING, name='bert-base-finetune-V0001')])

    async def scenario():
        async with RunningSource(source, emulator, token_args(emulator)) as running:
            await running.settle()
            emulator.transitions([{'version_id': 1, 'after_seconds': 0, 'status': RUNNING}])
            await running.settle()
            emulator.transitions([{'version_id': 1, 'after_seconds': 0, 'status': COMPLETED}])
            await running.settle(3)
            return running

    running = run(scenario())
    changes = running.of_type('status_changed')
    assert [(c['version']['version_id'], c['previous_status'], c['version']['status_name']) for c in changes] == [
        (1, 'waiting', 'running'), (1, 'running', 'completed')]
    assert running.of_type('appeared') == [] and running.of_type('disappeared') == []


def test_status_changed_event_carries_the_enriched_version_project_and_region(source, emulator):
    emulator.set_versions(replace=[version(1, RUNNING)])

    async def scenario():
        async with RunningSource(source, emulator, token_args(emulator, region='eu-de')) as running:
            await running.settle()
            emulator.transitions([{'version_id': 1, 'after_seconds': 0, 'status': COMPLETED}])
            await running.settle()
            return running

    change = run(scenario()).of_type('status_changed')[0]
    assert change['project_id'] == emulator.project_id
    assert change['region'] == 'eu-de'
    assert change['previous_status'] == 'running'
    assert change['version']['status_group'] == 'succeeded'
    assert change['version']['end_time_iso'].endswith('Z')
    assert change['version']['duration_seconds'] is not None
    json.dumps(change)  # plain data, as ansible-rulebook hands it to a playbook


def test_a_new_version_gives_one_appeared_event(source, emulator):
    emulator.set_versions(replace=[version(1, RUNNING)])

    async def scenario():
        async with RunningSource(source, emulator, token_args(emulator)) as running:
            await running.settle()
            emulator.set_versions(add=[version(2, WAITING)])
            await running.settle(3)
            return running

    running = run(scenario())
    appeared = running.of_type('appeared')
    assert [(a['version']['version_id'], a['previous_status']) for a in appeared] == [(2, None)]
    assert running.of_type('status_changed') == []


def test_a_removed_version_gives_one_disappeared_event_with_its_last_status(source, emulator):
    emulator.set_versions(replace=[version(1, RUNNING), version(2, FAILED)])

    async def scenario():
        async with RunningSource(source, emulator, token_args(emulator)) as running:
            await running.settle()
            emulator.set_versions(remove=[2])
            await running.settle(3)
            return running

    gone = run(scenario()).of_type('disappeared')
    assert [(g['version']['version_id'], g['previous_status']) for g in gone] == [(2, 'failed')]


def test_without_initial_the_versions_found_at_start_give_no_event(source, emulator):
    emulator.set_versions(replace=[version(1, RUNNING), version(2, WAITING)])

    async def scenario():
        async with RunningSource(source, emulator, token_args(emulator)) as running:
            return await running.settle(3)

    assert run(scenario()) == []


def test_with_initial_each_version_found_at_start_appears_once(source, emulator):
    emulator.set_versions(replace=[version(1, RUNNING), version(2, WAITING)])

    async def scenario():
        async with RunningSource(source, emulator, token_args(emulator, initial=True)) as running:
            await running.settle(3)
            return running

    running = run(scenario())
    assert sorted(a['version']['version_id'] for a in running.of_type('appeared')) == [1, 2]
    summaries = running.of_type('summary_changed')
    assert len(summaries) == 1 and summaries[0]['previous'] is None and summaries[0]['gpu_summary']['versions'] == 2


def test_summary_changed_tells_the_gpu_summary_before_and_after(source, emulator):
    emulator.set_versions(replace=[version(1, RUNNING), version(2, WAITING)])

    async def scenario():
        async with RunningSource(source, emulator, token_args(emulator)) as running:
            await running.settle()
            emulator.transitions([{'version_id': 1, 'after_seconds': 0, 'status': COMPLETED}])
            await running.settle(3)
            return running

    running = run(scenario())
    summaries = running.of_type('summary_changed')
    assert len(summaries) == 1
    assert summaries[0]['previous']['active_gpu_num'] == 16
    assert summaries[0]['gpu_summary']['active_gpu_num'] == 8
    # Within a poll, the version's own event comes first.
    assert [e['modelarts']['type'] for e in running.events] == ['status_changed', 'summary_changed']


def test_include_versions_false_sends_only_summary_changed(source, emulator):
    emulator.set_versions(replace=[version(1, RUNNING)])

    async def scenario():
        async with RunningSource(source, emulator, token_args(emulator, include_versions=False)) as running:
            await running.settle()
            emulator.transitions([{'version_id': 1, 'after_seconds': 0, 'status': COMPLETED}])
            emulator.set_versions(add=[version(2, WAITING)])
            await running.settle(3)
            return running

    running = run(scenario())
    assert [e['modelarts']['type'] for e in running.events] == ['summary_changed']


def test_query_options_select_the_versions_watched(source, emulator):
    emulator.set_versions(replace=[version(1, RUNNING), version(2, RUNNING, name='bert-base-finetune-V0001')])

    async def scenario():
        async with RunningSource(source, emulator, token_args(emulator, names=['resnet50-*'])) as running:
            await running.settle()
            emulator.transitions([{'version_id': 1, 'after_seconds': 0, 'status': COMPLETED},
                                  {'version_id': 2, 'after_seconds': 0, 'status': COMPLETED}])
            await running.settle(3)
            return running

    assert [c['version']['version_id'] for c in run(scenario()).of_type('status_changed')] == [1]


def test_one_login_and_one_connection_serve_every_poll(source, emulator):
    emulator.set_versions(replace=[version(1, RUNNING)])

    async def scenario():
        async with RunningSource(source, emulator, password_args(emulator)) as running:
            await running.settle(5)

    run(scenario())
    assert len(emulator.iam_requests()) == 1
    assert len(emulator.connections()) == 1
    assert len(emulator.versions_requests()) >= 5


def test_the_query_runs_outside_the_event_loop(source, emulator):
    emulator.set_versions(replace=[version(1, RUNNING)])
    emulator.inject({'kind': 'slow', 'delay': 1.0})
    ticks = []

    async def ticker():
        while True:
            ticks.append(1)
            await asyncio.sleep(0.05)

    async def scenario():
        async with RunningSource(source, emulator, token_args(emulator)) as running:
            tick = asyncio.ensure_future(ticker())
            await running.wait_for_polls(1)
            tick.cancel()

    run(scenario())
    # One second of slow answer; the loop kept ticking meanwhile (a blocked loop would tick once or twice).
    assert len(ticks) >= 8


def test_a_failing_poll_is_retried_logged_and_nothing_is_emitted_twice(source, emulator, caplog):
    emulator.set_versions(replace=[version(1, RUNNING)])
    caplog.set_level(logging.INFO)

    async def scenario():
        async with RunningSource(source, emulator, token_args(emulator, retries=0)) as running:
            await running.settle()
            emulator.inject({'kind': 'status', 'status': 503, 'times': 2})
            emulator.transitions([{'version_id': 1, 'after_seconds': 0, 'status': COMPLETED}])
            await running.settle(4)
            return running

    running = run(scenario())
    assert [c['previous_status'] for c in running.of_type('status_changed')] == ['running']
    failures = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING and 'failed' in r.getMessage()]
    assert len(failures) == 2
    assert 'HTTP 503' in failures[0] and '1 of max_failures=10' in failures[0] and 'retrying in' in failures[0]
    assert any('succeeded after 2 failed poll(s)' in r.getMessage() for r in caplog.records)


def test_max_failures_consecutive_failed_polls_raise(source, emulator):
    emulator.set_versions(replace=[version(1, RUNNING)])

    async def scenario():
        async with RunningSource(source, emulator, token_args(emulator, retries=0, max_failures=2)) as running:
            await running.settle()
            emulator.inject({'kind': 'status', 'status': 503, 'times': 50})
            await asyncio.wait_for(running.task, WAIT_SECONDS)

    with pytest.raises(Exception) as caught:
        run(scenario())
    assert type(caught.value).__name__ == 'SourceError'
    assert '2 consecutive polls failed (max_failures=2)' in str(caught.value)
    assert 'HTTP 503' in str(caught.value)


def test_no_secret_in_any_event_or_log_line(source, emulator, caplog):
    emulator.set_versions(replace=[version(1, WAITING)])
    caplog.set_level(logging.DEBUG)

    async def scenario():
        async with RunningSource(source, emulator, password_args(emulator, retries=0, initial=True)) as running:
            await running.settle()
            emulator.inject({'kind': 'status', 'status': 500}, {'kind': 'drop'})
            emulator.transitions([{'version_id': 1, 'after_seconds': 0, 'status': RUNNING}])
            await running.settle(4)
            emulator.inject({'kind': 'expire_tokens'})
            emulator.transitions([{'version_id': 1, 'after_seconds': 0, 'status': FAILED}])
            await running.settle(3)
            return running

    running = run(scenario())
    assert [c['version']['status_name'] for c in running.of_type('status_changed')] == ['running', 'failed']
    text = json.dumps(running.events) + '\n'.join(r.getMessage() for r in caplog.records)
    assert 'failed' in text and 'retrying' in text
    for secret in (DEFAULT_PASSWORD, DEFAULT_TOKEN):
        assert secret not in text
    assert 'X-Subject-Token' not in text


def test_wrong_credentials_raise_at_once_with_one_login(source, emulator):
    async def scenario():
        await asyncio.wait_for(source['main'](asyncio.Queue(), password_args(emulator, password='wrong-password')),
                               WAIT_SECONDS)

    with pytest.raises(Exception) as caught:
        run(scenario())
    assert 'HTTP 401' in str(caught.value) and 'wrong-password' not in str(caught.value)
    assert len(emulator.iam_requests()) == 1


@pytest.mark.parametrize('args, message', [
    (dict(token='t0ken-value', username='someone', password='p4ssword'), 'mutually exclusive'),
    (dict(token='t0ken-value', project_id='0a1b2c3d4e5f60718293a4b5c6d7e8f9', region='eu-de', interval=0), 'interval'),
    (dict(token='t0ken-value', project_id='0a1b2c3d4e5f60718293a4b5c6d7e8f9', region='eu-de', max_failures=0),
     'max_failures'),
    (dict(token='t0ken-value', project_id='0a1b2c3d4e5f60718293a4b5c6d7e8f9', region='eu-de', delay=3), 'delay'),
    (dict(token='t0ken-value', project_id='0a1b2c3d4e5f60718293a4b5c6d7e8f9', region='eu-de', status=['nonsense']),
     'status'),
    (dict(region='eu-de'), 'no credentials'),
    (dict(token='t0ken-value', project_id='0a1b2c3d4e5f60718293a4b5c6d7e8f9', region='eu-de', usage_since='2h'),
     'usage_since is not supported by the event source'),
])
def test_bad_arguments_fail_before_any_request(source, emulator, args, message):
    with pytest.raises(Exception) as caught:
        run(source['main'](asyncio.Queue(), dict(args, endpoint=emulator.url)))
    assert message in str(caught.value)
    assert 't0ken-value' not in str(caught.value) and 'p4ssword' not in str(caught.value)
    assert emulator.log() == []


def test_connection_options_fall_back_to_the_environment(source, emulator, monkeypatch):
    emulator.set_versions(replace=[version(1, RUNNING)])
    monkeypatch.setenv('MODELARTS_ENDPOINT', emulator.url)
    monkeypatch.setenv('OS_AUTH_TOKEN', DEFAULT_TOKEN)
    monkeypatch.setenv('OS_PROJECT_ID', emulator.project_id)
    monkeypatch.setenv('OS_REGION_NAME', 'eu-de')

    async def scenario():
        async with RunningSource(source, emulator, dict(interval=INTERVAL, initial=True)) as running:
            await running.settle()
            return running

    appeared = run(scenario()).of_type('appeared')
    assert [(a['version']['version_id'], a['region']) for a in appeared] == [(1, 'eu-de')]


def test_arguments_added_by_ansible_rulebook_are_ignored(source, emulator):
    emulator.set_versions(replace=[version(1, RUNNING)])

    async def scenario():
        args = token_args(emulator, initial=True, eda_feedback_queue=asyncio.Queue())
        async with RunningSource(source, emulator, args) as running:
            await running.settle()
            return running

    assert len(run(scenario()).of_type('appeared')) == 1


def test_a_short_answer_does_not_make_versions_disappear(source):
    watch = source['VersionWatch']('p', 'eu-de', initial=False)
    v1 = dict(version_id=1, status=8, status_name='running')
    v2 = dict(version_id=2, status=8, status_name='running')
    watch.events_for(dict(versions=[v1, v2], gpu_summary={}, complete=True))
    assert watch.events_for(dict(versions=[v1], gpu_summary={}, complete=False)) == []
    assert watch.events_for(dict(versions=[v1, v2], gpu_summary={}, complete=True)) == []


def test_documentation_lists_exactly_the_arguments_main_accepts(source):
    documented = yaml.safe_load(source['DOCUMENTATION'])['options']
    # A new option of the shared argument spec (_options.py) is an argument of the source too: document it there.
    missing = sorted(set(source['_source_spec']()) - set(documented))
    assert not missing, 'add %s to DOCUMENTATION of extensions/eda/plugins/event_source/training_job_versions.py' % missing
    assert sorted(documented) == sorted(source['_source_spec']())
    for name, option in source['_source_spec']().items():
        assert documented[name]['type'] == option['type'], name
        if option.get('default') is not None:
            assert documented[name]['default'] == option['default'], name


def test_clouds_yaml_entries_serve_the_source_and_their_tls_warning_is_logged(source, emulator, tmp_path, monkeypatch, caplog):
    emulator.set_versions(replace=[version(1, RUNNING)])
    clouds = tmp_path / 'clouds.yaml'
    clouds.write_text(yaml.safe_dump({'clouds': {'demo': {
        'auth': {'token': DEFAULT_TOKEN, 'project_id': emulator.project_id}, 'region_name': 'eu-de',
        'modelarts_endpoint_override': emulator.url, 'verify': False}}}))
    monkeypatch.setenv('OS_CLIENT_CONFIG_FILE', str(clouds))
    caplog.set_level(logging.WARNING)

    async def scenario():
        async with RunningSource(source, emulator, dict(cloud='demo', interval=INTERVAL, initial=True)) as running:
            await running.settle()
            return running

    appeared = run(scenario()).of_type('appeared')
    assert [(a['version']['version_id'], a['region']) for a in appeared] == [(1, 'eu-de')]
    assert any('clouds.yaml' in r.getMessage() and 'not verified' in r.getMessage() for r in caplog.records)
    assert DEFAULT_TOKEN not in '\n'.join(r.getMessage() for r in caplog.records)
