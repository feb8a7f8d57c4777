# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The training job versions query: API calls per status, paging, checks, enrichment and the GPU summary."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import fnmatch
import math
import time
from urllib.parse import quote

from ansible_collections.mlops.modelarts.plugins.module_utils._auth import PROJECT_ID_PATTERN
from ansible_collections.mlops.modelarts.plugins.module_utils._errors import ModelArtsError, OptionError
from ansible_collections.mlops.modelarts.plugins.module_utils._statuses import (
    GROUP_OF_STATUS, STATUS_NAMES, StatusValueError, allowed_status_values_text, resolve_statuses,
)
from ansible_collections.mlops.modelarts.plugins.module_utils._usage import iso_from_millis, usage_window_option

VERSIONS_PATH = '/v1/%s/training-jobs/versions'
SORT_FIELDS = {
    # API sort_by value -> the version field it orders by, for sorting merged multi-status results locally.
    'create_time': 'create_time',
    'job_desc': 'version_desc',
    'status': 'status',
    'duration': 'duration',
    'job_name': 'version_name',
}
ORDERS = ('asc', 'desc')
OFFSET_UNITS = ('auto', 'records', 'pages', 'pages_one_based')
# Only these may vary in type from one server to the next; they are normalised to int (or None).
INTEGER_FIELDS = ('version_id', 'status', 'create_time', 'start_time', 'end_time', 'duration', 'gpu_num', 'npu_num')
# Text fields used as sort and summary keys: a number becomes its text, a list or object is refused.
TEXT_FIELDS = ('version_name', 'version_desc', 'pool_id', 'flavor_code')
# Bounds on what one query asks and holds, whatever a server promises: a server answering total_count 10**12 with
# fresh versions on every page would otherwise be paged for ever, its versions kept in memory.
DEFAULT_PAGING_TIMEOUT = 600.0
# Pages beyond what the first page's total_count needs (a page re-asked after a short answer counts too).
EXTRA_PAGES = 2
# Versions received by one query over all its requests (repeats included): 5 times the largest project measured
# (docs/performance.md), about 1 GB in memory.
MAX_VERSIONS_RECEIVED = 250000


class Query(object):
    """The effective, validated query; built before any request so that bad input never reaches the API."""

    def __init__(self, params):
        self.statuses = _statuses_option(params.get('status'))
        self.pool_id = params.get('pool_id') or None
        self.workspace_id = params.get('workspace_id') or '0'
        self.sort_by = _choice('sort_by', params.get('sort_by') or 'create_time', sorted(SORT_FIELDS))
        self.order = _choice('order', params.get('order') or 'desc', ORDERS)
        self.offset = _non_negative('offset', params.get('offset'))
        self.limit = _non_negative('limit', params.get('limit'))
        self.page_size = _non_negative('page_size', params.get('page_size'))
        self.offset_unit = _choice('offset_unit', params.get('offset_unit') or 'auto', OFFSET_UNITS)
        self.names = list(params.get('names') or [])
        self.include_versions = params.get('include_versions', True) is not False
        self.usage_since = params.get('usage_since') or None
        self.usage_until = params.get('usage_until') or None
        self.usage_window = usage_window_option(params)  # None without usage_since
        self.paging_timeout = _positive_seconds('paging_timeout', params.get('paging_timeout'), DEFAULT_PAGING_TIMEOUT)

    def needs_local_selection(self):
        """Say whether offset/limit must be applied here rather than by the API.

        The API applies offset and limit to one status at a time and before our name globs, so they
        are only pushed down for a single status (or none) without names.
        """
        return bool(self.names) or (self.statuses is not None and len(self.statuses) > 1)

    def base_pairs(self):
        pairs = [('sort_by', self.sort_by), ('order', self.order), ('workspace_id', self.workspace_id)]
        if self.pool_id:
            pairs.append(('pool_id', self.pool_id))
        return pairs

    def as_dict(self, offset_unit_used=None):
        """Give back the effective query as plain data (what the result's `query` key shows)."""
        return dict(status=self.statuses, pool_id=self.pool_id, workspace_id=self.workspace_id, sort_by=self.sort_by,
                    order=self.order, offset=self.offset, limit=self.limit, page_size=self.page_size,
                    offset_unit=self.offset_unit, offset_unit_used=offset_unit_used, names=self.names,
                    include_versions=self.include_versions, usage_since=self.usage_since,
                    usage_until=self.usage_until)


