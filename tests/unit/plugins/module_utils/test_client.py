# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""ApiClient against a real HTTP server on 127.0.0.1 that answers from a script: retries, errors, redaction."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ansible_collections.mlops.modelarts.plugins.module_utils._auth import ConnectionSettings
from ansible_collections.mlops.modelarts.plugins.module_utils import _client
from ansible_collections.mlops.modelarts.plugins.module_utils._client import ApiClient, Stopped
from ansible_collections.mlops.modelarts.plugins.module_utils._errors import ModelArtsError
from ansible_collections.mlops.modelarts.plugins.module_utils._versions import _PageDecoder

PROJECT_ID = '0a1b2c3d4e5f60718293a4b5c6d7e8f9'
PATH = '/v1/%s/training-jobs/versions' % PROJECT_ID
TOKEN = 'static-token-SECRET-0123456789'
ACCESS_KEY = 'ACCESSKEY-SECRET-0001'
SECRET_KEY = 'secret-key-SECRET-0001'
OK_BODY = {'is_success': True, 'total_count': 1, 'versions': [{'version_id': 1, 'status': 8}]}
DROP = 'drop'


def answer(status=200, body=None, headers=None, raw=None):
    """One scripted answer: a JSON body (or raw bytes) with a status and headers."""
    content = raw if raw is not None else json.dumps(OK_BODY if body is None else body).encode('utf-8')
    return dict(status=status, headers=dict(headers or {}), body=content)


def api_error(status, code, message):
    return answer(status, {'is_success': False, 'error_code': code, 'error_message': message})


class ScriptedServer(object):
    """An HTTP/1.1 server that gives the scripted answers in order (then 200 OK_BODY) and records requests."""

    def __init__(self):
        self.script = []
        self.received = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = 'HTTP/1.1'

            def do_GET(self):
                owner.received.append(dict(method='GET', path=self.path, headers=dict(self.headers.items()),
                                           connection=self.client_address))
                scripted = owner.script.pop(0) if owner.script else answer()
                if scripted == DROP:
                    self.close_connection = True
                    return
                self.send_response(scripted['status'])
                for name, value in scripted['headers'].items():
                    self.send_header(name, value)
                self.send_header('Content-Length', str(len(scripted['body'])))
                self.end_headers()
                self.wfile.write(scripted['body'])

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.httpd.daemon_threads = True
        self.url = 'http://127.0.0.1:%d' % self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever)
        self.thread.daemon = True

    def reset(self):
        self.script = []
        self.received = []


@pytest.fixture(scope='module')
def running_server():
    server = ScriptedServer()
    server.thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


@pytest.fixture
def server(running_server):
    running_server.reset()
    return running_server


class Sleeps(list):
    """Stands in for time.sleep: remembers the delays asked for, waits for none."""

    def __call__(self, seconds):
        self.append(seconds)


@pytest.fixture
def sleeps():
    return Sleeps()


def token_client(server, sleeps, **options):
    params = dict(endpoint=server.url, token=TOKEN, project_id=PROJECT_ID, retries=3)
    params.update(options)
    return ApiClient(ConnectionSettings(params), sleep=sleeps)


# -- what is retried

def test_429_is_retried_after_the_delay_the_server_asks_for(server, sleeps):
    server.script = [api_error(429, 'ModelArts.0011', 'Too many requests')]
    server.script[0]['headers']['Retry-After'] = '7'
    assert token_client(server, sleeps).get(PATH, [('limit', '0')]) == OK_BODY
    assert sleeps == [7.0]
    assert len(server.received) == 2


def test_retry_after_is_capped_at_one_minute(server, sleeps):
    server.script = [answer(429, headers={'Retry-After': '3600'})]
    token_client(server, sleeps).get(PATH, [])
    assert sleeps == [60.0]


def test_retry_after_as_a_past_http_date_retries_at_once(server, sleeps):
    server.script = [answer(429, headers={'Retry-After': 'Wed, 21 Oct 2015 07:28:00 GMT'})]
    token_client(server, sleeps).get(PATH, [])
    assert sleeps == [0.0]


def test_429_without_retry_after_backs_off(server, sleeps):
    server.script = [answer(429, {'is_success': False})]
    token_client(server, sleeps).get(PATH, [])
    assert len(sleeps) == 1
    assert 0.25 <= sleeps[0] <= 0.5


