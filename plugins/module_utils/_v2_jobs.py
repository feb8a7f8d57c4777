# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""New-version (v2) training jobs without HTTP: the search body, job -> record, and the accelerators of a flavor.

Facts: api/v2.md; the record is design.md's "New-version training jobs" table. A v2 job becomes one record of the
shape a v1 version has, so that the summary, the gate, usage, the report and EDA events need no second code path.
Everything here is pure: the v2 source sends the bodies and feeds the answers in.

Private to the collection: the leading underscore means no compatibility promise.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.mlops.modelarts.plugins.module_utils._api_source import ORDERS, SORT_FIELDS
from ansible_collections.mlops.modelarts.plugins.module_utils._counts import (
    MAX_ACCELERATORS, accelerator_count, bounded_number,
)
from ansible_collections.mlops.modelarts.plugins.module_utils._errors import ModelArtsError
from ansible_collections.mlops.modelarts.plugins.module_utils._statuses import V2_PHASES, status_group
from ansible_collections.mlops.modelarts.plugins.module_utils._v1_source import enrich

SEARCH_PATH = '/v2/%s/training-job-searches'
FLAVORS_PATH = '/v2/%s/training-job-flavors'
API_VERSION = 'v2'
# The search's `limit`: 1 to 50 jobs per page (api/v2.md).
MAX_PAGE_LIMIT = 50
# What the search body says for each of our sort_by choices. The API page documents only create_time (its default);
# an undocumented value could be refused with a 400, so the others are asked in create_time order and sorted
# locally, as merged results of several statuses or of both APIs are anyway (sort_versions).
SEARCH_SORT_BY = dict((sort_by, 'create_time') for sort_by in SORT_FIELDS)
SORTED_BY_THE_SERVER = ('create_time',)
# Per-node accelerators of the dedicated-pool flavors the API page lists (GPUs, NPUs): "1 card" to "8 cards".
DOCUMENTED_POOL_FLAVORS = {
    'modelarts.pool.visual.xlarge': (1, 0),
    'modelarts.pool.visual.2xlarge': (2, 0),
    'modelarts.pool.visual.4xlarge': (4, 0),
    'modelarts.pool.visual.8xlarge': (8, 0),
}
TERMINAL_GROUPS = ('succeeded', 'failed', 'canceled')
# Times (ms), durations (ms) and counts are a Java long in the API: beyond it, or negative, a number is unknown.
MAX_LONG = 2 ** 63 - 1
# Every record has these keys (enrich() adds the *_iso ones and duration_seconds).
RECORD_FIELDS = ('version_id', 'version_name', 'status', 'status_name', 'status_group', 'create_time', 'start_time',
                 'end_time', 'duration', 'version_desc', 'pool_id', 'flavor_code', 'gpu_num', 'npu_num', 'api_version',
                 'secondary_phase', 'node_count', 'user_name', 'outputs', 'create_time_iso', 'start_time_iso',
                 'end_time_iso', 'duration_seconds')


def sorted_locally(sort_by):
    """Say whether records of `sort_by` order must be sorted here (the search is asked in create_time order)."""
    return sort_by not in SORTED_BY_THE_SERVER


def page_limit(page_size):
    """Give back the search's `limit` for the page_size option: 0 (one page of everything on v1) and above 50 are 50.

    The v2 page size only changes how many requests are sent, never the result (offset and limit of the merged result
    apply locally), so a page_size meant for v1, such as 500 under `training_api: all`, pages v2 at its maximum.
    """
    if page_size.__class__ is not int or page_size < 0:
        raise ValueError('page_size must be a whole number from 0; got %r' % (page_size,))
    return MAX_PAGE_LIMIT if page_size == 0 or page_size > MAX_PAGE_LIMIT else page_size


