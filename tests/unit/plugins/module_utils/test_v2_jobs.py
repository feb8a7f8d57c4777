# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""New-version (v2) training jobs become records of design.md's table; the search body; a flavor's accelerators."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from ansible_collections.mlops.modelarts.plugins.module_utils._counts import UnknownAccelerators
from ansible_collections.mlops.modelarts.plugins.module_utils._errors import ModelArtsError
from ansible_collections.mlops.modelarts.plugins.module_utils._usage import gpu_usage
from ansible_collections.mlops.modelarts.plugins.module_utils._v2_jobs import (
    DOCUMENTED_POOL_FLAVORS, MAX_PAGE_LIMIT, RECORD_FIELDS, accelerators_unknown, flavors_from_answer,
    job_needs_flavor_list, listed_flavor_id, needs_flavor_list, page_limit, record_from_job, search_body, search_page,
    sorted_locally, with_flavor_list,
)
from ansible_collections.mlops.modelarts.plugins.module_utils._versions import enrich, summarize

SEARCH_PATH = '/v2/0a1b2c3d4e5f60718293a4b5c6d7e8f9/training-job-searches'
FLAVORS_PATH = '/v2/0a1b2c3d4e5f60718293a4b5c6d7e8f9/training-job-flavors'
CREATED = 1764547200000  # 2025-12-01T00:00:00Z
STARTED = CREATED + 60000
HOUR = 3600 * 1000


def job(phase='Running', start_time=STARTED, duration=HOUR, flavor_detail='gpu', node_count=1, **resource):
    """A v2 job as the search answers it (api/v2.md), trimmed to what records use plus some of what they do not."""
    spec_resource = {'policy': 'regular', 'flavor_id': 'modelarts.vm.gpu.p100.large', 'flavor_name': 'GPU P100',
                     'node_count': node_count}
    if flavor_detail == 'gpu':
        spec_resource['flavor_detail'] = {
            'flavor_type': 'GPU', 'billing': {'code': 'modelarts.vm.gpu.p100', 'unit_num': 1},
            'flavor_info': {'max_num': 8, 'cpu': {'arch': 'x86', 'core_num': 8},
                            'gpu': {'unit_num': 2, 'product_name': 'NVIDIA-P100', 'memory': '16GB'},
                            'memory': {'size': 64, 'unit': 'GB'}}}
    elif flavor_detail is not None:
        spec_resource['flavor_detail'] = flavor_detail
    spec_resource.update(resource)
    return {
        'kind': 'job',
        'metadata': {'id': '3faf5c03-aaa1-4cbe-879d-24b05d997347', 'name': 'resnet-train', 'description': 'nightly',
                     'create_time': CREATED, 'workspace_id': '0', 'user_name': 'alice'},
        'status': {'phase': phase, 'secondary_phase': phase, 'duration': duration, 'start_time': start_time,
                   'node_count_metrics': [[STARTED, node_count]], 'tasks': ['worker-0']},
        'algorithm': {'code_dir': 'obs://bucket/code/', 'boot_file': 'obs://bucket/code/train.py',
                      'outputs': [{'name': 'train_url', 'local_dir': '/home/ma-user/modelarts/outputs/train_url_0',
                                   'remote': {'obs': {'obs_url': 'obs://bucket/model/'}}}]},
        'spec': {'resource': spec_resource},
    }


def npu_detail(unit_num):
    return {'flavor_type': 'Ascend', 'flavor_info': {'npu': {'unit_num': unit_num, 'product_name': 'Ascend-910'}}}


# --- the record ---------------------------------------------------------------------------------------------------

