# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""IdSet, the compact set of version ids that folding keeps instead of the versions."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import random
import uuid

from hypothesis import given, settings, strategies

from ansible_collections.mlops.modelarts.plugins.module_utils._versions import IdSet

# UUID texts as v2 job ids are, few enough that they repeat and share buckets (their first byte).
UUIDS = strategies.builds(lambda high, low: str(uuid.UUID(int=(high << 120) | low)),
                          strategies.integers(0, 3), strategies.integers(0, 40))
IDS = strategies.one_of(
    strategies.integers(min_value=10000, max_value=10400),  # dense, as sequence numbers are
    strategies.integers(min_value=-2 ** 70, max_value=2 ** 70),  # anywhere, beyond 64 bits too
    UUIDS,
    UUIDS.map(str.upper),  # another id than its lowercase text
    UUIDS.map(lambda text: text.replace('-', '')),  # the same hex without its dashes: another id too
    UUIDS.map(lambda text: text + ' '),
    strategies.text(max_size=40),
)


def near(value):
    """Ids next to `value` (a number, or a UUID text one off in its last hex digit)."""
    if isinstance(value, int):
        return [value + 1, value - 1]
    return [value[:-1] + '%x' % ((int(value[-1], 16) + 1) % 16)] if value[-1:] in '0123456789abcdef' and value else []


@settings(max_examples=200, deadline=None)
@given(added=strategies.lists(IDS, max_size=60), probes=strategies.lists(IDS, max_size=30))
def test_id_set_answers_membership_and_size_as_a_set_does(added, probes):
    ids = IdSet()
    so_far = set()
    for value in added:
        assert ids.add(value) == (value not in so_far)  # True exactly for a new id, as folding relies on
        so_far.add(value)
    reference = set(added)
    assert len(ids) == len(reference)
    for value in added + probes + [other for one in added for other in near(one)]:
        assert (value in ids) == (value in reference)


def test_uuid_ids_take_fifteen_bytes_each():
    rng = random.Random(23)
    texts = [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for dummy in range(10000)]
    ids = IdSet()
    assert [ids.add(text) for text in texts + texts[:10]] == [True] * 10000 + [False] * 10
    assert len(ids) == 10000 and all(text in ids for text in texts[::97]) and texts[0].upper() not in ids
    assert sum(len(bucket) for bucket in ids.uuids.buckets) == 15 * 10000 and not ids.spill


def test_dense_ids_take_about_a_bit_each():
    ids = IdSet()
    ids.update(range(10000, 210000, 4))  # 50,000 ids, as the emulator numbers them
    assert len(ids) == 50000 and 10000 in ids and 10001 not in ids
    assert len(ids.bits) < 64 * 1024 and not ids.spill


def test_ids_below_the_first_one_grow_the_bitmap_downwards():
    ids = IdSet()
    ids.update([500000, 499000, 1])
    assert {1, 499000, 500000} == set(value for value in (1, 2, 499000, 500000, 500001) if value in ids)
