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
from urllib.parse import unquote_plus

import pytest
import yaml
from hypothesis import given, settings, strategies as st

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', '..', '..'))
if REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)

from tests.emulator.harness import (  # noqa: E402  (the repo root must be on sys.path first)
    DEFAULT_DOMAIN, DEFAULT_PASSWORD, DEFAULT_PROJECT_NAME, DEFAULT_TOKEN, DEFAULT_USER, Emulator,
)

SOURCE_PATH = os.path.join('ansible_collections', 'mlops', 'modelarts', 'extensions', 'eda', 'plugins', 'event_source',
                           'training_job_versions.py')
# ansible-core's own test for "could be a template" (2.17 to 2.19): what the neutralised event must never pass.
ANSIBLE_TEMPLAR = None
# A version name that is a Jinja template, and a '#jinja2:' header choosing other start sequences: both ran a command
# in the shipped playbook before the source encoded them.
TEMPLATE_NAME = "x{{ lookup('pipe', 'touch /tmp/owned') }}"
HEADER_TEXT = "#jinja2:variable_start_string:'[[', variable_end_string:']]'\n[[ lookup('pipe', 'id') ]]"
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


def test_version_ids_select_the_versions_watched(source, emulator):
    emulator.set_versions(replace=[version(1, RUNNING), version(2, RUNNING, name='exp[2]-V0002')])

    async def scenario():
        async with RunningSource(source, emulator, token_args(emulator, version_ids=['2'])) as running:
            await running.settle()
            emulator.transitions([{'version_id': 1, 'after_seconds': 0, 'status': COMPLETED},
                                  {'version_id': 2, 'after_seconds': 0, 'status': COMPLETED}])
            await running.settle(3)
            return running

    assert [c['version']['version_id'] for c in run(scenario()).of_type('status_changed')] == [2]


def test_unusable_version_ids_fail_before_any_request(source, emulator):
    args = dict(token='t0ken-value', project_id='0a1b2c3d4e5f60718293a4b5c6d7e8f9', region='eu-de',
                endpoint=emulator.url, version_ids=[2, True])
    emulator.reset_log()
    with pytest.raises(Exception) as caught:
        run(source['main'](asyncio.Queue(), args))
    assert 'version_ids: element 2 is a boolean' in str(caught.value)
    assert emulator.versions_requests() == []


def test_one_login_and_one_connection_serve_every_poll(source, emulator):
    emulator.set_versions(replace=[version(1, RUNNING)])

    async def scenario():
        # v1 alone: under training_api all the two APIs are asked at once, on up to two connections.
        async with RunningSource(source, emulator, password_args(emulator, training_api='v1')) as running:
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


def could_be_template(text):
    """Give back whether ansible-core's templar would take the text for a template."""
    global ANSIBLE_TEMPLAR  # pylint: disable=global-statement  # built once: a Templar is slow to make
    if ANSIBLE_TEMPLAR is None:
        from ansible.parsing.dataloader import DataLoader
        from ansible.template import Templar
        ANSIBLE_TEMPLAR = Templar(loader=DataLoader())
    return ANSIBLE_TEMPLAR.is_possibly_template(text)


def strings_of(data):
    """Give back every string in data, keys included, at any depth."""
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [text for key, value in data.items() for text in strings_of(key) + strings_of(value)]
    if isinstance(data, list):
        return [text for item in data for text in strings_of(item)]
    return []


def test_the_hostile_texts_of_these_tests_are_templates_for_ansible():
    assert could_be_template(TEMPLATE_NAME) and could_be_template('a {% if 1 %}') and could_be_template('{# c #}')
    assert could_be_template("#jinja2:variable_start_string:'[['\n[[ a ]]")


def test_a_version_named_as_a_template_arrives_percent_encoded_and_listed(source, emulator, caplog):
    emulator.set_versions(replace=[version(1, RUNNING, name=TEMPLATE_NAME, version_desc=HEADER_TEXT)])
    caplog.set_level(logging.WARNING)

    async def scenario():
        async with RunningSource(source, emulator, token_args(emulator)) as running:
            await running.settle()
            emulator.transitions([{'version_id': 1, 'after_seconds': 0, 'status': COMPLETED}])
            await running.settle(3)
            return running

    change = run(scenario()).of_type('status_changed')[0]
    assert change['version']['version_name'] == "x%7B%7B lookup('pipe', 'touch /tmp/owned') %7D%7D"
    assert unquote_plus(change['version']['version_name']) == TEMPLATE_NAME
    assert unquote_plus(change['version']['version_desc']) == HEADER_TEXT
    assert sorted(change['escaped_fields']) == ['version/version_desc', 'version/version_name']
    assert change['version']['status_name'] == 'completed' and change['version']['flavor_code'] == 'modelarts.p3.large.8'
    assert not [text for text in strings_of(change) if could_be_template(text)]
    warnings = [r.getMessage() for r in caplog.records if 'percent-encoded' in r.getMessage()]
    assert warnings and 'version/version_name' in warnings[0] and 'lookup' not in '\n'.join(warnings)