def test_a_running_job_becomes_the_record_of_design_md():
    record = record_from_job(job())
    assert record == {
        'version_id': '3faf5c03-aaa1-4cbe-879d-24b05d997347', 'version_name': 'resnet-train', 'status': 'Running',
        'status_name': 'running', 'status_group': 'active', 'create_time': CREATED, 'start_time': STARTED,
        'end_time': 0, 'duration': HOUR, 'version_desc': 'nightly', 'pool_id': None,
        'flavor_code': 'modelarts.vm.gpu.p100.large', 'gpu_num': 2, 'npu_num': 0, 'api_version': 'v2',
        'secondary_phase': 'Running', 'node_count': 1, 'user_name': 'alice',
        'outputs': [{'name': 'train_url', 'obs_url': 'obs://bucket/model/'}],
        'create_time_iso': '2025-12-01T00:00:00.000Z', 'start_time_iso': '2025-12-01T00:01:00.000Z',
        'end_time_iso': None, 'duration_seconds': 3600.0,
    }
    assert tuple(record) == RECORD_FIELDS


def test_the_record_is_enriched_exactly_as_v1_versions_are():
    record = record_from_job(job(phase='Completed'))
    again = enrich([dict(record)])[0]
    assert again == record


@pytest.mark.parametrize('phase, name, group', [
    ('Creating', 'creating', 'active'), ('Pending', 'pending', 'active'), ('Running', 'running', 'active'),
    ('Terminating', 'terminating', 'active'), ('Completed', 'completed', 'succeeded'), ('Failed', 'failed', 'failed'),
    ('Abnormal', 'abnormal', 'failed'), ('Terminated', 'terminated', 'canceled'),
])
def test_each_phase_gets_its_name_and_group(phase, name, group):
    record = record_from_job(job(phase=phase))
    assert (record['status'], record['status_name'], record['status_group']) == (phase, name, group)


@pytest.mark.parametrize('phase', ['Queued', 'running', 'RUNNING', '', None, 8])
def test_a_phase_the_table_does_not_know_is_kept_and_in_the_unknown_group(phase):
    record = record_from_job(job(phase=phase))
    assert record['status_group'] == 'unknown'
    assert record['status'] == (None if phase is None else str(phase))
    assert record['status_name'] == 'unknown_%s' % (record['status'],)


@pytest.mark.parametrize('phase', ['Completed', 'Failed', 'Abnormal', 'Terminated'])
def test_a_finished_job_that_started_ends_at_start_plus_duration(phase):
    record = record_from_job(job(phase=phase))
    assert record['end_time'] == STARTED + HOUR
    assert record['end_time_iso'] == '2025-12-01T01:01:00.000Z'


@pytest.mark.parametrize('phase, start_time, duration', [
    ('Running', STARTED, HOUR), ('Terminating', STARTED, HOUR), ('Abnormal', 0, 0), ('Failed', None, HOUR),
    ('Completed', STARTED, None),
])
def test_a_job_still_running_or_never_started_has_no_end(phase, start_time, duration):
    assert record_from_job(job(phase=phase, start_time=start_time, duration=duration))['end_time'] == 0


def test_a_dedicated_pool_job_carries_its_pool_and_the_public_pool_none():
    assert record_from_job(job(pool_id='pool-gpu-a'))['pool_id'] == 'pool-gpu-a'
    assert record_from_job(job(pool_id=''))['pool_id'] is None
    assert record_from_job(job())['pool_id'] is None


def test_numbers_in_text_fields_become_text_and_numeric_text_in_times_becomes_numbers():
    raw = job()
    raw['metadata'].update(id=123456, name=42, create_time=' %d ' % CREATED)
    raw['status']['duration'] = float(HOUR)
    record = record_from_job(raw)
    assert (record['version_id'], record['version_name'], record['create_time'], record['duration']) == (
        '123456', '42', CREATED, HOUR)


def test_outputs_list_every_output_with_its_obs_url():
    raw = job()
    raw['algorithm']['outputs'].append({'name': 'logs'})
    assert record_from_job(raw)['outputs'] == [{'name': 'train_url', 'obs_url': 'obs://bucket/model/'},
                                               {'name': 'logs', 'obs_url': None}]
    del raw['algorithm']
    assert record_from_job(raw)['outputs'] == []


# --- accelerators ---------------------------------------------------------------------------------------------

def test_accelerators_are_per_node_times_the_nodes():
    record = record_from_job(job(node_count=4))
    assert (record['gpu_num'], record['npu_num'], record['node_count']) == (8, 0, 4)


