# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""v2 search pages parsed as they arrive: the same records as whole pages, the flavors list once, after the page."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import sys
import threading

import pytest

from ansible_collections.mlops.modelarts.plugins.module_utils._auth import ConnectionSettings
from ansible_collections.mlops.modelarts.plugins.module_utils._client import ApiClient
from ansible_collections.mlops.modelarts.plugins.module_utils._json_stream import parse_streamed
from ansible_collections.mlops.modelarts.plugins.module_utils._options import query_result
from ansible_collections.mlops.modelarts.plugins.module_utils._query_client import QueryClient
from ansible_collections.mlops.modelarts.plugins.module_utils._v1_source import V1Source
from ansible_collections.mlops.modelarts.plugins.module_utils._v2_source import V2Source
from ansible_collections.mlops.modelarts.plugins.module_utils._versions import Query

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..', '..'))
if REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)

from tests.emulator.harness import DEFAULT_PROJECT_ID, Emulator  # noqa: E402  (the repo root must be on sys.path first)

PROJECT_ID = '0a1b2c3d4e5f60718293a4b5c6d7e8f9'
SEARCH = '/v2/%s/training-job-searches' % PROJECT_ID
FLAVORS = '/v2/%s/training-job-flavors' % PROJECT_ID
FLAVOR_LIST = [{'flavor_id': 'custom.pool.2gpu', 'flavor_info': {'gpu': {'unit_num': 2}}},
               {'flavor_id': 'custom.pool.4npu', 'flavor_info': {'npu': {'unit_num': '4'}}},
               # The list wins over the documented pool flavors (8 GPUs there).
               {'flavor_id': 'modelarts.pool.visual.8xlarge', 'flavor_info': {'gpu': {'unit_num': 3}}}]
CHUNK = 512  # bytes per chunk: a job (about 400 bytes here) spans chunks, a page many


def job(number, flavor_id='modelarts.vm.gpu.v100nv32', detail=True, node_count=1, **resource):
    resource.update(flavor_id=flavor_id, node_count=node_count)
    if flavor_id is None:
        del resource['flavor_id']
    if detail:
        resource['flavor_detail'] = {'flavor_type': 'GPU', 'flavor_info': {'gpu': {'unit_num': 1}}}
    return {'kind': 'job',
            'metadata': {'id': '%08d-0000-4000-8000-000000000000' % number, 'name': 'train-%04d' % number,
                         'create_time': 1000 * number, 'description': 'run %d' % number},
            'status': {'phase': 'Completed', 'start_time': 1000 * number + 1, 'duration': 10},
            'algorithm': {'outputs': [{'name': 'out', 'remote': {'obs': {'obs_url': 'obs://b/%d/' % number}}}]},
            'spec': {'resource': resource}}


def mixed_jobs(count):
    """Public-pool jobs and dedicated-pool jobs of every kind the flavors list decides, newest first."""
    kinds = [dict(), dict(flavor_id='custom.pool.2gpu', detail=False, pool_id='pool-a'),
             dict(flavor_id='custom.pool.4npu', detail=False, pool_id='pool-b', node_count=2),
             dict(flavor_id='modelarts.pool.visual.8xlarge', detail=False, pool_id='pool-a'),
             dict(flavor_id='modelarts.pool.visual.2xlarge', detail=False, pool_id='pool-a'),
             dict(flavor_id='unknown.flavor', detail=False, pool_id='pool-a'),
             dict(flavor_id=7, detail=False, pool_id='pool-a'),  # a number: text in the record, no list entry
             dict(flavor_id=None, detail=False, pool_id='pool-a')]
    return [job(number, **kinds[number % len(kinds)]) for number in range(count, 0, -1)]