@pytest.mark.parametrize('status', [500, 502, 503, 504])
def test_server_errors_are_retried(server, sleeps, status):
    server.script = [api_error(status, 'ModelArts.0010', 'Internal error')]
    assert token_client(server, sleeps).get(PATH, []) == OK_BODY
    assert len(server.received) == 2


def test_html_gateway_page_is_retried(server, sleeps):
    server.script = [answer(502, raw=b'<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>',
                            headers={'Content-Type': 'text/html'})]
    assert token_client(server, sleeps).get(PATH, []) == OK_BODY


def test_dropped_connection_is_retried(server, sleeps):
    server.script = [DROP]
    assert token_client(server, sleeps).get(PATH, []) == OK_BODY
    assert len(server.received) == 2


def test_malformed_json_on_200_is_retried(server, sleeps):
    server.script = [answer(200, raw=b'{"is_success": true, "versions": [')]
    assert token_client(server, sleeps).get(PATH, []) == OK_BODY
    assert len(server.received) == 2


def test_empty_200_is_retried(server, sleeps):
    server.script = [answer(200, raw=b'')]
    assert token_client(server, sleeps).get(PATH, []) == OK_BODY


def test_backoff_grows_and_is_capped(server, sleeps):
    server.script = [answer(503, raw=b'')] * 11
    with pytest.raises(ModelArtsError):
        token_client(server, sleeps, retries=10).get(PATH, [])
    assert len(sleeps) == 10
    for attempt, delay in enumerate(sleeps):
        ceiling = min(20.0, 0.5 * 2 ** attempt)
        assert ceiling / 2 <= delay <= ceiling
    assert max(sleeps) <= 20.0


def test_retries_zero_asks_once(server, sleeps):
    server.script = [api_error(503, 'ModelArts.0010', 'Internal error')]
    with pytest.raises(ModelArtsError):
        token_client(server, sleeps, retries=0).get(PATH, [])
    assert len(server.received) == 1
    assert sleeps == []


# -- giving up, and errors that are not retried

def test_gives_up_after_retries_with_status_code_message_method_and_path(server, sleeps):
    server.script = [api_error(503, 'ModelArts.0010', 'Internal error')] * 3
    with pytest.raises(ModelArtsError) as caught:
        token_client(server, sleeps, retries=2).get(PATH, [('limit', '0')])
    error = caught.value
    assert len(server.received) == 3
    assert (error.status, error.error_code, error.method, error.path) == (503, 'ModelArts.0010', 'GET', PATH)
    assert str(error) == 'GET %s failed: HTTP 503: ModelArts.0010 Internal error (gave up after 3 attempts)' % PATH


def test_giving_up_on_dropped_connections_says_the_connection_failed(server, sleeps):
    server.script = [DROP] * 2
    with pytest.raises(ModelArtsError) as caught:
        token_client(server, sleeps, retries=1).get(PATH, [])
    message = str(caught.value)
    assert message.startswith('GET %s: connection failed to 127.0.0.1:' % PATH)
    assert message.endswith('(gave up after 2 attempts)')


def test_giving_up_on_an_html_page_names_its_title(server, sleeps):
    page = answer(502, raw=b'<html><head><title>502 Bad Gateway</title></head></html>', headers={'Content-Type': 'text/html'})
    server.script = [page] * 2
    with pytest.raises(ModelArtsError) as caught:
        token_client(server, sleeps, retries=1).get(PATH, [])
    assert "an HTML page titled '502 Bad Gateway'" in str(caught.value)
    assert caught.value.status == 502


def test_giving_up_on_malformed_json_says_the_body_is_not_json(server, sleeps):
    server.script = [answer(200, raw=b'{"is_success": true, "versions": [')] * 2
    with pytest.raises(ModelArtsError) as caught:
        token_client(server, sleeps, retries=1).get(PATH, [])
    assert 'HTTP 200 with a body that is not JSON' in str(caught.value)


