# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The training job versions query: the validated options and list_versions, which ties the engine's layers together.

The layers (see _api_source.py): the API source (_v1_source.py), paging (_paging.py), folding and the summary
(_folding.py). The names callers import from here (enrich, summarize, parse_page, ...) stay importable from here.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import time

from ansible_collections.mlops.modelarts.plugins.module_utils._api_source import ORDERS, SORT_FIELDS
from ansible_collections.mlops.modelarts.plugins.module_utils._counts import option_integer
from ansible_collections.mlops.modelarts.plugins.module_utils._errors import ModelArtsError, OptionError
# The names other files import from here (enrich, summarize, parse_page, ...) stay importable from here.
from ansible_collections.mlops.modelarts.plugins.module_utils._folding import (  # noqa: F401 pylint: disable=unused-import
    Fold, IdSet, ids_match, name_matches, summarize, summarize_into, version_ids_option,
)
from ansible_collections.mlops.modelarts.plugins.module_utils._paging import (
    Listing, PageIndexFetch, SelectionFetch, run_fetches,
)
from ansible_collections.mlops.modelarts.plugins.module_utils._statuses import (
    TRAINING_APIS, select_statuses,
)
from ansible_collections.mlops.modelarts.plugins.module_utils._usage import usage_window_option
from ansible_collections.mlops.modelarts.plugins.module_utils._v1_source import (  # noqa: F401 pylint: disable=unused-import
    INTEGER_FIELDS, TEXT_FIELDS, VERSIONS_PATH, V1Source, _PageDecoder, base_pairs, checked_version, enrich, page_parts,
    parse_page, versions_path,
)
from ansible_collections.mlops.modelarts.plugins.module_utils._v2_jobs import sorted_locally
from ansible_collections.mlops.modelarts.plugins.module_utils._v2_source import V2Source

OFFSET_UNITS = ('auto', 'records', 'pages', 'pages_one_based')
# Bounds on what one query asks and holds, whatever a server promises: a server answering total_count 10**12 with
# fresh versions on every page would otherwise be paged for ever, its versions kept in memory.
DEFAULT_PAGING_TIMEOUT = 600.0
# Versions received by one query over all its requests (repeats included): 5 times the largest project measured
# (docs/performance.md), about 1 GB in memory.
MAX_VERSIONS_RECEIVED = 250000


class Query(object):
    """The effective, validated query; built before any request so that bad input never reaches the API."""

    def __init__(self, params):
        self.training_api = _choice('training_api', params.get('training_api') or 'all', TRAINING_APIS)
        # What each API is asked for (v1 codes, v2 phases) and which APIs are asked at all; a value that exists in
        # none of the selected APIs fails here, before any request.
        self.selection = select_statuses(params.get('status'), self.training_api)
        # The v1 status codes, one request (or series of pages) each; None: every status.
        self.statuses = self.selection.codes if self.selection.asks('v1') else []
        self.pool_id = params.get('pool_id') or None
        self.workspace_id = params.get('workspace_id') or '0'
        self.sort_by = _choice('sort_by', params.get('sort_by') or 'create_time', sorted(SORT_FIELDS))
        self.order = _choice('order', params.get('order') or 'desc', ORDERS)
        self.offset = option_integer('offset', params.get('offset'), default=0)
        self.limit = option_integer('limit', params.get('limit'), default=0)
        self.page_size = option_integer('page_size', params.get('page_size'), default=0)
        self.offset_unit = _choice('offset_unit', params.get('offset_unit') or 'auto', OFFSET_UNITS)
        self.names = list(params.get('names') or [])
        self.version_ids = version_ids_option(params.get('version_ids'))  # id texts; a version must match names too
        self.include_versions = params.get('include_versions', True) is not False
        self.usage_since = params.get('usage_since') or None
        self.usage_until = params.get('usage_until') or None
        self.usage_window = usage_window_option(params)  # None without usage_since
        self.paging_timeout = _positive_seconds('paging_timeout', params.get('paging_timeout'), DEFAULT_PAGING_TIMEOUT)

    def needs_local_selection(self):
        """Say whether offset/limit must be applied here rather than by the API.

        The v1 API applies offset and limit to one status at a time and before our name globs, so they
        are only pushed down for a single status (or none) without names or version_ids, and only when v2 is not asked: v2
        jobs are always selected here, on the merged result.
        """
        return (bool(self.names) or bool(self.version_ids) or (self.statuses is not None and len(self.statuses) > 1)
                or self.selection.asks('v2'))

    def merged_sort_needed(self):
        """Say whether the records must be sorted here: several v1 statuses, both APIs, or an order v2 is not asked in."""
        apis = self.selection.apis
        if len(apis) > 1:
            return True
        if apis == ('v2',):
            return sorted_locally(self.sort_by)
        return self.statuses is not None and len(self.statuses) > 1

    def records_wanted(self):
        """Give back how many records from the first of one source's sorted answer the merged result can need (0: all).

        Under training_api all, the merged result's first offset+limit records come from the first offset+limit of
        each API when both answer in the order the result is sorted in (one v1 status, create_time order on v2).
        """
        if not self.limit or self.names or self.version_ids:
            return 0
        return self.offset + self.limit

    def base_pairs(self):
        """Give back the query pairs every v1 request of this query carries (the v1 source builds them)."""
        return base_pairs(self)

    def as_dict(self, offset_unit_used=None):
        """Give back the effective query as plain data (what the result's `query` key shows)."""
        return dict(status=self.statuses, phases=self.selection.phases if self.selection.asks('v2') else [],
                    training_api=self.training_api, apis=list(self.selection.apis), pool_id=self.pool_id, workspace_id=self.workspace_id, sort_by=self.sort_by,
                    order=self.order, offset=self.offset, limit=self.limit, page_size=self.page_size,
                    offset_unit=self.offset_unit, offset_unit_used=offset_unit_used, names=self.names,
                    include_versions=self.include_versions, usage_since=self.usage_since,
                    usage_until=self.usage_until, version_ids=self.version_ids)


