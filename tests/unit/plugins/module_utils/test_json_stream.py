# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""_json_stream against json.loads, its oracle: same values and same refusals, whatever the chunks."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.mlops.modelarts.plugins.module_utils import _json_stream
from ansible_collections.mlops.modelarts.plugins.module_utils._json_stream import parse_streamed


def chunked(data, cuts):
    """Split bytes at the given positions (any of them may fall inside a number, a string or a UTF-8 character)."""
    points = sorted(set(min(max(cut, 0), len(data)) for cut in cuts))
    pieces, start = [], 0
    for point in points + [len(data)]:
        pieces.append(data[start:point])  # empty pieces too: iter_content may give one
        start = point
    return pieces


def tagged(item, index, text):
    """A convert that shows what it was given: the item, its index and its own JSON text."""
    return {'item': item, 'index': index, 'text_parses_to': json.loads(text)}


def expected(document):
    result = json.loads(document)
    if isinstance(result.get('versions'), list):
        result['versions'] = [{'item': item, 'index': index, 'text_parses_to': item}
                              for index, item in enumerate(result['versions'])]
    return result


scalars = st.one_of(st.none(), st.booleans(), st.integers(-10 ** 20, 10 ** 20),
                    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=12))


def containers(inner):
    return st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4))


values = st.recursive(scalars, containers, max_leaves=12)
documents = st.dictionaries(st.sampled_from(['versions', 'total_count', 'is_success', 'x', 'ü']), values, max_size=4)
layouts = st.sampled_from([dict(), dict(indent=2), dict(separators=(',', ':')), dict(ensure_ascii=False)])


@settings(max_examples=300, deadline=None)
@given(document=documents, items=st.lists(values, max_size=6), layout=layouts,
       cuts=st.lists(st.integers(0, 400), max_size=12))
def test_equals_json_loads_whatever_the_chunks(document, items, layout, cuts):
    document = dict(document, versions=items) if items or 'versions' not in document else document
    text = json.dumps(document, **layout)
    assert parse_streamed(chunked(text.encode('utf-8'), cuts), 'versions', tagged) == expected(text)


def test_a_number_cut_by_a_chunk_is_read_whole():
    body = b'{"total_count": 123456, "versions": [1234, 1.0000000000000002e+16, -0.5E-3, 5678]}'
    for cut in range(len(body)):
        result = parse_streamed(chunked(body, [cut]), 'versions', lambda item, index, text: item)
        assert result == json.loads(body)


def test_a_multibyte_character_cut_by_a_chunk_is_read_whole():
    body = json.dumps({'versions': [{'version_name': 'Grüße 训练'}]}, ensure_ascii=False).encode('utf-8')
    for cut in range(len(body)):
        assert parse_streamed(chunked(body, [cut]), 'versions', tagged) == expected(body.decode('utf-8'))


def test_the_last_duplicate_key_wins_as_in_json_loads():
    body = b'{"versions": [1], "total_count": 1, "versions": [2, 3], "total_count": 2}'
    assert parse_streamed([body], 'versions', lambda item, index, text: item) == json.loads(body)


@pytest.mark.parametrize('body', [
    b'', b'   ', b'[]', b'1', b'"versions"', b'{"versions": [1, 2]} {}', b'{"versions": [1, 2,]}',
    b'{"versions": [1 2]}', b'{"a" 1}', b'{"a": 1,}', b'{1: 2}', b'{"versions": [01]}', b'\xff{}',
])
def test_refuses_what_json_loads_refuses_or_what_is_not_an_object(body):
    try:
        parsed = json.loads(body)
    except ValueError:
        pass
    else:
        assert not isinstance(parsed, dict)  # the premise: json.loads refuses it or gives no object
    with pytest.raises(ValueError) as caught:
        parse_streamed(chunked(body, [1, 3]), 'versions', tagged)
    assert caught.value.body.size == len(body)


def test_every_cut_of_a_page_is_refused():
    body = json.dumps({'is_success': True, 'total_count': 2,
                       'versions': [{'version_id': 1, 'status': 8}, {'version_id': 2, 'status': 10}]}).encode('ascii')
    for end in range(len(body) - 1):  # the last byte is the closing brace
        with pytest.raises(ValueError):
            parse_streamed(chunked(body[:end], [end // 2]), 'versions', tagged)


def test_the_error_carries_the_head_and_size_for_describing_the_body():
    body = b'<html><title>502</title>' + b'x' * 5000
    with pytest.raises(ValueError) as caught:
        parse_streamed(chunked(body, range(0, len(body), 100)), 'versions', tagged)
    assert caught.value.body.head == body[:_json_stream.HEAD_BYTES] and caught.value.body.size == len(body)


def test_nesting_deeper_than_python_recurses_is_a_recursion_error_as_in_json_loads():
    body = b'{"versions": [' + b'[' * 100000 + b']' * 100000 + b']}'
    with pytest.raises(RecursionError):
        json.loads(body)
    with pytest.raises(RecursionError):
        parse_streamed(chunked(body, range(0, len(body), 4096)), 'versions', tagged)


def test_one_huge_item_is_parsed_a_few_times_not_once_per_chunk(monkeypatch):
    # An incomplete item is parsed again from its start when more text arrives; the text read doubles each time,
    # so a 4 MB item in 1 KB chunks is parsed about a dozen times (not 4,000: quadratic work on a hostile body).
    attempts = []
    real = _json_stream._DECODER

    class CountingDecoder(object):
        def raw_decode(self, text, pos):
            attempts.append(len(text) - pos)
            return real.raw_decode(text, pos)

    monkeypatch.setattr(_json_stream, '_DECODER', CountingDecoder())
    body = json.dumps({'versions': [{'version_desc': 'x' * (4 << 20)}]}).encode('ascii')
    result = parse_streamed(chunked(body, range(0, len(body), 1024)), 'versions', lambda item, index, text: len(text))
    assert result == {'versions': [len(body) - len('{"versions": []}')]}
    assert len(attempts) <= 30
    assert sum(attempts) <= 4 * len(body)


def test_items_are_converted_as_they_arrive():
    # The first item is converted before the last chunk has been read: nothing waits for the whole body.
    events = []

    def chunks():
        for piece in (b'{"versions": [{"version_id": 1}, ', b'{"version_id": 2}', b']}'):
            events.append('read')
            yield piece

    parse_streamed(chunks(), 'versions', lambda item, index, text: events.append('item %d' % index))
    # Item 1 ends where its chunk ends: one more chunk is read to be sure it is whole (a number could go on).
    assert events == ['read', 'item 0', 'read', 'read', 'item 1']
