# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The training job versions query: API calls per status, paging, checks, enrichment and the GPU summary."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import fnmatch
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from urllib.parse import quote

from ansible_collections.mlops.modelarts.plugins.module_utils._auth import PROJECT_ID_PATTERN
from ansible_collections.mlops.modelarts.plugins.module_utils._client import Stopped
from ansible_collections.mlops.modelarts.plugins.module_utils._counts import UnknownAccelerators, accelerator_count, shown_value
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
        self.summary = None  # the gpu_summary, when the versions were folded into it page by page instead of kept
        self.lock = threading.Lock()

    def received(self, count):
        """Count versions received by one request (statuses and pages arrive from several threads)."""
        with self.lock:
            self.versions_received += count

    def start(self, paging_timeout, clock=None):
        """Start the query's clock: every request after paging_timeout seconds fails instead of being sent."""
        self.clock = clock or time.monotonic
        self.paging_timeout = paging_timeout
        self.deadline = self.clock() + paging_timeout

    def seconds_left(self):
        """Give back the seconds before paging_timeout ends the query (the client bounds each wait by it)."""
        return self.deadline - self.clock()

    def out_of_time(self, method, path, reason, label=''):
        """Give back the ModelArtsError of a query that did not end within paging_timeout (`reason`: what was going on)."""
        return ModelArtsError(
            '%s %s%s: the query did not end within paging_timeout (%g seconds; %d versions received so far): '
            '%s; narrow the query (status, pool_id, limit) or raise paging_timeout'
            % (method, path, label, self.paging_timeout, self.versions_received, reason), method=method, path=path)

    def check_bounds(self, path, label):
        """Raise ModelArtsError once the query ran out of time or received more versions than it can hold."""
        if self.deadline is not None and self.clock() > self.deadline:
            raise self.out_of_time('GET', path, 'the API keeps answering more pages', label=label)
        if self.versions_received > MAX_VERSIONS_RECEIVED:
            raise ModelArtsError(
                'GET %s%s: more than %d versions received in one query; stopped so as not to exhaust memory: '
                'narrow the query (status, pool_id, limit)' % (path, label, MAX_VERSIONS_RECEIVED), method='GET', path=path)


