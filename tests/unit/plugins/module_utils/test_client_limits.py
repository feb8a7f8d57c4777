# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""One answer's bounds, against the emulator's hostile faults: its size (as sent and once inflated) and paging_timeout.

The size limit is lowered to 1 MiB here (the real one, _client.MAX_ANSWER_BYTES, is 128 MiB) so that the tests stay
fast; tests/integration/test_hostile.py meets the real limit with a real gzip bomb.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import sys

import pytest

from ansible_collections.mlops.modelarts.plugins.module_utils import _client
from ansible_collections.mlops.modelarts.plugins.module_utils._auth import ConnectionSettings
from ansible_collections.mlops.modelarts.plugins.module_utils._client import ApiClient
from ansible_collections.mlops.modelarts.plugins.module_utils._errors import ModelArtsError
from ansible_collections.mlops.modelarts.plugins.module_utils._versions import Query, list_versions

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..', '..'))
if REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)

from tests.emulator.harness import DEFAULT_TOKEN, Emulator  # noqa: E402  (the repo root must be on sys.path first)

MIB = 1024 * 1024
# Whole: one request (page_size 0), its body read whole. Streamed: pages in flight together, summary only, each
# answer parsed as it arrives (_json_stream).
WHOLE = dict(page_size=0)
STREAMED = dict(page_size=5, include_versions=False, max_concurrent_requests=2, offset_unit='records')
READS = pytest.mark.parametrize('reading', [WHOLE, STREAMED], ids=['whole', 'streamed'])


@pytest.fixture(scope='module')
def running_emulator():
    with Emulator(versions=12) as emulator:
        yield emulator


@pytest.fixture
def emulator(running_emulator, monkeypatch):
    monkeypatch.setattr(_client, 'MAX_ANSWER_BYTES', MIB)
    running_emulator.clear_faults()
    running_emulator.reset_log()
    yield running_emulator
    running_emulator.clear_faults()


def query(emulator, retries=2, **options):
    """Give back the ModelArtsError the query fails with, after checking it did fail."""
    params = dict(endpoint=emulator.url, token=DEFAULT_TOKEN, project_id=emulator.project_id, region='eu-de',
                  retries=retries, status=['running'])
    params.update(options)
    client = ApiClient(ConnectionSettings(params), sleep=lambda seconds: None)
    try:
        with pytest.raises(ModelArtsError) as caught:
            list_versions(client, Query(params))
    finally:
        client.close()
    return str(caught.value)


@READS
def test_a_gzip_bomb_fails_naming_the_limit_and_is_not_asked_again(emulator, reading):
    emulator.inject({'kind': 'gzip_bomb', 'size': 64 * MIB, 'times': 3})
    message = query(emulator, **reading)
    assert '/training-jobs/versions: the answer exceeded 1 MiB (the most one answer may hold; once decompressed ' \
           '(Content-Encoding: gzip))' in message
    assert len(emulator.versions_requests()) == 1  # the same server would send it again


@READS
def test_a_body_without_length_over_the_limit_fails_naming_the_limit(emulator, reading):
    emulator.inject({'kind': 'huge_body', 'size': 8 * MIB, 'chunked': True, 'times': 3})
    message = query(emulator, **reading)
    assert 'the answer exceeded 1 MiB (the most one answer may hold; more than that came over the connection)' in message
    assert len(emulator.versions_requests()) == 1


def test_a_content_length_over_the_limit_fails_before_the_body_is_read(emulator):
    emulator.inject({'kind': 'huge_body', 'size': 3 * MIB, 'times': 3})
    message = query(emulator)
    assert 'the answer exceeded 1 MiB (the most one answer may hold; its Content-Length is 3145728 bytes)' in message


def test_an_answer_just_under_the_limit_is_read(emulator):
    emulator.inject({'kind': 'huge_body', 'size': MIB})
    params = dict(endpoint=emulator.url, token=DEFAULT_TOKEN, project_id=emulator.project_id, region='eu-de',
                  status=['running'])
    client = ApiClient(ConnectionSettings(params))
    try:
        listing = list_versions(client, Query(params))  # the padded answer holds no version, total_count 0
    finally:
        client.close()
    assert listing.versions == [] and listing.total_count == 0


@READS
def test_a_trickling_answer_fails_at_paging_timeout(emulator, reading):
    # A byte every 0.1 s: each read is well within `timeout`, so only the deadline can end it; the fault itself
    # ends after 8 s, which the unbounded reading of an older client waited for.
    emulator.inject({'kind': 'trickle', 'interval': 0.1, 'duration': 8, 'times': 3})
    message = query(emulator, retries=0, paging_timeout=1.5, **reading)
    assert 'the query did not end within paging_timeout (1.5 seconds; 0 versions received so far): an answer was ' \
           'still arriving; narrow the query' in message
    assert '/training-jobs/versions' in message


def test_waiting_for_headers_ends_at_paging_timeout_not_at_timeout(emulator):
    emulator.inject({'kind': 'slow', 'delay': 4})
    message = query(emulator, retries=3, timeout=30, paging_timeout=1)
    assert 'the query did not end within paging_timeout (1 seconds' in message and 'an answer was still arriving' in message
    assert len(emulator.versions_requests()) == 1


def test_a_retry_that_would_start_after_paging_timeout_fails_with_the_last_error(emulator):
    emulator.inject({'kind': 'status', 'status': 503, 'times': 10})
    message = query(emulator, retries=10, paging_timeout=0.2)  # the first backoff is 0.25-0.5 s
    assert 'the query did not end within paging_timeout (0.2 seconds' in message
    assert 'the request was still failing (GET ' in message and 'HTTP 503' in message
    assert len(emulator.versions_requests()) == 1
