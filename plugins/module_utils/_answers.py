# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What an answer says beyond its data: the API's error and hint, a body that is not JSON, Retry-After, escapes.

Pure functions of what arrived (no HTTP): ApiClient turns answers into results and errors with them.
Private to the collection: the leading underscore means no compatibility promise.
"""

from __future__ import absolute_import, annotations, division, print_function
__metaclass__ = type

import email.utils
import re
import time
from typing import Any, Optional, Tuple

from ansible_collections.mlops.modelarts.plugins.module_utils._errors import ModelArtsError

RETRY_AFTER_CAP_SECONDS = 60.0


def retry_after_seconds(value: Optional[str]) -> Optional[float]:
    """Give back the delay a Retry-After header asks for (seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit() and value.isascii():  # isdigit alone admits '¹' or '٣', which float() refuses or misreads
        return min(float(value), RETRY_AFTER_CAP_SECONDS)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, min(when.timestamp() - time.time(), RETRY_AFTER_CAP_SECONDS))


def _html_title(text: str) -> Optional[str]:
    match = re.search(r'<title[^>]*>(.*?)</title>', text, re.IGNORECASE | re.DOTALL)
    return match.group(1).strip() if match else None


def api_error(method: str, path: str, status: int, data: Any, content: Optional[bytes]) -> ModelArtsError:
    """Give back the ModelArtsError of an answer that is not a success: HTTP status, the API's code, message, hint.

    `data` is the parsed answer (None when it is not JSON), `content` its bytes (described when nothing else says).
    """
    code, message = error_fields(data)
    if code is None and message is None and data is None:
        message = describe_body(None, content)
    words = ['%s %s failed: HTTP %s' % (method, path, status)]
    if code:
        words.append(code)
    if message:
        words.append(message)
    return ModelArtsError(' '.join(words[:1]) + (': ' + ' '.join(words[1:]) if len(words) > 1 else '')
                          + hint(status, code, method, path), status=status, error_code=code, method=method, path=path)


def mebibytes(count: int) -> str:
    return '%d MiB' % (count // 1048576) if count >= 1048576 and count % 1048576 == 0 else '%d bytes' % count


_JSON_ESCAPE = re.compile(br'\\(u[0-9a-fA-F]{4}|.)', re.DOTALL)
_SHORT_ESCAPES = {b'n': b'\n', b'r': b'\r', b't': b'\t', b'b': b'\b', b'f': b'\f'}


def resolved_escapes(content: bytes) -> bytes:
    """Give back JSON bytes with every escape resolved, so that a secret spelled one \\u00XX at a time shows as itself."""
    return content if b'\\' not in content else _JSON_ESCAPE.sub(_unescaped, content)


def _unescaped(match: re.Match[bytes]) -> bytes:
    """Give back the bytes one JSON escape stands for (a lone surrogate as itself: no secret is made of one)."""
    escape = match.group(1)
    if escape[:1] == b'u' and len(escape) == 5:
        return chr(int(escape[1:], 16)).encode('utf-8', 'surrogatepass')
    return _SHORT_ESCAPES.get(escape, escape)


def transport_reason(exc: BaseException) -> str:
    """Give back the short cause of a requests exception (the innermost message, without URLs' secrets)."""
    text = str(exc)
    tls = re.search(r"certificate verify failed: (.+?)\.? \(_ssl", text)
    if tls:
        return 'certificate verify failed: %s' % tls.group(1)
    match = re.search(r"\(Caused by (\w+)", text)
    if match:
        return match.group(1)
    return type(exc).__name__


def error_fields(data: Any) -> Tuple[Optional[str], Optional[str]]:
    if not isinstance(data, dict):
        return None, None
    code = data.get('error_code')
    message = data.get('error_message', data.get('error_msg'))
    nested = data.get('error')
    if isinstance(nested, dict):  # IAM: {"error": {"code": 401, "message": ..., "title": ...}}
        # IAM's `title` only repeats the HTTP reason; the message is what the user acts on.
        message = message or nested.get('message') or nested.get('title')
    return (str(code) if code is not None else None), (str(message) if message is not None else None)


def describe_body(response: Any, content: Optional[bytes], size: Optional[int] = None) -> str:
    """Describe a body that is not JSON by its title or first bytes (`content` may be its head only: `size` says all)."""
    content = content or b''
    size = len(content) if size is None else size
    text = content[:2000].decode('utf-8', 'replace')
    title = _html_title(text)
    if title:
        return 'an HTML page titled %r' % title[:200]
    if not text.strip():
        return 'an empty body'
    return '%d bytes starting %r' % (size, text[:80])


def hint(status: Optional[int], code: Optional[str], method: Optional[str] = None, path: Optional[str] = None) -> str:
    if status == 401 and method == 'POST' and (path or '').rstrip('/').endswith('/auth/tokens'):
        # Keystone answers 401 for every failed login and does not say which part was wrong, on purpose.
        return (' (the IAM login was refused: check username, password, domain_name or domain_id, project_name or '
                'project_id, and that the user has a role on that project)')
    if status == 401:
        return ' (check the credentials; an expired token must be replaced)'
    if status == 403:
        return ' (the credentials are valid but not allowed here: check project_id and the IAM permissions)'
    return ''
