# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Folding records into the gpu_summary: summaries of lists, and folding pages as they arrive (summary-only queries).

Private to the collection: the leading underscore means no compatibility promise.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import fnmatch
import re
import threading

from ansible_collections.mlops.modelarts.plugins.module_utils._counts import (
    UnknownAccelerators, note_unknown, record_accelerators,
)
from ansible_collections.mlops.modelarts.plugins.module_utils._statuses import GROUP_OF_STATUS, STATUS_NAMES
from ansible_collections.mlops.modelarts.plugins.module_utils._errors import OptionError


# A v2 job id (metadata.id) as ModelArts writes it: a UUID in lowercase hex. Only this exact form is packed into 16
# bytes (one text per 16 bytes: 'ABC...' and 'abc...' stay two ids), any other text goes to IdSet's plain set.
_UUID_TEXT = re.compile(r'[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z')
_UUID_REST = 15  # bytes kept per UUID: its first byte picks the bucket


class _UuidSet(object):
    """UUIDs in 15 bytes each: 256 buckets by the first byte, each a bytearray of the other 15 bytes in order.

    In a plain set a UUID text costs about 140 bytes (the text and its share of the table): 10,000 v2 jobs held
    1.4 MB, seven pages of their JSON, for the duplicate checks alone. Here they take 150 KB, and an insertion
    moves one bucket's bytes (a few KB even at the versions ceiling).
    """

    def __init__(self):
        self.buckets = [None] * 256

    def add(self, key):
        """Add the 16 bytes `key`; give back True if it was not there yet."""
        bucket = self.buckets[key[0]]
        if bucket is None:
            bucket = self.buckets[key[0]] = bytearray()
        found, position = _find(bucket, key[1:])
        if found:
            return False
        bucket[position:position] = key[1:]
        return True

    def __contains__(self, key):
        bucket = self.buckets[key[0]]
        return bucket is not None and _find(bucket, key[1:])[0]


def _find(bucket, rest):
    """Give back (found, byte offset where `rest` is or would go) in a bucket of _UuidSet (a binary search)."""
    low, high = 0, len(bucket) // _UUID_REST
    while low < high:
        middle = (low + high) >> 1
        start = middle * _UUID_REST
        probe = bucket[start:start + _UUID_REST]
        if probe == rest:
            return True, start
        if probe < rest:
            low = middle + 1
        else:
            high = middle
    return False, low * _UUID_REST


def _uuid_key(value):
    """Give back the 16 bytes of a version id that is a UUID text in lowercase hex, else None."""
    if value.__class__ is str and len(value) == 36 and _UUID_TEXT.match(value):
        return bytes.fromhex(value.replace('-', ''))
    return None


class IdSet(object):
    """A set of version ids in about one bit each while they are integers close to each other (database sequence
    numbers, as ModelArts' are), in 15 bytes each when they are UUID texts (v2 job ids); anything else goes to a
    plain set. For folding, where the ids are all that stays."""

    MAX_BYTES = 1 << 23  # a bitmap of 8 MB at most, 64 million ids wide

    def __init__(self):
        self.base = None
        self.bits = bytearray()
        self.spill = set()
        self.uuids = _UuidSet()
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
        key = _uuid_key(value)
        if key is not None:
            if not self.uuids.add(key):
                return False
            self.size += 1
            return True
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
        key = _uuid_key(value)
        if key is not None:
            return key in self.uuids
        slot = self._slot(value, grow=False)
        if slot is not None and self.bits[slot[0]] & slot[1]:
            return True
        return bool(self.spill) and value in self.spill

    def __len__(self):
        return self.size


class _Brief(object):
    """What folding needs of a record: id, name (for the globs), status, accelerators, pool, flavor and its API.

    A fraction of the API's dict, so that pages asked for in advance take little memory while they wait.
    """

    __slots__ = ('version_id', 'version_name', 'status', 'gpu_num', 'npu_num', 'pool_id', 'flavor_code', 'api_version')

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
        # v2 records say so (their null accelerators are unknown, and their pool is chosen here); v1 ones do not.
        self.api_version = get('api_version')

    def get(self, field, default=None):
        value = getattr(self, field, None)
        return default if value is None else value


class Fold(object):
    """Folds kept versions into one gpu_summary as they arrive, so that a summary-only query holds no page for long.

    Only version ids stay (for the duplicate checks); the names globs apply here, as list_versions applies them.
    `fetches` (set by list_versions): the paging fetches folding into it, whose seen_ids the duplicate checks read.
    `version_ids` (set by list_versions): None, or the frozenset of id texts a version must have (O(version_ids)).
    """

    def __init__(self, names, streamed=False, pool_id=None):
        self.names = names
        self.pool_id = pool_id  # the v2 search has no pool filter: v2 records of other pools are left out here
        self.streamed = streamed  # several answers may be in flight: each source says whether it streams its own
        self.summary = summarize([])
        self.unknown = UnknownAccelerators()
        self.lock = threading.Lock()
        self.fetches = []
        self.texts = {}
        self.version_ids = None

    def page_decoder(self, source):
        """Give back a PageDecoder of `source` (an ApiSource): answer -> (brief records, total), each item checked."""
        keep_name = bool(self.names)
        texts = self.texts
        return source.page_decoder(lambda version: _Brief(version, keep_name, texts), streamed=self.streamed)

    def add(self, fetch, versions):
        """Fold the versions `fetch` has not seen before; give back how many those were."""
        version_ids = self.version_ids
        names = self.names
        pool_id = self.pool_id
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
                if version_ids is not None and id_text(version_id) not in version_ids:
                    continue
                if names and not name_matches(version, names):
                    continue
                if pool_id and version.api_version == 'v2' and version.pool_id != pool_id:
                    continue
                # Two statuses never share a version, unless its status changed between our calls.
                if others and any(version_id in ids for ids in others):
                    continue
                chosen.append((version_id, version.status, version.gpu_num, version.npu_num, version.pool_id,
                               version.flavor_code, version.api_version))
            _summarize_rows_into(self.summary, chosen, self.unknown)
        return added