def search_body(page_index, page_size=0, sort_by='create_time', order='desc', workspace_id='0', phases=None):
    """Give back the JSON body (a dict) of one search request: page `page_index` (0 = first) of `page_size` jobs.

    `offset` is a page index on v2 (documented, unlike v1's). `phases` (v2 phases, as StatusSelection.phases gives
    them) go in one `phase` `in` filter; None asks for every phase, with no filter. A value outside the choices is a
    programming error (the options are checked before): ValueError.
    """
    if page_index.__class__ is not int or page_index < 0:
        raise ValueError('page_index must be a whole number from 0; got %r' % (page_index,))
    if sort_by not in SEARCH_SORT_BY:
        raise ValueError('sort_by %r is not one of %s' % (sort_by, ', '.join(sorted(SEARCH_SORT_BY))))
    if order not in ORDERS:
        raise ValueError('order %r is not one of %s' % (order, ', '.join(ORDERS)))
    body = {
        'offset': page_index,
        'limit': page_limit(page_size),
        'sort_by': SEARCH_SORT_BY[sort_by],
        'order': order,
        'workspace_id': workspace_id or '0',
    }
    if phases is not None:
        unknown = [phase for phase in phases if phase not in V2_PHASES]
        if unknown or not phases:
            raise ValueError('phases must be some of %s; got %r' % (', '.join(V2_PHASES), phases))
        body['filters'] = [{'key': 'phase', 'operator': 'in', 'value': list(phases)}]
    return body


def search_page(data, path=None):
    """Give back (jobs, count) of one search answer: its `items` list, and its `count` as a hint (None if garbled).

    `count` is documented as the jobs matching the search, but the API page's own example answers count 1 with
    limit 1 and total 5059: it may be the page's length. Paging stops at the first short page and takes `count`
    for no more than a hint; `total` counts every job of the user, whatever the filters, and is not given back.
    An answer that is no object, or whose `items` is no list, raises ModelArtsError; the jobs are checked one by one
    in record_from_job().
    """
    if not isinstance(data, dict):
        raise _answer_error('%s instead of a JSON object' % type(data).__name__, path, 'POST')
    jobs = data.get('items')
    if jobs is None:
        jobs = []
    if not isinstance(jobs, list):
        raise _answer_error('"items" as %s instead of a list' % type(jobs).__name__, path, 'POST')
    return jobs, bounded_number(data.get('count'), MAX_LONG)


def _answer_error(text, path, method):
    where = '%s %s answered' % (method, path) if path else 'the v2 training API answered'
    return ModelArtsError('%s %s' % (where, text), method=method, path=path)


def _flavor_info(resource):
    """Give back spec.resource.flavor_detail.flavor_info when it is an object (public pools), else None."""
    detail = resource.get('flavor_detail')
    info = detail.get('flavor_info') if isinstance(detail, dict) else None
    return info if isinstance(info, dict) else None


def accelerators_of_flavor_info(info):
    """Give back (GPUs, NPUs) per node from a flavor_info object; each None when the info makes it unknown.

    `gpu.unit_num` is an int and `npu.unit_num` text in the API: both are read by accelerator_count() (0 when the
    block or the number is absent: a CPU flavor; None for -1, 10**400, 'eight', True or a block that is no object).
    """
    counts = []
    for kind in ('gpu', 'npu'):
        block = info.get(kind)
        if block is None:
            counts.append(0)
        elif isinstance(block, dict):
            counts.append(accelerator_count(block.get('unit_num')))
        else:
            counts.append(None)
    return tuple(counts)


def flavors_from_answer(data, path=None):
    """Give back {flavor_id: (GPUs, NPUs) per node} from a GET training-job-flavors answer.

    A flavor that is no object, has no text flavor_id or no flavor_info object is left out (its jobs fall back to the
    documented flavors, then unknown); the first of two entries of one flavor_id counts. An answer that is no object,
    or whose `flavors` is no list, raises ModelArtsError.
    """
    if not isinstance(data, dict):
        raise _answer_error('%s instead of a JSON object' % type(data).__name__, path, 'GET')
    flavors = data.get('flavors')
    if flavors is None:
        return {}
    if not isinstance(flavors, list):
        raise _answer_error('"flavors" as %s instead of a list' % type(flavors).__name__, path, 'GET')
    accelerators = {}
    for flavor in flavors:
        if not isinstance(flavor, dict):
            continue
        flavor_id = flavor.get('flavor_id')
        info = flavor.get('flavor_info')
        if flavor_id.__class__ is not str or not isinstance(info, dict) or flavor_id in accelerators:
            continue
        accelerators[flavor_id] = accelerators_of_flavor_info(info)
    return accelerators