def test_bad_request_with_a_modelarts_error_is_not_retried(server, sleeps):
    server.script = [api_error(400, 'ModelArts.2764', 'Invalid query parameter: offset')]
    with pytest.raises(ModelArtsError) as caught:
        token_client(server, sleeps).get(PATH, [('offset', 'x')])
    assert len(server.received) == 1
    assert sleeps == []
    assert (caught.value.status, caught.value.error_code) == (400, 'ModelArts.2764')
    assert str(caught.value) == 'GET %s failed: HTTP 400: ModelArts.2764 Invalid query parameter: offset' % PATH


def test_rejected_static_token_is_not_retried_and_says_to_check_credentials(server, sleeps):
    server.script = [api_error(401, 'ModelArts.0203', 'invalid token')]
    with pytest.raises(ModelArtsError) as caught:
        token_client(server, sleeps).get(PATH, [])
    assert len(server.received) == 1
    assert 'check the credentials' in str(caught.value)


def test_forbidden_says_to_check_project_and_permissions(server, sleeps):
    server.script = [api_error(403, 'ModelArts.0210', 'project id does not match')]
    with pytest.raises(ModelArtsError) as caught:
        token_client(server, sleeps).get(PATH, [])
    assert 'check project_id and the IAM permissions' in str(caught.value)


def test_is_success_false_on_a_200_is_an_error(server, sleeps):
    server.script = [answer(200, {'is_success': False, 'error_message': 'Error string', 'error_code': 'ModelArts.0105'})]
    with pytest.raises(ModelArtsError) as caught:
        token_client(server, sleeps).get(PATH, [])
    assert (caught.value.status, caught.value.error_code) == (200, 'ModelArts.0105')
    assert 'ModelArts.0105 Error string' in str(caught.value)


def test_older_error_msg_field_is_read(server, sleeps):
    server.script = [answer(404, {'error_code': 'ModelArts.0015', 'error_msg': 'resource does not exist'})]
    with pytest.raises(ModelArtsError) as caught:
        token_client(server, sleeps).get(PATH, [])
    assert 'ModelArts.0015 resource does not exist' in str(caught.value)


@pytest.mark.parametrize('auth', ['token', 'aksk'])
def test_error_messages_never_carry_a_secret(server, sleeps, auth):
    echo = 'credentials %s %s %s rejected' % (TOKEN, ACCESS_KEY, SECRET_KEY)
    server.script = [api_error(401, 'ModelArts.0206', echo)]
    if auth == 'token':
        client = token_client(server, sleeps)
    else:
        client = ApiClient(ConnectionSettings(dict(endpoint=server.url, access_key=ACCESS_KEY, secret_key=SECRET_KEY,
                                                   project_id=PROJECT_ID)), sleep=sleeps)
    with pytest.raises(ModelArtsError) as caught:
        client.get(PATH, [])
    message = str(caught.value)
    assert 'rejected' in message
    for secret in (TOKEN,) if auth == 'token' else (ACCESS_KEY, SECRET_KEY):
        assert secret not in message


# -- hostile servers (docs/reliability.md, "Hostile input")

def test_deeply_nested_json_is_a_body_that_is_not_json(server, sleeps):
    deep = b'[' * 100000 + b']' * 100000
    server.script = [answer(raw=deep)] * 4
    with pytest.raises(ModelArtsError) as caught:
        token_client(server, sleeps).get(PATH, [])
    assert 'HTTP 200 with a body that is not JSON' in str(caught.value) and 'GET %s' % PATH in str(caught.value)
    assert len(sleeps) == 3  # retried like any unreadable answer


@pytest.mark.parametrize('depth', [950, 3000])
def test_a_secret_echoed_deep_inside_nested_json_never_comes_back(server, sleeps, depth):
    # Depending on the Python version, such a body parses and is redacted, or is too deep: a body that is not JSON.
    deep = ('[' * depth + '"%s"' % TOKEN + ']' * depth).encode('ascii')
    server.script = [answer(raw=deep)] * 4
    try:
        data = token_client(server, sleeps).get(PATH, [])
    except ModelArtsError as exc:
        assert 'with a body that is not JSON' in str(exc) and TOKEN not in str(exc)
    else:
        while isinstance(data, list):
            data = data[0]
        assert data == '********'


