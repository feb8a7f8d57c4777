# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The AK/SK signer gives the same Authorization header as Huawei's own huaweicloudsdkcore Signer."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime
from urllib.parse import quote

import pytest
from hypothesis import given, settings, strategies

from ansible_collections.mlops.modelarts.plugins.module_utils._signer import (
    canonical_query_string, canonical_uri, sign_request,
)

sdk_signer = pytest.importorskip('huaweicloudsdkcore.signer.signer', reason='huaweicloudsdkcore is the reference signer')
sdk_request = pytest.importorskip('huaweicloudsdkcore.sdk_request', reason='huaweicloudsdkcore is the reference signer')
sdk_credentials = pytest.importorskip('huaweicloudsdkcore.auth.credentials', reason='huaweicloudsdkcore is the reference signer')

ACCESS_KEY = 'HPUAEXAMPLEACCESSKEY'
SECRET_KEY = 'example-secret-key/with+symbols='
HOST = 'modelarts.eu-de.otc.t-systems.com'
NOW = datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
SDK_DATE = '20260102T030405Z'
VERSIONS_PATH = '/v1/0a1b2c3d4e5f60718293a4b5c6d7e8f9/training-jobs/versions'

# (id, path, query pairs, extra headers)
REQUESTS = [
    ('plain listing', VERSIONS_PATH, [('limit', '0')], {}),
    ('every query option', VERSIONS_PATH,
     [('sort_by', 'create_time'), ('order', 'desc'), ('workspace_id', '0'), ('pool_id', 'pool-gpu-a'),
      ('status', '8'), ('limit', '50'), ('offset', '100')], {}),
    ('empty query', VERSIONS_PATH, [], {}),
    ('empty value', VERSIONS_PATH, [('pool_id', ''), ('limit', '0')], {}),
    ('spaces in path and query', '/v1/my project/training-jobs/versions', [('pool_id', 'pool with spaces')], {}),
    ('unicode in path and query', u'/v1/projekt-\u00fc\u00df/training-jobs/versions',
     [('pool_id', u'gpu-\u6c60'), ('workspace_id', u'\u00e9t\u00e9')], {}),
    ('tilde stays as it is', '/v1/~user/training-jobs/versions', [('pool_id', 'a~b')], {}),
    ('slash in a query value', VERSIONS_PATH, [('pool_id', 'a/b/c')], {}),
    ('reserved characters in query', VERSIONS_PATH, [('pool_id', 'a&b=c+d%e?f#g')], {}),
    ('repeated keys', VERSIONS_PATH, [('status', '8'), ('status', '10'), ('status', '1')], {}),
    ('keys that sort before their values', VERSIONS_PATH, [('a', 'z'), ('a-b', 'a'), ('ab', ''), ('A', 'x')], {}),
    ('path with a trailing slash', VERSIONS_PATH + '/', [('limit', '1')], {}),
    ('project id header', VERSIONS_PATH, [('limit', '0')], {'X-Project-Id': '0a1b2c3d4e5f60718293a4b5c6d7e8f9'}),
    ('security token', VERSIONS_PATH, [('limit', '0')],
     {'X-Project-Id': '0a1b2c3d4e5f60718293a4b5c6d7e8f9', 'X-Security-Token': 'gQpjbi1ub3J0aC00iZYtdGVzdA=='}),
    ('header value with surrounding spaces', VERSIONS_PATH, [], {'X-Project-Id': '  padded  '}),
    ('header name with an underscore is not signed', VERSIONS_PATH, [], {'X_Custom': 'x', 'Content-Type': 'application/json'}),
]


def _sdk_authorization(path, pairs, headers, host=HOST):
    header_params = dict(headers)
    header_params['X-Sdk-Date'] = SDK_DATE
    request = sdk_request.SdkRequest(method='GET', schema='https', host=host, resource_path=path,
                                     query_params=list(pairs), header_params=header_params)
    sdk_signer.Signer(sdk_credentials.BasicCredentials(ACCESS_KEY, SECRET_KEY)).sign(request)
    return request.header_params['Authorization'], request.uri


def _our_headers(path, pairs, headers, host=HOST, now=NOW):
    query = canonical_query_string(pairs)
    url = 'https://%s%s%s' % (host, path, '?' + query if query else '')
    return sign_request('GET', url, dict(headers), ACCESS_KEY, SECRET_KEY, now=now)


@pytest.mark.parametrize('path, pairs, headers', [case[1:] for case in REQUESTS], ids=[case[0] for case in REQUESTS])
def test_signature_matches_huawei_sdk_signer(path, pairs, headers):
    expected, dummy = _sdk_authorization(path, pairs, headers)
    assert _our_headers(path, pairs, headers)['Authorization'] == expected