def test_npu_unit_num_arrives_as_text_and_is_counted():
    record = record_from_job(job(flavor_detail=npu_detail('8'), node_count=2))
    assert (record['gpu_num'], record['npu_num']) == (0, 16)


def test_a_cpu_flavor_has_no_accelerators():
    detail = {'flavor_type': 'CPU', 'flavor_info': {'cpu': {'arch': 'x86', 'core_num': 2}}}
    record = record_from_job(job(flavor_detail=detail))
    assert (record['gpu_num'], record['npu_num']) == (0, 0)
    assert not accelerators_unknown(record)


def test_flavor_detail_wins_over_the_flavors_list():
    record = record_from_job(job(), {'modelarts.vm.gpu.p100.large': (7, 0)})
    assert record['gpu_num'] == 2


def test_without_flavor_detail_the_flavors_list_tells_the_accelerators():
    record = record_from_job(job(flavor_detail=None, flavor_id='modelarts.pool.visual.8xlarge', node_count=2),
                             {'modelarts.pool.visual.8xlarge': (0, 8)})
    assert (record['gpu_num'], record['npu_num']) == (0, 16)


@pytest.mark.parametrize('flavor_id, gpus', sorted((flavor, counts[0]) for flavor, counts in DOCUMENTED_POOL_FLAVORS.items()))
def test_without_flavor_detail_or_list_the_documented_pool_flavors_tell_the_gpus(flavor_id, gpus):
    record = record_from_job(job(flavor_detail=None, flavor_id=flavor_id, pool_id='pool-a'), {})
    assert (record['gpu_num'], record['npu_num']) == (gpus, 0)
    assert [1, 2, 4, 8] == sorted(counts[0] for counts in DOCUMENTED_POOL_FLAVORS.values())


@pytest.mark.parametrize('flavor_accelerators', [None, {}, {'other.flavor': (1, 0)}])
def test_a_flavor_no_source_knows_has_unknown_accelerators_never_zero(flavor_accelerators):
    record = record_from_job(job(flavor_detail=None, flavor_id='modelarts.pool.custom.16xlarge', pool_id='pool-a'),
                             flavor_accelerators)
    assert (record['gpu_num'], record['npu_num']) == (None, None)
    assert accelerators_unknown(record)


HOSTILE_UNIT_NUMS = [10 ** 400, -1, 2.5, True, 'eight', '-3', '1e3', [8], {'n': 8}, 1000001]


@pytest.mark.parametrize('unit_num', HOSTILE_UNIT_NUMS, ids=[str(index) for index in range(len(HOSTILE_UNIT_NUMS))])
def test_a_hostile_unit_num_is_unknown_not_an_error(unit_num):
    detail = {'flavor_type': 'GPU', 'flavor_info': {'gpu': {'unit_num': unit_num}, 'npu': {'unit_num': unit_num}}}
    record = record_from_job(job(flavor_detail=detail))
    assert (record['gpu_num'], record['npu_num']) == (None, None)


@pytest.mark.parametrize('node_count', [10 ** 400, -1, 1000001, 'many', True, [2]])
def test_a_hostile_node_count_makes_the_accelerators_unknown(node_count):
    record = record_from_job(job(node_count=node_count))
    assert (record['node_count'], record['gpu_num'], record['npu_num']) == (None, None, None)


def test_a_product_above_a_million_accelerators_is_unknown():
    record = record_from_job(job(node_count=600000))  # 2 GPUs per node
    assert record['gpu_num'] is None and record['node_count'] == 600000


def test_a_missing_node_count_means_one_node():
    raw = job(node_count=None)
    assert record_from_job(raw)['gpu_num'] == 2


# --- the flavors list -------------------------------------------------------------------------------------------

def flavors_answer(*flavors):
    return {'total_count': len(flavors), 'flavors': list(flavors)}


