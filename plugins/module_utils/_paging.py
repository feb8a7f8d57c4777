# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Paging one API source: every page of each selection, asked in turn or ahead of time, within the query's bounds.

Private to the collection: the leading underscore means no compatibility promise.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import itertools
import threading
from contextlib import contextmanager
from concurrent.futures import ThreadPoolExecutor, as_completed

from ansible_collections.mlops.modelarts.plugins.module_utils._client import Stopped
from ansible_collections.mlops.modelarts.plugins.module_utils._counts import shown_value
from ansible_collections.mlops.modelarts.plugins.module_utils._errors import ModelArtsError
from ansible_collections.mlops.modelarts.plugins.module_utils._folding import IdSet

# Pages beyond what the first page's total_count needs (a page re-asked after a short answer counts too).
EXTRA_PAGES = 2
MAX_STATUS_THREADS = 16  # as many as max_concurrent_requests may be; the API has about twenty statuses


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
        self.max_received = None
        self.summary = None  # the gpu_summary, when the versions were folded into it page by page instead of kept
        self.lock = threading.Lock()

    def received(self, count):
        """Count versions received by one request (statuses and pages arrive from several threads)."""
        with self.lock:
            self.versions_received += count

    def start(self, paging_timeout, max_received, clock):
        """Start the query's clock: every request after paging_timeout seconds fails instead of being sent.

        `max_received`: the versions one query may receive over all its requests (repeats included); `clock`: a
        monotonic clock in seconds (time.monotonic).
        """
        self.clock = clock
        self.paging_timeout = paging_timeout
        self.max_received = max_received
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

    def check_bounds(self, method, path, label):
        """Raise ModelArtsError once the query ran out of time or received more versions than it can hold."""
        if self.deadline is not None and self.clock() > self.deadline:
            raise self.out_of_time(method, path, 'the API keeps answering more pages', label=label)
        if self.max_received is not None and self.versions_received > self.max_received:
            raise ModelArtsError(
                '%s %s%s: more than %d versions received in one query; stopped so as not to exhaust memory: '
                'narrow the query (status, pool_id, limit)' % (method, path, label, self.max_received),
                method=method, path=path)


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