def _statuses_option(values):
    if values is not None and not isinstance(values, (list, tuple)):
        values = [values]
    try:
        return resolve_statuses(values)
    except StatusValueError as exc:
        raise OptionError('status: %s; allowed are %s' % (exc, allowed_status_values_text()))


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


def versions_path(project_id):
    """Give back the versions path of a project, refusing an id that is not letters, digits, - and _.

    A project id can come from an IAM answer or an inventory: '../' or '?' in it would send the authenticated
    request elsewhere on the endpoint's host. The option itself is checked before any request (ConnectionSettings).
    """
    if not isinstance(project_id, str) or not PROJECT_ID_PATTERN.match(project_id):
        raise ModelArtsError('the project id to query is not letters, digits, - and _ only; refusing to put it into a '
                             'URL (check project_id, or the project IAM answered for project_name)')
    return VERSIONS_PATH % quote(project_id, safe='')


def _non_negative(name, value):
    if value is None:
        return 0
    if isinstance(value, bool):
        # int(True) is 1: a boolean is a mistake in the playbook, not a count.
        raise OptionError('%s must be an integer, 0 or greater; got %r' % (name, value))
    if not isinstance(value, int):
        try:
            value = int(value)
        except (TypeError, ValueError):
            raise OptionError('%s must be an integer, 0 or greater; got %r' % (name, value))
    if value < 0:
        raise OptionError('%s must be 0 or greater; got %d' % (name, value))
    return value


class Listing(object):
    """What one query found: the versions, the API's total, and anything that did not add up."""

    def __init__(self):
        self.versions = []
        self.total_count = 0
        self.warnings = []
        self.complete = True
        self.offset_unit_used = None
        self.versions_received = 0
        self.deadline = None

    def start(self, paging_timeout, clock=None):
        """Start the query's clock: every request after paging_timeout seconds fails instead of being sent."""
        self.clock = clock or time.monotonic
        self.paging_timeout = paging_timeout
        self.deadline = self.clock() + paging_timeout

    def check_bounds(self, path, label):
        """Raise ModelArtsError once the query ran out of time or received more versions than it can hold."""
        if self.deadline is not None and self.clock() > self.deadline:
            raise ModelArtsError(
                'GET %s%s: the query did not end within paging_timeout (%g seconds; %d versions received so far): '
                'the API keeps answering more pages; narrow the query (status, pool_id, limit) or raise paging_timeout'
                % (path, label, self.paging_timeout, self.versions_received), method='GET', path=path)
        if self.versions_received > MAX_VERSIONS_RECEIVED:
            raise ModelArtsError(
                'GET %s%s: more than %d versions received in one query; stopped so as not to exhaust memory: '
                'narrow the query (status, pool_id, limit)' % (path, label, MAX_VERSIONS_RECEIVED), method='GET', path=path)