def test_a_token_echoed_in_error_code_is_redacted_in_every_error_field(server, sleeps):
    server.script = [api_error(400, TOKEN, 'bad header X-Auth-Token: %s' % TOKEN)]
    with pytest.raises(ModelArtsError) as caught:
        token_client(server, sleeps).get(PATH, [])
    assert TOKEN not in str(caught.value) and TOKEN not in repr(caught.value.as_dict())
    assert caught.value.error_code == '********'


def test_a_token_echoed_inside_a_versions_answer_is_redacted(server, sleeps):
    escaped = ''.join('\\u%04x' % ord(character) for character in TOKEN)  # spelled with JSON escapes
    raw = ('{"total_count": 2, "versions": [{"version_id": 1, "version_name": "%s"}, '
           '{"version_id": 2, "version_desc": "%s"}]}' % (TOKEN, escaped)).encode('ascii')
    server.script = [answer(raw=raw)]
    data = token_client(server, sleeps).get(PATH, [])
    assert [data['versions'][0]['version_name'], data['versions'][1]['version_desc']] == ['********', '********']


def test_secrets_the_client_holds_join_the_no_log_values(server, sleeps):
    no_log_values = set()
    client = ApiClient(ConnectionSettings(dict(endpoint=server.url, token=TOKEN, project_id=PROJECT_ID)), sleep=sleeps,
                       no_log_values=no_log_values)
    client.close()
    assert TOKEN in no_log_values


# -- what is sent

def test_token_is_sent_as_x_auth_token(server, sleeps):
    token_client(server, sleeps).get(PATH, [])
    assert server.received[0]['headers']['X-Auth-Token'] == TOKEN


def test_query_is_sent_in_its_canonical_form(server, sleeps):
    token_client(server, sleeps).get(PATH, [('pool_id', 'a b/c'), ('limit', '0')])
    assert server.received[0]['path'] == PATH + '?limit=0&pool_id=a%20b%2Fc'


def test_aksk_requests_carry_a_signature_date_and_project(server, sleeps):
    settings = ConnectionSettings(dict(endpoint=server.url, access_key=ACCESS_KEY, secret_key=SECRET_KEY,
                                       project_id=PROJECT_ID, security_token='sts-token'))
    ApiClient(settings, sleep=sleeps).get(PATH, [])
    headers = server.received[0]['headers']
    assert headers['Authorization'].startswith('SDK-HMAC-SHA256 Access=%s, SignedHeaders=host;x-project-id;'
                                               'x-sdk-date;x-security-token, Signature=' % ACCESS_KEY)
    assert headers['X-Project-Id'] == PROJECT_ID
    assert headers['X-Security-Token'] == 'sts-token'
    assert len(headers['X-Sdk-Date']) == len('20260102T030405Z')


def test_pages_are_asked_on_one_kept_alive_connection(server, sleeps):
    client = token_client(server, sleeps)
    for offset in range(3):
        client.get(PATH, [('offset', str(offset))])
    assert len(set(request['connection'] for request in server.received)) == 1
    assert client.requests_sent == 3


# -- answers parsed as they arrive (summary-only queries: _PageDecoder, _json_stream)

JSON_TYPE = {'Content-Type': 'application/json;charset=UTF-8'}


def as_json(scripted):
    """The scripted answer labelled JSON, as ModelArts labels its answers: the client then parses it as it arrives."""
    if scripted != DROP:
        scripted = dict(scripted, headers=dict(JSON_TYPE, **scripted['headers']))
    return scripted


def streamed_get(client, pairs=()):
    decoder = _PageDecoder(PATH, lambda version: ('brief', version['version_id'], version.get('version_name')),
                           streamed=True)
    return client.get(PATH, list(pairs), decode=decoder)


STREAMED_FAULTS = {
    'malformed JSON': answer(200, raw=b'{"is_success": true, "versions": ['),
    'an empty body': answer(200, raw=b''),
    'nesting deeper than Python recurses': answer(200, raw=b'{"versions": [' + b'[' * 100000 + b']' * 100000 + b']}'),
    'is_success false for an internal error': answer(200, {'is_success': False, 'error_code': 'ModelArts.0010',
                                                           'error_message': 'Internal error'}),
    'a dropped connection': DROP,
    'a 503': api_error(503, 'ModelArts.0010', 'Internal error'),
    'an HTML page labelled HTML': answer(200, raw=b'<html><title>oops</title></html>', headers={'Content-Type': 'text/html'}),
}