def name_matches(version, patterns):
    """Say whether a record's version_name matches one of the glob `patterns` (case-sensitive, as the API's names)."""
    name = str(version.get('version_name') or '')
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns)


# The version_ids option (issue 24): exact ids, for names a glob cannot spell. v1 ids are integers the API sends as
# JSON numbers, v2 ids are texts (UUIDs): both are compared as text, so 7, '7' and a UUID all work.
MAX_VERSION_IDS = 1000
MAX_VERSION_ID_LENGTH = 128


def id_text(version_id):
    """Give back the text an API record's version_id is compared as (an integer's decimal digits), or None."""
    if version_id.__class__ is str:
        return version_id
    if isinstance(version_id, int) and not isinstance(version_id, bool):
        try:
            return str(version_id)
        except ValueError:  # more digits than Python converts (sys.int_max_str_digits): no option id is that long
            return None
    return None


def ids_match(version, version_ids):
    """Say whether a record's version_id, as text, is one of `version_ids` (a set of texts from version_ids_option)."""
    return id_text(version.get('version_id')) in version_ids


def version_ids_option(values):
    """Give back the version_ids option as a list of distinct id texts in the order given ([] when not given).

    Raises OptionError naming version_ids for anything that is not a non-empty text or an integer, or too many.
    Integers become their decimal text; texts are kept exactly (no case folding, no stripping): ids are exact.
    """
    if values is None:
        return []
    if not isinstance(values, (list, tuple)):
        values = [values]
    if len(values) > MAX_VERSION_IDS:
        raise OptionError('version_ids: at most %d ids; got %d' % (MAX_VERSION_IDS, len(values)))
    texts = []
    seen = set()
    for position, value in enumerate(values, 1):
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise OptionError('version_ids: element %d is %s; each id is a text or an integer, such as 7, "7" or '
                              'a UUID' % (position, _kind_of(value)))
        if isinstance(value, int) and not -10 ** MAX_VERSION_ID_LENGTH < value < 10 ** MAX_VERSION_ID_LENGTH:
            raise OptionError('version_ids: element %d has more than %d digits' % (position, MAX_VERSION_ID_LENGTH))
        # A plain str either way: an integer's decimal digits, or a text (2.19 hands templated text as a subclass).
        text = str(value)
        if not text.strip():
            raise OptionError('version_ids: element %d is an empty text; give the id of a version' % position)
        if len(text) > MAX_VERSION_ID_LENGTH:
            raise OptionError('version_ids: element %d has %d characters, more than %d' % (
                position, len(text), MAX_VERSION_ID_LENGTH))
        if text not in seen:
            seen.add(text)
            texts.append(text)
    return texts


def _kind_of(value):
    """Name a value's kind in plain words (never a Python class name such as _AnsibleLazyTemplateDict)."""
    if value is None:
        return 'null'
    if isinstance(value, bool):
        return 'a boolean'
    if isinstance(value, float):
        return 'a decimal number'
    if isinstance(value, dict) or hasattr(value, 'keys'):
        return 'a mapping'
    if isinstance(value, (list, tuple, set, frozenset)):
        return 'a list'
    return 'neither a text nor an integer'


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
                                           version.get('npu_num'), version.get('pool_id'), version.get('flavor_code'),
                                           version.get('api_version'))
                                          for version in versions), unknown)


def _summarize_rows_into(summary, rows, unknown=None):
    """Add (version_id, status, gpu_num, npu_num, pool_id, flavor_code, api_version) rows to a gpu_summary; give it back.

    The one loop behind summarize_into() and folding (which passes its _Brief records' fields, not dicts).
    A count accelerator_count() finds invalid (10**400, -3, True) adds nothing; its version counts in
    accelerators_unknown, so that a hostile number neither overflows a report nor lowers active_gpu_num; so does
    a v2 record whose gpu_num or npu_num is null (no source told its flavor's accelerators), never as 0.
    """
    by_status = summary['by_status']
    by_pool = summary['by_pool']
    by_flavor = summary['by_flavor']
    for version_id, status, gpus, npus, pool_id, flavor_code, api_version in rows:
        gpu_count, npu_count = record_accelerators(gpus, npus, api_version)
        if gpu_count is None or npu_count is None:
            summary['accelerators_unknown'] += 1
            if unknown is not None:
                note_unknown(unknown, version_id, gpus, npus, gpu_count, npu_count, api_version, flavor_code)
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
