# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The Event-Driven Ansible source against answers that never end or never stop growing (the emulator's faults).

A poll meeting a server that trickles its answer, or a gzip bomb, is a failed poll like any other: logged, counted
towards max_failures, and the source polls on; it neither hangs nor grows. The source is loaded as ansible-rulebook
loads it (runpy), from the installed collection.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import asyncio
import logging
import os
import runpy
import sys

import pytest

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', '..', '..'))
if REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)

from tests.emulator.harness import DEFAULT_TOKEN, Emulator  # noqa: E402  (the repo root must be on sys.path first)

SOURCE_PATH = os.path.join('ansible_collections', 'mlops', 'modelarts', 'extensions', 'eda', 'plugins', 'event_source',
                           'training_job_versions.py')
MIB = 1024 * 1024
# Each test ends when the source raises, or fails after this long (what an unbounded read would wait for).
RUN_SECONDS = 60


@pytest.fixture(scope='module')
def source():
    for entry in sys.path:
        path = os.path.join(entry or '.', SOURCE_PATH)
        if os.path.isfile(path):
            sys.path_importer_cache[path] = None  # runpy must run the file as a script (see the source's own tests)
            return runpy.run_path(path)
    raise AssertionError('the collection is not installed on sys.path (make build; PYTHONPATH=build/collections)')


@pytest.fixture(scope='module')
def running_emulator():
    with Emulator(versions=3) as emulator:
        yield emulator


@pytest.fixture
def emulator(running_emulator):
    running_emulator.clear_faults()
    running_emulator.reset_log()
    yield running_emulator
    running_emulator.clear_faults()


def failure_of_polls(source, emulator, **options):
    """Run the source until it raises; give back its message (with max_failures=2, after two failed polls)."""
    args = dict(endpoint=emulator.url, token=DEFAULT_TOKEN, project_id=emulator.project_id, interval=0.1,
                retries=0, max_failures=2)
    args.update(options)
    with pytest.raises(Exception) as caught:
        asyncio.run(asyncio.wait_for(source['main'](asyncio.Queue(), args), RUN_SECONDS))
    assert type(caught.value).__name__ == 'SourceError'
    return str(caught.value)


def test_a_trickling_answer_is_a_failed_poll_ended_by_paging_timeout(source, emulator, caplog):
    caplog.set_level(logging.WARNING)
    # A byte every 0.1 s for up to 20 s per request: only paging_timeout (1 s per poll) can end such a poll.
    emulator.inject({'kind': 'trickle', 'interval': 0.1, 'duration': 20, 'times': 2})
    message = failure_of_polls(source, emulator, paging_timeout=1)
    assert '2 consecutive polls failed (max_failures=2)' in message
    assert 'the query did not end within paging_timeout (1 seconds' in message and 'an answer was still arriving' in message
    first = [r.getMessage() for r in caplog.records if 'poll 1 failed (1 of max_failures=2 in a row)' in r.getMessage()]
    assert len(first) == 1 and 'paging_timeout' in first[0]
    assert len(emulator.versions_requests()) == 2


def test_a_gzip_bomb_is_a_failed_poll_naming_the_limit(source, emulator, monkeypatch):
    # The source imports the shared layer from the installed collection: the same module this test lowers the limit in.
    from ansible_collections.mlops.modelarts.plugins.module_utils import _client
    monkeypatch.setattr(_client, 'MAX_ANSWER_BYTES', MIB)
    emulator.inject({'kind': 'gzip_bomb', 'size': 64 * MIB, 'times': 2})
    message = failure_of_polls(source, emulator)
    assert '2 consecutive polls failed (max_failures=2)' in message
    assert 'the answer exceeded 1 MiB (the most one answer may hold; once decompressed (Content-Encoding: gzip))' in message