class StreamingApi(QueryClient):
    """Answers the v2 search from memory as ApiClient does: a decoder with items_key is fed the body in chunks.

    `events` records, in order, each chunk read ('chunk <page>'), each job converted ('item <page>'), each flavors
    request ('flavors') and each answer's end ('end <page>').
    """

    project_id = PROJECT_ID

    def __init__(self, jobs, workers=1, flavors=None):
        QueryClient.__init__(self)
        self.jobs = jobs
        self.flavors = FLAVOR_LIST if flavors is None else flavors
        self.max_concurrent_requests = workers
        self.events = []
        self.lock = threading.Lock()

    def event(self, text):
        with self.lock:
            self.events.append(text)

    def chunks(self, body, page):
        for start in range(0, len(body), CHUNK):
            self.event('chunk %d' % page)
            yield body[start:start + CHUNK]

    def post_json(self, path, body, decode=None):
        assert path == SEARCH
        page, limit = body['offset'], body['limit']
        answer = {'total': len(self.jobs), 'count': 10 ** 6, 'items': self.jobs[page * limit:(page + 1) * limit]}
        if decode is None:
            return answer
        if not decode.items_key:
            return decode(answer)

        def convert(item, index, text):
            self.event('item %d' % page)
            return decode.item(item, index)

        data = parse_streamed(self.chunks(json.dumps(answer).encode('utf-8'), page), decode.items_key, convert)
        self.event('end %d' % page)
        return decode.streamed(data)

    def get(self, path, query_pairs, decode=None):
        assert path == FLAVORS
        self.event('flavors')
        return {'flavors': self.flavors}


def source():
    return V2Source.for_project(PROJECT_ID, Query(dict(training_api='v2')))


def whole_records(jobs, page=0):
    v2 = source()
    records, total = v2.parse_page(v2.request(StreamingApi(jobs), None, 50, page))
    return records


def test_a_streamed_page_gives_the_records_of_the_whole_page_and_asks_the_flavors_once_after_it():
    jobs = mixed_jobs(100)
    api = StreamingApi(jobs)
    v2 = source()
    pages = [v2.request(api, None, 50, page, decode=v2.page_decoder(lambda record: record, streamed=True))
             for page in (0, 1)]
    for page, (records, total) in enumerate(pages):
        assert total is None
        assert json.dumps(records) == json.dumps(whole_records(jobs, page))  # byte for byte, key order included
    # The flavors list: once, after the first page was read to its end; the second page converts every job at once.
    assert api.events.count('flavors') == 1
    assert api.events.index('flavors') == api.events.index('end 0') + 1
    # Jobs 100 to 93: documented, listed over documented, listed NPUs on 2 nodes, listed, public, then unknown.
    assert [record['gpu_num'] for record in pages[0][0][:8]] == [2, 3, 0, 2, 1, None, None, None]
    assert [record['npu_num'] for record in pages[0][0][:8]] == [0, 0, 8, 0, 0, None, None, None]


def test_jobs_are_converted_while_the_page_is_still_arriving():
    # The jobs that carry their flavor, and every job once the flavors list is known, become records at once: a
    # page in flight never holds its parsed jobs.
    jobs = [job(number) for number in range(100, 0, -1)]
    jobs[3] = job(97, flavor_id='custom.pool.2gpu', detail=False)
    api = StreamingApi(jobs)
    v2 = source()
    converted = []
    for page in (0, 1):
        v2.request(api, None, 50, page, decode=v2.page_decoder(converted.append, streamed=True))
    for page in (0, 1):
        events = [event for event in api.events if event.endswith(' %d' % page)]
        chunks = [number for number, event in enumerate(events) if event.startswith('chunk')]
        assert events.index('item %d' % page) < chunks[-1]
        assert len(chunks) > 20
    # The waiting job is converted last, after its page and the flavors list: its record is the same anyway.
    assert len(converted) == 100 and converted[49]['version_id'] == jobs[3]['metadata']['id']
    assert converted[49]['gpu_num'] == 2