class IdSet(object):
    """A set of version ids in about one bit each while they are integers close to each other (database sequence
    numbers, as ModelArts' are); anything else goes to a plain set. For folding, where the ids are all that stays."""

    MAX_BYTES = 1 << 23  # a bitmap of 8 MB at most, 64 million ids wide

    def __init__(self):
        self.base = None
        self.bits = bytearray()
        self.spill = set()
        self.size = 0

    def _slot(self, value, grow):
        if value.__class__ is not int:
            return None
        if self.base is None:
            if not grow:
                return None
            self.base = value - (value & 7)
        offset = value - self.base
        if offset < 0:
            if not grow:
                return None
            extra = max((-offset + 7) // 8, len(self.bits) // 2, 64)
            if len(self.bits) + extra > self.MAX_BYTES:
                return None
            self.bits[0:0] = bytes(extra)
            self.base -= extra * 8
            offset = value - self.base
        index = offset >> 3
        if index >= len(self.bits):
            if not grow or index >= self.MAX_BYTES:
                return None
            self.bits.extend(bytes(min(max(index + 1 - len(self.bits), len(self.bits) // 2, 64),
                                       self.MAX_BYTES - len(self.bits))))
        return index, 1 << (offset & 7)

    def add(self, value):
        """Add `value`; give back True if it was not there yet (one slot computation, not two)."""
        # A value spilled earlier stays there even once the bitmap has grown to cover it.
        if self.spill and value in self.spill:
            return False
        slot = self._slot(value, grow=True)
        if slot is None:
            self.spill.add(value)
        else:
            index, bit = slot
            if self.bits[index] & bit:
                return False
            self.bits[index] |= bit
        self.size += 1
        return True

    def update(self, values):
        for value in values:
            self.add(value)

    def __contains__(self, value):
        slot = self._slot(value, grow=False)
        if slot is not None and self.bits[slot[0]] & slot[1]:
            return True
        return bool(self.spill) and value in self.spill

    def __len__(self):
        return self.size


class _Brief(object):
    """What folding needs of a version: id, name (for the globs), status, accelerators, pool and flavor.

    A fraction of the API's dict, so that pages asked for in advance take little memory while they wait.
    """

    __slots__ = ('version_id', 'version_name', 'status', 'gpu_num', 'npu_num', 'pool_id', 'flavor_code')

    def __init__(self, version, keep_name, texts):
        get = version.get
        self.version_id = get('version_id')
        self.version_name = get('version_name') if keep_name else None
        self.status = get('status')
        self.gpu_num = get('gpu_num')
        self.npu_num = get('npu_num')
        pool, flavor = get('pool_id'), get('flavor_code')
        # A few distinct pools and flavors: share one string each instead of one per version.
        self.pool_id = texts.setdefault(pool, pool) if pool.__class__ is str else pool
        self.flavor_code = texts.setdefault(flavor, flavor) if flavor.__class__ is str else flavor

    def get(self, field, default=None):
        value = getattr(self, field, None)
        return default if value is None else value


class _Fold(object):
    """Folds kept versions into one gpu_summary as they arrive, so that a summary-only query holds no page for long.

    Only version ids stay (for the duplicate checks); the names globs apply here, as list_versions applies them.
    """

    def __init__(self, names, streamed=False):
        self.names = names
        self.streamed = streamed
        self.summary = summarize([])
        self.unknown = UnknownAccelerators()
        self.lock = threading.Lock()
        self.fetches = []
        self.texts = {}

    def page_decoder(self, path):
        """Give back a _PageDecoder: answer -> (brief versions, total_count), checked as parse_page checks it."""
        keep_name = bool(self.names)
        texts = self.texts
        return _PageDecoder(path, lambda version: _Brief(version, keep_name, texts), streamed=self.streamed)

    def add(self, fetch, versions):
        """Fold the versions `fetch` has not seen before; give back how many those were."""
        names = self.names
        with self.lock:  # statuses fold concurrently: the duplicate checks and the sums happen one at a time
            seen = fetch.seen_ids
            others = [other.seen_ids for other in self.fetches if other is not fetch]
            chosen = []
            added = 0
            for version in versions:  # _Brief records: attributes, no method call per field
                version_id = version.version_id
                if not seen.add(version_id):
                    continue
                added += 1
                if names and not _name_matches(version, names):
                    continue
                # Two statuses never share a version, unless its status changed between our calls.
                if others and any(version_id in ids for ids in others):
                    continue
                chosen.append((version_id, version.status, version.gpu_num, version.npu_num, version.pool_id,
                               version.flavor_code))
            _summarize_rows_into(self.summary, chosen, self.unknown)
        return added


class _PageDecoder(object):
    """Turns a versions page into (converted versions, total_count), checked as parse_page checks it.

    The client calls it on a parsed answer or, when `items_key` is set (streamed), parses the answer as it arrives,
    calling item() on each version as soon as it is parsed and streamed() on the rest: then no whole page is held.
    """

    def __init__(self, path, convert, streamed=False):
        self.path = path
        self.convert = convert
        self.items_key = 'versions' if streamed else None

    def item(self, version, index):
        return self.convert(checked_version(version, index, self.path))

    def streamed(self, data):
        """Give back (versions, total) of an answer whose versions went through item() already."""
        return page_parts(data, self.path)

    def __call__(self, data):
        versions, total = page_parts(data, self.path)
        return [self.item(version, index) for index, version in enumerate(versions)], total


class _Prefetch(object):
    """Asks for the pages a fetch will want next, a few at a time, while the fetch consumes them in order."""

    def __init__(self, executor, ask, limit, api_offsets, window):
        self.executor = executor
        self.ask = ask
        self.limit = limit
        # An iterator, read only `window` pages ahead: a total_count of 10**12 plans no list of 10**12 offsets.
        self.plan = iter(api_offsets)
        self.window = window
        self.futures = {}
        self.fill()

    def fill(self):
        while self.plan is not None and len(self.futures) < self.window:
            api_offset = next(self.plan, None)
            if api_offset is None:
                self.plan = None
                break
            self.futures[api_offset] = self.executor.submit(self.ask, self.limit, api_offset)

    def take(self, limit, api_offset):
        """Give back the future of this page if it was asked for in advance (once), else None."""
        future = self.futures.pop(api_offset, None) if limit == self.limit else None
        self.fill()
        return future

    def cancel(self):
        for future in self.futures.values():
            future.cancel()
        self.futures = {}
        self.plan = None


class _Records(object):
    """The records that arrived so far, in API order from record 0 on (duplicates included).

    Normally they are kept and sliced at the end; when folding, those in [offset, end) go on to the fetch's
    keep() as they arrive and only their count stays.
    """

    def __init__(self, fetch, folding):
        self.fetch = fetch
        self.folding = folding
        self.items = []
        self.count = 0

    def extend(self, page):
        if self.folding:
            start = self.count
            low = max(0, self.fetch.offset - start)
            high = max(0, self.fetch.end_index() - start)
            if high > low:
                self.fetch.keep(page[low:high])
        else:
            self.items.extend(page)
        self.count += len(page)

    def __len__(self):
        return self.count

    def finish(self):
        if not self.folding:
            self.fetch.keep(self.items[self.fetch.offset:self.fetch.end_index()])


class _StatusFetch(object):
    """Pages through the versions of one status (or all) and checks what arrives against total_count.

    With max_concurrent_requests above 1, once the first page has told the total (and the offset unit is
    known), the pages still wanted are asked for in advance, a few at once, and consumed in the order a
    sequential run asks for them: a page that does not match the plan (a short page, a re-ask) is asked for
    then, exactly as a sequential run would, so the result, the warnings and the checks are the same.
    """

    def __init__(self, client, query, status, bounds, offset, limit, fold=None):
        self.client = client
        self.query = query
        self.status = status
        self.bounds = bounds  # the query's Listing: its clock and its count of versions received bound every status
        self.listing = Listing()  # this status' own warnings and flags; list_versions merges them in status order
        self.offset = offset
        self.limit = limit
        self.path = versions_path(client.project_id)
        self.seen_ids = set() if fold is None else IdSet()
        self.versions = []
        self.kept = 0
        self.total = None
        self.stale_pages = 0
        self.pages_asked = 0
        self.fold = fold
        self.workers = getattr(client, 'max_concurrent_requests', 1)
        self.prefetch = None

    def _ask(self, limit, api_offset=None):
        """Give back (versions, total_count) of one page; touches nothing shared, so workers may call it."""
        self.bounds.check_bounds(self.path, self._label())
        pairs = self.query.base_pairs()
        if self.status is not None:
            pairs.append(('status', str(self.status)))
        pairs.append(('limit', str(limit)))
        if api_offset is not None:
            pairs.append(('offset', str(api_offset)))
        if self.fold is None:
            return parse_page(self.client.get(self.path, pairs), self.path)
        decode = self.fold.page_decoder(self.path)
        if getattr(self.client, 'decodes_answers', False):
            return self.client.get(self.path, pairs, decode=decode)
        return decode(self.client.get(self.path, pairs))

    def _request(self, limit, api_offset=None):
        self.bounds.check_bounds(self.path, self._label())
        future = self.prefetch.take(limit, api_offset) if self.prefetch is not None else None
        if future is not None:
            versions, total = future.result()
        else:
            versions, total = self._ask(limit, api_offset)
        self.bounds.received(len(versions))
        self.bounds.check_bounds(self.path, self._label())
        if self.total is not None and total is not None and total != self.total:
            self.listing.warnings.append(
                'total_count changed from %s to %s while paging%s: versions were added or removed meanwhile, so '
                'the result may miss or skip some' % (shown_value(self.total), shown_value(total), self._label()))
            self.listing.complete = False
        if total is not None:
            self.total = total
        return versions

    def _label(self):
        return '' if self.status is None else ' (status %d)' % self.status

    def keep(self, versions):
        """Keep (or fold) the versions not seen before; give back how many were new."""
        if self.fold is not None:
            added = self.fold.add(self, versions)
        else:
            added = 0
            seen = self.seen_ids
            for version in versions:
                version_id = version.get('version_id')
                if version_id in seen:
                    continue
                seen.add(version_id)
                self.versions.append(version)
                added += 1
        self.kept += added
        return added

    def wanted(self):
        """Give back how many versions this fetch should end with, once total_count is known."""
        available = max(0, (self.total or 0) - self.offset)
        return min(available, self.limit) if self.limit else available

    def run(self):
        try:
            if self.query.page_size == 0:
                self._fetch_at_once()
            else:
                self._fetch_paged()
        except BaseException:
            _signal_stop(self.client)  # the query has failed: requests still in flight are not wanted
            raise
        self._check_count()
        return self.versions, self.total or 0

    def _fetch_at_once(self):
        if self.limit and not self.offset:
            # The first `limit` records: with no offset parameter every offset unit means the first page.
            first = self._request(self.limit)
            if len(first) < min(self.limit, self.total or 0):
                first = self._request(self.limit)  # a short answer: ask once more before reporting it
            self.keep(first[:self.limit])
            return
        everything = self._request(0)
        if len(everything) < (self.total or 0):
            everything = self._request(0)  # a short answer: ask once more before reporting it
        end = self.offset + self.limit if self.limit else None
        self.keep(everything[self.offset:end])

    def _fetch_paged(self):
        page_size = self.query.page_size
        unit = self.query.offset_unit
        first = self._request(page_size)
        if len(first) < min(page_size, self.total or 0):
            first = self._request(page_size)  # a short first page: ask once more before judging
        if len(first) < page_size or (self.total is not None and self.total <= page_size):
            self.keep(first[self.offset:self.offset + self.limit if self.limit else None])
            self.listing.offset_unit_used = self.listing.offset_unit_used or 'not needed (one page)'
            return
        # `records` holds what arrived so far, in API order, from record 0 on.
        records = _Records(self, folding=self.fold is not None)
        arrived = set() if self.fold is None else IdSet()
        arrived.update(version.get('version_id') for version in first)
        records.extend(first)
        if unit == 'auto':
            unit, extra = self._detect_offset_unit(first, page_size)
            arrived.update(version.get('version_id') for version in extra)
            records.extend(extra)
        del first
        self.listing.offset_unit_used = unit
        end_of = self.end_index
        # What the first page promised bounds the pages asked: a server sending short pages (or pages of versions
        # it sent before, one new among them) is not asked total_count times. Twice the promise leaves room for
        # pages that come back half full even when asked again.
        promised_pages = 2 * -(-end_of() // page_size) + EXTRA_PAGES  # integer ceiling: total_count 10**400 is no float
        executor = None
        if self.workers > 1 and len(records) < end_of():
            executor = ThreadPoolExecutor(max_workers=self.workers)
            self.prefetch = _Prefetch(executor, self._ask, page_size, self._planned_offsets(len(records), unit, page_size),
                                      self.workers)
        try:
            while len(records) < end_of() and self._gather_page(records, unit, page_size, arrived):
                if self.pages_asked >= promised_pages:
                    if len(records) < end_of():
                        needed = (promised_pages - EXTRA_PAGES) // 2
                        self.listing.warnings.append(
                            'paging stopped after %d pages of %d%s: total_count (%s) needs %s; the API sends fewer '
                            'versions per page than asked'
                            % (self.pages_asked, page_size, self._label(), shown_value(self.total or 0),
                               shown_value(needed)))
                    break
        except BaseException:
            _signal_stop(self.client)  # before waiting for the workers: their requests are not wanted any more
            raise
        finally:
            if executor is not None:
                self.prefetch.cancel()
                self.prefetch = None
                executor.shutdown(wait=True)
        records.finish()

    def _planned_offsets(self, start, unit, page_size):
        """Yield the API offsets a sequential run asks for from record `start` on, if every page is whole."""
        end = self.end_index()
        while start < end:
            if unit == 'records':
                yield start
            else:
                yield start // page_size + (1 if unit == 'pages_one_based' else 0)
            start += page_size

    def end_index(self):
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
        new_ids = [version_id for version_id in set(version.get('version_id') for version in page)
                   if version_id not in arrived]
        arrived.update(new_ids)
        records.extend(page)
        del page
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
        got = self.kept
        if got < wanted:
            self.listing.warnings.append(
                'the API reported %s matching versions%s but only %d arrived (short answer); the result is '
                'incomplete' % (shown_value(wanted), self._label(), got))
            self.listing.complete = False
        elif self.total is not None and got > wanted and not self.query.names:
            self.listing.warnings.append('more versions arrived (%d) than the API reported (%s)%s' % (
                got, shown_value(wanted), self._label()))


def parse_page(data, path):
    """Give back (versions, total_count) from one answer, or raise ModelArtsError if it is not a versions page."""
    versions, total = page_parts(data, path)
    for index, version in enumerate(versions):
        checked_version(version, index, path)
    return versions, total


def page_parts(data, path):
    """Give back (versions, total_count) of an answer, checking its shape but not each version."""
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
    return versions, total


def checked_version(version, index, path):
    """Give back item `index` of a page with its numbers and texts as the API documents them, or raise."""
    if not isinstance(version, dict):
        raise ModelArtsError('GET %s answered a version that is not an object (item %d)' % (path, index),
                             method='GET', path=path)
    get = version.get  # once per version: this runs for every version of every page
    for field in INTEGER_FIELDS:
        value = get(field)
        if value is not None and value.__class__ is not int:  # exact: bool is an int subclass
            version[field] = _as_int(value, 'versions[%d].%s' % (index, field), path)
    for field in TEXT_FIELDS:
        value = get(field)
        if value is not None and value.__class__ is not str:
            version[field] = _as_text(value, 'versions[%d].%s' % (index, field), path)
    if get('version_id') is None:
        raise ModelArtsError('GET %s answered a version without version_id (item %d)' % (path, index),
                             method='GET', path=path)
    return version


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


def _signal_stop(client):
    """Tell the client's other workers that the query has failed (clients made for tests may lack the event)."""
    stopping = getattr(client, 'stopping', None)
    if stopping is not None:
        stopping.set()


def _clear_stop(client):
    stopping = getattr(client, 'stopping', None)
    if stopping is not None:
        stopping.clear()


def _name_matches(version, patterns):
    name = str(version.get('version_name') or '')
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns)


MAX_STATUS_THREADS = 16  # as many as max_concurrent_requests may be; the API has about twenty statuses


def _run_fetches(client, fetches):
    """Run every status' fetch, several at once when allowed; raise the first failure (once) if any fails."""
    if getattr(client, 'max_concurrent_requests', 1) <= 1 or len(fetches) <= 1:
        for fetch in fetches:
            fetch.run()
        return
    first_error = None
    # A thread per status, while the client's sessions bound the requests in flight: a session read to its end is
    # taken at once by the next status' request, not after its own answer has been parsed (on the critical path).
    with ThreadPoolExecutor(max_workers=min(len(fetches), MAX_STATUS_THREADS)) as executor:
        futures = [executor.submit(fetch.run) for fetch in fetches]
        for future in as_completed(futures):
            error = future.exception() if not future.cancelled() else None
            if error is None or isinstance(error, Stopped):
                continue
            if first_error is None:
                first_error = error
                _signal_stop(client)
                for other in futures:
                    other.cancel()
    if first_error is not None:
        raise first_error


def list_versions(client, query):
    """Give back a Listing with every version the query matches (all pages, no duplicates, counts checked).

    With include_versions false, no usage window and no selection that needs every version at hand (offset or
    limit over several statuses or names), the versions are folded into listing.summary as they arrive and not kept.
    """
    listing = Listing()
    listing.start(query.paging_timeout)
    local_selection = query.needs_local_selection()
    fetch_offset, fetch_limit = (0, 0) if local_selection else (query.offset, query.limit)
    fold = None
    if (not query.include_versions and query.usage_window is None
            and not (local_selection and (query.offset or query.limit))):
        # Answers are parsed as they arrive only when several may be in flight at once: then whole bodies would
        # add up (docs/performance.md, memory). A lone answer is read whole, which costs less CPU.
        overlapping = getattr(client, 'max_concurrent_requests', 1) > 1 and query.page_size > 0
        fold = _Fold(query.names, streamed=overlapping)
    _clear_stop(client)
    if hasattr(client, 'deadline'):  # test doubles of the client may not bound their requests
        client.deadline = listing  # every request of the query, each wait for data included, ends by paging_timeout
    fetches = [_StatusFetch(client, query, status, listing, fetch_offset, fetch_limit, fold=fold)
               for status in (query.statuses or [None])]
    if fold is not None:
        fold.fetches = fetches
    try:
        _run_fetches(client, fetches)
    finally:
        _clear_stop(client)
        if hasattr(client, 'deadline'):
            client.deadline = None
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
    if fold is not None:
        listing.summary = fold.summary
        listing.warnings.extend(filter(None, [fold.unknown.warning('gpu_summary')]))
        return listing
    if query.names:
        patterns = query.names
        collected = [v for v in collected if _name_matches(v, patterns)]
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


def summarize(versions, unknown=None):
    """Give back the gpu_summary of a list of versions (API records, enriched or not).

    `unknown` (an UnknownAccelerators) collects the versions whose gpu_num or npu_num is invalid, for a warning.
    """
    summary = {'versions': 0, 'gpu_num': 0, 'npu_num': 0, 'active_gpu_num': 0, 'active_npu_num': 0,
               'accelerators_unknown': 0, 'by_status': {}, 'by_pool': {}, 'by_flavor': {}}
    return summarize_into(summary, versions, unknown)


def summarize_into(summary, versions, unknown=None):
    """Add versions to a gpu_summary made by summarize(); give it back."""
    return _summarize_rows_into(summary, ((version.get('version_id'), version.get('status'), version.get('gpu_num'),
                                           version.get('npu_num'), version.get('pool_id'), version.get('flavor_code'))
                                          for version in versions), unknown)


def _summarize_rows_into(summary, rows, unknown=None):
    """Add (version_id, status, gpu_num, npu_num, pool_id, flavor_code) rows to a gpu_summary; give it back.

    The one loop behind summarize_into() and folding (which passes its _Brief records' fields, not dicts).
    A count accelerator_count() finds invalid (10**400, -3, True) adds nothing; its version counts in
    accelerators_unknown, so that a hostile number neither overflows a report nor lowers active_gpu_num.
    """
    by_status = summary['by_status']
    by_pool = summary['by_pool']
    by_flavor = summary['by_flavor']
    for version_id, status, gpus, npus, pool_id, flavor_code in rows:
        gpu_count = accelerator_count(gpus)
        npu_count = accelerator_count(npus)
        if gpu_count is None or npu_count is None:
            summary['accelerators_unknown'] += 1
            if unknown is not None:
                unknown.note(version_id, gpus, npus, gpu_count, npu_count)
            gpu_count = gpu_count or 0
            npu_count = npu_count or 0
        summary['versions'] += 1
        summary['gpu_num'] += gpu_count
        summary['npu_num'] += npu_count
        if GROUP_OF_STATUS.get(status) == 'active':
            summary['active_gpu_num'] += gpu_count
            summary['active_npu_num'] += npu_count
        status_key = STATUS_NAMES.get(status) or 'unknown_%s' % (status,)
        for table, key in ((by_status, status_key), (by_pool, pool_id or 'none'), (by_flavor, flavor_code or 'none')):
            bucket = table.get(key)
            if bucket is None:
                bucket = table[key] = _bucket()
            bucket['versions'] += 1
            bucket['gpu_num'] += gpu_count
            bucket['npu_num'] += npu_count
    return summary
