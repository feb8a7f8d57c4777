# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""AK/SK request signing (SDK-HMAC-SHA256), as huaweicloudsdkcore's Signer and the API gateway do it."""

from __future__ import absolute_import, annotations, division, print_function
__metaclass__ = type

import datetime
import hashlib
import hmac

from typing import Dict, Iterable, Mapping, Optional, Tuple
from urllib.parse import quote, unquote, urlsplit


SIGNING_ALGORITHM = 'SDK-HMAC-SHA256'
EMPTY_BODY_SHA256 = hashlib.sha256(b'').hexdigest()


def _encode(text: str) -> str:
    return quote(text, safe='~')


def canonical_query_string(pairs: Iterable[Tuple[object, object]]) -> str:
    """Give back the query string the gateway signs; the URL sent must carry exactly this string."""
    # Sorted on the raw (key, value) pairs as the reference signer does, then each part encoded.
    return '&'.join('%s=%s' % (_encode(key), _encode(value)) for key, value in sorted((str(k), str(v)) for k, v in pairs))


def canonical_uri(path: str) -> str:
    """Give back the canonical path: each segment encoded, always ending in a slash."""
    # Decoded first, as the reference signer and the gateway do: a URL whose path is already
    # percent-encoded must not be encoded twice.
    encoded = '/'.join(_encode(segment) for segment in unquote(path).split('/'))
    return encoded if encoded.endswith('/') else encoded + '/'


def sign_request(method: str, url: str, headers: Mapping[str, str], access_key: str, secret_key: str,
                 body: bytes = b'', now: Optional[datetime.datetime] = None) -> Dict[str, str]:
    """Give back the headers to send, with X-Sdk-Date, Host and the Authorization signature added.

    `url` must already carry its query as produced by canonical_query_string().
    """
    parts = urlsplit(url)
    signed = dict((name.lower(), value) for name, value in headers.items())
    signed['host'] = parts.netloc
    now = now or datetime.datetime.now(datetime.timezone.utc)
    if now.tzinfo is not None:
        now = now.astimezone(datetime.timezone.utc)  # X-Sdk-Date is UTC; a local time would be off by its offset
    stamp = now.strftime('%Y%m%dT%H%M%SZ')
    signed['x-sdk-date'] = stamp
    # The reference signer leaves out header names with an underscore.
    signed_names = sorted(name for name in signed if '_' not in name)
    canonical_headers = ''.join('%s:%s\n' % (name, str(signed[name]).strip()) for name in signed_names)
    body_hash = hashlib.sha256(body).hexdigest() if body else EMPTY_BODY_SHA256
    canonical_request = '\n'.join((method.upper(), canonical_uri(parts.path), parts.query, canonical_headers,
                                   ';'.join(signed_names), body_hash))
    string_to_sign = '\n'.join((SIGNING_ALGORITHM, stamp, hashlib.sha256(canonical_request.encode('utf-8')).hexdigest()))
    signature = hmac.new(secret_key.encode('utf-8'), string_to_sign.encode('utf-8'), hashlib.sha256).hexdigest()
    result = dict(headers)
    result['Host'] = parts.netloc
    result['X-Sdk-Date'] = stamp
    result['Authorization'] = '%s Access=%s, SignedHeaders=%s, Signature=%s' % (
        SIGNING_ALGORITHM, access_key, ';'.join(signed_names), signature)
    return result