class SelectionFetch(object):
    """Pages through the records of one selection of a source (v1: a status, or all) and checks them against the total.

    With max_concurrent_requests above 1, once the first page has told the total (and the offset unit is
    known), the pages still wanted are asked for in advance, a few at once, and consumed in the order a
    sequential run asks for them: a page that does not match the plan (a short page, a re-ask) is asked for
    then, exactly as a sequential run would, so the result, the warnings and the checks are the same.
    """

    def __init__(self, client, source, query, selection, bounds, offset, limit, fold=None):
        self.client = client  # a QueryClient
        self.source = source  # an ApiSource
        self.query = query
        self.selection = selection  # one of source.selections()
        self.bounds = bounds  # the query's Listing: its clock and its count of versions received bound every status
        self.listing = Listing()  # this status' own warnings and flags; list_versions merges them in status order
        self.offset = offset
        self.limit = limit
        self.path = source.path
        self.method = source.method
        self.label = source.label(selection)
        self.seen_ids = set() if fold is None else IdSet()
        self.versions = []
        self.kept = 0
        self.total = None
        self.stale_pages = 0
        self.pages_asked = 0
        self.fold = fold
        self.workers = client.max_concurrent_requests
        self.prefetch = None
        # Under training_api all, the old API retired in a region (a 404 on the first request) is a warning, not a
        # failure: list_versions sets this, and the fetch then ends empty with `retired` holding the error.
        self.retired_is_warning = False
        self.retired = None
        self.answered = False

    def _ask(self, limit, api_offset=None):
        """Give back (versions, total_count) of one page; touches nothing shared, so workers may call it."""
        self.bounds.check_bounds(self.method, self.path, self.label)
        source = self.source
        if self.fold is None:
            return source.parse_page(source.request(self.client, self.selection, limit, api_offset))
        return source.request(self.client, self.selection, limit, api_offset, decode=self.fold.page_decoder(source))

    def _request(self, limit, api_offset=None):
        self.bounds.check_bounds(self.method, self.path, self.label)
        future = self.prefetch.take(limit, api_offset) if self.prefetch is not None else None
        if future is not None:
            versions, total = future.result()
        else:
            versions, total = self._ask(limit, api_offset)
        self.answered = True
        self.bounds.received(len(versions))
        self.bounds.check_bounds(self.method, self.path, self.label)
        if self.total is not None and total is not None and total != self.total:
            self.listing.warnings.append(
                'total_count changed from %s to %s while paging%s: versions were added or removed meanwhile, so '
                'the result may miss or skip some' % (shown_value(self.total), shown_value(total), self.label))
            self.listing.complete = False
        if total is not None:
            self.total = total
        return versions

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
        except ModelArtsError as exc:
            if not self._retired(exc):
                self.client.stop()  # the query has failed: requests still in flight are not wanted
                raise
            return self.versions, 0
        except BaseException:
            self.client.stop()
            raise
        self._check_count()
        return self.versions, self.total or 0

    def _retired(self, exc):
        """Say whether `exc` is the 404 of an API that is not there (first request only), to be a warning; note it."""
        if not (self.retired_is_warning and exc.status == 404 and not self.answered):
            return False
        self.retired = exc
        self.versions = []
        self.total = 0
        return True

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
        self._page_on(records, unit, page_size, arrived)
        records.finish()

    def _page_on(self, records, unit, page_size, arrived):
        """Ask the pages after the first ones until the total is reached, the API has nothing new, or the promise is spent.

        With several workers, the pages a sequential run would ask next are asked ahead (_Prefetch) meanwhile.
        """
        end_of = self.end_index
        # What the first page promised bounds the pages asked: a server sending short pages (or pages of versions
        # it sent before, one new among them) is not asked total_count times. Twice the promise leaves room for
        # pages that come back half full even when asked again.
        promised_pages = 2 * -(-end_of() // page_size) + EXTRA_PAGES  # integer ceiling: total_count 10**400 is no float
        offsets = self._planned_offsets(len(records), unit, page_size) if len(records) < end_of() else None
        with self._prefetching(page_size, offsets):
            while len(records) < end_of() and self._gather_page(records, unit, page_size, arrived):
                if self.pages_asked >= promised_pages:
                    if len(records) < end_of():
                        self._warn_promise_spent(page_size, (promised_pages - EXTRA_PAGES) // 2)
                    break

    @contextmanager
    def _prefetching(self, page_size, offsets):
        """Ask for the planned `offsets` up to `workers` pages ahead while the block runs (no prefetch: None or 1 worker)."""
        executor = None
        if self.workers > 1 and offsets is not None:
            executor = ThreadPoolExecutor(max_workers=self.workers)
            self.prefetch = _Prefetch(executor, self._ask, page_size, offsets, self.workers)
        try:
            yield
        except BaseException:
            self.client.stop()  # before waiting for the workers: their requests are not wanted any more
            raise
        finally:
            if executor is not None:
                self.prefetch.cancel()
                self.prefetch = None
                executor.shutdown(wait=True)

    def _warn_promise_spent(self, page_size, needed):
        self.listing.warnings.append(
            'paging stopped after %d pages of %d%s: total_count (%s) needs %s; the API sends fewer versions per page '
            'than asked' % (self.pages_asked, page_size, self.label, shown_value(self.total or 0), shown_value(needed)))

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
                'incomplete' % (shown_value(wanted), self.label, got))
            self.listing.complete = False
        elif self.total is not None and got > wanted and not self.query.names:
            self.listing.warnings.append('more versions arrived (%d) than the API reported (%s)%s' % (
                got, shown_value(wanted), self.label))


class PageIndexFetch(SelectionFetch):
    """Pages a source whose `offset` is a page index from 0 and whose total is only a hint (v2): to the first short page.

    The answer's count is never trusted (api/v2.md: the API page's own example contradicts its definition), so a
    page shorter than asked ends the paging, and an empty page after full ones costs one request. Every record is
    kept: offset and limit apply to the merged result (list_versions). After a full first page, the next pages are
    asked max_concurrent_requests at a time (_Prefetch, an endless plan read only that far ahead: a few requests
    past the last page may be wasted, never more). The bounds of the query hold as for v1: paging_timeout and the
    versions one query may receive (both fail the query), and a server that ignores the page index (two pages
    with nothing new in a row) ends the paging with a warning.
    """

    def run(self):
        try:
            self._fetch_until_short()
        except BaseException:
            self.client.stop()  # the query has failed: requests still in flight are not wanted
            raise
        self.total = self.kept  # no total from the API: what was found
        return self.versions, self.total

    def _fetch_until_short(self):
        page_size = self.source.page_limit()
        first = self._request(page_size, api_offset=0)
        self.pages_asked = 1
        self.keep(first)
        if len(first) < page_size or self._enough():
            return
        del first
        with self._prefetching(page_size, itertools.count(1)):
            self._page_on_until_short(page_size)

    def _enough(self):
        """Say whether the records kept are all the merged result can use (`limit`: the first that many, 0: all)."""
        return bool(self.limit) and self.kept >= self.limit

    def _page_on_until_short(self, page_size):
        page_index = 1
        while True:
            page = self._request(page_size, api_offset=page_index)
            self.pages_asked += 1
            added = self.keep(page)
            if len(page) < page_size or self._enough():
                return
            if added:
                self.stale_pages = 0
            else:
                self.stale_pages += 1
                if self.stale_pages >= 2:
                    self.listing.warnings.append(
                        '%s %s: paging stopped after %d pages of %d: the last two held only jobs sent before (the '
                        'API seems to ignore the page index); the result may be incomplete'
                        % (self.method, self.path, self.pages_asked, page_size))
                    self.listing.complete = False
                    return
            page_index += 1


def run_fetches(client, fetches):
    """Run every fetch, several at once when allowed; raise a failure (once) if any fails.

    When several fail (both APIs refusing a token), the error raised is that of the first fetch in list order (v1
    statuses, then v2), not of the answer that happened to arrive first, so that a failing query says the same
    from one run to the next.
    """
    if client.max_concurrent_requests <= 1 or len(fetches) <= 1:
        for fetch in fetches:
            fetch.run()
        return
    errors = {}
    # A thread per status, while the client's sessions bound the requests in flight: a session read to its end is
    # taken at once by the next status' request, not after its own answer has been parsed (on the critical path).
    with ThreadPoolExecutor(max_workers=min(len(fetches), MAX_STATUS_THREADS)) as executor:
        futures = dict((executor.submit(fetch.run), number) for number, fetch in enumerate(fetches))
        for future in as_completed(futures):
            error = future.exception() if not future.cancelled() else None
            if error is None or isinstance(error, Stopped):
                continue
            if not errors:
                client.stop()
                for other in futures:
                    other.cancel()
            errors[futures[future]] = error
    if errors:
        raise errors[min(errors)]