def needs_flavor_list(jobs):
    """Say whether a page holds a job without flavor_detail.flavor_info, whose accelerators the flavors list tells.

    Public-pool jobs carry their flavor; dedicated-pool jobs do not. The source fetches the flavors list (once per
    query) only when this is true of a page.
    """
    return isinstance(jobs, list) and any(job_needs_flavor_list(job) for job in jobs)


def job_needs_flavor_list(job):
    """Say whether one job (an item of a search answer) has no flavor_detail.flavor_info (see needs_flavor_list)."""
    if not isinstance(job, dict):
        return False  # record_from_job() refuses it
    spec = job.get('spec')
    resource = spec.get('resource') if isinstance(spec, dict) else None
    return not isinstance(resource, dict) or _flavor_info(resource) is None


def listed_flavor_id(job):
    """Give back the flavor_id a job is looked up by in the flavors list (text), else None; after record_from_job().

    record_from_job() has checked that spec and spec.resource are objects or absent.
    """
    flavor_id = ((job.get('spec') or {}).get('resource') or {}).get('flavor_id')
    return flavor_id if flavor_id.__class__ is str else None


def with_flavor_list(record, flavor_id, flavor_accelerators):
    """Give back `record`, of a job without flavor_info made before the flavors list was read, with its accelerators.

    `flavor_id` is listed_flavor_id() of the job: the record becomes, in place, what record_from_job() gives with
    `flavor_accelerators` (only gpu_num and npu_num depend on it), so that a job whose page was decoded before the
    flavors list arrived gets the same record.
    """
    per_node = accelerators_of_flavor_id(flavor_id, flavor_accelerators)
    record['gpu_num'], record['npu_num'] = _node_totals(per_node, record['node_count'])
    return record


def accelerators_per_node(resource, flavor_accelerators=None):
    """Give back (GPUs, NPUs) per node of a job's spec.resource, or (None, None) when no source knows its flavor.

    The sources in order: flavor_detail.flavor_info (public pools), the flavors list (`flavor_accelerators`, from
    flavors_from_answer), the dedicated-pool flavors the API page documents.
    """
    info = _flavor_info(resource)
    if info is not None:
        return accelerators_of_flavor_info(info)
    return accelerators_of_flavor_id(resource.get('flavor_id'), flavor_accelerators)


def accelerators_of_flavor_id(flavor_id, flavor_accelerators=None):
    """Give back (GPUs, NPUs) per node of a flavor without flavor_info: the flavors list's, the documented ones, else unknown."""
    if flavor_id.__class__ is str:
        if flavor_accelerators and flavor_id in flavor_accelerators:
            return flavor_accelerators[flavor_id]
        if flavor_id in DOCUMENTED_POOL_FLAVORS:
            return DOCUMENTED_POOL_FLAVORS[flavor_id]
    return None, None


def accelerators_unknown(record):
    """Say whether a v2 record's gpu_num or npu_num is null (unknown: counted in accelerators_unknown, never 0)."""
    return record.get('gpu_num') is None or record.get('npu_num') is None


class _JobReader(object):
    """Reads the fields of one job, raising one clear ModelArtsError naming the field when a type is wrong."""

    def __init__(self, index, path):
        self.index = index
        self.path = path

    def error(self, text):
        item = ' (item %d)' % self.index if self.index is not None else ''
        return _answer_error('a job %s%s' % (text, item), self.path, 'POST')

    def block(self, parent, key, where):
        """Give back parent[key] when it is an object, {} when absent; raise when it is anything else."""
        value = parent.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.error('whose %s is %s, not an object' % (where, type(value).__name__))
        return value

    def text(self, parent, key, where):
        """Give back parent[key] as text (a number becomes its text), None when absent; raise for anything else."""
        value = parent.get(key)
        if value is None or value.__class__ is str:
            return value
        if isinstance(value, str):
            return str(value)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            try:
                return str(value)
            except ValueError:  # an int of more digits than str() writes (4300 on Python 3.11)
                pass
        raise self.error('whose %s is %s, not text' % (where, type(value).__name__))


