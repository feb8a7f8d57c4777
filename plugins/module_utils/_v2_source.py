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

from ansible_collections.mlops.modelarts.plugins.module_utils._api_source import ApiSource
from ansible_collections.mlops.modelarts.plugins.module_utils._auth import PROJECT_ID_PATTERN
from ansible_collections.mlops.modelarts.plugins.module_utils._errors import ModelArtsError
from ansible_collections.mlops.modelarts.plugins.module_utils._v2_jobs import (
    FLAVORS_PATH, SEARCH_PATH, flavors_from_answer, needs_flavor_list, page_limit, record_from_job, search_body,
    search_page,
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
    # Pages are parsed whole (50 jobs at most, a few hundred KB), not streamed: the flavors list is asked between
    # the answer and its decoding, never while a connection is still reading.
    items_key = None
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
        """Give back page `api_offset` (a page index, None: 0) of `limit` jobs, decoded by `decode` when given."""
        data = client.post_json(self.path, self.body(limit, api_offset or 0))
        if self.flavor_accelerators is None and self.flavors_path:
            jobs, dummy = search_page(data, self.path)
            if needs_flavor_list(jobs):
                self.load_flavors(client)
        return decode(data) if decode is not None else data

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