def _choice(name, value, allowed):
    if value not in allowed:
        raise OptionError('%s: %r is not one of %s' % (name, value, ', '.join(allowed)))
    return value


def _positive_seconds(name, value, default):
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < float('inf'):
        raise OptionError('%s must be a number of seconds greater than 0; got %r' % (name, value))
    return float(value)


def list_versions(client, query):
    """Give back a Listing with every version (or v2 job) the query matches: all pages, no duplicates, counts checked.

    `client` is a QueryClient (_query_client.py). The APIs query.selection asks run concurrently (their requests
    bounded together by the client's max_concurrent_requests), and their records are merged and sorted into one
    list. With include_versions false, no usage window and no selection that needs every record at hand (offset or
    limit over several statuses, both APIs or names), the records are folded into listing.summary as they arrive
    and not kept.
    """
    listing = Listing()
    listing.start(query.paging_timeout, MAX_VERSIONS_RECEIVED, time.monotonic)
    local_selection = query.needs_local_selection()
    fetch_offset, fetch_limit = (0, 0) if local_selection else (query.offset, query.limit)
    fold = None
    if (not query.include_versions and query.usage_window is None
            and not (local_selection and (query.offset or query.limit))):
        # Answers are parsed as they arrive only when several may be in flight at once: then whole bodies would
        # add up (docs/performance.md, memory). A lone answer is read whole, which costs less CPU; each source
        # says whether its answers overlap (v1 with page_size 0 asks one answer per status, v2 always pages).
        fold = Fold(query.names, streamed=client.max_concurrent_requests > 1, pool_id=query.pool_id)
    client.begin_query(listing)  # every request of the query, each wait for data included, ends by paging_timeout
    sources = []
    try:
        fetches = []
        # A password login resolves the project when the first source builds its path.
        if query.selection.asks('v1'):
            source = V1Source.for_project(client.project_id, query)
            v1_offset, v1_limit = fetch_offset, fetch_limit
            if local_selection and _one_v1_series(query):
                v1_offset, v1_limit = 0, query.records_wanted()
            for selection in source.selections(query.statuses):
                fetch = SelectionFetch(client, source, query, selection, listing, v1_offset, v1_limit, fold=fold)
                # Under all, the old API retired in this region is a warning; the v2 jobs are still returned.
                fetch.retired_is_warning = len(query.selection.apis) > 1
                fetches.append(fetch)
        if query.selection.asks('v2'):
            source = V2Source.for_project(client.project_id, query, phases=query.selection.phases)
            sources.append(source)
            wanted = 0 if sorted_locally(query.sort_by) or query.pool_id else query.records_wanted()
            fetches.append(PageIndexFetch(client, source, query, None, listing, 0, wanted, fold=fold))
        if fold is not None:
            fold.fetches = fetches
            fold.version_ids = frozenset(query.version_ids) if query.version_ids else None
        run_fetches(client, fetches)
    except ModelArtsError as exc:
        raise _with_v2_hint(exc, query)
    finally:
        client.end_query()
    for source in sources:
        listing.warnings.extend(source.warnings)
    retired = [fetch.retired for fetch in fetches if fetch.retired is not None]
    if retired:
        listing.warnings.append(
            '%s: the old-version training API is not there (HTTP 404), so only new-version (v2) jobs are listed; set '
            'training_api: v2 to skip it' % retired[0].message)
    collected = _merged(listing, fetches)
    if fold is not None:
        listing.summary = fold.summary
        listing.warnings.extend(filter(None, [fold.unknown.warning('gpu_summary')]))
        return listing
    if query.selection.asks('v2') and query.pool_id:
        # The v2 search has no pool filter: the pool is chosen here (v1 versions were filtered by the API).
        collected = [record for record in collected if record.get('pool_id') == query.pool_id]
    if query.names:
        patterns = query.names
        collected = [v for v in collected if name_matches(v, patterns)]
    if query.version_ids:
        # Both filters apply: a version must have one of the ids and, with names, match one of the globs.
        wanted_ids = frozenset(query.version_ids)
        collected = [v for v in collected if ids_match(v, wanted_ids)]
    if query.merged_sort_needed():
        sort_versions(collected, query.sort_by, query.order)
    if local_selection:
        end = query.offset + query.limit if query.limit else None
        collected = collected[query.offset:end]
    listing.versions = collected
    return listing