def flavor(flavor_id, gpu=None, npu=None):
    info = {'max_num': 1, 'cpu': {'arch': 'x86', 'core_num': 8}, 'memory': {'size': 64, 'unit': 'GB'}}
    if gpu is not None:
        info['gpu'] = {'unit_num': gpu, 'product_name': 'NVIDIA-V100', 'memory': '32GB'}
    if npu is not None:
        info['npu'] = {'unit_num': npu, 'product_name': 'Ascend-910', 'memory': '32GB'}
    return {'flavor_id': flavor_id, 'flavor_name': flavor_id, 'flavor_type': 'GPU', 'billing': {'code': 'x', 'unit_num': 1},
            'flavor_info': info}


def test_the_flavors_list_gives_each_flavors_gpus_and_npus_per_node():
    answer = flavors_answer(flavor('gpu.8', gpu=8), flavor('npu.4', npu='4'), flavor('cpu.2'))
    assert flavors_from_answer(answer) == {'gpu.8': (8, 0), 'npu.4': (0, 4), 'cpu.2': (0, 0)}


def test_malformed_flavors_are_left_out_and_hostile_counts_are_unknown():
    answer = flavors_answer('text', {'flavor_id': 7, 'flavor_info': {}}, {'flavor_id': 'no.info'},
                            flavor('huge', gpu=10 ** 400), flavor('twice', gpu=1), flavor('twice', gpu=2))
    assert flavors_from_answer(answer) == {'huge': (None, 0), 'twice': (1, 0)}


def test_an_answer_without_flavors_gives_none():
    assert flavors_from_answer({'total_count': 0}) == {}


@pytest.mark.parametrize('answer', [[], 'flavors', {'flavors': {'a': 1}}, {'flavors': 'all'}])
def test_an_answer_that_is_not_a_flavors_list_fails_naming_the_request(answer):
    with pytest.raises(ModelArtsError, match='GET %s answered' % FLAVORS_PATH) as caught:
        flavors_from_answer(answer, FLAVORS_PATH)
    assert (caught.value.method, caught.value.path) == ('GET', FLAVORS_PATH)


def test_the_flavors_list_is_needed_only_for_a_page_with_a_job_without_flavor_detail():
    public, dedicated = job(), job(flavor_detail=None, pool_id='pool-a')
    assert not needs_flavor_list([public, public])
    assert not needs_flavor_list([])
    assert needs_flavor_list([public, dedicated])
    assert needs_flavor_list([job(flavor_detail={'flavor_type': 'GPU'})])
    assert not needs_flavor_list(['not a job', None])
    assert not needs_flavor_list({'items': []})


# --- the warning and the summary ----------------------------------------------------------------------------------

def test_one_warning_names_the_flavors_whose_accelerators_are_unknown():
    unknown = UnknownAccelerators()
    for flavor_id in ['pool.a', 'pool.b', 'pool.a', 'pool.c', 'pool.d']:
        unknown.note_flavor(flavor_id)
    warning = unknown.warning('gpu_summary')
    assert warning.startswith('gpu_summary: 5 versions run on a flavor whose accelerators')
    assert "flavor_id 'pool.a', 'pool.b', 'pool.c', ..." in warning
    assert 'null' in warning and 'accelerators_unknown' in warning


def test_hostile_counts_and_unknown_flavors_share_one_warning():
    unknown = UnknownAccelerators()
    unknown.note(7, 10 ** 400, 0, None, 0)
    unknown.note_flavor('pool.x' * 100)
    warning = unknown.warning('gpu_summary')
    assert warning.count('gpu_summary') == 1
    assert '1 version carries a gpu_num' in warning and '1 version runs on a flavor' in warning
    assert len(warning) < 600


def test_v2_records_fold_into_the_summary_as_v1_versions_do():
    records = [record_from_job(job(phase='Running', node_count=2)), record_from_job(job(phase='Pending')),
               record_from_job(job(phase='Completed'))]
    for number, record in enumerate(records):
        record['version_id'] = 'job-%d' % number
    summary = summarize(records)
    assert (summary['versions'], summary['gpu_num'], summary['active_gpu_num']) == (3, 8, 6)
    assert sorted(summary['by_status']) == ['completed', 'pending', 'running']


# --- the search body -------------------------------------------------------------------------------------------------

