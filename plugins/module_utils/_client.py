# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""HTTP for one query: a few requests.Sessions (one per concurrent request, keep-alive each), timeouts, TLS,
retries with jittered backoff, a 429 pause shared by every worker, API errors."""

from __future__ import absolute_import, annotations, division, print_function
__metaclass__ = type

import json
import random
import threading
import time
import traceback
import warnings
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterator, List, Mapping, Optional, Set, Tuple, TypeVar, Union
from urllib.parse import urlsplit

from ansible_collections.mlops.modelarts.plugins.module_utils._answers import (  # noqa: F401 pylint: disable=unused-import
    RETRY_AFTER_CAP_SECONDS, api_error, describe_body, mebibytes, resolved_escapes, retry_after_seconds, transport_reason,
)
from ansible_collections.mlops.modelarts.plugins.module_utils._auth import build_authenticator, canonical_query_string
from ansible_collections.mlops.modelarts.plugins.module_utils._errors import ModelArtsError, redact, redact_data, register_secrets
from ansible_collections.mlops.modelarts.plugins.module_utils._json_stream import CHUNK_BYTES as STREAM_CHUNK_BYTES, parse_streamed
from ansible_collections.mlops.modelarts.plugins.module_utils._query_client import QueryClient

try:
    import requests
    from urllib3.exceptions import DecodeError, HTTPError as Urllib3Error, InsecureRequestWarning, ProtocolError, SSLError
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError:  # pragma: no cover - reported by the plugins with missing_required_lib
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

if TYPE_CHECKING:
    from ansible_collections.mlops.modelarts.plugins.module_utils._settings import ConnectionSettings

# What one attempt's `read` makes of the response (its bytes, or a decoded page).
_Read = TypeVar('_Read')

RETRYABLE_STATUSES = frozenset((429, 500, 502, 503, 504))
# 401 codes that mean "this token is no good any more": worth one fresh login.
TOKEN_EXPIRED_CODES = frozenset(('ModelArts.0202', 'ModelArts.0203', 'ModelArts.0201'))
# error_code of a server-side fault (the code a 500 carries): retried like a 5xx when it comes with a 200.
SERVER_FAULT_CODES = frozenset(('ModelArts.0010',))
BACKOFF_BASE_SECONDS = 0.5
BACKOFF_CAP_SECONDS = 20.0
# A wait that timed out this close to the query's deadline (or after it) was cut short by the deadline.
DEADLINE_SLACK_SECONDS = 0.05
USER_AGENT = 'mlops.modelarts-ansible-collection'
# The most one answer may hold, in bytes, both as sent (compressed or not) and once decompressed: requests inflates
# gzip and deflate on its own, so a 1 MiB gzip bomb (or a 1 GiB body) would otherwise grow the process past 3 GiB.
# The largest legitimate answer is a limit=0 one (every version of a status at once). One query never receives more
# than 250,000 versions (_versions.MAX_VERSIONS_RECEIVED, 5 times the largest project measured) and a version is
# about 260 bytes of JSON (50,000 in 12.9 MB, docs/performance.md): the largest answer a query can use is about
# 62 MiB. Twice that leaves room for long names and descriptions; an answer held whole costs at most this much
# before it is parsed, the same order as the versions ceiling (about 1 GB parsed). Not an option: no real answer
# reaches it, and an answer beyond it is not retried (the same server would send it again).
MAX_ANSWER_BYTES = 128 * 1024 * 1024
# Bytes asked for per read of a whole body: few calls per megabyte, and the limits are checked after each read.
WHOLE_BODY_READ_BYTES = 262144


def backoff_delay(attempt: int, base: float = BACKOFF_BASE_SECONDS, cap: float = BACKOFF_CAP_SECONDS) -> float:
    """Give back the sleep before retry number `attempt` (0-based): exponential, capped, with full jitter."""
    ceiling = min(cap, base * (2 ** attempt))
    # Full jitter spreads the retries of many forks hitting the same throttled endpoint.
    return random.uniform(ceiling / 2.0, ceiling)


_SILENCED: List[bool] = []


def _silence_insecure_request_warnings() -> None:
    """Ignore urllib3's InsecureRequestWarning from now on in this process (once validate_certs false is used).

    The plugins warn once that validate_certs is false; urllib3 would repeat it on stderr for every request. A
    catch_warnings() block around each request is not thread-safe: with requests in flight on several threads (both
    training APIs at once), one thread leaving its block restores the filters while another's request runs.
    """
    if not _SILENCED:
        warnings.filterwarnings('ignore', category=InsecureRequestWarning)
        _SILENCED.append(True)


class _RetryableAnswer(Exception):
    """An answer worth asking again (throttled, server fault, unreadable body); carries the final error."""

    def __init__(self, error: ModelArtsError, delay: Optional[float] = None) -> None:
        super(_RetryableAnswer, self).__init__(str(error))
        self.error = error
        self.delay = delay


class Stopped(Exception):
    """Raised in a worker when another request of the same query has failed: its answer is no longer wanted."""


class ApiClient(QueryClient):
    """Talks to one ModelArts project: authenticates, retries, and turns every failure into ModelArtsError.

    Safe to call from several threads: each request in flight has a requests.Session of its own (a Session is
    not thread-safe), taken from a pool of at most max_concurrent_requests, so there are never more sessions
    (and keep-alive connections) than requests that may run at once.
    """

    def __init__(self, settings: ConnectionSettings, session: Optional[requests.Session] = None,
                 sleep: Callable[[float], Any] = time.sleep, no_log_values: Optional[Set[str]] = None) -> None:
        QueryClient.__init__(self)  # the stop event and the running query's deadline (see QueryClient)
        self.settings = settings
        # Secrets read from clouds.yaml and tokens IAM issues join the caller's no_log values (None: nobody's).
        self.no_log_values = no_log_values
        register_secrets(no_log_values, settings.secrets())
        self.max_concurrent_requests = settings.max_concurrent_requests
        self.session = session or requests.Session()
        self.session.headers['User-Agent'] = USER_AGENT
        self.session.verify = settings.tls_verify()
        self._sleep = sleep
        self._idle_sessions = [self.session]
        self._all_sessions = [self.session]
        self._sessions_free = threading.Condition()
        self._lock = threading.Lock()
        self._decode_lock = threading.Lock()
        self._resume_at = 0.0  # time.monotonic() before which no request is sent (a 429 pauses every worker)
        self.authenticator = build_authenticator(settings, self.send)
        self.requests_sent = 0
        self.retries_done = 0
        self._project_id: Optional[str] = None

    # -- public -----------------------------------------------------------------------------------------------

    # QueryClient declares a plain attribute, which a stand-in sets; here the property resolves it once.
    @property
    def project_id(self) -> Optional[str]:  # type: ignore[override]
        """The project the query runs in; a password login resolves it from project_name."""
        if self._project_id is None:
            self._project_id = self.authenticator.resolve_project(self.settings)
        return self._project_id

    @property
    def endpoint(self) -> str:
        """The ModelArts base URL: given, derived from the region, or taken from the IAM catalog."""
        endpoint = self.settings.endpoint
        if not endpoint:
            self.project_id  # a password login fills the catalog endpoint
            endpoint = getattr(self.authenticator, 'catalog_endpoint', None)
            if not endpoint:
                raise ModelArtsError('no ModelArts endpoint: set endpoint or a known region '
                                     '(the IAM catalog listed no modelarts service for region %r)' % self.settings.region)
        return endpoint

    def get(self, path: str, query_pairs: List[Tuple[str, Any]], decode: Any = None) -> Any:
        """Give back the parsed JSON of a GET on the ModelArts endpoint (query as a list of pairs).

        With `decode`, give back decode(parsed JSON) instead; parsing and decoding then happen one answer at a
        time across threads, so that concurrent requests never hold more than one whole parsed answer.
        """
        query = canonical_query_string(query_pairs)
        url = self.endpoint + path + ('?' + query if query else '')
        dummy, data = self.send('GET', url, {}, None, decode=decode)
        return data

    def post_json(self, path: str, body: Any, decode: Any = None) -> Any:
        """Give back the parsed JSON of a POST of `body` (plain data) as JSON to the ModelArts endpoint.

        The body is serialised once and those exact bytes are sent, and signed (AK/SK), on every attempt. Only for
        requests that read (the v2 training job search): a failed attempt is retried as a GET is. `decode` as get().
        """
        dummy, data = self.send('POST', self.endpoint + path, {'Content-Type': 'application/json'}, body, decode=decode)
        return data

    def close(self) -> None:
        register_secrets(self.no_log_values, self.secrets())
        for session in self._all_sessions:
            session.close()

    def _checkout_session(self) -> requests.Session:
        with self._sessions_free:
            while not self._idle_sessions:
                if len(self._all_sessions) < self.max_concurrent_requests:
                    session = requests.Session()
                    session.headers.update(self.session.headers)
                    session.verify = self.session.verify
                    session.trust_env = self.session.trust_env
                    session.proxies = dict(self.session.proxies)
                    self._all_sessions.append(session)
                    return session
                self._sessions_free.wait()
            # Last in, first out: a sequential stretch keeps reusing one session and its connection.
            return self._idle_sessions.pop()

    def _checkin_session(self, session: requests.Session) -> None:
        with self._sessions_free:
            self._idle_sessions.append(session)
            self._sessions_free.notify()

    def _pause(self, delay: float) -> None:
        """Hold back every worker's next request for `delay` seconds (the server is throttling us)."""
        with self._lock:
            self._resume_at = max(self._resume_at, time.monotonic() + delay)

    def _wait_if_paused(self) -> None:
        with self._lock:
            remaining = self._resume_at - time.monotonic()
        if remaining > 0:
            self._doze(remaining)

    def _doze(self, seconds: float) -> None:
        """Sleep, but wake up at once when another request of the query has failed (see stopping)."""
        if self._sleep is time.sleep:
            self.stopping.wait(seconds)
        else:
            self._sleep(seconds)  # a test's stand-in

    def _count(self, name: str) -> None:
        with self._lock:
            setattr(self, name, getattr(self, name) + 1)

    def secrets(self) -> List[str]:
        """Give back every secret in play, issued tokens included, for redaction."""
        issued: List[str] = getattr(self.authenticator, 'secrets', lambda: [])()
        return self.settings.secrets() + issued

    # -- the retry loop -----------------------------------------------------------------------------------------

    def send(self, method: str, url: str, headers: Mapping[str, str], body: Any, authenticate: bool = True,
             decode: Any = None) -> Tuple[requests.Response, Any]:
        """Give back (response, parsed JSON) for one logical request, retrying what is worth retrying."""
        path = urlsplit(url).path
        payload = json.dumps(body).encode('utf-8') if body is not None else None
        renewed = False
        attempt = 0
        paused_here = False
        while True:
            if self.stopping.is_set():
                raise Stopped()
            if not paused_here:
                self._wait_if_paused()  # another worker was told to slow down: so are we
            paused_here = False
            request_headers = dict(headers)
            if authenticate:
                request_headers = self._authenticated(method, url, request_headers, payload)
            try:
                if getattr(decode, 'items_key', None):
                    return self._transmit(method, url, request_headers, payload, path,
                                          read=lambda response: self._parse_streamed(method, path, response, decode))
                response, content = self._transmit(method, url, request_headers, payload, path,
                                                   read=lambda response: self._read_whole(method, path, response))
                return response, self._decoded(method, path, response, decode, content)
            except _RetryableAnswer as retryable:
                if attempt >= self.settings.retries:
                    raise self._sanitized(retryable.error, suffix=' (gave up after %d attempt%s)' % (attempt + 1, '' if attempt == 0 else 's'))
                delay = retryable.delay if retryable.delay is not None else backoff_delay(attempt)
                left = self._seconds_left()
                if left is not None and left <= delay:
                    # The next attempt would start after the deadline: say so now, and what kept failing.
                    raise self._sanitized(self.deadline.out_of_time(
                        method, path, 'the request was still failing (%s)' % retryable.error.message))
                attempt += 1
                self._count('retries_done')
                if retryable.error.status == 429:
                    # Throttling concerns the whole endpoint: every worker waits, not only this one.
                    self._pause(delay)
                    paused_here = True
                self._doze(delay)
            except ModelArtsError as error:
                if (authenticate and not renewed and error.status == 401 and error.error_code in TOKEN_EXPIRED_CODES
                        and self.authenticator.renew(request_headers.get('X-Auth-Token'))):
                    renewed = True  # once only: a second 401 is a real credentials problem
                    continue
                raise self._sanitized(error)

    def _authenticated(self, method: str, url: str, headers: Dict[str, str], payload: Optional[bytes]) -> Dict[str, str]:
        """Give back the headers of one attempt with the credentials added; an AK/SK signature covers `payload`."""
        return self.authenticator.headers_for(method, url, headers, body=payload or b'')

    def _transmit(self, method: str, url: str, headers: Dict[str, str], payload: Optional[bytes], path: str,
                  read: Callable[[requests.Response], _Read]) -> Tuple[requests.Response, _Read]:
        """Give back (response, read(response)): the body is read by `read` while the session is ours."""
        session = self._checkout_session()
        try:
            if self.stopping.is_set():
                raise Stopped()  # the query failed while this request waited for a session: it is not sent
            response = self._transmit_on(session, method, url, headers, payload, path)
            try:
                return response, read(response)
            except requests.exceptions.RequestException as exc:
                raise self._transport_failure(exc, method, path, url)
            finally:
                response.close()  # a body read to its end has given its connection back already; else drop it
        finally:
            self._checkin_session(session)

    def _seconds_left(self) -> Optional[float]:
        """Give back the seconds until the query's deadline (None without one)."""
        return self.deadline.seconds_left() if self.deadline is not None else None

    def _read_timeout(self, method: str, path: str) -> float:
        """Give back the timeout of the next wait for data: `timeout`, or less when the deadline comes sooner."""
        left = self._seconds_left()
        if left is None:
            return self.settings.timeout
        if left <= 0:
            raise self.deadline.out_of_time(method, path, 'an answer was still arriving')
        return min(self.settings.timeout, left)

    def _transmit_on(self, session: requests.Session, method: str, url: str, headers: Dict[str, str],
                     payload: Optional[bytes], path: str) -> requests.Response:
        # The body is always streamed, so that its size and the deadline are checked as it arrives (_body_chunks).
        timeout = self._read_timeout(method, path)
        self._count('requests_sent')
        try:
            # verify is passed per request: requests lets REQUESTS_CA_BUNDLE/CURL_CA_BUNDLE override session.verify,
            # which would silently ignore ca_path and validate_certs=false (psf/requests#3829).
            if session.verify is False:
                _silence_insecure_request_warnings()
            response = session.request(method, url, headers=headers, data=payload, timeout=timeout,
                                       allow_redirects=False, verify=session.verify, stream=True)
        except requests.exceptions.RequestException as exc:
            raise self._transport_failure(exc, method, path, url)
        length = response.headers.get('Content-Length') or ''
        if length.isdigit() and length.isascii() and int(length) > MAX_ANSWER_BYTES:
            response.close()  # refused before a byte of the body is read
            raise self._too_large(method, path, 'its Content-Length is %s bytes' % length)
        return response

    @staticmethod
    def _too_large(method: str, path: str, detail: str) -> ModelArtsError:
        """Give back the error of an answer over MAX_ANSWER_BYTES (`detail`: how it showed); never retried."""
        message = ('%s %s: the answer exceeded %s (the most one answer may hold; %s): ask for fewer versions per request '
                   '(page_size, status, pool_id)' % (method, path, mebibytes(MAX_ANSWER_BYTES), detail))
        return ModelArtsError(message, method=method, path=path)

    def _body_chunks(self, method: str, path: str, response: requests.Response, size: int) -> Iterator[bytes]:
        """Yield the body of `response` (decompressed) in chunks of at most `size` bytes, within the limits.

        Raises ModelArtsError once more than MAX_ANSWER_BYTES came over the wire or out of the decompressor (before
        more is read), or once the query's deadline has passed; requests' exceptions for transport failures.
        """
        raw = response.raw
        # read1 (urllib3 2.3 and later) gives what one read of the socket brings, so the deadline is checked between
        # the bytes of a server trickling them; read waits for `size` bytes (or the end), each wait bounded by timeout.
        read = getattr(raw, 'read1', None) or raw.read
        decoded = 0
        while True:
            if self.deadline is not None:
                self._shorten_socket_timeout(raw, self._read_timeout(method, path))
            try:
                chunk = read(size, decode_content=True)
            except Urllib3Error as exc:
                raise _as_requests_error(exc)
            if not chunk:
                return
            decoded += len(chunk)
            if raw.tell() > MAX_ANSWER_BYTES:
                raise self._too_large(method, path, 'more than that came over the connection')
            if decoded > MAX_ANSWER_BYTES:
                raise self._too_large(method, path, 'once decompressed (Content-Encoding: %s)' % (
                    response.headers.get('Content-Encoding') or 'none'))
            yield chunk

    @staticmethod
    def _shorten_socket_timeout(raw: Any, seconds: float) -> None:
        """Make the next wait for data on the connection end by the deadline (the timeout was set when it was sent)."""
        sock = getattr(getattr(raw, 'connection', None), 'sock', None)  # None once the body is read (released)
        if sock is not None:
            sock.settimeout(seconds)

    def _read_whole(self, method: str, path: str, response: requests.Response) -> bytes:
        """Give back the whole body of `response` (decompressed), read within the limits (see _body_chunks)."""
        return b''.join(self._body_chunks(method, path, response, WHOLE_BODY_READ_BYTES))

    def _transport_failure(self, exc: Exception, method: str, path: str,
                           url: str) -> Union[ModelArtsError, _RetryableAnswer]:
        """Give back the error to raise for a failure of requests (while sending or while reading a body)."""
        host = urlsplit(url).netloc
        left = self._seconds_left()
        if left is not None and left <= DEADLINE_SLACK_SECONDS and (
                isinstance(exc, requests.exceptions.Timeout) or 'timed out' in str(exc)):
            # The wait was cut short by the deadline, not by `timeout`: the query is over, no retry.
            return self.deadline.out_of_time(method, path, 'an answer was still arriving')
        if isinstance(exc, requests.exceptions.SSLError):
            reason = transport_reason(exc)
            hint = ('the certificate was issued for another host name: use the name it was issued for' if 'mismatch' in reason
                    else 'set ca_path to the CA bundle that signed the endpoint certificate')
            return ModelArtsError('TLS verification failed for %s %s at %s: %s (%s)' % (
                method, path, host, reason, hint), method=method, path=path)
        if isinstance(exc, requests.exceptions.Timeout) or 'timed out' in str(exc):
            # requests raises ConnectionError, not Timeout, for a read that times out in the middle of a body.
            return _RetryableAnswer(ModelArtsError('%s %s: no answer within %s seconds (timeout) from %s' % (
                method, path, self.settings.timeout, host), method=method, path=path))
        # Dropped connections, resets and truncated bodies all land here: idempotent GETs are safe to resend.
        return _RetryableAnswer(ModelArtsError('%s %s: connection failed to %s: %s' % (
            method, path, host, transport_reason(exc)), method=method, path=path))

    def _parse_streamed(self, method: str, path: str, response: requests.Response, decode: Any) -> Any:
        """Give back decode.streamed(answer) of a 200 JSON answer parsed as it arrives (see _json_stream).

        Each item of decode.items_key becomes decode.item(item, index) at once, so a request in flight holds a
        chunk and small records, not its whole body and parsed page. Other answers are read whole, as _parse does.
        """
        if response.status_code != 200 or 'json' not in (response.headers.get('Content-Type') or '').lower():
            return self._decoded(method, path, response, decode, self._read_whole(method, path, response))
        secrets = self._secrets_to_redact()

        def convert(item: Any, index: int, text: str) -> Any:
            if secrets:
                item = self._redacted_answer(item, text.encode('utf-8'), secrets)
            return decode.item(item, index)

        try:
            data = parse_streamed(self._body_chunks(method, path, response, STREAM_CHUNK_BYTES), decode.items_key, convert)
        except (ValueError, RecursionError) as exc:  # RecursionError: JSON nested deeper than Python recurses
            body = exc.body  # type: ignore[union-attr]  # parse_streamed() adds the body it read to its errors
            raise self._not_json(method, path, response.status_code, describe_body(None, body.head, body.size))
        if secrets:
            items = data.pop(decode.items_key, None)
            data = redact_data(data, secrets)
            if items is not None:
                data[decode.items_key] = items
        return decode.streamed(self._judged(method, path, response.status_code, data, b''))

    def _decoded(self, method: str, path: str, response: requests.Response, decode: Any, content: bytes) -> Any:
        """Give back the parsed answer, or decode(parsed answer): parsed and decoded one answer at a time across threads."""
        if decode is None:
            return self._parse(method, path, response, content)
        with self._decode_lock:
            return decode(self._parse(method, path, response, content))

    def _parse(self, method: str, path: str, response: requests.Response, content: Optional[bytes] = None) -> Any:
        """Give back the parsed answer of `response` whose body is `content` (by default response.content)."""
        status = response.status_code
        content = response.content if content is None else content
        data = None
        parse_failure: Optional[Exception] = None
        try:
            # json.loads on bytes skips requests' character-set guessing, which is slow on large bodies.
            data = json.loads(content) if content else None
            if data is not None:
                data = self._redacted_answer(data, content)
        except (ValueError, RecursionError) as exc:  # RecursionError: JSON nested deeper than Python recurses
            data = None
            parse_failure = exc
        if status in RETRYABLE_STATUSES:
            delay = retry_after_seconds(response.headers.get('Retry-After')) if status == 429 else None
            raise _RetryableAnswer(api_error(method, path, status, data, content), delay=delay)
        if parse_failure is not None or (data is None and status < 300 and method == 'GET'):
            raise self._not_json(method, path, status, describe_body(response, content))
        return self._judged(method, path, status, data, content)

    def _not_json(self, method: str, path: str, status: int, description: str) -> Union[ModelArtsError, _RetryableAnswer]:
        """Give back the error to raise for an answer whose body is not JSON (`description` says what it is)."""
        error = ModelArtsError('%s %s: HTTP %s with a body that is not JSON (%s)' % (method, path, status, description),
                               status=status, method=method, path=path)
        # A cut or garbled 200 is a transport problem: asking again usually gives a whole answer.
        return _RetryableAnswer(error) if status < 300 else error

    def _judged(self, method: str, path: str, status: int, data: Any, content: Optional[bytes]) -> Any:
        """Give back a parsed answer that is a success; raise the API's error for one that is not."""
        if status >= 300 or (isinstance(data, dict) and data.get('is_success') is False):
            error = api_error(method, path, status, data, content)
            if status < 300 and error.error_code in SERVER_FAULT_CODES:
                raise _RetryableAnswer(error)  # `is_success: false` with a 200 for an internal error: transient
            raise error
        return data

    def _secrets_to_redact(self) -> List[str]:
        return [secret for secret in self.secrets() if len(secret) >= 4]

    def _redacted_answer(self, data: Any, content: bytes, secrets: Optional[List[str]] = None) -> Any:
        """Give back a parsed answer with any secret of ours the server echoed replaced (rare: checked on the bytes)."""
        secrets = self._secrets_to_redact() if secrets is None else secrets
        if not secrets:
            return data
        # Without a backslash every parsed text is its bytes as sent; escapes (which could spell a secret one \u00XX at
        # a time) are resolved first. Only a body that holds a secret is walked.
        text = resolved_escapes(content)
        if any(secret.encode('utf-8') in text for secret in secrets):
            return redact_data(data, secrets)
        return data

    def _sanitized(self, error: ModelArtsError, suffix: str = '') -> ModelArtsError:
        secrets = self.secrets()
        register_secrets(self.no_log_values, secrets)
        error.message = redact(error.message + suffix, secrets)
        error.args = (error.message,)
        # Every text of the error came from the server or the request: none may show a secret it echoed.
        error.error_code = redact(error.error_code, secrets)
        error.method = redact(error.method, secrets)
        error.path = redact(error.path, secrets)
        return error


def _as_requests_error(exc: Exception) -> requests.exceptions.RequestException:
    """Give back the requests exception for a urllib3 one raised while reading a body (as iter_content would)."""
    if isinstance(exc, SSLError):
        return requests.exceptions.SSLError(exc)
    if isinstance(exc, DecodeError):
        return requests.exceptions.ContentDecodingError(exc)
    if isinstance(exc, ProtocolError):
        return requests.exceptions.ChunkedEncodingError(exc)
    return requests.exceptions.ConnectionError(exc)  # ReadTimeoutError and the rest
