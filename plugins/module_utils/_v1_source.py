# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The v1 training API as a source of records: GET /v1/{project_id}/training-jobs/versions, its pages and versions.

Private to the collection: the leading underscore means no compatibility promise.
"""

from __future__ import absolute_import, annotations, division, print_function
__metaclass__ = type

from typing import Any, Callable, Dict, List, Optional, Tuple
from urllib.parse import quote

from ansible_collections.mlops.modelarts.plugins.module_utils._api_source import ApiSource, PageDecoder
from ansible_collections.mlops.modelarts.plugins.module_utils._auth import PROJECT_ID_PATTERN
from ansible_collections.mlops.modelarts.plugins.module_utils._counts import read_number
from ansible_collections.mlops.modelarts.plugins.module_utils._errors import ModelArtsError
from ansible_collections.mlops.modelarts.plugins.module_utils._statuses import GROUP_OF_STATUS, STATUS_NAMES
from ansible_collections.mlops.modelarts.plugins.module_utils._usage import iso_from_millis

VERSIONS_PATH = '/v1/%s/training-jobs/versions'
API_VERSION = 'v1'
# Only these may vary in type from one server to the next; they are normalised to int (or None).
INTEGER_FIELDS = ('version_id', 'status', 'create_time', 'start_time', 'end_time', 'duration', 'gpu_num', 'npu_num')
# Text fields used as sort and summary keys: a number becomes its text, a list or object is refused.
TEXT_FIELDS = ('version_name', 'version_desc', 'pool_id', 'flavor_code')


# A version record as the API gives it, checked in place (see checked_version()).
Version = Dict[str, Any]


def versions_path(project_id: Any) -> str:
    """Give back the versions path of a project, refusing an id that is not letters, digits, - and _.

    A project id can come from an IAM answer or an inventory: '../' or '?' in it would send the authenticated
    request elsewhere on the endpoint's host. The option itself is checked before any request (ConnectionSettings).
    """
    if not isinstance(project_id, str) or not PROJECT_ID_PATTERN.match(project_id):
        raise ModelArtsError('the project id to query is not letters, digits, - and _ only; refusing to put it into a '
                             'URL (check project_id, or the project IAM answered for project_name)')
    return VERSIONS_PATH % quote(project_id, safe='')


def base_pairs(query: Any) -> List[Tuple[str, Any]]:
    """Give back the query pairs every v1 request of `query` carries (a validated _versions.Query)."""
    pairs = [('sort_by', query.sort_by), ('order', query.order), ('workspace_id', query.workspace_id)]
    if query.pool_id:
        pairs.append(('pool_id', query.pool_id))
    return pairs


class V1Source(ApiSource):
    """The versions of the old-version training API: one request per status, GET with query pairs."""

    # ApiSource (annotated next, with issue 23's sources) declares both as None.
    method = 'GET'  # type: ignore[assignment]
    items_key = 'versions'  # type: ignore[assignment]

    def __init__(self, path: str, query: Any = None) -> None:
        super(V1Source, self).__init__(path)
        self.query = query

    @classmethod
    def for_project(cls, project_id: Any, query: Any) -> V1Source:
        """Give back the source of a project's versions (the project id checked before it goes into the path)."""
        return cls(versions_path(project_id), query)

    def selections(self, statuses: Optional[List[int]]) -> List[Optional[int]]:
        """Give back the statuses to ask, one request each (the API filters one status per request); [None]: all."""
        return list(statuses) if statuses else [None]

    def label(self, selection: Optional[int]) -> str:
        return '' if selection is None else ' (status %d)' % selection

    def request(self, client: Any, selection: Optional[int], limit: int, api_offset: Optional[int] = None,
                decode: Any = None) -> Any:
        pairs = base_pairs(self.query)
        if selection is not None:
            pairs.append(('status', str(selection)))
        pairs.append(('limit', str(limit)))
        if api_offset is not None:
            pairs.append(('offset', str(api_offset)))
        if decode is None:
            return client.get(self.path, pairs)
        return client.get(self.path, pairs, decode=decode)

    def page_parts(self, data: Any) -> Tuple[List[Any], Optional[int]]:
        return page_parts(data, self.path)

    def page_decoder(self, convert: Callable[..., Any], streamed: bool = False) -> PageDecoder:
        """As ApiSource's, but with page_size 0 (one answer per status, all of it) the answers are read whole.

        Paging by page_size keeps several pages of a status in flight, whose bodies would add up; one answer per
        status is parsed whole, which costs less CPU (docs/performance.md, memory).
        """
        return PageDecoder(self, convert, streamed=streamed and self.query.page_size > 0)

    def parse_page(self, data: Any) -> Tuple[List[Version], Optional[int]]:
        return parse_page(data, self.path)  # checks the versions in place: no second list of a page

    def checked_record(self, item: Any, index: int) -> Version:
        return checked_version(item, index, self.path)