def test_the_first_page_asks_fifty_jobs_of_every_phase_newest_first():
    assert search_body(0) == {'offset': 0, 'limit': 50, 'sort_by': 'create_time', 'order': 'desc', 'workspace_id': '0'}


def test_the_phases_asked_go_in_one_in_filter_and_the_offset_is_a_page_index():
    body = search_body(3, 20, order='asc', workspace_id='a' * 32, phases=['Pending', 'Running'])
    assert body == {'offset': 3, 'limit': 20, 'sort_by': 'create_time', 'order': 'asc', 'workspace_id': 'a' * 32,
                    'filters': [{'key': 'phase', 'operator': 'in', 'value': ['Pending', 'Running']}]}
    assert json.loads(json.dumps(body)) == body


@pytest.mark.parametrize('page_size, limit', [(0, 50), (1, 1), (50, 50), (51, 50), (500, 50)])
def test_page_size_maps_to_a_limit_from_1_to_50(page_size, limit):
    assert page_limit(page_size) == limit == search_body(0, page_size)['limit']
    assert MAX_PAGE_LIMIT == 50


@pytest.mark.parametrize('sort_by', ['create_time', 'job_desc', 'status', 'duration', 'job_name'])
def test_every_sort_by_choice_asks_the_documented_create_time_and_the_others_sort_locally(sort_by):
    assert search_body(0, sort_by=sort_by)['sort_by'] == 'create_time'
    assert sorted_locally(sort_by) == (sort_by != 'create_time')


@pytest.mark.parametrize('arguments', [dict(page_index=-1), dict(page_index=True), dict(page_size=-1),
                                       dict(sort_by='name'), dict(order='up'), dict(phases=['running']),
                                       dict(phases=[])])
def test_a_body_outside_the_choices_is_a_programming_error(arguments):
    arguments = dict(dict(page_index=0), **arguments)
    with pytest.raises(ValueError):
        search_body(**arguments)


# --- hostile jobs ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize('mutate, field', [
    (lambda raw: raw.update(metadata='x'), 'metadata'),
    (lambda raw: raw['metadata'].pop('id'), 'metadata.id'),
    (lambda raw: raw['metadata'].update(id=''), 'metadata.id'),
    (lambda raw: raw['metadata'].update(id={'a': 1}), 'metadata.id'),
    (lambda raw: raw['metadata'].update(name=['x']), 'metadata.name'),
    (lambda raw: raw['metadata'].update(description=True), 'metadata.description'),
    (lambda raw: raw['status'].update(phase={'phase': 'Running'}), 'status.phase'),
    (lambda raw: raw.update(status=[1]), 'status'),
    (lambda raw: raw['spec'].update(resource='big'), 'spec.resource'),
    (lambda raw: raw['spec']['resource'].update(pool_id=['p']), 'spec.resource.pool_id'),
    (lambda raw: raw['algorithm'].update(outputs={'name': 'x'}), 'algorithm.outputs'),
    (lambda raw: raw['algorithm']['outputs'].append('obs://x'), 'algorithm.outputs[1]'),
    (lambda raw: raw['algorithm']['outputs'][0].update(remote=[]), 'algorithm.outputs[0].remote'),
])
def test_a_wrong_type_fails_naming_the_field_the_item_and_the_request(mutate, field):
    raw = job()
    mutate(raw)
    with pytest.raises(ModelArtsError) as caught:
        record_from_job(raw, index=4, path=SEARCH_PATH)
    message = str(caught.value)
    assert message.startswith('POST %s answered a job ' % SEARCH_PATH)
    assert field in message and '(item 4)' in message
    assert (caught.value.method, caught.value.path) == ('POST', SEARCH_PATH)


@pytest.mark.parametrize('value', [None, 'job', 7, ['job']])
def test_a_job_that_is_not_an_object_fails_clearly(value):
    with pytest.raises(ModelArtsError, match='a job that is'):
        record_from_job(value)


HOSTILE_TIMES = [10 ** 400, 2 ** 63, -1, 1.5, float('nan'), float('inf'), True, 'yesterday', '-5', [1], {'ms': 1}]


