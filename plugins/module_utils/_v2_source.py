# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The new-version (v2) training API as a source of records: POST /v2/{project_id}/training-job-searches.

Facts: api/v2.md. The bodies, the job -> record mapping and the flavors are the pure functions of _v2_jobs.py; this
file sends them and feeds the answers in. Paging (_paging.PageIndexFetch) asks page indexes 0, 1, 2, ... and stops at
the first short page: the answer's `count` is never trusted (see search_page).

Private to the collection: the leading underscore means no compatibility promise.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import threading
from urllib.parse import quote

from ansible_collections.mlops.modelarts.plugins.module_utils._api_source import ApiSource, PageDecoder
from ansible_collections.mlops.modelarts.plugins.module_utils._auth import PROJECT_ID_PATTERN
from ansible_collections.mlops.modelarts.plugins.module_utils._errors import ModelArtsError
from ansible_collections.mlops.modelarts.plugins.module_utils._v2_jobs import (
    FLAVORS_PATH, SEARCH_PATH, flavors_from_answer, job_needs_flavor_list, listed_flavor_id, needs_flavor_list,
    page_limit, record_from_job, search_body, search_page, with_flavor_list,
)


def project_path(template, project_id):
    """Give back a v2 path of a project, refusing an id that is not letters, digits, - and _ (as versions_path)."""
    if not isinstance(project_id, str) or not PROJECT_ID_PATTERN.match(project_id):
        raise ModelArtsError('the project id to query is not letters, digits, - and _ only; refusing to put it into a '
                             'URL (check project_id, or the project IAM answered for project_name)')
    return template % quote(project_id, safe='')


class V2Source(ApiSource):
    """The jobs of the v2 search: one selection (every phase asked goes in one `phase` `in` filter), POST bodies.

    Paging reads `offset_units` ('pages': `offset` is a page index from 0) and `total_is_exact` (False: the
    answer's `count` is a hint, so paging stops at the first short page instead of at a total). The flavors list
    is fetched at most once per source, which is once per query, and only when a page holds a job without
    `flavor_detail` (a dedicated pool); if it cannot be read, a warning says so and those jobs' accelerators fall
    back to the documented pool flavors, else null.
    """

    method = 'POST'  # type: ignore[assignment]
    # A summary-only query parses its pages as they arrive (V2PageDecoder): each job becomes its brief at once, so
    # that pages in flight never hold their jobs. Only the jobs that wait for the flavors list are kept until their
    # page has been read, as records; the flavors list is asked then, never while a connection is still reading.
    items_key = 'items'  # type: ignore[assignment]
    offset_units = 'pages'  # type: ignore[assignment]
    total_is_exact = False

    def __init__(self, path, query=None, phases=None, flavors_path=None):
        super(V2Source, self).__init__(path)
        self.query = query
        self.phases = phases  # the v2 phases asked (StatusSelection.phases), None for every phase
        self.flavors_path = flavors_path
        self.flavor_accelerators = None  # flavors_from_answer() once fetched ({} if that failed)
        self.flavor_requests = 0
        self.warnings = []
        self._flavors_lock = threading.Lock()

    @classmethod
    def for_project(cls, project_id, query, phases=None):
        """Give back the source of a project's jobs (the project id checked before it goes into a path)."""
        return cls(project_path(SEARCH_PATH, project_id), query, phases=phases,
                   flavors_path=project_path(FLAVORS_PATH, project_id))

    def selections(self, statuses):
        """Give back one selection: the phases asked go in one filter of one search."""
        return [None]

    def label(self, selection):
        return ''

    def page_limit(self):
        """Give back the search's `limit` (1 to 50) for the query's page_size (0: 50)."""
        return page_limit(self.query.page_size)

    def body(self, limit, page_index):
        query = self.query
        return search_body(page_index, limit, sort_by=query.sort_by, order=query.order,
                           workspace_id=query.workspace_id, phases=self.phases)

    def request(self, client, selection, limit, api_offset=None, decode=None):
        """Give back page `api_offset` (a page index, None: 0) of `limit` jobs, decoded by `decode` when given.

        `decode` is a V2PageDecoder (page_decoder()): the jobs waiting for the flavors list get it once the answer
        has been read and its session given back (with one session, asking before would wait for ever).
        """
        if decode is not None:
            return decode.resolved(client.post_json(self.path, self.body(limit, api_offset or 0), decode=decode), client)
        data = client.post_json(self.path, self.body(limit, api_offset or 0))
        if self.flavor_accelerators is None and self.flavors_path:
            jobs, dummy = search_page(data, self.path)
            if needs_flavor_list(jobs):
                self.load_flavors(client)
        return data

    def load_flavors(self, client):
        """Fetch the flavors list once (the first page that needs it asks; concurrent pages wait for that answer)."""
        with self._flavors_lock:
            if self.flavor_accelerators is not None:
                return
            self.flavor_requests += 1
            try:
                self.flavor_accelerators = flavors_from_answer(client.get(self.flavors_path, []), self.flavors_path)
            except ModelArtsError as exc:
                # Only the accelerators of dedicated-pool jobs depend on it: they become null (counted, warned
                # about), the jobs themselves are still listed.
                self.flavor_accelerators = {}
                self.warnings.append('the flavors list could not be read (%s): the accelerators of jobs without '
                                     'flavor_detail come from the documented pool flavors only' % exc)

    def page_parts(self, data):
        """Give back (jobs, None): the answer's `count` is no total to page against (see search_page)."""
        jobs, dummy = search_page(data, self.path)
        return jobs, None

    def checked_record(self, item, index):
        return record_from_job(item, self.flavor_accelerators, index=index, path=self.path)

    def page_decoder(self, convert, streamed=False):
        return V2PageDecoder(self, convert, streamed=streamed)


class _Waiting(object):
    """A job of a page being decoded whose accelerators wait for the flavors list: its record and its flavor_id.

    The record, not the job: a fraction of the job's parsed JSON (3-4 KB of text), held until the page is read.
    """

    __slots__ = ('record', 'flavor_id')

    def __init__(self, record, flavor_id):
        self.record = record
        self.flavor_id = flavor_id


class V2PageDecoder(PageDecoder):
    """A PageDecoder of search answers: each job is converted as it arrives unless it waits for the flavors list.

    A job without flavor_detail (a dedicated pool) needs the flavors list, which is not asked while the answer is
    being read: until the list is loaded, such a job becomes a _Waiting placeholder, which resolved() converts once
    the page is complete. The records are those record_from_job() gives with the flavors list known beforehand.
    """

    def item(self, item, index):
        source = self.source
        accelerators = source.flavor_accelerators  # read once: another page may load the list meanwhile
        if accelerators is None and source.flavors_path and job_needs_flavor_list(item):
            return _Waiting(record_from_job(item, None, index=index, path=source.path), listed_flavor_id(item))
        return self.convert(record_from_job(item, accelerators, index=index, path=source.path))

    def resolved(self, page, client):
        """Give back (items, total) of a decoded page with its waiting jobs converted (the flavors list loaded once)."""
        items, total = page
        waiting = [number for number, item in enumerate(items) if item.__class__ is _Waiting]
        if waiting:
            source = self.source
            source.load_flavors(client)
            for number in waiting:
                item = items[number]
                items[number] = self.convert(with_flavor_list(item.record, item.flavor_id, source.flavor_accelerators))
        return items, total