class _PageDecoder(PageDecoder):
    """A PageDecoder of v1 versions pages at `path` (what the client's tests feed answers to)."""

    def __init__(self, path: str, convert: Callable[..., Any], streamed: bool = False) -> None:
        super(_PageDecoder, self).__init__(V1Source(path), convert, streamed=streamed)


def parse_page(data: Any, path: str) -> Tuple[List[Version], Optional[int]]:
    """Give back (versions, total_count) from one answer, or raise ModelArtsError if it is not a versions page."""
    versions, total = page_parts(data, path)
    for index, version in enumerate(versions):
        checked_version(version, index, path)
    return versions, total


def page_parts(data: Any, path: str) -> Tuple[List[Any], Optional[int]]:
    """Give back (versions, total_count) of an answer, checking its shape but not each version."""
    if not isinstance(data, dict):
        raise ModelArtsError('GET %s answered %s instead of a JSON object' % (path, type(data).__name__),
                             method='GET', path=path)
    versions = data.get('versions')
    if versions is None:
        versions = []
    if not isinstance(versions, list):
        raise ModelArtsError('GET %s answered "versions" as %s instead of a list' % (path, type(versions).__name__),
                             method='GET', path=path)
    total = data.get('total_count')
    if total is not None:
        total = _as_int(total, 'total_count', path)
    return versions, total


def checked_version(version: Any, index: int, path: str) -> Version:
    """Give back item `index` of a page with its numbers and texts as the API documents them, or raise."""
    if not isinstance(version, dict):
        raise ModelArtsError('GET %s answered a version that is not an object (item %d)' % (path, index),
                             method='GET', path=path)
    get = version.get  # once per version: this runs for every version of every page
    for field in INTEGER_FIELDS:
        value = get(field)
        if value is not None and value.__class__ is not int:  # exact: bool is an int subclass
            version[field] = _as_int(value, 'versions[%d].%s' % (index, field), path)
    for field in TEXT_FIELDS:
        value = get(field)
        if value is not None and value.__class__ is not str:
            version[field] = _as_text(value, 'versions[%d].%s' % (index, field), path)
    if get('version_id') is None:
        raise ModelArtsError('GET %s answered a version without version_id (item %d)' % (path, index),
                             method='GET', path=path)
    # Which API a record came from (design.md): set, not taken from the answer, whatever the server sends.
    version['api_version'] = API_VERSION
    return version


def _as_int(value: Any, field: str, path: str) -> int:
    """Give back a server's number (int, float or text of one; any size or sign) as an int, or raise naming it."""
    number = read_number(value, whole=False)
    if number is None:
        raise ModelArtsError('GET %s answered %s=%r, not a number' % (path, field, value), method='GET', path=path)
    return int(number)


def _as_text(value: Any, field: str, path: str) -> str:
    if isinstance(value, (dict, list)):
        raise ModelArtsError('GET %s answered %s as %s, not a string' % (path, field, type(value).__name__),
                             method='GET', path=path)
    return str(value)


def enrich(versions: List[Version]) -> List[Version]:
    """Add status_name, status_group, ISO times and duration_seconds to each version, in place; give them back."""
    # Looked up by whatever `status` holds (a checked int, or None when the API left it out).
    names: Dict[Any, str] = STATUS_NAMES
    groups: Dict[Any, str] = GROUP_OF_STATUS
    iso = iso_from_millis
    for version in versions:
        status = version.get('status')
        name = names.get(status)
        version['status_name'] = name if name is not None else 'unknown_%s' % (status,)
        version['status_group'] = groups.get(status, 'unknown')
        version['create_time_iso'] = iso(version.get('create_time'))
        version['start_time_iso'] = iso(version.get('start_time'))
        version['end_time_iso'] = iso(version.get('end_time'))
        duration = version.get('duration')
        try:
            version['duration_seconds'] = duration / 1000.0 if duration is not None else None
        except OverflowError:  # a duration beyond any float: no meaningful number of seconds
            version['duration_seconds'] = None
    return versions