@pytest.mark.parametrize('path, pairs, headers', [case[1:] for case in REQUESTS], ids=[case[0] for case in REQUESTS])
def test_query_sent_is_the_query_huawei_sdk_sends(path, pairs, headers):
    dummy, sdk_uri = _sdk_authorization(path, pairs, headers)
    sdk_query = sdk_uri.partition('?')[2]
    assert canonical_query_string(pairs) == sdk_query


def test_signature_matches_huawei_sdk_for_a_host_with_a_port():
    expected, dummy = _sdk_authorization(VERSIONS_PATH, [('limit', '0')], {}, host='127.0.0.1:8443')
    assert _our_headers(VERSIONS_PATH, [('limit', '0')], {}, host='127.0.0.1:8443')['Authorization'] == expected


def test_percent_encoded_path_is_signed_like_the_decoded_path():
    # The gateway decodes the path it receives before signing it: an already encoded URL must not be encoded twice.
    path = u'/v1/my project/\u00fc~/versions'
    expected, dummy = _sdk_authorization(path, [], {})
    assert _our_headers(quote(path, safe='/~'), [], {})['Authorization'] == expected


def test_signature_names_signed_headers_sorted_and_lower_case():
    headers = _our_headers(VERSIONS_PATH, [], {'X-Security-Token': 'sts', 'X-Project-Id': 'p'})
    assert 'SignedHeaders=host;x-project-id;x-sdk-date;x-security-token,' in headers['Authorization']


def test_signed_request_carries_date_host_and_access_key():
    headers = _our_headers(VERSIONS_PATH, [('limit', '0')], {})
    assert headers['X-Sdk-Date'] == SDK_DATE
    assert headers['Host'] == HOST
    assert headers['Authorization'].startswith('SDK-HMAC-SHA256 Access=%s, ' % ACCESS_KEY)


def test_signed_request_never_carries_the_secret_key():
    headers = _our_headers(VERSIONS_PATH, [('limit', '0')], {'X-Security-Token': 'sts'})
    assert not any(SECRET_KEY in str(value) for value in headers.values())


def test_date_in_another_time_zone_is_sent_as_utc():
    plus_two = datetime.timezone(datetime.timedelta(hours=2))
    headers = _our_headers(VERSIONS_PATH, [], {}, now=NOW.astimezone(plus_two))
    expected, dummy = _sdk_authorization(VERSIONS_PATH, [], {})
    assert headers['X-Sdk-Date'] == SDK_DATE
    assert headers['Authorization'] == expected


def test_signature_changes_with_the_query():
    first = _our_headers(VERSIONS_PATH, [('limit', '1')], {})['Authorization']
    second = _our_headers(VERSIONS_PATH, [('limit', '2')], {})['Authorization']
    assert first != second


def test_canonical_uri_always_ends_in_a_slash():
    assert canonical_uri('/v1/p/training-jobs/versions') == '/v1/p/training-jobs/versions/'
    assert canonical_uri('/v1/p/training-jobs/versions/') == '/v1/p/training-jobs/versions/'


def test_canonical_query_string_sorts_pairs_and_encodes_keys_and_values():
    assert canonical_query_string([('b', 'x y'), ('a', '2'), ('a', '1')]) == 'a=1&a=2&b=x%20y'


# Control characters aside: urlsplit() drops tabs and newlines from URLs, and no real path holds one.
_TEXT = strategies.text(strategies.characters(blacklist_categories=('Cs', 'Cc')), max_size=12)
_SEGMENT = _TEXT.filter(lambda text: '/' not in text)


@settings(max_examples=150, deadline=None)
@given(segments=strategies.lists(_SEGMENT, min_size=1, max_size=4),
       pairs=strategies.lists(strategies.tuples(_TEXT, _TEXT), max_size=5),
       security_token=strategies.one_of(strategies.none(), strategies.text(strategies.characters(min_codepoint=33, max_codepoint=126), min_size=1)))
def test_signature_matches_huawei_sdk_signer_for_any_path_and_query(segments, pairs, security_token):
    # Both get the path as it goes on the wire (percent-encoded), as the SDK's own clients build it.
    path = quote('/' + '/'.join(segments), safe='/~')
    headers = {'X-Security-Token': security_token} if security_token else {}
    expected, dummy = _sdk_authorization(path, pairs, headers)
    assert _our_headers(path, pairs, headers)['Authorization'] == expected