@pytest.mark.parametrize('moment', HOSTILE_TIMES, ids=[str(index) for index in range(len(HOSTILE_TIMES))])
def test_a_time_that_is_no_millisecond_count_is_unknown_and_the_job_has_no_end(moment):
    raw = job(phase='Completed', start_time=moment, duration=moment)
    raw['metadata']['create_time'] = moment
    record = record_from_job(raw)
    assert [record[field] for field in ('create_time', 'start_time', 'duration', 'end_time')] == [None, None, None, 0]
    assert [record[field] for field in ('create_time_iso', 'start_time_iso', 'end_time_iso', 'duration_seconds')] == [
        None, None, None, None]


def test_the_largest_time_the_api_can_send_is_read():
    record = record_from_job(job(phase='Completed', start_time=2 ** 62, duration=2 ** 62))
    assert (record['start_time'], record['duration'], record['end_time']) == (2 ** 62, 2 ** 62, 2 ** 63)


def test_the_job_given_is_not_changed():
    raw = job()
    before = copy.deepcopy(raw)
    record_from_job(raw, {'x': (1, 0)})
    assert raw == before


JSON_LEAVES = st.one_of(st.none(), st.booleans(), st.integers(min_value=-10 ** 30, max_value=10 ** 30),
                        st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=8))
JSON_VALUES = st.recursive(JSON_LEAVES, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                                st.dictionaries(st.text(max_size=4), inner, max_size=3)),
                           max_leaves=8)
# Every path record_from_job reads, so that random values land where they matter.
READ_PATHS = [('metadata',), ('metadata', 'id'), ('metadata', 'name'), ('metadata', 'description'),
              ('metadata', 'create_time'), ('metadata', 'user_name'), ('status',), ('status', 'phase'),
              ('status', 'secondary_phase'), ('status', 'start_time'), ('status', 'duration'), ('spec',),
              ('spec', 'resource'), ('spec', 'resource', 'node_count'), ('spec', 'resource', 'pool_id'),
              ('spec', 'resource', 'flavor_id'), ('spec', 'resource', 'flavor_detail'),
              ('spec', 'resource', 'flavor_detail', 'flavor_info'),
              ('spec', 'resource', 'flavor_detail', 'flavor_info', 'gpu'),
              ('spec', 'resource', 'flavor_detail', 'flavor_info', 'gpu', 'unit_num'),
              ('spec', 'resource', 'flavor_detail', 'flavor_info', 'npu', 'unit_num'), ('algorithm', 'outputs'),
              ('algorithm', 'outputs', 0), ('algorithm', 'outputs', 0, 'remote', 'obs', 'obs_url')]


def _set(raw, path, value):
    """Put value at path (an int: a list index) where the job's shape, changed by earlier changes, still leads."""
    target = raw
    for key in path[:-1]:
        if isinstance(target, dict) and not isinstance(key, int):
            target = target.setdefault(key, {})
        elif isinstance(target, list) and isinstance(key, int) and len(target) > key:
            target = target[key]
        else:
            return
    key = path[-1]
    if isinstance(target, dict) and not isinstance(key, int):
        target[key] = value
    elif isinstance(target, list) and isinstance(key, int) and len(target) > key:
        target[key] = value


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(changes=st.lists(st.tuples(st.sampled_from(READ_PATHS), JSON_VALUES), max_size=4),
       flavors=st.one_of(st.none(), st.dictionaries(st.text(max_size=30),
                                                    st.tuples(st.none() | st.integers(0, 8),
                                                              st.none() | st.integers(0, 8)))))