def test_a_failed_attempt_leaves_nothing_waiting_for_the_next_one():
    # A retried answer is parsed again from its start: what waited in the cut one is gone with its items list.
    class CutOnce(StreamingApi):
        cut = True

        def chunks(self, body, page):
            if self.cut:
                self.cut = False
                body = body[:-2]  # every job arrives, the answer's end does not
            return super(CutOnce, self).chunks(body, page)

        def post_json(self, path, body, decode=None):
            try:
                return super(CutOnce, self).post_json(path, body, decode)
            except ValueError:
                self.jobs = []  # the retry finds the jobs gone
                return super(CutOnce, self).post_json(path, body, decode)

    api = CutOnce([job(number, flavor_id='custom.pool.2gpu', detail=False) for number in range(3, 0, -1)])
    v2 = source()
    assert v2.request(api, None, 50, 0, decode=v2.page_decoder(lambda record: record, streamed=True)) == ([], None)
    assert 'flavors' not in api.events and api.events.count('item 0') == 3


@pytest.mark.parametrize('workers', [1, 4])
def test_the_summary_of_streamed_pages_is_that_of_the_kept_records(workers):
    jobs = mixed_jobs(230)
    api = StreamingApi(jobs, workers=workers)
    summary, warnings = query_result(api, Query(dict(training_api='v2', include_versions=False)))
    kept, kept_warnings = query_result(StreamingApi(jobs), Query(dict(training_api='v2')))
    assert summary['gpu_summary'] == kept['gpu_summary'] and warnings == kept_warnings
    unknown = len([number for number in range(1, 231) if number % 8 in (5, 6, 7)])
    assert summary['gpu_summary']['accelerators_unknown'] == unknown
    assert api.events.count('flavors') == 1
    streamed = [event for event in api.events if event.startswith('chunk')]
    assert bool(streamed) == (workers > 1)  # a lone request is read whole (less CPU)


def test_page_size_zero_reads_v1_answers_whole_and_v2_pages_stream_whatever_it_is():
    convert = str
    assert V1Source('/v1/p/training-jobs/versions', Query(dict(page_size=0))).page_decoder(convert, True).items_key is None
    assert V1Source('/v1/p/training-jobs/versions', Query(dict(page_size=500))).page_decoder(convert, True).items_key == 'versions'
    assert V1Source('/v1/p/training-jobs/versions', Query(dict(page_size=500))).page_decoder(convert).items_key is None
    v2 = V2Source.for_project(PROJECT_ID, Query(dict(training_api='v2', page_size=0)))
    assert v2.page_decoder(convert, True).items_key == 'items' and v2.page_decoder(convert).items_key is None


def test_with_one_session_the_flavors_list_waits_for_the_search_to_give_it_back():
    # ApiClient reads a streamed answer while its session is checked out: asking the flavors list from inside the
    # decoding would wait for ever for a second session.
    with Emulator(config={'projects': [{'versions': 0, 'v2_jobs': 80}]}) as emulator:
        settings = ConnectionSettings(dict(endpoint=emulator.url, token='demo-static-token', project_id=DEFAULT_PROJECT_ID,
                                           max_concurrent_requests=1))
        client = ApiClient(settings)
        v2 = V2Source.for_project(DEFAULT_PROJECT_ID, Query(dict(training_api='v2')))
        outcome = []
        thread = threading.Thread(target=lambda: outcome.append(
            v2.request(client, None, 50, 0, decode=v2.page_decoder(lambda record: record, streamed=True))))
        thread.daemon = True
        thread.start()
        thread.join(30)
        assert outcome, 'the streamed search never ended'
        log = [record['path'].rsplit('/', 1)[-1] for record in emulator.log()]
        assert log == ['training-job-searches', 'training-job-flavors']
        whole = V2Source.for_project(DEFAULT_PROJECT_ID, Query(dict(training_api='v2')))
        records, dummy = whole.parse_page(whole.request(client, None, 50, 0))
        assert any(record['pool_id'] for record in records) and json.dumps(outcome[0][0]) == json.dumps(records)
        client.close()