class _StatusFetch(object):
    """Pages through the versions of one status (or all) and checks what arrives against total_count."""

    def __init__(self, client, query, status, listing, offset, limit):
        self.client = client
        self.query = query
        self.status = status
        self.listing = listing
        self.offset = offset
        self.limit = limit
        self.path = versions_path(client.project_id)
        self.seen_ids = set()
        self.versions = []
        self.total = None
        self.stale_pages = 0
        self.pages_asked = 0

    def _request(self, limit, api_offset=None):
        self.listing.check_bounds(self.path, self._label())
        pairs = self.query.base_pairs()
        if self.status is not None:
            pairs.append(('status', str(self.status)))
        pairs.append(('limit', str(limit)))
        if api_offset is not None:
            pairs.append(('offset', str(api_offset)))
        data = self.client.get(self.path, pairs)
        versions, total = parse_page(data, self.path)
        self.listing.versions_received += len(versions)
        self.listing.check_bounds(self.path, self._label())
        if self.total is not None and total is not None and total != self.total:
            self.listing.warnings.append(
                'total_count changed from %d to %d while paging%s: versions were added or removed meanwhile, so '
                'the result may miss or skip some' % (self.total, total, self._label()))
            self.listing.complete = False
        if total is not None:
            self.total = total
        return versions

    def _label(self):
        return '' if self.status is None else ' (status %d)' % self.status

    def _keep(self, versions):
        """Append versions not seen before; give back how many were new."""
        added = 0
        for version in versions:
            version_id = version.get('version_id')
            if version_id in self.seen_ids:
                continue
            self.seen_ids.add(version_id)
            self.versions.append(version)
            added += 1
        return added

    def wanted(self):
        """Give back how many versions this fetch should end with, once total_count is known."""
        available = max(0, (self.total or 0) - self.offset)
        return min(available, self.limit) if self.limit else available

    def run(self):
        if self.query.page_size == 0:
            self._fetch_at_once()
        else:
            self._fetch_paged()
        self._check_count()
        return self.versions, self.total or 0

    def _fetch_at_once(self):
        if self.limit and not self.offset:
            # The first `limit` records: with no offset parameter every offset unit means the first page.
            first = self._request(self.limit)
            if len(first) < min(self.limit, self.total or 0):
                first = self._request(self.limit)  # a short answer: ask once more before reporting it
            self._keep(first[:self.limit])
            return
        everything = self._request(0)
        if len(everything) < (self.total or 0):
            everything = self._request(0)  # a short answer: ask once more before reporting it
        end = self.offset + self.limit if self.limit else None
        self._keep(everything[self.offset:end])

    def _fetch_paged(self):
        page_size = self.query.page_size
        unit = self.query.offset_unit
        first = self._request(page_size)
        if len(first) < min(page_size, self.total or 0):
            first = self._request(page_size)  # a short first page: ask once more before judging
        if len(first) < page_size or (self.total is not None and self.total <= page_size):
            self._keep(first[self.offset:self.offset + self.limit if self.limit else None])
            self.listing.offset_unit_used = self.listing.offset_unit_used or 'not needed (one page)'
            return
        # `records` holds what arrived so far, in API order, from record 0 on.
        records = list(first)
        if unit == 'auto':
            unit, extra = self._detect_offset_unit(first, page_size)
            records.extend(extra)
        self.listing.offset_unit_used = unit
        end_of = self._end_index
        # What the first page promised bounds the pages asked: a server sending short pages (or pages of versions
        # it sent before, one new among them) is not asked total_count times. Twice the promise leaves room for
        # pages that come back half full even when asked again.
        promised_pages = 2 * int(math.ceil(end_of() / float(page_size))) + EXTRA_PAGES
        arrived = set(version.get('version_id') for version in records)
        while len(records) < end_of() and self._gather_page(records, unit, page_size, arrived):
            if self.pages_asked >= promised_pages:
                if len(records) < end_of():
                    needed = (promised_pages - EXTRA_PAGES) // 2
                    self.listing.warnings.append(
                        'paging stopped after %d pages of %d%s: total_count (%d) needs %d; the API sends fewer '
                        'versions per page than asked' % (self.pages_asked, page_size, self._label(), self.total or 0, needed))
                break
        self._keep(records[self.offset:end_of()])

    def _end_index(self):
        total = self.total or 0
        return min(total, self.offset + self.limit) if self.limit else total

    def _detect_offset_unit(self, first, page_size):
        """Ask for offset=1 and see what came back: give back (unit, new records in order).

        records semantics answer records 1..N (overlapping the first page by all but one), page indexes from 0
        answer the second page (no overlap), page indexes from 1 answer the first page again.
        """
        probe = self._request(page_size, api_offset=1)
        if not probe:
            return 'records', []
        first_ids = [version.get('version_id') for version in first]
        probe_first = probe[0].get('version_id')
        if probe_first == first_ids[0]:
            return 'pages_one_based', []
        if len(first_ids) > 1 and probe_first == first_ids[1]:
            return 'records', probe[len(first) - 1:]
        return 'pages', probe

    def _gather_page(self, records, unit, page_size, arrived):
        """Fetch the page that continues `records`; give back False when the API has nothing more (or nothing new)."""
        start = len(records)
        if unit == 'records':
            api_offset = start
        else:
            # With page indexes the next page starts at a multiple of page_size; a short page leaves a gap
            # that only a re-ask can fill, so re-ask the same page.
            page_index = start // page_size
            api_offset = page_index + (1 if unit == 'pages_one_based' else 0)
        expected = min(page_size, max(0, (self.total or 0) - start))
        self.pages_asked += 1
        for attempt in range(2):
            page = self._request(page_size, api_offset=api_offset)
            if unit != 'records':
                page = page[start - (start // page_size) * page_size:]
            if len(page) >= expected or attempt == 1:
                break
            # A short page while total_count says there is more: ask once more before reporting it.
        if not page:
            return False
        new_ids = set(version.get('version_id') for version in page) - arrived
        arrived.update(new_ids)
        records.extend(page)
        if new_ids:
            self.stale_pages = 0
            return True
        # Only versions seen before: once can be versions added while paging; twice in a row is a server that
        # ignores offset (or a total_count far above the truth). Stop rather than ask total_count / page_size
        # times; the count check reports the short answer.
        self.stale_pages += 1
        return self.stale_pages < 2

    def _check_count(self):
        wanted = self.wanted()
        got = len(self.versions)
        if got < wanted:
            self.listing.warnings.append(
                'the API reported %d matching versions%s but only %d arrived (short answer); the result is '
                'incomplete' % (wanted, self._label(), got))
            self.listing.complete = False
        elif self.total is not None and got > wanted and not self.query.names:
            self.listing.warnings.append('more versions arrived (%d) than the API reported (%d)%s' % (
                got, wanted, self._label()))


def parse_page(data, path):
    """Give back (versions, total_count) from one answer, or raise ModelArtsError if it is not a versions page."""
    if not isinstance(data, dict):
        raise ModelArtsError('GET %s answered %s instead of a JSON object' % (path, type(data).__name__),
                             method='GET', path=path)
    versions = data.get('versions')
    if versions is None:
        versions = []
    if not isinstance(versions, list):
        raise ModelArtsError('GET %s answered "versions" as %s instead of a list' % (path, type(versions).__name__),
                             method='GET', path=path)
    total = data.get('total_count')
    if total is not None:
        total = _as_int(total, 'total_count', path)
    for index, version in enumerate(versions):
        if not isinstance(version, dict):
            raise ModelArtsError('GET %s answered a version that is not an object (item %d)' % (path, index),
                                 method='GET', path=path)
        for field in INTEGER_FIELDS:
            value = version.get(field)
            if value is not None and value.__class__ is not int:  # exact: bool is an int subclass
                version[field] = _as_int(value, 'versions[%d].%s' % (index, field), path)
        for field in TEXT_FIELDS:
            value = version.get(field)
            if value is not None and value.__class__ is not str:
                version[field] = _as_text(value, 'versions[%d].%s' % (index, field), path)
        if version.get('version_id') is None:
            raise ModelArtsError('GET %s answered a version without version_id (item %d)' % (path, index),
                                 method='GET', path=path)
    return versions, total


def _as_int(value, field, path):
    if isinstance(value, bool):
        raise ModelArtsError('GET %s answered %s=%r, not a number' % (path, field, value), method='GET', path=path)
    try:
        number = float(value) if isinstance(value, str) and not value.strip().lstrip('-').isdigit() else value
        return int(number)
    except (TypeError, ValueError, OverflowError):
        raise ModelArtsError('GET %s answered %s=%r, not a number' % (path, field, value), method='GET', path=path)


def _as_text(value, field, path):
    if isinstance(value, (dict, list)):
        raise ModelArtsError('GET %s answered %s as %s, not a string' % (path, field, type(value).__name__),
                             method='GET', path=path)
    return str(value)


def list_versions(client, query):
    """Give back a Listing with every version the query matches (all pages, no duplicates, counts checked)."""
    listing = Listing()
    listing.start(query.paging_timeout)
    local_selection = query.needs_local_selection()
    fetch_offset, fetch_limit = (0, 0) if local_selection else (query.offset, query.limit)
    collected = []
    seen = set()
    for status in (query.statuses or [None]):
        versions, total = _StatusFetch(client, query, status, listing, fetch_offset, fetch_limit).run()
        listing.total_count += total
        for version in versions:
            # Two statuses never share a version, unless its status changed between our calls.
            if version['version_id'] not in seen:
                seen.add(version['version_id'])
                collected.append(version)
    if query.names:
        patterns = query.names
        collected = [v for v in collected if any(fnmatch.fnmatchcase(str(v.get('version_name') or ''), p) for p in patterns)]
    if query.statuses is not None and len(query.statuses) > 1:
        sort_versions(collected, query.sort_by, query.order)
    if local_selection:
        end = query.offset + query.limit if query.limit else None
        collected = collected[query.offset:end]
    listing.versions = collected
    return listing


def sort_versions(versions, sort_by, order):
    """Sort in place as the API would: by the sort field, ties by ascending version_id."""
    field = SORT_FIELDS[sort_by]
    versions.sort(key=lambda v: v['version_id'])
    if field in ('version_desc', 'version_name'):
        versions.sort(key=lambda v: v.get(field) or '', reverse=order == 'desc')
    else:
        versions.sort(key=lambda v: v.get(field) or 0, reverse=order == 'desc')


def enrich(versions):
    """Add status_name, status_group, ISO times and duration_seconds to each version, in place."""
    names = STATUS_NAMES
    groups = GROUP_OF_STATUS
    iso = iso_from_millis
    for version in versions:
        status = version.get('status')
        name = names.get(status)
        version['status_name'] = name if name is not None else 'unknown_%s' % (status,)
        version['status_group'] = groups.get(status, 'unknown')
        version['create_time_iso'] = iso(version.get('create_time'))
        version['start_time_iso'] = iso(version.get('start_time'))
        version['end_time_iso'] = iso(version.get('end_time'))
        duration = version.get('duration')
        try:
            version['duration_seconds'] = duration / 1000.0 if duration is not None else None
        except OverflowError:  # a duration beyond any float: no meaningful number of seconds
            version['duration_seconds'] = None
    return versions


def _bucket():
    return {'versions': 0, 'gpu_num': 0, 'npu_num': 0}


def summarize(versions):
    """Give back the gpu_summary of a list of versions (API records, enriched or not)."""
    summary = {'versions': 0, 'gpu_num': 0, 'npu_num': 0, 'active_gpu_num': 0, 'active_npu_num': 0,
               'by_status': {}, 'by_pool': {}, 'by_flavor': {}}
    by_status = summary['by_status']
    by_pool = summary['by_pool']
    by_flavor = summary['by_flavor']
    for version in versions:
        status = version.get('status')
        gpus = _count(version.get('gpu_num'))
        npus = _count(version.get('npu_num'))
        summary['versions'] += 1
        summary['gpu_num'] += gpus
        summary['npu_num'] += npus
        if GROUP_OF_STATUS.get(status) == 'active':
            summary['active_gpu_num'] += gpus
            summary['active_npu_num'] += npus
        status_key = STATUS_NAMES.get(status) or 'unknown_%s' % (status,)
        for table, key in ((by_status, status_key), (by_pool, version.get('pool_id') or 'none'),
                           (by_flavor, version.get('flavor_code') or 'none')):
            bucket = table.get(key)
            if bucket is None:
                bucket = table[key] = _bucket()
            bucket['versions'] += 1
            bucket['gpu_num'] += gpus
            bucket['npu_num'] += npus
    return summary


def _count(value):
    if value is None or isinstance(value, bool):
        return 0
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
