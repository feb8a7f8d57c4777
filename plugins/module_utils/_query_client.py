# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the query engine needs of an HTTP client: the one interface ApiClient and every stand-in implement.

Private to the collection: the leading underscore means no compatibility promise.
"""

from __future__ import absolute_import, annotations, division, print_function
__metaclass__ = type

import threading
from typing import Any, Callable, List, Optional, Tuple


class QueryClient(object):
    """The client one query runs on: the project, two ways to ask, and the state a query shares with its requests.

    ApiClient is the real one; a test's in-memory API subclasses this class and implements get() (and post_json()
    where it serves the v2 search), so that the engine never has to ask whether a method or attribute exists.

    A subclass that defines __init__ calls QueryClient.__init__(self): it makes the stop event and clears the deadline.
    """

    # The id of the project the query runs in (letters, digits, - and _; checked again where it goes into a URL).
    # ApiClient resolves it on first use (a password login may name the project); a stand-in sets it.
    project_id: Optional[str] = None

    # Requests one query may have in flight at once; 1 asks every page in turn (ApiClient takes it from the settings).
    max_concurrent_requests = 1
    # Requests sent so far (the result's `requests`); ApiClient counts them, a stand-in may.
    requests_sent = 0

    def __init__(self) -> None:
        # Set once a request of the running query has failed: the others stop asking (Stopped) instead of waiting.
        self.stopping = threading.Event()
        # The running query's bounds while it runs (set by list_versions, None otherwise): an object with
        # seconds_left() and out_of_time(method, path, reason) giving the ModelArtsError to raise. A client bounds
        # every wait for data by it; a stand-in answering from memory has no wait to bound and may ignore it.
        self.deadline: Any = None

    def get(self, path: str, query_pairs: List[Tuple[str, Any]], decode: Optional[Callable[[Any], Any]] = None) -> Any:
        """Give back the parsed JSON answer of a GET on the ModelArts endpoint (`query_pairs`: a list of (key, value)).

        With `decode` (a page decoder of the API source), give back decode(parsed answer) instead; a decoder
        with an `items_key` may be fed the answer's items one at a time as they are parsed (decode.item, then
        decode.streamed on the rest), and one without is called on the whole parsed answer.
        """
        raise NotImplementedError('%s does not answer GET' % type(self).__name__)

    def post_json(self, path: str, body: Any, decode: Optional[Callable[[Any], Any]] = None) -> Any:
        """Give back the parsed JSON answer of a POST of `body` (plain data, sent as JSON), decoded as get() decodes."""
        raise NotImplementedError('%s does not answer POST' % type(self).__name__)

    def begin_query(self, deadline: Any) -> None:
        """Bound every request from now on by `deadline` (see __init__) and forget a previous query's stop."""
        self.stopping.clear()
        self.deadline = deadline

    def end_query(self) -> None:
        """Lift the query's bounds: the client may serve the next query (a gate polls on one client)."""
        self.stopping.clear()
        self.deadline = None

    def stop(self) -> None:
        """Tell the query's other requests that it has failed: their answers are no longer wanted."""
        self.stopping.set()

    def close(self) -> None:
        """Release the connections (nothing to release for a stand-in)."""
