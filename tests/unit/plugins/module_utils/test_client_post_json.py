# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""ApiClient.post_json against a real HTTP server on 127.0.0.1: the bytes sent, their AK/SK signature, v2 errors."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ansible_collections.mlops.modelarts.plugins.module_utils._auth import ConnectionSettings
from ansible_collections.mlops.modelarts.plugins.module_utils._client import ApiClient
from ansible_collections.mlops.modelarts.plugins.module_utils._errors import ModelArtsError

sdk_signer = pytest.importorskip('huaweicloudsdkcore.signer.signer', reason='huaweicloudsdkcore is the reference signer')
sdk_request = pytest.importorskip('huaweicloudsdkcore.sdk_request', reason='huaweicloudsdkcore is the reference signer')
sdk_credentials = pytest.importorskip('huaweicloudsdkcore.auth.credentials', reason='huaweicloudsdkcore is the reference signer')

PROJECT_ID = '0a1b2c3d4e5f60718293a4b5c6d7e8f9'
SEARCH_PATH = '/v2/%s/training-job-searches' % PROJECT_ID
TOKEN = 'static-token-SECRET-0123456789'
ACCESS_KEY = 'ACCESSKEY-SECRET-0001'
SECRET_KEY = 'secret-key-SECRET-0001'
SEARCH = {'offset': 0, 'limit': 50, 'filters': [{'key': 'phase', 'operator': 'in', 'value': ['Running', 'Pending']}],
          'workspace_id': '0', 'name': u'r\u00e9sum\u00e9'}
FOUND = {'total': 5059, 'count': 1, 'items': [{'kind': 'job', 'metadata': {'id': 'a-uuid', 'name': 'job-1'}}]}


class RecordingServer(object):
    """Answers POSTs with the scripted (status, body) pairs in order (then 200 FOUND) and records what arrived."""

    def __init__(self):
        self.script = []
        self.received = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = 'HTTP/1.1'

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get('Content-Length') or 0))
                owner.received.append(dict(path=self.path, headers=dict(self.headers.items()), body=body))
                status, answer = owner.script.pop(0) if owner.script else (200, FOUND)
                content = json.dumps(answer).encode('utf-8')
                self.send_response(status)
                self.send_header('Content-Type', 'application/json')
                self.send_header('Content-Length', str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.httpd.daemon_threads = True
        self.url = 'http://127.0.0.1:%d' % self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)


@pytest.fixture
def server():
    server = RecordingServer()
    server.thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


def client_for(server, **credentials):
    params = dict(endpoint=server.url, project_id=PROJECT_ID, retries=2, **credentials)
    return ApiClient(ConnectionSettings(params), sleep=lambda seconds: None)


def sdk_authorization(received, host):
    """Give back the Authorization Huawei's SDK signer computes for a request as it arrived (its bytes included)."""
    headers = dict((name, value) for name, value in received['headers'].items()
                   if name.lower() not in ('authorization', 'host', 'content-length', 'user-agent', 'accept',
                                           'accept-encoding', 'connection'))
    request = sdk_request.SdkRequest(method='POST', schema='http', host=host, resource_path=received['path'],
                                     query_params=[], header_params=headers, body=received['body'])
    sdk_signer.Signer(sdk_credentials.BasicCredentials(ACCESS_KEY, SECRET_KEY)).sign(request)
    return request.header_params['Authorization']


def test_post_json_sends_the_body_as_json_and_gives_back_the_parsed_answer(server):
    assert client_for(server, token=TOKEN).post_json(SEARCH_PATH, SEARCH) == FOUND
    received, = server.received
    assert received['path'] == SEARCH_PATH
    assert received['headers']['Content-Type'] == 'application/json'
    assert received['headers']['X-Auth-Token'] == TOKEN
    assert json.loads(received['body'].decode('utf-8')) == SEARCH


def test_an_aksk_signature_covers_the_bytes_of_the_body_as_huaweis_signer_computes_it(server):
    client_for(server, access_key=ACCESS_KEY, secret_key=SECRET_KEY).post_json(SEARCH_PATH, SEARCH)
    received, = server.received
    host = server.url.split('://', 1)[1]
    assert received['headers']['Authorization'] == sdk_authorization(received, host)
    # The same request with an empty body signs differently: the body is what this signature covers.
    assert received['headers']['Authorization'] != sdk_authorization(dict(received, body=b''), host)


def test_a_retried_post_sends_the_same_bytes_again(server):
    server.script = [(503, {'error_code': 'ModelArts.0010', 'error_msg': 'busy'})]
    client_for(server, access_key=ACCESS_KEY, secret_key=SECRET_KEY).post_json(SEARCH_PATH, SEARCH)
    first, second = server.received
    assert first['body'] == second['body']
    host = server.url.split('://', 1)[1]
    assert second['headers']['Authorization'] == sdk_authorization(second, host)


def test_a_v2_error_names_its_code_and_error_msg(server):
    server.script = [(400, {'error_code': 'ModelArts.2763', 'error_msg': 'Invalid filter key.'})]
    with pytest.raises(ModelArtsError) as caught:
        client_for(server, token=TOKEN).post_json(SEARCH_PATH, SEARCH)
    assert str(caught.value) == 'POST %s failed: HTTP 400: ModelArts.2763 Invalid filter key.' % SEARCH_PATH
    assert caught.value.error_code == 'ModelArts.2763' and caught.value.status == 400
