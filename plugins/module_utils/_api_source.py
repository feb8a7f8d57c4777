# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the paging layer needs of one training API: the interface every API source implements.

The query engine is split by layer (as kubernetes.core splits its client, service, waiter and runner):

- an API source (`_v1_source.py`; the v2 source beside it) builds each request, decodes an answer into records of
  one shape and normalises them; it alone knows paths, parameters and field names;
- paging (`_paging.py`) asks a source's pages in turn or ahead of time, within the query's bounds (paging_timeout,
  the versions ceiling, the pages the first answer promised), and checks what arrived against the total;
- folding (`_folding.py`) turns records into the gpu_summary as they arrive, or summarises a list of them;
- the query (`_versions.py`) validates the options, picks the sources and ties the layers together.

Private to the collection: the leading underscore means no compatibility promise.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

SORT_FIELDS = {
    # sort_by value -> the record field it orders by, for sorting merged results (several statuses, both APIs) locally.
    'create_time': 'create_time',
    'job_desc': 'version_desc',
    'status': 'status',
    'duration': 'duration',
    'job_name': 'version_name',
}
ORDERS = ('asc', 'desc')


class ApiSource(object):
    """One training API as paging sees it: selections to ask separately, and pages of records for each.

    A record is a dict of the v1 version's shape (version_id, version_name, status, create_time, start_time,
    end_time, duration, gpu_num, npu_num, pool_id, flavor_code, ...), its numbers and texts already checked, so
    that folding, the summary, usage, filters and the report need no second code path.

    How the v1 source fills it: one selection per status asked (the v1 API filters one `status` per request), GET
    with query pairs, `offset` in a unit it must detect, `total_count` exact enough to page against.

    How the v2 source (`POST /v2/{project_id}/training-job-searches`, api/v2.md) fills it: one selection for all
    the phases asked (they go in one `phase` `in` filter), request() calls client.post_json(path, body) with
    `offset` a page index and `limit` 1 to 50, page_parts() reads `items` and gives `count` back only as a hint,
    checked_record() turns each job into a record (`metadata.id` -> version_id, `status.phase` -> status, ...).
    Its pages are asked with offset_unit 'pages' and it stops at the first short page (a count is never trusted):
    paging reads both from the source (`offset_units`, `total_is_exact`) and runs a PageIndexFetch for it.
    """

    # The HTTP method of its requests ('GET' for v1, 'POST' for the v2 search): errors and bounds name it.
    method = None
    # The key of the answer's list of records: the streamed parser turns each of its items into a record at once.
    items_key = None
    # What `offset` counts: None when the query's offset_unit option says (v1), 'pages' for page indexes from 0 (v2).
    offset_units = None
    # Whether the answer's total is exact enough to page against (v1); False: stop at the first short page (v2).
    total_is_exact = True

    def __init__(self, path):
        # The URL path every request of this source asks; errors and bounds name it.
        self.path = path

    def selections(self, statuses):
        """Give back what one query asks separately, in order (paging runs one fetch per item, None = everything).

        `statuses` is the query's validated status selection (None: every status).
        """
        raise NotImplementedError

    def label(self, selection):
        """Give back the words naming `selection` in warnings and errors ('' for everything, ' (status 8)')."""
        raise NotImplementedError

    def request(self, client, selection, limit, api_offset=None, decode=None):
        """Give back the client's answer to one page request (`api_offset` None: the API's first page).

        `decode`: as QueryClient.get takes it; the answer is then what the decoder gives back.
        """
        raise NotImplementedError

    def page_parts(self, data):
        """Give back (items, total) of an answer, checking its shape but not each item (total None: not given)."""
        raise NotImplementedError

    def checked_record(self, item, index):
        """Give back item `index` of a page as a record (see the class), or raise ModelArtsError naming the path."""
        raise NotImplementedError

    def parse_page(self, data):
        """Give back (records, total) of one answer, each item checked, or raise ModelArtsError."""
        items, total = self.page_parts(data)
        return [self.checked_record(item, index) for index, item in enumerate(items)], total

    def page_decoder(self, convert, streamed=False):
        """Give back a PageDecoder: answer -> (convert(record) for each item, total), checked as parse_page checks.

        With `streamed`, the client may parse the answer as it arrives and convert each item as soon as it is
        parsed, so that no whole page is held.
        """
        return PageDecoder(self, convert, streamed=streamed)


class PageDecoder(object):
    """Turns an answer into (converted records, total), checked as the source's parse_page checks it.

    The client calls it on a parsed answer or, when `items_key` is set (streamed), parses the answer as it arrives,
    calling item() on each item as soon as it is parsed and streamed() on the rest: then no whole page is held.
    """

    def __init__(self, source, convert, streamed=False):
        self.source = source
        self.convert = convert
        self.items_key = source.items_key if streamed else None

    def item(self, item, index):
        return self.convert(self.source.checked_record(item, index))

    def streamed(self, data):
        """Give back (items, total) of an answer whose items went through item() already."""
        return self.source.page_parts(data)

    def __call__(self, data):
        items, total = self.source.page_parts(data)
        return [self.item(item, index) for index, item in enumerate(items)], total