def test_any_job_gives_a_record_of_known_types_or_a_clear_error(changes, flavors):
    raw = job(flavor_detail=npu_detail('4'))
    for path, value in changes:
        _set(raw, path, value)
    try:
        record = record_from_job(raw, flavors, index=0, path=SEARCH_PATH)
    except ModelArtsError as exc:
        assert str(exc).startswith('POST %s answered a job' % SEARCH_PATH)
        return
    assert tuple(record) == RECORD_FIELDS
    assert isinstance(record['version_id'], str) and record['version_id']
    for field in ('version_name', 'status', 'version_desc', 'pool_id', 'flavor_code', 'secondary_phase', 'user_name'):
        assert record[field] is None or isinstance(record[field], str)
    for field in ('create_time', 'start_time', 'duration'):
        assert record[field] is None or (record[field].__class__ is int and 0 <= record[field] < 2 ** 63)
    assert record['end_time'].__class__ is int and 0 <= record['end_time'] < 2 ** 64
    for field in ('gpu_num', 'npu_num', 'node_count'):
        assert record[field] is None or (record[field].__class__ is int and 0 <= record[field] <= 1000000)
    assert all(set(output) == {'name', 'obs_url'} for output in record['outputs'])
    json.dumps(record)  # plain data
    summarize([record])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(changes=st.lists(st.tuples(st.sampled_from(READ_PATHS), JSON_VALUES), max_size=4),
       flavor_id=st.sampled_from(['custom.pool.2gpu', 'modelarts.pool.visual.8xlarge', 'unknown', 7, None]),
       flavors=st.one_of(st.just({}), st.dictionaries(st.sampled_from(['custom.pool.2gpu', 'modelarts.pool.visual.8xlarge',
                                                                       '7']),
                                                      st.tuples(st.none() | st.integers(0, 8),
                                                                st.none() | st.integers(0, 8)))))
def test_a_record_made_before_the_flavors_list_arrived_becomes_the_one_made_after(changes, flavor_id, flavors):
    # A streamed page converts a job without flavor_detail before the flavors list is read (_v2_source.V2PageDecoder).
    raw = job(flavor_detail=None, flavor_id=flavor_id)
    for path, value in changes:
        _set(raw, path, value)
    try:
        expected = record_from_job(raw, flavors, index=0, path=SEARCH_PATH)
    except ModelArtsError:
        return
    if job_needs_flavor_list(raw):
        early = record_from_job(raw, None, index=0, path=SEARCH_PATH)
        assert json.dumps(with_flavor_list(early, listed_flavor_id(raw), flavors)) == json.dumps(expected)
    assert needs_flavor_list([raw]) == job_needs_flavor_list(raw)


def test_v2_records_count_in_gpu_usage_by_their_phase_group():
    running = record_from_job(job(phase='Running'))  # 2 GPUs from STARTED, still holding them at `until`
    finished = record_from_job(job(phase='Terminated', duration=HOUR))  # 2 GPUs for one hour
    finished['version_id'] = 'another-job'
    usage = gpu_usage([running, finished], CREATED, CREATED + 3 * HOUR)
    running_hours = 2 * (3 * HOUR - (STARTED - CREATED)) / HOUR
    assert usage['gpu_hours'] == round(running_hours + 2.0, 3)
    assert sorted(usage['by_status_group']) == ['active', 'canceled']


# --- the search answer ---------------------------------------------------------------------------------------------

def test_a_search_answer_gives_its_jobs_and_count_only_as_a_hint():
    answer = {'total': 5059, 'count': 1, 'limit': 1, 'offset': 0, 'sort_by': 'create_time', 'order': 'desc',
              'group_by': '', 'workspace_id': '0', 'ai_project': 'default-ai-project', 'items': [job()]}
    assert search_page(answer, SEARCH_PATH) == ([job()], 1)
    assert search_page({'total': 0}) == ([], None)
    assert search_page({'items': [], 'count': 10 ** 400}) == ([], None)
    assert search_page({'items': [], 'count': 'many'}) == ([], None)


@pytest.mark.parametrize('answer', [[], 'items', None, {'items': {'a': 1}}, {'items': 'all'}])
def test_an_answer_that_is_not_a_search_page_fails_naming_the_request(answer):
    with pytest.raises(ModelArtsError, match='POST %s answered' % SEARCH_PATH) as caught:
        search_page(answer, SEARCH_PATH)
    assert (caught.value.method, caught.value.path) == ('POST', SEARCH_PATH)
