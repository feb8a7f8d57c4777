# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The version_ids option (issue 24): validated as the modules validate it, matched exactly as text, with names."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.mlops.modelarts.plugins.module_utils._errors import OptionError
from ansible_collections.mlops.modelarts.plugins.module_utils._folding import ids_match
from ansible_collections.mlops.modelarts.plugins.module_utils._options import MUTUALLY_EXCLUSIVE, argument_spec
from ansible_collections.mlops.modelarts.plugins.module_utils._query_client import QueryClient
from ansible_collections.mlops.modelarts.plugins.module_utils._versions import Query, list_versions

PROJECT_ID = '0a1b2c3d4e5f60718293a4b5c6d7e8f9'
UUID = '3f2c1b7e-9a4d-4c55-8e21-0d6f7a9b1c23'


def module_query(**params):
    """Give back the Query a module builds from these task arguments (the argument spec first, as AnsibleModule).

    The in-memory API answers the v1 listing only: the query reads v1 unless a test says otherwise.
    """
    params.setdefault('training_api', 'v1')
    validated = ArgumentSpecValidator(argument_spec(), mutually_exclusive=MUTUALLY_EXCLUSIVE).validate(params)
    if validated.error_messages:
        raise OptionError('; '.join(validated.error_messages))
    return Query(validated.validated_parameters)


def version(version_id, name, status=10, gpu_num=1):
    return dict(version_id=version_id, version_name=name, status=status, create_time=1767225600000, duration=60000,
                version_desc=None, pool_id='pool-gpu-a', flavor_code='modelarts.p1.2xlarge', gpu_num=gpu_num, npu_num=0)


# v1 ids are numbers (the v1 source makes every id an int); a name holding glob characters for the case.
VERSIONS = [
    version(7, 'resnet-V0007'),
    version(8, 'resnet-V0008'),
    version(9, 'exp[2]-V0009'),
    version(70, 'bert-V0070'),
]


class OneAnswerApi(QueryClient):
    """Answers every GET /v1/{project_id}/training-jobs/versions with all of VERSIONS in one page."""

    project_id = PROJECT_ID

    def __init__(self):
        QueryClient.__init__(self)
        self.requests = []

    def get(self, path, query_pairs, decode=None):
        self.requests.append(dict(query_pairs))
        answer = {'is_success': True, 'total_count': len(VERSIONS), 'versions': [dict(v) for v in VERSIONS]}
        return decode(answer) if decode is not None else answer


def selected_ids(**params):
    return [v['version_id'] for v in list_versions(OneAnswerApi(), module_query(**params)).versions]


# -- validation


@pytest.mark.parametrize('value, words', [
    ([True], 'element 1 is a boolean'),
    ([7, {'id': 7}], 'element 2 is a mapping'),
    ([7.0], 'element 1 is a decimal number'),
    ([[7]], 'element 1 is a list'),
    ([None], 'element 1 is null'),
    ([''], 'element 1 is an empty text'),
    (['7', '  '], 'element 2 is an empty text'),
    (['x' * 129], 'element 1 has 129 characters, more than 128'),
    ([10 ** 200], 'element 1 has more than 128 digits'),
    (list(range(1001)), 'at most 1000 ids; got 1001'),
], ids=['boolean', 'mapping', 'decimal', 'list', 'null', 'empty', 'blank', 'long-text', 'long-integer', 'too-many'])
def test_unusable_version_ids_fail_naming_the_option_and_the_element(value, words):
    with pytest.raises(OptionError) as failure:
        module_query(version_ids=value)
    assert str(failure.value).startswith('version_ids: ')
    assert words in str(failure.value)


def test_a_mapping_instead_of_a_list_fails_naming_version_ids():
    with pytest.raises(OptionError, match="argument 'version_ids' is of type .*dict.* unable to convert to list"):
        module_query(version_ids={'id': 7})


def test_integers_and_texts_become_distinct_id_texts_in_the_order_given():
    query = module_query(version_ids=[7, '7', UUID, '07', 8])
    assert query.version_ids == ['7', UUID, '07', '8']
    assert query.as_dict()['version_ids'] == ['7', UUID, '07', '8']


def test_one_id_without_a_list_is_a_list_of_one():
    assert module_query(version_ids=7).version_ids == ['7']


def test_no_version_ids_selects_every_version():
    assert module_query().version_ids == []
    assert len(selected_ids()) == len(VERSIONS)


# -- matching


@pytest.mark.parametrize('given', [[7], ['7']], ids=['integer', 'text'])
def test_an_integer_or_text_id_selects_the_v1_version_whose_number_it_is(given):
    assert selected_ids(version_ids=given) == [7]


def test_a_text_id_matches_a_record_with_that_exact_text_id():
    # v2 job ids are texts (UUIDs); list_versions and folding filter every record through ids_match.
    wanted = frozenset(module_query(version_ids=[UUID, 9]).version_ids)
    assert [ids_match(dict(version_id=value), wanted) for value in (UUID, 9, '9', UUID.upper(), UUID[:8])] == [
        True, True, True, False, False]


def test_ids_match_exactly_not_as_numbers_or_prefixes():
    assert selected_ids(version_ids=['07', '7.0', '+7', '70 ', '0x7']) == []


def test_with_names_a_version_must_match_an_id_and_a_glob():
    assert selected_ids(version_ids=[7, 8, 70], names=['resnet-*']) == [7, 8]
    assert selected_ids(version_ids=[70], names=['resnet-*']) == []


def test_offset_and_limit_count_the_versions_the_ids_select():
    api = OneAnswerApi()
    listing = list_versions(api, module_query(version_ids=[9, 70, 8], offset=1, limit=1))
    assert [v['version_id'] for v in listing.versions] == [9]
    assert all('limit' not in params or params['limit'] == '0' for params in api.requests)


def test_a_summary_only_query_folds_only_the_selected_versions():
    query = module_query(version_ids=[7, 70, UUID], names=['*-V000?'], include_versions=False)
    listing = list_versions(OneAnswerApi(), query)
    assert listing.summary['versions'] == 1
    assert listing.summary['by_status'] == {'completed': {'versions': 1, 'gpu_num': 1, 'npu_num': 0}}


def test_a_name_glob_reads_brackets_as_a_set_and_bracketed_glob_characters_literally():
    # What the docs say to do: exp[2] is the glob "exp" + one of {"2"}; [[] is a literal "[".
    assert selected_ids(names=['exp[2]-V0009']) == []
    assert selected_ids(names=['exp[[]2]-V0009']) == [9]


def test_a_boolean_id_from_an_api_never_matches_the_text_of_a_number():
    assert not ids_match(dict(version_id=True), frozenset(['1', 'True']))
    assert not ids_match(dict(version_id=None), frozenset(['None']))