@pytest.mark.parametrize('fault', sorted(STREAMED_FAULTS))
def test_a_streamed_answer_is_retried_like_a_whole_one(server, sleeps, fault):
    server.script = [as_json(STREAMED_FAULTS[fault])]
    assert streamed_get(token_client(server, sleeps)) == ([('brief', 1, None)], 1)
    assert len(server.received) == 2 and len(sleeps) == 1


def test_a_streamed_answer_converts_each_version_and_checks_it_as_parse_page_does(server, sleeps, monkeypatch):
    parsed_as_they_arrive = []
    real = _client.parse_streamed
    monkeypatch.setattr(_client, 'parse_streamed', lambda *args: parsed_as_they_arrive.append(1) or real(*args))
    body = {'total_count': '3', 'versions': [{'version_id': '7', 'version_name': 'a'}, {'version_id': 8}]}
    server.script = [as_json(answer(200, body))]
    assert streamed_get(token_client(server, sleeps)) == ([('brief', 7, 'a'), ('brief', 8, None)], 3)
    assert parsed_as_they_arrive == [1]
    server.script = [as_json(answer(200, {'versions': [{'version_id': 1}, 'not an object']}))]
    with pytest.raises(ModelArtsError) as caught:
        streamed_get(token_client(server, sleeps))
    assert str(caught.value) == 'GET %s answered a version that is not an object (item 1)' % PATH


def test_giving_up_on_a_streamed_body_describes_all_of_it(server, sleeps):
    raw = b'{"versions": [{"version_id": 1}], "total_count": 1 garbage' + b'x' * 50000
    server.script = [as_json(answer(200, raw=raw))] * 2
    with pytest.raises(ModelArtsError) as caught:
        streamed_get(token_client(server, sleeps, retries=1))
    assert str(caught.value).startswith("GET %s: HTTP 200 with a body that is not JSON (%d bytes starting "
                                        "'{\"versions\"" % (PATH, len(raw)))
    assert str(caught.value).endswith('(gave up after 2 attempts)')


def test_a_streamed_answer_keeps_its_connection_alive(server, sleeps):
    client = token_client(server, sleeps)
    server.script = [as_json(answer()) for dummy in range(3)]
    for dummy in range(3):
        streamed_get(client)
    assert len(set(request['connection'] for request in server.received)) == 1


def test_a_token_echoed_inside_a_streamed_versions_answer_is_redacted(server, sleeps):
    escaped = ''.join('\\u%04x' % ord(character) for character in TOKEN)  # spelled with JSON escapes
    raw = ('{"total_count": 2, "versions": [{"version_id": 1, "version_name": "%s"}, '
           '{"version_id": 2, "version_name": "x%sx"}]}' % (TOKEN, escaped)).encode('ascii')
    server.script = [as_json(answer(raw=raw))]
    assert streamed_get(token_client(server, sleeps)) == ([('brief', 1, '********'), ('brief', 2, 'x********x')], 2)


def test_a_token_echoed_in_a_streamed_error_is_redacted(server, sleeps):
    server.script = [as_json(answer(200, {'is_success': False, 'error_code': 'ModelArts.0105',
                                          'error_message': 'bad token %s' % TOKEN, 'versions': []}))]
    with pytest.raises(ModelArtsError) as caught:
        streamed_get(token_client(server, sleeps))
    assert TOKEN not in str(caught.value) and 'ModelArts.0105 bad token ********' in str(caught.value)


def test_a_request_waiting_for_a_session_is_not_sent_once_the_query_has_failed(server, sleeps):
    client = token_client(server, sleeps, max_concurrent_requests=1)
    held = client._checkout_session()  # another request of the query holds the only session
    outcome = []

    def waiting_request():
        try:
            client.get(PATH, [])
        except Stopped:
            outcome.append('stopped')
        else:
            outcome.append('sent')

    thread = threading.Thread(target=waiting_request)
    thread.start()
    thread.join(0.2)
    assert thread.is_alive()  # it waits for the session
    client.stopping.set()  # the request holding it has failed the query
    client._checkin_session(held)
    thread.join(5)
    assert outcome == ['stopped'] and server.received == []