def _one_v1_series(query):
    """Say whether v1 answers in one sorted series (one status or all, no names): its first records suffice."""
    return not query.names and not query.version_ids and (query.statuses is None or len(query.statuses) == 1)


def _with_v2_hint(exc, query):
    """Give back `exc`, with the hint to read v2 when it is the 404 of the old API asked alone.

    That is training_api v1, or all with status values of v1 only (codes, JOBSTAT_ names, unknown).
    """
    if query.selection.apis != ('v1',) or exc.status != 404 or exc.method != 'GET':
        return exc
    hinted = ModelArtsError('%s; the old-version training API may be retired in this region: set training_api: v2 '
                            '(or all) to list new-version training jobs' % exc.message, status=exc.status,
                            error_code=exc.error_code, method=exc.method, path=exc.path)
    return hinted


def _merged(listing, fetches):
    """Give back the versions the fetches kept, without repeats, and add their totals and warnings to `listing`."""
    collected = []
    seen = set()
    for fetch in fetches:
        # Merged in status order, as a sequential run would have found them.
        part = fetch.listing
        listing.total_count += fetch.total or 0
        listing.warnings.extend(part.warnings)
        listing.complete = listing.complete and part.complete
        if part.offset_unit_used is not None:
            if part.offset_unit_used.startswith('not needed'):
                listing.offset_unit_used = listing.offset_unit_used or part.offset_unit_used
            else:
                listing.offset_unit_used = part.offset_unit_used
        for version in fetch.versions:
            # Two statuses never share a version, unless its status changed between our calls.
            if version['version_id'] not in seen:
                seen.add(version['version_id'])
                collected.append(version)
        fetch.versions = fetch.seen_ids = None
    return collected


def sort_versions(versions, sort_by, order):
    """Sort in place as the APIs would: by the sort field, ties by API (v1 first) and ascending id; stable.

    Records of both APIs never compare an int with a text: a v1 status is a code and a v2 status a phase, so
    `status` orders v1 codes (by number) before v2 phases (by name) ascending, and the other way descending; ids
    tie-break within their API (v1 ids as numbers, v2 ids as text). A missing number sorts as 0, a missing text as ''.
    """
    field = SORT_FIELDS[sort_by]
    versions.sort(key=_tie_key)
    if field in ('version_desc', 'version_name'):
        versions.sort(key=lambda v: v.get(field) or '', reverse=order == 'desc')
    elif field == 'status':
        versions.sort(key=_status_key, reverse=order == 'desc')
    else:
        versions.sort(key=lambda v: v.get(field) or 0, reverse=order == 'desc')


def _tie_key(version):
    version_id = version['version_id']
    return (1, version_id, 0) if version_id.__class__ is str else (0, '', version_id)


def _status_key(version):
    status = version.get('status')
    return (1, status, 0) if status.__class__ is str else (0, '', status or 0)