def record_from_job(job, flavor_accelerators=None, index=None, path=None):
    """Give back the record (design.md's table, enriched as v1 versions are) of one job of a v2 search answer.

    `flavor_accelerators` is flavors_from_answer() of the flavors list, or None when it was not fetched; `index`
    and `path` (the search path) go into errors. A job that is no object, has no metadata.id, holds something else
    than an object where the API has one, or an object, a list or a bool where it has text, raises ModelArtsError
    naming the field. Times that are no whole number from 0 to 2**63-1 ms are None; accelerators no source tells,
    or counts outside 0 to 1,000,000 (per node, nodes, or their product), are None: unknown, never 0.
    """
    reader = _JobReader(index, path)
    if not isinstance(job, dict):
        raise reader.error('that is %s, not an object' % type(job).__name__)
    metadata = reader.block(job, 'metadata', 'metadata')
    status = reader.block(job, 'status', 'status')
    spec = reader.block(job, 'spec', 'spec')
    resource = reader.block(spec, 'resource', 'spec.resource')
    algorithm = reader.block(job, 'algorithm', 'algorithm')

    version_id = reader.text(metadata, 'id', 'metadata.id')
    if not version_id:
        raise reader.error('without metadata.id')
    phase = reader.text(status, 'phase', 'status.phase')
    # A garbled time is unknown rather than fatal: null in the record, no end, no ISO text (bounded_number reads
    # numbers from outside for the whole collection).
    create_time = bounded_number(metadata.get('create_time'), MAX_LONG)
    start_time = bounded_number(status.get('start_time'), MAX_LONG)
    duration = bounded_number(status.get('duration'), MAX_LONG)
    # Only a job that ran and is over has an end; v1 versions say 0 until then, and so do these records.
    ended = status_group(phase) in TERMINAL_GROUPS and start_time is not None and start_time > 0 and duration is not None

    node_count = resource.get('node_count')
    # A job runs on one node unless it says more (distributed training).
    node_count = 1 if node_count is None else bounded_number(node_count, MAX_ACCELERATORS)
    gpu_num, npu_num = _node_totals(accelerators_per_node(resource, flavor_accelerators), node_count)

    record = {
        'version_id': version_id,
        'version_name': reader.text(metadata, 'name', 'metadata.name'),
        'status': phase,
        'status_name': None,  # enrich() below, as for v1
        'status_group': None,
        'create_time': create_time,
        'start_time': start_time,
        'end_time': start_time + duration if ended else 0,
        'duration': duration,
        'version_desc': reader.text(metadata, 'description', 'metadata.description'),
        # The public pool has no pool_id (some answers may spell it as empty text): null either way.
        'pool_id': reader.text(resource, 'pool_id', 'spec.resource.pool_id') or None,
        'flavor_code': reader.text(resource, 'flavor_id', 'spec.resource.flavor_id'),
        'gpu_num': gpu_num,
        'npu_num': npu_num,
        'api_version': API_VERSION,
        'secondary_phase': reader.text(status, 'secondary_phase', 'status.secondary_phase'),
        'node_count': node_count,
        'user_name': reader.text(metadata, 'user_name', 'metadata.user_name'),
        'outputs': _outputs(reader, algorithm),
    }
    # status_name, status_group, the *_iso times and duration_seconds exactly as v1 versions get them.
    enrich([record])
    return record


def _node_totals(per_node, node_count):
    """Give back [GPUs, NPUs] of a job: per node times its nodes, each None when unknown or beyond the bound."""
    return [None if count is None or node_count is None else bounded_number(count * node_count, MAX_ACCELERATORS)
            for count in per_node]


def _outputs(reader, algorithm):
    outputs = algorithm.get('outputs')
    if outputs is None:
        return []
    if not isinstance(outputs, list):
        raise reader.error('whose algorithm.outputs is %s, not a list' % type(outputs).__name__)
    found = []
    for number, output in enumerate(outputs):
        where = 'algorithm.outputs[%d]' % number
        if not isinstance(output, dict):
            raise reader.error('whose %s is %s, not an object' % (where, type(output).__name__))
        obs = reader.block(reader.block(output, 'remote', where + '.remote'), 'obs', where + '.remote.obs')
        found.append({'name': reader.text(output, 'name', where + '.name'),
                      'obs_url': reader.text(obs, 'obs_url', where + '.remote.obs.obs_url')})
    return found