def test_an_event_of_plainly_named_versions_is_unchanged_and_has_no_escaped_fields(source):
    event = {'modelarts': {'type': 'status_changed', 'previous_status': 'running', 'project_id': 'p-1', 'region': 'eu-de',
                           'version': dict(version_id=1, version_name='resnet50_train-V0001', status=10,
                                           version_desc='lr=0.1 + warmup, 50% data #3 {fold: 2}', pool_id=None,
                                           gpu_num=8, duration_seconds=3600.5, tags=['a', {'b': 'c'}])}}
    assert source['neutral_event'](event) == event


def test_keys_and_texts_inside_nested_lists_are_encoded_with_their_paths(source):
    data = {'gpu_summary': {'by_pool': {'{{ pool }}': 1, 'pool-a': 2}, 'notes': ['ok', ['{% raw %}', 3]]},
            'previous': {'a/{#b#}': {'{{k}}': '{{ v }}'}}}
    result, paths = source['neutralise_templates'](data)
    assert result == {'gpu_summary': {'by_pool': {'%7B%7B pool %7D%7D': 1, 'pool-a': 2}, 'notes': ['ok', ['%7B%25 raw %25%7D', 3]]},
                      'previous': {'a/%7B%23b%23%7D': {'%7B%7Bk%7D%7D': '%7B%7B v %7D%7D'}}}
    assert paths == ['gpu_summary/by_pool/%7B%7B pool %7D%7D', 'gpu_summary/notes/1/0', 'previous/a~1%7B%23b%23%7D',
                     'previous/a~1%7B%23b%23%7D/%7B%7Bk%7D%7D']
    assert data['gpu_summary']['by_pool'] == {'{{ pool }}': 1, 'pool-a': 2}  # the data given is not changed


def test_a_key_equal_to_the_encoded_form_of_another_is_encoded_too_so_that_nothing_is_lost(source):
    result, paths = source['neutralise_templates']({'{{x}}': 1, '%7B%7Bx%7D%7D': 2, 'y': 3})
    assert result == {'%7B%7Bx%7D%7D': 1, '%257B%257Bx%257D%257D': 2, 'y': 3}
    assert sorted(paths) == ['%257B%257Bx%257D%257D', '%7B%7Bx%7D%7D']
    assert dict((unquote_plus(key), value) for key, value in result.items() if key != 'y') == {'{{x}}': 1, '%7B%7Bx%7D%7D': 2}


# Text made of the pieces that matter (start sequences, a header, the encoded characters, path separators) and any
# other characters.
HOSTILE_TEXT = st.lists(st.sampled_from(['{{', '{%', '{#', '#jinja2:', '{', '}', '%', '%7B', '+', '#', '/', '~', ' '])
                        | st.text(max_size=3), max_size=8).map(''.join)
JSON_DATA = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | HOSTILE_TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(HOSTILE_TEXT, children, max_size=4),
    max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(text=HOSTILE_TEXT)
def test_any_text_comes_out_no_template_and_urldecodes_to_itself(source, text):
    result, paths = source['neutralise_templates'](text)
    assert not source['looks_like_template'](result) and not could_be_template(result)
    if paths:
        assert paths == [''] and unquote_plus(result) == text
    else:
        assert result == text and not could_be_template(text)


def _compare(original, result, path, paths, changed):
    """Walk original and result together; collect the paths where a string changed; check each change decodes."""
    def at(segment):
        segment = str(segment).replace('~', '~0').replace('/', '~1')
        return '%s/%s' % (path, segment) if path else segment

    if isinstance(original, str):
        if result != original:
            assert unquote_plus(result) == original and path in paths
            changed.add(path)
    elif isinstance(original, dict):
        assert len(result) == len(original)
        for (key, value), (new_key, new_value) in zip(original.items(), result.items()):
            if new_key != key:
                assert unquote_plus(new_key) == key and at(new_key) in paths
                changed.add(at(new_key))
            _compare(value, new_value, at(new_key), paths, changed)
    elif isinstance(original, list):
        assert len(result) == len(original)
        for index, (item, new_item) in enumerate(zip(original, result)):
            _compare(item, new_item, at(index), paths, changed)
    else:
        assert result == original


@settings(max_examples=200, deadline=None)
@given(data=JSON_DATA)
def test_any_event_data_keeps_its_shape_holds_no_template_and_lists_exactly_what_was_encoded(source, data):
    result, paths = source['neutralise_templates'](data)
    assert not [text for text in strings_of(result) if source['looks_like_template'](text) or could_be_template(text)]
    changed = set()
    _compare(data, result, '', paths, changed)
    assert sorted(changed) == sorted(paths) and len(set(paths)) == len(paths)
