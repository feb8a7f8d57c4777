# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Parse a JSON object as its bytes arrive, turning each item of one list member into something smaller at once.

A summary-only query folds every page of versions into counts. Read whole, a page in flight costs its bytes, its
text and its parsed dicts; with several requests in flight that is most of the module's memory. Parsed here, one
item at a time with the standard library's own decoder (`raw_decode`, in C), a request in flight holds a chunk of
text and the small records `convert` makes; the parsed dict of an item lives only until it is converted.

The result equals json.loads(body) with the streamed list's items replaced by convert(item, index, text), `text`
the item's own JSON text (for checking what the server echoed): same values,
last duplicate key wins, the same inputs refused (as ValueError; RecursionError for nesting deeper than Python
recurses, as json.loads). Only UTF-8 (RFC 8259; what ModelArts sends) is read.
"""

from __future__ import absolute_import, annotations, division, print_function
__metaclass__ = type

import codecs
import json
from typing import Any, Callable, Dict, Iterable, List

CHUNK_BYTES = 16384
HEAD_BYTES = 2000  # kept for describing a body that is not JSON, as the whole-body path does
_WHITESPACE = ' \t\n\r'
_AFTER_NUMBER = _WHITESPACE + ',]}'  # what may follow a whole number in JSON
_DECODER = json.JSONDecoder()


class StreamedBody(object):
    """Text read so far from an iterator of byte chunks, consumed from `pos` on; read further only when needed."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self.chunks = iter(chunks)
        self.utf8 = codecs.getincrementaldecoder('utf-8')()
        self.text = ''
        self.pos = 0
        self.eof = False
        self.head = b''
        self.size = 0
        self.last_text = ''

    def read_more(self) -> bool:
        """Read until the unconsumed text has doubled (or the body ends); give back False if it had ended already.

        Doubling, not one chunk: an item that is still incomplete is parsed again from its start, and a geometric
        growth keeps the total work linear even for one item of many megabytes.
        """
        if self.eof:
            return False
        pending = self.text[self.pos:]
        wanted = max(len(pending), 1)
        parts = [pending]
        added = 0
        while added < wanted:
            chunk = next(self.chunks, None)
            if chunk is None:
                parts.append(self.utf8.decode(b'', True))
                self.eof = True
                break
            if len(self.head) < HEAD_BYTES:
                self.head += chunk[:HEAD_BYTES - len(self.head)]
            self.size += len(chunk)
            piece = self.utf8.decode(chunk)
            parts.append(piece)
            added += len(piece)
        self.text = ''.join(parts)
        self.pos = 0
        return True

    def drain(self) -> None:
        """Read the rest of the body, keeping only its head and counting its size (to describe it)."""
        self.text = ''
        self.pos = 0
        for chunk in self.chunks:
            if len(self.head) < HEAD_BYTES:
                self.head += chunk[:HEAD_BYTES - len(self.head)]
            self.size += len(chunk)
        self.eof = True

    def peek(self) -> str:
        """Give back the next character that is not whitespace (without consuming it); '' at the end of the body."""
        while True:
            text, pos = self.text, self.pos
            while pos < len(text) and text[pos] in _WHITESPACE:
                pos += 1
            self.pos = pos
            if pos < len(text):
                return text[pos]
            if not self.read_more():
                return ''

    def expect(self, characters: str) -> str:
        """Consume the next non-whitespace character, which must be one of `characters`; give it back."""
        found = self.peek()
        if not found or found not in characters:
            raise ValueError('expected %s at byte %d, found %s' % (
                ' or '.join(repr(c) for c in characters), self.size, repr(found) if found else 'the end'))
        self.pos += 1
        return found

    def value(self) -> Any:
        """Decode the next whole JSON value and consume it."""
        self.peek()
        while True:
            start = self.pos
            try:
                value, end = _DECODER.raw_decode(self.text, self.pos)
            except ValueError:
                if self.read_more():
                    continue  # most likely cut by the chunk's end: parse it again with more text
                raise
            cut = end == len(self.text) or (value.__class__ in (int, float) and self.text[end] not in _AFTER_NUMBER)
            if cut and self.read_more():
                # A value at the very end may go on in the next chunk; so may a number followed by what could
                # continue it ('1.' or '2e' parse as 1 and 2).
                continue
            self.pos = end
            self.last_text = self.text[start:end]
            return value


# convert(item, index, text): what a streamed item becomes (`text`: the item's own JSON text).
ItemConverter = Callable[[Any, int, str], Any]


def parse_streamed(chunks: Iterable[bytes], items_key: str, convert: ItemConverter) -> Dict[str, Any]:
    """Give back the JSON object read from `chunks`, its list member `items_key` made of convert(item, index, text).

    Raises ValueError (or RecursionError) where json.loads would; a body that is not an object is refused too,
    since only an object can carry the list. The error's `body` is the StreamedBody, read to its end: its `head`
    (first bytes) and `size` describe it.
    """
    body = StreamedBody(chunks)
    try:
        return _parse_object(body, items_key, convert)
    except (ValueError, RecursionError) as exc:
        body.drain()
        exc.body = body  # type: ignore[union-attr]  # an attribute of our own on the exception: the caller reads it
        raise


def _parse_object(body: StreamedBody, items_key: str, convert: ItemConverter) -> Dict[str, Any]:
    result: Dict[str, Any] = {}
    body.expect('{')
    if body.peek() == '}':
        body.pos += 1
    else:
        while True:
            key = body.value()
            if not isinstance(key, str):
                raise ValueError('an object key that is not a string at byte %d' % body.size)
            body.expect(':')
            if key == items_key and body.peek() == '[':
                body.pos += 1
                result[key] = _parse_items(body, convert)
            else:
                result[key] = body.value()
            if body.expect(',}') == '}':
                break
    if body.peek():
        raise ValueError('extra data after the object at byte %d' % body.size)
    return result


def _parse_items(body: StreamedBody, convert: ItemConverter) -> List[Any]:
    items: List[Any] = []
    if body.peek() == ']':
        body.pos += 1
        return items
    while True:
        item = body.value()
        items.append(convert(item, len(items), body.last_text))
        if body.expect(',]') == ']':
            return items
